//! 下書き: saved on one terminal, seen with its terminal name on another, reopened, replaced, sent
//! and deleted; never seen by another office.

mod common;

use careplan_api::{Draft, MessagePage, SendResponse};
use common::*;
use reqwest::StatusCode;

#[tokio::test]
async fn a_draft_saved_on_one_terminal_is_opened_and_sent_from_another() {
    let relay = TestRelay::start().await;
    let reception = relay.client(&CARE_MANAGER);
    let reception_token = login_on_terminal(
        &relay,
        &reception,
        CARE_MANAGER.personal_id,
        CARE_MANAGER.office_id,
        PASSWORD,
        "受付PC",
    )
    .await
    .unwrap();
    let files = fixture_files("valid/v41-plan");
    let saved = reception
        .post(relay.url("/v1/drafts"))
        .bearer_auth(&reception_token)
        .multipart(send_form(HOME_HELP.number, "下書きです", &files))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::CREATED);
    let saved: Draft = saved.json().await.unwrap();
    assert_eq!(saved.terminal_name, "受付PC");

    // Another terminal of the same office sees it, with the terminal that saved it.
    let office_pc = relay.client(&CARE_MANAGER);
    let token = login_on_terminal(
        &relay,
        &office_pc,
        CARE_MANAGER.personal_id,
        CARE_MANAGER.office_id,
        PASSWORD,
        "相談室PC",
    )
    .await
    .unwrap();
    let drafts: Vec<Draft> = ok_json(
        office_pc
            .get(relay.url("/v1/drafts"))
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
            .get(relay.url(&format!(
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
            .put(relay.url(&format!("/v1/drafts/{}", draft.id)))
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
        .post(relay.url(&format!("/v1/drafts/{}/send", draft.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::CREATED);
    let sent: SendResponse = sent.json().await.unwrap();
    assert_eq!(sent.message.message, "修正しました");
    let drafts: Vec<Draft> = ok_json(
        office_pc
            .get(relay.url("/v1/drafts"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert!(drafts.is_empty());
    let again = office_pc
        .post(relay.url(&format!("/v1/drafts/{}/send", draft.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    let (b, b_token) = relay.login(&HOME_HELP).await;
    let inbox: MessagePage = ok_json(
        b.get(relay.url("/v1/inbox"))
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
    let (a, token) = relay.login(&CARE_MANAGER).await;
    let files = vec![("メモ.txt".to_owned(), "あとで送る".as_bytes().to_vec())];
    // A draft may not have its destination yet; a malformed one is refused.
    let draft: Draft = ok_json(
        a.post(relay.url("/v1/drafts"))
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
        a.post(relay.url("/v1/drafts"))
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

    let (c, c_token) = relay.login(&DAY_SERVICE).await;
    let theirs: Vec<Draft> = ok_json(
        c.get(relay.url("/v1/drafts"))
            .bearer_auth(&c_token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert!(theirs.is_empty());
    for response in [
        c.get(relay.url(&format!("/v1/drafts/{}", draft.id)))
            .bearer_auth(&c_token)
            .send()
            .await
            .unwrap(),
        c.delete(relay.url(&format!("/v1/drafts/{}", draft.id)))
            .bearer_auth(&c_token)
            .send()
            .await
            .unwrap(),
        c.post(relay.url(&format!("/v1/drafts/{}/send", draft.id)))
            .bearer_auth(&c_token)
            .send()
            .await
            .unwrap(),
        c.get(relay.url(&format!(
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
        a.post(relay.url(&format!("/v1/drafts/{}/send", draft.id)))
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
        a.delete(relay.url(&format!("/v1/drafts/{}", draft.id)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    let left: Vec<Draft> = ok_json(
        a.get(relay.url("/v1/drafts"))
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
