//! Office isolation at the store: a scope reaches its own office's messages, files and drafts only,
//! whatever ids it names. (The API's refusals of guessed ids are in exchange.rs and drafts.rs.)

mod common;

use careplan_api::{Draft, SendResponse};
use careplan_relay::store::MailboxKind;
use common::*;

#[tokio::test]
async fn a_scope_sees_only_its_own_office_whatever_ids_it_names() {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let sent: SendResponse = ok_json(
        a.post(relay.api_url("/v1/messages"))
            .bearer_auth(&a_token)
            .multipart(send_form(
                HOME_HELP.number,
                "4月分",
                &fixture_files("valid/v41-use-sheet"),
            ))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let draft: Draft = ok_json(
        a.post(relay.api_url("/v1/drafts"))
            .bearer_auth(&a_token)
            .multipart(send_form(
                HOME_HELP.number,
                "下書き",
                &fixture_files("valid/v41-plan"),
            ))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let message_id = sent.message.id.clone();
    let file_id = sent.message.files[0].id.clone();

    let operator = relay.relay.operator();
    let store = &relay.relay.state.store;
    let sender = operator.office(CARE_MANAGER.number).await.unwrap();
    let receiver = operator.office(HOME_HELP.number).await.unwrap();
    let stranger = operator.office(DAY_SERVICE.number).await.unwrap();

    // The two parties see the message's files; a third office sees nothing of it.
    let ids = std::slice::from_ref(&message_id);
    assert_eq!(store.mailbox(&sender).files_of(ids).await.unwrap().len(), 3);
    assert_eq!(
        store.mailbox(&receiver).files_of(ids).await.unwrap().len(),
        3
    );
    assert!(store
        .mailbox(&stranger)
        .files_of(ids)
        .await
        .unwrap()
        .is_empty());
    // So do the units in words, with their people's names: the parties, never a stranger.
    for party in [&sender, &receiver] {
        let units = store.mailbox(party).units_of(ids).await.unwrap();
        assert_eq!(units.len(), 1);
        assert_eq!(units[0].1.people.len(), 1);
    }
    assert!(store
        .mailbox(&stranger)
        .units_of(ids)
        .await
        .unwrap()
        .is_empty());
    // Only the receiver can fetch (or even find) a received file; not its sender, not a stranger.
    assert!(store
        .mailbox(&receiver)
        .received_file(&file_id)
        .await
        .unwrap()
        .is_some());
    for other in [&sender, &stranger] {
        assert!(store
            .mailbox(other)
            .received_file(&file_id)
            .await
            .unwrap()
            .is_none());
    }
    let (stranger_inbox, total) = store
        .mailbox(&stranger)
        .page(MailboxKind::Inbox, 0, 50)
        .await
        .unwrap();
    assert!(stranger_inbox.is_empty() && total == 0);

    // A draft is its office's: another office can neither list, read, read the files of, nor
    // delete it.
    for other in [&receiver, &stranger] {
        let drafts = store.drafts(other);
        assert!(drafts.list().await.unwrap().is_empty());
        assert!(drafts.get(&draft.id).await.unwrap().is_none());
        assert!(drafts.files(&draft.id).await.unwrap().is_empty());
        assert!(drafts.delete(&draft.id).await.unwrap().is_none());
    }
    let own = store.drafts(&sender);
    assert_eq!(own.files(&draft.id).await.unwrap().len(), 4);
    assert!(own.get(&draft.id).await.unwrap().is_some(), "still there");
}

#[tokio::test]
async fn the_operator_acts_only_for_registered_offices() {
    let relay = TestRelay::start().await;
    let refused = relay
        .relay
        .operator()
        .office("1399999999")
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("登録されていません"),
        "{refused}"
    );
}
