//! Throughput of `validate` on a large batch of 第6表 send units, next to `iconv -f CP932 -t UTF-8`
//! over the same bytes in the same run. Prints figures; asserts nothing about speed.
//!
//! `cargo bench -p careplan-spec --bench validate_throughput` (size: `CAREPLAN_BENCH_MB`, default 100).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use careplan_spec::samples::use_sheet_unit;
use careplan_spec::{validate, InputFile};

const USERS_PER_UNIT: usize = 400;

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

fn mb_per_s(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / 1e6 / time.as_secs_f64()
}

fn iconv(dir: &Path, names: &[String]) -> Option<Duration> {
    let run = || {
        Command::new("iconv")
            .args(["-f", "CP932", "-t", "UTF-8"])
            .args(names.iter().map(|n| dir.join(n)))
            .stdout(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    if !run() {
        return None;
    }
    Some(best_of(3, run).0)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and wants a quick run.
    let quick = !std::env::args().any(|a| a == "--bench");
    if quick {
        println!("quick run (as a test, unoptimised): these figures only show that the benchmark works; use `cargo bench`");
    }
    let target_mb: usize = if quick {
        2
    } else {
        std::env::var("CAREPLAN_BENCH_MB")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(100)
    };

    let mut files = Vec::new();
    let mut total = 0;
    while total < target_mb * 1_000_000 {
        for file in use_sheet_unit(files.len() / 3, USERS_PER_UNIT) {
            total += file.1.len();
            files.push(file);
        }
    }
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let plan_bytes: usize = files
        .iter()
        .filter(|(n, _)| n.starts_with("UPPLAN"))
        .map(|(_, b)| b.len())
        .sum();
    println!(
        "batch: {} files in {} send units, {:.1} MB ({:.1} MB of 第6表), {} records",
        files.len(),
        files.len() / 3,
        total as f64 / 1e6,
        plan_bytes as f64 / 1e6,
        files
            .iter()
            .map(|(_, b)| b.iter().filter(|&&c| c == b'\n').count())
            .sum::<usize>()
    );

    let (validate_time, report) = best_of(3, || validate(&inputs));
    assert!(
        report.ok,
        "the benchmark batch must be valid, or the figure measures early exits"
    );
    let (decode_time, _) = best_of(3, || {
        files
            .iter()
            .map(|(_, b)| {
                encoding_rs::SHIFT_JIS
                    .decode_without_bom_handling(b)
                    .0
                    .len()
            })
            .sum::<usize>()
    });

    let dir = std::env::temp_dir().join(format!("careplan-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes).expect("write batch");
    }
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let iconv_time = iconv(&dir, &names);
    let _ = std::fs::remove_dir_all(&dir);

    println!(
        "careplan-spec validate (decode + parse + check + units): {:>8.1} MB/s  ({:.3} s)",
        mb_per_s(total, validate_time),
        validate_time.as_secs_f64()
    );
    println!(
        "encoding_rs CP932 decode only:                          {:>8.1} MB/s  ({:.3} s)",
        mb_per_s(total, decode_time),
        decode_time.as_secs_f64()
    );
    match iconv_time {
        Some(time) => {
            println!(
                "iconv -f CP932 -t UTF-8 (same bytes, from page cache):  {:>8.1} MB/s  ({:.3} s)",
                mb_per_s(total, time),
                time.as_secs_f64()
            );
            println!(
                "ratio validate time / iconv time: {:.2}× (target: within 3×)",
                validate_time.as_secs_f64() / time.as_secs_f64()
            );
        }
        None => println!("iconv: not available on this machine; no ratio"),
    }
}
