//! The built desktop app as a user meets it, through WebDriver, against a freshly seeded relay.
//! Needs a display (xvfb-run), tauri-driver and WebKitWebDriver: run by scripts/run-tests.sh with
//! `-- --ignored`.

use careplan_desktop_e2e::{
    app_home_for, demo_relay, files_in, fixture_folder, tab, temp_dir, Desktop, CARE_MANAGER,
    HOME_HELP, PASSWORD,
};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn two_stage_login_then_the_top_page_shows_the_licence_and_a_notice() {
    let relay = demo_relay().await;
    let app = Desktop::launch(&app_home_for(&relay, HOME_HELP)).await;
    app.log_in(PASSWORD).await;
    app.find("//header//span[contains(., 'ひまわりヘルパーステーション（1370000026）')]")
        .await;
    let licence = app.text("//p[contains(., 'ライセンスの有効期間')]").await;
    assert!(licence.contains("～"), "{licence}");
    app.find("//section//li[contains(., 'システムメンテナンスのお知らせ')]")
        .await;
    // The demo licence runs out in under 30 days: the warning is there.
    app.find("//div[contains(@class, 'warning') and contains(., '日で期限が切れます')]")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn unfetched_rows_of_the_inbox_are_pale_green() {
    let relay = demo_relay().await;
    let app = Desktop::launch(&app_home_for(&relay, HOME_HELP)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("受信一覧")).await;
    let row = "//tr[contains(@class, 'unfetched')]//td[contains(., '4月のケアプランです')]";
    let colour = app.css(row, "background-color").await;
    assert_eq!(
        colour, "rgb(227, 244, 230)",
        "the theme's --color-unfetched-row"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn a_broken_csv_dropped_into_new_message_is_explained_and_not_sent() {
    let relay = demo_relay().await;
    let app = Desktop::launch(&app_home_for(&relay, HOME_HELP)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("新規作成")).await;
    app.find("//h2[normalize-space()='送信するファイル']").await;
    app.drop_files(&files_in(&fixture_folder("invalid/csv.encoding.bom")))
        .await;
    let diagnostic = app
        .text("//ul[contains(@class, 'file-checks')]/li[contains(@class, 'ng')]")
        .await;
    assert!(diagnostic.contains("BOM"), "{diagnostic}");
    app.find("//div[@role='alert' and contains(., '標準仕様に合わないファイルがあります')]")
        .await;
    app.confirm_destination("1370000018", "ひだまり居宅介護支援事業所")
        .await;
    assert!(
        !app.enabled("//button[normalize-space()='送信']").await,
        "nothing can be sent"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn a_plan_unit_sent_through_new_message_arrives_unfetched_and_is_fetched_byte_identical() {
    let relay = demo_relay().await;
    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("新規作成")).await;
    let files = files_in(&fixture_folder("valid/v41-plan"));
    app.find("//h2[normalize-space()='送信するファイル']").await;
    app.drop_files(&files).await;
    app.confirm_destination("1370000026", "ひまわりヘルパーステーション")
        .await;
    app.type_into(
        "//label[contains(., 'メッセージ')]//textarea",
        "5月のケアプランです",
    )
    .await;
    // Sending waits for all four files to be checked ○.
    app.send_and_wait().await;

    // Office B: the new message is first in 受信一覧, 未; fetched, byte for byte the same.
    let home_help = relay.logged_in_on(HOME_HELP, "事務所PC").await;
    let inbox = home_help
        .messages(careplan_client::Mailbox::Inbox, 1, 50)
        .await
        .unwrap();
    let received = &inbox.items[0];
    assert_eq!(received.message, "5月のケアプランです");
    assert!(received.files.iter().all(|f| f.fetched_at.is_none()));
    let folder = temp_dir("fetched");
    let report = home_help
        .fetch_messages(
            std::slice::from_ref(received),
            &folder,
            careplan_client::no_progress(),
        )
        .await;
    assert!(report.failed.is_empty());
    for original in &files {
        let saved = folder.join(original.file_name().unwrap());
        assert_eq!(
            std::fs::read(saved).unwrap(),
            std::fs::read(original).unwrap()
        );
    }

    // Office A's 送信一覧 shows 済.
    app.click(&tab("送信一覧")).await;
    app.click("//button[normalize-space()='最新の情報に更新']")
        .await;
    let row = "//tr[td[contains(., '5月のケアプランです')]]";
    app.find(&format!("{row}//li[starts-with(normalize-space(), '済')]"))
        .await;
    let states = app.text(&format!("{row}/td[last()]")).await;
    assert!(!states.contains('未'), "{states}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn bulk_send_to_three_offices_where_one_does_not_exist() {
    let relay = demo_relay().await;
    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    let folder = temp_dir("bulk");
    let deletion = |to: &str, kind: &str, second: u32| {
        let path = folder.join(format!(
            "DLT1KYO_1370000018_43_{to}_{kind}_202505011000{second:02}.CSV"
        ));
        std::fs::write(&path, b"202407,131016,0000012345,20250401\r\n").unwrap();
        path
    };
    let files = vec![
        deletion("1370000026", "11", 1),
        deletion("1370000034", "15", 2),
        deletion("1390000095", "11", 3),
    ];
    app.click(&tab("一括送信")).await;
    app.find("//h2[normalize-space()='一括送信するファイル']")
        .await;
    app.drop_files(&files).await;
    app.find(
        "//tr[@data-testid='destination-1390000095' and contains(., '登録されていない事業所')]",
    )
    .await;
    // (The tab has the same label: the action button is the one that is not a tab.)
    app.click("//button[not(@role='tab') and normalize-space()='一括送信']")
        .await;
    let results = "//section[@aria-label='一括送信の結果']";
    app.find(&format!(
        "{results}//li[contains(., 'ひまわりヘルパーステーション（1370000026）: 成功')]"
    ))
    .await;
    app.find(&format!(
        "{results}//li[contains(., 'あおぞらデイサービス（1370000034）: 成功')]"
    ))
    .await;
    let failed = app
        .text(&format!("{results}//li[contains(., '1390000095')]"))
        .await;
    assert!(failed.contains("登録されていません"), "{failed}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn a_draft_saved_on_another_terminal_is_opened_and_sent() {
    let relay = demo_relay().await;
    let paths = files_in(&fixture_folder("valid/v41-use-sheet"));
    let other_terminal = relay.logged_in_on(CARE_MANAGER, "相談室PC").await;
    other_terminal
        .save_draft(
            "1370000026",
            "相談室で作った下書き",
            &careplan_client::LocalFile::read_all(&paths).unwrap(),
        )
        .await
        .unwrap();

    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("下書き一覧")).await;
    let row = "//tr[td[normalize-space()='相談室PC']]";
    app.find(&format!("{row}/td[contains(., '相談室で作った下書き')]"))
        .await;
    app.click(&format!("{row}//button[normalize-space()='開く']"))
        .await;
    app.find("//p[normalize-space()='下書きを編集しています。']")
        .await;
    app.send_and_wait().await;
    assert!(
        other_terminal.drafts().await.unwrap().is_empty(),
        "the draft is gone"
    );
    let outbox = other_terminal
        .messages(careplan_client::Mailbox::Outbox, 1, 50)
        .await
        .unwrap();
    assert_eq!(outbox.items[0].message, "相談室で作った下書き");
}
