//! The portal in a real browser (Debian's headless Chromium through chromedriver), by keyboard only:
//! a new office joins (temporary password changed, the 利用規約 scrolled to their end and accepted,
//! the licence shown), issues two staff IDs, registers its セキュリティメール through a real SMTP
//! server, and one of the IDs logs in to the client and sends; the directory and the simulation
//! with the seed's two examples; a phone's width. axe-core checks every page for serious
//! violations. With `CAREPLAN_PORTAL_SCREENSHOTS=DIR` the pages are saved there as
//! `portal-*.png` (the README's screenshots: `docs/images`).
//!
//! Needs chromium, chromium-driver, the repository's node_modules (axe-core) and the SMTP server's
//! Python: ignored in a plain run; the test command runs it.

mod common;

use careplan_client::{no_progress, ClientIdentity, LocalFile, LoginCredentials, RelayClient};
use careplan_test_support::browser::{Chromium, DESKTOP, PHONE};
use careplan_test_support::fixtures::fixture_dir;
use careplan_test_support::smtp::LocalSmtp;
use common::*;
use serde_json::json;

/// Checks the page with axe-core and, when asked, saves its screenshot.
async fn check(browser: &Chromium, name: &str) {
    let violations = browser.serious_accessibility_violations().await;
    assert!(violations.is_empty(), "{name}: {violations:#?}");
    if let Some(dir) = std::env::var_os("CAREPLAN_PORTAL_SCREENSHOTS") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        browser
            .save_screenshot(&dir.join(format!("portal-{name}.png")))
            .await;
    }
}

fn button(label: &str) -> String {
    format!("//button[normalize-space()='{label}']")
}

fn field(id: &str) -> String {
    format!("//*[@id='{id}']")
}

const END: &str = "\u{E010}";

#[tokio::test]
#[ignore = "needs chromium, chromium-driver, axe-core and the SMTP server; run by scripts/run-tests.sh"]
async fn a_new_office_joins_issues_two_ids_and_one_sends_every_page_accessible() {
    let smtp = LocalSmtp::start();
    let mail = smtp.mail_config();
    let relay = TestRelay::builder()
        .demo_messages()
        .portal_with(move |c| c.mail = mail)
        .start()
        .await;
    let portal = relay.portal_url().replace("127.0.0.1", "localhost");
    let browser = Chromium::launch(DESKTOP).await;

    browser.navigate(&format!("{portal}/")).await;
    browser.find("//h1[normalize-space()='ようこそ']").await;
    check(&browser, "landing").await;

    // ログイン with the temporary password: the change comes first.
    browser.navigate(&format!("{portal}/login")).await;
    check(&browser, "login").await;
    browser
        .type_into(&field("user_id"), NEWCOMER.office_user_id)
        .await;
    browser
        .type_into(&field("password"), NEWCOMER.temporary_password)
        .await;
    browser.press(&button("ログイン")).await;
    browser.find("//p[contains(., '仮パスワードです')]").await;
    check(&browser, "password").await;
    browser
        .type_into(&field("current"), NEWCOMER.temporary_password)
        .await;
    browser.type_into(&field("new"), NEW_PASSWORD).await;
    browser.type_into(&field("again"), NEW_PASSWORD).await;
    browser.press(&button("パスワードを変更する")).await;
    browser
        .find("//*[contains(., 'パスワードを変更しました')]")
        .await;
    browser
        .press("//a[normalize-space()='利用状況TOPへ']")
        .await;

    // 利用申請可能です → 申請 → the 利用規約: the button comes into view only at their end.
    browser
        .find("//p[normalize-space()='利用申請可能です。']")
        .await;
    check(&browser, "top-apply").await;
    browser.press("//a[normalize-space()='申請']").await;
    browser.find("//h2[normalize-space()='利用規約']").await;
    let visible = "const r = document.getElementById('terms').getBoundingClientRect();
                   const b = document.getElementById('agree').getBoundingClientRect();
                   return b.top >= r.top && b.bottom <= r.bottom;";
    assert_eq!(
        browser.execute(visible, json!([])).await,
        json!(false),
        "hidden before reading"
    );
    browser
        .execute(
            "document.getElementById('terms-heading').scrollIntoView()",
            json!([]),
        )
        .await;
    check(&browser, "terms").await;
    // By keyboard: the region takes the focus, End scrolls to the end.
    browser.type_into(&field("terms"), END).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while browser.execute(visible, json!([])).await != json!(true) {
        assert!(
            std::time::Instant::now() < deadline,
            "End did not scroll the terms to their end"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.press(&field("agree")).await;
    browser
        .find("//p[contains(., 'ライセンスが付与され')]")
        .await;
    let licence = browser.text("//main").await;
    assert!(
        licence.contains("0円（フリーパス適用。通常 21,000円）"),
        "{licence}"
    );
    assert!(licence.contains("給付費からの差引"));
    check(&browser, "licence").await;

    // Two staff IDs: the first a 管理者 (the form starts there), then a 一般.
    browser.navigate(&format!("{portal}/home")).await;
    browser.type_into(&field("staff-name"), "佐々木 花子").await;
    browser.press(&button("発行する")).await;
    browser
        .find("//p[contains(., '佐々木 花子さんの個人ユーザID（管理者）を発行しました')]")
        .await;
    browser.type_into(&field("staff-name"), "田中 太郎").await;
    browser
        .press_space("//input[@name='role' and @value='general']")
        .await;
    browser.press(&button("発行する")).await;
    browser
        .find("//p[contains(., '田中 太郎さんの個人ユーザID（一般）を発行しました')]")
        .await;
    let secrets = browser
        .execute(
            "return [...document.querySelectorAll('.secret')].map(e => e.textContent)",
            json!([]),
        )
        .await;
    let (staff_id, staff_password) = (
        secrets[0].as_str().unwrap().to_owned(),
        secrets[1].as_str().unwrap().to_owned(),
    );
    check(&browser, "top-staff").await;

    // セキュリティメール: the code from the real SMTP server.
    browser.navigate(&format!("{portal}/security-mail")).await;
    browser
        .type_into(&field("address"), "jimu@tsubasa.example.jp")
        .await;
    browser.press(&button("確認コードを送る")).await;
    let code = smtp.wait_for_mail(1).await.code();
    browser.type_into(&field("code"), &code).await;
    browser.press(&button("確認する")).await;
    browser
        .find("//p[normalize-space()='セキュリティメールを登録しました。']")
        .await;
    check(&browser, "security-mail").await;
    browser.navigate(&format!("{portal}/certificates")).await;
    browser
        .find("//h2[contains(., '電子証明書を申請する')]")
        .await;
    check(&browser, "certificates").await;
    browser.navigate(&format!("{portal}/listing")).await;
    check(&browser, "listing").await;
    browser.press(&button("ログアウト")).await;
    browser.find("//h1[normalize-space()='ログイン']").await;
    browser
        .navigate(&format!("{portal}/recovery?purpose=unlock"))
        .await;
    check(&browser, "recovery").await;
    browser.navigate(&format!("{portal}/no-such-page")).await;
    check(&browser, "not-found").await;

    // One of the IDs logs in to the client (with a certificate the operator issued for the
    // office) and sends.
    let certs = temp_dir("newcomer-cert");
    let files = relay
        .relay
        .issue_certificate(
            NEWCOMER.number,
            careplan_relay::pki::CertSubject::CarePlanJigyousho,
            365,
            &certs,
            "Uketsuke-PC-1",
        )
        .await
        .unwrap();
    let client = RelayClient::new(
        &relay.address(),
        ClientIdentity::load(&files.pkcs12, Some("Uketsuke-PC-1")).unwrap(),
    )
    .unwrap();
    client
        .login(&LoginCredentials {
            personal_id: staff_id.clone(),
            personal_password: staff_password,
            office_user_id: NEWCOMER.office_user_id.into(),
            office_password: NEW_PASSWORD.into(),
            terminal_name: "受付PC".into(),
        })
        .await
        .unwrap();
    let pdf =
        LocalFile::read(&fixture_dir("valid/v41-plan-with-attachments").join("主治医意見書.pdf"))
            .unwrap();
    let sent = client
        .send(
            HOME_HELP.number,
            "よろしくお願いします。",
            &[pdf],
            no_progress(),
        )
        .await
        .unwrap();
    assert_eq!(sent.message.sent_by.unwrap().name, "田中 太郎");
}

/// The result table's cells of one row: 導入前, 導入後, 差分.
async fn row(browser: &Chromium, label: &str) -> Vec<String> {
    let cells = browser
        .execute(
            "return [...document.querySelectorAll('tr')].filter(r => r.querySelector('th')?.textContent === arguments[0])
                .map(r => [...r.querySelectorAll('td')].map(c => c.textContent))[0] || []",
            json!([label]),
        )
        .await;
    cells
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect()
}

async fn simulate(browser: &Chromium, portal: &str, inputs: [&str; 5]) {
    browser.navigate(&format!("{portal}/simulation")).await;
    for (id, value) in ["staff", "offices", "partners", "targets", "users"]
        .iter()
        .zip(inputs)
    {
        browser.clear(&field(id)).await;
        browser.type_into(&field(id), value).await;
    }
    browser.press(&button("試算する")).await;
    browser
        .find("//h2[normalize-space()='シミュレーション結果']")
        .await;
}

#[tokio::test]
#[ignore = "needs chromium, chromium-driver and axe-core; run by scripts/run-tests.sh"]
async fn the_directory_the_simulations_seed_examples_and_a_phone() {
    let relay = relay().await;
    let portal = relay.portal_url().replace("127.0.0.1", "localhost");
    let browser = Chromium::launch(DESKTOP).await;
    // The check itself: a page made to fail it (a field without a label, an image without text).
    browser
        .navigate("data:text/html;charset=utf-8,<html lang=ja><title>x</title><main><input type=text><img src=x.png></main></html>")
        .await;
    assert!(
        !browser.serious_accessibility_violations().await.is_empty(),
        "axe-core finds what is wrong"
    );

    browser.navigate(&format!("{portal}/directory")).await;
    check(&browser, "directory").await;
    browser.type_into(&field("name"), "ひまわり").await;
    browser.press(&button("検索する")).await;
    browser
        .find("//p[@role='status' and contains(., '1件の事業所が見つかりました')]")
        .await;
    assert!(browser
        .text("//table")
        .await
        .contains("ひまわりヘルパーステーション"));
    check(&browser, "directory-results").await;

    // The seed's first example: 6/1/10/7/40.
    simulate(&browser, &portal, ["6", "1", "10", "7", "40"]).await;
    assert_eq!(
        row(&browser, "印刷費").await,
        ["2,112円", "634円", "1,478円"]
    );
    assert_eq!(
        row(&browser, "通信費（FAX）").await,
        ["6,336円", "1,901円", "4,435円"]
    );
    assert_eq!(
        row(&browser, "郵送費").await,
        ["18,240円", "5,472円", "12,768円"]
    );
    assert_eq!(
        row(&browser, "交通費").await,
        ["17,664円", "5,299円", "12,365円"]
    );
    assert_eq!(
        row(&browser, "月額ソフトウェア費").await,
        ["377,004円", "377,004円", "0円"]
    );
    assert_eq!(
        row(&browser, "ケアプランデータ連携システム利用料").await,
        ["0円", "21,000円", "-21,000円"]
    );
    // The seed's second example: 4/1/60/3/120, to the yen, and its hours to the tenth.
    simulate(&browser, &portal, ["4", "1", "60", "3", "120"]).await;
    assert_eq!(
        row(&browser, "印刷費").await,
        ["6,336円", "6,019円", "317円"]
    );
    assert_eq!(
        row(&browser, "通信費（FAX）").await,
        ["19,008円", "18,058円", "950円"]
    );
    assert_eq!(
        row(&browser, "郵送費").await,
        ["54,720円", "51,984円", "2,736円"]
    );
    assert_eq!(
        row(&browser, "交通費").await,
        ["52,992円", "50,342円", "2,650円"]
    );
    assert_eq!(
        row(&browser, "月額ソフトウェア費").await,
        ["377,004円", "377,004円", "0円"]
    );
    assert_eq!(
        row(&browser, "ケアプランデータ連携システム利用料").await,
        ["0円", "21,000円", "-21,000円"]
    );
    assert_eq!(
        row(&browser, "一人当たり").await,
        ["107.8時間", "104.2時間", "3.5時間"]
    );
    assert_eq!(
        row(&browser, "事業所当たり").await,
        ["431.0時間", "416.9時間", "14.1時間"]
    );
    check(&browser, "simulation").await;
    // A unit cost changed by the person: 印刷費 doubled.
    browser.press("//summary").await;
    browser.clear(&field("printing")).await;
    browser.type_into(&field("printing"), "8.8").await;
    browser.press(&button("試算する")).await;
    browser
        .find("//h2[normalize-space()='シミュレーション結果']")
        .await;
    assert_eq!(
        row(&browser, "印刷費").await,
        ["12,672円", "12,038円", "634円"]
    );
    // Bad input: said in Japanese, no result.
    simulate_bad(&browser, &portal).await;

    // A phone: the pages fit its width (no sideways scrolling of the page itself).
    let phone = Chromium::launch(PHONE).await;
    for path in [
        "/",
        "/login",
        "/directory?search=1&prefecture=東京都",
        "/simulation",
    ] {
        phone.navigate(&format!("{portal}{path}")).await;
        let fits = phone
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth",
                json!([]),
            )
            .await;
        assert_eq!(fits, json!(true), "{path} is wider than the phone");
        let violations = phone.serious_accessibility_violations().await;
        assert!(violations.is_empty(), "{path} on a phone: {violations:#?}");
    }
    phone
        .navigate(&format!(
            "{portal}/directory?search=1&prefecture=東京都#results"
        ))
        .await;
    check(&phone, "phone-directory").await;
}

async fn simulate_bad(browser: &Chromium, portal: &str) {
    browser
        .navigate(&format!(
            "{portal}/simulation?staff=0&offices=1&partners=3&targets=5&users=40"
        ))
        .await;
    let text = browser.text("//div[@role='alert']").await;
    assert!(
        text.contains("「職員数」は1から10000までの整数で入力してください。"),
        "{text}"
    );
    assert!(
        !browser
            .exists("//h2[normalize-space()='シミュレーション結果']")
            .await
    );
}
