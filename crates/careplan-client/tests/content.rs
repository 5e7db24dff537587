//! 内容を見る: a received file read into memory without being fetched (it stays 未), checked as
//! データ取得 checks it; and where データ取得 saved a file, to open it again.

mod common;

use careplan_api::FileEntry;
use careplan_client::{find_saved, no_progress, ClientError, LocalFile, Mailbox, RelayClient};
use common::*;
use sha2::Digest;

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

async fn inbox_files(client: &RelayClient) -> Vec<FileEntry> {
    let inbox = client.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    inbox.items.into_iter().flat_map(|m| m.files).collect()
}

#[tokio::test]
async fn a_file_looked_at_twice_stays_unfetched_and_is_then_fetched_as_usual() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let home_help = demo.logged_in(HOME_HELP).await;
    let files = inbox_files(&home_help).await;
    assert!(files.len() > 1, "the demo's plan and use sheet");
    let unfetched_before = home_help.home().await.unwrap().unfetched;

    let mut looked_at: Vec<LocalFile> = Vec::new();
    for file in &files {
        let first = home_help.file_content(file).await.unwrap();
        let second = home_help.file_content(file).await.unwrap();
        assert_eq!(first.name, file.name, "named as at the relay");
        assert_eq!(first.bytes.len() as u64, file.size);
        assert_eq!(sha256_hex(&first.bytes), file.sha256);
        assert_eq!(first.bytes, second.bytes);
        looked_at.push(first);
    }
    let after = inbox_files(&home_help).await;
    assert_eq!(after.len(), files.len());
    assert!(
        after.iter().all(|f| f.fetched_at.is_none()),
        "still 未: looking is not データ取得"
    );
    assert_eq!(home_help.home().await.unwrap().unfetched, unfetched_before);
    // The sender's ダウンロード状況 says nothing was fetched either.
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let outbox = care_manager.messages(Mailbox::Outbox, 1, 50).await.unwrap();
    assert!(outbox
        .items
        .iter()
        .flat_map(|m| &m.files)
        .all(|f| f.fetched_at.is_none()));

    let folder = temp_dir("content-then-fetch");
    let unfetched = home_help.unfetched_messages().await.unwrap();
    let report = home_help
        .fetch_messages(&unfetched, &folder, no_progress())
        .await;
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.fetched.len(), files.len());
    for fetched in &report.fetched {
        let seen = looked_at.iter().find(|f| f.name == fetched.name).unwrap();
        assert_eq!(std::fs::read(&fetched.saved_as).unwrap(), seen.bytes);
        assert!(!fetched.already_there);
    }
    assert!(inbox_files(&home_help)
        .await
        .iter()
        .all(|f| f.fetched_at.is_some()));
}

#[tokio::test]
async fn a_file_already_fetched_is_refused_with_the_relays_message() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let file = inbox_files(&care_manager).await.remove(0);
    care_manager
        .fetch_file(&file, &temp_dir("content-fetched"), no_progress())
        .await
        .unwrap();
    // The entry as the list showed it before データ取得 (another PC's list, say).
    let error = care_manager.file_content(&file).await.unwrap_err();
    assert!(
        matches!(error, ClientError::Refused { status: 410, .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), "file.already_fetched");
    assert!(
        error.to_string().contains("既にデータ取得済みです"),
        "{error}"
    );
}

/// A 2 MB file from the care manager to 訪問介護: many chunks, so a limit can fall mid-way.
async fn large_file(demo: &TestRelay) -> (RelayClient, FileEntry) {
    let bytes: Vec<u8> = (0..2_000_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    demo.logged_in(CARE_MANAGER)
        .await
        .send(
            &demo.office(HOME_HELP).number,
            "資料です",
            &[LocalFile {
                name: "資料.txt".into(),
                bytes: bytes.into(),
            }],
            no_progress(),
        )
        .await
        .unwrap();
    let home_help = demo.logged_in(HOME_HELP).await;
    let file = inbox_files(&home_help)
        .await
        .into_iter()
        .find(|f| f.name == "資料.txt")
        .unwrap();
    (home_help, file)
}

#[tokio::test]
async fn bytes_that_are_not_the_file_listed_are_refused_when_looked_at_and_when_fetched() {
    let demo = TestRelay::start().await;
    let (home_help, file) = large_file(&demo).await;

    // At the limit: exactly the size the list gives.
    let exact = home_help.file_content(&file).await.unwrap();
    assert_eq!(exact.bytes.len(), 2_000_000);
    // One byte past it: the relay sends more than the list said.
    let smaller = FileEntry {
        size: file.size - 1,
        ..file.clone()
    };
    let error = home_help.file_content(&smaller).await.unwrap_err();
    assert_eq!(error.code(), "fetch.integrity");
    assert_eq!(
        error.to_string(),
        "「資料.txt」を正しく受け取れませんでした（内容が一致しません）。もう一度取得してください。"
    );
    let other_digest = FileEntry {
        sha256: sha256_hex(b"other bytes"),
        ..file.clone()
    };
    let error = home_help.file_content(&other_digest).await.unwrap_err();
    assert_eq!(error.code(), "fetch.integrity");

    // データ取得 takes the bytes by the same path: refused, nothing left in the folder, still 未.
    let folder = temp_dir("content-not-as-listed");
    for wrong in [&smaller, &other_digest] {
        let error = home_help
            .fetch_file(wrong, &folder, no_progress())
            .await
            .unwrap_err();
        assert_eq!(error.code(), "fetch.integrity");
    }
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    let listed = inbox_files(&home_help)
        .await
        .into_iter()
        .find(|f| f.id == file.id)
        .unwrap();
    assert!(listed.fetched_at.is_none(), "still 未");
}

#[test]
fn find_saved_finds_a_numbered_copy_and_ignores_a_same_named_file_with_other_bytes() {
    let folder = temp_dir("find-saved");
    let name = "UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV";
    let received = "受け取った内容".as_bytes();
    let digest = sha256_hex(received);
    assert_eq!(find_saved(&folder, name, &digest), None, "an empty folder");

    std::fs::write(folder.join(name), "事業所で編集したファイル").unwrap();
    assert_eq!(
        find_saved(&folder, name, &digest),
        None,
        "the same name with other bytes is not it"
    );
    let numbered = folder.join("UPPLAN_202504_1370000018_43_1370000026_11_20250325120000 (1).CSV");
    std::fs::write(&numbered, received).unwrap();
    assert_eq!(find_saved(&folder, name, &digest), Some(numbered.clone()));
    assert_eq!(
        find_saved(&folder, name, &digest.to_uppercase()),
        Some(numbered),
        "the digest in either case"
    );

    // A name Windows cannot hold is looked for as データ取得 saves it.
    std::fs::write(folder.join("見積_2025.txt"), received).unwrap();
    assert_eq!(
        find_saved(&folder, "見積:2025.txt", &digest),
        Some(folder.join("見積_2025.txt"))
    );
}
