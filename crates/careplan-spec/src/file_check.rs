//! Rules over one standard CSV file: encoding and syntax, header rows, one CSV version, layouts,
//! months, and the keys that join it to the other files of its send unit.

use std::collections::BTreeMap;

use crate::content_rules::ContentRules;
use crate::diagnostic::{Code, Diagnostic};
use crate::filename::{FileKind, FileName, MonthSegment, NameShape};
use crate::items::check_item;
use crate::layout::{layout, CsvVersion, Layout};
use crate::reader::{read_csv, Record};
use crate::time::{parse_date, YearMonth};

/// The person and document a record belongs to: 保険者番号 + 被保険者番号 + the file type's own key
/// (居宅サービス計画作成（変更）日, 対象年月, 相談日 …). Files of one send unit join on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonKey {
    pub insurer: String,
    pub insured: String,
    pub document: String,
}

impl PersonKey {
    /// Japanese, for messages.
    pub fn describe(&self) -> String {
        format!(
            "保険者番号 {}・被保険者番号 {}・{}",
            self.insurer, self.insured, self.document
        )
    }
}

/// What checking a CSV file found, and what the send-unit rules need from it.
#[derive(Debug, Default)]
pub struct CsvFileFindings {
    pub version: Option<CsvVersion>,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings left out because the same rule had already been reported [`MAX_PER_CODE`] times.
    pub suppressed: usize,
    /// Every person key in the file, with the first line it appears on. `None` when the file could
    /// not be read far enough to know.
    pub keys: Option<BTreeMap<PersonKey, u32>>,
    /// 利用者基本情報's 家族構成 画像ファイル名, with their lines.
    pub image_references: Vec<(String, u32)>,
}

/// A file with a thousand broken rows gets the first few findings of each rule, not a thousand.
pub const MAX_PER_CODE: usize = 20;

impl CsvFileFindings {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        let same = self
            .diagnostics
            .iter()
            .filter(|d| d.code == diagnostic.code)
            .count();
        if same < MAX_PER_CODE {
            self.diagnostics.push(diagnostic);
        } else {
            self.suppressed += 1;
        }
    }
}

/// Index of the item that, with 保険者番号 and 被保険者番号, identifies the record's document.
fn document_key_index(kind: FileKind, layout: &Layout) -> Option<usize> {
    let name = match kind {
        FileKind::Plan1 | FileKind::Plan2 | FileKind::Plan3 | FileKind::Plan1Delete => {
            "居宅サービス計画作成（変更）日"
        }
        FileKind::UsePlan | FileKind::UseActual | FileKind::UseSupplement => "対象年月",
        FileKind::UsePlanDelete | FileKind::UseActualDelete => "削除対象年月",
        FileKind::Kihon | FileKind::KihonSub1 | FileKind::KihonSub2 | FileKind::KihonDelete => {
            "相談日"
        }
        FileKind::Yobo | FileKind::YoboSub | FileKind::YoboDelete => "計画作成(変更)日",
        // 補足 joins on 作成（変更）日 or on 対象年月, depending on its name: see `hosoku_key_index`.
        FileKind::Hosoku | FileKind::KihonImage => return None,
    };
    layout.index_of(name)
}

/// 補足 tied to 第1/2表 (`000000` in the name) joins on its 作成（変更）日 (No.4); tied to 第6/7表,
/// on its 対象年月 (No.63).
fn hosoku_key_index(name: &FileName) -> usize {
    match name.month {
        Some(MonthSegment::Zero) => 3,
        _ => 62,
    }
}

/// Checks a standard CSV file whose name has already parsed.
pub fn check_csv_file(name: &FileName, bytes: &[u8]) -> CsvFileFindings {
    let mut out = CsvFileFindings::default();
    let table = match read_csv(bytes) {
        Ok(table) => table,
        Err(diagnostic) => {
            out.push(diagnostic);
            return out;
        }
    };
    let mut records: Vec<Record<'_>> = table.records().collect();

    // A header row: the first item of a data record is always the 6-digit CSV version.
    let first_item = records[0].get(0).unwrap_or_default();
    if !first_item.bytes().all(|b| b.is_ascii_digit()) {
        out.push(
            Diagnostic::new(
                Code::CsvHeaderRow,
                format!("1行目「{}…」は項目名の見出し行のようです。標準仕様のCSVには見出し行を付けません。見出しなしで出力し直してください。", truncate(&first_item, 20)),
            )
            .at_line(records[0].line()),
        );
        records.remove(0);
        if records.is_empty() {
            return out;
        }
    }

    let version_text = records[0].get(0).unwrap_or_default().into_owned();
    let Some(version) = CsvVersion::parse(&version_text) else {
        out.push(
            Diagnostic::new(
                Code::CsvVersionUnsupported,
                unsupported_version_message(&version_text),
            )
            .at_line(records[0].line())
            .at_item(1, "CSVバージョン"),
        );
        return out;
    };
    out.version = Some(version);
    let Some(layout) = layout(name.kind, version) else {
        out.push(
            Diagnostic::new(
                Code::CsvVersionUnsupported,
                format!("{}はCSVバージョン {version}（{}）にはない種類のファイルです。CSVバージョン 202407 で出力し直してください。", name.kind.japanese_name(), version.edition()),
            )
            .at_line(records[0].line())
            .at_item(1, "CSVバージョン"),
        );
        return out;
    };
    let expected_shape = match version {
        CsvVersion::V202407 => NameShape::V4,
        CsvVersion::V202208 => NameShape::V3,
    };
    if name.shape() != expected_shape {
        let (have, want) = match name.shape() {
            NameShape::V4 => (
                "v4形式（サービス種類コードあり）",
                "v3形式（サービス種類コードなし）",
            ),
            NameShape::V3 => (
                "v3形式（サービス種類コードなし）",
                "v4形式（サービス種類コードあり）",
            ),
        };
        out.push(Diagnostic::new(
            Code::NameVersionMismatch,
            format!("ファイル名は{have}ですが、内容はCSVバージョン {version} です。{version} のファイル名は通常{want}です。相手の介護ソフトが読み込めるか確認してください。"),
        ));
    }

    if let Some(month) = name.year_month() {
        check_version_month(version, month, &mut out);
    }

    let key_index = match name.kind {
        FileKind::Hosoku => Some(hosoku_key_index(name)),
        kind => document_key_index(kind, layout),
    };
    let image_index = (name.kind == FileKind::Kihon)
        .then(|| layout.index_of("家族構成 画像ファイル名"))
        .flatten();
    let month_items = MonthItems::of(name, layout);
    let mut keys = BTreeMap::new();
    let mut last_key: Option<PersonKey> = None;
    let mut complete = true;
    let mut rules = ContentRules::new(name, layout);

    for record in &records {
        let line = record.line();
        let record_version = record.get(0).unwrap_or_default();
        if record_version != version.as_str() {
            out.push(
                Diagnostic::new(
                    Code::CsvVersionMixed,
                    format!("このレコードのCSVバージョンは「{record_version}」ですが、1行目は「{version}」です。1つのファイルに複数のCSVバージョンを混ぜることはできません。同じバージョンで出力し直してください。"),
                )
                .at_line(line)
                .at_item(1, "CSVバージョン"),
            );
            complete = false;
            continue;
        }
        if record.len() != layout.items.len() {
            out.push(item_count_finding(name.kind, layout, record).at_line(line));
            complete = false;
            continue;
        }
        for (index, spec) in layout.items.iter().enumerate() {
            let value = record.get(index).unwrap_or_default();
            for diagnostic in check_item(spec, index as u16 + 1, &value) {
                out.push(diagnostic.at_line(line));
            }
        }
        check_months(name, layout, &month_items, record, &mut out);
        rules.check_record(layout, record, &mut out);
        if let Some(index) = key_index {
            let insurer = record.get(1).unwrap_or_default();
            let insured = record.get(2).unwrap_or_default();
            let document = record.get(index).unwrap_or_default();
            // Records of one person come together: only a new person costs allocations and a lookup.
            let same_as_last = last_key.as_ref().is_some_and(|k| {
                k.insurer == insurer && k.insured == insured && k.document == document
            });
            if !same_as_last {
                let key = PersonKey {
                    insurer: insurer.into_owned(),
                    insured: insured.into_owned(),
                    document: document.into_owned(),
                };
                keys.entry(key.clone()).or_insert(line);
                last_key = Some(key);
            }
        }
        if let Some(index) = image_index {
            let value = record.get(index).unwrap_or_default();
            if !value.is_empty() {
                out.image_references.push((value.into_owned(), line));
            }
        }
    }
    rules.finish(layout, &mut out);
    if complete {
        out.keys = Some(keys);
    }
    out
}

/// The first service month each CSV version applies to (standard §2.2: a version applies from its
/// 適用開始年月, per service month).
const V202407_FROM: YearMonth = YearMonth {
    year: 2025,
    month: 4,
};
const V202208_FROM: YearMonth = YearMonth {
    year: 2023,
    month: 1,
};

/// The CSV version against the month the file is for.
fn check_version_month(version: CsvVersion, month: YearMonth, out: &mut CsvFileFindings) {
    let (from, until) = match version {
        CsvVersion::V202407 => (V202407_FROM, None),
        CsvVersion::V202208 => (V202208_FROM, Some(V202407_FROM)),
    };
    let shown = format!("{}年{}月分", month.year, month.month);
    let message = if month < from {
        format!("{shown}のファイルですが、CSVバージョン {version}（{}）は{}年{}月分からの版です。{shown}に適用される版で出力されているか、相手の介護ソフトが読み込めるかを確認してください。", version.edition(), from.year, from.month)
    } else if until.is_some_and(|u| month >= u) {
        format!("{shown}のファイルですが、CSVバージョンは {version}（{}）です。2025年4月分からは CSVバージョン 202407（第4.1版）を使います。介護ソフトを更新して出力し直すか、相手の介護ソフトが読み込めるか確認してください。", version.edition())
    } else {
        return;
    };
    out.push(
        Diagnostic::new(Code::FileVersionMonth, message)
            .at_line(1)
            .at_item(1, "CSVバージョン"),
    );
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

fn unsupported_version_message(value: &str) -> String {
    let why = match value {
        "201910" | "202003" => "これは標準仕様の初版・第1版の値で、現在は使えません。".to_owned(),
        "202504" => {
            "これは第4.0版の値です。第4.1版で CSVバージョンは 202407 に改められました。".to_owned()
        }
        "202410" => "第4.1版の CSVバージョンは発出月の 202410 ではなく 202407 です。".to_owned(),
        _ => String::new(),
    };
    format!("CSVバージョン「{value}」には対応していません。{why}介護ソフトを最新にして、CSVバージョン 202407（第4.1版）または 202208（第3版）で出力し直してください。")
}

/// Explains a record whose item count is wrong, recognising the two common real-world causes: a
/// 第6表 written as a grid of 31 day columns, and a file whose prefix names another type (a
/// deletion prefix on plan content).
fn item_count_finding(kind: FileKind, layout: &Layout, record: &Record<'_>) -> Diagnostic {
    let expected = layout.items.len();
    let found = record.len();
    if matches!(kind, FileKind::UsePlan | FileKind::UseActual)
        && found > expected
        && has_day_grid(record)
    {
        return Diagnostic::new(
            Code::RecordDayGrid,
            format!("{}が、1日～31日を横に並べた形（項目数{found}）になっています。標準仕様の第6表は「サービスコード×サービス利用日」ごとに1行（{expected}項目）で、日付の列は使いません。介護ソフトの「ケアプランデータ連携（標準仕様）」の出力を使ってください。", kind.japanese_name()),
        );
    }
    let candidates: Vec<FileKind> = FileKind::ALL
        .iter()
        .copied()
        .filter(|&other| {
            other != kind
                && crate::layout::layout(other, layout.version)
                    .is_some_and(|l| l.items.len() == found)
        })
        .collect();
    let counterpart = counterpart_of(kind).filter(|c| candidates.contains(c));
    let likely = counterpart.or_else(|| (candidates.len() == 1).then(|| candidates[0]));
    if let Some(other) = likely {
        return Diagnostic::new(
            Code::RecordKindMismatch,
            format!("ファイル名の先頭「{}」は{}を表しますが、内容は{}の形（項目数{found}）です。ファイル名の先頭を誤って付けていないか確認し、介護ソフトから正しい種類で出力し直してください。", kind.prefix(), kind.japanese_name(), other.japanese_name()),
        );
    }
    Diagnostic::new(
        Code::RecordItemCount,
        format!("項目の数が{found}個ですが、{}（CSVバージョン {}）は{expected}個です。項目の過不足やカンマの数を確認し、介護ソフトから出力し直してください。", kind.japanese_name(), layout.version),
    )
}

/// The file type whose content is most often sent under this name by mistake.
fn counterpart_of(kind: FileKind) -> Option<FileKind> {
    Some(match kind {
        FileKind::Plan1Delete => FileKind::Plan1,
        FileKind::UsePlanDelete => FileKind::UsePlan,
        FileKind::UseActualDelete => FileKind::UseActual,
        FileKind::KihonDelete => FileKind::Kihon,
        FileKind::YoboDelete => FileKind::Yobo,
        FileKind::UsePlan => FileKind::UseActual,
        FileKind::UseActual => FileKind::UsePlan,
        _ => return None,
    })
}

/// At least 28 consecutive short numeric (or empty) items: a day-per-column grid.
fn has_day_grid(record: &Record<'_>) -> bool {
    let mut run = 0;
    for index in 0..record.len() {
        let value = record.get(index).unwrap_or_default();
        let day_like =
            value.chars().count() <= 2 && value.chars().all(|c| c.is_ascii_digit() || c == '○');
        run = if day_like { run + 1 } else { 0 };
        if run >= 28 {
            return true;
        }
    }
    false
}

/// Where the month rules look, found once per file rather than once per record.
struct MonthItems {
    /// 対象年月 or 削除対象年月.
    month: Option<usize>,
    /// 第6表's サービス利用日.
    use_date: Option<usize>,
    /// The month of the file name, as written.
    name_month: Option<String>,
}

impl MonthItems {
    fn of(name: &FileName, layout: &Layout) -> MonthItems {
        let month = match name.kind {
            FileKind::UsePlan | FileKind::UseActual | FileKind::UseSupplement => {
                layout.index_of("対象年月")
            }
            FileKind::UsePlanDelete | FileKind::UseActualDelete => layout.index_of("削除対象年月"),
            _ => None,
        };
        let use_date = matches!(name.kind, FileKind::UsePlan | FileKind::UseActual)
            .then(|| layout.index_of("サービス利用日"))
            .flatten();
        MonthItems {
            month,
            use_date,
            name_month: name.month.map(|m| m.to_string()),
        }
    }
}

/// Month rules: 6/7表 and their deletions hold one month, the month of the file name; 第6表's
/// サービス利用日 lies in its 対象年月; 補足's `000000` / `00000000` pairing follows its name.
fn check_months(
    name: &FileName,
    layout: &Layout,
    items: &MonthItems,
    record: &Record<'_>,
    out: &mut CsvFileFindings,
) {
    let line = record.line();
    if let (Some(index), Some(name_month)) = (items.month, items.name_month.as_deref()) {
        let value = record.get(index).unwrap_or_default();
        if value != name_month && YearMonth::parse(&value).is_some() {
            out.push(
                Diagnostic::new(
                    Code::FileMonthMismatch,
                    format!("このレコードの「{}」は {value} ですが、ファイル名の年月は {name_month} です。1つのファイルには1か月分だけを入れ、ファイル名と同じ月にします。月ごとに分けて出力し直してください。", layout.items[index].name),
                )
                .at_line(line)
                .at_item(index as u16 + 1, layout.items[index].name),
            );
        }
        if let (Some(date_index), Some(month)) = (items.use_date, YearMonth::parse(&value)) {
            let date = record.get(date_index).unwrap_or_default();
            if let Some(parsed) = parse_date(&date) {
                if !month.contains(parsed) {
                    out.push(
                        Diagnostic::new(
                            Code::FileUseDateOutsideMonth,
                            format!("サービス利用日 {date} は対象年月 {month} の日付ではありません。対象年月の中の日付にしてください（翌月分は別のファイルにします）。"),
                        )
                        .at_line(line)
                        .at_item(date_index as u16 + 1, "サービス利用日"),
                    );
                }
            }
        }
    }
    if name.kind == FileKind::Hosoku {
        let plan_date = record.get(3).unwrap_or_default();
        let month = record.get(62).unwrap_or_default();
        let problem = match name.month {
            Some(MonthSegment::Zero) if month != "000000" => Some((63, "対象年月", format!("ファイル名の年月が 000000（第1・2表に紐づく補足）なので、「対象年月」は 000000 にします（今は「{month}」）。"))),
            Some(MonthSegment::Zero) if plan_date == "00000000" => Some((4, "居宅サービス計画作成（変更）日", "ファイル名の年月が 000000（第1・2表に紐づく補足）なので、「居宅サービス計画作成（変更）日」には第1表と同じ日付を書きます（00000000 は第6・7表用です）。".to_owned())),
            Some(MonthSegment::Month(m)) if Some(month.as_ref()) != items.name_month.as_deref() => Some((63, "対象年月", format!("ファイル名の提供年月は {m} なので、「対象年月」も {m} にします（今は「{month}」）。"))),
            Some(MonthSegment::Month(_)) if plan_date != "00000000" => Some((4, "居宅サービス計画作成（変更）日", format!("第6・7表に紐づく補足（ファイル名に提供年月あり）なので、「居宅サービス計画作成（変更）日」は 00000000 にします（今は「{plan_date}」）。"))),
            _ => None,
        };
        if let Some((no, item_name, message)) = problem {
            out.push(
                Diagnostic::new(Code::FileHosokuLink, message)
                    .at_line(line)
                    .at_item(no, item_name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: Code) -> Diagnostic {
        Diagnostic::new(code, "x")
    }

    #[test]
    fn each_rule_keeps_its_first_twenty_findings_and_counts_the_rest() {
        let mut findings = CsvFileFindings::default();
        for _ in 0..MAX_PER_CODE {
            findings.push(finding(Code::ItemTimeInvalid));
        }
        assert_eq!(
            findings.diagnostics.len(),
            MAX_PER_CODE,
            "at the limit all are kept"
        );
        assert_eq!(findings.suppressed, 0);
        findings.push(finding(Code::ItemTimeInvalid));
        assert_eq!(
            findings.diagnostics.len(),
            MAX_PER_CODE,
            "one past the limit is counted, not kept"
        );
        assert_eq!(findings.suppressed, 1);
        findings.push(finding(Code::ItemDateInvalid));
        assert_eq!(
            findings.diagnostics.len(),
            MAX_PER_CODE + 1,
            "another rule has its own limit"
        );
    }
}
