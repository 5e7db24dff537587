//! The screens at the sizes offices have: 1280×720, and 1366×697 (a maximised window on a 1366×768
//! screen with the Windows taskbar). On every screen the tabs stay in view when the page scrolls,
//! no field or button ends up under the sticky button bar or the tabs when the keyboard reaches it,
//! and a send's result appears where the eye is. With `CAREPLAN_SCREENSHOTS_DIR` set, each screen is
//! kept there as `<screen>-<width>x<height>.png` (docs/images has them). Needs a display (xvfb-run),
//! tauri-driver and WebKitWebDriver: run by scripts/run-tests.sh with `-- --ignored`.

use careplan_desktop_e2e::{
    app_home_for, demo_relay, element_arg, files_in, fixture_folder, tab, temp_dir, Desktop,
    CARE_MANAGER, PASSWORD,
};
use serde_json::json;

const SIZES: [(u32, u32); 2] = [(1280, 720), (1366, 697)];

/// The page's size now (the web view's inner size).
async fn page_size(app: &Desktop) -> (u32, u32) {
    let inner = app
        .execute("return [window.innerWidth, window.innerHeight]", json!([]))
        .await;
    (
        inner[0].as_u64().unwrap() as u32,
        inner[1].as_u64().unwrap() as u32,
    )
}

/// Waits up to 3 s for the page to be `wanted` (a window resizes after WebDriver has answered);
/// answers the size it settled at.
async fn page_becomes(app: &Desktop, wanted: (u32, u32)) -> (u32, u32) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        let now = page_size(app).await;
        if now == wanted || std::time::Instant::now() >= deadline {
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Sets the window so that the page itself (the web view's inner size) is `width`×`height`.
async fn resize(app: &Desktop, width: u32, height: u32) {
    app.set_window_size(width, height).await;
    let (inner_width, inner_height) = page_becomes(app, (width, height)).await;
    // A window manager's frame, if any, is taken off the page: ask again for the difference.
    if (inner_width, inner_height) != (width, height) {
        app.set_window_size(2 * width - inner_width, 2 * height - inner_height)
            .await;
    }
    assert_eq!(
        page_becomes(app, (width, height)).await,
        (width, height),
        "the page's size"
    );
}

/// Scrolled to the end of the open screen: whether the tabs are still in the window.
const TABS_AT_THE_END: &str = r#"
window.scrollTo(0, document.documentElement.scrollHeight);
const box = document.querySelector("[role=tablist]").getBoundingClientRect();
const problem = box.top < 0 || box.bottom > window.innerHeight ? `the tabs are out of view (top ${box.top})` : null;
window.scrollTo(0, 0);
document.querySelector("[role=tab][aria-selected=true]").focus();
return problem;
"#;

/// Where the keyboard focus is now, on the open screen: null once it has left the screen, or what
/// is wrong with where it is (under the tabs, under the sticky button bar, out of the window).
const FOCUSED_FIELD: &str = r#"
const field = document.activeElement;
const panel = document.querySelector("[role=tabpanel]");
if (!field || !panel.contains(field)) return null;
if (field === panel) return { panel: true };
const overlaps = (a, b) => a.top < b.bottom && a.bottom > b.top && a.left < b.right && a.right > b.left;
const name = (field.getAttribute("aria-label") || field.labels?.[0]?.textContent || field.textContent || field.name || field.tagName).trim().slice(0, 40);
const box = field.getBoundingClientRect();
const where = `(${Math.round(box.top)}..${Math.round(box.bottom)} of ${window.innerHeight})`;
const bar = field.closest(".actions") ? null : panel.querySelector(".actions");
if (overlaps(box, document.querySelector("[role=tablist]").getBoundingClientRect())) return { problem: `${name}: under the tabs ${where}` };
if (bar && getComputedStyle(bar).position === "sticky" && overlaps(box, bar.getBoundingClientRect()))
  return { problem: `${name}: under the button bar ${where}` };
if (box.top < 0 || box.bottom > window.innerHeight) return { problem: `${name}: out of view ${where}` };
return { problem: null };
"#;

/// The open screen as the keyboard goes through it: the tabs at the end of the page, and every
/// field and button reached with Tab from the selected tab. Answers how many were reached and
/// what was wrong.
async fn walk_with_the_keyboard(app: &Desktop) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    if let Some(problem) = app.execute(TABS_AT_THE_END, json!([])).await.as_str() {
        problems.push(problem.to_owned());
    }
    let mut reached = 0;
    // Far more stops than any screen has: a focus trap would end here.
    for _ in 0..300 {
        let focused = app.active_element().await;
        app.send_keys(&focused, "\u{E004}").await;
        let now = app.execute(FOCUSED_FIELD, json!([])).await;
        if now.is_null() {
            app.execute(
                "document.activeElement?.blur(); window.scrollTo(0, 0)",
                json!([]),
            )
            .await;
            return (reached, problems);
        }
        if now["panel"] == json!(true) {
            continue;
        }
        reached += 1;
        if let Some(problem) = now["problem"].as_str() {
            let shot = app.screenshot("layout").await;
            problems.push(format!("{problem} (the window then: {})", shot.display()));
        }
    }
    panic!("the keyboard never left the screen");
}

/// Whether the element is wholly inside the window now.
const IN_VIEW: &str = r#"
const box = arguments[0].getBoundingClientRect();
return box.top >= 0 && box.bottom <= window.innerHeight;
"#;

/// At each size: the open screen's screenshot kept when asked for, and its layout checked.
async fn check_sizes(app: &Desktop, screen: &str) {
    for (width, height) in SIZES {
        resize(app, width, height).await;
        app.keep_screenshot(&format!("{screen}-{width}x{height}"))
            .await;
        let (reached, problems) = walk_with_the_keyboard(app).await;
        assert!(reached > 0, "{screen}: the keyboard reached nothing");
        assert!(
            problems.is_empty(),
            "{screen} at {width}×{height}: {problems:#?}"
        );
    }
}

/// The element is in the window without scrolling, at the size the app is now.
async fn in_view(app: &Desktop, xpath: &str) {
    let element = app.find(xpath).await;
    let shown = app.execute(IN_VIEW, json!([element_arg(&element)])).await;
    assert_eq!(shown, json!(true), "{xpath} is out of view");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn every_screen_at_1280x720_and_1366x697_keeps_the_tabs_in_view_and_nothing_under_the_button_bar(
) {
    let relay = demo_relay().await;
    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;

    app.find("//*[contains(., '未取得のファイルが')]").await;
    check_sizes(&app, "top-page").await;

    app.click(&tab("受信一覧")).await;
    app.find("//tr[contains(@class, 'unfetched')]").await;
    check_sizes(&app, "inbox").await;

    // 新規作成 with a unit's files, its destination read from them and a message: the longest
    // screen, whose 送信 bar stays at the bottom.
    app.click(&tab("新規作成")).await;
    app.find("//h2[normalize-space()='送信するファイル']").await;
    app.drop_files(&files_in(&fixture_folder("valid/v41-plan")))
        .await;
    app.find("//div[@role='status' and contains(., 'ファイルから読み取りました')]")
        .await;
    app.type_into("//textarea", "4月分の計画です。ご確認ください。")
        .await;
    app.until_enabled("//button[normalize-space()='送信']")
        .await;
    check_sizes(&app, "new-message").await;
    app.click("//button[normalize-space()='送信']").await;
    let confirm = "//div[@role='alertdialog']//button[normalize-space()='送信する']";
    app.until_enabled(confirm).await;
    app.click(confirm).await;
    in_view(
        &app,
        "//div[@role='status' and contains(., '送信成功しました')]",
    )
    .await;

    app.click(&tab("送信一覧")).await;
    app.find("//td[contains(., '4月分の計画です')]").await;
    check_sizes(&app, "outbox").await;

    // 一括送信: two units for two offices, the plan and then its result in view.
    app.click(&tab("一括送信")).await;
    app.find("//h2[normalize-space()='一括送信するファイル']")
        .await;
    let mut files = files_in(&fixture_folder("valid/v41-use-sheet"));
    let day_service =
        temp_dir("layout-bulk").join("DLT1KYO_1370000018_43_1370000034_15_20250501100001.CSV");
    std::fs::write(&day_service, b"202407,131016,0000012345,20250401\r\n").unwrap();
    files.push(day_service);
    app.drop_files(&files).await;
    let bulk = "//button[not(@role='tab') and normalize-space()='一括送信']";
    app.until_enabled(bulk).await;
    check_sizes(&app, "bulk-send").await;
    app.click(bulk).await;
    in_view(&app, "//section[@aria-label='一括送信の結果']//p").await;
    check_sizes(&app, "bulk-send-result").await;

    // A draft, then 下書き一覧 with it.
    app.click(&tab("新規作成")).await;
    app.find("//h2[normalize-space()='送信するファイル']").await;
    app.drop_files(&files_in(&fixture_folder("valid/v41-use-sheet")))
        .await;
    app.until_enabled("//button[normalize-space()='一時保存']")
        .await;
    app.click("//button[normalize-space()='一時保存']").await;
    app.click(&tab("下書き一覧")).await;
    app.find("//td[contains(., '受付PC')]").await;
    check_sizes(&app, "drafts").await;

    app.click(&tab("設定")).await;
    app.find("//h2[@id='settings-heading']").await;
    check_sizes(&app, "settings").await;
}
