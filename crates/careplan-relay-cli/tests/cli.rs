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
    let dir = careplan_test_support::temp_dir("relay-cli");
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
    check_pkcs12_matches_pem(&text(&cert), &dir.join("out"));
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
    let show = text(&relay(&[
        "licence-show",
        "--data",
        data,
        "--office",
        "1370000018",
    ]));
    for fact in [
        "利用期間: 2025-06-01 ～ 2026-05-31",
        "状態: 期限切れ",
        "利用料: 21000円（フリーパスにより免除）",
        "フリーパス: あり",
        "支払い状況: 免除",
    ] {
        assert!(show.contains(fact), "{fact} in {show}");
    }
    // An expired licence renews from today, not from its old end.
    let renew = relay(&[
        "licence-renew",
        "--data",
        data,
        "--office",
        "1370000018",
        "--paid",
    ]);
    let today = time::OffsetDateTime::now_utc()
        .to_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap())
        .date();
    assert!(
        text(&renew).contains(&format!("ライセンスを更新しました: {today} ～")),
        "{}",
        text(&renew)
    );
    let show = text(&relay(&[
        "licence-show",
        "--data",
        data,
        "--office",
        "1370000018",
    ]));
    assert!(
        show.contains("状態: 有効（残り") && show.contains("支払い状況: 支払済"),
        "{show}"
    );
    // A running licence renews from the day after it ends.
    let again = relay(&["licence-renew", "--data", data, "--office", "1370000018"]);
    let next_start = today.replace_year(today.year() + 1).unwrap();
    assert!(
        text(&again).contains(&format!("ライセンスを更新しました: {next_start} ～")),
        "{}",
        text(&again)
    );
    let renew_missing = relay(&["licence-renew", "--data", data, "--office", "1370000026"]);
    assert_eq!(renew_missing.status.code(), Some(2));
    assert!(text(&renew_missing).contains("登録されていません"));

    let empty = text(&relay(&["notice-list", "--data", data]));
    assert!(empty.contains("掲載中のお知らせはありません。"), "{empty}");
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
    let list = text(&relay(&["notice-list", "--data", data]));
    assert!(
        list.contains("お知らせ") && list.starts_with("20"),
        "{list}"
    );

    // The audit log of what was done above: one office's lines, as CSV, and its chain checked.
    let audit = relay(&["audit", "--data", data, "--office", "1370000018", "--csv"]);
    assert!(audit.status.success(), "{}", text(&audit));
    let csv = String::from_utf8(audit.stdout).unwrap();
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("seq,日時,事業所番号,実行者,操作,内容,ハッシュ")
    );
    let rows: Vec<&str> = rows.collect();
    assert!(!rows.is_empty(), "{csv}");
    assert!(
        rows.iter()
            .all(|r| r.split(',').nth(2) == Some("1370000018")),
        "{csv}"
    );
    let none = text(&relay(&["audit", "--data", data, "--from", "2099-01-01"]));
    assert!(none.contains("該当する監査ログはありません"), "{none}");
    let bad_date = relay(&["audit", "--data", data, "--from", "2025/04/01"]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(
        text(&bad_date).contains("YYYY-MM-DD"),
        "{}",
        text(&bad_date)
    );
    let verified = relay(&["audit", "--data", data, "--verify"]);
    assert!(verified.status.success(), "{}", text(&verified));
    assert!(
        text(&verified).contains("書かれたときのままです"),
        "{}",
        text(&verified)
    );
    let head = text(&verified)
        .lines()
        .find_map(|l| l.strip_prefix("最後の行: "))
        .and_then(|l| l.split('（').next())
        .unwrap()
        .to_owned();
    let expected = relay(&["audit", "--data", data, "--verify", "--expect", &head]);
    assert!(expected.status.success(), "{}", text(&expected));
    let wrong = relay(&["audit", "--data", data, "--verify", "--expect", "1:00"]);
    assert_eq!(wrong.status.code(), Some(1), "{}", text(&wrong));
    assert!(
        text(&wrong).contains("1 行目のハッシュが、記録されたもの"),
        "{}",
        text(&wrong)
    );
    let malformed = relay(&["audit", "--data", data, "--verify", "--expect", "x"]);
    assert_eq!(malformed.status.code(), Some(2), "{}", text(&malformed));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The .p12 written beside the PEM holds the same certificate, opens with the password printed
/// once (OpenSSL reads it: the format Windows and other tools import), and not with another.
fn check_pkcs12_matches_pem(output: &str, folder: &std::path::Path) {
    let line = |label: &str| {
        output
            .lines()
            .find_map(|l| l.strip_prefix(label))
            .unwrap_or_else(|| panic!("no {label} in {output}"))
            .to_owned()
    };
    let password = line("PKCS#12 のパスワード: ")
        .split('（')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(password.len(), 16, "{password}");
    let p12 = line("PKCS#12（Windows 用）: ");
    let pem = std::fs::read_to_string(line("証明書: ")).unwrap();
    assert!(std::path::Path::new(&p12).starts_with(folder));
    let openssl = |pass: &str| {
        Command::new("openssl")
            .args(["pkcs12", "-in", &p12, "-nokeys", "-clcerts", "-passin"])
            .arg(format!("pass:{pass}"))
            .output()
            .expect("openssl is installed (.ci/run installs it)")
    };
    let opened = openssl(&password);
    assert!(opened.status.success(), "{}", text(&opened));
    let body = |text: &str| -> String {
        text.lines()
            .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE"))
            .collect()
    };
    assert_eq!(body(&String::from_utf8_lossy(&opened.stdout)), body(&pem));
    assert!(!openssl("wrong-password").status.success());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p12).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the .p12 is readable by its owner only");
    }
}

#[test]
fn importing_offices_from_csv_is_all_or_nothing() {
    let dir = careplan_test_support::temp_dir("relay-import");
    let data = dir.to_str().unwrap();
    assert!(relay(&["init", "--data", data]).status.success());
    let csv = dir.join("offices.csv");
    let header =
        "事業所番号,事業所名,サービス種類,都道府県,市区町村,事業所ユーザID,初期パスワード\n";
    std::fs::write(
        &csv,
        format!(
            "\u{FEFF}{header}1370000018,ひだまり居宅介護支援事業所,43,東京都,新宿区,KJ137000001801,initial-pass-1\n\
             1370000026,さくら訪問介護,\"11,15\",東京都,新宿区,KJ137000002601,initial-pass-2\n"
        ),
    )
    .unwrap();
    let import = |file: &std::path::Path| {
        relay(&[
            "office-import",
            "--data",
            data,
            "--file",
            file.to_str().unwrap(),
        ])
    };
    let done = import(&csv);
    assert!(done.status.success(), "{}", text(&done));
    assert!(text(&done).contains("2件の事業所を登録しました。"));
    let taken = relay(&[
        "user-add",
        "--data",
        data,
        "--kind",
        "office",
        "--id",
        "KJ137000002601",
        "--office",
        "1370000026",
        "--password",
        "another-pass",
    ]);
    assert!(
        text(&taken).contains("既に使われています"),
        "{}",
        text(&taken)
    );

    // One line already registered: the whole file is refused and the new office is not added.
    let mixed = dir.join("mixed.csv");
    std::fs::write(
        &mixed,
        "1370000034,みどりデイサービス,15,東京都,新宿区,KJ137000003401,initial-pass-3\n\
         1370000018,ひだまり居宅介護支援事業所,43,東京都,新宿区,KJ137000001899,initial-pass-1\n",
    )
    .unwrap();
    let refused = import(&mixed);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused).contains("2行目: 事業所番号 1370000018 は既に登録されています。"),
        "{}",
        text(&refused)
    );
    let new_only = dir.join("new.csv");
    std::fs::write(
        &new_only,
        "1370000034,みどりデイサービス,15,東京都,新宿区,KJ137000003401,initial-pass-3\n",
    )
    .unwrap();
    assert!(text(&import(&new_only)).contains("1件の事業所を登録しました。"));

    let missing = import(&dir.join("nowhere.csv"));
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing).contains("を読めません"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn seed_demo_creates_a_ready_data_directory() {
    let dir = careplan_test_support::temp_dir("relay-demo");
    let output = relay(&["seed-demo", "--data", dir.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("ひだまり居宅介護支援事業所"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("demo.json")).unwrap()).unwrap();
    assert_eq!(json["offices"].as_array().unwrap().len(), 4);
    std::fs::remove_dir_all(&dir).unwrap();
}
