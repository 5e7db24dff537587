//! 受信通知: the change feed of one office (`GET /v1/events`, server-sent events), and the feed token
//! that reads it. Counts and ids only: no file's content or name, no 利用者.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A feed token, from a live session (`POST /v1/events/token`). It reads the feed and its state,
/// nothing else, on the certificate the session was opened with, until the session ends.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct FeedToken {
    pub token: String,
    /// When it stops working: its session's end.
    pub expires_at: String,
}

/// A message that arrived for the office and still waits (some of its files are 未).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct FeedArrival {
    pub message_id: String,
    pub sender_office: String,
    /// The sender's 事業所名, for 「ひまわりヘルパーステーションから 3件のデータが届きました」.
    pub sender_name: String,
    /// Files of the message not yet taken.
    pub files: u32,
    pub sent_at: String,
}

/// A file this office sent that its receiver took (送信一覧's ダウンロード状況 became 済).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct FeedTaken {
    pub file_id: String,
    pub message_id: String,
    pub receiver_office: String,
    pub receiver_name: String,
    pub fetched_at: String,
}

/// The office's state: the first event of every feed connection, and `GET /v1/events/state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct FeedState {
    /// Files received and not yet taken (the tray's badge).
    #[ts(type = "number")]
    pub unfetched_files: u64,
    /// The newest messages that still wait, newest first (at most 100).
    pub waiting: Vec<FeedArrival>,
    /// This office's sent files taken since the `Last-Event-ID` the client gave (none without one),
    /// oldest first (at most 100).
    pub taken: Vec<FeedTaken>,
    /// When the feed token stops working.
    pub expires_at: String,
    /// The relay's time of this state in milliseconds: what to give as `Last-Event-ID` next time.
    pub event_id: String,
}

/// One event of the feed; the SSE `event:` field is its `kind`, its `id:` the relay's time in
/// milliseconds (send it back as `Last-Event-ID` to get the files taken meanwhile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub enum FeedEvent {
    /// The office's state, at the start and whenever the feed may have missed something.
    State(FeedState),
    /// A message arrived.
    Arrived {
        arrival: FeedArrival,
        #[ts(type = "number")]
        unfetched_files: u64,
    },
    /// This office took files (on this PC or another): the badge changes.
    Fetched {
        #[ts(type = "number")]
        unfetched_files: u64,
    },
    /// A partner took files this office sent.
    Taken { taken: Vec<FeedTaken> },
    /// The feed token no longer works (the session ended or was logged out): log in again.
    Expired,
}

impl FeedEvent {
    /// The SSE `event:` name.
    pub fn kind(&self) -> &'static str {
        match self {
            FeedEvent::State(_) => "state",
            FeedEvent::Arrived { .. } => "arrived",
            FeedEvent::Fetched { .. } => "fetched",
            FeedEvent::Taken { .. } => "taken",
            FeedEvent::Expired => "expired",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_names_its_kind_in_its_json_as_in_its_sse_field() {
        let events = [
            FeedEvent::Fetched { unfetched_files: 2 },
            FeedEvent::Taken { taken: Vec::new() },
            FeedEvent::Expired,
        ];
        for event in events {
            let json = serde_json::to_value(&event).unwrap();
            assert_eq!(json["kind"], event.kind());
            let back: FeedEvent = serde_json::from_value(json).unwrap();
            assert_eq!(back, event);
        }
    }
}
