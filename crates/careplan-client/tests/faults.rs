//! What goes wrong for real users: wrong passwords, locked IDs, an unreachable relay, certificates
//! that are expired, foreign or locked by a wrong password, broken downloads, read-only folders and
//! answers lost on the way back.

mod common;

use careplan_client::{no_progress, ClientError, ClientIdentity, LocalFile, Mailbox, RelayClient};
use careplan_relay::pki::CertSubject;
use common::*;

fn code_of<T: std::fmt::Debug>(result: Result<T, ClientError>) -> String {
    result.unwrap_err().code().to_owned()
}

#[tokio::test]
async fn login_refusals_carry_the_relays_japanese_reason() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let client = demo.client(HOME_HELP);
    let mut credentials = demo.credentials(HOME_HELP);
    credentials.office_password = "wrong-password".into();
    let error = client.login(&credentials).await.unwrap_err();
    assert_eq!(error.code(), "auth.invalid_credentials");
    assert!(!error.to_string().is_ascii(), "{error}");
    assert!(!client.is_logged_in());

    let proxy_id = client.login_personal("HD0000000001", "whatever-pass").await;
    assert_eq!(code_of(proxy_id), "auth.proxy_id");

    // Five wrong passwords in a row lock the ID, and then even the right one is refused.
    let personal = demo.office(HOME_HELP).personal_user_id.clone();
    for _ in 0..5 {
        let _ = client.login_personal(&personal, "wrong-password").await;
    }
    let right = demo.office(HOME_HELP).personal_password.clone();
    let locked = client.login_personal(&personal, &right).await.unwrap_err();
    assert_eq!(locked.code(), "auth.locked");
    assert!(locked.to_string().contains("ロック"), "{locked}");
}

#[tokio::test]
async fn an_unreachable_relay_is_a_connection_error() {
    let mut demo = TestRelay::builder().demo_messages().start().await;
    demo.stop().await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let client = demo.client(HOME_HELP);
    let error = client
        .login(&demo.credentials(HOME_HELP))
        .await
        .unwrap_err();
    assert!(error.is_connection());
    assert_eq!(error.code(), "connection.failed");
    assert!(error.to_string().contains("接続できません"), "{error}");
}

#[tokio::test]
async fn certificates_expired_foreign_or_locked_are_refused_clearly() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let office = demo.office(HOME_HELP).clone();
    let now = time::OffsetDateTime::now_utc();
    let expired = demo
        .relay
        .issue_certificate_between(
            &office.number,
            CertSubject::KaigoJigyousho,
            now - time::Duration::days(400),
            now - time::Duration::days(30),
            &demo.dir.join("expired"),
            "expired-pass",
        )
        .await
        .unwrap();
    let client = RelayClient::new(
        &demo.address_at(demo.url()),
        ClientIdentity::load(&expired.certificate, None).unwrap(),
    )
    .unwrap();
    let error = client
        .login(&demo.credentials(HOME_HELP))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "auth.certificate_expired");
    assert!(error.to_string().contains("有効期限"), "{error}");

    let wrong_password = ClientIdentity::load(&office.pkcs12, Some("not-the-password"));
    assert_eq!(code_of(wrong_password), "certificate.password_wrong");
    let no_password = ClientIdentity::load(&office.pkcs12, None);
    assert_eq!(code_of(no_password), "certificate.password_missing");
    let not_a_certificate = ClientIdentity::load(&demo.dir.join("demo.json"), None);
    assert_eq!(code_of(not_a_certificate), "certificate.invalid");

    // Another relay's certificate: refused in the handshake.
    let other = TestRelay::builder().demo_messages().start().await;
    let foreign = RelayClient::new(
        &demo.address_at(demo.url()),
        ClientIdentity::load(&other.office(HOME_HELP).certificate, None).unwrap(),
    )
    .unwrap();
    let error = foreign
        .login(&demo.credentials(HOME_HELP))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "connection.tls", "{error}");
    assert!(error.is_connection());
    // A server the configured CA does not vouch for: not trusted.
    let impostor = demo.client_at(HOME_HELP, other.url());
    let error = impostor
        .login(&demo.credentials(HOME_HELP))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "connection.tls");
    assert!(error.to_string().contains("接続先"), "{error}");
}

#[tokio::test]
async fn settings_that_cannot_work_are_refused_before_connecting() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let identity = || ClientIdentity::load(&demo.office(HOME_HELP).certificate, None).unwrap();
    let mut address = demo.address_at("http://127.0.0.1:1".into());
    assert_eq!(
        code_of(RelayClient::new(&address, identity())),
        "settings.relay_url"
    );
    address.url = demo.url();
    address.ca_pem = b"not a certificate".to_vec();
    assert_eq!(
        code_of(RelayClient::new(&address, identity())),
        "settings.ca"
    );
}

/// A 2 MB file from the care manager to 訪問介護, for downloads long enough to break.
async fn send_large_file(demo: &TestRelay) -> Vec<u8> {
    let bytes: Vec<u8> = (0..2_000_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    care_manager
        .send(
            &demo.office(HOME_HELP).number,
            "資料です",
            &[LocalFile {
                name: "資料.txt".into(),
                bytes: bytes.clone().into(),
            }],
            no_progress(),
        )
        .await
        .unwrap();
    bytes
}

#[tokio::test]
async fn a_download_broken_midway_stays_unfetched_and_a_retry_gets_identical_bytes() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let original = send_large_file(&demo).await;
    let proxy = FaultyProxy::start(demo.port()).await;
    let home_help = demo.client_at(HOME_HELP, proxy.url());
    home_help.login(&demo.credentials(HOME_HELP)).await.unwrap();
    let inbox = home_help.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    let file = inbox.items[0].files[0].clone();
    assert_eq!(file.name, "資料.txt");
    let folder = temp_dir("broken");

    proxy.cut_download_after(300_000);
    let error = home_help
        .fetch_file(&file, &folder, no_progress())
        .await
        .unwrap_err();
    assert_eq!(proxy.cuts.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert!(error.is_connection(), "{error:?}");
    assert_eq!(
        std::fs::read_dir(&folder).unwrap().count(),
        0,
        "nothing half-written is left behind"
    );
    let inbox = home_help.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    assert!(inbox.items[0].files[0].fetched_at.is_none(), "still 未");

    let fetched = home_help
        .fetch_file(&file, &folder, no_progress())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&fetched.saved_as).unwrap(), original);
    assert_eq!(fetched.saved_as, folder.join("資料.txt"));
}

#[tokio::test]
async fn a_read_only_folder_is_explained_and_the_file_stays_unfetched() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let home_help = demo.logged_in(HOME_HELP).await;
    let inbox = home_help.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    let file = inbox.items[0].files[0].clone();
    let folder = ReadOnlyFolder::new();
    let error = home_help
        .fetch_file(&file, &folder.0, no_progress())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "fetch.folder_not_writable");
    assert!(error.to_string().contains("書き込めません"), "{error}");
    let inbox = home_help.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    assert!(inbox.items[0].files[0].fetched_at.is_none(), "still 未");

    let missing = home_help
        .fetch_file(&file, &demo.dir.join("no-such-folder"), no_progress())
        .await
        .unwrap_err();
    assert_eq!(missing.code(), "fetch.folder_missing");
}

#[tokio::test]
async fn a_send_whose_answer_was_lost_is_retried_and_stored_once() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let proxy = FaultyProxy::start(demo.port()).await;
    let care_manager = demo.client_at(CARE_MANAGER, proxy.url());
    care_manager
        .login(&demo.credentials(CARE_MANAGER))
        .await
        .unwrap();
    let before = care_manager
        .messages(Mailbox::Outbox, 1, 50)
        .await
        .unwrap()
        .total;
    let files = LocalFile::read_all(&fixture_paths("valid/v41-use-sheet")).unwrap();
    // The request reaches the relay (the answer comes only after all of it); the answer is lost.
    let size: usize = files.iter().map(|f| f.bytes.len()).sum();
    proxy.drop_answer_after_upload_of(size as u64 / 2);
    let sent = care_manager
        .send(
            &demo.office(HOME_HELP).number,
            "再送のテスト",
            &files,
            no_progress(),
        )
        .await
        .unwrap();
    assert_eq!(proxy.cuts.load(std::sync::atomic::Ordering::SeqCst), 1);
    let outbox = care_manager.messages(Mailbox::Outbox, 1, 50).await.unwrap();
    assert_eq!(outbox.total, before + 1, "stored once");
    assert_eq!(outbox.items[0].id, sent.message.id);
}
