//! A desktop's notifications for the end-to-end tests: a session bus of the test's own
//! (`dbus-daemon`) with a notification server on it (`scripts/notification_server.py`), which
//! records what the app asks it to show and can click a notification.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use careplan_test_support::processes::Guarded;
use careplan_test_support::temp_dir;

pub struct NotificationServer {
    /// `DBUS_SESSION_BUS_ADDRESS` of the bus, for the app.
    pub bus: String,
    record: PathBuf,
    // Dropped last: the server goes before its bus.
    _server: Guarded,
    _daemon: Guarded,
}

/// One notification as the app sent it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Shown {
    pub id: u32,
    pub summary: String,
    pub body: String,
}

impl NotificationServer {
    pub fn start() -> NotificationServer {
        let mut daemon = Guarded::spawn(
            Command::new("dbus-daemon")
                .args(["--session", "--nofork", "--print-address=1"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        )
        .expect("dbus-daemon runs (Debian's dbus)");
        let mut address = String::new();
        BufReader::new(daemon.take_stdout().unwrap())
            .read_line(&mut address)
            .unwrap();
        let bus = address.trim().to_owned();
        let record = temp_dir("notifications").join("shown.jsonl");
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/notification_server.py"
        );
        let mut server = Guarded::spawn(
            Command::new("/usr/bin/python3")
                .arg(script)
                .arg(&record)
                .env("DBUS_SESSION_BUS_ADDRESS", &bus)
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        )
        .expect("the notification server runs (python3-dbus, python3-gi)");
        let mut ready = String::new();
        BufReader::new(server.take_stdout().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(
            ready.trim(),
            "ready",
            "the notification server owns its name"
        );
        NotificationServer {
            bus,
            record,
            _server: server,
            _daemon: daemon,
        }
    }

    /// What the app has shown so far.
    pub fn shown(&self) -> Vec<Shown> {
        std::fs::read_to_string(&self.record)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    /// The first notification `wanted` accepts, waiting up to 15 s.
    pub async fn wait_for(&self, wanted: impl Fn(&Shown) -> bool) -> Shown {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(found) = self.shown().into_iter().find(|s| wanted(s)) {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "not shown; shown: {:?}",
                self.shown()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A click on the notification, as the desktop reports it (ActionInvoked "default").
    pub fn click(&self, id: u32) {
        let status = Command::new("dbus-send")
            .args([
                "--session",
                "--dest=org.freedesktop.Notifications",
                "--type=method_call",
                "/org/freedesktop/Notifications",
                "org.careplan.TestControl.Click",
                &format!("uint32:{id}"),
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .status()
            .unwrap();
        assert!(status.success());
    }
}
