//! `careplan validate` as a user or a script runs it: the binary, real files, exit codes, JSON.

mod common;

use common::{careplan, fixture, fixtures, stdout};
use serde_json::Value;

#[test]
fn a_valid_unit_exits_zero_with_a_japanese_report() {
    let output = careplan(&["validate", &fixture("valid/v41-plan")]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("結果：送信できます。"), "{text}");
    assert!(
        text.contains("○ 連番 20250401093000：居宅サービス計画"),
        "{text}"
    );
}

#[test]
fn an_invalid_file_exits_one_and_says_what_to_do() {
    let output = careplan(&["validate", &fixture("invalid/csv.encoding.bom")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("[エラー]") && text.contains("BOM") && text.contains("(csv.encoding.bom)"),
        "{text}"
    );
    assert!(text.contains("このままでは送信できません"), "{text}");
    assert!(
        text.contains("× 連番 20250430180000：実績情報"),
        "a unit with a broken file cannot be sent: {text}"
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let output = careplan(&[
        "validate",
        "--json",
        &fixture("valid/v41-use-sheet"),
        &fixture("invalid/item.time.invalid"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&output.stdout).expect("stdout is one JSON object");
    assert_eq!(json["ok"], Value::Bool(false));
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    for file in files {
        for key in ["name", "kind", "ok", "diagnostics"] {
            assert!(file.get(key).is_some(), "file lacks {key}: {file}");
        }
    }
    let broken = files
        .iter()
        .find(|f| f["ok"] == Value::Bool(false))
        .unwrap();
    assert_eq!(broken["kind"], "UPJSK");
    let diagnostic = &broken["diagnostics"][0];
    assert_eq!(diagnostic["code"], "item.time.invalid");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["line"], 1);
    assert_eq!(diagnostic["item"]["no"], 12);
    assert_eq!(diagnostic["item"]["name"], "サービス開始時刻");
    assert!(diagnostic["message"].as_str().unwrap().contains("0930"));
    let units = json["units"].as_array().unwrap();
    assert_eq!(units.len(), 2);
    for unit in units {
        for key in ["serial", "files", "ok", "diagnostics"] {
            assert!(unit.get(key).is_some(), "unit lacks {key}: {unit}");
        }
    }
    assert_eq!(units[0]["type"], "use_sheet");
    assert_eq!(units[0]["files"].as_array().unwrap().len(), 3);
}

#[test]
fn folders_are_read_recursively_and_system_files_skipped() {
    let dir = careplan_test_support::temp_dir("cli-test");
    let nested = dir.join("2025年4月分");
    std::fs::create_dir_all(&nested).unwrap();
    for entry in std::fs::read_dir(fixtures().join("valid/v41-actual")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, nested.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(nested.join("Thumbs.db"), b"\0\0").unwrap();
    std::fs::write(dir.join(".DS_Store"), b"\0\0").unwrap();
    let output = careplan(&["validate", "--json", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["files"].as_array().unwrap().len(), 1);
}

#[test]
fn usage_errors_exit_two() {
    let missing = careplan(&["validate", "/nonexistent/UPPLAN.CSV"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("見つかりません"));
    assert_eq!(careplan(&["validate"]).status.code(), Some(2), "no path");
    assert_eq!(
        careplan(&["validate", "--nonsense", "x"]).status.code(),
        Some(2)
    );
    assert_eq!(careplan(&[]).status.code(), Some(2), "no subcommand");
    let empty = careplan_test_support::temp_dir("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let output = careplan(&["validate", empty.to_str().unwrap()]);
    std::fs::remove_dir_all(&empty).unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn help_is_in_japanese() {
    let output = careplan(&["validate", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("送信前に検証します"));
}
