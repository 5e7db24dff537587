//! Offices exchanging files through the relay: send, 受信一覧 / 送信一覧, データ取得 (download + ack,
//! once only), the limits, and isolation between offices.

mod common;

use careplan_api::{AckRequest, AckResponse, FileCategory, MessagePage, MessageUnit, SendResponse};
use common::*;
use reqwest::{Client, StatusCode};
use sha2::{Digest, Sha256};

async fn send(
    relay: &TestRelay,
    client: &Client,
    token: &str,
    to: &str,
    message: &str,
    files: &[(String, Vec<u8>)],
) -> reqwest::Response {
    client
        .post(relay.api_url("/v1/messages"))
        .bearer_auth(token)
        .multipart(send_form(to, message, files))
        .send()
        .await
        .unwrap()
}

async fn list(relay: &TestRelay, client: &Client, token: &str, which: &str) -> MessagePage {
    ok_json(
        client
            .get(relay.api_url(&format!("/v1/{which}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap()
}

async fn fetch(
    relay: &TestRelay,
    client: &Client,
    token: &str,
    file_id: &str,
) -> Result<(Vec<u8>, String), StatusCode> {
    let response = client
        .get(relay.api_url(&format!("/v1/files/{file_id}/content")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    if !response.status().is_success() {
        return Err(response.status());
    }
    let digest = response.headers()["x-content-sha256"]
        .to_str()
        .unwrap()
        .to_owned();
    Ok((response.bytes().await.unwrap().to_vec(), digest))
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Every blob the relay's store holds (the local disk, or S3 under scripts/with-s3.sh).
async fn blob_count(relay: &TestRelay) -> usize {
    relay.relay.state.blobs.list("").await.unwrap().len()
}

#[tokio::test]
async fn a_plan_unit_goes_from_care_manager_to_service_office_and_is_fetched_once() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let files = fixture_files("valid/v41-plan-with-attachments");

    let response = send(
        &relay,
        &a,
        &a_token,
        HOME_HELP.number,
        "4月からのケアプランです。",
        &files,
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: SendResponse = response.json().await.unwrap();
    assert_eq!(sent.message.files.len(), files.len());
    assert_eq!(sent.message.counterpart.number, HOME_HELP.number);
    assert!(sent.warnings.is_empty());

    // B's 受信一覧: one message, every file 未, with its category and CSV version.
    let inbox = list(&relay, &b, &b_token, "inbox").await;
    assert_eq!(inbox.total, 1);
    let message = &inbox.items[0];
    assert_eq!(message.message, "4月からのケアプランです。");
    assert_eq!(message.counterpart.number, CARE_MANAGER.number);
    assert_eq!(message.counterpart.name, CARE_MANAGER.name);
    assert!(message.files.iter().all(|f| f.fetched_at.is_none()));
    // What it is and whom it is about, in words, from the content (the names from its 補足); the
    // attachments make no unit.
    let in_words = MessageUnit {
        serial: "20250401093000".into(),
        title: "居宅サービス計画書 第1〜3表".into(),
        // The fixture's two people (one 生保単独, H…) share a name.
        people: vec!["山田　花子".into(), "山田　花子".into()],
    };
    assert_eq!(message.units, vec![in_words.clone()]);
    assert_eq!(sent.message.units, message.units);
    let plan1 = message
        .files
        .iter()
        .find(|f| f.name.starts_with("UP1KYO"))
        .unwrap();
    assert_eq!(
        (plan1.category, plan1.csv_version.as_deref()),
        (FileCategory::Register, Some("202407"))
    );
    let pdf = message
        .files
        .iter()
        .find(|f| f.name.ends_with(".pdf"))
        .unwrap();
    assert_eq!(
        (pdf.category, pdf.csv_version.as_deref()),
        (FileCategory::Attachment, None)
    );
    let home: careplan_api::Home = ok_json(
        b.get(relay.api_url("/v1/home"))
            .bearer_auth(&b_token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(home.unfetched, files.len() as u64);

    // B fetches every file: byte-identical, then acknowledged.
    for entry in &message.files {
        let (bytes, digest) = fetch(&relay, &b, &b_token, &entry.id).await.unwrap();
        let original = &files
            .iter()
            .find(|(name, _)| *name == entry.name)
            .unwrap()
            .1;
        assert_eq!(&bytes, original, "{} arrives byte-identical", entry.name);
        assert_eq!(digest, sha256(original));
        let done: AckResponse = ok_json(ack(&relay, &b, &b_token, &entry.id, &digest).await)
            .await
            .unwrap();
        assert!(done.fetched_at.ends_with("+09:00"));
    }
    let inbox = list(&relay, &b, &b_token, "inbox").await;
    assert!(
        inbox.items[0].files.iter().all(|f| f.fetched_at.is_some()),
        "every row is 済"
    );
    // A's 送信一覧 shows ダウンロード状況 済.
    let outbox = list(&relay, &a, &a_token, "outbox").await;
    assert_eq!(outbox.total, 1);
    assert!(outbox.items[0].files.iter().all(|f| f.fetched_at.is_some()));
    // The content is gone; what it was is still said, to both offices.
    assert_eq!(outbox.items[0].units, vec![in_words.clone()]);
    assert_eq!(inbox.items[0].units, vec![in_words]);
    // Once only: a second fetch or ack is 410, and the content is gone from the blob store.
    assert_eq!(
        fetch(&relay, &b, &b_token, &plan1.id).await.unwrap_err(),
        StatusCode::GONE
    );
    let again = ack(&relay, &b, &b_token, &plan1.id, &plan1.sha256).await;
    let (status, error) = ok_json::<AckResponse>(again).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::GONE, "file.already_fetched")
    );
    assert_eq!(blob_count(&relay).await, 0);
}

#[tokio::test]
async fn use_sheets_go_one_way_and_actuals_come_back() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    assert_eq!(
        send(
            &relay,
            &a,
            &a_token,
            HOME_HELP.number,
            "",
            &fixture_files("valid/v41-use-sheet")
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        send(
            &relay,
            &b,
            &b_token,
            CARE_MANAGER.number,
            "4月分の実績です",
            &fixture_files("valid/v41-actual")
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    let a_inbox = list(&relay, &a, &a_token, "inbox").await;
    assert_eq!(a_inbox.total, 1);
    assert!(a_inbox.items[0].files[0].name.starts_with("UPJSK_"));
    let b_inbox = list(&relay, &b, &b_token, "inbox").await;
    assert_eq!(b_inbox.total, 1);
    assert_eq!(b_inbox.items[0].files.len(), 3);
    // The use sheet names its 利用者 from the unit's 補足; the 実績 carries numbers only.
    let titles = |page: &MessagePage| -> Vec<(String, Vec<String>)> {
        page.items[0]
            .units
            .iter()
            .map(|u| (u.title.clone(), u.people.clone()))
            .collect()
    };
    assert_eq!(
        titles(&b_inbox),
        [(
            "サービス利用票（予定）2025年4月分".to_owned(),
            vec!["山田　花子".to_owned()]
        )]
    );
    assert_eq!(
        titles(&a_inbox),
        [(
            "実績 2025年4月分".to_owned(),
            vec!["保険者番号 131016・被保険者番号 0000012345".to_owned()]
        )]
    );
    // Newest first, paged.
    for n in 0..3 {
        let files = vec![(format!("連絡{n}.txt"), format!("連絡事項 {n}").into_bytes())];
        assert_eq!(
            send(
                &relay,
                &a,
                &a_token,
                HOME_HELP.number,
                &format!("連絡{n}"),
                &files
            )
            .await
            .status(),
            StatusCode::CREATED
        );
    }
    let page: MessagePage = ok_json(
        b.get(relay.api_url("/v1/inbox?page=1&per_page=2"))
            .bearer_auth(&b_token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!((page.total, page.items.len()), (4, 2));
    assert_eq!(page.items[0].message, "連絡2");
    assert!(
        page.items[0].units.is_empty(),
        "attachments alone are no unit"
    );
    assert_eq!(page.items[1].message, "連絡1");
    let page2: MessagePage = ok_json(
        b.get(relay.api_url("/v1/inbox?page=2&per_page=2"))
            .bearer_auth(&b_token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(page2.items.len(), 2);
    assert_eq!(
        page2.items[1].files.len(),
        3,
        "the oldest is the use-sheet unit"
    );
}

#[tokio::test]
async fn invalid_files_are_refused_with_the_standards_diagnostics_and_nothing_is_stored() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let mut files = fixture_files("valid/v41-use-sheet");
    let broken = files
        .iter_mut()
        .find(|(name, _)| name.starts_with("UPPLAN"))
        .unwrap();
    // The second record's サービス利用日 becomes a day April does not have (ASCII, so the CP932 bytes
    // can be edited in place).
    let at = broken
        .1
        .windows(8)
        .position(|w| w == b"20250404")
        .expect("the fixture has that date");
    broken.1[at..at + 8].copy_from_slice(b"20250431");
    let response = send(&relay, &a, &a_token, HOME_HELP.number, "", &files).await;
    let (status, error) = ok_json::<SendResponse>(response).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "send.invalid_files")
    );
    let diagnostic = error
        .diagnostics
        .iter()
        .find(|d| d.code == "item.date.invalid")
        .expect("the spec's diagnostic");
    assert_eq!(diagnostic.item_name.as_deref(), Some("サービス利用日"));
    assert_eq!(diagnostic.line, Some(2));
    assert_eq!(list(&relay, &a, &a_token, "outbox").await.total, 0);
    assert_eq!(list(&relay, &b, &b_token, "inbox").await.total, 0);
    assert_eq!(blob_count(&relay).await, 0);
}

#[tokio::test]
async fn a_disallowed_attachment_is_refused() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let files = vec![(
        "利用者一覧.xlsx".to_owned(),
        b"PK\x03\x04\x14\x00\x06\x00".to_vec(),
    )];
    let (status, error) =
        ok_json::<SendResponse>(send(&relay, &a, &a_token, HOME_HELP.number, "", &files).await)
            .await
            .unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.diagnostics[0].code, "attachment.type_not_allowed");
}

#[tokio::test]
async fn destinations_must_be_other_registered_offices_matching_the_file_names() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let plan = fixture_files("valid/v41-plan");
    let cases = [
        (
            send(&relay, &a, &a_token, CARE_MANAGER.number, "", &plan).await,
            StatusCode::BAD_REQUEST,
            "send.own_office",
        ),
        (
            send(&relay, &a, &a_token, "1399999999", "", &plan).await,
            StatusCode::NOT_FOUND,
            "send.unknown_destination",
        ),
        (
            send(&relay, &a, &a_token, DAY_SERVICE.number, "", &plan).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "send.destination_mismatch",
        ),
        // B sending A's plan: the names say the sender is A.
        (
            send(&relay, &b, &b_token, CARE_MANAGER.number, "", &plan).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "send.sender_mismatch",
        ),
        (
            send(&relay, &a, &a_token, HOME_HELP.number, "", &[]).await,
            StatusCode::BAD_REQUEST,
            "send.no_files",
        ),
    ];
    for (response, status, code) in cases {
        let (got_status, error) = ok_json::<SendResponse>(response).await.unwrap_err();
        assert_eq!(
            (got_status, error.code.as_str()),
            (status, code),
            "{}",
            error.message
        );
        assert!(!error.message.is_ascii());
    }
    assert_eq!(blob_count(&relay).await, 0);
}

#[tokio::test]
async fn service_kinds_in_v4_names_must_be_registered_for_the_offices() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let renamed = |from: &str, to: &str| -> Vec<(String, Vec<u8>)> {
        fixture_files("valid/v41-plan")
            .into_iter()
            .map(|(name, bytes)| (name.replacen(from, to, 1), bytes))
            .collect()
    };
    // 訪問介護 (11) is registered for the destination; 通所介護 (15) is not.
    let to_wrong_kind = renamed("_1370000026_11_", "_1370000026_15_");
    let (status, error) = ok_json::<SendResponse>(
        send(&relay, &a, &a_token, HOME_HELP.number, "", &to_wrong_kind).await,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "send.service_kind_mismatch"
        )
    );
    assert!(
        error
            .message
            .contains("送信先のサービス種類（15 通所介護）")
            && error.message.contains("11 訪問介護"),
        "{}",
        error.message
    );
    // The sender's own kind: 介護予防支援 (46) is not what the care manager's office is registered as.
    let from_wrong_kind = renamed("_1370000018_43_", "_1370000018_46_");
    let (_, error) = ok_json::<SendResponse>(
        send(&relay, &a, &a_token, HOME_HELP.number, "", &from_wrong_kind).await,
    )
    .await
    .unwrap_err();
    assert_eq!(
        error.code, "send.service_kind_mismatch",
        "{}",
        error.message
    );
    assert!(error.message.contains("送信元"), "{}", error.message);
    assert_eq!(blob_count(&relay).await, 0);
    // v3 names carry no service kind: nothing to compare, the send goes.
    let v3 = fixture_files("valid/v32-plan");
    ok_json::<SendResponse>(send(&relay, &a, &a_token, HOME_HELP.number, "", &v3).await)
        .await
        .unwrap();
}

fn text_files(count: usize, bytes_each: usize) -> Vec<(String, Vec<u8>)> {
    (0..count)
        .map(|n| (format!("資料{n:02}.txt"), vec![b'a'; bytes_each]))
        .collect()
}

#[tokio::test]
async fn thirty_files_go_and_thirty_one_do_not() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let limit = relay.relay.state.limits.max_send_files;
    assert_eq!(limit, 30);
    assert_eq!(
        send(
            &relay,
            &a,
            &a_token,
            HOME_HELP.number,
            "",
            &text_files(limit, 10)
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    let (status, error) = ok_json::<SendResponse>(
        send(
            &relay,
            &a,
            &a_token,
            HOME_HELP.number,
            "",
            &text_files(limit + 1, 10),
        )
        .await,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::BAD_REQUEST, "send.too_many_files")
    );
    assert!(error.message.contains("30"));
}

#[tokio::test]
async fn ten_megabytes_go_and_one_byte_more_does_not() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let limit = relay.relay.state.limits.max_send_bytes;
    assert_eq!(limit, 10_000_000);
    let mut at_limit = text_files(4, limit / 4);
    assert_eq!(at_limit.iter().map(|f| f.1.len()).sum::<usize>(), limit);
    assert_eq!(
        send(&relay, &a, &a_token, HOME_HELP.number, "", &at_limit)
            .await
            .status(),
        StatusCode::CREATED
    );
    at_limit[0].1.push(b'a');
    let (status, error) =
        ok_json::<SendResponse>(send(&relay, &a, &a_token, HOME_HELP.number, "", &at_limit).await)
            .await
            .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "send.too_large")
    );
    assert!(error.message.contains("10 MB"));
    assert_eq!(
        blob_count(&relay).await,
        4,
        "only the first send's files are stored"
    );
}

#[tokio::test]
async fn sixteen_concurrent_acks_make_exactly_one_fetch() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let files = vec![(
        "連絡.txt".to_owned(),
        "確認をお願いします".as_bytes().to_vec(),
    )];
    assert_eq!(
        send(&relay, &a, &a_token, HOME_HELP.number, "", &files)
            .await
            .status(),
        StatusCode::CREATED
    );
    let inbox = list(&relay, &b, &b_token, "inbox").await;
    let file = inbox.items[0].files[0].clone();
    let acks = (0..16).map(|_| {
        let (b, token, url, sha) = (
            b.clone(),
            b_token.clone(),
            relay.api_url(&format!("/v1/files/{}/ack", file.id)),
            file.sha256.clone(),
        );
        tokio::spawn(async move {
            b.post(url)
                .bearer_auth(token)
                .json(&AckRequest { sha256: sha })
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(acks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::GONE).count(),
        15,
        "{statuses:?}"
    );
    assert_eq!(audit_details(&relay, "fetch").await.len(), 1);
}

#[tokio::test]
async fn a_download_broken_half_way_leaves_the_file_unfetched_and_a_retry_gets_identical_bytes() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let big = vec![(
        "資料.txt".to_owned(),
        "ケアプラン".repeat(300_000).into_bytes(),
    )];
    assert_eq!(
        send(&relay, &a, &a_token, HOME_HELP.number, "", &big)
            .await
            .status(),
        StatusCode::CREATED
    );
    let file = list(&relay, &b, &b_token, "inbox").await.items[0].files[0].clone();
    // Read the first chunk only, then drop the connection.
    let mut response = b
        .get(relay.api_url(&format!("/v1/files/{}/content", file.id)))
        .bearer_auth(&b_token)
        .send()
        .await
        .unwrap();
    let first = response.chunk().await.unwrap().unwrap();
    assert!(first.len() < big[0].1.len());
    drop(response);
    drop(b);
    let b = relay.https(HOME_HELP);
    assert!(
        list(&relay, &b, &b_token, "inbox").await.items[0].files[0]
            .fetched_at
            .is_none(),
        "still 未"
    );
    let (bytes, digest) = fetch(&relay, &b, &b_token, &file.id).await.unwrap();
    assert_eq!(bytes, big[0].1);
    assert_eq!(digest, file.sha256);
    // A digest that does not match is refused and changes nothing.
    let (status, error) =
        ok_json::<AckResponse>(ack(&relay, &b, &b_token, &file.id, &"0".repeat(64)).await)
            .await
            .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::CONFLICT, "file.digest_mismatch")
    );
    assert!(ack(&relay, &b, &b_token, &file.id, &digest)
        .await
        .status()
        .is_success());
}

#[tokio::test]
async fn a_retried_send_with_the_same_idempotency_key_makes_one_message() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let files = fixture_files("valid/v41-plan");
    let post = || {
        a.post(relay.api_url("/v1/messages"))
            .bearer_auth(&a_token)
            .header("Idempotency-Key", "send-2025-04-01-0001")
            .multipart(send_form(HOME_HELP.number, "", &files))
            .send()
    };
    let first = post().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: SendResponse = first.json().await.unwrap();
    let concurrent = futures::future::join_all((0..4).map(|_| post())).await;
    for response in concurrent {
        let response = response.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "a replay, not a new message"
        );
        let replay: SendResponse = response.json().await.unwrap();
        assert_eq!(replay.message.id, first.message.id);
    }
    assert_eq!(list(&relay, &a, &a_token, "outbox").await.total, 1);
    assert_eq!(blob_count(&relay).await, files.len());
    // The audit log records the one message, written in its transaction; replays add nothing.
    let sends = audit_details(&relay, "send").await;
    assert_eq!(sends.len(), 1, "{sends:?}");
    assert!(sends[0].starts_with(&first.message.id), "{sends:?}");
}

#[tokio::test]
async fn an_office_cannot_read_another_offices_files_by_guessing_ids() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let (c, c_token) = relay.https_login(DAY_SERVICE).await;
    send(
        &relay,
        &a,
        &a_token,
        HOME_HELP.number,
        "",
        &fixture_files("valid/v41-plan"),
    )
    .await;
    let file = list(&relay, &b, &b_token, "inbox").await.items[0].files[0].clone();
    // C knows the id, but it is not C's file; nor is it the sender's to fetch.
    for (client, token) in [(&c, &c_token), (&a, &a_token)] {
        assert_eq!(
            fetch(&relay, client, token, &file.id).await.unwrap_err(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            ack(&relay, client, token, &file.id, &file.sha256)
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(list(&relay, &c, &c_token, "inbox").await.total, 0);
    assert_eq!(list(&relay, &c, &c_token, "outbox").await.total, 0);
    assert!(list(&relay, &b, &b_token, "inbox").await.items[0].files[0]
        .fetched_at
        .is_none());
}

/// The details of the audit log's lines for `action`, oldest first.
async fn audit_details(relay: &TestRelay, action: &str) -> Vec<String> {
    relay
        .audit_lines(action)
        .await
        .into_iter()
        .map(|line| line.detail)
        .collect()
}
