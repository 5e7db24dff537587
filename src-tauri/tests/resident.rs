//! 受信通知 and 自動取得 in the app (mock runtime, real relay): after the login the feed tells the
//! window of an arrival without a click, 自動取得 saves it when the office chose a folder, practice
//! saves nothing into the office's folder and sends an arrival after the login, and a logout stops
//! the feed.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};

fn send_use_sheet(sender: &DesktopApp, to: &str) -> Value {
    sender
        .invoke::<Value>(
            "send_files",
            json!({ "to": to, "message": "", "paths": fixture_paths("v41-use-sheet"), "fromDraft": null, "sendKey": null }),
        )
        .unwrap()
}

fn arrived(message_id: &str) -> impl Fn(&Value) -> bool + '_ {
    move |view| {
        view["arrived"]
            .as_array()
            .is_some_and(|a| a.iter().any(|m| m["message_id"] == message_id))
    }
}

#[test]
fn an_arrival_reaches_the_window_without_a_click_and_the_badge_counts_it() {
    let demo = demo_relay();
    let receiver = DesktopApp::start();
    receiver.configure(&demo, HOME_HELP);
    let feed = receiver.listen_to("feed");
    receiver.log_in(&demo, HOME_HELP);
    let first = heard_within(&feed, Duration::from_secs(5), |v| {
        v["status"] == "connected" && v["unfetched_files"].is_u64()
    })
    .expect("the feed connects after the login");
    let before = first["unfetched_files"].as_u64().unwrap();

    let sender = DesktopApp::start();
    sender.configure(&demo, CARE_MANAGER);
    sender.log_in(&demo, CARE_MANAGER);
    let sent = send_use_sheet(&sender, HOME_HELP.number);
    let id = sent["message"]["id"].as_str().unwrap();
    let view =
        heard_within(&feed, Duration::from_secs(3), arrived(id)).expect("the arrival is told");
    let files = sent["message"]["files"].as_array().unwrap().len() as u64;
    assert_eq!(view["unfetched_files"], before + files);
    assert_eq!(
        view["arrived"][0]["sender_name"],
        demo.office(CARE_MANAGER).name.as_str()
    );
    // A window that opens later asks for the last word.
    let status: Value = receiver.invoke("feed_status", json!({})).unwrap();
    assert_eq!(status["unfetched_files"], before + files);
    // The sender's own feed heard nothing of it.
    assert!(
        sender.invoke::<Value>("feed_status", json!({})).unwrap()["arrived"]
            .as_array()
            .is_some_and(|a| a.is_empty())
    );

    // After the logout nothing more is told, and there is no last word.
    receiver.invoke::<Value>("logout", json!({})).unwrap();
    assert_eq!(
        receiver.invoke::<Value>("feed_status", json!({})).unwrap(),
        Value::Null
    );
    let later = send_use_sheet(&sender, HOME_HELP.number);
    let later_id = later["message"]["id"].as_str().unwrap();
    assert!(heard_within(&feed, Duration::from_secs(1), arrived(later_id)).is_none());
}

#[test]
fn auto_fetch_saves_what_arrives_into_the_chosen_folder_and_logs_it() {
    let demo = demo_relay();
    let receiver = DesktopApp::start();
    receiver.configure(&demo, HOME_HELP);
    let folder = temp_dir("auto-fetch");
    let mut settings: Value = receiver.invoke("get_settings", json!({})).unwrap();
    settings["resident"]["auto_fetch_folder"] = json!(folder.display().to_string());
    settings["resident"]["auto_fetch_subfolders"] = json!("per_sender");
    receiver
        .invoke::<Value>("save_settings", json!({ "settings": settings }))
        .unwrap();
    let passes = receiver.listen_to("auto-fetch");
    receiver.log_in(&demo, HOME_HELP);

    // What waited at the login (the demo's items for 訪問介護) is saved at once.
    let pass = heard_within(&passes, Duration::from_secs(10), |p| {
        p["saved"].as_u64() > Some(0)
    })
    .unwrap_or_else(|| {
        panic!(
            "a pass saved the waiting files: {:?}",
            passes.lock().unwrap()
        )
    });
    assert_eq!(pass["failure"], Value::Null);
    let inbox = receiver.mailbox("inbox");
    assert!(
        inbox
            .items
            .iter()
            .flat_map(|m| &m.files)
            .all(|f| f.fetched_at.is_some()),
        "all 済"
    );
    let saved: Vec<_> = std::fs::read_dir(&folder).unwrap().collect();
    assert!(!saved.is_empty());
    let log = std::fs::read_to_string(receiver.dirs.data.join("auto-fetch.jsonl")).unwrap();
    assert!(
        log.lines()
            .all(|line| line.contains("\"outcome\":\"saved\"")),
        "{log}"
    );
}

#[test]
fn practice_never_saves_into_the_offices_auto_fetch_folder_and_sends_an_arrival_after_the_login() {
    // Sooner than in a classroom (20 s), for the test.
    std::env::set_var("CAREPLAN_PRACTICE_ARRIVAL_SECONDS", "1");
    let app = DesktopApp::start();
    let folder = temp_dir("office-auto-fetch");
    let mut settings: Value = app.invoke("get_settings", json!({})).unwrap();
    settings["terminal_name"] = json!("受付PC");
    settings["resident"]["auto_fetch_folder"] = json!(folder.display().to_string());
    app.invoke::<Value>("save_settings", json!({ "settings": settings }))
        .unwrap();
    let practice: Value = app.invoke("start_practice", json!({})).unwrap();
    let feed = app.listen_to("feed");
    let passes = app.listen_to("auto-fetch");
    app.invoke::<Value>(
        "login_personal",
        json!({ "personalId": practice["personal_user_id"], "password": practice["personal_password"], "rememberId": false }),
    )
    .unwrap();
    app.invoke::<Value>(
        "login_office",
        json!({ "officeUserId": practice["office_user_id"], "password": practice["office_password"], "rememberId": false }),
    )
    .unwrap();
    let first = heard_within(&feed, Duration::from_secs(5), |v| {
        v["unfetched_files"].as_u64() > Some(0)
    })
    .expect("practice's feed tells its demo items");
    assert_eq!(first["status"], "connected");
    // Practice's settings have 自動取得 off: nothing is fetched, into any folder.
    assert!(
        heard_within(&passes, Duration::from_secs(1), |p| p["saved"].as_u64()
            > Some(0))
        .is_none()
    );
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    // Practice's partner sends after the login, so that a trainer can show the notification.
    let news = heard_within(&feed, Duration::from_secs(5), |v| {
        v["arrived"].as_array().is_some_and(|a| !a.is_empty())
    })
    .expect("practice sends an arrival after the login");
    assert_eq!(news["arrived"][0]["sender_office"], HOME_HELP.number);
    app.invoke::<Value>("stop_practice", json!({})).unwrap();
}
