//! `careplan reconcile` over the generated folders of 50 people (fixtures/reconcile), and the inputs
//! a user gets wrong.

mod common;

use common::{careplan, fixture, stderr, stdout};
use serde_json::Value;

const PLAN: &str = "reconcile/plan-50";
const ACTUAL: &str = "reconcile/actual-50";

#[test]
fn fifty_people_are_summarised_person_by_person() {
    let output = careplan(&["reconcile", "--json", &fixture(PLAN), &fixture(ACTUAL)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    // fixtures/generate.py: person i differs unless i % 5 == 0; the last has no 実績.
    assert_eq!(json["people"].as_array().unwrap().len(), 50);
    assert_eq!(json["compared"], 49);
    assert_eq!(json["with_differences"], 39);
    assert_eq!(json["actual_missing"], 1);
    assert_eq!(json["totals"]["planned_not_done"], 10);
    assert_eq!(json["totals"]["done_not_planned"], 10);
    assert_eq!(json["totals"]["changed"], 19);
    let first = &json["people"][0];
    assert_eq!(
        first["person"]["name"], "山田　花子",
        "names from the 予定's 補足"
    );
    assert_eq!(first["status"], "matching");
    assert_eq!(
        first["services"].as_array().unwrap().len(),
        3,
        "two offices, a 加算"
    );
    let third = &json["people"][3];
    let help = &third["services"][0];
    assert_eq!(help["service_code"]["code"], "111211");
    let changed = help["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["status"] == "changed")
        .unwrap();
    assert_eq!(changed["date"], "2025-04-08");
    assert_eq!(changed["time_changed"], true);
    assert_eq!(changed["planned"]["visits"][0]["start"], "09:30");
    assert_eq!(changed["actual"]["visits"][0]["start"], "10:30");
    let addition = third["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_code"]["code"] == "116275")
        .unwrap();
    assert_eq!(addition["days"][0]["status"], "matching");
    assert_eq!(
        addition["days"][0]["planned"]["visits"][0]["start"],
        Value::Null,
        "9999: no time"
    );
    let last = &json["people"][49];
    assert_eq!(last["status"], "actual_missing");
    assert_eq!(last["services"].as_array().unwrap().len(), 0);
}

#[test]
fn the_text_report_lists_the_differences_day_by_day() {
    let output = careplan(&["reconcile", &fixture(PLAN), &fixture(ACTUAL)]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "予実突合（利用者・月 50 件：突合 49 件、うち差異あり 39 件／実績なし 1 件"
        ),
        "{text}"
    );
    assert!(
        text.contains("4月11日（金） 予定のみ（実績なし）：予定 09:30～10:30 ×1／実績 なし"),
        "{text}"
    );
    assert!(
        text.contains("4月15日（火） 変更（回数）：予定 09:30～10:30 ×1／実績 09:30～10:30 ×2"),
        "{text}"
    );
    assert!(
        text.contains("実績がありません（突合していません）"),
        "{text}"
    );
}

#[test]
fn the_csv_export_opens_in_excel() {
    let dir = careplan_test_support::temp_dir("reconcile-csv");
    let out = dir.join("予実突合.csv");
    let output = careplan(&[
        "reconcile",
        &fixture(PLAN),
        &fixture(ACTUAL),
        "--csv",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let bytes = std::fs::read(&out).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "CP932, not UTF-8");
    let (text, _, malformed) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!malformed);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("保険者番号,被保険者番号,利用者名"));
    assert_eq!(lines.iter().filter(|l| l.contains(",一致,")).count(), 657);
    assert!(lines
        .iter()
        .any(|l| l.contains("0000002049") && l.contains("実績がありません")));
    assert!(text.contains("\r\n"));
}

#[test]
fn inputs_that_cannot_be_compared_are_refused_in_japanese() {
    let swapped = careplan(&["reconcile", &fixture(ACTUAL), &fixture(PLAN)]);
    assert_eq!(swapped.status.code(), Some(1));
    assert!(
        stderr(&swapped).contains("予定（UPPLAN）、実績（UPJSK）の順"),
        "{}",
        stderr(&swapped)
    );
    assert!(
        stdout(&swapped).is_empty(),
        "nothing shown as if it matched"
    );
    let other_people = careplan(&[
        "reconcile",
        "--json",
        &fixture("valid/v41-use-sheet"),
        &fixture(ACTUAL),
    ]);
    assert_eq!(other_people.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&other_people.stdout).unwrap();
    assert_eq!(json["error"]["code"], "reconcile.not_comparable");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("同じ利用者・同じ対象年月の組がありません"));
    let broken = careplan(&[
        "reconcile",
        &fixture(PLAN),
        &fixture("invalid/item.date.invalid"),
    ]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stderr(&broken).contains("2行目が読めません"),
        "{}",
        stderr(&broken)
    );
    let not_standard = careplan(&[
        "reconcile",
        &fixture(PLAN),
        &fixture("invalid/csv.encoding.utf8"),
    ]);
    assert_eq!(not_standard.status.code(), Some(1));
    assert!(stderr(&not_standard).contains("標準仕様のファイルとして読めません"));
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(
        careplan(&["reconcile", &fixture(PLAN)]).status.code(),
        Some(2)
    );
    let missing = careplan(&["reconcile", "/nonexistent", &fixture(ACTUAL)]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("見つかりません"));
    let output = careplan(&[
        "reconcile",
        &fixture(PLAN),
        &fixture(ACTUAL),
        "--csv",
        "/nonexistent/dir/out.csv",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("書き込めません"));
}
