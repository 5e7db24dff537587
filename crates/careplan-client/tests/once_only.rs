//! What keeps a send from being delivered twice and a file from being misread: the caller's keys
//! for a send and a bulk send (a retry, after a lost answer or a partial failure, gets the earlier
//! message), earlier sends of the same contents, what a certificate says before it is taken, and a
//! fetch that finds the identical file already in the folder.

mod common;

use careplan_client::{no_progress, BulkExtras, ClientError, ClientIdentity, LocalFile, Mailbox};
use careplan_relay::store::OfficeRow;
use common::*;
use sha2::Digest;

fn deletion(from: &str, to: &str, to_kind: &str, second: u32) -> LocalFile {
    LocalFile {
        name: format!("DLT1KYO_{from}_43_{to}_{to_kind}_202505011000{second:02}.CSV"),
        bytes: bytes::Bytes::from_static(b"202407,131016,0000012345,20250401\r\n"),
    }
}

#[tokio::test]
async fn a_bulk_plan_retried_with_its_key_stores_each_destination_once() {
    // さくら福祉用具センター is not registered yet: its destination fails at first.
    let demo = TestRelay::builder()
        .offices(&[CARE_MANAGER, HOME_HELP, DAY_SERVICE])
        .start()
        .await;
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let files = vec![
        deletion(CARE_MANAGER.number, HOME_HELP.number, "11", 1),
        deletion(CARE_MANAGER.number, DAY_SERVICE.number, "15", 2),
        deletion(CARE_MANAGER.number, "1370000042", "17", 3),
    ];
    let extras = BulkExtras {
        plan_key: Some("5f0c7a52-3b1e-4d8a-9e21-7c4b2a1d0e9f".into()),
        ..BulkExtras::default()
    };
    let first = care_manager
        .bulk_send(&files, &extras, no_progress())
        .await
        .unwrap();
    let failed: Vec<_> = first.results.iter().filter(|r| r.error.is_some()).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].to.as_deref(), Some("1370000042"));

    // The same plan again, whole, as after an answer that never arrived: the destinations stored
    // under the key are answered with their earlier messages.
    let again = care_manager
        .bulk_send(&files[..2], &extras, no_progress())
        .await
        .unwrap();
    for (earlier, now) in first.results.iter().zip(&again.results) {
        assert_eq!(
            earlier.message.as_ref().map(|m| &m.id),
            now.message.as_ref().map(|m| &m.id),
            "{:?}",
            now.to
        );
    }

    // The office is registered meanwhile; the failed destination alone, with the same key.
    demo.relay
        .add_office(&OfficeRow {
            number: "1370000042".into(),
            name: "さくら福祉用具センター".into(),
            service_kinds: vec!["17".into()],
            prefecture: "東京都".into(),
            city: "新宿区".into(),
        })
        .await
        .unwrap();
    let retry = care_manager
        .bulk_send(&files[2..], &extras, no_progress())
        .await
        .unwrap();
    assert!(
        retry.results[0].error.is_none(),
        "{:?}",
        retry.results[0].error
    );

    let outbox = care_manager.messages(Mailbox::Outbox, 1, 50).await.unwrap();
    assert_eq!(outbox.total, 3, "one message per destination");
    let mut destinations: Vec<_> = outbox
        .items
        .iter()
        .map(|m| m.counterpart.number.clone())
        .collect();
    destinations.sort();
    assert_eq!(
        destinations,
        [HOME_HELP.number, DAY_SERVICE.number, "1370000042"]
    );

    // Without a key of its own, each call is a new send.
    care_manager
        .bulk_send(&files[..1], &BulkExtras::default(), no_progress())
        .await
        .unwrap();
    let outbox = care_manager.messages(Mailbox::Outbox, 1, 50).await.unwrap();
    assert_eq!(outbox.total, 4);
}

#[tokio::test]
async fn a_keyed_send_pressed_twice_is_one_message() {
    let demo = TestRelay::start().await;
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let files = LocalFile::read_all(&fixture_paths("valid/v41-use-sheet")).unwrap();
    let key = "a".repeat(64);
    let first = care_manager
        .send_keyed(&key, HOME_HELP.number, "1回目", None, &files, no_progress())
        .await
        .unwrap();
    let second = care_manager
        .send_keyed(&key, HOME_HELP.number, "1回目", None, &files, no_progress())
        .await
        .unwrap();
    assert_eq!(
        second.message.id, first.message.id,
        "the stored message, not a new one"
    );
    // The same key with another メッセージ is another request: refused, never answered with the first.
    let changed = care_manager
        .send_keyed(&key, HOME_HELP.number, "2回目", None, &files, no_progress())
        .await
        .unwrap_err();
    assert!(
        matches!(&changed, ClientError::Refused { status: 409, error } if error.code == "send.idempotency_conflict"),
        "{changed:?}"
    );
    let outbox = care_manager.messages(Mailbox::Outbox, 1, 50).await.unwrap();
    assert_eq!(outbox.total, 1);

    // Keys are the caller's: at most 64 letters, digits and hyphens, refused here otherwise.
    for bad in ["a".repeat(65), String::new(), "鍵".into(), "a b".into()] {
        let refused = care_manager
            .send_keyed(&bad, HOME_HELP.number, "", None, &files, no_progress())
            .await
            .unwrap_err();
        assert_eq!(refused.code(), "send.key_invalid", "{bad:?}");
        let bulk = care_manager
            .bulk_send(
                &files,
                &BulkExtras {
                    plan_key: Some(bad.clone()),
                    ..BulkExtras::default()
                },
                no_progress(),
            )
            .await
            .unwrap_err();
        assert_eq!(bulk.code(), "send.key_invalid", "{bad:?}");
    }
    let outbox = care_manager.messages(Mailbox::Outbox, 1, 50).await.unwrap();
    assert_eq!(outbox.total, 1, "a refused key sends nothing");
}

#[tokio::test]
async fn earlier_sends_of_the_same_bytes_are_found() {
    let demo = TestRelay::start().await;
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let files = LocalFile::read_all(&fixture_paths("valid/v41-use-sheet")).unwrap();
    let digests: Vec<String> = files
        .iter()
        .map(|f| hex::encode(sha2::Sha256::digest(&f.bytes)))
        .collect();
    assert!(care_manager
        .earlier_sends(HOME_HELP.number, &digests)
        .await
        .unwrap()
        .is_empty());
    let sent = care_manager
        .send(HOME_HELP.number, "", &files, no_progress())
        .await
        .unwrap();
    let found = care_manager
        .earlier_sends(HOME_HELP.number, &digests)
        .await
        .unwrap();
    assert_eq!(found.len(), 3);
    assert!(found
        .iter()
        .all(|f| f.message_id == sent.message.id && f.sent_at == sent.message.sent_at));
}

#[tokio::test]
async fn a_certificate_says_its_office_and_expiry_before_it_is_taken() {
    let demo = TestRelay::start().await;
    for seed in [CARE_MANAGER, HOME_HELP] {
        let office = demo.office(seed);
        // The .p12 (with its password) and the PEM say the same.
        for identity in [
            ClientIdentity::load(&office.pkcs12, Some(&office.pkcs12_password)).unwrap(),
            ClientIdentity::load(&office.certificate, None).unwrap(),
        ] {
            let summary = identity.summary().unwrap();
            assert_eq!(summary.office_number.as_deref(), Some(seed.number));
            assert!(summary.subject.contains(seed.number), "{}", summary.subject);
            assert!(!summary.expired);
            assert!(summary.not_after > summary.not_before);
            assert_eq!(summary.not_after.len(), 10, "{}", summary.not_after);
        }
        // The relay names the office, and the same last day, before any login.
        let answer = demo.client(seed).certificate_office().await.unwrap();
        assert_eq!(answer.office.name, seed.name);
        let summary = demo.identity(seed).summary().unwrap();
        assert_eq!(&answer.not_after[..10], summary.not_after);
    }
}

#[tokio::test]
async fn a_fetch_that_finds_the_identical_file_says_it_wrote_nothing_new() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let inbox = care_manager.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    let actual = &inbox.items[0].files[0];
    let folder = temp_dir("identical");
    // The same bytes are there already (an earlier fetch whose 済 never reached the relay).
    let original = fixture_paths("valid/v41-actual")
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy() == actual.name)
        .unwrap();
    std::fs::copy(&original, folder.join(&actual.name)).unwrap();
    let fetched = care_manager
        .fetch_file(actual, &folder, no_progress())
        .await
        .unwrap();
    assert!(fetched.already_there);
    assert_eq!(fetched.saved_as, folder.join(&actual.name));
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1, "no copy");
}

#[test]
fn a_file_that_cannot_be_read_is_explained_in_japanese_only() {
    let folder = temp_dir("unreadable");
    let missing = LocalFile::read(&folder.join("UPPLAN_x.CSV")).unwrap_err();
    assert_eq!(missing.code(), "file.not_found");
    let folder_as_file = LocalFile::read(&folder).unwrap_err();
    assert_eq!(folder_as_file.code(), "file.unreadable");
    for error in [missing, folder_as_file] {
        let message = error.to_string();
        assert!(
            !message.contains("os error") && !message.contains("No such"),
            "{message}"
        );
        assert!(message.contains("入れ直してください"), "{message}");
    }
    let open_elsewhere = careplan_client::unreadable(
        "UPPLAN_x.CSV",
        &std::io::Error::from(std::io::ErrorKind::PermissionDenied),
    );
    assert!(
        open_elsewhere.to_string().contains("Excel"),
        "{open_elsewhere}"
    );
}
