//! 受信通知: the hub that tells each office's open feeds (`GET /v1/events`) what happened to it.
//!
//! One `tokio::sync::broadcast` channel per office that has a feed open, made at the first
//! subscription and dropped with the last, so an idle office with no feed costs nothing and an idle
//! feed costs one parked task. Sends and acks announce here after their transaction committed, and
//! only when the office is watched: a relay with no feed open does no extra read.
//!
//! Each relay process has its own hub. A send stored by another process (several relays on one
//! database) reaches this process's feeds through their periodic check of the office's inbox
//! counter ([`crate::Limits::feed_recheck`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use careplan_api::{FeedArrival, FeedTaken};
use tokio::sync::broadcast;

use crate::access::OfficeScope;
use crate::clock::rfc3339;
use crate::error::RelayError;
use crate::store::{MessageRow, WaitingRow};
use crate::AppState;

/// What happened to an office, for its feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A message arrived for it.
    Arrived(FeedArrival),
    /// It took a file (the badge changes).
    Fetched,
    /// A partner took files it sent.
    Taken(Vec<FeedTaken>),
}

/// Events a feed may fall behind by before it is sent the office's whole state instead.
const BACKLOG: usize = 32;

#[derive(Default)]
pub struct FeedHub {
    offices: Mutex<HashMap<String, broadcast::Sender<Notice>>>,
}

/// One feed's subscription; its office's channel goes when the last one is dropped.
pub struct Subscription {
    hub: Arc<FeedHub>,
    office: String,
    receiver: broadcast::Receiver<Notice>,
}

impl Subscription {
    pub async fn recv(&mut self) -> Result<Notice, broadcast::error::RecvError> {
        self.receiver.recv().await
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut offices = self.hub.offices.lock().expect("feed hub");
        // This subscription's receiver is still counted here.
        if offices
            .get(&self.office)
            .is_some_and(|sender| sender.receiver_count() <= 1)
        {
            offices.remove(&self.office);
        }
    }
}

impl FeedHub {
    pub fn subscribe(self: &Arc<Self>, office: &str) -> Subscription {
        let mut offices = self.offices.lock().expect("feed hub");
        let receiver = offices
            .entry(office.to_owned())
            .or_insert_with(|| broadcast::channel(BACKLOG).0)
            .subscribe();
        Subscription {
            hub: Arc::clone(self),
            office: office.to_owned(),
            receiver,
        }
    }

    /// Whether any feed of the office is open here.
    pub fn is_watched(&self, office: &str) -> bool {
        self.offices.lock().expect("feed hub").contains_key(office)
    }

    /// Offices with a feed open here (for the benchmark and the log).
    pub fn watched_offices(&self) -> usize {
        self.offices.lock().expect("feed hub").len()
    }

    fn publish(&self, office: &str, notice: Notice) {
        if let Some(sender) = self.offices.lock().expect("feed hub").get(office) {
            // No receiver left between the check and now: nobody to tell.
            let _ = sender.send(notice);
        }
    }
}

/// The arrival as the feed tells it.
pub fn arrival(row: WaitingRow) -> FeedArrival {
    FeedArrival {
        message_id: row.message_id,
        sender_office: row.sender_office,
        sender_name: row.sender_name,
        files: u32::try_from(row.files).unwrap_or(u32::MAX),
        sent_at: rfc3339(row.sent_at),
    }
}

/// Tells the receiver's feeds that `message` (just committed) arrived.
pub async fn announce_arrival(state: &AppState, message: &MessageRow, files: usize) {
    if !state.feeds.is_watched(&message.receiver_office) {
        return;
    }
    let sender_name = match state.store.offices().get(&message.sender_office).await {
        Ok(Some(office)) => office.name,
        Ok(None) => String::new(),
        Err(e) => {
            // The send is stored; the feed's next check of the office's state finds it.
            tracing::warn!(error = %e, "could not announce an arrival");
            return;
        }
    };
    state.feeds.publish(
        &message.receiver_office,
        Notice::Arrived(FeedArrival {
            message_id: message.id.clone(),
            sender_office: message.sender_office.clone(),
            sender_name,
            files: u32::try_from(files).unwrap_or(u32::MAX),
            sent_at: rfc3339(message.sent_at),
        }),
    );
}

/// Tells the receiver's feeds that it took a file, and the sender's that its file was taken.
pub async fn announce_taken(
    state: &AppState,
    receiver: &OfficeScope,
    message: &MessageRow,
    file_id: &str,
    fetched_at: i64,
) {
    state.feeds.publish(receiver.number(), Notice::Fetched);
    if !state.feeds.is_watched(&message.sender_office) {
        return;
    }
    let receiver_name = match receiver_name(state, receiver).await {
        Ok(name) => name,
        Err(e) => {
            tracing::warn!(error = %e, "could not announce a taken file");
            return;
        }
    };
    state.feeds.publish(
        &message.sender_office,
        Notice::Taken(vec![FeedTaken {
            file_id: file_id.to_owned(),
            message_id: message.id.clone(),
            receiver_office: receiver.number().to_owned(),
            receiver_name,
            fetched_at: rfc3339(fetched_at),
        }]),
    );
}

async fn receiver_name(state: &AppState, receiver: &OfficeScope) -> Result<String, RelayError> {
    Ok(state
        .store
        .offices()
        .get(receiver.number())
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_notice_reaches_the_feeds_of_its_office_only() {
        let hub = Arc::new(FeedHub::default());
        let mut ours = hub.subscribe("1370000018");
        let mut theirs = hub.subscribe("1370000026");
        hub.publish("1370000018", Notice::Fetched);
        assert_eq!(ours.recv().await.unwrap(), Notice::Fetched);
        assert!(theirs.receiver.try_recv().is_err());
    }

    #[test]
    fn an_office_is_watched_while_one_of_its_feeds_is_open() {
        let hub = Arc::new(FeedHub::default());
        let first = hub.subscribe("1370000018");
        let second = hub.subscribe("1370000018");
        assert!(hub.is_watched("1370000018"));
        drop(first);
        assert!(hub.is_watched("1370000018"));
        drop(second);
        assert!(!hub.is_watched("1370000018"));
        assert_eq!(hub.watched_offices(), 0);
    }
}
