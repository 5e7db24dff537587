//! The built desktop app as a user meets it, through WebDriver, against a freshly seeded relay.
//! Needs a display (xvfb-run), tauri-driver and WebKitWebDriver: run by scripts/run-tests.sh with
//! `-- --ignored`.

use careplan_desktop_e2e::{DemoRelay, Desktop};

const CARE_MANAGER: usize = 0;
const HOME_HELP: usize = 1;
const PASSWORD: &str = "demo-pass-2025";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn two_stage_login_then_the_top_page_shows_the_licence_and_a_notice() {
    let relay = DemoRelay::start().await;
    let app = Desktop::launch(&relay.app_home_for(HOME_HELP)).await;
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
    let relay = DemoRelay::start().await;
    let app = Desktop::launch(&relay.app_home_for(HOME_HELP)).await;
    app.log_in(PASSWORD).await;
    app.click("//button[@role='tab' and normalize-space()='受信一覧']")
        .await;
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
    let relay = DemoRelay::start().await;
    let app = Desktop::launch(&relay.app_home_for(HOME_HELP)).await;
    app.log_in(PASSWORD).await;
    app.click("//button[@role='tab' and normalize-space()='新規作成']")
        .await;
    app.find("//h2[normalize-space()='送信するファイル']").await;
    let broken = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/invalid/csv.encoding.bom");
    let files: Vec<_> = std::fs::read_dir(&broken)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    app.drop_files(&files).await;
    let diagnostic = app
        .text("//ul[contains(@class, 'file-checks')]/li[contains(@class, 'ng')]")
        .await;
    assert!(diagnostic.contains("BOM"), "{diagnostic}");
    app.find("//div[@role='alert' and contains(., '標準仕様に合わないファイルがあります')]")
        .await;
    app.type_into("//label[contains(., '事業所番号')]//input", "1370000018")
        .await;
    app.click("//button[normalize-space()='送信先を確認']")
        .await;
    app.find("//div[@role='status' and contains(., 'ひだまり居宅介護支援事業所')]")
        .await;
    assert!(
        !app.enabled("//button[normalize-space()='送信']").await,
        "nothing can be sent"
    );
}

/// Office B, driven by the client library (the code behind the `careplan` command line).
async fn office_client(relay: &DemoRelay, index: usize) -> careplan_client::RelayClient {
    let office = &relay.info.offices[index];
    let client = careplan_client::RelayClient::new(
        &careplan_client::RelayAddress {
            url: relay.url.clone(),
            ca_pem: std::fs::read(&relay.info.ca_certificate).unwrap(),
        },
        careplan_client::ClientIdentity::load(&office.certificate, None).unwrap(),
    )
    .unwrap();
    client
        .login(&careplan_client::LoginCredentials {
            personal_id: office.personal_user_id.clone(),
            personal_password: PASSWORD.into(),
            office_user_id: office.office_user_id.clone(),
            office_password: PASSWORD.into(),
            terminal_name: "事務所PC".into(),
        })
        .await
        .unwrap();
    client
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn a_plan_unit_sent_through_new_message_arrives_unfetched_and_is_fetched_byte_identical() {
    let relay = DemoRelay::start().await;
    let app = Desktop::launch(&relay.app_home_for(CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    app.click("//button[@role='tab' and normalize-space()='新規作成']")
        .await;
    let plan =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/valid/v41-plan");
    let mut files: Vec<_> = std::fs::read_dir(&plan)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    app.find("//h2[normalize-space()='送信するファイル']").await;
    app.drop_files(&files).await;
    app.type_into("//label[contains(., '事業所番号')]//input", "1370000026")
        .await;
    app.click("//button[normalize-space()='送信先を確認']")
        .await;
    app.find("//div[@role='status' and contains(., 'ひまわりヘルパーステーション')]")
        .await;
    app.type_into(
        "//label[contains(., 'メッセージ')]//textarea",
        "5月のケアプランです",
    )
    .await;
    // Sending waits for all four files to be checked ○.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !app.enabled("//button[normalize-space()='送信']").await {
        assert!(
            std::time::Instant::now() < deadline,
            "送信 never became possible"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.click("//button[normalize-space()='送信']").await;
    app.find("//div[@role='status' and contains(., '送信成功しました')]")
        .await;

    // Office B: the new message is first in 受信一覧, 未; fetched, byte for byte the same.
    let home_help = office_client(&relay, HOME_HELP).await;
    let inbox = home_help
        .messages(careplan_client::Mailbox::Inbox, 1, 50)
        .await
        .unwrap();
    let received = &inbox.items[0];
    assert_eq!(received.message, "5月のケアプランです");
    assert!(received.files.iter().all(|f| f.fetched_at.is_none()));
    let folder = careplan_desktop_e2e::temp_dir("fetched");
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
    app.click("//button[@role='tab' and normalize-space()='送信一覧']")
        .await;
    app.click("//button[normalize-space()='最新の情報に更新']")
        .await;
    let row = "//tr[td[contains(., '5月のケアプランです')]]";
    app.find(&format!("{row}//li[starts-with(normalize-space(), '済')]"))
        .await;
    let states = app.text(&format!("{row}/td[last()]")).await;
    assert!(!states.contains('未'), "{states}");
}
