//! The client's 受信通知 against a real relay: the watcher's fallback to polling the feed's state,
//! and its stop when the login ends. (Reconnection across a relay restart is tested against the
//! relay binary, in careplan-relay-cli/tests/feed_restart.rs.)

mod common;

use std::time::Duration;

use careplan_api::FeedEvent;
use careplan_client::{no_progress, FeedPolicy, FeedUpdate, FeedWatcher, LocalFile};
use common::*;
use tokio::sync::mpsc;

fn watch(
    client: careplan_client::RelayClient,
    token: String,
    policy: FeedPolicy,
) -> (
    tokio::task::JoinHandle<()>,
    mpsc::UnboundedReceiver<FeedUpdate>,
) {
    let (tx, updates) = mpsc::unbounded_channel();
    let run = tokio::spawn(FeedWatcher::new(client, token, policy).run(move |u| {
        let _ = tx.send(u);
    }));
    (run, updates)
}

async fn next_update(updates: &mut mpsc::UnboundedReceiver<FeedUpdate>) -> FeedUpdate {
    tokio::time::timeout(Duration::from_secs(5), updates.recv())
        .await
        .expect("an update in time")
        .expect("the watcher runs")
}

#[tokio::test]
async fn a_feed_that_a_proxy_holds_back_is_replaced_by_polling_its_state_then_tried_again() {
    let relay = TestRelay::start().await;
    let proxy = FaultyProxy::start(relay.port()).await;
    let receiver = relay.client_at(HOME_HELP, proxy.url());
    receiver.login(&relay.credentials(HOME_HELP)).await.unwrap();
    let token = receiver.feed_token().await.unwrap().token;
    // The feed's connection passes nothing back, as behind a proxy that buffers whole answers.
    proxy.hold_next_answer();
    let policy = FeedPolicy {
        first_event_within: Duration::from_millis(500),
        poll_every: Duration::from_millis(300),
        // Longer than this test's polls: the feed is tried again at the end.
        feed_again_after_polls: 8,
        ..FeedPolicy::default()
    };
    let (run, mut updates) = watch(receiver, token, policy);
    assert_eq!(
        next_update(&mut updates).await,
        FeedUpdate::Polling {
            every: Duration::from_millis(300)
        }
    );
    let FeedUpdate::Event(FeedEvent::State(first)) = next_update(&mut updates).await else {
        panic!("polling gives the office's state");
    };
    assert_eq!(first.unfetched_files, 0);

    let sender = relay.logged_in(CARE_MANAGER).await;
    let files = LocalFile::read_all(&fixture_paths("valid/v41-use-sheet")).unwrap();
    let sent = sender
        .send(HOME_HELP.number, "", &files, no_progress())
        .await
        .unwrap();
    loop {
        let FeedUpdate::Event(FeedEvent::State(state)) = next_update(&mut updates).await else {
            panic!("polling gives states only");
        };
        if let Some(arrival) = state.waiting.first() {
            assert_eq!(arrival.message_id, sent.message.id);
            assert_eq!(state.unfetched_files, files.len() as u64);
            break;
        }
    }
    // After its polls the watcher tries the feed again; the proxy passes it now.
    loop {
        match next_update(&mut updates).await {
            FeedUpdate::Connected => break,
            FeedUpdate::Event(FeedEvent::State(_)) => continue,
            other => panic!("polling, then the feed again: {other:?}"),
        }
    }
    run.abort();
}

#[tokio::test]
async fn the_watcher_says_a_login_is_needed_and_stops_when_the_session_ends() {
    let relay = TestRelay::builder()
        .limits(|l| l.feed_recheck = Duration::from_millis(200))
        .start()
        .await;
    let receiver = relay.logged_in(HOME_HELP).await;
    let token = receiver.feed_token().await.unwrap().token;
    let (run, mut updates) = watch(receiver.clone(), token.clone(), FeedPolicy::default());
    assert_eq!(next_update(&mut updates).await, FeedUpdate::Connected);
    assert!(matches!(
        next_update(&mut updates).await,
        FeedUpdate::Event(FeedEvent::State(_))
    ));
    receiver.logout().await.unwrap();
    assert_eq!(
        next_update(&mut updates).await,
        FeedUpdate::Event(FeedEvent::Expired)
    );
    assert_eq!(next_update(&mut updates).await, FeedUpdate::LoginRequired);
    tokio::time::timeout(Duration::from_secs(2), run)
        .await
        .expect("the watcher stopped")
        .unwrap();

    // A watcher started with a dead token stops at once with the same word.
    let (run, mut updates) = watch(receiver, token, FeedPolicy::default());
    assert_eq!(next_update(&mut updates).await, FeedUpdate::LoginRequired);
    run.await.unwrap();
}
