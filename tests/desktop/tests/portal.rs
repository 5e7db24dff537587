//! The desktop app with the office portal and its directory, through WebDriver against the test
//! relay: a new PC requests its certificate from 設定 (the key made on the PC) and logs in; a
//! destination found by name in 新規作成 receives what is sent. With `CAREPLAN_SCREENSHOTS_DIR`
//! set, the screens are kept there (docs/images has them). Needs a display (xvfb-run),
//! tauri-driver and WebKitWebDriver: run by scripts/run-tests.sh with `-- --ignored`.

use careplan_desktop_e2e::{
    app_home_for, element_arg, sent_to, tab, temp_dir, Desktop, TestRelay, CARE_MANAGER, HOME_HELP,
    PASSWORD,
};
use serde_json::json;

/// CARE_MANAGER's 証明書発行用パスワード, as the operator's letter gives it.
const ISSUANCE_PASSWORD: &str = "cert-pass-2026";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn a_new_pc_requests_its_certificate_from_settings_and_logs_in_with_it() {
    let relay = TestRelay::builder().portal().start().await;
    let office = relay.office(CARE_MANAGER).clone();
    relay
        .relay
        .set_issuance_password(&office.number, ISSUANCE_PASSWORD)
        .await
        .unwrap();
    // A PC with 接続先 and the relay's CA (as a vendor's build presets them), no certificate.
    let home = temp_dir("new-pc");
    std::fs::create_dir_all(home.join("config")).unwrap();
    let settings = json!({
        "relay_url": relay.url(),
        "ca_certificate": relay.info.ca_certificate,
        "terminal_name": "相談室PC",
        "save_folder": home,
    });
    std::fs::write(home.join("config/settings.json"), settings.to_string()).unwrap();
    let app = Desktop::launch(&home).await;
    app.find("//h3[normalize-space()='電子証明書の申請']").await;

    let field = |label: &str| format!("//label[contains(., '{label}')]//input");
    let portal = field("利用状況WebサイトのURL");
    app.clear(&portal).await;
    app.type_into(&portal, &relay.portal_url()).await;
    app.type_into(&field("事業所ユーザID（KJ…）"), &office.office_user_id)
        .await;
    let submit = "//button[normalize-space()='電子証明書を申請する']";

    // A mistyped 証明書発行用パスワード: said in Japanese, and no certificate is taken.
    app.type_into(&field("証明書発行用パスワード"), "wrong-pass")
        .await;
    app.click(submit).await;
    let refusal = app.text("//div[@role='alert']").await;
    assert!(refusal.contains("パスワード"), "{refusal}");
    let kept = std::fs::read_dir(home.join("config/certificates"))
        .map(|entries| entries.count())
        .unwrap_or(0);
    assert_eq!(kept, 0, "no key or certificate kept");

    app.clear(&field("証明書発行用パスワード")).await;
    app.type_into(&field("証明書発行用パスワード"), ISSUANCE_PASSWORD)
        .await;
    app.click(submit).await;
    app.find("//*[@role='status' and contains(., '電子証明書を申請し、取り込みました')]")
        .await;
    app.keep_screenshot("settings-certificate-request").await;

    app.click("//button[normalize-space()='ログイン画面へ']")
        .await;
    app.log_in_typing(&office.personal_user_id, &office.office_user_id, PASSWORD)
        .await;
    app.find("//header//span[contains(., 'ひだまり居宅介護支援事業所')]")
        .await;

    // お問い合わせ on the トップページ offers the portal's かんたんシミュレーション.
    let simulation = "//button[contains(., 'かんたんシミュレーション')]";
    let button = app.find(simulation).await;
    app.execute(
        "arguments[0].scrollIntoView({ block: 'center' })",
        json!([element_arg(&button)]),
    )
    .await;
    app.keep_screenshot("top-page-support").await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn a_destination_found_by_name_in_new_message_receives_the_attachment_sent() {
    let relay = TestRelay::start().await;
    let app = Desktop::launch(&app_home_for(&relay, CARE_MANAGER)).await;
    app.log_in(PASSWORD).await;
    app.click(&tab("新規作成")).await;
    app.find("//h2[normalize-space()='送信するファイル']").await;

    app.click("//button[normalize-space()='事業所名で探す']")
        .await;
    let name = "//label[contains(., '事業所名か番号')]//input";
    // Nothing typed: refused before the relay is asked.
    app.press(name).await;
    app.find("//*[contains(., '事業所名か市区町村を入力してから「検索」を押してください。')]")
        .await;
    // Part of the name, in katakana: the relay folds kana.
    app.type_into(name, "ヒマワリ\u{E007}").await;
    let result = format!(
        "//ul[@aria-label='検索結果']//button[@aria-label='{}（{}）を送信先にする']",
        HOME_HELP.name, HOME_HELP.number
    );
    app.find(&result).await;
    app.keep_screenshot("new-message-directory").await;
    app.press(&result).await;
    app.find(&format!(
        "//div[@role='status' and contains(., '{}（事業所番号 {}')]",
        HOME_HELP.name, HOME_HELP.number
    ))
    .await;

    // An attachment alone goes to the office chosen.
    let letter = temp_dir("attachment").join("主治医意見書.pdf");
    std::fs::write(&letter, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n").unwrap();
    app.drop_files(&[letter]).await;
    app.send_and_wait().await;
    assert_eq!(sent_to(&relay, HOME_HELP.number).await, 1);
}
