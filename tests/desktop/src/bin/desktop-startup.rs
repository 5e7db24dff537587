//! Start-up and idle memory of the desktop app next to a bare Tauri window built the same way.
//!
//! Each run launches the binary through tauri-driver (as the end-to-end tests do) and measures
//! the time from asking for the session to the first screen being there: the login screen's
//! heading for the app, the page's heading for the bare window. The WebDriver overhead is the
//! same on both sides, so the ratio is what counts. After the screen is up, the process tree
//! (the app and its WebKit processes) idles for a while and its memory is read from
//! /proc/<pid>/smaps_rollup: PSS (shared pages split between processes) and RSS.
//! With `--cold`, the kernel's page cache is dropped before each run (needs root).
//!
//! Run it with `scripts/bench-desktop.sh`, which builds both binaries first.

use std::path::{Path, PathBuf};
use std::time::Duration;

use careplan_desktop_e2e::{app_home_for, demo_relay, temp_dir, Desktop, CARE_MANAGER};

const APP_READY: &str = "//h2[normalize-space()='個人ユーザIDでログイン']";
const BARE_READY: &str = "//h1[@id='ready']";

struct Options {
    app: PathBuf,
    bare: PathBuf,
    runs: usize,
    idle: Duration,
    cold: bool,
}

fn options() -> Options {
    let mut options = Options {
        app: PathBuf::new(),
        bare: PathBuf::new(),
        runs: 5,
        idle: Duration::from_secs(5),
        cold: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage(&arg));
        match arg.as_str() {
            "--app" => options.app = PathBuf::from(value()),
            "--bare" => options.bare = PathBuf::from(value()),
            "--runs" => options.runs = value().parse().unwrap_or_else(|_| usage("--runs")),
            "--idle-seconds" => {
                options.idle =
                    Duration::from_secs(value().parse().unwrap_or_else(|_| usage("--idle")))
            }
            "--cold" => options.cold = true,
            _ => usage(&arg),
        }
    }
    if !options.app.is_file() || !options.bare.is_file() || options.runs == 0 {
        usage("--app and --bare must name built binaries");
    }
    options
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "{problem}\nusage: desktop-startup --app PATH --bare PATH [--runs N] [--idle-seconds S] [--cold]"
    );
    std::process::exit(2)
}

/// How one row of the summary reads its figure from a run.
type Figure = fn(&Run) -> f64;

/// One launch: seconds to the first screen, then PSS and RSS in MB after idling.
struct Run {
    start_up: f64,
    pss_mb: f64,
    rss_mb: f64,
}

async fn measure(binary: &Path, ready: &str, app_home: &Path, options: &Options) -> Run {
    if options.cold {
        drop_page_cache();
    }
    let desktop = Desktop::launch_binary(binary, app_home).await;
    desktop.find_polling(ready, Duration::from_millis(5)).await;
    let start_up = desktop.launch_requested.elapsed().as_secs_f64();
    tokio::time::sleep(options.idle).await;
    let (pss_kb, rss_kb) = process_tree_memory(binary);
    drop(desktop);
    // Let the previous window and its WebKit processes go before the next launch.
    tokio::time::sleep(Duration::from_secs(1)).await;
    Run {
        start_up,
        pss_mb: pss_kb as f64 / 1024.0,
        rss_mb: rss_kb as f64 / 1024.0,
    }
}

fn drop_page_cache() {
    let _ = std::process::Command::new("sync").status();
    if std::fs::write("/proc/sys/vm/drop_caches", "3").is_err() {
        eprintln!("--cold needs root to drop the page cache");
        std::process::exit(2);
    }
}

/// PSS and RSS (kB) of the process running `binary` and all its descendants.
fn process_tree_memory(binary: &Path) -> (u64, u64) {
    let binary = std::fs::canonicalize(binary).unwrap();
    let processes: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, parent_of(pid)?)))
        .collect();
    let root = processes
        .iter()
        .map(|(pid, _)| *pid)
        .find(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).ok().as_ref() == Some(&binary))
        .unwrap_or_else(|| panic!("{} is not running", binary.display()));
    let mut tree = vec![root];
    let mut index = 0;
    while index < tree.len() {
        let parent = tree[index];
        tree.extend(
            processes
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(pid, _)| *pid),
        );
        index += 1;
    }
    tree.iter().fold((0, 0), |(pss, rss), pid| {
        let rollup =
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        (
            pss + field_kb(&rollup, "Pss:"),
            rss + field_kb(&rollup, "Rss:"),
        )
    })
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name in parentheses may hold spaces; the fields after it are fixed.
    let after_name = &stat[stat.rfind(')')? + 2..];
    after_name.split(' ').nth(1)?.parse().ok()
}

fn field_kb(rollup: &str, field: &str) -> u64 {
    rollup
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

#[tokio::main]
async fn main() {
    let options = options();
    let relay = demo_relay().await;
    let app_home = app_home_for(&relay, CARE_MANAGER);
    let bare_home = temp_dir("bare");
    let (mut app_runs, mut bare_runs) = (Vec::new(), Vec::new());
    // Alternate so that drift on the machine touches both sides alike.
    for run in 1..=options.runs {
        let bare = measure(&options.bare, BARE_READY, &bare_home, &options).await;
        let app = measure(&options.app, APP_READY, &app_home, &options).await;
        println!(
            "run {run}: app {:.3} s, {:.1} MB PSS | bare window {:.3} s, {:.1} MB PSS",
            app.start_up, app.pss_mb, bare.start_up, bare.pss_mb
        );
        app_runs.push(app);
        bare_runs.push(bare);
    }
    let figure = |runs: &[Run], pick: Figure| median(runs.iter().map(pick).collect());
    let rows: [(&str, Figure); 3] = [
        ("start-up to first screen (s)", |run| run.start_up),
        ("idle memory, PSS (MB)", |run| run.pss_mb),
        ("idle memory, RSS (MB)", |run| run.rss_mb),
    ];
    println!(
        "\nmedian of {} runs{}, {} s idle before reading memory",
        options.runs,
        if options.cold {
            ", page cache dropped before each"
        } else {
            ", warm page cache"
        },
        options.idle.as_secs()
    );
    println!(
        "{:<30} {:>10} {:>12} {:>7}",
        "", "app", "bare window", "ratio"
    );
    for (name, pick) in rows {
        let (app, bare) = (figure(&app_runs, pick), figure(&bare_runs, pick));
        println!("{name:<30} {app:>10.3} {bare:>12.3} {:>6.2}×", app / bare);
    }
    let _ = std::fs::remove_dir_all(app_home);
    let _ = std::fs::remove_dir_all(bare_home);
}
