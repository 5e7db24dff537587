//! 自動取得 in the app: a pass whenever the feed says something waits, when the office turned it
//! on (設定, per PC). A pass that failed is tried again after a pause that doubles up to 10 minutes,
//! and the screens are told of each pass (the `auto-fetch` event) so the tray and 受信一覧 can say
//! what happened. In 練習モード the practice settings are used, whose 自動取得 is off: a classroom
//! never saves into an office's folder.

use std::path::PathBuf;
use std::time::Duration;

use careplan_client::auto_fetch::{AutoFetchEntry, AutoFetchLog, Outcome};
use careplan_client::RelayClient;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::mpsc;
use ts_rs::TS;

use crate::state::AppState;

pub const AUTO_FETCH_EVENT: &str = "auto-fetch";

/// What a pass did, for the screens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AutoFetchView {
    pub saved: u32,
    /// Taken first by another PC of the office.
    pub taken_elsewhere: u32,
    /// Why the pass stopped, in Japanese; the files it left wait for the next pass.
    pub failure: Option<String>,
    pub left_waiting: u32,
    /// When the next try is, in seconds, after a failure.
    pub retry_in_seconds: Option<u32>,
}

const FIRST_RETRY: Duration = Duration::from_secs(30);
const LAST_RETRY: Duration = Duration::from_secs(600);

/// Where the log of 自動取得 is: with the copies of what was sent (practice's own folder while
/// practising).
pub fn log_path(state: &AppState) -> PathBuf {
    state.office_data_dir().join("auto-fetch.jsonl")
}

/// Why the feed asks for a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kick {
    /// Something arrived: worth a pass even during a pause after a failed one.
    Arrival,
    /// Files wait (a state, a count): a pass, unless a failed one is waiting out its pause.
    Waiting,
}

/// Runs until `kicks` closes (the feed stopped).
pub async fn run<R: Runtime>(
    app: AppHandle<R>,
    client: RelayClient,
    mut kicks: mpsc::UnboundedReceiver<Kick>,
) {
    let mut retry: Option<Duration> = None;
    loop {
        match retry {
            Some(pause) => {
                let until = tokio::time::Instant::now() + pause;
                loop {
                    tokio::select! {
                        kick = kicks.recv() => match kick {
                            None => return,
                            Some(Kick::Arrival) => break,
                            Some(Kick::Waiting) => continue,
                        },
                        _ = tokio::time::sleep_until(until) => break,
                    }
                }
            }
            None => {
                if kicks.recv().await.is_none() {
                    return;
                }
            }
        }
        // Several updates at once make one pass.
        while kicks.try_recv().is_ok() {}
        let Some(state) = app.try_state::<AppState>() else {
            return;
        };
        let resident = state.settings().resident;
        let Some(folder) = resident.auto_fetch_folder.map(PathBuf::from) else {
            retry = None;
            continue;
        };
        let log = AutoFetchLog::at(log_path(&state));
        let view = match client
            .auto_fetch(&folder, resident.auto_fetch_subfolders.into(), Some(&log))
            .await
        {
            Ok(pass) => {
                if let Some(e) = &pass.log_failure {
                    tracing::warn!(code = e.code(), "自動取得の記録を保存できません");
                }
                let failure = pass
                    .entries
                    .iter()
                    .find(|e| e.outcome == Outcome::Failed)
                    .and_then(|e| e.reason.clone());
                retry = failure.as_ref().map(|_| next_pause(retry));
                summary(&pass.entries, failure, pass.left_waiting, retry)
            }
            Err(e) => {
                retry = Some(next_pause(retry));
                summary(&[], Some(e.to_string()), 0, retry)
            }
        };
        if view.saved > 0 || view.failure.is_some() {
            tracing::info!(
                saved = view.saved,
                failed = view.failure.is_some(),
                "自動取得"
            );
        }
        if let Err(e) = app.emit(AUTO_FETCH_EVENT, &view) {
            tracing::warn!(error = %e, "the pass's result did not reach the window");
        }
    }
}

fn next_pause(previous: Option<Duration>) -> Duration {
    previous.map_or(FIRST_RETRY, |p| (p * 2).min(LAST_RETRY))
}

fn summary(
    entries: &[AutoFetchEntry],
    failure: Option<String>,
    left_waiting: usize,
    retry: Option<Duration>,
) -> AutoFetchView {
    let count = |outcome: Outcome| entries.iter().filter(|e| e.outcome == outcome).count() as u32;
    AutoFetchView {
        saved: count(Outcome::Saved) + count(Outcome::AlreadyThere),
        taken_elsewhere: count(Outcome::TakenElsewhere),
        failure,
        left_waiting: left_waiting as u32,
        retry_in_seconds: retry.map(|d| d.as_secs() as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_pass_is_tried_again_after_a_pause_that_doubles_up_to_ten_minutes() {
        let mut pause = None;
        let mut pauses = Vec::new();
        for _ in 0..7 {
            pause = Some(next_pause(pause));
            pauses.push(pause.unwrap().as_secs());
        }
        assert_eq!(pauses, [30, 60, 120, 240, 480, 600, 600]);
    }
}
