//! 受信通知 in the built app, through WebDriver against a demo relay: a partner sends, and without a
//! click 受信一覧's count on its tab goes up and the new row appears in the list.

use careplan_client::{no_progress, LocalFile};
use careplan_desktop_e2e::{
    app_home_for, demo_relay, tab, Desktop, CARE_MANAGER, HOME_HELP, PASSWORD,
};

const BADGE: &str = "//button[@role='tab' and normalize-space(text()[1])='受信一覧']/span[contains(@class, 'badge')]";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn a_partners_send_shows_on_the_tab_and_in_the_list_without_a_click() {
    let relay = demo_relay().await;
    let app = Desktop::launch(&app_home_for(&relay, HOME_HELP)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("受信一覧")).await;
    let before: u64 = app
        .text(BADGE)
        .await
        .trim()
        .parse()
        .expect("a count of files waiting");

    let sender = relay.logged_in(CARE_MANAGER).await;
    let files: Vec<LocalFile> = careplan_test_support::fixtures::fixture_files("valid/v41-plan")
        .into_iter()
        .map(|(name, bytes)| LocalFile {
            name,
            bytes: bytes.into(),
        })
        .collect();
    sender
        .send(
            HOME_HELP.number,
            "受信通知の確認です",
            &files,
            no_progress(),
        )
        .await
        .unwrap();

    let after = format!(
        "{BADGE}[normalize-space()='{}']",
        before + files.len() as u64
    );
    app.find(&after).await;
    app.find("//table//tr[contains(., '受信通知の確認です')]")
        .await;
    app.keep_screenshot("feed").await;
}
