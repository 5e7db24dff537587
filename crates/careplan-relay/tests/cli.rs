//! The `careplan-relay` binary: init, the admin subcommands, seed-demo, and clear refusals.

use std::process::{Command, Output};

fn relay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_careplan-relay"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("BLOB_STORE_URL")
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn administering_a_relay_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("careplan-relay-cli-{}", std::process::id()));
    let data = dir.to_str().unwrap();
    let init = relay(&["init", "--data", data]);
    assert!(init.status.success(), "{}", text(&init));
    assert!(dir.join("pki/ca.pem").exists() && dir.join("relay.db").exists());
    assert_eq!(
        relay(&["init", "--data", data]).status.code(),
        Some(2),
        "a second init does not overwrite the CA"
    );

    let add = relay(&[
        "office-add",
        "--data",
        data,
        "--number",
        "1370000018",
        "--name",
        "ひだまり居宅介護支援事業所",
        "--kinds",
        "43",
        "--prefecture",
        "東京都",
        "--city",
        "新宿区",
    ]);
    assert!(add.status.success(), "{}", text(&add));
    let bad = relay(&[
        "office-add",
        "--data",
        data,
        "--number",
        "137000001",
        "--name",
        "x",
        "--kinds",
        "43",
        "--prefecture",
        "東京都",
        "--city",
        "新宿区",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("事業所番号"), "{}", text(&bad));

    let user = relay(&[
        "user-add",
        "--data",
        data,
        "--kind",
        "personal",
        "--id",
        "c0001",
        "--office",
        "1370000018",
        "--password",
        "kaigo-Pass-2025",
    ]);
    assert!(user.status.success(), "{}", text(&user));
    let short = relay(&[
        "user-add",
        "--data",
        data,
        "--kind",
        "office",
        "--id",
        "KJ137000001801",
        "--office",
        "1370000018",
        "--password",
        "short",
    ]);
    assert_eq!(short.status.code(), Some(2));
    assert!(text(&short).contains("8文字以上"));

    let cert = relay(&[
        "cert-issue",
        "--data",
        data,
        "--office",
        "1370000018",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(cert.status.success(), "{}", text(&cert));
    assert!(text(&cert).contains("証明書を発行しました"));
    let licence = relay(&[
        "licence-grant",
        "--data",
        data,
        "--office",
        "1370000018",
        "--starts-on",
        "2025-06-01",
        "--free-pass",
    ]);
    assert!(
        text(&licence).contains("2025-06-01 ～ 2026-05-31"),
        "{}",
        text(&licence)
    );
    let notice = relay(&[
        "notice-publish",
        "--data",
        data,
        "--title",
        "お知らせ",
        "--body",
        "本文",
    ]);
    assert!(notice.status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn seed_demo_creates_a_ready_data_directory() {
    let dir = std::env::temp_dir().join(format!("careplan-relay-demo-{}", std::process::id()));
    let output = relay(&["seed-demo", "--data", dir.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("ひだまり居宅介護支援事業所"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("demo.json")).unwrap()).unwrap();
    assert_eq!(json["offices"].as_array().unwrap().len(), 4);
    std::fs::remove_dir_all(&dir).unwrap();
}
