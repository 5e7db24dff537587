//! 練習モード in the built app, on a PC that has never been set up: the relay inside the app, the
//! demo IDs on screen, a sample unit sent and a received item fetched, リセット, and leaving it.
//! Needs a display, tauri-driver and WebKitWebDriver: run by scripts/run-tests.sh with `-- --ignored`.

use careplan_desktop_e2e::{temp_dir, Desktop};

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
    let samples = app
        .text("//div[contains(@class, 'practice-samples')]/code")
        .await;
    let practice_data = std::path::Path::new(&samples).parent().unwrap().to_owned();
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
    app.click("//button[@role='tab' and normalize-space()='新規作成']")
        .await;
    app.find("//h2[normalize-space()='送信するファイル']").await;
    let mut files: Vec<_> = std::fs::read_dir(&samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 3);
    app.drop_files(&files).await;
    app.type_into("//label[contains(., '事業所番号')]//input", "1370000026")
        .await;
    app.click("//button[normalize-space()='送信先を確認']")
        .await;
    app.find("//div[@role='status' and contains(., 'ひまわりヘルパーステーション')]")
        .await;
    app.until_enabled("//button[normalize-space()='送信']")
        .await;
    app.click("//button[normalize-space()='送信']").await;
    app.find("//div[@role='status' and contains(., '送信成功しました')]")
        .await;

    // The received 実績 is fetched into the practice folder; its row turns white.
    app.click("//button[@role='tab' and normalize-space()='受信一覧']")
        .await;
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
    let samples = app
        .text("//div[contains(@class, 'practice-samples')]/code")
        .await;
    let practice_data = std::path::Path::new(&samples).parent().unwrap().to_owned();
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
