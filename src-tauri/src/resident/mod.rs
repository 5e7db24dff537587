//! The resident app: while an office is logged in, its change feed (受信通知) runs in the
//! background. Each update goes to the screens (the `feed` event: the 受信一覧 badge and list update
//! without a click), to the notification area's icon, to an OS notification when data arrives
//! (unless the office turned that off or it is the quiet hours), and to 自動取得 when the office
//! chose a folder for it.

pub mod auto;
pub mod notices;
pub mod settings;

use std::collections::HashSet;

use careplan_api::{FeedArrival, FeedEvent, FeedTaken};
use careplan_client::{FeedPolicy, FeedUpdate, FeedWatcher, RelayClient};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::mpsc;
use ts_rs::TS;

use crate::state::AppState;

/// The event the screens listen to.
pub const FEED_EVENT: &str = "feed";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FeedStatus {
    /// Opening the feed.
    Connecting,
    /// Arrivals are told within a second.
    Connected,
    /// The feed is held back on the way (a proxy): the relay is asked every 5 minutes.
    Polling,
    /// The relay cannot be reached; the app tries again by itself.
    Unreachable,
    /// The login ended: ログインが必要です.
    LoginRequired,
}

/// What the screens and the tray are told of the office's feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FeedView {
    pub status: FeedStatus,
    /// Files received and not yet taken (未), once known.
    #[ts(type = "number | null")]
    pub unfetched_files: Option<u64>,
    /// Messages that arrived with this update.
    pub arrived: Vec<FeedArrival>,
    /// Files this office sent that partners took with this update.
    pub taken: Vec<FeedTaken>,
    /// Why the relay cannot be reached, in Japanese.
    pub problem: Option<String>,
}

impl FeedView {
    pub fn connecting() -> FeedView {
        FeedView {
            status: FeedStatus::Connecting,
            unfetched_files: None,
            arrived: Vec::new(),
            taken: Vec::new(),
            problem: None,
        }
    }
}

/// Turns the watcher's updates into views: which arrivals are new (a state after a reconnection
/// repeats the messages already told), and the last count and status.
#[derive(Default)]
struct Tracker {
    /// Messages told so far; `None` until the first state, whose messages were there at login
    /// (受信一覧 shows them) and are not news.
    seen: Option<HashSet<String>>,
    unfetched: Option<u64>,
}

impl Tracker {
    fn view_of(&mut self, update: FeedUpdate) -> FeedView {
        let mut view = FeedView {
            status: FeedStatus::Connected,
            unfetched_files: self.unfetched,
            arrived: Vec::new(),
            taken: Vec::new(),
            problem: None,
        };
        match update {
            FeedUpdate::Connected => {}
            FeedUpdate::Polling { .. } => view.status = FeedStatus::Polling,
            FeedUpdate::Unreachable { message, .. } => {
                view.status = FeedStatus::Unreachable;
                view.problem = Some(message);
            }
            FeedUpdate::LoginRequired | FeedUpdate::Event(FeedEvent::Expired) => {
                view.status = FeedStatus::LoginRequired;
            }
            FeedUpdate::Event(FeedEvent::State(state)) => {
                let waiting: HashSet<String> =
                    state.waiting.iter().map(|a| a.message_id.clone()).collect();
                if let Some(seen) = &self.seen {
                    view.arrived = state
                        .waiting
                        .into_iter()
                        .filter(|a| !seen.contains(&a.message_id))
                        .collect();
                }
                self.seen = Some(waiting);
                view.unfetched_files = Some(state.unfetched_files);
                view.taken = state.taken;
            }
            FeedUpdate::Event(FeedEvent::Arrived {
                arrival,
                unfetched_files,
            }) => {
                let seen = self.seen.get_or_insert_with(HashSet::new);
                if seen.insert(arrival.message_id.clone()) {
                    view.arrived.push(arrival);
                }
                view.unfetched_files = Some(unfetched_files);
            }
            FeedUpdate::Event(FeedEvent::Fetched { unfetched_files }) => {
                view.unfetched_files = Some(unfetched_files);
            }
            FeedUpdate::Event(FeedEvent::Taken { taken }) => view.taken = taken,
        }
        self.unfetched = view.unfetched_files;
        view
    }
}

/// Work a session runs in the background (its feed, practice's arrival), stopped when dropped:
/// at the logout, another login, entering or leaving practice.
pub struct SessionTask(tauri::async_runtime::JoinHandle<()>);

impl SessionTask {
    pub fn new(task: tauri::async_runtime::JoinHandle<()>) -> SessionTask {
        SessionTask(task)
    }
}

impl Drop for SessionTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The feed of a logged-in office.
pub type ResidentFeed = SessionTask;

/// Starts the office's feed with its feed token, and 自動取得 beside it, for the session of
/// `generation`.
pub fn start<R: Runtime>(
    app: &AppHandle<R>,
    client: RelayClient,
    token: String,
    generation: u64,
) -> ResidentFeed {
    let app = app.clone();
    let task = tauri::async_runtime::spawn(async move {
        publish(&app, generation, FeedView::connecting());
        let (kick, kicks) = mpsc::unbounded_channel();
        let fetcher = auto::run(app.clone(), client.clone(), kicks);
        let mut tracker = Tracker::default();
        let watcher = FeedWatcher::new(client, token, FeedPolicy::default()).run(|update| {
            // What the relay said (not the connection's ups and downs) is worth a pass of 自動取得,
            // when something waits; an arrival even cuts a pause after a failed pass short.
            let said = matches!(
                update,
                FeedUpdate::Event(
                    FeedEvent::State(_) | FeedEvent::Arrived { .. } | FeedEvent::Fetched { .. }
                )
            );
            let view = tracker.view_of(update);
            if !view.arrived.is_empty() {
                let _ = kick.send(auto::Kick::Arrival);
            } else if said && view.unfetched_files.is_some_and(|n| n > 0) {
                let _ = kick.send(auto::Kick::Waiting);
            }
            publish(&app, generation, view);
        });
        // The watcher ends when the login does; 自動取得 ends with it.
        tokio::select! {
            _ = watcher => {}
            _ = fetcher => {}
        }
    });
    SessionTask::new(task)
}

/// Tells the screens and (for news) the OS, while the feed's session is the one logged in.
fn publish<R: Runtime>(app: &AppHandle<R>, generation: u64, view: FeedView) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    if !state.set_feed_view(view.clone(), generation) {
        return;
    }
    notices::tell(app, &state.settings().resident, &view);
    if let Err(e) = app.emit(FEED_EVENT, &view) {
        tracing::warn!(error = %e, "the feed's update did not reach the window");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use careplan_api::FeedState;

    fn arrival(id: &str) -> FeedArrival {
        FeedArrival {
            message_id: id.into(),
            sender_office: "1370000018".into(),
            sender_name: "ひまわり居宅".into(),
            files: 3,
            sent_at: "2026-04-01T09:00:00+09:00".into(),
        }
    }

    fn state(ids: &[&str]) -> FeedUpdate {
        FeedUpdate::Event(FeedEvent::State(FeedState {
            unfetched_files: ids.len() as u64 * 3,
            waiting: ids.iter().map(|id| arrival(id)).collect(),
            taken: Vec::new(),
            expires_at: String::new(),
            event_id: "1".into(),
        }))
    }

    #[test]
    fn what_was_there_at_login_is_not_news_and_a_reconnection_tells_only_what_is_new() {
        let mut tracker = Tracker::default();
        let first = tracker.view_of(state(&["m1", "m2"]));
        assert!(first.arrived.is_empty());
        assert_eq!(first.unfetched_files, Some(6));
        let live = tracker.view_of(FeedUpdate::Event(FeedEvent::Arrived {
            arrival: arrival("m3"),
            unfetched_files: 9,
        }));
        assert_eq!(live.arrived, [arrival("m3")]);
        // The relay restarted; its state repeats m1..m3 and has m4, which came meanwhile.
        let unreachable = tracker.view_of(FeedUpdate::Unreachable {
            message: "連携基盤に接続できません。".into(),
            retry_in: std::time::Duration::from_secs(1),
        });
        assert_eq!(unreachable.status, FeedStatus::Unreachable);
        assert_eq!(unreachable.unfetched_files, Some(9), "the last count stays");
        let again = tracker.view_of(state(&["m1", "m2", "m3", "m4"]));
        assert_eq!(again.arrived, [arrival("m4")]);
        // An arrival told twice (the live event and a state) is told once.
        let twice = tracker.view_of(FeedUpdate::Event(FeedEvent::Arrived {
            arrival: arrival("m4"),
            unfetched_files: 12,
        }));
        assert!(twice.arrived.is_empty());
        assert_eq!(
            tracker.view_of(FeedUpdate::LoginRequired).status,
            FeedStatus::LoginRequired
        );
    }
}
