//! The client against a real relay: login, send, lists, safe fetch, bulk send, drafts, and the
//! errors a user will meet.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use careplan_client::{no_progress, BulkExtras, LocalFile, Mailbox, ProgressFn};
use common::*;

#[tokio::test]
async fn a_use_sheet_goes_from_the_care_manager_and_is_fetched_once() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let home_help = demo.logged_in(HOME_HELP).await;
    let help_number = demo.office(HOME_HELP).number.clone();

    let files = LocalFile::read_all(&fixture_paths("valid/v41-use-sheet")).unwrap();
    let uploaded = Arc::new(AtomicU64::new(0));
    let seen = uploaded.clone();
    let progress: ProgressFn = Arc::new(move |p| {
        assert!(p.done <= p.total);
        seen.store(p.done, Ordering::SeqCst);
    });
    let sent = care_manager
        .send(&help_number, "5月分の利用票です。", &files, progress)
        .await
        .unwrap();
    let total: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
    assert_eq!(
        uploaded.load(Ordering::SeqCst),
        total,
        "progress reached 100%"
    );
    assert_eq!(sent.message.files.len(), 3);

    let outbox = care_manager.messages(Mailbox::Outbox, 1, 50).await.unwrap();
    assert_eq!(outbox.items[0].id, sent.message.id, "newest first");

    let inbox = home_help.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    let received = &inbox.items[0];
    assert_eq!(received.id, sent.message.id);
    assert_eq!(received.message, "5月分の利用票です。");
    assert!(received.files.iter().all(|f| f.fetched_at.is_none()), "未");

    let folder = temp_dir("fetch");
    let report = home_help
        .fetch_messages(std::slice::from_ref(received), &folder, no_progress())
        .await;
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.fetched.len(), 3);
    for (fetched, original) in report.fetched.iter().zip(&files) {
        assert_eq!(fetched.saved_as, folder.join(&original.name));
        assert_eq!(std::fs::read(&fetched.saved_as).unwrap(), original.bytes);
    }
    let leftovers: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let inbox = home_help.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    assert!(
        inbox.items[0].files.iter().all(|f| f.fetched_at.is_some()),
        "済"
    );
    let again = home_help
        .fetch_file(&inbox.items[0].files[0], &folder, no_progress())
        .await
        .unwrap_err();
    assert_eq!(again.code(), "fetch.already_fetched");
    assert!(again.to_string().contains("既に取得済み"), "{again}");
    // The sender sees ダウンロード状況 済 too.
    let outbox = care_manager.messages(Mailbox::Outbox, 1, 50).await.unwrap();
    assert!(outbox.items[0].files.iter().all(|f| f.fetched_at.is_some()));
}

#[tokio::test]
async fn fetch_all_takes_every_unfetched_file_of_the_inbox() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let home_help = demo.logged_in(HOME_HELP).await;
    let unfetched = home_help.unfetched_messages().await.unwrap();
    assert_eq!(unfetched.len(), 2, "the demo's plan and use sheet");
    let folder = temp_dir("fetch-all");
    let report = home_help
        .fetch_messages(&unfetched, &folder, no_progress())
        .await;
    assert_eq!((report.fetched.len(), report.failed.len()), (8, 0));
    assert!(home_help.unfetched_messages().await.unwrap().is_empty());
    assert_eq!(home_help.home().await.unwrap().unfetched, 0);
}

#[tokio::test]
async fn an_existing_file_of_the_same_name_is_never_overwritten() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let inbox = care_manager.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    let file = &inbox.items[0].files[0];
    let folder = temp_dir("same-name");
    let mine = folder.join(&file.name);
    std::fs::write(&mine, "事業所で編集したファイル").unwrap();
    let fetched = care_manager
        .fetch_file(file, &folder, no_progress())
        .await
        .unwrap();
    let stem = file.name.trim_end_matches(".CSV");
    assert_eq!(fetched.saved_as, folder.join(format!("{stem} (1).CSV")));
    assert_eq!(
        std::fs::read_to_string(&mine).unwrap(),
        "事業所で編集したファイル"
    );
    assert_eq!(
        hex::encode(sha2_digest(&std::fs::read(&fetched.saved_as).unwrap())),
        file.sha256
    );
}

fn sha2_digest(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}

#[tokio::test]
async fn bulk_send_routes_by_file_name_and_reports_each_destination() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let help_number = demo.office(HOME_HELP).number.clone();
    let mut files = LocalFile::read_all(&fixture_paths("valid/v41-plan")).unwrap();
    // A file for an office that is not registered: its destination fails, the plan still goes.
    files.push(LocalFile {
        name: "DLT1KYO_1370000018_43_1390000095_11_20250501100000.CSV".into(),
        bytes: bytes::Bytes::from_static(b"202407,131016,0000012345,20250401\r\n"),
    });
    let mut extras = BulkExtras::default();
    extras
        .messages
        .insert(help_number.clone(), "4月の計画です".into());
    extras.attachments.insert(
        help_number.clone(),
        vec![LocalFile {
            name: "連絡事項.txt".into(),
            bytes: bytes::Bytes::from_static("よろしくお願いします".as_bytes()),
        }],
    );
    let response = care_manager
        .bulk_send(&files, &extras, no_progress())
        .await
        .unwrap();
    assert_eq!(response.results.len(), 2);
    let to_help = response
        .results
        .iter()
        .find(|r| r.to.as_deref() == Some(help_number.as_str()))
        .unwrap();
    assert!(to_help.error.is_none());
    assert_eq!(to_help.files.len(), 5, "4 plan files and the attachment");
    assert_eq!(to_help.message.as_ref().unwrap().message, "4月の計画です");
    let failed = response
        .results
        .iter()
        .find(|r| r.to.as_deref() == Some("1390000095"))
        .unwrap();
    assert_eq!(
        failed.error.as_ref().unwrap().code,
        "send.unknown_destination"
    );
}

#[tokio::test]
async fn drafts_are_saved_reopened_and_sent() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let help_number = demo.office(HOME_HELP).number.clone();
    let files = LocalFile::read_all(&fixture_paths("valid/v41-use-sheet")).unwrap();
    let draft = care_manager
        .save_draft(&help_number, "下書きです", &files[..1])
        .await
        .unwrap();
    assert_eq!(draft.terminal_name, "テスト端末");
    let draft = care_manager
        .replace_draft(&draft.id, &help_number, "下書きです（全部）", &files)
        .await
        .unwrap();
    assert_eq!(draft.files.len(), 3);
    let listed = care_manager.drafts().await.unwrap();
    assert_eq!(listed.len(), 1);
    let reopened = care_manager.draft_files(&listed[0]).await.unwrap();
    assert_eq!(reopened.len(), 3);
    for file in &reopened {
        let original = files.iter().find(|f| f.name == file.name).unwrap();
        assert_eq!(file.bytes, original.bytes);
    }
    let sent = care_manager.send_draft(&draft.id).await.unwrap();
    assert_eq!(sent.message.message, "下書きです（全部）");
    assert!(care_manager.drafts().await.unwrap().is_empty());
    let gone = care_manager.draft(&draft.id).await.unwrap_err();
    assert_eq!(gone.code(), "draft.not_found");
    let bad = care_manager.draft("../v1/inbox").await.unwrap_err();
    assert_eq!(bad.code(), "draft.id_invalid");
}

#[tokio::test]
async fn invalid_files_are_refused_with_the_specs_diagnostics() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let help_number = demo.office(HOME_HELP).number.clone();
    let mut files = LocalFile::read_all(&fixture_paths("valid/v41-use-sheet")).unwrap();
    files.truncate(1); // a use-sheet unit without its other files
    let error = care_manager
        .send(&help_number, "", &files, no_progress())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "send.invalid_files");
    assert!(!error.diagnostics().is_empty());
    assert!(!error.is_connection());
    let missing = LocalFile::read(&demo.dir.join("none.CSV")).unwrap_err();
    assert_eq!(missing.code(), "file.not_found");
    assert!(!missing.to_string().contains("os error"), "{missing}");
}
