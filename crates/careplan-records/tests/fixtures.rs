//! The typed model over the committed fixtures: every valid file reads without a loss and writes
//! back to the same bytes; the forms' views hold what the fixtures spell out.

use std::fs;
use std::path::{Path, PathBuf};

use careplan_records::file::{read_file, write_file, FileContent, StandardFile};
use careplan_records::grid::use_sheet_grids;
use careplan_records::plan2::plan2_forms;
use careplan_records::plan3::weekly_plans;
use careplan_records::summarize_units;
use careplan_records::values::SupplementRowKind;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn standard_files(case: &str) -> Vec<StandardFile> {
    files_in(&fixtures().join("valid").join(case))
        .into_iter()
        .filter_map(|(name, bytes)| read_file(&name, &bytes).ok())
        .collect()
}

#[test]
fn every_valid_fixture_round_trips_to_the_same_bytes() {
    let mut files = 0;
    for case in fs::read_dir(fixtures().join("valid")).unwrap() {
        let case = case.unwrap().path();
        for (name, bytes) in files_in(&case) {
            let Ok(file) = read_file(&name, &bytes) else {
                // Attachments are not standard files.
                assert!(
                    !name.starts_with("UP") && !name.starts_with("DLT"),
                    "{name} is standard"
                );
                continue;
            };
            assert!(file.unreadable.is_empty(), "{name}: {:?}", file.unreadable);
            if matches!(file.content, FileContent::FamilyPicture { .. }) {
                continue;
            }
            let written = write_file(&file).unwrap();
            let first_difference = written.iter().zip(&bytes).position(|(a, b)| a != b);
            assert!(
                written == bytes,
                "{name} does not round-trip (first difference at byte {first_difference:?}, {:?} vs {:?}):\n{}\n---\n{}",
                first_difference.map(|i| &written[i..(i + 4).min(written.len())]),
                first_difference.map(|i| &bytes[i..(i + 4).min(bytes.len())]),
                encoding_rs::SHIFT_JIS.decode(&bytes).0,
                encoding_rs::SHIFT_JIS.decode(&written).0
            );
            serde_json::to_string(&file).unwrap();
            files += 1;
        }
    }
    assert!(files >= 40, "only {files} files");
}

#[test]
fn fields_hold_typed_values() {
    let files = standard_files("v41-use-sheet");
    let plan = files.iter().find(|f| f.name.starts_with("UPPLAN")).unwrap();
    let json = serde_json::to_value(plan).unwrap();
    assert_eq!(json["kind"], "UPPLAN");
    assert_eq!(
        json["file_name"]["sender"]["service_kind_name"],
        "居宅介護支援"
    );
    let row = &json["rows"][0];
    assert_eq!(row["line"], 1);
    assert_eq!(row["service_date"], "2025-04-01");
    assert_eq!(row["month"], "2025-04");
    assert_eq!(row["start"], "09:30");
    assert_eq!(row["count"], 1);
    assert_eq!(row["units"], 395);
    assert_eq!(row["service_code"]["kind_name"], "訪問介護");
    assert_eq!(row["over_30_days"]["meaning"], "非該当");
    let plan1 = standard_files("v41-plan")
        .into_iter()
        .find(|f| f.name.starts_with("UP1KYO"))
        .unwrap();
    let FileContent::Plan1(rows) = &plan1.content else {
        panic!("第1表")
    };
    assert_eq!(
        rows[0].assessment_result, "自宅で妻と暮らし続けたい。\r\n買い物と入浴に介助が必要。",
        "long texts keep their line breaks"
    );
    assert_eq!(rows[0].care_level.as_ref().unwrap().meaning, "要介護２");
    assert!(rows[0].overall_policy.contains("\"自分らしい\""));
}

#[test]
fn v32_files_read_through_the_same_types() {
    let files = standard_files("v32-use-sheet");
    let plan = files.iter().find(|f| f.name.starts_with("UPPLAN")).unwrap();
    let FileContent::UsePlan(rows) = &plan.content else {
        panic!("第6表")
    };
    assert_eq!(plan.csv_version.as_deref(), Some("202208"));
    assert!(rows.iter().all(|r| r.tais_code.is_empty()));
}

#[test]
fn table_2_continuation_rows_are_marked_and_carried_forward() {
    let plan2 = standard_files("v41-plan")
        .into_iter()
        .find(|f| f.name.starts_with("UP2KYO"))
        .unwrap();
    let FileContent::Plan2(rows) = &plan2.content else {
        panic!("第2表")
    };
    assert!(!rows[0].continuation.issue);
    assert!(rows[1].continuation.issue && rows[1].continuation.goal);
    assert!(!rows[2].continuation.issue, "another person");
    let forms = plan2_forms(rows);
    assert_eq!(forms.len(), 2);
    let issue = &forms[0].issues[0];
    assert_eq!(issue.issue, "一人での入浴が不安");
    assert_eq!(issue.goals.len(), 1);
    assert_eq!(issue.goals[0].contents.len(), 2);
    assert_eq!(issue.goals[0].contents[1].service_content, "妻による声かけ");
    assert_eq!(
        issue.goals[0].contents[1]
            .insurance_covered
            .as_ref()
            .unwrap()
            .meaning,
        "対象外"
    );
}

#[test]
fn table_3_becomes_the_week() {
    let plan3 = standard_files("v41-plan")
        .into_iter()
        .find(|f| f.name.starts_with("UP3KYO"))
        .unwrap();
    let FileContent::Plan3(rows) = &plan3.content else {
        panic!("第3表")
    };
    let plans = weekly_plans(rows);
    assert_eq!(plans.len(), 2);
    let days: Vec<(&str, String)> = plans[0]
        .slots
        .iter()
        .map(|s| (s.weekday_name.as_str(), s.start.unwrap().to_string()))
        .collect();
    assert_eq!(
        days,
        [("月", "10:00".to_owned()), ("木", "10:00".to_owned())]
    );
    assert_eq!(plans[0].activities[0].activity, "起床");
    assert_eq!(plans[1].slots[0].weekday_name, "水");
}

#[test]
fn table_6_becomes_the_month_grid() {
    let files = standard_files("v41-use-sheet");
    let plan = files.iter().find(|f| f.name.starts_with("UPPLAN")).unwrap();
    let FileContent::UsePlan(rows) = &plan.content else {
        panic!("第6表")
    };
    let grids = use_sheet_grids(rows);
    assert_eq!(grids.len(), 1);
    let grid = &grids[0];
    assert_eq!((grid.days, grid.weekdays.len()), (30, 30));
    assert_eq!(grid.weekdays[0], "火", "2025-04-01 is a Tuesday");
    assert_eq!(grid.lines.len(), 1);
    let line = &grid.lines[0];
    assert_eq!(line.counts.len(), 31);
    assert_eq!(line.counts[0], 1);
    assert_eq!(line.counts[1], 0);
    assert_eq!(line.total_count, 8);
    assert_eq!(line.total_units, 8 * 395);
}

#[test]
fn table_7_rows_say_what_they_are() {
    let files = standard_files("v41-use-sheet");
    let sikyu = files
        .iter()
        .find(|f| f.name.starts_with("UPSIKYU"))
        .unwrap();
    let FileContent::Supplement(rows) = &sikyu.content else {
        panic!("第7表")
    };
    let kinds: Vec<SupplementRowKind> = rows.iter().map(|r| r.service_code.row).collect();
    assert_eq!(
        kinds,
        [SupplementRowKind::Service, SupplementRowKind::GrandTotal]
    );
    assert_eq!(rows[0].unit_price.unwrap().0, 11.40);
}

#[test]
fn units_are_summarised_in_words_with_the_person() {
    let summaries = summarize_units(&standard_files("v41-two-units"));
    let titles: Vec<&str> = summaries.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "サービス利用票（予定）2025年4月分",
            "居宅サービス計画書 第1〜3表"
        ]
    );
    assert_eq!(summaries[0].people[0].label, "山田　花子");
    assert_eq!(
        summarize_units(&standard_files("v41-actual"))[0].title,
        "実績 2025年4月分"
    );
    let actual = &summarize_units(&standard_files("v41-actual"))[0];
    assert_eq!(
        actual.people[0].label, "保険者番号 131016・被保険者番号 0000012345",
        "no 補足 travels with a 実績"
    );
    assert_eq!(
        summarize_units(&standard_files("v32-plan"))[0].title,
        "居宅サービス計画書 第1・2表"
    );
    let prevention = &summarize_units(&standard_files("v41-prevention"))[0];
    assert_eq!(
        prevention.title,
        "利用者基本情報・介護予防サービス・支援計画書"
    );
    assert_eq!(prevention.people[0].label, "田中　次郎");
}

#[test]
fn files_that_are_not_standard_are_refused_in_japanese() {
    let err = read_file("report.csv", b"a,b\r\n").unwrap_err();
    assert!(
        err.message.contains("標準仕様のファイル名ではありません"),
        "{err}"
    );
    let header = files_in(&fixtures().join("invalid/csv.header_row"));
    let err = read_file(&header[0].0, &header[0].1).unwrap_err();
    assert!(err.message.contains("見出し行"), "{err}");
    let bom = files_in(&fixtures().join("invalid/csv.encoding.bom"));
    assert!(read_file(&bom[0].0, &bom[0].1)
        .unwrap_err()
        .message
        .contains("BOM"));
    // A record that does not validate is listed, the others read.
    let broken = files_in(&fixtures().join("invalid/item.date.invalid"));
    let file = read_file(&broken[0].0, &broken[0].1).unwrap();
    assert_eq!(file.unreadable.len(), 1);
    assert_eq!(file.unreadable[0].line, 2);
    assert_eq!(file.unreadable[0].item_no, Some(10));
    let FileContent::UseActual(rows) = &file.content else {
        panic!("実績")
    };
    assert_eq!(rows.len(), 2);
}
