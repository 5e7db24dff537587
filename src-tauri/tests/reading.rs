//! 帳票ビュー and 予実突合 through the commands, on the mock runtime: files from this PC, from
//! 受信一覧 (内容を見る leaves them 未; 済 ones come from the save folder) and from a draft, and the
//! comparisons that cannot be made.

mod common;

use careplan_api::{FileEntry, MessagePage};
use common::*;
use serde_json::{json, Value};

/// Any fixture folder (`invalid/…`, `reconcile/…`) as the paths the UI passes.
fn repository_fixture(case: &str) -> Vec<String> {
    careplan_test_support::fixtures::fixture_paths(case)
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

fn open(app: &DesktopApp, source: Value) -> Value {
    app.invoke("open_files", json!({ "source": source }))
        .unwrap()
}

fn kinds_of(opened: &Value, list: &str) -> Vec<String> {
    opened[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| match list {
            "files" => entry["file"]["kind"].as_str().unwrap().to_owned(),
            _ => entry["kind"].as_str().unwrap().to_owned(),
        })
        .collect()
}

fn received(inbox: &MessagePage) -> Vec<FileEntry> {
    inbox.items.iter().flat_map(|m| m.files.clone()).collect()
}

#[test]
fn files_on_disk_open_as_the_forms_and_the_ones_that_cannot_say_why() {
    let app = DesktopApp::start();
    let opened = open(
        &app,
        json!({ "from": "disk", "paths": fixture_paths("v41-use-sheet") }),
    );
    assert_eq!(opened["ok"], true, "{opened}");
    assert_eq!(
        kinds_of(&opened, "files"),
        ["UPHOSOKU", "UPPLAN", "UPSIKYU"]
    );
    assert_eq!(
        opened["units"][0]["title"],
        "サービス利用票（予定）2025年4月分"
    );
    assert_eq!(opened["units"][0]["people"][0]["label"], "山田　花子");
    let plan = &opened["files"][1];
    assert_eq!(
        plan["file"]["name"], "UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV",
        "the name, not the path"
    );
    let grid = &plan["use_sheets"][0];
    assert_eq!(grid["days"], 30);
    assert_eq!(grid["lines"][0]["service_code"]["code"], "111211");
    assert_eq!(grid["lines"][0]["counts"][0], 1, "the 1st of April");
    assert_eq!(
        opened["files"][2]["use_sheets"],
        json!([]),
        "第7表 has no grid"
    );
    assert_eq!(opened["diagnostics"], json!([]));
    assert_eq!(opened["others"], json!([]));

    // A file that is not standard and a path that is gone, beside the plan: the plan still opens.
    let folder = temp_dir("open-disk");
    let list = folder.join("利用者一覧.csv");
    std::fs::write(&list, "氏名,住所\r\n山田,東京\r\n".as_bytes()).unwrap();
    let mut paths = fixture_paths("v41-plan");
    paths.push(list.display().to_string());
    paths.push(folder.join("UPPLAN_消えた.CSV").display().to_string());
    let opened = open(&app, json!({ "from": "disk", "paths": paths }));
    assert_eq!(opened["ok"], false);
    assert_eq!(opened["files"].as_array().unwrap().len(), 4);
    assert!(opened["files"][1]["plan2"][0]["issues"][0]["goals"].is_array());
    assert_eq!(kinds_of(&opened, "others"), ["not_standard", "unavailable"]);
    let not_standard = &opened["others"][0];
    assert_eq!(not_standard["name"], "利用者一覧.csv");
    assert!(not_standard["message"]
        .as_str()
        .unwrap()
        .starts_with("標準仕様のファイルとして読めません。"));
    let gone = &opened["others"][1];
    assert_eq!(gone["name"], "UPPLAN_消えた.CSV");
    assert_eq!(
        gone["message"],
        "「UPPLAN_消えた.CSV」が見つかりません。移動したか削除された可能性があります。ファイルのある場所を確かめて、入れ直してください。"
    );

    // A file with an error: its finding says where, to be shown at the item.
    let opened = open(
        &app,
        json!({ "from": "disk", "paths": repository_fixture("invalid/item.time.invalid") }),
    );
    assert_eq!(opened["ok"], false);
    let finding = opened["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "item.time.invalid")
        .expect("the time's finding");
    assert!(
        finding["line"].is_u64() && finding["item_no"].is_u64(),
        "{finding}"
    );
    assert!(finding["file"].as_str().unwrap().starts_with("UPJSK_"));

    let error = app.refusal(
        "open_files",
        json!({ "source": { "from": "disk", "paths": [] } }),
    );
    assert_eq!(error.code, "open.empty");
    assert!(!error.message.is_ascii());
    // Received files and drafts are the relay's: not without logging in.
    let error = app.refusal(
        "open_files",
        json!({ "source": { "from": "draft", "id": "d1" } }),
    );
    assert_eq!(error.code, "session.required");
}

#[test]
fn a_received_file_looked_at_stays_unfetched_and_a_fetched_one_is_read_from_the_save_folder() {
    let demo = demo_relay();
    let app = DesktopApp::start();
    app.configure(&demo, HOME_HELP);
    let refused = app.refusal(
        "open_files",
        json!({ "source": { "from": "received", "files": [] } }),
    );
    assert_eq!(refused.code, "session.required");
    app.log_in(&demo, HOME_HELP);
    let save_folder = temp_dir("open-received");
    app.invoke::<Value>(
        "save_settings",
        json!({ "settings": { "relay_url": demo.url(), "terminal_name": "受付PC", "save_folder": save_folder } }),
    )
    .unwrap();

    let inbox = app.mailbox("inbox");
    let files = received(&inbox);
    assert!(files.iter().all(|f| f.fetched_at.is_none()));
    let opened = open(&app, json!({ "from": "received", "files": files }));
    assert_eq!(opened["ok"], true, "{opened}");
    let kinds = kinds_of(&opened, "files");
    assert!(kinds.contains(&"UPPLAN".to_owned()) && kinds.contains(&"UP2KYO".to_owned()));
    assert_eq!(
        kinds_of(&opened, "others"),
        ["attachment"],
        "the plan's 主治医意見書.pdf"
    );
    // Looked at twice: still 未 in the list.
    open(&app, json!({ "from": "received", "files": files }));
    let after = received(&app.mailbox("inbox"));
    assert!(after.iter().all(|f| f.fetched_at.is_none()), "still 未");
    assert_eq!(after.len(), files.len());

    // データ取得 into the save folder; then the 済 files open from there.
    let outcome: Value = app
        .invoke("fetch_files", json!({ "files": files }))
        .unwrap();
    assert_eq!(outcome["failed"], json!([]), "{outcome}");
    let fetched = received(&app.mailbox("inbox"));
    assert!(fetched.iter().all(|f| f.fetched_at.is_some()));
    let again = open(&app, json!({ "from": "received", "files": fetched }));
    assert_eq!(
        again["files"], opened["files"],
        "the same files, read from the folder"
    );
    assert_eq!(again["ok"], true);

    // Moved away after データ取得: said so, with where to open it from.
    let moved = fetched
        .iter()
        .find(|f| f.name.starts_with("UPPLAN_"))
        .unwrap();
    std::fs::remove_file(save_folder.join(&moved.name)).unwrap();
    let missing = open(&app, json!({ "from": "received", "files": fetched }));
    assert_eq!(missing["ok"], false);
    let unavailable = missing["others"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "unavailable")
        .unwrap();
    assert_eq!(unavailable["name"], moved.name.as_str());
    assert!(
        unavailable["message"]
            .as_str()
            .unwrap()
            .contains("既にデータ取得済みですが、設定の保存先のフォルダに見つかりません。データ取得は1回だけです。保存したファイルを「ファイルを開く」で開いてください。"),
        "{unavailable}"
    );

    // An entry as a stale list showed it (未, but fetched meanwhile): the relay's word for that file.
    let stale = open(&app, json!({ "from": "received", "files": [files[0]] }));
    assert_eq!(kinds_of(&stale, "others"), ["unavailable"]);
    assert!(stale["others"][0]["message"]
        .as_str()
        .unwrap()
        .contains("既にデータ取得済みです"));
}

#[test]
fn a_draft_opens_as_its_forms() {
    let demo = demo_relay();
    let app = DesktopApp::start();
    app.configure(&demo, CARE_MANAGER);
    app.log_in(&demo, CARE_MANAGER);
    let draft: Value = app
        .invoke(
            "save_draft",
            json!({ "to": demo.office(HOME_HELP).number, "message": "確認中", "paths": fixture_paths("v41-plan") }),
        )
        .unwrap();
    let opened = open(&app, json!({ "from": "draft", "id": draft["id"] }));
    assert_eq!(opened["ok"], true, "{opened}");
    assert_eq!(
        kinds_of(&opened, "files"),
        ["UP1KYO", "UP2KYO", "UP3KYO", "UPHOSOKU"]
    );
    assert_eq!(opened["units"][0]["title"], "居宅サービス計画書 第1〜3表");
    assert!(opened["files"][2]["weekly"][0]["slots"].is_array());
    let error = app.refusal(
        "open_files",
        json!({ "source": { "from": "draft", "id": "no-such-draft" } }),
    );
    assert!(!error.message.is_ascii(), "{}", error.message);
}

fn disk(case: &str) -> Value {
    json!({ "from": "disk", "paths": repository_fixture(case) })
}

#[test]
fn plan_and_actual_are_reconciled_from_disk_and_from_the_inbox() {
    let app = DesktopApp::start();
    let result: Value = app
        .invoke(
            "reconcile_files",
            json!({ "plan": disk("reconcile/plan-differences"), "actual": disk("reconcile/actual-differences") }),
        )
        .unwrap();
    assert_eq!(
        (
            result["compared"].as_u64(),
            result["with_differences"].as_u64()
        ),
        (Some(2), Some(1))
    );
    let first = &result["people"][0];
    assert_eq!(first["person"]["name"], "山田　花子");
    assert_eq!(first["status"], "differences");
    let statuses: Vec<&str> = first["services"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["days"].as_array().unwrap())
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    for status in [
        "matching",
        "planned_not_done",
        "done_not_planned",
        "changed",
    ] {
        assert!(statuses.contains(&status), "{status}: {statuses:?}");
    }
    assert_eq!(result["people"][1]["status"], "matching");

    // The 予定 from this PC, the 実績 as received: compared without fetching it.
    let demo = demo_relay();
    app.configure(&demo, CARE_MANAGER);
    app.log_in(&demo, CARE_MANAGER);
    let actual = received(&app.mailbox("inbox"));
    assert_eq!(actual.len(), 1, "the demo's 実績");
    let result: Value = app
        .invoke(
            "reconcile_files",
            json!({ "plan": disk("valid/v41-use-sheet"), "actual": { "from": "received", "files": actual } }),
        )
        .unwrap();
    assert_eq!(result["compared"], 1);
    assert_eq!(result["people"][0]["person"]["name"], "山田　花子");
    assert!(
        received(&app.mailbox("inbox"))[0].fetched_at.is_none(),
        "still 未"
    );
}

/// A fixture folder as the one path a user picks with フォルダを選ぶ.
fn folder(case: &str) -> Value {
    let path = careplan_test_support::fixtures::fixture_dir(case);
    json!({ "from": "disk", "paths": [path.display().to_string()] })
}

#[test]
fn folders_of_many_people_are_reconciled_and_opened_file_by_file() {
    let app = DesktopApp::start();
    let result: Value = app
        .invoke(
            "reconcile_files",
            json!({ "plan": folder("reconcile/plan-50"), "actual": folder("reconcile/actual-50") }),
        )
        .unwrap();
    assert_eq!(
        result["people"].as_array().unwrap().len(),
        50,
        "one per 利用者"
    );
    // As the command line finds it (fixtures/generate.py): the last person has no 実績.
    assert_eq!(result["compared"], 49);
    assert_eq!(result["actual_missing"], 1);

    let opened = open(&app, folder("valid/v41-plan"));
    assert_eq!(
        kinds_of(&opened, "files"),
        ["UP1KYO", "UP2KYO", "UP3KYO", "UPHOSOKU"]
    );
    // A folder that is not there is one entry saying so, not a failure of the whole call.
    let gone = open(
        &app,
        json!({ "from": "disk", "paths": ["/nonexistent/予定フォルダ/"] }),
    );
    assert_eq!(kinds_of(&gone, "others"), ["unavailable"]);
}

#[test]
fn files_that_cannot_be_compared_are_refused_in_japanese() {
    let app = DesktopApp::start();
    let refusal = |plan: Value, actual: Value| {
        let error = app.refusal("reconcile_files", json!({ "plan": plan, "actual": actual }));
        assert_eq!(error.code, "reconcile.refused", "{}", error.message);
        error.message
    };
    let swapped = refusal(
        disk("reconcile/actual-differences"),
        disk("reconcile/plan-differences"),
    );
    assert_eq!(
        swapped,
        "予定として指定したファイルは実績（UPJSK）です。予定（UPPLAN）、実績（UPJSK）の順に指定してください。"
    );
    // Another person: nothing in common.
    let others = refusal(disk("valid/v41-use-sheet"), disk("reconcile/actual-50"));
    assert!(
        others.starts_with("予定と実績に、同じ利用者・同じ対象年月の組がありません（予定: 保険者番号 131016・被保険者番号 0000012345・2025年4月分"),
        "{others}"
    );
    let unreadable = refusal(
        disk("reconcile/plan-differences"),
        disk("invalid/item.date.invalid"),
    );
    assert!(
        unreadable.starts_with("実績の「UPJSK_") && unreadable.contains("2行目が読めません"),
        "{unreadable}"
    );
    let gone = refusal(
        json!({ "from": "disk", "paths": ["/nonexistent/UPPLAN.CSV"] }),
        disk("reconcile/actual-differences"),
    );
    assert!(
        gone.starts_with("予定のファイルを用意できません。「UPPLAN.CSV」が見つかりません。"),
        "{gone}"
    );
    let nothing = refusal(
        json!({ "from": "disk", "paths": [] }),
        disk("reconcile/actual-differences"),
    );
    assert!(nothing.contains("予定（UPPLAN）がありません"), "{nothing}");
    // Saving what cannot be compared is refused the same way, before any dialog.
    let error = app.refusal(
        "save_reconciliation",
        json!({ "plan": disk("reconcile/actual-differences"), "actual": disk("reconcile/plan-differences") }),
    );
    assert_eq!(error.code, "reconcile.refused");
}

/// 送信一覧's message as the UI passes it to open_files and reconcile_files.
fn sent(message: &careplan_api::MessageSummary) -> Value {
    json!({ "from": "sent", "messages": [{ "message_id": message.id, "files": message.files }] })
}

#[test]
fn what_this_pc_sent_opens_from_its_copy_after_the_partner_fetched_it_and_only_for_its_office() {
    let demo = demo_relay();
    let care_manager = DesktopApp::start();
    care_manager.configure(&demo, CARE_MANAGER);
    care_manager.log_in(&demo, CARE_MANAGER);
    let to = demo.office(HOME_HELP).number.clone();
    let _: Value = care_manager
        .invoke(
            "send_files",
            json!({ "to": to, "message": "5月分です", "paths": fixture_paths("v41-use-sheet") }),
        )
        .unwrap();
    let draft: Value = care_manager
        .invoke(
            "save_draft",
            json!({ "to": to, "message": "計画です", "paths": fixture_paths("v41-plan") }),
        )
        .unwrap();
    let _: Value = care_manager
        .invoke("send_draft", json!({ "id": draft["id"] }))
        .unwrap();

    // The partner fetches both: the relay has let the contents go.
    let home_help = DesktopApp::start();
    home_help.configure(&demo, HOME_HELP);
    home_help.log_in(&demo, HOME_HELP);
    let unfetched: Vec<FileEntry> = received(&home_help.mailbox("inbox"))
        .into_iter()
        .filter(|f| f.fetched_at.is_none())
        .collect();
    let outcome: Value = home_help
        .invoke(
            "fetch_files",
            json!({ "files": unfetched, "folder": temp_dir("partner-save") }),
        )
        .unwrap();
    assert!(
        outcome["failed"].as_array().unwrap().is_empty(),
        "{outcome}"
    );

    let outbox = care_manager.mailbox("outbox");
    let (from_draft, use_sheet) = (&outbox.items[0], &outbox.items[1]);
    assert!(use_sheet.files.iter().all(|f| f.fetched_at.is_some()));
    let opened = open(&care_manager, sent(use_sheet));
    assert_eq!(opened["ok"], true, "{opened}");
    assert_eq!(
        kinds_of(&opened, "files"),
        ["UPHOSOKU", "UPPLAN", "UPSIKYU"]
    );
    assert_eq!(opened["units"][0]["people"][0]["label"], "山田　花子");
    let opened = open(&care_manager, sent(from_draft));
    assert_eq!(
        kinds_of(&opened, "files"),
        ["UP1KYO", "UP2KYO", "UP3KYO", "UPHOSOKU"],
        "a draft sent keeps its copy too"
    );

    // The 予定 as sent, against the 実績 as received (the demo's), both from the lists.
    let actual = received(&care_manager.mailbox("inbox"));
    let result: Value = care_manager
        .invoke(
            "reconcile_files",
            json!({ "plan": sent(use_sheet), "actual": { "from": "received", "files": actual } }),
        )
        .unwrap();
    assert_eq!(result["compared"], 1, "{result}");

    // The demo's own sends were made elsewhere: no copy here, and 内容を見る says so.
    let seeded = outbox.items.last().unwrap();
    let opened = open(&care_manager, sent(seeded));
    assert_eq!(opened["files"], json!([]));
    let others = opened["others"].as_array().unwrap();
    assert_eq!(others.len(), seeded.files.len());
    assert!(
        others[0]["message"]
            .as_str()
            .unwrap()
            .contains("控えがこのパソコンにありません"),
        "{opened}"
    );

    // Another office on the same PC does not see this office's copies, even by id.
    care_manager.invoke::<Value>("logout", json!({})).unwrap();
    care_manager.configure(&demo, HOME_HELP);
    care_manager.log_in(&demo, HOME_HELP);
    let opened = open(&care_manager, sent(use_sheet));
    assert_eq!(opened["files"], json!([]), "{opened}");
    assert_eq!(opened["others"].as_array().unwrap().len(), 3);

    // Logged out, nothing is read.
    care_manager.invoke::<Value>("logout", json!({})).unwrap();
    let error = care_manager.refusal("open_files", json!({ "source": sent(use_sheet) }));
    assert_eq!(error.code, "session.required", "{}", error.message);
}
