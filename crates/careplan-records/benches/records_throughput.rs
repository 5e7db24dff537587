//! Reading into the typed records and 予実突合, each next to the validator's own time over the same
//! bytes in the same run. Prints figures; asserts nothing about speed.
//!
//! `cargo bench -p careplan-records --bench records_throughput`
//! (`CAREPLAN_BENCH_PEOPLE`: people in the 予実突合, default 500).

use std::time::{Duration, Instant};

use careplan_records::{read_file, reconcile};
use careplan_spec::samples::use_sheet_month;
use careplan_spec::{validate, InputFile};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.expect("at least one run"))
}

fn validate_file(name: &str, bytes: &[u8]) -> bool {
    let report = validate(&[InputFile { name, bytes }]);
    report.files[0].ok
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and wants a quick run.
    let quick = !std::env::args().any(|a| a == "--bench");
    if quick {
        println!("quick run (as a test, unoptimised): these figures only show that the benchmark works; use `cargo bench`");
    }
    let (runs, people) = if quick {
        (2, 20)
    } else {
        let people = std::env::var("CAREPLAN_BENCH_PEOPLE")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(500);
        (20, people)
    };

    // One person's full month: 31 days × 20 services, 620 records.
    let (name, bytes) = use_sheet_month(1, 20, false);
    let (validate_time, ok) = best_of(runs, || validate_file(&name, &bytes));
    assert!(
        ok,
        "the month must be valid, or the figure measures early exits"
    );
    let (read_time, file) = best_of(runs, || read_file(&name, &bytes).expect("a standard file"));
    assert!(file.unreadable.is_empty());
    println!(
        "第6表, one person's full month (31 days × 20 services, {} records, {:.1} KB):",
        620,
        bytes.len() as f64 / 1e3
    );
    println!(
        "  validate:                      {:>9.3} ms",
        ms(validate_time)
    );
    println!("  read into the typed records:   {:>9.3} ms", ms(read_time));
    println!(
        "  ratio read / validate: {:.2}×",
        read_time.as_secs_f64() / validate_time.as_secs_f64()
    );

    // 予実突合 of `people` people: a 予定 and a 実績 of 8 services a day for a month.
    let plan = use_sheet_month(people, 8, false);
    let actual = use_sheet_month(people, 8, true);
    let total = plan.1.len() + actual.1.len();
    let (validate_time, ok) = best_of(runs.min(5), || {
        validate_file(&plan.0, &plan.1) & validate_file(&actual.0, &actual.1)
    });
    assert!(ok, "the sample 予定 and 実績 must be valid");
    let read_both = || {
        (
            [read_file(&plan.0, &plan.1).expect("a standard file")],
            [read_file(&actual.0, &actual.1).expect("a standard file")],
        )
    };
    let (reconcile_time, result) = best_of(runs.min(5), || {
        let (plans, actuals) = read_both();
        reconcile(&plans, &actuals).expect("the sample can be compared")
    });
    let (read_time, (plans, actuals)) = best_of(runs.min(5), read_both);
    let (compare_time, _) = best_of(runs.min(5), || reconcile(&plans, &actuals));
    assert_eq!(result.compared as usize, people);
    assert_eq!(
        result.with_differences as usize, people,
        "every sample person differs"
    );
    println!(
        "予実突合 of {people} people (予定 and 実績, 8 services a day for a month, {:.1} MB):",
        total as f64 / 1e6
    );
    println!(
        "  validate both files:           {:>9.1} ms",
        ms(validate_time)
    );
    println!(
        "  read both and reconcile:       {:>9.1} ms",
        ms(reconcile_time)
    );
    println!("    of which reading both:       {:>9.1} ms", ms(read_time));
    println!(
        "    of which comparing:          {:>9.1} ms",
        ms(compare_time)
    );
    println!(
        "  ratio reconcile / validate: {:.2}×",
        reconcile_time.as_secs_f64() / validate_time.as_secs_f64()
    );
}
