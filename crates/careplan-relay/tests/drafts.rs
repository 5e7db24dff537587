//! 下書き: saved on one terminal, seen with its terminal name on another, reopened, replaced, sent
//! and deleted; never seen by another office.

mod common;

use careplan_api::{Draft, MessagePage, SendResponse};
use common::*;
use reqwest::StatusCode;

#[tokio::test]
async fn a_draft_saved_on_one_terminal_is_opened_and_sent_from_another() {
    let relay = TestRelay::start().await;
    let reception = relay.https(CARE_MANAGER);
    let reception_token = login_on_terminal(
        &relay,
        &reception,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
        "受付PC",
    )
    .await
    .unwrap();
    let files = fixture_files("valid/v41-plan");
    let saved = reception
        .post(relay.api_url("/v1/drafts"))
        .bearer_auth(&reception_token)
        .multipart(send_form(HOME_HELP.number, "下書きです", &files))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::CREATED);
    let saved: Draft = saved.json().await.unwrap();
    assert_eq!(saved.terminal_name, "受付PC");

    // Another terminal of the same office sees it, with the terminal that saved it.
    let office_pc = relay.https(CARE_MANAGER);
    let token = login_on_terminal(
        &relay,
        &office_pc,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
        "相談室PC",
    )
    .await
    .unwrap();
    let drafts: Vec<Draft> = ok_json(
        office_pc
            .get(relay.api_url("/v1/drafts"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(drafts.len(), 1);
    let draft = &drafts[0];
    assert_eq!(
        (
            draft.terminal_name.as_str(),
            draft.message.as_str(),
            draft.to.as_str()
        ),
        ("受付PC", "下書きです", HOME_HELP.number)
    );
    assert_eq!(draft.to_office.as_ref().unwrap().name, HOME_HELP.name);
    assert_eq!(draft.files.len(), 4);
    // Opening it gives back the very bytes.
    for file in &draft.files {
        let bytes = office_pc
            .get(relay.api_url(&format!(
                "/v1/drafts/{}/files/{}/content",
                draft.id, file.id
            )))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(
            bytes.to_vec(),
            files.iter().find(|(n, _)| *n == file.name).unwrap().1
        );
    }
    // Replacing it from the second terminal: new message, the terminal changes.
    let replaced: Draft = ok_json(
        office_pc
            .put(relay.api_url(&format!("/v1/drafts/{}", draft.id)))
            .bearer_auth(&token)
            .multipart(send_form(HOME_HELP.number, "修正しました", &files))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        (
            replaced.id.as_str(),
            replaced.terminal_name.as_str(),
            replaced.message.as_str()
        ),
        (draft.id.as_str(), "相談室PC", "修正しました")
    );

    // Sending it: B receives it, the draft is gone, and a retry does not send twice.
    let sent = office_pc
        .post(relay.api_url(&format!("/v1/drafts/{}/send", draft.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::CREATED);
    let sent: SendResponse = sent.json().await.unwrap();
    assert_eq!(sent.message.message, "修正しました");
    let drafts: Vec<Draft> = ok_json(
        office_pc
            .get(relay.api_url("/v1/drafts"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert!(drafts.is_empty());
    let again = office_pc
        .post(relay.api_url(&format!("/v1/drafts/{}/send", draft.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    // A retry (its first answer lost) gets the message the first attempt stored, not a second one.
    assert_eq!(again.status(), StatusCode::OK);
    let again: SendResponse = again.json().await.unwrap();
    assert_eq!(again.message.id, sent.message.id);
    // The terminal that saved it, sending it now, is told it was sent elsewhere.
    let (status, error) = ok_json::<SendResponse>(
        reception
            .post(relay.api_url(&format!("/v1/drafts/{}/send", draft.id)))
            .bearer_auth(&reception_token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::CONFLICT, "draft.already_sent")
    );
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let inbox: MessagePage = ok_json(
        b.get(relay.api_url("/v1/inbox"))
            .bearer_auth(&b_token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(inbox.total, 1);
}

#[tokio::test]
async fn drafts_are_deleted_and_invisible_to_other_offices() {
    let relay = TestRelay::start().await;
    let (a, token) = relay.https_login(CARE_MANAGER).await;
    let files = vec![("メモ.txt".to_owned(), "あとで送る".as_bytes().to_vec())];
    // A draft may not have its destination yet; a malformed one is refused.
    let draft: Draft = ok_json(
        a.post(relay.api_url("/v1/drafts"))
            .bearer_auth(&token)
            .multipart(send_form("", "", &files))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert!(draft.to_office.is_none());
    let (status, error) = ok_json::<Draft>(
        a.post(relay.api_url("/v1/drafts"))
            .bearer_auth(&token)
            .multipart(send_form("12345", "", &files))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::BAD_REQUEST, "draft.bad_destination")
    );

    let (c, c_token) = relay.https_login(DAY_SERVICE).await;
    let theirs: Vec<Draft> = ok_json(
        c.get(relay.api_url("/v1/drafts"))
            .bearer_auth(&c_token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert!(theirs.is_empty());
    for response in [
        c.get(relay.api_url(&format!("/v1/drafts/{}", draft.id)))
            .bearer_auth(&c_token)
            .send()
            .await
            .unwrap(),
        c.delete(relay.api_url(&format!("/v1/drafts/{}", draft.id)))
            .bearer_auth(&c_token)
            .send()
            .await
            .unwrap(),
        c.post(relay.api_url(&format!("/v1/drafts/{}/send", draft.id)))
            .bearer_auth(&c_token)
            .send()
            .await
            .unwrap(),
        c.get(relay.api_url(&format!(
            "/v1/drafts/{}/files/{}/content",
            draft.id, draft.files[0].id
        )))
        .bearer_auth(&c_token)
        .send()
        .await
        .unwrap(),
    ] {
        let (status, error) = ok_json::<serde_json::Value>(response).await.unwrap_err();
        assert_eq!(
            (status, error.code.as_str()),
            (StatusCode::NOT_FOUND, "draft.not_found")
        );
    }
    // Sending a draft without a destination is refused, and the draft stays.
    let (status, error) = ok_json::<SendResponse>(
        a.post(relay.api_url(&format!("/v1/drafts/{}/send", draft.id)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::BAD_REQUEST, "draft.no_destination")
    );
    assert_eq!(
        a.delete(relay.api_url(&format!("/v1/drafts/{}", draft.id)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    let left: Vec<Draft> = ok_json(
        a.get(relay.api_url("/v1/drafts"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert!(left.is_empty());
    assert_eq!(
        relay.relay.sweep_orphans().await.unwrap(),
        0,
        "deleting removed the draft's files as well"
    );
}

/// Saves a draft of `office` and answers its id.
async fn save_draft(
    relay: &TestRelay,
    client: &reqwest::Client,
    token: &str,
    to: &str,
    case: &str,
) -> String {
    let draft: Draft = ok_json(
        client
            .post(relay.api_url("/v1/drafts"))
            .bearer_auth(token)
            .multipart(send_form(to, "下書き", &fixture_files(case)))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    draft.id
}

async fn draft_exists(relay: &TestRelay, client: &reqwest::Client, token: &str, id: &str) -> bool {
    let response = client
        .get(relay.api_url(&format!("/v1/drafts/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    match response.status() {
        StatusCode::OK => true,
        StatusCode::NOT_FOUND => false,
        other => panic!("unexpected {other}"),
    }
}

#[tokio::test]
async fn a_send_that_names_its_draft_removes_the_draft_with_the_message_and_only_then() {
    let relay = TestRelay::start().await;
    let (a, token) = relay.https_login(CARE_MANAGER).await;
    let id = save_draft(&relay, &a, &token, HOME_HELP.number, "valid/v41-plan").await;
    let send = |files: Vec<(String, Vec<u8>)>, draft: String| {
        let manifest = serde_json::json!({ "to": HOME_HELP.number, "message": "開いた下書きから", "from_draft": draft });
        a.post(relay.api_url("/v1/messages"))
            .bearer_auth(&token)
            .header("Idempotency-Key", rand_key())
            .multipart(manifest_form(&manifest, &files))
            .send()
    };

    // A refused send (a broken file) leaves the draft as it was.
    let refused = send(fixture_files("invalid/csv.encoding.bom"), id.clone())
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(draft_exists(&relay, &a, &token, &id).await);

    // Another office naming this draft has no such draft: refused, and the draft stays.
    let (b, b_token) = relay.https_login(HOME_HELP).await;
    let manifest = serde_json::json!({ "to": CARE_MANAGER.number, "from_draft": id });
    let (status, error) = ok_json::<SendResponse>(
        b.post(relay.api_url("/v1/messages"))
            .bearer_auth(&b_token)
            .multipart(manifest_form(&manifest, &fixture_files("valid/v41-actual")))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::CONFLICT, "draft.already_sent")
    );
    assert!(draft_exists(&relay, &a, &token, &id).await);

    // The send (with the files as edited in 新規作成) stores the message and removes the draft.
    let sent: SendResponse = ok_json(
        send(fixture_files("valid/v41-use-sheet"), id.clone())
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(sent.message.files.len(), 3);
    assert!(!draft_exists(&relay, &a, &token, &id).await);
    // The same draft sent again from another terminal that still had it open: refused, not sent
    // twice.
    let (status, error) = ok_json::<SendResponse>(
        send(fixture_files("valid/v41-use-sheet"), id.clone())
            .await
            .unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::CONFLICT, "draft.already_sent")
    );
    assert!(error.message.contains("ほかの端末"), "{}", error.message);
    let sends = relay.audit_lines("send").await;
    assert_eq!(
        sends
            .iter()
            .filter(|l| l.office.as_deref() == Some(CARE_MANAGER.number))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_bulk_send_removes_its_draft_when_the_drafts_destination_succeeds() {
    let relay = TestRelay::start().await;
    let (a, token) = relay.https_login(CARE_MANAGER).await;
    let bulk = |to_help: &str, draft: &str| {
        let deletion = |to: &str, kind: &str, second: u32| {
            (
                format!("DLT1KYO_1370000018_43_{to}_{kind}_202505011000{second:02}.CSV"),
                b"202407,131016,0000012345,20250401\r\n".to_vec(),
            )
        };
        let files = vec![
            deletion(to_help, "11", 1),
            deletion(DAY_SERVICE.number, "15", 2),
        ];
        let manifest = serde_json::json!({ "messages": {}, "from_draft": draft });
        a.post(relay.api_url("/v1/bulk"))
            .bearer_auth(&token)
            .multipart(manifest_form(&manifest, &files))
            .send()
    };
    // The draft's destination (訪問介護) fails (an unknown office stands in for it): the draft stays.
    let id = save_draft(&relay, &a, &token, "1390000095", "valid/v41-plan").await;
    let response: careplan_api::BulkResponse = ok_json(bulk("1390000095", &id).await.unwrap())
        .await
        .unwrap();
    assert!(response.results.iter().any(|r| r.error.is_some()));
    assert!(draft_exists(&relay, &a, &token, &id).await);

    // Its destination succeeds: the draft goes with that send.
    let id = save_draft(&relay, &a, &token, HOME_HELP.number, "valid/v41-plan").await;
    let response: careplan_api::BulkResponse = ok_json(bulk(HOME_HELP.number, &id).await.unwrap())
        .await
        .unwrap();
    assert!(
        response.results.iter().all(|r| r.error.is_none()),
        "{response:?}"
    );
    assert!(!draft_exists(&relay, &a, &token, &id).await);
    // Switched to 一括送信 on another terminal too and sent again: refused as a whole.
    let (status, error) =
        ok_json::<careplan_api::BulkResponse>(bulk(HOME_HELP.number, &id).await.unwrap())
            .await
            .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::CONFLICT, "draft.already_sent")
    );
}

fn rand_key() -> String {
    hex::encode(rand::random::<[u8; 8]>())
}
