//! `careplan show` as a user or a script runs it: the binary, the fixtures, exit codes, JSON.

mod common;

use common::{careplan, fixture, stderr, stdout};
use serde_json::Value;

#[test]
fn a_unit_is_shown_in_japanese_with_what_it_is_and_for_whom() {
    let output = careplan(&["show", &fixture("valid/v41-use-sheet")]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains(
            "連番 20250325120000：サービス利用票（予定）2025年4月分（利用者: 山田　花子）"
        ),
        "{text}"
    );
    assert!(
        text.contains("要介護状態区分：22（要介護２）"),
        "codes with meanings: {text}"
    );
    assert!(text.contains("利用者生年月日：1940年1月5日"), "{text}");
    assert!(
        text.contains("（日付ごとの回数）"),
        "第6表 as the month grid: {text}"
    );
    assert!(
        text.contains("サービスコード：999999（全合計）"),
        "第7表's special rows: {text}"
    );
    assert!(!text.contains("標準仕様チェックの指摘"), "{text}");
}

#[test]
fn long_texts_keep_their_lines_and_table_2_reads_as_its_hierarchy() {
    let output = careplan(&["show", &fixture("valid/v41-plan")]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("居宅サービス計画書 第1〜3表"), "{text}");
    assert!(
        text.contains("自宅で妻と暮らし続けたい。\n      買い物と入浴に介助が必要。"),
        "{text}"
    );
    assert!(
        text.contains("    課題1：一人での入浴が不安\n      長期目標1：安全に入浴できる"),
        "{text}"
    );
    assert!(
        text.contains("援助内容2：妻による声かけ／家族 ※1 対象外"),
        "{text}"
    );
    assert!(text.contains("（上の行と同じ課題の続き）"), "{text}");
}

#[test]
fn table_3_reads_as_the_week_and_a_deletion_says_what_it_withdraws() {
    let text = stdout(&careplan(&["show", &fixture("valid/v41-plan")]));
    assert!(
        text.contains(
            "    月曜 10:00～11:00 訪問介護（入浴）\n    木曜 10:00～11:00 訪問介護（入浴）"
        ),
        "{text}"
    );
    assert!(
        text.contains("主な日常生活上の活動：06:30～06:30 起床"),
        "{text}"
    );
    let output = careplan(&["show", &fixture("valid/v41-plan-delete")]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("連番 20250501100000：居宅サービス計画書の削除"),
        "{text}"
    );
    assert!(text.contains("削除するもの：この居宅サービス計画作成（変更）日の居宅サービス計画書（第1表・第2表・第3表）"), "{text}");
    assert!(
        text.contains("居宅サービス計画作成（変更）日：2025年4月1日"),
        "{text}"
    );
}

#[test]
fn json_is_the_typed_model_with_units_and_diagnostics() {
    let output = careplan(&["show", "--json", &fixture("valid/v41-two-units")]);
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(json["ok"], true);
    assert_eq!(json["units"].as_array().unwrap().len(), 2);
    assert_eq!(json["units"][1]["title"], "居宅サービス計画書 第1〜3表");
    assert_eq!(json["units"][0]["unit_type"], "use_sheet");
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 7);
    let plan = files.iter().find(|f| f["kind"] == "UPPLAN").unwrap();
    assert_eq!(plan["csv_version"], "202407");
    assert_eq!(plan["file_name"]["month"], "2025-04");
    assert_eq!(plan["rows"][0]["service_date"], "2025-04-01");
    assert_eq!(plan["rows"][0]["service_code"]["code"], "111211");
    let sikyu = files.iter().find(|f| f["kind"] == "UPSIKYU").unwrap();
    assert_eq!(sikyu["rows"][1]["service_code"]["row"], "grand_total");
    let plan2 = files.iter().find(|f| f["kind"] == "UP2KYO").unwrap();
    assert_eq!(plan2["rows"][1]["continuation"]["issue"], true);
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(json["others"].as_array().unwrap().len(), 0);
}

#[test]
fn an_invalid_file_is_shown_with_its_findings_and_exits_one() {
    let output = careplan(&["show", "--json", &fixture("invalid/item.date.invalid")]);
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["ok"], false);
    let file = &json["files"][0];
    assert_eq!(
        file["rows"].as_array().unwrap().len(),
        2,
        "the readable records"
    );
    assert_eq!(file["unreadable"][0]["line"], 2);
    let diagnostic = &json["diagnostics"][0];
    assert_eq!(diagnostic["code"], "item.date.invalid");
    assert_eq!(diagnostic["item"]["no"], 10);
    let text = stdout(&careplan(&["show", &fixture("invalid/item.date.invalid")]));
    assert!(text.contains("2行目は読めません"), "{text}");
    assert!(text.contains("(item.date.invalid)"), "{text}");
}

#[test]
fn a_file_that_is_not_standard_gets_a_japanese_message() {
    let dir = careplan_test_support::temp_dir("show-not-standard");
    let path = dir.join("利用者一覧.csv");
    std::fs::write(&path, "氏名,住所\r\n山田,東京\r\n".as_bytes()).unwrap();
    let output = careplan(&["show", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("標準仕様のファイルとして読めません"),
        "{text}"
    );
    let output = careplan(&["show", "--json", &fixture("invalid/csv.header_row")]);
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["others"][0]["kind"], "not_standard");
    assert!(json["others"][0]["message"]
        .as_str()
        .unwrap()
        .contains("見出し行"));
}

#[test]
fn attachments_are_named_not_shown() {
    let output = careplan(&[
        "show",
        "--json",
        &fixture("valid/v41-plan-with-attachments"),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let kinds: Vec<&str> = json["others"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["attachment"; 3]);
}

#[test]
fn usage_errors_exit_two() {
    let missing = careplan(&["show", "/nonexistent/UPPLAN.CSV"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("見つかりません"));
    assert_eq!(careplan(&["show"]).status.code(), Some(2));
    let empty = careplan_test_support::temp_dir("show-empty");
    let output = careplan(&["show", empty.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("表示するファイルがありません"));
}
