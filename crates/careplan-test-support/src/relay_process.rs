//! The relay as a process of its own (`careplan-relay serve` on a test relay's data folder), for
//! what must be measured or done to the binary alone: its memory, a kill -9.

use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::https::Endpoint;
use crate::processes::Guarded;

pub struct RelayProcess {
    process: Guarded,
    pub port: u16,
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl RelayProcess {
    /// Serves the data folder `dir` (SQLite and blobs in it) with the binary `binary`, the
    /// environment given added; waits until it listens.
    pub fn serve(binary: &Path, dir: &Path, env: &[(&str, &str)]) -> RelayProcess {
        RelayProcess::serve_on(binary, dir, env, free_port())
    }

    /// The same on a given port: a relay started again where its clients know it.
    pub fn serve_on(binary: &Path, dir: &Path, env: &[(&str, &str)], port: u16) -> RelayProcess {
        let mut command = Command::new(binary);
        command
            .args([
                "serve",
                "--data",
                dir.to_str().unwrap(),
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .env_remove("DATABASE_URL")
            .env_remove("BLOB_STORE_URL")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (name, value) in env {
            command.env(name, value);
        }
        let process = Guarded::spawn(&mut command).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the relay did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        RelayProcess { process, port }
    }

    /// kill -9: the relay stops mid-answer, its connections cut.
    pub fn kill(&mut self) {
        self.process.kill();
    }

    pub fn endpoint(&self, dir: &Path) -> Endpoint {
        Endpoint::of_data_dir(dir, self.port)
    }

    /// VmHWM: the process's peak resident set size so far, in MB (Linux; 0 elsewhere).
    pub fn peak_memory_mb(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.process.id()))
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    }
}
