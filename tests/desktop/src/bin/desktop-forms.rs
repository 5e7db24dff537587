//! 帳票ビュー and 予実突合 in the built app, timed from the files dropped (or 突合する pressed) to the
//! form or the result drawn, next to the validator's own time over the same bytes in the same run
//! (in this process). Prints figures; asserts nothing about speed.
//!
//! - 第6表 of one person's full month (31 days × 20 services, 620 records), dropped on ファイルを開く:
//!   read, validated, viewed, sent over IPC and drawn, until the sheet is on screen.
//! - 予実突合 of `--people` people (a 予定 and a 実績 of 8 services a day for a month): 突合する
//!   pressed until the result is on screen.
//!
//! The time is the page's own (performance.now() from the drop to two animation frames after the
//! element appears), so WebDriver's round trips are not in it. Run it with
//! `scripts/bench-desktop.sh`, which builds the app first.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use careplan_desktop_e2e::{app_home_for, demo_relay, tab, temp_dir, Desktop, HOME_HELP, PASSWORD};
use careplan_spec::samples::use_sheet_month;
use careplan_spec::{validate, InputFile};
use serde_json::json;

struct Options {
    app: PathBuf,
    runs: usize,
    people: usize,
}

fn options() -> Options {
    let mut options = Options {
        app: PathBuf::new(),
        runs: 5,
        people: 500,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_else(|| usage(&arg));
        let number = || value.parse().unwrap_or_else(|_| usage(&arg));
        match arg.as_str() {
            "--app" => options.app = PathBuf::from(&value),
            "--runs" => options.runs = number(),
            "--people" => options.people = number(),
            _ => usage(&arg),
        }
    }
    if !options.app.is_file() || options.runs == 0 || options.people == 0 {
        usage("--app must name the built app; --runs and --people must be at least 1");
    }
    options
}

fn usage(problem: &str) -> ! {
    eprintln!("{problem}\nusage: desktop-forms --app PATH [--runs N] [--people N]");
    std::process::exit(2)
}

/// Drops `paths` on the window, or presses the button `press` (an XPath), and answers the
/// milliseconds until `drawn` (a CSS selector) is on screen and painted.
const TIMED: &str = r#"
const [paths, press, drawn, done] = arguments;
const start = performance.now();
const painted = () => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
const observer = new MutationObserver(() => {
  if (document.querySelector(drawn)) { observer.disconnect(); painted(); }
});
observer.observe(document.body, { childList: true, subtree: true, attributes: true });
if (paths) {
  window.__TAURI_INTERNALS__.invoke('plugin:event|emit',
    { event: 'tauri://drag-drop', payload: { paths, position: { x: 400, y: 300 } } });
} else {
  document.evaluate(press, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue.click();
}
"#;

async fn timed(app: &Desktop, paths: Option<&[PathBuf]>, press: &str, drawn: &str) -> f64 {
    let answer = app.execute_async(TIMED, json!([paths, press, drawn])).await;
    answer
        .as_f64()
        .unwrap_or_else(|| panic!("no time: {answer}"))
}

fn best_of(runs: usize, mut f: impl FnMut() -> bool) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            assert!(
                f(),
                "the sample must be valid, or the figure measures early exits"
            );
            start.elapsed()
        })
        .min()
        .expect("at least one run")
}

fn valid(files: &[(&str, &[u8])]) -> bool {
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    // Each file on its own: a lone 第6表 is no whole send unit, which is not what is timed.
    validate(&inputs).files.iter().all(|f| f.ok)
}

fn write(folder: &Path, (name, bytes): &(String, Vec<u8>)) -> PathBuf {
    let path = folder.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Leaves the tab and comes back: the screen starts empty, as a user opening it.
async fn reopen(app: &Desktop, label: &str) {
    app.click(&tab("トップページ")).await;
    app.click(&tab(label)).await;
    app.find("//*[@data-drop-ready='true']").await;
}

#[tokio::main]
async fn main() {
    let options = options();
    let relay = demo_relay().await;
    let home = app_home_for(&relay, HOME_HELP);
    let folder = temp_dir("forms-bench");
    // The samples of one month and of many people have the same names: a folder each.
    let (one, many) = (folder.join("one"), folder.join("many"));
    std::fs::create_dir_all(&one).unwrap();
    std::fs::create_dir_all(&many).unwrap();
    let month = use_sheet_month(1, 20, false);
    let plan = use_sheet_month(options.people, 8, false);
    let actual = use_sheet_month(options.people, 8, true);
    let month_path = write(&one, &month);
    let sides = [write(&many, &plan), write(&many, &actual)];

    let app = Desktop::launch_binary(&options.app, &home).await;
    app.log_in(PASSWORD).await;

    let mut drawn = Vec::new();
    for _ in 0..options.runs {
        reopen(&app, "ファイルを開く").await;
        let paths = [month_path.clone()];
        let time = timed(&app, Some(&paths), "", "table.use-grid").await;
        drawn.push(time);
    }
    let month_validate = best_of(options.runs, || valid(&[(&month.0, &month.1)]));

    let mut compared = Vec::new();
    for _ in 0..options.runs {
        reopen(&app, "予実突合").await;
        app.drop_files(&sides).await;
        app.find("//div[@role='group' and @aria-label='実績（UPJSK）']//li")
            .await;
        let time = timed(
            &app,
            None,
            "//button[normalize-space()='突合する']",
            ".reconcile-result",
        )
        .await;
        compared.push(time);
    }
    let people_listed = app
        .execute(
            "return document.querySelectorAll('.reconcile-people tbody tr').length;",
            json!([]),
        )
        .await;
    assert_eq!(people_listed, json!(options.people), "everyone listed");
    let both_validate = best_of(options.runs.min(3), || {
        valid(&[(&plan.0, &plan.1)]) && valid(&[(&actual.0, &actual.1)])
    });

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "median of {} runs in the app; validate: best of the same runs, in this process",
        options.runs
    );
    println!(
        "第6表, one person's full month (31 days × 20 services, 620 records, {:.1} KB):",
        month.1.len() as f64 / 1e3
    );
    println!(
        "  validate:                       {:>9.1} ms",
        ms(month_validate)
    );
    println!(
        "  dropped → drawn in the app:     {:>9.1} ms",
        median(drawn.clone())
    );
    println!(
        "  ratio drawn / validate: {:.1}×",
        median(drawn) / ms(month_validate)
    );
    println!(
        "予実突合 of {} people (8 services a day for a month, {:.1} MB):",
        options.people,
        (plan.1.len() + actual.1.len()) as f64 / 1e6
    );
    println!(
        "  validate both files:            {:>9.1} ms",
        ms(both_validate)
    );
    println!(
        "  突合する → result drawn:        {:>9.1} ms",
        median(compared.clone())
    );
    println!(
        "  ratio drawn / validate: {:.1}×",
        median(compared) / ms(both_validate)
    );
    drop(app);
    let _ = std::fs::remove_dir_all(folder);
    let _ = std::fs::remove_dir_all(home);
}
