//! 予実突合 on hand-made pairs: each kind of difference, a month's last day, two offices, 加算
//! without a time, and the inputs a user gets wrong.

use careplan_records::file::read_file;
use careplan_records::reconcile::{
    read_side, reconcile, to_csv, DayStatus, PersonStatus, Reconciliation,
};
use careplan_records::StandardFile;
use careplan_spec::InputFile;

const CARE_MANAGER: &str = "1370000018";
const HOME_HELP: &str = "1370000026";
const DAY_SERVICE: &str = "1370000034";

/// One 第6表 record, its 25 items written out in the layout book's order.
fn row(
    insured: &str,
    date: &str,
    code: &str,
    start: &str,
    end: &str,
    count: u32,
    office: &str,
) -> String {
    let month = &date[..6];
    let office_name = if office == HOME_HELP {
        "ひまわりヘルパーステーション"
    } else {
        "あおぞらデイサービス"
    };
    format!("202407,131016,{insured},20250325,{month},{CARE_MANAGER},\"佐藤　一郎\",395,0,{date},,{start},{end},{count},{code},,,\"\",,{office},\"{office_name}\",,0,,\r\n")
}

/// A 予定 (`UPPLAN`) or 実績 (`UPJSK`) file of `rows`: its name and CP932 bytes.
fn named_bytes(prefix: &str, month: &str, rows: &[String]) -> (String, Vec<u8>) {
    let name = if prefix == "UPPLAN" {
        format!("UPPLAN_{month}_{CARE_MANAGER}_43_{HOME_HELP}_11_20250325120000.CSV")
    } else {
        format!("UPJSK_{month}_{HOME_HELP}_11_{CARE_MANAGER}_43_20250430180000.CSV")
    };
    let text = rows.concat();
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    (name, bytes.into_owned())
}

fn file(prefix: &str, month: &str, rows: &[String]) -> StandardFile {
    let (name, bytes) = named_bytes(prefix, month, rows);
    let file = read_file(&name, &bytes).unwrap();
    assert!(file.unreadable.is_empty(), "{:?}", file.unreadable);
    file
}

fn statuses(result: &Reconciliation) -> Vec<(String, String, DayStatus, bool, bool)> {
    result.people[0]
        .services
        .iter()
        .flat_map(|s| {
            s.days.iter().map(move |d| {
                (
                    s.service_code.code.clone(),
                    d.date.to_string(),
                    d.status,
                    d.time_changed,
                    d.count_changed,
                )
            })
        })
        .collect()
}

const A: &str = "0000012345";

#[test]
fn each_kind_of_difference_is_told_apart() {
    let plan = file(
        "UPPLAN",
        "202504",
        &[
            row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP), // done as planned
            row(A, "20250404", "111211", "0930", "1030", 1, HOME_HELP), // not done
            row(A, "20250408", "111211", "0930", "1030", 1, HOME_HELP), // done at another time
            row(A, "20250411", "111211", "0930", "1030", 1, HOME_HELP), // done twice
            row(A, "20250415", "111211", "0930", "1030", 1, HOME_HELP), // another time and twice
        ],
    );
    let actual = file(
        "UPJSK",
        "202504",
        &[
            row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP),
            row(A, "20250408", "111211", "1000", "1100", 1, HOME_HELP),
            row(A, "20250411", "111211", "0930", "1030", 2, HOME_HELP),
            row(A, "20250415", "111211", "1400", "1500", 2, HOME_HELP),
            row(A, "20250418", "111211", "0930", "1030", 1, HOME_HELP), // not planned
        ],
    );
    let result = reconcile(&[plan], &[actual]).unwrap();
    use DayStatus::*;
    let code = "111211".to_owned();
    assert_eq!(
        statuses(&result),
        vec![
            (code.clone(), "2025-04-01".into(), Matching, false, false),
            (
                code.clone(),
                "2025-04-04".into(),
                PlannedNotDone,
                false,
                false
            ),
            (code.clone(), "2025-04-08".into(), Changed, true, false),
            (code.clone(), "2025-04-11".into(), Changed, false, true),
            (code.clone(), "2025-04-15".into(), Changed, true, true),
            (code, "2025-04-18".into(), DoneNotPlanned, false, false),
        ]
    );
    let person = &result.people[0];
    assert_eq!(person.status, PersonStatus::Differences);
    let totals = person.services[0].totals;
    assert_eq!(
        (
            totals.matching,
            totals.planned_not_done,
            totals.done_not_planned,
            totals.changed
        ),
        (1, 1, 1, 3)
    );
    assert_eq!((totals.planned_count, totals.actual_count), (5, 7));
    assert_eq!(
        (totals.planned_units, totals.actual_units),
        (5 * 395, 7 * 395)
    );
    assert_eq!((result.compared, result.with_differences), (1, 1));
    assert_eq!(
        person.services[0].days[4].status_japanese(),
        "変更（時刻・回数）"
    );
}

#[test]
fn a_plan_done_exactly_matches_on_every_day() {
    let rows = [
        row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP),
        row(A, "20250401", "111211", "1700", "1800", 1, HOME_HELP),
    ];
    let result = reconcile(
        &[file("UPPLAN", "202504", &rows)],
        &[file("UPJSK", "202504", &rows)],
    )
    .unwrap();
    assert_eq!(result.people[0].status, PersonStatus::Matching);
    let day = &result.people[0].services[0].days[0];
    assert_eq!(
        day.planned.as_ref().unwrap().count,
        2,
        "two visits on one day"
    );
    assert_eq!(
        day.actual.as_ref().unwrap().times_japanese(),
        "09:30～10:30、17:00～18:00"
    );
}

#[test]
fn the_last_day_of_the_month_and_a_visit_past_midnight() {
    // 31 March: a visit from 23:30 to 00:30 belongs to its starting day (サービス利用日), in March.
    let plan = file(
        "UPPLAN",
        "202503",
        &[row(A, "20250331", "111211", "2330", "0030", 1, HOME_HELP)],
    );
    let same = file(
        "UPJSK",
        "202503",
        &[row(A, "20250331", "111211", "2330", "0030", 1, HOME_HELP)],
    );
    let result = reconcile(std::slice::from_ref(&plan), &[same]).unwrap();
    assert_eq!(result.people[0].status, PersonStatus::Matching);
    assert_eq!(
        result.people[0].services[0].days[0].date.to_string(),
        "2025-03-31"
    );
    // Done on 1 April instead: that is April's 実績, another month; compared with March it matches nothing.
    let april = file(
        "UPJSK",
        "202504",
        &[row(A, "20250401", "111211", "0000", "0030", 1, HOME_HELP)],
    );
    let err = reconcile(&[plan], &[april]).unwrap_err();
    assert!(
        err.0.contains("同じ利用者・同じ対象年月の組がありません"),
        "{err}"
    );
    assert!(
        err.0.contains("2025年3月分") && err.0.contains("2025年4月分"),
        "{err}"
    );
}

#[test]
fn two_offices_are_compared_apart_and_an_office_without_any_actual_is_marked() {
    let plan = file(
        "UPPLAN",
        "202504",
        &[
            row(A, "20250402", "111211", "0930", "1030", 1, HOME_HELP),
            row(A, "20250402", "151111", "0900", "1600", 1, DAY_SERVICE),
            row(A, "20250409", "151111", "0900", "1600", 1, DAY_SERVICE),
        ],
    );
    // Only 訪問介護 has sent its 実績.
    let actual = file(
        "UPJSK",
        "202504",
        &[row(A, "20250402", "111211", "0930", "1030", 1, HOME_HELP)],
    );
    let result = reconcile(&[plan], &[actual]).unwrap();
    let services = &result.people[0].services;
    assert_eq!(services.len(), 2);
    let help = services
        .iter()
        .find(|s| s.provider_number == HOME_HELP)
        .unwrap();
    let day = services
        .iter()
        .find(|s| s.provider_number == DAY_SERVICE)
        .unwrap();
    assert!(help.provider_reported && help.totals.differences() == 0);
    assert!(!day.provider_reported, "no 実績 of the day service at all");
    assert_eq!(day.totals.planned_not_done, 2);
    assert_eq!(day.service_code.kind_name.as_deref(), Some("通所介護"));
    // The same service code at two offices is two lines, not one.
    let plan = file(
        "UPPLAN",
        "202504",
        &[
            row(A, "20250402", "111211", "0930", "1030", 1, HOME_HELP),
            row(A, "20250402", "111211", "0930", "1030", 1, DAY_SERVICE),
        ],
    );
    let actual = file(
        "UPJSK",
        "202504",
        &[row(A, "20250402", "111211", "0930", "1030", 1, DAY_SERVICE)],
    );
    let result = reconcile(&[plan], &[actual]).unwrap();
    let lines: Vec<(&str, DayStatus)> = result.people[0]
        .services
        .iter()
        .map(|s| (s.provider_number.as_str(), s.days[0].status))
        .collect();
    assert_eq!(
        lines,
        [
            (HOME_HELP, DayStatus::PlannedNotDone),
            (DAY_SERVICE, DayStatus::Matching)
        ]
    );
}

#[test]
fn additions_without_a_time_are_compared_by_count() {
    let plan = file(
        "UPPLAN",
        "202504",
        &[
            row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP),
            row(A, "20250401", "116275", "9999", "9999", 1, HOME_HELP),
            row(A, "20250408", "116275", "9999", "9999", 1, HOME_HELP),
        ],
    );
    let actual = file(
        "UPJSK",
        "202504",
        &[
            row(A, "20250401", "111211", "1000", "1100", 1, HOME_HELP),
            row(A, "20250401", "116275", "9999", "9999", 1, HOME_HELP),
            row(A, "20250408", "116275", "9999", "9999", 2, HOME_HELP),
        ],
    );
    let result = reconcile(&[plan], &[actual]).unwrap();
    let addition = result.people[0]
        .services
        .iter()
        .find(|s| s.service_code.code == "116275")
        .unwrap();
    assert_eq!(
        addition.days[0].status,
        DayStatus::Matching,
        "no time on either side"
    );
    assert_eq!(
        addition.days[0].planned.as_ref().unwrap().times_japanese(),
        "時刻なし"
    );
    assert!(addition.days[1].count_changed && !addition.days[1].time_changed);
}

#[test]
fn wrong_inputs_are_refused_and_nothing_is_compared() {
    let plan = file(
        "UPPLAN",
        "202504",
        &[row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP)],
    );
    let actual = file(
        "UPJSK",
        "202504",
        &[row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP)],
    );
    let other_person = file(
        "UPJSK",
        "202504",
        &[row(
            "0000099999",
            "20250401",
            "111211",
            "0930",
            "1030",
            1,
            HOME_HELP,
        )],
    );
    let err = reconcile(std::slice::from_ref(&plan), &[other_person]).unwrap_err();
    assert!(
        err.0.contains("同じ利用者・同じ対象年月の組がありません") && err.0.contains("0000099999"),
        "{err}"
    );
    let err = reconcile(std::slice::from_ref(&actual), std::slice::from_ref(&plan)).unwrap_err();
    assert!(
        err.0.contains("予定（UPPLAN）、実績（UPJSK）の順"),
        "swapped: {err}"
    );
    let err = reconcile(std::slice::from_ref(&plan), std::slice::from_ref(&plan)).unwrap_err();
    assert!(err.0.contains("実績として指定したファイルは予定"), "{err}");
    let err = reconcile(&[], &[actual]).unwrap_err();
    assert!(err.0.contains("予定（UPPLAN）がありません"), "{err}");
}

#[test]
fn people_on_one_side_only_are_listed_not_compared() {
    let b = "0000054321";
    let plan = file(
        "UPPLAN",
        "202504",
        &[
            row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP),
            row(b, "20250401", "111211", "0930", "1030", 1, HOME_HELP),
        ],
    );
    let actual = file(
        "UPJSK",
        "202504",
        &[row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP)],
    );
    let result = reconcile(&[plan], &[actual]).unwrap();
    let missing = result
        .people
        .iter()
        .find(|p| p.person.insured == b)
        .unwrap();
    assert_eq!(missing.status, PersonStatus::ActualMissing);
    assert!(
        missing.services.is_empty(),
        "nothing shown as if it matched"
    );
    assert_eq!((result.compared, result.actual_missing), (1, 1));
}

#[test]
fn the_csv_export_is_cp932_with_a_header_for_excel() {
    let plan = file(
        "UPPLAN",
        "202504",
        &[row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP)],
    );
    let actual = file(
        "UPJSK",
        "202504",
        &[row(A, "20250401", "111211", "1000", "1100", 1, HOME_HELP)],
    );
    let bytes = to_csv(&reconcile(&[plan], &[actual]).unwrap());
    let (text, _, malformed) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!malformed);
    assert!(std::str::from_utf8(&bytes).is_err(), "CP932, not UTF-8");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(lines[0].starts_with("保険者番号,被保険者番号,利用者名,対象年月,サービスコード"));
    assert_eq!(
        lines[1],
        "131016,0000012345,,202504,111211,訪問介護,1370000026,ひまわりヘルパーステーション,2025/04/01,火,変更（時刻）,1,1,09:30～10:30,10:00～11:00"
    );
    assert_eq!(lines.len(), 3, "the last line ends with CRLF");
}

fn inputs(files: &[(String, Vec<u8>)]) -> Vec<InputFile<'_>> {
    files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect()
}

const PDF: &[u8] = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

#[test]
fn a_side_passes_over_attachments_only_when_told_to() {
    let plan = named_bytes(
        "UPPLAN",
        "202504",
        &[row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP)],
    );
    let with_attachment = [plan.clone(), ("主治医意見書.pdf".to_owned(), PDF.to_vec())];
    let side = read_side("予定", &inputs(&with_attachment), true).unwrap();
    assert_eq!(side.len(), 1, "the attachment is passed over");
    assert_eq!(side[0].name, plan.0);
    let err = read_side("予定", &inputs(&with_attachment), false).unwrap_err();
    assert!(
        err.0
            .starts_with("予定の「主治医意見書.pdf」は標準仕様のファイルとして読めません。標準仕様のファイル名ではありません。"),
        "given alone, an attachment is not a 予定: {err}"
    );
    // A file that is neither refuses the side even among files of a folder.
    let with_list = [plan, ("利用者一覧.csv".to_owned(), b"a,b\r\n".to_vec())];
    let err = read_side("実績", &inputs(&with_list), true).unwrap_err();
    assert!(
        err.0
            .starts_with("実績の「利用者一覧.csv」は標準仕様のファイルとして読めません。"),
        "{err}"
    );
}

#[test]
fn a_side_with_an_unreadable_record_is_refused_and_says_where() {
    let mut broken = row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP);
    broken = broken.replacen(",20250401,", ",20250431,", 1);
    let plan = named_bytes(
        "UPPLAN",
        "202504",
        &[
            row(A, "20250402", "111211", "0930", "1030", 1, HOME_HELP),
            broken,
        ],
    );
    let err = read_side("予定", &inputs(std::slice::from_ref(&plan)), true).unwrap_err();
    assert!(
        err.0
            .starts_with(&format!("予定の「{}」の2行目が読めません（", plan.0)),
        "{err}"
    );
    assert!(
        err.0
            .ends_with("）。突合の前にファイルを確かめ、介護ソフトから出力し直してください。"),
        "words for the CLI and the desktop alike: {err}"
    );
}

#[test]
fn sides_given_the_wrong_way_round_read_but_are_not_compared() {
    let rows = [row(A, "20250401", "111211", "0930", "1030", 1, HOME_HELP)];
    let plan = named_bytes("UPPLAN", "202504", &rows);
    let actual = named_bytes("UPJSK", "202504", &rows);
    let as_plan = read_side("予定", &inputs(&[actual]), true).unwrap();
    let as_actual = read_side("実績", &inputs(&[plan]), true).unwrap();
    let err = reconcile(&as_plan, &as_actual).unwrap_err();
    assert_eq!(
        err.0,
        "予定として指定したファイルは実績（UPJSK）です。予定（UPPLAN）、実績（UPJSK）の順に指定してください。"
    );
    assert!(read_side("予定", &[], true).unwrap().is_empty());
}
