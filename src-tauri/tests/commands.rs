//! The desktop app's commands on the mock runtime against a real relay: the whole round trip of
//! two offices, and the errors a user will meet.

mod common;

use careplan_api::{Home, Office, SendResponse};
use common::*;
use serde_json::{json, Value};

#[test]
fn login_send_inbox_fetch_and_the_row_becomes_fetched() {
    let demo = demo_relay();
    let care_manager = DesktopApp::start();
    let info: Value = care_manager.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["ready_to_log_in"], false, "a new PC has no settings");
    care_manager.configure(&demo, CARE_MANAGER);
    let info: Value = care_manager.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["ready_to_log_in"], true);

    let office: Office = serde_json::from_value(care_manager.log_in(&demo, CARE_MANAGER)).unwrap();
    assert_eq!(office.name, "ひだまり居宅介護支援事業所");
    let settings: Value = care_manager.invoke("get_settings", json!({})).unwrap();
    assert_eq!(
        settings["personal_id"],
        demo.office(CARE_MANAGER).personal_user_id
    );
    assert!(
        settings["office_user_id"].is_null(),
        "not asked to remember it"
    );
    let saved = std::fs::read_to_string(care_manager.dirs.settings_file()).unwrap();
    assert!(
        !saved.contains(&demo.office(CARE_MANAGER).pkcs12_password),
        "no password in the settings file"
    );

    let home: Home = care_manager.invoke("home", json!({})).unwrap();
    assert_eq!(home.unfetched, 1, "the demo's 実績");

    let paths = fixture_paths("v41-use-sheet");
    let check: Value = care_manager
        .invoke("check_files", json!({ "paths": paths }))
        .unwrap();
    assert_eq!(check["ok"], true);
    assert_eq!(
        check["units"][0]["type_name"],
        "サービス利用票（第6表・第7表・利用者補足情報）"
    );
    let help_number = demo.office(HOME_HELP).number.clone();
    let kinds: std::collections::BTreeMap<String, String> = care_manager
        .invoke("service_kind_names", json!({}))
        .unwrap();
    assert_eq!(kinds["11"], "訪問介護");
    assert_eq!(kinds["43"], "居宅介護支援");
    let destination: Office = care_manager
        .invoke("lookup_office", json!({ "number": help_number }))
        .unwrap();
    assert_eq!(destination.service_kinds, vec!["11"]);
    let sent: SendResponse = care_manager
        .invoke(
            "send_files",
            json!({ "to": help_number, "message": "5月分です", "paths": paths }),
        )
        .unwrap();
    assert_eq!(sent.message.files.len(), 3);
    let events = care_manager.events.lock().unwrap().clone();
    let last = events.last().expect("progress events were sent");
    assert_eq!(
        (last["operation"].as_str(), &last["done"]),
        (Some("send"), &last["total"])
    );

    let home_help = DesktopApp::start();
    home_help.configure(&demo, HOME_HELP);
    home_help.log_in(&demo, HOME_HELP);
    let inbox = home_help.mailbox("inbox");
    let received = &inbox.items[0];
    assert_eq!(received.message, "5月分です");
    assert!(
        received.files.iter().all(|f| f.fetched_at.is_none()),
        "未: a pale-green row"
    );

    let folder = temp_dir("save");
    let outcome: Value = home_help
        .invoke(
            "fetch_files",
            json!({ "files": received.files, "folder": folder }),
        )
        .unwrap();
    assert_eq!(outcome["fetched"].as_array().unwrap().len(), 3, "{outcome}");
    assert!(outcome["failed"].as_array().unwrap().is_empty());
    let inbox = home_help.mailbox("inbox");
    assert!(
        inbox.items[0].files.iter().all(|f| f.fetched_at.is_some()),
        "済: the row turns white"
    );
    // Fetching it again is refused, file by file, and says why.
    let again: Value = home_help
        .invoke(
            "fetch_files",
            json!({ "files": inbox.items[0].files, "folder": folder }),
        )
        .unwrap();
    assert_eq!(again["failed"][0]["error"]["code"], "fetch.already_fetched");

    home_help.invoke::<Value>("logout", json!({})).unwrap();
    assert_eq!(
        home_help.refusal("home", json!({})).code,
        "session.required"
    );
}

#[test]
fn the_errors_a_user_meets_are_japanese_and_change_nothing() {
    let mut demo = demo_relay();
    let app = DesktopApp::start();
    // Before any settings.
    let error = app.refusal(
        "login_personal",
        json!({ "personalId": "c1", "password": "x", "rememberId": false }),
    );
    assert_eq!(error.code, "settings.incomplete");
    let error = app.refusal(
        "save_settings",
        json!({ "settings": { "relay_url": "http://relay", "terminal_name": "PC" } }),
    );
    assert_eq!(error.code, "settings.relay_url");
    let error = app.refusal(
        "save_settings",
        json!({ "settings": { "relay_url": demo.url(), "terminal_name": " " } }),
    );
    assert_eq!(error.code, "settings.terminal_name");
    app.configure(&demo, HOME_HELP);
    let before = std::fs::read_to_string(app.dirs.settings_file()).unwrap();
    let office = demo.office(CARE_MANAGER).clone();
    let error = app.refusal(
        "import_certificate",
        json!({ "path": office.pkcs12, "password": "wrong-password" }),
    );
    assert_eq!(error.code, "certificate.password_wrong");
    assert!(error.message.contains("パスワード"), "{}", error.message);
    assert_eq!(
        std::fs::read_to_string(app.dirs.settings_file()).unwrap(),
        before,
        "settings unchanged"
    );

    // Files that break the standard are explained before anything is sent; a vanished file too.
    let broken = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/invalid/csv.encoding.bom");
    let paths: Vec<String> = std::fs::read_dir(&broken)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let check: Value = app
        .invoke("check_files", json!({ "paths": paths }))
        .unwrap();
    assert_eq!(check["ok"], false);
    let diagnostic = &check["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "csv.encoding.bom");
    assert!(!diagnostic["message"].as_str().unwrap().is_ascii());
    // A file that cannot be read is an entry of its own, with a Japanese reason, not a failed check.
    let missing: Value = app
        .invoke(
            "check_files",
            json!({ "paths": [demo.dir.join("nothing.CSV")] }),
        )
        .unwrap();
    assert_eq!(missing["ok"], false);
    assert_eq!(missing["files"][0]["unreadable"], true);
    assert_eq!(
        missing["files"][0]["diagnostics"][0]["code"],
        "file.not_found"
    );
    assert!(!missing["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .is_ascii());
    let error = app.refusal("save_settings", json!({ "settings": { "relay_url": demo.url(), "terminal_name": "PC", "save_folder": demo.dir.join("no-such-folder") } }));
    assert_eq!(error.code, "settings.save_folder");

    // Stage order and sessions.
    let error = app.refusal(
        "login_office",
        json!({ "officeUserId": "KJ137000002601", "password": "x", "rememberId": false }),
    );
    assert_eq!(error.code, "auth.stage_required");
    assert_eq!(app.refusal("home", json!({})).code, "session.required");

    // A wrong password, then the ID locked.
    let help = demo.office(HOME_HELP).clone();
    let wrong = json!({ "personalId": help.personal_user_id, "password": "wrong-password", "rememberId": false });
    assert_eq!(
        app.refusal("login_personal", wrong.clone()).code,
        "auth.invalid_credentials"
    );
    for _ in 0..4 {
        app.refusal("login_personal", wrong.clone());
    }
    let right = json!({ "personalId": help.personal_user_id, "password": help.personal_password, "rememberId": false });
    let locked = app.refusal("login_personal", right);
    assert_eq!(locked.code, "auth.locked");

    // An expired certificate.
    let now = time::OffsetDateTime::now_utc();
    let expired = demo
        .runtime
        .block_on(demo.relay.issue_certificate_between(
            &demo.office(CARE_MANAGER).number,
            careplan_relay::pki::CertSubject::KaigoJigyousho,
            now - time::Duration::days(400),
            now - time::Duration::days(30),
            &demo.dir.join("expired"),
            "expired-pass",
        ))
        .unwrap();
    let other = DesktopApp::start();
    other.configure(&demo, CARE_MANAGER);
    other
        .invoke::<Value>(
            "import_certificate",
            json!({ "path": expired.certificate, "password": null }),
        )
        .unwrap();
    let cm = demo.office(CARE_MANAGER).clone();
    let error = other.refusal("login_personal", json!({ "personalId": cm.personal_user_id, "password": cm.personal_password, "rememberId": false }));
    assert_eq!(error.code, "auth.certificate_expired");

    // The relay down.
    demo.stop();
    let fresh = DesktopApp::start();
    fresh.configure(&demo, CARE_MANAGER);
    let error = fresh.refusal("login_personal", json!({ "personalId": cm.personal_user_id, "password": cm.personal_password, "rememberId": false }));
    assert_eq!(error.code, "connection.failed");
    assert!(
        error.message.contains("接続できません"),
        "{}",
        error.message
    );
}

#[test]
fn a_file_another_office_sends_is_flagged_when_it_is_added_not_at_send() {
    let demo = demo_relay();
    let app = DesktopApp::start();
    app.configure(&demo, CARE_MANAGER);
    app.log_in(&demo, CARE_MANAGER);
    // ひまわり's 実績 for the 居宅: valid as a file, but not this office's to send.
    let theirs = fixture_paths("v41-actual");
    let check: Value = app
        .invoke("check_files", json!({ "paths": theirs }))
        .unwrap();
    assert_eq!(check["ok"], false);
    let findings = check["files"][0]["diagnostics"].as_array().unwrap();
    let mismatch = findings
        .iter()
        .find(|d| d["code"] == "send.sender_mismatch")
        .unwrap_or_else(|| panic!("no sender finding in {findings:?}"));
    let message = mismatch["message"].as_str().unwrap();
    assert!(
        message.contains("1370000026") && message.contains("1370000018"),
        "{message}"
    );
    // The office's own files are not flagged.
    let own: Value = app
        .invoke(
            "check_files",
            json!({ "paths": fixture_paths("v41-use-sheet") }),
        )
        .unwrap();
    assert_eq!(own["ok"], true, "{own}");
    // The sending office itself may send the same file.
    let sender = DesktopApp::start();
    sender.configure(&demo, HOME_HELP);
    sender.log_in(&demo, HOME_HELP);
    let check: Value = sender
        .invoke("check_files", json!({ "paths": theirs }))
        .unwrap();
    assert_eq!(check["ok"], true, "{check}");
}

#[test]
fn a_vendors_preset_relay_is_taken_once_and_the_office_then_only_takes_its_certificate() {
    let demo = demo_relay();
    let ca_pem = std::fs::read_to_string(&demo.info.ca_certificate).unwrap();
    let preset = |app: &DesktopApp, url: &str, ca: &str, portal: Option<&str>| {
        app.invoke::<Value>(
            "apply_relay_preset",
            json!({ "relayUrl": url, "caPem": ca, "portalUrl": portal }),
        )
    };

    // Refused presets change nothing.
    let refused = DesktopApp::start();
    let error = preset(&refused, "http://relay.example", &ca_pem, None).unwrap_err();
    assert_eq!(error.code, "settings.relay_url");
    let error = preset(&refused, &demo.url(), "not a certificate", None).unwrap_err();
    assert_eq!(error.code, "settings.ca");
    let error = preset(
        &refused,
        &demo.url(),
        &ca_pem,
        Some("http://portal.example"),
    )
    .unwrap_err();
    assert_eq!(error.code, "settings.portal_url");
    assert!(!refused.dirs.settings_file().exists(), "nothing written");

    // A new PC takes the preset; the office's certificate is then all it needs to log in.
    let app = DesktopApp::start();
    let settings = preset(&app, &demo.url(), &ca_pem, Some("https://portal.example/")).unwrap();
    assert_eq!(settings["relay_url"], demo.url());
    assert_eq!(
        std::fs::read_to_string(settings["ca_certificate"].as_str().unwrap()).unwrap(),
        ca_pem
    );
    let info: Value = app.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["portal_url"], "https://portal.example");
    assert_eq!(
        info["ready_to_log_in"], false,
        "the certificate is still to take"
    );
    let office = demo.office(CARE_MANAGER).clone();
    app.invoke::<Value>(
        "import_certificate",
        json!({ "path": office.pkcs12, "password": office.pkcs12_password }),
    )
    .unwrap();
    app.log_in(&demo, CARE_MANAGER);

    // Taken once: a later start with the preset leaves what the office has.
    let again = preset(&app, "https://other.example", &ca_pem, None).unwrap();
    assert_eq!(again["relay_url"], demo.url());
    assert_eq!(again["portal_address"], "https://portal.example");
}

#[test]
fn a_bulk_destination_added_by_hand_receives_its_attachments_alone_beside_the_routed_files() {
    let demo = demo_relay();
    let app = DesktopApp::start();
    app.configure(&demo, CARE_MANAGER);
    app.log_in(&demo, CARE_MANAGER);
    let day_service = demo.office(DAY_SERVICE).number.clone();
    let help_number = demo.office(HOME_HELP).number.clone();
    let letter = demo.dir.join("主治医意見書.pdf");
    std::fs::write(&letter, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n").unwrap();
    let result: Value = app
        .invoke(
            "bulk_send",
            json!({
                "paths": fixture_paths("v41-use-sheet"),
                "edits": [{ "office_number": day_service, "message": "意見書をお送りします", "attachment_paths": [letter] }],
            }),
        )
        .unwrap();
    let results = result["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{result}");
    let by_hand = results
        .iter()
        .find(|r| r["to"] == day_service.as_str())
        .unwrap();
    assert!(by_hand["error"].is_null(), "{by_hand}");
    assert_eq!(by_hand["files"], json!(["主治医意見書.pdf"]));
    assert_eq!(by_hand["message"]["message"], "意見書をお送りします");
    let routed = results
        .iter()
        .find(|r| r["to"] == help_number.as_str())
        .unwrap();
    assert!(routed["error"].is_null(), "{routed}");
    assert_eq!(routed["files"].as_array().unwrap().len(), 3);
    // Each destination's files, the attachment added by 編集 included, are kept on this PC for
    // 送信一覧's 内容を見る.
    for sent in [by_hand, routed] {
        let opened: Value = app
            .invoke(
                "open_files",
                json!({ "source": { "from": "sent", "messages": [{ "message_id": sent["message"]["id"], "files": sent["message"]["files"] }] } }),
            )
            .unwrap();
        let read =
            opened["files"].as_array().unwrap().len() + opened["others"].as_array().unwrap().len();
        assert_eq!(read, sent["files"].as_array().unwrap().len(), "{opened}");
        assert!(
            !opened
                .to_string()
                .contains("控えがこのパソコンにありません"),
            "{opened}"
        );
    }
}

#[test]
fn drafts_and_bulk_send_through_the_commands() {
    let demo = demo_relay();
    let app = DesktopApp::start();
    app.configure(&demo, CARE_MANAGER);
    app.log_in(&demo, CARE_MANAGER);
    let help_number = demo.office(HOME_HELP).number.clone();

    let paths = fixture_paths("v41-use-sheet");
    let draft: Value = app
        .invoke(
            "save_draft",
            json!({ "id": null, "to": help_number, "message": "途中", "paths": paths[..1] }),
        )
        .unwrap();
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["terminal_name"], "受付PC");
    let draft: Value = app
        .invoke(
            "save_draft",
            json!({ "id": id, "to": help_number, "message": "全部", "paths": paths }),
        )
        .unwrap();
    assert_eq!(draft["files"].as_array().unwrap().len(), 3);
    let listed: Vec<Value> = app.invoke("list_drafts", json!({})).unwrap();
    assert_eq!(listed.len(), 1);
    let opened: Value = app.invoke("open_draft", json!({ "id": id })).unwrap();
    for path in opened["paths"].as_array().unwrap() {
        let path = std::path::PathBuf::from(path.as_str().unwrap());
        let original = paths
            .iter()
            .find(|p| p.ends_with(path.file_name().unwrap().to_str().unwrap()))
            .unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(original).unwrap()
        );
    }
    let sent: SendResponse = app.invoke("send_draft", json!({ "id": id })).unwrap();
    assert_eq!(sent.message.message, "全部");
    // Sent again from this PC (a retry whose answer was lost): the same message, not a second one.
    let again: SendResponse = app.invoke("send_draft", json!({ "id": id })).unwrap();
    assert_eq!(again.message.id, sent.message.id);
    assert_eq!(
        app.refusal("send_draft", json!({ "id": "0123456789abcdef" }))
            .code,
        "draft.not_found"
    );

    // 一括送信: the preview groups by destination with the office's name; unknown offices show.
    let mut bulk = fixture_paths("v41-plan");
    let stray = temp_dir("bulk").join("DLT1KYO_1370000018_43_1390000095_11_20250501100000.CSV");
    std::fs::write(&stray, b"202407,131016,0000012345,20250401\r\n").unwrap();
    bulk.push(stray.display().to_string());
    let plan: Value = app.invoke("plan_bulk", json!({ "paths": bulk })).unwrap();
    let destinations = plan["destinations"].as_array().unwrap();
    assert_eq!(destinations.len(), 2);
    let to_help = destinations
        .iter()
        .find(|d| d["office_number"] == help_number.as_str())
        .unwrap();
    assert_eq!(to_help["office"]["name"], "ひまわりヘルパーステーション");
    assert_eq!(to_help["paths"].as_array().unwrap().len(), 4);
    let unknown = destinations
        .iter()
        .find(|d| d["office_number"] == "1390000095")
        .unwrap();
    assert!(unknown["office"].is_null());

    let result: Value = app
        .invoke(
            "bulk_send",
            json!({ "paths": bulk, "edits": [{ "office_number": help_number, "message": "4月の計画です", "attachment_paths": [] }] }),
        )
        .unwrap();
    let results = result["results"].as_array().unwrap();
    let ok = results
        .iter()
        .find(|r| r["to"] == help_number.as_str())
        .unwrap();
    assert_eq!(ok["message"]["message"], "4月の計画です");
    let failed = results.iter().find(|r| r["to"] == "1390000095").unwrap();
    assert_eq!(failed["error"]["code"], "send.unknown_destination");
}

#[test]
fn a_draft_opened_in_new_message_or_bulk_send_goes_with_its_send() {
    let demo = demo_relay();
    let app = DesktopApp::start();
    app.configure(&demo, CARE_MANAGER);
    app.log_in(&demo, CARE_MANAGER);
    let help_number = demo.office(HOME_HELP).number.clone();
    let paths = fixture_paths("v41-use-sheet");
    let save = |message: &str| -> String {
        let draft: Value = app
            .invoke(
                "save_draft",
                json!({ "id": null, "to": help_number, "message": message, "paths": paths }),
            )
            .unwrap();
        draft["id"].as_str().unwrap().to_owned()
    };
    let drafts = || -> usize {
        app.invoke::<Vec<Value>>("list_drafts", json!({}))
            .unwrap()
            .len()
    };

    // 新規作成 with a draft opened, its message changed, then 送信: one send, no draft left.
    let id = save("途中");
    let sent: SendResponse = app
        .invoke(
            "send_files",
            json!({ "to": help_number, "message": "直しました", "paths": paths, "fromDraft": id }),
        )
        .unwrap();
    assert_eq!(sent.message.message, "直しました");
    assert_eq!(drafts(), 0);

    // 一括送信 with a draft switched to it: its destination sent, the draft gone.
    let id = save("一括へ");
    let result: Value = app
        .invoke(
            "bulk_send",
            json!({ "paths": paths, "edits": [], "fromDraft": id }),
        )
        .unwrap();
    assert!(result["results"][0]["error"].is_null(), "{result}");
    assert_eq!(drafts(), 0);

    // Without one, nothing else is touched.
    save("残す");
    app.invoke::<Value>(
        "send_files",
        json!({ "to": help_number, "message": "", "paths": paths, "fromDraft": null }),
    )
    .unwrap();
    assert_eq!(drafts(), 1);
}

/// A use-sheet unit of about 9 MB and a text attachment that makes the send exactly `total` bytes.
fn send_of_bytes(total: usize, label: &str) -> Vec<String> {
    let folder = temp_dir(label);
    let mut paths = Vec::new();
    let mut size = 0;
    for (name, bytes) in careplan_spec::samples::use_sheet_unit(7, 850) {
        size += bytes.len();
        let path = folder.join(name);
        std::fs::write(&path, bytes).unwrap();
        paths.push(path.display().to_string());
    }
    assert!(size < total, "the unit alone is {size} bytes");
    let line = "添付の説明です。\r\n".as_bytes();
    let mut padding: Vec<u8> = line.iter().copied().cycle().take(total - size).collect();
    // A character cut in two at the end becomes spaces: the text stays UTF-8, the size exact.
    if let Err(cut) = std::str::from_utf8(&padding) {
        padding[cut.valid_up_to()..].fill(b' ');
    }
    let attachment = folder.join("説明.txt");
    std::fs::write(&attachment, padding).unwrap();
    paths.push(attachment.display().to_string());
    let sent: usize = paths
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len() as usize)
        .sum();
    assert_eq!(sent, total);
    paths
}

#[test]
fn a_send_of_10_mb_is_checked_and_sent_and_one_byte_more_is_refused_by_the_relay() {
    const LIMIT: usize = 10_000_000; // the relay's default: 1回に送れるのは合計 10 MB まで
    let demo = demo_relay();
    let app = DesktopApp::start();
    app.configure(&demo, CARE_MANAGER);
    app.log_in(&demo, CARE_MANAGER);
    let help_number = demo.office(HOME_HELP).number.clone();
    let sent_before = app.mailbox("outbox").total;

    let at_limit = send_of_bytes(LIMIT, "send-at-limit");
    let check: Value = app
        .invoke("check_files", json!({ "paths": at_limit }))
        .unwrap();
    assert_eq!(check["ok"], true, "{}", check["files"]);
    assert_eq!(check["files"].as_array().unwrap().len(), 4);
    assert_eq!(check["files"][3]["kind_name"], "添付ファイル");
    let sent: SendResponse = app
        .invoke(
            "send_files",
            json!({ "to": help_number, "message": "", "paths": at_limit }),
        )
        .unwrap();
    let stored: u64 = sent.message.files.iter().map(|f| f.size).sum();
    assert_eq!(stored, LIMIT as u64);

    // Checking knows no size limit; the relay refuses the send, and nothing is stored.
    let past_limit = send_of_bytes(LIMIT + 1, "send-past-limit");
    let check: Value = app
        .invoke("check_files", json!({ "paths": past_limit }))
        .unwrap();
    assert_eq!(check["ok"], true);
    let refused = app.refusal(
        "send_files",
        json!({ "to": help_number, "message": "", "paths": past_limit }),
    );
    assert_eq!(refused.code, "send.too_large");
    assert!(refused.message.contains("10 MB"), "{}", refused.message);
    assert_eq!(
        app.mailbox("outbox").total,
        sent_before + 1,
        "only the send at the limit"
    );
}
