//! 自動取得 against a real relay: files saved in ファイル連番 order (the import order), into
//! subfolders, logged; a broken download stops the pass and is fetched by the next; a read-only
//! folder or a full disk is explained and the file stays 未; two PCs of one office fetching at once
//! save each file exactly once.

mod common;

use std::path::Path;

use careplan_client::auto_fetch::{AutoFetchLog, Outcome, Subfolders};
use careplan_client::{no_progress, LocalFile, Mailbox, RelayClient};
use common::*;

/// Sends the plan (serial 2025-04-01) first, then the use sheet (serial 2025-03-25): the use sheet
/// must be imported first.
async fn send_in_reverse_serial_order(demo: &TestRelay) -> (Vec<String>, Vec<String>) {
    let care_manager = demo.logged_in(CARE_MANAGER).await;
    let mut names = Vec::new();
    for case in ["valid/v41-plan", "valid/v41-use-sheet"] {
        let files = LocalFile::read_all(&fixture_paths(case)).unwrap();
        care_manager
            .send(HOME_HELP.number, "", &files, no_progress())
            .await
            .unwrap();
        names.push(files.iter().map(|f| f.name.clone()).collect::<Vec<_>>());
    }
    let use_sheet = names.pop().unwrap();
    (use_sheet, names.pop().unwrap())
}

async fn waiting(client: &RelayClient) -> usize {
    client
        .messages(Mailbox::Inbox, 1, 50)
        .await
        .unwrap()
        .items
        .iter()
        .flat_map(|m| &m.files)
        .filter(|f| f.is_waiting())
        .count()
}

fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn files_are_saved_in_serial_order_into_a_subfolder_per_sender_and_logged() {
    let demo = TestRelay::start().await;
    let (use_sheet, plan) = send_in_reverse_serial_order(&demo).await;
    let home_help = demo.logged_in(HOME_HELP).await;
    let root = temp_dir("auto-fetch");
    let log = AutoFetchLog::at(temp_dir("app-data").join("auto-fetch.jsonl"));

    let pass = home_help
        .auto_fetch(&root, Subfolders::PerSender, Some(&log))
        .await
        .unwrap();
    let order: Vec<&str> = pass.entries.iter().map(|e| e.file_name.as_str()).collect();
    let (first, then) = order.split_at(use_sheet.len());
    let mut first = first.to_vec();
    first.sort();
    let mut sorted_use_sheet: Vec<&str> = use_sheet.iter().map(String::as_str).collect();
    sorted_use_sheet.sort();
    assert_eq!(
        first, sorted_use_sheet,
        "the earlier serial first: {order:?}"
    );
    assert_eq!(then.len(), plan.len());
    assert!(pass.entries.iter().all(|e| e.outcome == Outcome::Saved));
    assert_eq!(pass.left_waiting, 0);

    let sender = demo.office(CARE_MANAGER);
    let folder = root.join(format!("{} {}", sender.number, sender.name));
    let mut expected: Vec<String> = use_sheet.iter().chain(&plan).cloned().collect();
    expected.sort();
    assert_eq!(files_in(&folder), expected);
    for entry in &pass.entries {
        let saved = entry.saved_as.as_deref().unwrap();
        assert!(Path::new(saved).starts_with(&folder), "{saved}");
        assert_eq!(entry.sender_office, sender.number);
    }
    assert_eq!(waiting(&home_help).await, 0, "all 済");

    // The log, newest first.
    let logged = log.recent(100);
    assert_eq!(logged.len(), pass.entries.len());
    assert_eq!(logged[0], *pass.entries.last().unwrap());
    // Nothing left: the next pass does nothing and logs nothing.
    let again = home_help
        .auto_fetch(&root, Subfolders::PerSender, Some(&log))
        .await
        .unwrap();
    assert!(again.entries.is_empty());
    assert_eq!(log.recent(100).len(), pass.entries.len());
}

#[tokio::test]
async fn a_broken_download_stops_the_pass_and_the_next_pass_fetches_it_in_order() {
    let demo = TestRelay::start().await;
    let (use_sheet, plan) = send_in_reverse_serial_order(&demo).await;
    let proxy = FaultyProxy::start(demo.port()).await;
    let home_help = demo.client_at(HOME_HELP, proxy.url());
    home_help.login(&demo.credentials(HOME_HELP)).await.unwrap();
    let root = temp_dir("auto-fetch");
    let total = use_sheet.len() + plan.len();

    let listed = home_help.unfetched_messages().await.unwrap();
    proxy.cut_download_after(200);
    let broken = home_help
        .auto_fetch_messages(&listed, &root, Subfolders::None, None)
        .await
        .unwrap();
    assert_eq!(broken.entries.len(), 1, "{:?}", broken.entries);
    assert_eq!(broken.entries[0].outcome, Outcome::Failed);
    assert!(use_sheet.contains(&broken.entries[0].file_name));
    let reason = broken.entries[0].reason.as_deref().unwrap();
    assert!(reason.contains("連携基盤に接続できません"), "{reason}");
    assert_eq!(broken.left_waiting, total - 1, "the later files wait");
    assert!(
        files_in(&root).is_empty(),
        "nothing half-written: {:?}",
        files_in(&root)
    );
    assert_eq!(waiting(&home_help).await, total, "still 未 at the relay");

    let next = home_help
        .auto_fetch(&root, Subfolders::None, None)
        .await
        .unwrap();
    assert_eq!(next.count(Outcome::Saved), total);
    assert_eq!(next.entries[0].file_name, broken.entries[0].file_name);
    assert_eq!(files_in(&root).len(), total);
    assert_eq!(waiting(&home_help).await, 0);
}

#[tokio::test]
async fn a_read_only_folder_or_a_full_disk_is_explained_and_the_files_stay_unfetched() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let home_help = demo.logged_in(HOME_HELP).await;
    let before = waiting(&home_help).await;
    assert!(before > 0);

    let read_only = ReadOnlyFolder::new();
    let pass = home_help
        .auto_fetch(&read_only.0, Subfolders::None, None)
        .await
        .unwrap();
    assert_eq!(pass.entries.len(), 1);
    assert_eq!(pass.entries[0].outcome, Outcome::Failed);
    assert!(
        pass.entries[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("書き込めません"),
        "{:?}",
        pass.entries[0]
    );
    assert_eq!(waiting(&home_help).await, before);

    // A subfolder that cannot be made is the same refusal.
    let pass = home_help
        .auto_fetch(&read_only.0, Subfolders::PerMonth, None)
        .await
        .unwrap();
    assert_eq!(pass.entries[0].outcome, Outcome::Failed);
    assert!(pass.entries[0]
        .reason
        .as_deref()
        .unwrap()
        .contains("作れません"));

    match FullFolder::new() {
        Some(full) => {
            let pass = home_help
                .auto_fetch(&full.0, Subfolders::None, None)
                .await
                .unwrap();
            assert_eq!(pass.entries[0].outcome, Outcome::Failed);
            let reason = pass.entries[0].reason.as_deref().unwrap();
            assert!(reason.contains("ディスクがいっぱい"), "{reason}");
            assert_eq!(files_in(&full.0), ["filler"], "no part file left");
            assert_eq!(waiting(&home_help).await, before);
        }
        None => eprintln!("skipped the full disk: mounting a tmpfs needs root"),
    }

    // A chosen folder that is gone is a setting to fix, not a folder to make.
    let missing = demo.dir.join("no-such-folder");
    let pass = home_help
        .auto_fetch(&missing, Subfolders::PerSender, None)
        .await
        .unwrap();
    assert!(pass.entries[0]
        .reason
        .as_deref()
        .unwrap()
        .contains("設定で保存先"));
    assert!(!missing.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_pcs_of_one_office_fetching_at_once_save_each_file_exactly_once() {
    let demo = TestRelay::start().await;
    let (use_sheet, plan) = send_in_reverse_serial_order(&demo).await;
    let total = use_sheet.len() + plan.len();
    let front_desk = demo.logged_in_on(HOME_HELP, "受付PC").await;
    let office = demo.logged_in_on(HOME_HELP, "事務所PC").await;
    let (folder_a, folder_b) = (temp_dir("pc-a"), temp_dir("pc-b"));
    let (a, b) = tokio::join!(
        front_desk.auto_fetch(&folder_a, Subfolders::None, None),
        office.auto_fetch(&folder_b, Subfolders::None, None),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.count(Outcome::Saved) + b.count(Outcome::Saved), total);
    assert_eq!(a.count(Outcome::Failed) + b.count(Outcome::Failed), 0);
    assert_eq!(
        a.count(Outcome::TakenElsewhere) + b.count(Outcome::TakenElsewhere),
        a.entries.len() + b.entries.len() - total
    );
    // On disk too: every file once, in one of the two folders, no stray copy.
    let mut saved: Vec<String> = files_in(&folder_a)
        .into_iter()
        .chain(files_in(&folder_b))
        .collect();
    saved.sort();
    let mut expected: Vec<String> = use_sheet.into_iter().chain(plan).collect();
    expected.sort();
    assert_eq!(saved, expected);
    assert_eq!(waiting(&office).await, 0);
}

#[tokio::test]
async fn a_log_that_cannot_be_written_loses_no_file_and_says_so() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let home_help = demo.logged_in(HOME_HELP).await;
    let waiting_before = waiting(&home_help).await;
    let read_only = ReadOnlyFolder::new();
    let log = AutoFetchLog::at(read_only.0.join("auto-fetch.jsonl"));
    let root = temp_dir("auto-fetch");
    let pass = home_help
        .auto_fetch(&root, Subfolders::None, Some(&log))
        .await
        .unwrap();
    assert_eq!(pass.count(Outcome::Saved), waiting_before);
    let failure = pass.log_failure.expect("the log's failure is told");
    assert_eq!(failure.code(), "auto_fetch.log_unwritable");
    assert_eq!(files_in(&root).len(), waiting_before);
}

#[tokio::test]
async fn a_senders_failure_holds_back_only_that_senders_later_files() {
    let demo = TestRelay::start().await;
    for (seed, case) in [
        (HOME_HELP, "valid/v41-actual"),
        (WELFARE_EQUIPMENT, "valid/v41-actual-welfare-equipment"),
    ] {
        let sender = demo.logged_in(seed).await;
        let files = LocalFile::read_all(&fixture_paths(case)).unwrap();
        sender
            .send(CARE_MANAGER.number, "", &files, no_progress())
            .await
            .unwrap();
    }
    let proxy = FaultyProxy::start(demo.port()).await;
    let care_manager = demo.client_at(CARE_MANAGER, proxy.url());
    care_manager
        .login(&demo.credentials(CARE_MANAGER))
        .await
        .unwrap();
    let listed = care_manager.unfetched_messages().await.unwrap();
    // The first in serial order is ひまわり's 実績 (18:00); its download breaks.
    proxy.cut_download_after(200);
    let root = temp_dir("auto-fetch");
    let pass = care_manager
        .auto_fetch_messages(&listed, &root, Subfolders::None, None)
        .await
        .unwrap();
    let outcomes: Vec<(&str, Outcome)> = pass
        .entries
        .iter()
        .map(|e| (e.sender_office.as_str(), e.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            (HOME_HELP.number, Outcome::Failed),
            (WELFARE_EQUIPMENT.number, Outcome::Saved)
        ]
    );
    assert_eq!(files_in(&root).len(), 1);
}
