//! 練習モード in the built app, on a PC that has never been set up: the relay inside the app, the
//! demo IDs on screen, a sample unit sent and a received item fetched, リセット, and leaving it.
//! Needs a display, tauri-driver and WebKitWebDriver: run by scripts/run-tests.sh with `-- --ignored`.

use std::path::PathBuf;
use std::sync::LazyLock;

use careplan_desktop_e2e::{element_arg, files_in, tab, temp_dir, Desktop};

/// The practice data folder, from the sample folder the band shows.
async fn practice_folder(app: &Desktop) -> PathBuf {
    let samples = app
        .text("//div[contains(@class, 'practice-samples')]/code")
        .await;
    PathBuf::from(samples).parent().unwrap().to_owned()
}

const BANNER: &str =
    "//div[@role='note' and contains(., '練習モード：練習用のデータで操作しています')]";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn practice_mode_on_a_new_pc_sends_fetches_resets_and_leaves_nothing_behind() {
    let app_home = temp_dir("classroom");
    let app = Desktop::launch(&app_home).await;
    app.find("//p[contains(., '設定をせずに操作を試すこともできます。')]")
        .await;
    app.click("//button[normalize-space()='練習モードで始める']")
        .await;
    app.find(BANNER).await;
    let practice_data = practice_folder(&app).await;
    assert!(practice_data.is_dir(), "{}", practice_data.display());
    let ids = app.text("//section[@aria-label='練習用のID']").await;
    assert!(
        ids.contains("c1370000018a") && ids.contains("demo-pass-2025"),
        "{ids}"
    );
    app.log_in("demo-pass-2025").await;
    app.find("//header//span[contains(., 'ひだまり居宅介護支援事業所')]")
        .await;
    app.find(BANNER).await;

    // The sample unit, dropped into 新規作成, goes to ひまわり.
    app.click(&tab("新規作成")).await;
    app.find("//h2[normalize-space()='送信するファイル']").await;
    let files = files_in(&practice_data.join("サンプルファイル"));
    assert_eq!(files.len(), 3);
    app.drop_files(&files).await;
    app.confirm_destination("1370000026", "ひまわりヘルパーステーション")
        .await;
    app.send_and_wait().await;

    // The received 実績 is fetched into the practice folder; its row turns white.
    app.click(&tab("受信一覧")).await;
    let unfetched = "//tr[contains(@class, 'unfetched')]";
    app.click(&format!("{unfetched}//input[@type='checkbox']"))
        .await;
    app.click("//button[normalize-space()='データ取得']").await;
    app.find("//div[@role='status' and contains(., '保存しました')]")
        .await;
    let received = practice_data.join("受信したファイル");
    let fetched: Vec<_> = std::fs::read_dir(&received).unwrap().collect();
    assert!(!fetched.is_empty(), "nothing in {}", received.display());

    // リセット: logged out, fresh data; then leaving deletes it and the PC is as it was.
    app.click("//button[normalize-space()='リセット']").await;
    app.find("//h2[normalize-space()='個人ユーザIDでログイン']")
        .await;
    assert!(
        !practice_data.exists(),
        "the previous practice data is deleted"
    );
    let practice_data = practice_folder(&app).await;
    app.click("//button[normalize-space()='練習モードを終了']")
        .await;
    app.find("//p[contains(., '設定をせずに操作を試すこともできます。')]")
        .await;
    assert!(!practice_data.exists(), "leaving deletes the practice data");
    assert!(
        !app_home.join("config/settings.json").exists(),
        "the PC's own settings were never written"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn practice_data_left_by_an_app_that_ended_abruptly_is_deleted_at_the_next_start() {
    let app = Desktop::launch(&temp_dir("closing")).await;
    app.click("//button[normalize-space()='練習モードで始める']")
        .await;
    let abandoned = practice_folder(&app).await;
    app.close_window().await;
    drop(app);

    let next = Desktop::launch(&temp_dir("next-day")).await;
    next.click("//button[normalize-space()='練習モードで始める']")
        .await;
    let current = practice_folder(&next).await;
    assert!(current.is_dir());
    assert!(
        !abandoned.exists(),
        "{} is still there",
        abandoned.display()
    );
}

/// Each step of the shipped tutorial, in order: the element it points at and its title.
static TUTORIAL_STEPS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../ui/src/tutorial/chapters.json");
    let chapters: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    chapters
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|chapter| chapter["steps"].as_array().unwrap().clone())
        .map(|step| {
            let text = |key: &str| step[key].as_str().unwrap().to_owned();
            (text("target"), text("title"))
        })
        .collect()
});

/// Waits until the tutorial's progress says `done` of the 29 steps are behind and the next step's
/// element is highlighted with its explanation beside it (only it takes clicks then, as for a
/// trainee). The explanation is drawn last, after the highlight has moved, and drawing it moves
/// the keyboard focus into the highlighted element; typing before that would land elsewhere.
async fn tutorial_at(app: &Desktop, done: usize) {
    app.find(&format!(
        "//div[@role='dialog']//span[@role='status' and contains(., '（全体 {done} / 29 済）')]"
    ))
    .await;
    if let Some((target, title)) = TUTORIAL_STEPS.get(done) {
        app.find(&format!(
            "//*[@data-tour='{target}' and contains(@class, 'driver-active-element')]"
        ))
        .await;
        app.find(&format!(
            "//div[@id='driver-popover-content']/header[normalize-space()='{title}']"
        ))
        .await;
    }
}

/// The message the step talks about is in the window and not under the tutorial's panel.
async fn seen_beside_the_panel(app: &Desktop, xpath: &str) {
    let message = app.find(xpath).await;
    let seen = app
        .execute(
            r#"const message = arguments[0].getBoundingClientRect();
            const panel = document.querySelector(".tutorial-panel").getBoundingClientRect();
            const overlaps = message.top < panel.bottom && message.bottom > panel.top
              && message.left < panel.right && message.right > panel.left;
            return { inWindow: message.top >= 0 && message.bottom <= window.innerHeight, overlaps };"#,
            serde_json::json!([element_arg(&message)]),
        )
        .await;
    assert_eq!(
        seen,
        serde_json::json!({ "inWindow": true, "overlaps": false }),
        "{xpath}"
    );
}

async fn next_step(app: &Desktop, done_after: usize) {
    // From the keyboard: at a step where the trainee types, a mouse click on the panel could land
    // while driver.js still moves the focus into the field, and be lost.
    app.press("//div[@role='dialog']//button[normalize-space()='次の手順へ']")
        .await;
    tutorial_at(app, done_after).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn the_whole_tutorial_is_walked_through_by_doing_each_step() {
    let app = Desktop::launch(&temp_dir("tutorial")).await;
    app.click("//button[normalize-space()='練習モードで始める']")
        .await;
    let files = files_in(&practice_folder(&app).await.join("サンプルファイル"));
    app.click("//button[normalize-space()='チュートリアル']")
        .await;
    tutorial_at(&app, 0).await;

    // 1 ログイン: read, then the two stages themselves move the tutorial on.
    next_step(&app, 1).await;
    app.type_into(
        "//label[contains(., 'パスワード')]//input",
        "demo-pass-2025",
    )
    .await;
    app.press("//form//button[normalize-space()='ログイン']")
        .await;
    tutorial_at(&app, 2).await;
    app.find("//h2[normalize-space()='事業所ユーザIDでログイン']")
        .await;
    app.type_into(
        "//label[contains(., 'パスワード')]//input",
        "demo-pass-2025",
    )
    .await;
    app.press("//form//button[normalize-space()='ログイン']")
        .await;
    tutorial_at(&app, 3).await;

    // 2 基本構成: eight explanations.
    for done in 4..=11 {
        next_step(&app, done).await;
    }

    // 3 データ送信: 新規作成 with the sample unit (the destination comes from its files), then
    // 一括送信 with it.
    app.press(&tab("新規作成")).await;
    tutorial_at(&app, 12).await;
    app.drop_files(&files).await;
    tutorial_at(&app, 13).await;
    app.find("//div[@role='status' and contains(., 'ひまわりヘルパーステーション')]")
        .await;
    next_step(&app, 14).await;
    next_step(&app, 15).await;
    app.until_enabled("//button[normalize-space()='送信']")
        .await;
    app.press("//button[normalize-space()='送信']").await;
    let confirm = "//div[@role='alertdialog']//button[normalize-space()='送信する']";
    app.until_enabled(confirm).await;
    app.press(confirm).await;
    tutorial_at(&app, 16).await;
    seen_beside_the_panel(
        &app,
        "//div[@role='status' and contains(., '送信成功しました')]",
    )
    .await;
    next_step(&app, 17).await;
    app.press(&tab("一括送信")).await;
    tutorial_at(&app, 18).await;
    app.drop_files(&files).await;
    tutorial_at(&app, 19).await;
    let bulk = "//button[not(@role='tab') and normalize-space()='一括送信']";
    app.until_enabled(bulk).await;
    app.press(bulk).await;
    tutorial_at(&app, 20).await;
    seen_beside_the_panel(&app, "//section[@aria-label='一括送信の結果']//p").await;
    next_step(&app, 21).await;

    // 4 データ受信: the pale-green row fetched into the practice folder.
    app.press(&tab("受信一覧")).await;
    tutorial_at(&app, 22).await;
    app.press_space("//tr[contains(@class, 'unfetched')]//input[@type='checkbox']")
        .await;
    next_step(&app, 23).await;
    app.press("//button[normalize-space()='データ取得']").await;
    tutorial_at(&app, 24).await;
    seen_beside_the_panel(
        &app,
        "//div[@role='status' and contains(., '保存しました')]",
    )
    .await;

    // 5 下書き作成: saved, then seen in 下書き一覧 with the terminal's name.
    app.press(&tab("新規作成")).await;
    tutorial_at(&app, 25).await;
    app.drop_files(&files).await;
    tutorial_at(&app, 26).await;
    app.until_enabled("//button[normalize-space()='一時保存']")
        .await;
    app.press("//button[normalize-space()='一時保存']").await;
    tutorial_at(&app, 27).await;
    app.press(&tab("下書き一覧")).await;
    tutorial_at(&app, 28).await;
    app.find("//td[contains(., '練習用PC')]").await;
    app.press("//div[@role='dialog']//button[normalize-space()='次の手順へ']")
        .await;
    app.find("//div[@role='dialog']//span[contains(., 'すべての章が終わりました')]")
        .await;
}
