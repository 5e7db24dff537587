//! 練習モード through the commands on the mock runtime: the relay inside the app, the demo IDs,
//! settings that cannot be changed or saved, リセット back to the starting data, and leaving it.

mod common;

use careplan_api::{Office, SendResponse};
use common::*;
use serde_json::{json, Value};

fn log_in_as_shown(app: &DesktopApp, practice: &Value) -> Office {
    app.invoke::<Value>(
        "login_personal",
        json!({ "personalId": practice["personal_user_id"], "password": practice["personal_password"], "rememberId": false }),
    )
    .unwrap();
    app.invoke(
        "login_office",
        json!({ "officeUserId": practice["office_user_id"], "password": practice["office_password"], "rememberId": false }),
    )
    .unwrap()
}

#[test]
fn practice_runs_on_its_own_relay_resets_and_leaves_nothing_behind() {
    let app = DesktopApp::start();
    let status: Value = app.invoke("practice_status", json!({})).unwrap();
    assert!(status.is_null(), "not practising at start");

    let practice: Value = app.invoke("start_practice", json!({})).unwrap();
    assert_eq!(practice["office_name"], "ひだまり居宅介護支援事業所");
    let info: Value = app.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["ready_to_log_in"], true, "no 設定 needed to practise");
    assert!(info["relay_url"]
        .as_str()
        .unwrap()
        .starts_with("https://127.0.0.1:"));
    let again: Value = app.invoke("start_practice", json!({})).unwrap();
    assert_eq!(again, practice, "starting twice keeps the running practice");

    let office = log_in_as_shown(&app, &practice);
    assert!(
        !app.dirs.settings_file().exists(),
        "logging in to practice leaves the real settings file alone"
    );
    assert_eq!(office.number, practice["office_number"].as_str().unwrap());
    let waiting = app
        .mailbox("inbox")
        .items
        .iter()
        .flat_map(|m| &m.files)
        .filter(|f| f.fetched_at.is_none())
        .count();
    assert!(waiting > 0, "received items wait to be fetched");

    // The sample files are there to drag in, and they send.
    let samples: Vec<String> = serde_json::from_value(practice["sample_files"].clone()).unwrap();
    assert_eq!(samples.len(), 3);
    let sent: SendResponse = app
        .invoke(
            "send_files",
            json!({ "to": "1370000026", "message": "練習です", "paths": samples }),
        )
        .unwrap();
    assert_eq!(sent.message.files.len(), 3);
    // Its copy (for 送信一覧's 内容を見る) is practice's: nothing lands in the office's own folder.
    let opened: Value = app
        .invoke(
            "open_files",
            json!({ "source": { "from": "sent", "messages": [{ "message_id": sent.message.id, "files": sent.message.files }] } }),
        )
        .unwrap();
    assert_eq!(opened["files"].as_array().unwrap().len(), 3, "{opened}");
    assert!(!app.dirs.data.exists(), "no copy outside practice's folder");

    // The real settings stay as they were, on disk and in the app.
    let refused = app.refusal(
        "save_settings",
        json!({ "settings": { "relay_url": "https://relay.example.jp", "terminal_name": "受付PC" } }),
    );
    assert_eq!(refused.code, "practice.settings_locked");
    assert!(refused
        .message
        .contains("練習モード中は設定を変更できません"));
    assert!(!app.dirs.settings_file().exists(), "nothing written");

    // リセット: logged out, a fresh relay with the starting data (the send above is gone).
    let reset: Value = app.invoke("reset_practice", json!({})).unwrap();
    assert_ne!(reset["sample_folder"], practice["sample_folder"]);
    assert!(
        !std::path::Path::new(practice["sample_folder"].as_str().unwrap()).exists(),
        "the previous practice's data is deleted"
    );
    assert_eq!(app.refusal("home", json!({})).code, "session.required");
    log_in_as_shown(&app, &reset);
    let outbox = app.mailbox("outbox");
    assert!(
        outbox.items.iter().all(|m| m.message != "練習です"),
        "the practice send is gone after リセット"
    );

    // Leaving: logged out, data deleted, the real (empty) settings back.
    app.invoke::<Value>("stop_practice", json!({})).unwrap();
    assert!(!std::path::Path::new(reset["sample_folder"].as_str().unwrap()).exists());
    assert_eq!(app.refusal("home", json!({})).code, "session.required");
    let info: Value = app.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["ready_to_log_in"], false);
    assert!(info["relay_url"].is_null());
    let status: Value = app.invoke("practice_status", json!({})).unwrap();
    assert!(status.is_null());
}
