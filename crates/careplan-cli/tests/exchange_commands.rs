//! A round trip between two demo offices driven only by `careplan` commands (the relay runs in the
//! test, with real mutual TLS), and the exit codes a script sees when things go wrong.

use std::path::Path;
use std::process::{Command, Output};

use careplan_test_support::fixtures::fixture_dir;
use careplan_test_support::{DemoOffice, DemoOfficeSeed, TestRelay, CARE_MANAGER, HOME_HELP};
use serde_json::Value;

fn fixture(case: &str) -> String {
    fixture_dir(&format!("valid/{case}"))
        .to_string_lossy()
        .into_owned()
}

/// `careplan` as a script runs it.
trait Careplan {
    async fn careplan(&self, office: DemoOfficeSeed, args: &[&str]) -> Output;
}

impl Careplan for TestRelay {
    /// `careplan ARGS` as office `index`, configured only through the environment (the care
    /// manager with its .p12, the other offices with PEM).
    async fn careplan(&self, seed: DemoOfficeSeed, args: &[&str]) -> Output {
        let office: &DemoOffice = self.office(seed);
        let mut command = Command::new(env!("CARGO_BIN_EXE_careplan"));
        command
            .args(args)
            .env("CAREPLAN_RELAY", self.url())
            .env("CAREPLAN_CA", &self.info.ca_certificate)
            .env("CAREPLAN_USER", &office.personal_user_id)
            .env("CAREPLAN_PASSWORD", &office.personal_password)
            .env("CAREPLAN_OFFICE_USER", &office.office_user_id)
            .env("CAREPLAN_OFFICE_PASSWORD", &office.office_password)
            .env("CAREPLAN_TERMINAL", "スクリプト");
        if seed == CARE_MANAGER {
            command
                .env("CAREPLAN_CERT", &office.pkcs12)
                .env("CAREPLAN_CERT_PASSWORD", &office.pkcs12_password);
        } else {
            command.env("CAREPLAN_CERT", &office.certificate);
        }
        tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap()
    }
}

fn out(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", out(output)))
}

#[tokio::test(flavor = "multi_thread")]
async fn two_offices_exchange_a_use_sheet_with_careplan_commands() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let help = demo.office(HOME_HELP).number.clone();

    let sent = demo
        .careplan(
            CARE_MANAGER,
            &[
                "send",
                "--to",
                &help,
                "--message",
                "5月分です",
                &fixture("v41-use-sheet"),
            ],
        )
        .await;
    assert_eq!(sent.status.code(), Some(0), "{}", out(&sent));
    assert!(
        out(&sent).contains("送信しました: ひまわりヘルパーステーション"),
        "{}",
        out(&sent)
    );

    let inbox = demo.careplan(HOME_HELP, &["inbox", "--json"]).await;
    assert_eq!(inbox.status.code(), Some(0), "{}", out(&inbox));
    let page = json(&inbox);
    let newest = &page["items"][0];
    assert_eq!(newest["message"], "5月分です");
    assert!(newest["files"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["fetched_at"].is_null()));
    let id = newest["id"].as_str().unwrap().to_owned();

    let text = demo.careplan(HOME_HELP, &["inbox"]).await;
    assert!(out(&text).contains("受信一覧（全 3 件"), "{}", out(&text));
    // Each message says what it is and whom it is about.
    assert!(
        out(&text).contains("    内容: サービス利用票（予定）2025年4月分（利用者: 山田　花子）"),
        "{}",
        out(&text)
    );
    assert_eq!(
        newest["units"][0]["title"],
        "サービス利用票（予定）2025年4月分"
    );

    let folder = demo.dir.join("受信");
    std::fs::create_dir_all(&folder).unwrap();
    let fetched = demo
        .careplan(
            HOME_HELP,
            &["fetch", &id, "--to", folder.to_str().unwrap(), "--json"],
        )
        .await;
    assert_eq!(fetched.status.code(), Some(0), "{}", out(&fetched));
    let report = json(&fetched);
    assert_eq!(report["fetched"].as_array().unwrap().len(), 3);
    assert_eq!(report["failed"].as_array().unwrap().len(), 0);
    for entry in std::fs::read_dir(Path::new(&fixture("v41-use-sheet"))).unwrap() {
        let original = entry.unwrap().path();
        let saved = folder.join(original.file_name().unwrap());
        assert_eq!(
            std::fs::read(saved).unwrap(),
            std::fs::read(&original).unwrap()
        );
    }

    let again = demo
        .careplan(HOME_HELP, &["fetch", &id, "--to", folder.to_str().unwrap()])
        .await;
    assert_eq!(again.status.code(), Some(1), "{}", out(&again));
    assert!(out(&again).contains("既に取得済み"), "{}", out(&again));

    let outbox = demo.careplan(CARE_MANAGER, &["outbox"]).await;
    assert!(
        out(&outbox)
            .contains("送信先: ひまわりヘルパーステーション（1370000026）  ファイル 3 件  済"),
        "{}",
        out(&outbox)
    );

    // The rest of the inbox (the demo's plan with its attachment) in one go.
    let all = demo
        .careplan(
            HOME_HELP,
            &["fetch", "--all", "--to", folder.to_str().unwrap()],
        )
        .await;
    assert_eq!(all.status.code(), Some(0), "{}", out(&all));
    let nothing_left = demo
        .careplan(
            HOME_HELP,
            &["fetch", "--all", "--to", folder.to_str().unwrap()],
        )
        .await;
    assert!(
        out(&nothing_left).contains("取得するデータはありません"),
        "{}",
        out(&nothing_left)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_send_and_drafts_from_the_command_line() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let help = demo.office(HOME_HELP).number.clone();
    let bulk = demo
        .careplan(
            CARE_MANAGER,
            &[
                "bulk-send",
                "--message",
                "4月の計画です",
                &fixture("v41-plan"),
                &fixture("v41-use-sheet"),
            ],
        )
        .await;
    assert_eq!(bulk.status.code(), Some(0), "{}", out(&bulk));
    assert!(
        out(&bulk).contains(&format!(
            "○ {help} ひまわりヘルパーステーション: 7 件を送信しました"
        )),
        "{}",
        out(&bulk)
    );

    let saved = demo
        .careplan(
            CARE_MANAGER,
            &[
                "drafts",
                "save",
                "--to",
                &help,
                "--message",
                "あとで送る",
                &fixture("v41-use-sheet"),
                "--json",
            ],
        )
        .await;
    assert_eq!(saved.status.code(), Some(0), "{}", out(&saved));
    let draft_id = json(&saved)["id"].as_str().unwrap().to_owned();
    let listed = demo.careplan(CARE_MANAGER, &["drafts", "list"]).await;
    assert!(out(&listed).contains("端末 スクリプト"), "{}", out(&listed));
    let sent = demo
        .careplan(CARE_MANAGER, &["drafts", "send", &draft_id])
        .await;
    assert_eq!(sent.status.code(), Some(0), "{}", out(&sent));
    let gone = demo
        .careplan(CARE_MANAGER, &["drafts", "delete", &draft_id, "--json"])
        .await;
    assert_eq!(gone.status.code(), Some(1), "{}", out(&gone));
    assert_eq!(json(&gone)["error"]["code"], "draft.not_found");
}

#[tokio::test(flavor = "multi_thread")]
async fn scripts_get_distinct_exit_codes_for_each_kind_of_failure() {
    let demo = TestRelay::builder().demo_messages().start().await;
    let help = demo.office(HOME_HELP).number.clone();

    // Invalid: refused by the standard before anything is sent (1), with the diagnostics.
    let broken = demo.dir.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    let first = std::fs::read_dir(fixture("v41-use-sheet"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::copy(&first, broken.join(first.file_name().unwrap())).unwrap();
    let invalid = demo
        .careplan(
            CARE_MANAGER,
            &["send", "--to", &help, broken.to_str().unwrap()],
        )
        .await;
    assert_eq!(invalid.status.code(), Some(1), "{}", out(&invalid));
    assert!(
        out(&invalid).contains("送信していません"),
        "{}",
        out(&invalid)
    );

    // Refused by the relay (1): a wrong password.
    let mut wrong = Command::new(env!("CARGO_BIN_EXE_careplan"));
    let office = &demo.office(HOME_HELP);
    wrong
        .args(["inbox"])
        .env("CAREPLAN_RELAY", demo.url())
        .env("CAREPLAN_CA", &demo.info.ca_certificate)
        .env("CAREPLAN_CERT", &office.certificate)
        .env("CAREPLAN_USER", &office.personal_user_id)
        .env("CAREPLAN_PASSWORD", "wrong-password")
        .env("CAREPLAN_OFFICE_USER", &office.office_user_id)
        .env("CAREPLAN_OFFICE_PASSWORD", &office.office_password);
    let refused = tokio::task::spawn_blocking(move || wrong.output().unwrap())
        .await
        .unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", out(&refused));
    assert!(
        !out(&refused).contains("wrong-password"),
        "passwords are never printed"
    );

    // Connection (3): nothing listens there.
    let mut down = Command::new(env!("CARGO_BIN_EXE_careplan"));
    down.args(["inbox", "--relay", "https://127.0.0.1:9", "--ca"])
        .arg(&demo.info.ca_certificate)
        .arg("--cert")
        .arg(&office.certificate)
        .args([
            "--user",
            "c1",
            "--password",
            "x",
            "--office-user",
            "KJ1",
            "--office-password",
            "x",
        ]);
    let unreachable = tokio::task::spawn_blocking(move || down.output().unwrap())
        .await
        .unwrap();
    assert_eq!(unreachable.status.code(), Some(3), "{}", out(&unreachable));
    assert!(
        out(&unreachable).contains("接続できません"),
        "{}",
        out(&unreachable)
    );

    // Usage (2): no relay configured at all, or a certificate that is not there.
    let mut bare = Command::new(env!("CARGO_BIN_EXE_careplan"));
    bare.arg("inbox").env_remove("CAREPLAN_RELAY");
    let usage = tokio::task::spawn_blocking(move || bare.output().unwrap())
        .await
        .unwrap();
    assert_eq!(usage.status.code(), Some(2), "{}", out(&usage));
    let mut missing = Command::new(env!("CARGO_BIN_EXE_careplan"));
    missing
        .args(["inbox", "--relay", &demo.url(), "--ca"])
        .arg(&demo.info.ca_certificate)
        .args([
            "--cert",
            "/nonexistent/office.p12",
            "--cert-password",
            "x",
            "--user",
            "c1",
            "--password",
            "x",
            "--office-user",
            "KJ1",
            "--office-password",
            "x",
        ]);
    let no_cert = tokio::task::spawn_blocking(move || missing.output().unwrap())
        .await
        .unwrap();
    assert_eq!(no_cert.status.code(), Some(2), "{}", out(&no_cert));
    assert!(
        out(&no_cert).contains("電子証明書のファイル"),
        "{}",
        out(&no_cert)
    );

    // The help names every environment variable.
    let help_text = Command::new(env!("CARGO_BIN_EXE_careplan"))
        .arg("--help")
        .output()
        .unwrap();
    for variable in [
        "CAREPLAN_RELAY",
        "CAREPLAN_CERT",
        "CAREPLAN_CERT_PASSWORD",
        "CAREPLAN_USER",
        "CAREPLAN_PASSWORD",
        "CAREPLAN_OFFICE_USER",
        "CAREPLAN_OFFICE_PASSWORD",
    ] {
        assert!(out(&help_text).contains(variable), "{variable}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_receipt_is_saved_once_the_partner_fetched_and_verified_offline_against_the_file() {
    let demo = TestRelay::start().await;
    let help = demo.office(HOME_HELP).number.clone();
    let sent = demo
        .careplan(
            CARE_MANAGER,
            &["send", "--to", &help, "--json", &fixture("v41-plan")],
        )
        .await;
    assert_eq!(sent.status.code(), Some(0), "{}", out(&sent));
    let file = json(&sent)["message"]["files"][0].clone();
    let (file_id, name) = (file["id"].as_str().unwrap(), file["name"].as_str().unwrap());
    let folder = demo.dir.join("受領証");
    std::fs::create_dir_all(&folder).unwrap();
    let saved = folder.join("receipt.json");
    let saved_arg = saved.to_str().unwrap();

    // Not fetched yet: no receipt, and the relay's reason.
    let early = demo
        .careplan(CARE_MANAGER, &["receipt", file_id, "--out", saved_arg])
        .await;
    assert_eq!(early.status.code(), Some(1), "{}", out(&early));
    assert!(
        out(&early).contains("まだデータ取得していない"),
        "{}",
        out(&early)
    );
    assert!(!saved.exists());

    let inbox_folder = demo.dir.join("受信");
    std::fs::create_dir_all(&inbox_folder).unwrap();
    let fetched = demo
        .careplan(
            HOME_HELP,
            &["fetch", "--all", "--to", inbox_folder.to_str().unwrap()],
        )
        .await;
    assert_eq!(fetched.status.code(), Some(0), "{}", out(&fetched));
    let got = demo
        .careplan(CARE_MANAGER, &["receipt", file_id, "--out", saved_arg])
        .await;
    assert_eq!(got.status.code(), Some(0), "{}", out(&got));
    assert!(
        out(&got).contains("送信先: ひまわりヘルパーステーション"),
        "{}",
        out(&got)
    );

    let key = demo.dir.join("pki/receipt.pub");
    let original = Path::new(&fixture("v41-plan")).join(name);
    let verify = |receipt: &Path, file: &Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_careplan"))
            .args([
                "verify-receipt",
                receipt.to_str().unwrap(),
                "--key",
                key.to_str().unwrap(),
                "--file",
                file.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        (output.status.code(), out(&output))
    };
    let (code, text) = verify(&saved, &original);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("正しく署名されています")
            && text.contains("ファイルの内容も受領証と一致します"),
        "{text}"
    );

    // Another file than the one taken: the content differs.
    let other = Path::new(&fixture("v41-plan"))
        .read_dir()
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| !p.ends_with(name))
        .unwrap();
    let (code, text) = verify(&saved, &other);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("ファイルの内容が受領証と一致しません"),
        "{text}"
    );

    // The receipt edited (the fetch moved a day earlier): the signature no longer holds.
    let mut edited: Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    edited["receipt"]["fetched_at"] = Value::from("2025-01-01T09:00:00+09:00");
    let tampered = folder.join("tampered.json");
    std::fs::write(&tampered, edited.to_string()).unwrap();
    let (code, text) = verify(&tampered, &original);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("署名が正しくありません"), "{text}");

    // JSON for scripts, and a missing key file is a usage error.
    let checked = Command::new(env!("CARGO_BIN_EXE_careplan"))
        .args([
            "verify-receipt",
            saved_arg,
            "--key",
            key.to_str().unwrap(),
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(checked.status.code(), Some(0));
    assert_eq!(json(&checked)["receipt"]["file_name"], name);
    let missing = Command::new(env!("CARGO_BIN_EXE_careplan"))
        .args([
            "verify-receipt",
            saved_arg,
            "--key",
            folder.join("none.pub").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2), "{}", out(&missing));
    assert!(out(&missing).contains("公開鍵"), "{}", out(&missing));
}

#[tokio::test(flavor = "multi_thread")]
async fn history_shows_who_sent_and_who_took_each_file_and_saves_it_as_csv_for_excel() {
    let demo = TestRelay::start().await;
    let help = demo.office(HOME_HELP).number.clone();
    let period = ["--from", "2000-01-01", "--to", "2099-12-31"];
    let sent = demo
        .careplan(CARE_MANAGER, &["send", "--to", &help, &fixture("v41-plan")])
        .await;
    assert_eq!(sent.status.code(), Some(0), "{}", out(&sent));
    let inbox_folder = demo.dir.join("受信");
    std::fs::create_dir_all(&inbox_folder).unwrap();
    let fetched = demo
        .careplan(
            HOME_HELP,
            &["fetch", "--all", "--to", inbox_folder.to_str().unwrap()],
        )
        .await;
    assert_eq!(fetched.status.code(), Some(0), "{}", out(&fetched));

    let text = demo
        .careplan(CARE_MANAGER, &[&["history"], &period[..]].concat())
        .await;
    assert_eq!(text.status.code(), Some(0), "{}", out(&text));
    let shown = out(&text);
    assert!(shown.contains("（4 件）"), "{shown}");
    assert!(
        shown.contains("送信 → ひまわりヘルパーステーション（1370000026）"),
        "{shown}"
    );
    assert!(shown.contains("端末 スクリプト"), "{shown}");
    assert!(shown.contains("受領証: あり"), "{shown}");
    assert!(shown.contains("careplan verify-receipt"), "{shown}");

    let received = demo
        .careplan(
            HOME_HELP,
            &[&["history", "--json", "--kind", "plan"], &period[..]].concat(),
        )
        .await;
    assert_eq!(received.status.code(), Some(0), "{}", out(&received));
    let items = json(&received)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 3, "第1〜3表");
    assert!(items.iter().all(|i| i["direction"] == "received"));
    assert!(items
        .iter()
        .all(|i| i["fetched_by"]["terminal"] == "スクリプト"));

    let csv = demo.dir.join("送受信履歴.csv");
    let saved = demo
        .careplan(
            CARE_MANAGER,
            &[&["history", "--csv", csv.to_str().unwrap()], &period[..]].concat(),
        )
        .await;
    assert_eq!(saved.status.code(), Some(0), "{}", out(&saved));
    let bytes = std::fs::read(&csv).unwrap();
    let (text, _, errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!errors, "CP932");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].starts_with("区分,相手先事業所番号,相手先事業所名,送信日時,送信者ID"));
    assert!(lines[1].starts_with("送信,1370000026,ひまわりヘルパーステーション,"));

    // A period written the wrong way round: refused by the relay, in Japanese, exit 1.
    let wrong = demo
        .careplan(
            CARE_MANAGER,
            &["history", "--from", "2025-05-01", "--to", "2025-04-01"],
        )
        .await;
    assert_eq!(wrong.status.code(), Some(1), "{}", out(&wrong));
    assert!(
        out(&wrong).contains("期間の終わりが始まりより前"),
        "{}",
        out(&wrong)
    );
    // An empty period says so.
    let empty = demo
        .careplan(
            CARE_MANAGER,
            &["history", "--from", "2001-01-01", "--to", "2001-01-31"],
        )
        .await;
    assert_eq!(empty.status.code(), Some(0));
    assert!(
        out(&empty).contains("この期間・条件の送受信はありません"),
        "{}",
        out(&empty)
    );
}
