//! 帳票ビュー and 予実突合 in the built app, through WebDriver: a received item looked at stays 未,
//! a file with findings shows them on its form, a 予定 and 実績 compared show their differences
//! day by day, and what this PC sent reads in words, opens from its copy and is compared from the
//! lists. With `CAREPLAN_SCREENSHOTS_DIR`, each form is kept as a screenshot (docs/images).

use careplan_client::Mailbox;
use careplan_desktop_e2e::{
    app_home_for, demo_relay, files_in, fixture_folder, tab, Desktop, CARE_MANAGER, HOME_HELP,
    PASSWORD,
};
use serde_json::json;

/// The sheet (a form's article) with this name.
fn sheet(name: &str) -> String {
    format!("//article[@aria-label='{name}']")
}

/// Scrolls the viewer so that `xpath` is at the top, and waits for the frame that shows it (a
/// screenshot taken at once may still be the frame before).
async fn scroll_to(app: &Desktop, xpath: &str) {
    let element = app.find(xpath).await;
    app.execute_async(
        "const [element, done] = arguments; element.scrollIntoView({ block: 'start' });
         requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
        json!([careplan_desktop_e2e::element_arg(&element)]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn a_received_plan_looked_at_shows_its_forms_and_stays_unfetched() {
    let relay = demo_relay().await;
    let app = Desktop::launch(&app_home_for(&relay, HOME_HELP)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("受信一覧")).await;
    let row = "//tr[contains(@class, 'unfetched') and .//td[contains(., '4月のケアプランです')]]";
    app.click(&format!("{row}//button[contains(., '内容を見る')]"))
        .await;
    app.find("//div[@role='dialog']//p[contains(., '内容を見ても「未」のままです')]")
        .await;
    let plan1 = app.text(&sheet("第1表　居宅サービス計画書（1）")).await;
    assert!(plan1.contains("山田　花子 殿"), "{plan1}");
    assert!(plan1.contains("要介護２"), "{plan1}");
    app.keep_screenshot("form-plan1").await;
    scroll_to(&app, &sheet("第2表　居宅サービス計画書（2）")).await;
    let plan2 = app.text(&sheet("第2表　居宅サービス計画書（2）")).await;
    assert!(plan2.contains("入浴の見守り・洗身の一部介助"), "{plan2}");
    app.keep_screenshot("form-plan2").await;
    scroll_to(&app, &sheet("第3表　週間サービス計画表")).await;
    app.find("//div[contains(@class, 'week-slot') and contains(., '訪問介護（入浴）')]")
        .await;
    app.keep_screenshot("form-plan3").await;
    // The attachment of the message is named, not shown.
    app.find("//section[contains(@class, 'others')]//li[contains(., '主治医意見書.pdf')]")
        .await;
    app.click("//div[@role='dialog']//button[normalize-space()='閉じる']")
        .await;

    // Still 未 in the list and at the relay: looking is not データ取得.
    app.find(row).await;
    let client = relay.logged_in_on(HOME_HELP, "確認用PC").await;
    let inbox = client.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    let files: Vec<_> = inbox.items.iter().flat_map(|m| &m.files).collect();
    assert!(!files.is_empty());
    assert!(
        files.iter().all(|f| f.fetched_at.is_none()),
        "nothing was fetched: {files:?}"
    );

    // The month's use sheet: 第6表 as the calendar, 第7表 with its 全合計.
    app.click(
        "//tr[.//td[contains(., '4月分のサービス利用票です')]]//button[contains(., '内容を見る')]",
    )
    .await;
    let grid = format!(
        "{}//table[contains(@class, 'use-grid')]",
        sheet("第6表　サービス利用票（予定）")
    );
    let days = app.text(&format!("{grid}/thead/tr[2]")).await;
    assert!(
        days.starts_with('火'),
        "April 2025 starts on a Tuesday: {days}"
    );
    app.keep_screenshot("form-use-sheet").await;
    scroll_to(&app, &sheet("第7表　サービス利用票別表")).await;
    app.find("//tr[contains(@class, 'grand_total') and contains(., '合計')]")
        .await;
    app.keep_screenshot("form-supplement").await;
    scroll_to(&app, &sheet("利用者補足情報")).await;
    app.keep_screenshot("form-hosoku").await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn files_opened_from_disk_show_their_findings_on_the_form() {
    let relay = demo_relay().await;
    let app = Desktop::launch(&app_home_for(&relay, HOME_HELP)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("ファイルを開く")).await;
    app.drop_files(&files_in(&fixture_folder(
        "warning/item.office.check_digit",
    )))
    .await;
    let flagged = app
        .text("//span[contains(@class, 'flagged') and @data-field='planner_number']")
        .await;
    assert!(flagged.contains("1370000019"), "{flagged}");
    assert!(
        flagged.contains("検証番号"),
        "the finding at its item: {flagged}"
    );
    app.keep_screenshot("form-finding").await;

    app.drop_files(&files_in(&fixture_folder("invalid/item.time.invalid")))
        .await;
    let unreadable = app
        .text(
            "//p[contains(@class, 'alert') and contains(., '行目は読めないため表示していません')]",
        )
        .await;
    assert!(unreadable.contains("サービス開始時刻"), "{unreadable}");

    app.drop_files(&files_in(&fixture_folder("valid/v41-prevention")))
        .await;
    let basic = app.text(&sheet("利用者基本情報")).await;
    assert!(basic.contains("田中　次郎"), "{basic}");
    app.keep_screenshot("form-prevention").await;
    scroll_to(&app, &sheet("介護予防サービス・支援計画書（別表）支援計画")).await;
    app.keep_screenshot("form-prevention-detail").await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn a_plan_and_an_actual_dropped_on_reconcile_show_each_difference() {
    let relay = demo_relay().await;
    let app = Desktop::launch(&app_home_for(&relay, HOME_HELP)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("予実突合")).await;
    let mut files = files_in(&fixture_folder("reconcile/plan-differences"));
    files.extend(files_in(&fixture_folder("reconcile/actual-differences")));
    app.drop_files(&files).await;
    app.find("//div[@role='group' and @aria-label='実績（UPJSK）']//li[starts-with(., 'UPJSK_')]")
        .await;
    app.click("//button[normalize-space()='突合する']").await;
    let summary = app
        .text("//p[@role='status' and contains(., '人・月を突合し')]")
        .await;
    assert_eq!(summary, "2 人・月を突合し、1 件に差異があります。");
    for status in [
        "matching",
        "planned_not_done",
        "done_not_planned",
        "changed",
    ] {
        app.find(&format!("//td[@data-status='{status}']")).await;
    }
    app.find("//span[contains(@class, 'person-status') and normalize-space()='差異あり']")
        .await;
    app.keep_screenshot("reconcile").await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn what_was_sent_reads_in_words_opens_from_its_copy_and_reconciles_from_the_lists() {
    let relay = demo_relay().await;
    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("新規作成")).await;
    app.find("//h2[normalize-space()='送信するファイル']").await;
    app.drop_files(&files_in(&fixture_folder("valid/v41-use-sheet")))
        .await;
    app.send_and_wait().await;

    // 送信一覧 says what each message is and whom it is about, from the relay.
    app.click(&tab("送信一覧")).await;
    let row =
        "//tr[.//ul[contains(@class, 'unit-contents')] and .//li[contains(., '20250325120000')]]";
    let words = app
        .text(&format!("{row}//ul[contains(@class, 'unit-contents')]"))
        .await;
    assert!(
        words.contains("サービス利用票（予定）2025年4月分") && words.contains("山田　花子"),
        "{words}"
    );
    // 内容を見る: the copy this PC kept.
    app.click(&format!("{row}//button[contains(., '内容を見る')]"))
        .await;
    app.find("//div[@role='dialog']//p[contains(., '送ったときの控え')]")
        .await;
    app.find(&sheet("第6表　サービス利用票（予定）")).await;
    app.keep_screenshot("form-sent-copy").await;
    app.click("//div[@role='dialog']//button[normalize-space()='閉じる']")
        .await;

    // 予実突合: the 予定 from 送信一覧, the 実績 from 受信一覧 (the demo's, from 訪問介護).
    app.click(&tab("予実突合")).await;
    let plan_side = "//div[@role='group' and @aria-label='予定（UPPLAN）']";
    app.click(&format!(
        "{plan_side}//button[normalize-space()='送信一覧から選ぶ']"
    ))
    .await;
    let offered = format!(
        "{plan_side}//div[@role='group' and h3[normalize-space()='送信一覧から選ぶ']]//li[.//text()[contains(., 'サービス利用票（予定）2025年4月分')]]"
    );
    app.click(&format!("({offered})[1]//input[@type='checkbox']"))
        .await;
    app.click(&format!(
        "{plan_side}//button[normalize-space()='選んだメッセージを入れる']"
    ))
    .await;
    let actual_side = "//div[@role='group' and @aria-label='実績（UPJSK）']";
    app.click(&format!(
        "{actual_side}//button[normalize-space()='受信一覧から選ぶ']"
    ))
    .await;
    app.click(&format!("{actual_side}//div[@role='group' and h3[normalize-space()='受信一覧から選ぶ']]//input[@type='checkbox']"))
        .await;
    app.keep_screenshot("reconcile-from-lists").await;
    app.click(&format!(
        "{actual_side}//button[normalize-space()='選んだメッセージを入れる']"
    ))
    .await;
    app.click("//button[normalize-space()='突合する']").await;
    let summary = app
        .text("//p[@role='status' and contains(., '人・月を突合し')]")
        .await;
    assert!(summary.starts_with("1 人・月を突合し"), "{summary}");
}
