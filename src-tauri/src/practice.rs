//! 練習モード: a relay inside the app, on 127.0.0.1, seeded with the demo offices, notices and a few
//! received items, with its data in a temporary folder. While it runs, the app's settings are the
//! practice ones, held in memory only: the office's real settings file is never read for a
//! connection or written, so nothing typed in practice can reach a real relay.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use careplan_relay::demo::{LocalDemo, OFFICES};
use careplan_relay::{RelayConfig, RunningRelay};

use crate::error::{CommandError, CommandResult};
use crate::resident::settings::ResidentSettings;
use crate::settings::Settings;
use crate::views::PracticeView;

/// Set when the app was started with `--practice`.
static REQUESTED: AtomicBool = AtomicBool::new(false);

pub fn request_at_start() {
    REQUESTED.store(true, Ordering::Relaxed);
}

pub fn requested_at_start() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// The office the trainee plays: the demo's 居宅介護支援事業所.
const TRAINEE_OFFICE: usize = 0;

pub struct Practice {
    pub view: PracticeView,
    pub settings: Settings,
    /// Practice's relay, for its arrival after the login.
    relay: std::sync::Arc<careplan_relay::Relay>,
    /// Stops serving when dropped, before the folder goes.
    _relay: RunningRelay,
    /// Held while this app uses the folder; released before the folder is deleted.
    _in_use: std::fs::File,
    /// Deleted when practice mode ends or is reset.
    data: tempfile::TempDir,
}

const FOLDER_PREFIX: &str = "careplan-practice-";
const IN_USE: &str = "in-use.lock";

/// Deletes the practice folders of apps that ended without leaving practice (closed by the system,
/// crashed, killed): their lock is free. Folders of a running practice stay.
fn sweep_abandoned_folders() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with(FOLDER_PREFIX)
        {
            continue;
        }
        let Ok(lock) = std::fs::File::open(entry.path().join(IN_USE)) else {
            continue;
        };
        if lock.try_lock().is_ok() {
            drop(lock);
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// How long after the trainee's login practice's partner sends something, so that 受信通知 shows
/// while the class watches (`CAREPLAN_PRACTICE_ARRIVAL_SECONDS` changes it).
fn arrival_after() -> std::time::Duration {
    let seconds = std::env::var("CAREPLAN_PRACTICE_ARRIVAL_SECONDS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(20);
    std::time::Duration::from_secs(seconds)
}

impl Practice {
    /// After a trainee's login: a partner's send some seconds later, once per login (a failure only
    /// goes to the log: practice goes on without it).
    pub fn arrival_after_login(&self) -> tauri::async_runtime::JoinHandle<()> {
        let relay = self.relay.clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(arrival_after()).await;
            if let Err(e) = relay.deliver_practice_arrival().await {
                tracing::warn!(error = %e, "practice's arrival was not sent");
            }
        })
    }

    /// Practice's own folder, deleted with it.
    pub fn data_dir(&self) -> &std::path::Path {
        self.data.path()
    }

    /// Seeds a fresh relay in a new temporary folder and serves it on a free local port.
    pub async fn start() -> CommandResult<Practice> {
        sweep_abandoned_folders();
        let data = tempfile::Builder::new()
            .prefix(FOLDER_PREFIX)
            .tempdir()
            .map_err(failed)?;
        let in_use = std::fs::File::create(data.path().join(IN_USE)).map_err(failed)?;
        in_use.try_lock().map_err(failed)?;
        let relay_dir = data.path().join("relay");
        let demo = LocalDemo::start(RelayConfig::new(&relay_dir), &["127.0.0.1"], OFFICES, true)
            .await
            .map_err(failed)?;
        let relay_url = demo.url();
        let LocalDemo {
            info,
            running,
            relay,
        } = demo;

        let sample_folder = data.path().join("サンプルファイル");
        let received_folder = data.path().join("受信したファイル");
        let mut sample_files = Vec::new();
        for folder in [&sample_folder, &received_folder] {
            std::fs::create_dir_all(folder).map_err(failed)?;
        }
        for (name, bytes) in careplan_relay::demo::practice_samples() {
            let path = sample_folder.join(name);
            std::fs::write(&path, bytes).map_err(failed)?;
            sample_files.push(display(&path));
        }

        let office = &info.offices[TRAINEE_OFFICE];
        let settings = Settings {
            relay_url,
            ca_certificate: Some(display(&info.ca_certificate)),
            certificate: Some(display(&office.certificate)),
            terminal_name: "練習用PC".to_owned(),
            save_folder: Some(display(&received_folder)),
            personal_id: Some(office.personal_user_id.clone()),
            office_user_id: Some(office.office_user_id.clone()),
            // A trainee sees the note about データ取得 every time.
            fetch_explained: false,
            // Practice has no portal (the app offers none while practising).
            portal_address: String::new(),
            // Notifications as an office has them at first, so a trainer can show one; 自動取得 off,
            // so a classroom never saves into a folder of an office.
            resident: ResidentSettings::default(),
        };
        let view = PracticeView {
            office_number: office.number.clone(),
            office_name: office.name.clone(),
            personal_user_id: office.personal_user_id.clone(),
            personal_password: office.personal_password.clone(),
            office_user_id: office.office_user_id.clone(),
            office_password: office.office_password.clone(),
            sample_folder: display(&sample_folder),
            sample_files,
        };
        Ok(Practice {
            view,
            settings,
            relay: std::sync::Arc::new(relay),
            _relay: running,
            _in_use: in_use,
            data,
        })
    }
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn failed(e: impl std::fmt::Display) -> CommandError {
    CommandError::new(
        "practice.start_failed",
        format!(
            "練習モードを開始できませんでした（{e}）。アプリを再起動してもう一度お試しください。"
        ),
    )
}

/// What settings commands answer while practising.
pub fn settings_locked() -> CommandError {
    CommandError::new(
        "practice.settings_locked",
        "練習モード中は設定を変更できません。練習モードを終了してから変更してください。",
    )
}
