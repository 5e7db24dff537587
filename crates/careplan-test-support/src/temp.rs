//! Temporary folders. Tests leave their data behind on purpose (a failing test's relay
//! folder or screenshot is evidence), so each test process keeps its folders under
//! `<temp>/careplan-tests/<pid>/`, and the first folder a process asks for removes the folders of
//! processes that have ended. One run's leftovers last until the next run, not forever.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Where every test process keeps its folders.
pub fn tests_root() -> PathBuf {
    std::env::temp_dir().join("careplan-tests")
}

/// A new, empty folder for one test, `label` in its name to tell what it holds.
pub fn temp_dir(label: &str) -> PathBuf {
    static PROCESS_DIR: OnceLock<PathBuf> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let process_dir = PROCESS_DIR.get_or_init(|| {
        let root = tests_root();
        sweep_ended_processes(&root);
        root.join(std::process::id().to_string())
    });
    let dir = process_dir.join(format!("{label}-{}", NEXT.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// Removes the folders of test processes that are no longer running.
fn sweep_ended_processes(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let ended = entry
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<u32>().ok())
            .is_some_and(|pid| !process_runs(pid));
        if ended {
            // Another process may be sweeping the same folder: a failure here is not a test's.
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process with this id runs. Only Linux answers without a system call crate; elsewhere
/// every process counts as running and nothing is swept.
fn process_runs(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_call_gives_a_new_empty_folder_of_this_process() {
        let a = temp_dir("relay");
        let b = temp_dir("relay");
        assert_ne!(a, b);
        assert!(a.is_dir() && b.is_dir());
        assert_eq!(std::fs::read_dir(&a).unwrap().count(), 0);
        assert_eq!(
            a.parent().unwrap(),
            tests_root().join(std::process::id().to_string())
        );
        assert!(a
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("relay-"));
    }

    #[test]
    fn folders_of_ended_processes_go_and_running_ones_stay() {
        let root = tests_root().join(format!("sweep-{}", std::process::id()));
        // An ended process: a child that has exited (its id is not reused this quickly).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let ended = child.id();
        child.wait().unwrap();
        let running = std::process::id();
        for pid in [ended, running] {
            std::fs::create_dir_all(root.join(pid.to_string()).join("relay-0")).unwrap();
        }
        std::fs::create_dir_all(root.join("not-a-process")).unwrap();

        sweep_ended_processes(&root);

        assert!(!root.join(ended.to_string()).exists());
        assert!(root.join(running.to_string()).join("relay-0").is_dir());
        assert!(root.join("not-a-process").is_dir());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
