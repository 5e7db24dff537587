//! 受信通知: an office's change feed tells it of arrivals within a second, never another office's,
//! starts with the office's state, tells what was taken while it was closed, and its token reads the
//! feed and nothing else.

mod common;

use std::time::{Duration, Instant};

use careplan_api::{FeedEvent, MessagePage, SendResponse};
use careplan_client::{FeedStream, RelayClient};
use common::*;
use reqwest::{Client, StatusCode};

const SILENCE: Duration = Duration::from_secs(65);

async fn open(client: &RelayClient) -> (FeedStream, careplan_api::FeedState) {
    let token = client.feed_token().await.unwrap();
    let mut feed = client.open_feed(&token.token, None, SILENCE).await.unwrap();
    match next(&mut feed, Duration::from_secs(5)).await {
        Some(FeedEvent::State(state)) => (feed, state),
        other => panic!("a feed starts with the office's state, not {other:?}"),
    }
}

/// The next event within `within`, or none.
async fn next(feed: &mut FeedStream, within: Duration) -> Option<FeedEvent> {
    match tokio::time::timeout(within, feed.next()).await {
        Ok(Some(Ok(event))) => Some(event),
        Ok(Some(Err(e))) => panic!("the feed broke: {e}"),
        Ok(None) | Err(_) => None,
    }
}

async fn send(relay: &TestRelay, client: &Client, token: &str, to: &str) -> SendResponse {
    let files = fixture_files("valid/v41-use-sheet");
    let response = client
        .post(relay.api_url("/v1/messages"))
        .bearer_auth(token)
        .multipart(send_form(to, "4月分です", &files))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn inbox(relay: &TestRelay, client: &Client, token: &str) -> MessagePage {
    ok_json(
        client
            .get(relay.api_url("/v1/inbox"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn an_arrival_reaches_the_receivers_feed_within_a_second_and_no_other_office() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let (receiver, before) = open(&relay.logged_in(HOME_HELP).await).await;
    let mut receiver = receiver;
    assert_eq!(before.unfetched_files, 0);
    assert!(before.waiting.is_empty());
    let (mut sender, _) = open(&relay.logged_in(CARE_MANAGER).await).await;
    let (mut third, _) = open(&relay.logged_in(DAY_SERVICE).await).await;

    let files = fixture_files("valid/v41-use-sheet").len() as u32;
    let started = Instant::now();
    let sent = send(&relay, &a, &a_token, HOME_HELP.number).await;
    let Some(FeedEvent::Arrived {
        arrival,
        unfetched_files,
    }) = next(&mut receiver, Duration::from_secs(1)).await
    else {
        panic!("no arrival within a second of the send");
    };
    let delay = started.elapsed();
    assert!(delay < Duration::from_secs(1), "{delay:?}");
    assert_eq!(arrival.message_id, sent.message.id);
    assert_eq!(arrival.sender_office, CARE_MANAGER.number);
    assert_eq!(arrival.sender_name, relay.office(CARE_MANAGER).name);
    assert_eq!(arrival.files, files);
    assert_eq!(unfetched_files, u64::from(files));

    // Not the sender's feed, not a third office's.
    assert_eq!(next(&mut sender, Duration::from_millis(500)).await, None);
    assert_eq!(next(&mut third, Duration::from_millis(200)).await, None);

    // The receiver takes one file: its badge goes down, and the sender hears whose file was taken.
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let file = inbox(&relay, &b, &b_token).await.items[0].files[0].clone();
    let response = ack(&relay, &b, &b_token, &file.id, &file.sha256).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        next(&mut receiver, Duration::from_secs(1)).await,
        Some(FeedEvent::Fetched {
            unfetched_files: u64::from(files - 1)
        })
    );
    let Some(FeedEvent::Taken { taken }) = next(&mut sender, Duration::from_secs(1)).await else {
        panic!("the sender's feed did not tell that its file was taken");
    };
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].file_id, file.id);
    assert_eq!(taken[0].message_id, sent.message.id);
    assert_eq!(taken[0].receiver_office, HOME_HELP.number);
    assert_eq!(taken[0].receiver_name, relay.office(HOME_HELP).name);
    assert_eq!(next(&mut third, Duration::from_millis(200)).await, None);
}

#[tokio::test]
async fn a_feed_starts_from_the_offices_state_and_a_reconnection_hears_what_was_taken_meanwhile() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let sent = send(&relay, &a, &a_token, HOME_HELP.number).await;
    let (_, state) = open(&relay.logged_in(HOME_HELP).await).await;
    let files = sent.message.files.len() as u64;
    assert_eq!(state.unfetched_files, files);
    assert_eq!(state.waiting.len(), 1);
    assert_eq!(state.waiting[0].message_id, sent.message.id);
    assert_eq!(state.waiting[0].files as u64, files);
    assert!(state.taken.is_empty(), "no Last-Event-ID, no taken files");

    // The sender's feed was open once; it closes, and meanwhile the receiver takes a file.
    let sender = relay.logged_in(CARE_MANAGER).await;
    let token = sender.feed_token().await.unwrap();
    let (closed, first) = open_with(&sender, &token.token, None).await;
    let last_id = closed.last_event_id.clone().expect("events carry ids");
    assert_eq!(first.event_id, last_id);
    drop(closed);
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let file = sent.message.files[1].clone();
    assert_eq!(
        ack(&relay, &b, &b_token, &file.id, &file.sha256)
            .await
            .status(),
        StatusCode::OK
    );
    let (_, again) = open_with(&sender, &token.token, Some(&last_id)).await;
    assert_eq!(again.taken.len(), 1);
    assert_eq!(again.taken[0].file_id, file.id);
    // The same as one answer, for a client that polls.
    let polled = sender
        .feed_state(&token.token, Some(&last_id))
        .await
        .unwrap();
    assert_eq!(polled.taken, again.taken);
    assert_eq!(polled.unfetched_files, 0, "the sender received nothing");
}

async fn open_with(
    client: &RelayClient,
    token: &str,
    last_id: Option<&str>,
) -> (FeedStream, careplan_api::FeedState) {
    let mut feed = client.open_feed(token, last_id, SILENCE).await.unwrap();
    match next(&mut feed, Duration::from_secs(5)).await {
        Some(FeedEvent::State(state)) => (feed, state),
        other => panic!("a feed starts with the office's state, not {other:?}"),
    }
}

#[tokio::test]
async fn a_feed_token_reads_the_feed_and_cannot_list_read_take_or_send() {
    let relay = TestRelay::builder().demo_messages().start().await;
    let client = relay.logged_in(HOME_HELP).await;
    let feed_token = client.feed_token().await.unwrap().token;
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let file = inbox(&relay, &b, &b_token).await.items[0].files[0].clone();
    let http = relay.https(HOME_HELP);
    let refused = [
        http.get(relay.api_url("/v1/inbox")),
        http.get(relay.api_url("/v1/outbox")),
        http.get(relay.api_url("/v1/home")),
        http.get(relay.api_url("/v1/history")),
        http.get(relay.api_url(&format!("/v1/files/{}/content", file.id))),
        http.post(relay.api_url(&format!("/v1/files/{}/ack", file.id)))
            .json(&careplan_api::AckRequest {
                sha256: file.sha256.clone(),
            }),
        http.post(relay.api_url("/v1/messages"))
            .multipart(send_form(
                CARE_MANAGER.number,
                "",
                &fixture_files("valid/v41-use-sheet"),
            )),
        // Nor make itself another token.
        http.post(relay.api_url("/v1/events/token")),
    ];
    for request in refused {
        let response = request.bearer_auth(&feed_token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let error: careplan_api::ApiError = response.json().await.unwrap();
        assert_eq!(error.code, "auth.session_required");
    }
    // The file is still 未: nothing was taken.
    let still = inbox(&relay, &b, &b_token).await.items[0].files[0].clone();
    assert_eq!(still.fetched_at, None);

    // A session token does not open the feed: each door has its own key.
    let response = http
        .get(relay.api_url("/v1/events/state"))
        .bearer_auth(&b_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let error: careplan_api::ApiError = response.json().await.unwrap();
    assert_eq!(error.code, "auth.feed_token_required");
    assert!(error.message.contains("もう一度ログイン"));

    // Another office's certificate cannot use it.
    let response = relay
        .https(CARE_MANAGER)
        .get(relay.api_url("/v1/events/state"))
        .bearer_auth(&feed_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let error: careplan_api::ApiError = response.json().await.unwrap();
    assert_eq!(error.code, "auth.certificate_mismatch");

    // Bad input: no token, a made-up one.
    for header in [None, Some("Bearer 00"), Some("Basic abc")] {
        let mut request = http.get(relay.api_url("/v1/events"));
        if let Some(value) = header {
            request = request.header("authorization", value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{header:?}");
    }
}

#[tokio::test]
async fn logging_out_ends_the_feed_and_its_token() {
    let relay = TestRelay::builder()
        .limits(|l| l.feed_recheck = Duration::from_millis(200))
        .start()
        .await;
    let client = relay.logged_in(HOME_HELP).await;
    let token = client.feed_token().await.unwrap().token;
    let (mut feed, _) = open_with(&client, &token, None).await;
    client.logout().await.unwrap();
    assert_eq!(
        next(&mut feed, Duration::from_secs(2)).await,
        Some(FeedEvent::Expired)
    );
    assert!(next(&mut feed, Duration::from_secs(1)).await.is_none());
    let refused = client.feed_state(&token, None).await.unwrap_err();
    assert!(
        matches!(
            refused,
            careplan_client::ClientError::Refused { status: 401, .. }
        ),
        "{refused:?}"
    );
    assert!(relay.audit_lines("feed_token").await.len() == 1);
}

#[tokio::test]
async fn a_send_stored_by_another_relay_process_reaches_the_feed_through_its_recheck() {
    let relay = TestRelay::builder()
        .limits(|l| l.feed_recheck = Duration::from_millis(300))
        .start()
        .await;
    let (mut feed, _) = open(&relay.logged_in(HOME_HELP).await).await;
    // A second relay on the same database and store, with a hub of its own.
    let other = careplan_relay::Relay::open_beside_serve(relay.relay.config.clone())
        .await
        .unwrap();
    let running = other.serve("127.0.0.1:0").await.unwrap();
    let url = format!("https://localhost:{}", running.addr.port());
    let sender = relay.client_at(CARE_MANAGER, url);
    sender
        .login(&relay.credentials(CARE_MANAGER))
        .await
        .unwrap();
    let files: Vec<careplan_client::LocalFile> = fixture_files("valid/v41-use-sheet")
        .into_iter()
        .map(|(name, bytes)| careplan_client::LocalFile {
            name,
            bytes: bytes.into(),
        })
        .collect();
    let sent = sender
        .send(HOME_HELP.number, "", &files, careplan_client::no_progress())
        .await
        .unwrap();
    let Some(FeedEvent::State(state)) = next(&mut feed, Duration::from_secs(3)).await else {
        panic!("the recheck did not find the other relay's send");
    };
    assert_eq!(state.waiting[0].message_id, sent.message.id);
}

#[tokio::test]
async fn revoking_the_certificate_ends_an_open_feed() {
    use futures::StreamExt;
    let relay = TestRelay::builder()
        .limits(|l| l.feed_recheck = Duration::from_millis(200))
        .start()
        .await;
    let issued = relay
        .relay
        .issue_certificate(
            HOME_HELP.number,
            careplan_relay::pki::CertSubject::KaigoJigyousho,
            30,
            &relay.dir.join("second-pc"),
            PASSWORD,
        )
        .await
        .unwrap();
    let http = relay.endpoint().client_with(Some(&CertFiles {
        cert: issued.certificate.clone(),
        key: issued.private_key.clone(),
    }));
    let session = login_with(
        &relay,
        &http,
        HOME_HELP.personal_user_id,
        HOME_HELP.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap();
    let token: careplan_api::FeedToken = ok_json(
        http.post(relay.api_url("/v1/events/token"))
            .bearer_auth(&session)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let response = http
        .get(relay.api_url("/v1/events"))
        .bearer_auth(&token.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let mut body = response.bytes_stream();
    let first = String::from_utf8(body.next().await.unwrap().unwrap().to_vec()).unwrap();
    assert!(first.starts_with("event: state"), "{first}");

    relay
        .relay
        .revoke_certificate(&issued.issued.serial)
        .await
        .unwrap();
    let mut seen = String::new();
    let ended = tokio::time::timeout(Duration::from_secs(3), async {
        while let Some(chunk) = body.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
        }
    })
    .await;
    assert!(ended.is_ok(), "the feed ended: {seen}");
    assert!(seen.contains("event: expired"), "{seen}");
}
