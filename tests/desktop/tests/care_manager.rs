//! The moments of a care manager's day that must never send twice, lose work or strand the user:
//! the built app through WebDriver against a real relay. Needs a display (xvfb-run), tauri-driver
//! and WebKitWebDriver: run by scripts/run-tests.sh with `-- --ignored`.

use std::path::PathBuf;

use careplan_desktop_e2e::{
    app_home_for, files_in, fixture_folder, sent_to, tab, temp_dir, Desktop, TestRelay,
    CARE_MANAGER, DAY_SERVICE, HOME_HELP, PASSWORD,
};
use careplan_relay::store::OfficeRow;

const BULK_SEND: &str = "//button[not(@role='tab') and normalize-space()='一括送信']";
const RETRY: &str = "//button[normalize-space()='失敗した送信先だけ再送信']";
const RESULTS: &str = "//section[@aria-label='一括送信の結果']";
const NUMBER_FIELD: &str = "//label[contains(., '事業所番号')]//input";

/// A 削除 file of the 居宅 for `to` (the smallest standard file a bulk send routes by its name).
fn deletion(folder: &std::path::Path, to: &str, kind: &str, second: u32) -> PathBuf {
    let path = folder.join(format!(
        "DLT1KYO_1370000018_43_{to}_{kind}_202505011000{second:02}.CSV"
    ));
    std::fs::write(&path, b"202407,131016,0000012345,20250401\r\n").unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn bulk_send_after_a_partial_failure_retries_only_the_failed_destination_and_each_gets_one_message(
) {
    // あおぞらデイサービス is not registered yet: its destination fails, ひまわり's succeeds.
    let relay = TestRelay::builder()
        .offices(&[CARE_MANAGER, HOME_HELP])
        .start()
        .await;
    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    let folder = temp_dir("bulk-retry");
    let files = vec![
        deletion(&folder, HOME_HELP.number, "11", 1),
        deletion(&folder, DAY_SERVICE.number, "15", 2),
    ];
    app.click(&tab("一括送信")).await;
    app.find("//h2[normalize-space()='一括送信するファイル']")
        .await;
    app.drop_files(&files).await;
    app.find("//tr[@data-testid='destination-1370000034']")
        .await;
    app.until_enabled(BULK_SEND).await;
    app.click(BULK_SEND).await;
    app.find(&format!(
        "{RESULTS}//p[contains(., '1 事業所に送信しました。1 事業所には送信できませんでした。')]"
    ))
    .await;
    app.find(&format!(
        "{RESULTS}//li[contains(., '送信済') and contains(., 'ひまわりヘルパーステーション（1370000026）')]"
    ))
    .await;
    // The sent destination has left the plan; only the failed one can be sent, and only again.
    app.find(RETRY).await;
    assert!(
        !app.exists("//tr[@data-testid='destination-1370000026']")
            .await
    );
    assert!(
        !app.exists(BULK_SEND).await,
        "no button sends the whole plan again"
    );
    assert_eq!(sent_to(&relay, HOME_HELP.number).await, 1);

    // The office is registered meanwhile; the retry sends to it alone.
    relay
        .relay
        .state
        .store
        .offices()
        .insert(
            &OfficeRow {
                number: DAY_SERVICE.number.to_owned(),
                name: DAY_SERVICE.name.to_owned(),
                service_kinds: vec![DAY_SERVICE.service_kind.to_owned()],
                prefecture: "東京都".to_owned(),
                city: "千代田区".to_owned(),
            },
            0,
        )
        .await
        .unwrap();
    app.click(RETRY).await;
    app.find(&format!(
        "{RESULTS}//p[contains(., '2 事業所に送信しました。')]"
    ))
    .await;
    assert_eq!(sent_to(&relay, HOME_HELP.number).await, 1, "never twice");
    assert_eq!(sent_to(&relay, DAY_SERVICE.number).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn new_message_takes_the_destination_from_the_files_and_shows_a_disagreeing_number_before_sending(
) {
    let relay = TestRelay::start().await;
    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("新規作成")).await;
    app.find("//h2[normalize-space()='送信するファイル']").await;
    app.drop_files(&files_in(&fixture_folder("valid/v41-use-sheet")))
        .await;
    app.find(
        "//div[@role='status' and contains(., 'ひまわりヘルパーステーション（事業所番号 1370000026') and contains(., 'ファイルから読み取りました')]",
    )
    .await;
    // A number typed over it, confirmed with Enter: the disagreement is shown now, not at 送信.
    app.clear(NUMBER_FIELD).await;
    app.type_into(NUMBER_FIELD, "1370000034\u{E007}").await;
    app.find(
        "//div[@role='alert' and contains(., '入力した事業所番号（1370000034）は、ファイルの送信先（1370000026）と違います')]",
    )
    .await;
    assert!(!app.enabled("//button[normalize-space()='送信']").await);
    assert_eq!(sent_to(&relay, "1370000034").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn work_in_new_message_survives_a_tab_switch_and_logout_asks_first() {
    let relay = TestRelay::start().await;
    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("新規作成")).await;
    app.find("//h2[normalize-space()='送信するファイル']").await;
    app.drop_files(&files_in(&fixture_folder("valid/v41-use-sheet")))
        .await;
    app.type_into(
        "//label[contains(., 'メッセージ')]//textarea",
        "5月分の利用票です",
    )
    .await;
    app.click(&tab("受信一覧")).await;
    app.click(&tab("新規作成")).await;
    app.find("//ul[contains(@class, 'file-checks')]/li[contains(., 'UPPLAN')]")
        .await;
    let message = app
        .execute(
            "return document.querySelector('textarea').value",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(message, "5月分の利用票です");

    app.click("//button[normalize-space()='ログアウト']").await;
    let dialog =
        "//div[@role='alertdialog' and contains(., '作成中の内容は消えます。一時保存しますか？')]";
    app.find(dialog).await;
    app.click(&format!(
        "{dialog}//button[normalize-space()='一時保存して進む']"
    ))
    .await;
    app.find("//h2[normalize-space()='個人ユーザIDでログイン']")
        .await;
    let client = relay.logged_in_on(CARE_MANAGER, "確認用PC").await;
    let drafts = client.drafts().await.unwrap();
    assert_eq!(drafts.len(), 1, "the work was kept as a 下書き");
    assert_eq!(drafts[0].message, "5月分の利用票です");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn a_wrong_second_stage_password_goes_back_to_the_first_stage_with_the_ids_kept() {
    let relay = TestRelay::start().await;
    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    let password = "//label[contains(., 'パスワード')]//input";
    app.find("//h2[normalize-space()='個人ユーザIDでログイン']")
        .await;
    app.find("//span[normalize-space()='c から始まるID']").await;
    app.type_into(password, PASSWORD).await;
    app.click("//button[normalize-space()='ログイン']").await;
    app.find("//h2[normalize-space()='事業所ユーザIDでログイン']")
        .await;
    app.type_into(password, "wrong-password").await;
    app.click("//button[normalize-space()='ログイン']").await;
    // Back on stage 1, told why, with how long a lock lasts and the IDs still there.
    app.find("//h2[normalize-space()='個人ユーザIDでログイン']")
        .await;
    app.find("//div[contains(., '1段階目からやり直してください')]")
        .await;
    let refusal = app.text("//div[@role='alert']").await;
    assert!(
        refusal.contains("分間ログインできなくなります"),
        "{refusal}"
    );
    let id = app
        .execute(
            "return document.querySelector('input[autocomplete=username]').value",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(id, CARE_MANAGER.personal_user_id);
    app.log_in(PASSWORD).await;
    app.find("//header//span[contains(., 'ひだまり居宅介護支援事業所（1370000018）')]")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn an_unreadable_file_is_removed_on_its_own_and_the_rest_is_sent() {
    let relay = TestRelay::start().await;
    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("新規作成")).await;
    app.find("//h2[normalize-space()='送信するファイル']").await;
    let gone = temp_dir("gone").join("UPPLAN_消えたファイル.CSV");
    app.drop_files(std::slice::from_ref(&gone)).await;
    let entry = app
        .text("//ul[contains(@class, 'file-checks')]/li[contains(., '消えたファイル')]")
        .await;
    assert!(entry.contains("読めないファイル"), "{entry}");
    assert!(!entry.contains("os error"), "Japanese only: {entry}");
    // Later files are still taken.
    let files = files_in(&fixture_folder("valid/v41-use-sheet"));
    app.drop_files(&files).await;
    app.find("//ul[contains(@class, 'file-checks')]/li[contains(., 'UPPLAN_2')]")
        .await;
    // The destination read from the files appears above the list and moves it down: 外す is
    // pressed once the screen has settled, and is seen to have taken the file away.
    app.find("//div[@role='status' and contains(., 'ファイルから読み取りました')]")
        .await;
    app.click("//button[@aria-label='UPPLAN_消えたファイル.CSVを外す']")
        .await;
    app.find("//ul[contains(@class, 'file-checks') and not(li[contains(., '消えたファイル')])]")
        .await;
    app.send_and_wait().await;
    assert_eq!(sent_to(&relay, HOME_HELP.number).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn sending_the_same_files_again_warns_with_the_date_of_the_earlier_send() {
    let relay = TestRelay::start().await;
    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("新規作成")).await;
    app.find("//h2[normalize-space()='送信するファイル']").await;
    let files = files_in(&fixture_folder("valid/v41-use-sheet"));
    app.drop_files(&files).await;
    let first = app.ask_to_send().await;
    assert!(
        first.contains("ひまわりヘルパーステーション（1370000026）"),
        "{first}"
    );
    assert!(!first.contains("送信済み"), "{first}");
    app.click("//div[@role='alertdialog']//button[normalize-space()='送信する']")
        .await;
    app.find("//div[@role='status' and contains(., '送信成功しました')]")
        .await;

    app.drop_files(&files).await;
    let again = app.ask_to_send().await;
    assert!(again.contains("同じ送信先へ送信済みです"), "{again}");
    app.click("//div[@role='alertdialog']//button[normalize-space()='やめる']")
        .await;
    assert_eq!(sent_to(&relay, HOME_HELP.number).await, 1);
}
