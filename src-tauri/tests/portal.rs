//! The desktop app and the office portal, through the commands on the mock runtime against the test
//! relay with its portal: 電子証明書の申請 from 設定 (a key made here, a CSR, the certificate kept
//! beside the key), the portal's address for かんたんシミュレーション, and 利用事業所検索.

mod common;

use careplan_api::{DirectoryPage, Home};
use common::*;
use serde_json::{json, Value};

/// CARE_MANAGER's 証明書発行用パスワード, as the operator's letter gives it.
const ISSUANCE_PASSWORD: &str = "cert-pass-2026";

fn portal_relay() -> DemoRelay {
    let demo = TestRelay::builder().portal().start_on_own_runtime();
    demo.runtime
        .block_on(
            demo.relay
                .set_issuance_password(&demo.office(CARE_MANAGER).number, ISSUANCE_PASSWORD),
        )
        .unwrap();
    demo
}

/// 設定 of a PC that has no certificate yet: 接続先 and the relay's CA only.
fn without_certificate(demo: &TestRelay) -> DesktopApp {
    let app = DesktopApp::start();
    app.invoke::<Value>(
        "save_settings",
        json!({ "settings": { "relay_url": demo.url(), "terminal_name": "相談室PC" } }),
    )
    .unwrap();
    app.invoke::<Value>(
        "import_ca_certificate",
        json!({ "path": demo.info.ca_certificate }),
    )
    .unwrap();
    app
}

fn request(portal: &str, office_user_id: &str, issuance_password: &str) -> Value {
    json!({ "portalUrl": portal, "officeUserId": office_user_id, "issuancePassword": issuance_password })
}

/// The files of the app's certificate folder.
fn certificate_files(app: &DesktopApp) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(app.dirs.certificates())
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_certificate_requested_from_settings_keeps_its_key_on_the_pc_and_logs_in() {
    let demo = portal_relay();
    let app = without_certificate(&demo);
    let office = demo.office(CARE_MANAGER);
    let imported: Value = app
        .invoke(
            "request_certificate",
            request(
                &demo.portal_url(),
                &office.office_user_id,
                ISSUANCE_PASSWORD,
            ),
        )
        .unwrap();
    let file_name = imported["file_name"].as_str().unwrap().to_owned();
    assert!(
        file_name.starts_with(&format!("{}-", office.number)) && file_name.ends_with(".pem"),
        "{file_name}"
    );
    let key_name = file_name.replace(".pem", ".key");
    assert_eq!(
        certificate_files(&app),
        vec![key_name.clone(), file_name.clone()]
    );
    let key_path = app.dirs.certificates().join(&key_name);
    let key = std::fs::read_to_string(&key_path).unwrap();
    assert!(key.contains("BEGIN PRIVATE KEY"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the key is this user's only: {mode:o}");
    }
    let settings: Value = app.invoke("get_settings", json!({})).unwrap();
    assert!(settings["certificate"]
        .as_str()
        .unwrap()
        .ends_with(&file_name));
    let info: Value = app.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["ready_to_log_in"], true);

    // The relay accepts the certificate: a login, and トップページ shows it.
    app.log_in(&demo, CARE_MANAGER);
    let home: Home = app.invoke("home", json!({})).unwrap();
    let pem = std::fs::read_to_string(app.dirs.certificates().join(&file_name)).unwrap();
    assert!(pem.contains("BEGIN CERTIFICATE") && !pem.contains("PRIVATE KEY"));
    assert!(
        file_name.contains(&home.certificate.serial),
        "the session's certificate is the one requested: {} in {file_name}",
        home.certificate.serial
    );
}

#[test]
fn refused_requests_say_why_in_japanese_and_change_nothing() {
    let demo = portal_relay();
    let app = without_certificate(&demo);
    let office = demo.office(CARE_MANAGER);
    let portal = demo.portal_url();
    let before: Value = app.invoke("get_settings", json!({})).unwrap();

    let wrong = app.refusal(
        "request_certificate",
        request(&portal, &office.office_user_id, "not-the-password"),
    );
    assert_eq!(wrong.code, "certificate.issuance_password");
    assert!(
        wrong.message.contains("証明書発行用パスワード"),
        "{}",
        wrong.message
    );

    let proxy = app.refusal(
        "request_certificate",
        request(&portal, "HD137000001801", ISSUANCE_PASSWORD),
    );
    assert_eq!(proxy.code, "auth.proxy_id");
    assert!(proxy.message.contains("代理請求用"), "{}", proxy.message);

    let personal = app.refusal(
        "request_certificate",
        request(&portal, &office.personal_user_id, ISSUANCE_PASSWORD),
    );
    assert_eq!(personal.code, "auth.office_id_format");
    assert!(personal.message.contains("事業所ユーザID"));

    let empty = app.refusal(
        "request_certificate",
        request(&portal, &office.office_user_id, ""),
    );
    assert_eq!(empty.code, "certificate.issuance_password");
    assert!(empty.message.contains("入力してください"));

    let plain = app.refusal(
        "request_certificate",
        request(
            &portal.replace("https://", "http://"),
            &office.office_user_id,
            ISSUANCE_PASSWORD,
        ),
    );
    assert_eq!(plain.code, "settings.portal_url");
    assert!(plain.message.contains("https://"));

    // Not the portal: the relay's own listener asks for a certificate the PC does not have yet.
    let not_portal = app.refusal(
        "request_certificate",
        request(&demo.url(), &office.office_user_id, ISSUANCE_PASSWORD),
    );
    assert!(
        not_portal.code.starts_with("connection."),
        "{}: {}",
        not_portal.code,
        not_portal.message
    );

    let after: Value = app.invoke("get_settings", json!({})).unwrap();
    assert_eq!(after, before, "設定 unchanged");
    assert_eq!(
        certificate_files(&app),
        Vec::<String>::new(),
        "no key or certificate kept"
    );
    let info: Value = app.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["ready_to_log_in"], false);

    // Without the relay's CA the portal cannot be trusted: 設定 says what to do first.
    let bare = DesktopApp::start();
    let no_ca = bare.refusal(
        "request_certificate",
        request(&portal, &office.office_user_id, ISSUANCE_PASSWORD),
    );
    assert_eq!(no_ca.code, "settings.incomplete");
    assert!(no_ca.message.contains("認証局の証明書"));
}

#[test]
fn practice_mode_requests_no_certificate_and_has_no_portal() {
    let demo = portal_relay();
    let app = without_certificate(&demo);
    app.invoke::<Value>("start_practice", json!({})).unwrap();
    let refused = app.refusal(
        "request_certificate",
        request(
            &demo.portal_url(),
            &demo.office(CARE_MANAGER).office_user_id,
            ISSUANCE_PASSWORD,
        ),
    );
    assert_eq!(refused.code, "practice.settings_locked");
    let info: Value = app.invoke("app_info", json!({})).unwrap();
    assert!(info["portal_url"].is_null(), "{info}");
    let open = app.refusal("open_portal", json!({ "page": "simulation" }));
    assert_eq!(open.code, "settings.incomplete");
    app.invoke::<Value>("stop_practice", json!({})).unwrap();
    assert_eq!(certificate_files(&app), Vec::<String>::new());
}

#[test]
fn the_portal_is_the_relays_host_on_the_portal_port() {
    let app = DesktopApp::start();
    let info: Value = app.invoke("app_info", json!({})).unwrap();
    assert!(info["portal_url"].is_null(), "no 接続先 yet: {info}");
    let open = app.refusal("open_portal", json!({ "page": "simulation" }));
    assert_eq!(open.code, "settings.incomplete");
    assert!(open.message.contains("接続先"));
    app.invoke::<Value>(
        "save_settings",
        json!({ "settings": { "relay_url": "https://relay.city.example:8443", "terminal_name": "受付PC" } }),
    )
    .unwrap();
    let info: Value = app.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["portal_url"], "https://relay.city.example:8444");
}

#[test]
fn offices_are_found_by_name_as_typed_and_the_search_needs_a_login() {
    let demo = portal_relay();
    let app = DesktopApp::start();
    app.configure(&demo, CARE_MANAGER);
    let search = |name: &str, page: Option<u32>| json!({ "search": { "prefecture": "", "city": "", "name": name, "service_kind": "", "number": "", "page": page } });
    let before = app.refusal("search_directory", search("ひまわり", None));
    assert_eq!(before.code, "session.required");

    app.log_in(&demo, CARE_MANAGER);
    let help = demo.office(HOME_HELP);
    // Part of the name, in hiragana as typed; and in half-width katakana, which folds to it.
    for typed in ["ひまわり", "ﾋﾏﾜﾘ"] {
        let found: DirectoryPage = app.invoke("search_directory", search(typed, None)).unwrap();
        assert!(
            found
                .items
                .iter()
                .any(|entry| entry.office.number == help.number),
            "{typed}: {:?}",
            found.items
        );
        assert_eq!(found.page, 1);
    }
    let none: DirectoryPage = app
        .invoke("search_directory", search("該当する事業所のない名前", None))
        .unwrap();
    assert_eq!(none.total, 0);
    assert!(none.items.is_empty());
    // Past the longest field the search takes: refused in Japanese.
    let long = "あ".repeat(101);
    let refused = app.refusal("search_directory", search(&long, None));
    assert_eq!(refused.code, "directory.field_too_long");
    assert!(refused.message.contains("100文字"));
    let at_limit: DirectoryPage = app
        .invoke("search_directory", search(&"あ".repeat(100), None))
        .unwrap();
    assert_eq!(at_limit.total, 0);
}
