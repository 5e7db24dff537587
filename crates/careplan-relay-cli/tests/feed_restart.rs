//! 受信通知 across a relay restart: the relay binary is killed with -9 under an open feed and started
//! again on the same port; the client's watcher says the relay cannot be reached, reconnects by
//! itself, and hears the next arrival.

use std::path::Path;
use std::time::Duration;

use careplan_api::FeedEvent;
use careplan_client::{
    no_progress, ClientIdentity, FeedPolicy, FeedUpdate, FeedWatcher, LocalFile, RelayAddress,
    RelayClient,
};
use careplan_relay::demo::DemoInfo;
use careplan_test_support::fixtures::fixture_files;
use careplan_test_support::relay_process::RelayProcess;
use careplan_test_support::{temp_dir, TestRelay, CARE_MANAGER, HOME_HELP};
use tokio::sync::mpsc;

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_careplan-relay"))
}

async fn logged_in(info: &DemoInfo, port: u16, number: &str) -> RelayClient {
    let office = info.offices.iter().find(|o| o.number == number).unwrap();
    let address = RelayAddress {
        url: format!("https://localhost:{port}"),
        ca_pem: std::fs::read(&info.ca_certificate).unwrap(),
    };
    let client = RelayClient::new(
        &address,
        ClientIdentity::load(&office.certificate, None).unwrap(),
    )
    .unwrap();
    client
        .login(&careplan_client::LoginCredentials {
            personal_id: office.personal_user_id.clone(),
            personal_password: office.personal_password.clone(),
            office_user_id: office.office_user_id.clone(),
            office_password: office.office_password.clone(),
            terminal_name: "受付PC".into(),
        })
        .await
        .unwrap();
    client
}

/// The next update the watcher gave that `wanted` accepts, within `within`.
async fn until(
    updates: &mut mpsc::UnboundedReceiver<FeedUpdate>,
    within: Duration,
    wanted: impl Fn(&FeedUpdate) -> bool,
) -> FeedUpdate {
    tokio::time::timeout(within, async {
        loop {
            let update = updates.recv().await.expect("the watcher runs");
            if wanted(&update) {
                return update;
            }
        }
    })
    .await
    .expect("the update came in time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watcher_reconnects_by_itself_after_the_relay_is_killed_and_started_again() {
    let seeded = TestRelay::builder()
        .in_dir(temp_dir("feed-restart"))
        .local_storage()
        .offices(&[CARE_MANAGER, HOME_HELP])
        .start()
        .await;
    let info = seeded.info.clone();
    let dir = seeded.shut_down().await;
    let env = [("CAREPLAN_RATE_PER_MINUTE", "0")];
    let mut relay = RelayProcess::serve(binary(), &dir, &env);
    let port = relay.port;

    let receiver = logged_in(&info, port, HOME_HELP.number).await;
    let token = receiver.feed_token().await.unwrap().token;
    let policy = FeedPolicy {
        retry_base: Duration::from_millis(200),
        retry_cap: Duration::from_secs(1),
        ..FeedPolicy::default()
    };
    let (tx, mut updates) = mpsc::unbounded_channel();
    let watcher = tokio::spawn(FeedWatcher::new(receiver, token, policy).run(move |u| {
        let _ = tx.send(u);
    }));
    until(&mut updates, Duration::from_secs(5), |u| {
        *u == FeedUpdate::Connected
    })
    .await;

    relay.kill();
    let FeedUpdate::Unreachable { message, .. } =
        until(&mut updates, Duration::from_secs(5), |u| {
            matches!(u, FeedUpdate::Unreachable { .. })
        })
        .await
    else {
        unreachable!()
    };
    assert!(message.contains("受信通知の接続が切れました"), "{message}");
    // While it is down, the tries fail and say so.
    let FeedUpdate::Unreachable { message, retry_in } =
        until(&mut updates, Duration::from_secs(5), |u| {
            matches!(u, FeedUpdate::Unreachable { .. })
        })
        .await
    else {
        unreachable!()
    };
    assert!(message.contains("連携基盤に接続できません"), "{message}");
    assert!(retry_in <= Duration::from_secs(1), "{retry_in:?}");

    // Started again on the same data and port: the session and the feed token are in its database.
    let _relay = RelayProcess::serve_on(binary(), &dir, &env, port);
    until(&mut updates, Duration::from_secs(10), |u| {
        *u == FeedUpdate::Connected
    })
    .await;

    let sender = logged_in(&info, port, CARE_MANAGER.number).await;
    let files: Vec<LocalFile> = fixture_files("valid/v41-use-sheet")
        .into_iter()
        .map(|(name, bytes)| LocalFile {
            name,
            bytes: bytes.into(),
        })
        .collect();
    let sent = sender
        .send(HOME_HELP.number, "", &files, no_progress())
        .await
        .unwrap();
    let FeedUpdate::Event(FeedEvent::Arrived { arrival, .. }) =
        until(&mut updates, Duration::from_secs(5), |u| {
            matches!(u, FeedUpdate::Event(FeedEvent::Arrived { .. }))
        })
        .await
    else {
        unreachable!()
    };
    assert_eq!(arrival.message_id, sent.message.id);
    watcher.abort();
}
