//! The app's log through the commands on the mock runtime: what a help desk needs is in it (login
//! stages, the send, the fetch, an error code), and no secret is: not the passwords, not the login
//! tokens, not a byte of the files sent.

mod common;

use careplan_api::{PersonalLoginResponse, SendResponse};
use common::*;
use serde_json::{json, Value};

/// Every log file of the folder, in one text.
fn read_log(folder: &std::path::Path) -> String {
    let mut names: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no log file in {}", folder.display());
    for name in &names {
        assert!(
            careplan_desktop::logs::log_day(name).is_some(),
            "{name}: ログを保存 would not find it"
        );
    }
    names
        .iter()
        .map(|name| std::fs::read_to_string(folder.join(name)).unwrap())
        .collect()
}

/// Runs of hex digits as long as a login token (256 bits, hex): any of them could be one.
fn token_shaped(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_hexdigit())
        .filter(|run| run.len() >= 64)
        .collect()
}

#[test]
fn the_log_tells_a_help_desk_what_happened_and_holds_no_secret() {
    let demo = demo_relay();
    let care_manager = DesktopApp::start();
    // The app starts its log when its window is ready; the mock runtime has no window events.
    careplan_desktop::logs::start(&care_manager.dirs.logs).unwrap();
    care_manager.configure(&demo, CARE_MANAGER);
    let office = demo.office(CARE_MANAGER).clone();

    // A wrong password first: its code is logged, the password typed is not.
    let wrong = "wrong-Pa55word-typed";
    let refused = care_manager.refusal(
        "login_personal",
        json!({ "personalId": office.personal_user_id, "password": wrong, "rememberId": false }),
    );
    assert_eq!(refused.code, "auth.invalid_credentials");
    let stage: PersonalLoginResponse = care_manager
        .invoke(
            "login_personal",
            json!({ "personalId": office.personal_user_id, "password": office.personal_password, "rememberId": true }),
        )
        .unwrap();
    care_manager
        .invoke::<Value>(
            "login_office",
            json!({ "officeUserId": office.office_user_id, "password": office.office_password, "rememberId": false }),
        )
        .unwrap();

    // A send with an attachment whose text must stay out of the log.
    let secret_text = "主治医所見: 左膝の手術後、要観察（ログに残ってはならない）";
    let attachment = temp_dir("attachment").join("所見.txt");
    std::fs::write(&attachment, secret_text).unwrap();
    let mut paths = fixture_paths("v41-use-sheet");
    let first_record = std::fs::read(&paths[0]).unwrap();
    let first_record = first_record.split(|b| *b == b'\n').next().unwrap().to_vec();
    paths.push(attachment.display().to_string());
    let help = demo.office(HOME_HELP).clone();
    let sent: SendResponse = care_manager
        .invoke(
            "send_files",
            json!({ "to": help.number, "message": "メッセージも記録しない", "paths": paths }),
        )
        .unwrap();

    let home_help = DesktopApp::start();
    home_help.configure(&demo, HOME_HELP);
    home_help.log_in(&demo, HOME_HELP);
    let inbox = home_help.mailbox("inbox");
    let received = inbox
        .items
        .iter()
        .find(|m| m.id == sent.message.id)
        .unwrap();
    let outcome: Value = home_help
        .invoke(
            "fetch_files",
            json!({ "files": received.files, "folder": temp_dir("fetched") }),
        )
        .unwrap();
    assert_eq!(outcome["fetched"].as_array().unwrap().len(), 4, "{outcome}");

    let log = read_log(&care_manager.dirs.logs);

    // What support needs.
    let file_name = |path: &String| {
        std::path::Path::new(path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    for needed in [
        format!("personal_id={}", office.personal_user_id),
        "code=\"auth.invalid_credentials\"".to_owned(),
        format!("office_user_id={}", office.office_user_id),
        format!("logged in office={}", office.number),
        "settings saved fields=[\"relay_url\"".to_owned(),
        format!("send_files{{to={} count=4}}", help.number),
        file_name(&paths[0]),
        "所見.txt".to_owned(),
        format!("sent message_id={}", sent.message.id),
        "fetched=4 already_there=0 failed=0".to_owned(),
        "import_certificate{file=".to_owned(),
        "password_given=true".to_owned(),
    ] {
        assert!(log.contains(&needed), "the log lacks {needed:?}:\n{log}");
    }

    // What must never be there.
    let stage_token = stage.stage_token;
    let secrets = [
        ("the personal password", office.personal_password.as_str()),
        ("the office password", office.office_password.as_str()),
        (
            "the certificate's password",
            office.pkcs12_password.as_str(),
        ),
        (
            "the other office's password",
            help.personal_password.as_str(),
        ),
        ("a wrong password typed", wrong),
        ("the stage token", stage_token.as_str()),
        ("the attachment's text", secret_text),
        ("the メッセージ", "メッセージも記録しない"),
    ];
    for (what, secret) in secrets {
        assert!(!log.contains(secret), "{what} is in the log:\n{log}");
    }
    // The CSV record's leading items (ASCII: version, 保険者番号, 被保険者番号, dates …).
    let ascii: Vec<u8> = first_record
        .iter()
        .copied()
        .take_while(|b| b.is_ascii() && *b != b'"')
        .collect();
    let record = String::from_utf8(ascii).unwrap();
    assert!(record.len() >= 20, "{record}");
    assert!(!log.contains(&record), "a CSV record is in the log:\n{log}");
    // The session token never leaves the client; nothing of its shape may be in the log.
    assert_eq!(token_shaped(&log), Vec::<&str>::new(), "{log}");
    assert!(
        !token_shaped(&stage_token).is_empty(),
        "the check above knows a token when it sees one"
    );
}
