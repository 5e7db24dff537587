//! Child processes that do not outlive their test. A WebDriver test starts tauri-driver, which
//! starts WebKitWebDriver, which starts the app: killing only the first leaves the others running
//! for ever. Each [`Guarded`] child gets a process group of its own, and dropping the guard (the
//! test passed, failed or panicked) kills the whole group and reaps the child.

use std::process::{Child, Command};

pub struct Guarded {
    child: Child,
}

impl Guarded {
    /// Spawns `command` as the leader of a new process group.
    pub fn spawn(command: &mut Command) -> std::io::Result<Guarded> {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(command, 0);
        Ok(Guarded {
            child: command.spawn()?,
        })
    }

    /// The child's standard output, if it was piped (once).
    pub fn take_stdout(&mut self) -> Option<std::process::ChildStdout> {
        self.child.stdout.take()
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process and everything it started, now.
    pub fn kill(&mut self) {
        #[cfg(unix)]
        {
            // SAFETY: killpg only sends a signal; the group is the child's own (process_group(0)).
            unsafe {
                libc::killpg(self.child.id() as libc::pid_t, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Whether the process has ended (reaping it if so).
    pub fn has_exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn dropping_the_guard_kills_the_grandchildren_too() {
        // A shell that starts a long sleep in the background and reports its pid.
        let out = crate::temp_dir("guarded").join("grandchild.pid");
        let mut command = Command::new("sh");
        command.args([
            "-c",
            &format!("sleep 300 & echo $! > {}; wait", out.display()),
        ]);
        let guard = Guarded::spawn(&mut command).unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let grandchild = loop {
            if let Some(pid) = std::fs::read_to_string(&out)
                .ok()
                .and_then(|t| t.trim().parse::<u32>().ok())
            {
                break pid;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the shell did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let alive = |pid: u32| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|stat| !stat.contains(") Z "))
                .unwrap_or(false)
        };
        assert!(alive(grandchild));
        drop(guard);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while alive(grandchild) {
            assert!(
                std::time::Instant::now() < deadline,
                "the grandchild {grandchild} outlived the guard"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}
