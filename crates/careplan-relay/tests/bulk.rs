//! 一括送信: routing by the destination in each file name, a result per destination, the limits.

mod common;

use careplan_api::{BulkResponse, MessagePage};
use careplan_relay::store::OfficeRow;
use common::*;
use reqwest::StatusCode;

/// A valid 第1表削除 file from the care manager to `to`, with its own serial.
/// A plan deletion to a 訪問介護 office (service kind 11).
fn deletion_to(to: &str, serial_seconds: u32) -> (String, Vec<u8>) {
    deletion_to_kind(to, "11", serial_seconds)
}

fn deletion_to_kind(to: &str, kind: &str, serial_seconds: u32) -> (String, Vec<u8>) {
    let name = format!(
        "DLT1KYO_{}_43_{to}_{kind}_2025050110{:02}{:02}.CSV",
        CARE_MANAGER.number,
        serial_seconds / 60,
        serial_seconds % 60
    );
    (name, b"202407,131016,0000012345,20250401\r\n".to_vec())
}

fn bulk_form(
    files: &[(String, Vec<u8>)],
    attachments: &[(&str, (String, Vec<u8>))],
    messages: &[(&str, &str)],
) -> reqwest::multipart::Form {
    let manifest = serde_json::json!({ "messages": messages.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<std::collections::BTreeMap<_, _>>() });
    let mut form = reqwest::multipart::Form::new().text("manifest", manifest.to_string());
    for (name, bytes) in files {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.clone()),
        );
    }
    for (to, (name, bytes)) in attachments {
        form = form.part(
            format!("attachment.{to}"),
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.clone()),
        );
    }
    form
}

/// Registers extra 訪問介護 offices, as destinations.
async fn register_home_help_offices(relay: &TestRelay, numbers: &[String]) {
    for number in numbers {
        let office = OfficeRow {
            number: number.clone(),
            name: format!("事業所{number}"),
            service_kinds: vec!["11".into()],
            prefecture: "東京都".into(),
            city: "新宿区".into(),
        };
        relay.relay.add_office(&office).await.unwrap();
    }
}

/// A check digit that makes a nine-digit prefix a valid office number.
fn office_number(first_nine: &str) -> String {
    let digit = careplan_spec::numbers::compute_check_digit(first_nine.as_bytes());
    format!("{first_nine}{digit}")
}

#[tokio::test]
async fn files_are_routed_by_destination_and_one_bad_destination_does_not_block_the_others() {
    let relay = TestRelay::start().await;
    let (a, token) = relay.https_login(CARE_MANAGER).await;
    let unknown = office_number("139000009");
    let mut files = fixture_files("valid/v41-plan");
    files.push(deletion_to_kind(
        DAY_SERVICE.number,
        DAY_SERVICE.service_kind,
        1,
    ));
    files.push(deletion_to(&unknown, 2));
    let attachments = [(
        HOME_HELP.number,
        (
            "写真.png".to_owned(),
            vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0],
        ),
    )];
    let form = bulk_form(
        &files,
        &attachments,
        &[
            (HOME_HELP.number, "計画をお送りします"),
            (DAY_SERVICE.number, "計画の取り下げです"),
        ],
    );
    let response = a
        .post(relay.api_url("/v1/bulk"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let results: BulkResponse = response.json().await.unwrap();
    assert_eq!(results.results.len(), 3);
    let by = |to: &str| {
        results
            .results
            .iter()
            .find(|r| r.to.as_deref() == Some(to))
            .unwrap()
    };
    let help = by(HOME_HELP.number);
    assert_eq!(help.office_name.as_deref(), Some(HOME_HELP.name));
    assert_eq!(help.files.len(), 5, "4 plan files and the attachment");
    assert_eq!(help.message.as_ref().unwrap().message, "計画をお送りします");
    assert!(help.error.is_none());
    assert!(by(DAY_SERVICE.number).message.is_some());
    let failed = by(&unknown);
    assert!(failed.message.is_none());
    assert_eq!(
        failed.error.as_ref().unwrap().code,
        "send.unknown_destination"
    );

    for (office, files) in [(HOME_HELP, 5), (DAY_SERVICE, 1)] {
        let (client, token) = relay.https_login(office).await;
        let inbox: MessagePage = ok_json(
            client
                .get(relay.api_url("/v1/inbox"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(inbox.total, 1);
        assert_eq!(inbox.items[0].files.len(), files);
    }
}

#[tokio::test]
async fn invalid_files_fail_only_their_destination_and_unroutable_files_are_reported() {
    let relay = TestRelay::start().await;
    let (a, token) = relay.https_login(CARE_MANAGER).await;
    let mut broken = deletion_to_kind(DAY_SERVICE.number, DAY_SERVICE.service_kind, 3);
    broken.1 = b"202407,131016,0000012345,20250431\r\n".to_vec();
    let files = vec![
        deletion_to(HOME_HELP.number, 1),
        broken,
        ("メモ.txt".to_owned(), "宛先なし".as_bytes().to_vec()),
    ];
    let response = a
        .post(relay.api_url("/v1/bulk"))
        .bearer_auth(&token)
        .multipart(bulk_form(&files, &[], &[]))
        .send()
        .await
        .unwrap();
    let results: BulkResponse = response.json().await.unwrap();
    let unroutable = results.results.iter().find(|r| r.to.is_none()).unwrap();
    assert_eq!(unroutable.files, vec!["メモ.txt"]);
    assert_eq!(unroutable.error.as_ref().unwrap().code, "bulk.unroutable");
    let day = results
        .results
        .iter()
        .find(|r| r.to.as_deref() == Some(DAY_SERVICE.number))
        .unwrap();
    let error = day.error.as_ref().unwrap();
    assert_eq!(error.code, "send.invalid_files");
    assert_eq!(error.diagnostics[0].code, "item.date.invalid");
    assert!(results
        .results
        .iter()
        .find(|r| r.to.as_deref() == Some(HOME_HELP.number))
        .unwrap()
        .message
        .is_some());
}

#[tokio::test]
async fn fifty_destinations_go_and_fifty_one_do_not() {
    let relay = TestRelay::start().await;
    let numbers: Vec<String> = (0..51)
        .map(|n| office_number(&format!("1380{n:05}")))
        .collect();
    register_home_help_offices(&relay, &numbers).await;
    let (a, token) = relay.https_login(CARE_MANAGER).await;
    let files: Vec<_> = numbers
        .iter()
        .enumerate()
        .map(|(i, n)| deletion_to(n, i as u32))
        .collect();
    let response = a
        .post(relay.api_url("/v1/bulk"))
        .bearer_auth(&token)
        .multipart(bulk_form(&files[..50], &[], &[]))
        .send()
        .await
        .unwrap();
    let results: BulkResponse = response.json().await.unwrap();
    assert_eq!(results.results.len(), 50);
    assert!(
        results.results.iter().all(|r| r.message.is_some()),
        "all 50 sent"
    );
    let response = a
        .post(relay.api_url("/v1/bulk"))
        .bearer_auth(&token)
        .multipart(bulk_form(&files, &[], &[]))
        .send()
        .await
        .unwrap();
    let (status, error) = ok_json::<BulkResponse>(response).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::BAD_REQUEST, "bulk.too_many_destinations")
    );
    assert!(error.message.contains("50"));
}

#[tokio::test]
async fn a_hundred_files_go_and_a_hundred_and_one_do_not() {
    let relay = TestRelay::start().await;
    let numbers: Vec<String> = (0..4)
        .map(|n| office_number(&format!("1380{n:05}")))
        .collect();
    register_home_help_offices(&relay, &numbers).await;
    let (a, token) = relay.https_login(CARE_MANAGER).await;
    // 30 + 30 + 30 + 10: every destination within the one-send limit of 30 files.
    let files: Vec<_> = (0..101u32)
        .map(|i| deletion_to(&numbers[(i / 30) as usize], i))
        .collect();
    let response = a
        .post(relay.api_url("/v1/bulk"))
        .bearer_auth(&token)
        .multipart(bulk_form(&files[..100], &[], &[]))
        .send()
        .await
        .unwrap();
    let results: BulkResponse = response.json().await.unwrap();
    assert_eq!(
        results
            .results
            .iter()
            .filter(|r| r.message.is_some())
            .count(),
        4
    );
    let response = a
        .post(relay.api_url("/v1/bulk"))
        .bearer_auth(&token)
        .multipart(bulk_form(&files, &[], &[]))
        .send()
        .await
        .unwrap();
    let (status, error) = ok_json::<BulkResponse>(response).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::BAD_REQUEST, "bulk.too_many_files")
    );
}

#[tokio::test]
async fn a_retry_of_only_the_failed_destination_under_the_plans_key_sends_it_and_never_the_others_twice(
) {
    let relay = TestRelay::start().await;
    let (a, token) = relay.https_login(CARE_MANAGER).await;
    let late = office_number("139000010");
    let to_home_help = deletion_to(HOME_HELP.number, 1);
    let to_late = deletion_to(&late, 2);
    let bulk = |files: Vec<(String, Vec<u8>)>, messages: Vec<(&'static str, &'static str)>| {
        a.post(relay.api_url("/v1/bulk"))
            .bearer_auth(&token)
            .header("Idempotency-Key", "plan-1")
            .multipart(bulk_form(&files, &[], &messages))
            .send()
    };
    let first: BulkResponse = ok_json(
        bulk(vec![to_home_help.clone(), to_late.clone()], vec![])
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let failed: Vec<_> = first.results.iter().filter(|r| r.error.is_some()).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].to.as_deref(), Some(late.as_str()));

    // The office is registered; only the failed destination is sent again, under the same key.
    register_home_help_offices(&relay, std::slice::from_ref(&late)).await;
    let retry: BulkResponse = ok_json(bulk(vec![to_late.clone()], vec![]).await.unwrap())
        .await
        .unwrap();
    assert!(retry.results.iter().all(|r| r.error.is_none()), "{retry:?}");
    // The answer was lost and the whole plan goes again: each destination is answered, not stored.
    let again: BulkResponse = ok_json(
        bulk(vec![to_home_help.clone(), to_late.clone()], vec![])
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert!(again.results.iter().all(|r| r.error.is_none()), "{again:?}");
    let outbox: MessagePage = ok_json(
        a.get(relay.api_url("/v1/outbox"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    for to in [HOME_HELP.number, late.as_str()] {
        let count = outbox
            .items
            .iter()
            .filter(|m| m.counterpart.number == to)
            .count();
        assert_eq!(count, 1, "{to} holds one message");
    }

    // Another request for a destination already stored under the key is refused, before anything.
    let changed = bulk(
        vec![to_home_help, to_late],
        vec![(HOME_HELP.number, "追記")],
    )
    .await
    .unwrap();
    let (status, error) = ok_json::<serde_json::Value>(changed).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::CONFLICT, "send.idempotency_conflict")
    );
}
