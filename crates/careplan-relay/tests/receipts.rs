//! 受領証: issued when the receiver's acknowledgement wins, once per file whatever the concurrency,
//! readable by the two offices only, and verifiable offline with the relay's published key.

mod common;

use careplan_api::{AckRequest, AckResponse, MessagePage, SignedReceipt};
use careplan_receipts::{matches_content, ReceiptError, ReceiptKey, ReceiptSigner};
use common::*;
use reqwest::{Client, StatusCode};

async fn get(relay: &TestRelay, client: &Client, token: &str, path: &str) -> reqwest::Response {
    client
        .get(relay.api_url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn inbox(relay: &TestRelay, client: &Client, token: &str) -> MessagePage {
    ok_json(get(relay, client, token, "/v1/inbox").await)
        .await
        .unwrap()
}

async fn receipt(
    relay: &TestRelay,
    client: &Client,
    token: &str,
    id: &str,
) -> Result<SignedReceipt, (StatusCode, careplan_api::ApiError)> {
    ok_json(get(relay, client, token, &format!("/v1/files/{id}/receipt")).await).await
}

/// The relay's public key as it serves it (no login needed).
async fn served_key(relay: &TestRelay) -> ReceiptKey {
    let response = relay
        .https(CARE_MANAGER)
        .get(relay.api_url("/v1/receipt-key"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    ReceiptKey::from_pem(&response.text().await.unwrap()).unwrap()
}

#[tokio::test]
async fn a_file_taken_gets_one_receipt_that_both_offices_read_and_anyone_verifies_offline() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let (c, c_token) = relay.https_login(DAY_SERVICE).await;
    let files = fixture_files("valid/v41-use-sheet");
    let sent = a
        .post(relay.api_url("/v1/messages"))
        .bearer_auth(&a_token)
        .multipart(send_form(HOME_HELP.number, "4月分です", &files))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::CREATED);
    let message = inbox(&relay, &b, &b_token).await.items.remove(0);
    let file = message.files[1].clone();

    // Not yet taken: no receipt, for anyone.
    for (client, token) in [(&a, &a_token), (&b, &b_token)] {
        let (status, error) = receipt(&relay, client, token, &file.id).await.unwrap_err();
        assert_eq!(
            (status, error.code.as_str()),
            (StatusCode::NOT_FOUND, "receipt.not_issued")
        );
        assert!(
            error.message.contains("まだデータ取得していない"),
            "{}",
            error.message
        );
    }

    let done: AckResponse = ok_json(ack(&relay, &b, &b_token, &file.id, &file.sha256).await)
        .await
        .unwrap();
    let from_sender = receipt(&relay, &a, &a_token, &file.id).await.unwrap();
    let from_receiver = receipt(&relay, &b, &b_token, &file.id).await.unwrap();
    assert_eq!(from_sender, from_receiver);
    let r = &from_sender.receipt;
    assert_eq!(r.format, "careplan-receipt/1");
    assert_eq!(
        (r.file_id.as_str(), r.message_id.as_str()),
        (file.id.as_str(), message.id.as_str())
    );
    assert_eq!(
        (r.sender.number.as_str(), r.sender.name.as_str()),
        (CARE_MANAGER.number, CARE_MANAGER.name)
    );
    assert_eq!(
        (r.receiver.number.as_str(), r.receiver.name.as_str()),
        (HOME_HELP.number, HOME_HELP.name)
    );
    assert_eq!(
        (r.file_name.as_str(), r.size, r.sha256.as_str()),
        (file.name.as_str(), file.size, file.sha256.as_str())
    );
    assert_eq!(r.sent_at, message.sent_at);
    assert_eq!(r.fetched_at, done.fetched_at);

    // Offline: the key the relay serves and the one in its data folder are the same, and the
    // receipt holds under it, for the very bytes that were sent.
    let key = served_key(&relay).await;
    let published = std::fs::read_to_string(relay.dir.join("pki/receipt.pub")).unwrap();
    assert_eq!(ReceiptKey::from_pem(&published).unwrap(), key);
    assert_eq!(key.verify(&from_sender), Ok(()));
    let bytes = &files.iter().find(|(name, _)| *name == file.name).unwrap().1;
    assert_eq!(matches_content(&from_sender, bytes), Ok(()));
    // Another relay's key does not vouch for it, and a changed field breaks it.
    let other = ReceiptSigner::from_seed([9; 32]).public_key();
    assert!(matches!(
        other.verify(&from_sender),
        Err(ReceiptError::OtherKey { .. })
    ));
    let mut tampered = from_sender.clone();
    tampered.receipt.fetched_at = message.sent_at.clone();
    assert_eq!(key.verify(&tampered), Err(ReceiptError::BadSignature));

    // A third office gets nothing, even with the id; an unknown id neither.
    for id in [file.id.as_str(), "0123456789abcdef0123456789abcdef"] {
        let (status, _) = receipt(&relay, &c, &c_token, id).await.unwrap_err();
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    // The other files of the message, not taken, still have none.
    let (status, _) = receipt(&relay, &a, &a_token, &message.files[0].id)
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sixteen_concurrent_acks_issue_exactly_one_receipt() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let files = vec![(
        "連絡.txt".to_owned(),
        "確認をお願いします".as_bytes().to_vec(),
    )];
    a.post(relay.api_url("/v1/messages"))
        .bearer_auth(&a_token)
        .multipart(send_form(HOME_HELP.number, "", &files))
        .send()
        .await
        .unwrap();
    let file = inbox(&relay, &b, &b_token).await.items[0].files[0].clone();
    let acks = (0..16).map(|_| {
        let (relay_url, b, token, sha) = (
            relay.api_url(&format!("/v1/files/{}/ack", file.id)),
            b.clone(),
            b_token.clone(),
            file.sha256.clone(),
        );
        tokio::spawn(async move {
            let response = b
                .post(relay_url)
                .bearer_auth(token)
                .json(&AckRequest { sha256: sha })
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body: Option<AckResponse> = response.json().await.ok();
            (status, body.map(|b| b.fetched_at))
        })
    });
    let answers: Vec<(StatusCode, Option<String>)> = futures::future::join_all(acks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let won: Vec<&String> = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .filter_map(|(_, at)| at.as_ref())
        .collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|(s, _)| *s == StatusCode::OK || *s == StatusCode::GONE),
        "{answers:?}"
    );
    let signed = receipt(&relay, &a, &a_token, &file.id).await.unwrap();
    assert_eq!(
        &signed.receipt.fetched_at, won[0],
        "the receipt is the winner's"
    );
    assert_eq!(served_key(&relay).await.verify(&signed), Ok(()));
}

#[tokio::test]
async fn the_receipt_key_survives_a_restart_and_a_data_folder_from_before_receipts_gets_one() {
    let relay = TestRelay::start().await;
    let before = served_key(&relay).await;
    let data = relay.shut_down().await;
    let open = || careplan_relay::Relay::open(careplan_relay::RelayConfig::new(&data));
    let reopened = open().await.unwrap();
    assert_eq!(
        reopened.state.receipts.public_key(),
        before,
        "receipts issued before still verify"
    );
    reopened.state.store.close().await;

    // A folder made before 受領証 existed: the key is made at the next start, and published.
    std::fs::remove_file(data.join("pki/receipt.key")).unwrap();
    std::fs::remove_file(data.join("pki/receipt.pub")).unwrap();
    let upgraded = open().await.unwrap();
    let key = upgraded.state.receipts.public_key();
    assert_ne!(key, before);
    let published = std::fs::read_to_string(data.join("pki/receipt.pub")).unwrap();
    assert_eq!(ReceiptKey::from_pem(&published).unwrap(), key);
}
