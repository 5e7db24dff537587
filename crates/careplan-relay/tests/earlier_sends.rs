//! `POST /v1/outbox/earlier-sends`: which contents an office already sent, byte for byte, to the same
//! destination, found in its own 送信一覧 only.

mod common;

use careplan_api::{ApiError, EarlierSend, SendResponse};
use common::*;
use reqwest::{Client, StatusCode};
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

async fn send(
    relay: &TestRelay,
    client: &Client,
    token: &str,
    to: &str,
    files: &[(String, Vec<u8>)],
) -> SendResponse {
    ok_json(
        client
            .post(relay.api_url("/v1/messages"))
            .bearer_auth(token)
            .multipart(send_form(to, "", files))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap()
}

async fn earlier(
    relay: &TestRelay,
    client: &Client,
    token: &str,
    to: &str,
    digests: &[String],
) -> Result<Vec<EarlierSend>, (StatusCode, ApiError)> {
    ok_json(
        client
            .post(relay.api_url("/v1/outbox/earlier-sends"))
            .bearer_auth(token)
            .json(&serde_json::json!({ "to": to, "sha256": digests }))
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_content_sent_before_to_the_same_office_is_found_with_its_latest_send() {
    let relay = TestRelay::start().await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let unit = fixture_files("valid/v41-use-sheet");
    let digests: Vec<String> = unit.iter().map(|(_, bytes)| sha256(bytes)).collect();
    let never_sent = sha256(b"never sent");

    let nothing = earlier(&relay, &client, &token, HOME_HELP.number, &digests)
        .await
        .unwrap();
    assert!(nothing.is_empty(), "nothing sent yet: {nothing:?}");

    let first = send(&relay, &client, &token, HOME_HELP.number, &unit).await;
    let found = earlier(
        &relay,
        &client,
        &token,
        HOME_HELP.number,
        &[digests[0].clone(), never_sent.clone()],
    )
    .await
    .unwrap();
    assert_eq!(
        found,
        vec![EarlierSend {
            sha256: digests[0].clone(),
            sent_at: first.message.sent_at.clone(),
            message_id: first.message.id.clone(),
        }]
    );

    // Sent again (by mistake or not): the answer names the latest send, once per content; a digest
    // written in capitals is the same digest.
    let second = send(&relay, &client, &token, HOME_HELP.number, &unit).await;
    assert_ne!(second.message.id, first.message.id);
    let found = earlier(
        &relay,
        &client,
        &token,
        HOME_HELP.number,
        &[digests[0].to_ascii_uppercase(), digests[1].clone()],
    )
    .await
    .unwrap();
    assert_eq!(found.len(), 2, "{found:?}");
    for digest in &digests[..2] {
        let latest = found.iter().find(|f| &f.sha256 == digest).unwrap();
        assert_eq!(latest.message_id, second.message.id);
        assert_eq!(latest.sent_at, second.message.sent_at);
    }
}

#[tokio::test]
async fn only_the_offices_own_sends_to_that_destination_count() {
    let relay = TestRelay::start().await;
    let (care_manager, care_token) = relay.https_login(CARE_MANAGER).await;
    let unit = fixture_files("valid/v41-use-sheet");
    let digest = sha256(&unit[0].1);
    send(&relay, &care_manager, &care_token, HOME_HELP.number, &unit).await;

    // Another destination: never sent there.
    let elsewhere = earlier(
        &relay,
        &care_manager,
        &care_token,
        DAY_SERVICE.number,
        std::slice::from_ref(&digest),
    )
    .await
    .unwrap();
    assert!(elsewhere.is_empty(), "{elsewhere:?}");
    // The receiver has the file in its 受信一覧, not in its 送信一覧; and a third office knows nothing
    // of what the 居宅 sent.
    for seed in [HOME_HELP, DAY_SERVICE] {
        let (client, token) = relay.https_login(seed).await;
        for to in [CARE_MANAGER.number, HOME_HELP.number] {
            let found = earlier(&relay, &client, &token, to, std::slice::from_ref(&digest))
                .await
                .unwrap();
            assert!(
                found.is_empty(),
                "{} asking about {to}: {found:?}",
                seed.number
            );
        }
    }
}

#[tokio::test]
async fn digests_are_checked_and_limited_to_one_bulk_sends_files() {
    let relay = TestRelay::start().await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let most = careplan_relay::Limits::default().max_bulk_files;
    let many: Vec<String> = (0..most).map(|i| sha256(&i.to_le_bytes())).collect();
    assert!(earlier(&relay, &client, &token, HOME_HELP.number, &many)
        .await
        .unwrap()
        .is_empty());
    let mut one_more = many.clone();
    one_more.push(sha256(b"one more"));
    let (status, error) = earlier(&relay, &client, &token, HOME_HELP.number, &one_more)
        .await
        .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::BAD_REQUEST, "earlier_sends.too_many")
    );
    assert!(
        error.message.contains(&most.to_string()),
        "{}",
        error.message
    );

    for bad in ["abc", &"g".repeat(64), &format!("{}0", sha256(b"x"))] {
        let (status, error) = earlier(&relay, &client, &token, HOME_HELP.number, &[bad.to_owned()])
            .await
            .unwrap_err();
        assert_eq!(
            (status, error.code.as_str()),
            (StatusCode::BAD_REQUEST, "earlier_sends.bad_digest"),
            "{bad}"
        );
        assert!(error.message.contains("SHA-256"), "{}", error.message);
    }
}

#[tokio::test]
async fn earlier_sends_need_a_login() {
    let relay = TestRelay::start().await;
    let client = relay.https(CARE_MANAGER);
    let (status, error) = ok_json::<Vec<EarlierSend>>(
        client
            .post(relay.api_url("/v1/outbox/earlier-sends"))
            .json(&serde_json::json!({ "to": HOME_HELP.number, "sha256": [] }))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.session_required")
    );
}
