//! 送受信履歴 in the built app, through WebDriver against a demo relay: what the care office sent,
//! and who at the partner took it, on screen; a filter; and the A4 report an inspector is shown.
//! With `CAREPLAN_SCREENSHOTS_DIR`, the screen and the report are kept (docs/images).

use careplan_client::{no_progress, Mailbox};
use careplan_desktop_e2e::{
    app_home_for, demo_relay, tab, temp_dir, Desktop, CARE_MANAGER, HOME_HELP, PASSWORD,
};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn the_history_says_who_took_what_was_sent_and_prints_as_a_report() {
    let relay = demo_relay().await;
    // The partner takes what the care office sent it: its 端末名 is what the history shows.
    let helper = relay.logged_in_on(HOME_HELP, "ヘルパー事務所PC").await;
    let inbox = helper.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    let from_care: Vec<_> = inbox
        .items
        .into_iter()
        .filter(|m| m.counterpart.number == CARE_MANAGER.number)
        .collect();
    assert!(
        !from_care.is_empty(),
        "the demo data has sends to the helper"
    );
    let report = helper
        .fetch_messages(&from_care, &temp_dir("fetched"), no_progress())
        .await;
    assert!(report.failed.is_empty(), "{:?}", report.failed);

    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("送受信履歴")).await;
    // Taken by the helper's 個人ユーザID (its terminal's name stays with it).
    let taken = "//table[contains(@class, 'history-table')]//tr[.//td[normalize-space()='送信'] and .//div[contains(@class, 'muted') and contains(., 'c1370000026a')]]";
    let row = app.text(taken).await;
    assert!(row.contains(HOME_HELP.name), "{row}");
    assert!(row.contains("あり"), "the 受領証: {row}");
    app.keep_screenshot("history").await;

    // Only what was received: the rows above go, and come back with 送信と受信.
    let summary = "//strong[contains(., 'の送受信')]";
    let everything = app.text(summary).await;
    let direction =
        "//form[contains(@class, 'history-filters')]//label[contains(., '区分')]/select";
    app.click(&format!("{direction}/option[@value='received']"))
        .await;
    app.click("//button[normalize-space()='検索']").await;
    let received = wait_for_other_text(&app, summary, &everything).await;
    assert!(!app.exists(taken).await, "{received}");
    app.click(&format!("{direction}/option[@value='']")).await;
    app.click("//button[normalize-space()='検索']").await;
    app.find(taken).await;

    app.click("//button[normalize-space()='印刷用に表示']")
        .await;
    let sheet = "//div[@role='dialog']//section[contains(@class, 'history-sheet')]";
    let first = app.text(sheet).await;
    assert!(
        first.contains(&format!("事業所: {}", CARE_MANAGER.name)),
        "{first}"
    );
    assert!(first.contains("1 / "), "page numbers: {first}");
    assert!(first.contains("鍵ID"), "the verification note: {first}");
    app.keep_screenshot("history-report").await;
    app.click("//div[@role='dialog']//button[normalize-space()='閉じる']")
        .await;
    app.find("//button[normalize-space()='印刷用に表示']").await;
    assert!(!app.exists("//div[@role='dialog']").await);
}

/// The text of `xpath` once it is no longer `before` (a search answered), waiting up to 15 s.
async fn wait_for_other_text(app: &Desktop, xpath: &str, before: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let now = app.text(xpath).await;
        if now != before {
            return now;
        }
        assert!(std::time::Instant::now() < deadline, "still {before}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
