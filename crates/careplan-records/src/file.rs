//! A whole standard file as typed records: read from its name and CP932 bytes, written back to the
//! same bytes.

use careplan_spec::filename::{FileKind, FileName, MonthSegment, NameShape};
use careplan_spec::layout::{layout, CsvVersion, Format, Layout};
use careplan_spec::numbers::service_kind;
use careplan_spec::reader::{read_csv, Record};
use chrono::NaiveDateTime;
use serde::Serialize;
use ts_rs::TS;

use crate::record::{Binding, RecordType, RowReader, RowWriter};
use crate::rows::*;
use crate::values::Month;

/// One end of a transfer, from the file name.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct Party {
    pub office: String,
    /// サービス種類コード (v4 names only).
    pub service_kind: Option<String>,
    pub service_kind_name: Option<String>,
}

impl Party {
    fn of(party: &careplan_spec::Party) -> Party {
        Party {
            office: party.office.to_string(),
            service_kind: party.service_kind.clone(),
            service_kind_name: party
                .service_kind
                .as_deref()
                .and_then(service_kind)
                .map(|(_, name)| name.to_owned()),
        }
    }
}

/// What the file name says.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct NameInfo {
    /// The prefix: `UPPLAN`, `UPKIHON_SUB1` …
    pub kind: String,
    /// The file type in Japanese.
    pub kind_name: String,
    /// 対象年月 / 提供年月 of the name; `None` for names without one and for 補足's `000000`.
    pub month: Option<Month>,
    pub sender: Party,
    pub receiver: Party,
    /// ファイル連番 as written (`20250401093000`), shared by the files of one send unit.
    pub serial: String,
    /// The same as a date and time.
    pub serial_at: NaiveDateTime,
    /// `v4` (with サービス種類コード) or `v3`.
    pub shape: String,
}

impl NameInfo {
    pub fn of(name: &FileName) -> NameInfo {
        NameInfo {
            kind: name.kind.prefix().to_owned(),
            kind_name: name.kind.japanese_name().to_owned(),
            month: match name.month {
                Some(MonthSegment::Month(m)) => Some(Month::from_spec(m)),
                _ => None,
            },
            sender: Party::of(&name.sender),
            receiver: Party::of(&name.receiver),
            serial: name.serial.to_string(),
            serial_at: name.serial.date_time(),
            shape: match name.shape() {
                NameShape::V4 => "v4",
                NameShape::V3 => "v3",
            }
            .to_owned(),
        }
    }
}

/// The records of a file, by file type (`kind` is the prefix).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", content = "rows")]
#[ts(export, export_to = "records/")]
pub enum FileContent {
    #[serde(rename = "UPHOSOKU")]
    SupplementInfo(Vec<SupplementInfoRow>),
    #[serde(rename = "UP1KYO")]
    Plan1(Vec<Plan1Row>),
    #[serde(rename = "UP2KYO")]
    Plan2(Vec<Plan2Row>),
    #[serde(rename = "UP3KYO")]
    Plan3(Vec<Plan3Row>),
    #[serde(rename = "DLT1KYO")]
    Plan1Delete(Vec<Plan1DeleteRow>),
    #[serde(rename = "UPPLAN")]
    UsePlan(Vec<UseSheetRow>),
    #[serde(rename = "UPJSK")]
    UseActual(Vec<UseSheetRow>),
    #[serde(rename = "DLTPLAN")]
    UsePlanDelete(Vec<UsePlanDeleteRow>),
    #[serde(rename = "DLTJSK")]
    UseActualDelete(Vec<UseActualDeleteRow>),
    #[serde(rename = "UPSIKYU")]
    Supplement(Vec<SupplementRow>),
    #[serde(rename = "UPKIHON")]
    BasicInfo(Vec<BasicInfoRow>),
    #[serde(rename = "UPKIHON_SUB1")]
    BasicInfoSchedule(Vec<BasicInfoScheduleRow>),
    #[serde(rename = "UPKIHON_SUB2")]
    BasicInfoHistory(Vec<BasicInfoHistoryRow>),
    #[serde(rename = "DLTKIHON")]
    BasicInfoDelete(Vec<BasicInfoDeleteRow>),
    #[serde(rename = "UPYOBO")]
    PreventionPlan(Vec<PreventionPlanRow>),
    #[serde(rename = "UPYOBO_SUB")]
    PreventionPlanDetail(Vec<PreventionPlanDetailRow>),
    #[serde(rename = "DLTYOBO")]
    PreventionPlanDelete(Vec<PreventionPlanDeleteRow>),
    /// UPKIHON_IMAGE: the JPEG family picture of 利用者基本情報; its bytes are not part of the model.
    #[serde(rename = "UPKIHON_IMAGE")]
    FamilyPicture { bytes: u32 },
}

/// A record that could not be read: the file does not validate (the validator says why).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct UnreadableRecord {
    pub line: u32,
    pub item_no: Option<u16>,
    pub message: String,
}

/// How records end in the file, kept so that writing gives the same bytes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "records/")]
pub enum LineEnding {
    Crlf,
    Lf,
}

/// A standard file read into typed records.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct StandardFile {
    /// The file name as given.
    pub name: String,
    #[serde(rename = "file_name")]
    pub name_info: NameInfo,
    /// `202407` or `202208`; `None` for the picture.
    pub csv_version: Option<String>,
    #[serde(flatten)]
    pub content: FileContent,
    /// Records left out because they cannot be read; empty for a file that validates.
    pub unreadable: Vec<UnreadableRecord>,
    pub line_ending: LineEnding,
    /// Whether the last record ends with a line break.
    pub final_line_break: bool,
    /// Whether empty free text is written `""` (true) or left bare, the standard's Null (false), as
    /// the file does; non-empty free text is always quoted.
    pub empty_text_quoted: bool,
}

/// Why a file cannot be read at all, in Japanese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotStandard {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for NotStandard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "「{}」: {}", self.file, self.message)
    }
}

fn rows_of<T: RecordType>(
    layout: &Layout,
    records: &[Record<'_>],
    unreadable: &mut Vec<UnreadableRecord>,
) -> Vec<T> {
    let binding = Binding::new(T::FIELDS, layout);
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        match T::read(&RowReader::new(&binding, record)) {
            Ok(row) => rows.push(row),
            Err(e) => unreadable.push(UnreadableRecord {
                line: e.line,
                item_no: e.item_no,
                message: e.message,
            }),
        }
    }
    rows
}

/// Reads a standard file. A record that does not fit the layout (another CSV version, a wrong item
/// count, a value that does not parse) is listed in `unreadable` rather than failing the file; a
/// file that is not a standard file at all (its name, its encoding, its CSV version) fails.
pub fn read_file(name: &str, bytes: &[u8]) -> Result<StandardFile, NotStandard> {
    let fail = |message: String| NotStandard {
        file: name.to_owned(),
        message,
    };
    let parsed = FileName::parse(name)
        .map_err(|d| fail(format!("標準仕様のファイル名ではありません。{}", d.message)))?;
    let name_info = NameInfo::of(&parsed);
    if parsed.kind.is_image() {
        return Ok(StandardFile {
            name: name.to_owned(),
            name_info,
            csv_version: None,
            content: FileContent::FamilyPicture {
                bytes: bytes.len() as u32,
            },
            unreadable: Vec::new(),
            line_ending: LineEnding::Crlf,
            final_line_break: false,
            empty_text_quoted: true,
        });
    }
    let table = read_csv(bytes).map_err(|d| fail(d.message))?;
    let records: Vec<Record<'_>> = table.records().collect();
    let version_text = records[0].get(0).unwrap_or_default();
    let version = CsvVersion::parse(&version_text).ok_or_else(|| {
        fail(format!(
            "1行目のCSVバージョン「{version_text}」は標準仕様の値（202407 または 202208）ではありません。見出し行のあるファイルや、標準仕様以外の形式のCSVは読めません。"
        ))
    })?;
    let layout = layout(parsed.kind, version).ok_or_else(|| {
        fail(format!(
            "{}はCSVバージョン {version} にはない種類のファイルです。",
            parsed.kind.japanese_name()
        ))
    })?;
    let mut unreadable = Vec::new();
    let fitting: Vec<Record<'_>> = records
        .iter()
        .copied()
        .filter(|record| {
            let fits = record.get(0).as_deref() == Some(version.as_str())
                && record.len() == layout.items.len();
            if !fits {
                unreadable.push(UnreadableRecord {
                    line: record.line(),
                    item_no: None,
                    message: format!(
                        "このレコードは{}（CSVバージョン {version}、{}項目）の形になっていません（{}項目）。",
                        parsed.kind.japanese_name(),
                        layout.items.len(),
                        record.len()
                    ),
                });
            }
            fits
        })
        .collect();
    let content = read_content(parsed.kind, layout, &fitting, &mut unreadable);
    let free_text: Vec<usize> = (0..layout.items.len())
        .filter(|&i| matches!(layout.items[i].format, Format::FreeText))
        .collect();
    let empty_text_quoted = fitting
        .iter()
        .flat_map(|r| free_text.iter().map(move |&i| (r, i)))
        .find(|(r, i)| r.get(*i).is_some_and(|v| v.is_empty()))
        .is_none_or(|(r, i)| r.is_quoted(i));
    let text = table.text();
    let first_break = text.find('\n');
    let line_ending = match first_break {
        Some(at) if at > 0 && text.as_bytes()[at - 1] == b'\r' => LineEnding::Crlf,
        Some(_) => LineEnding::Lf,
        None => LineEnding::Crlf,
    };
    Ok(StandardFile {
        name: name.to_owned(),
        name_info,
        csv_version: Some(version.as_str().to_owned()),
        content,
        unreadable,
        line_ending,
        final_line_break: text.ends_with('\n'),
        empty_text_quoted,
    })
}

fn read_content(
    kind: FileKind,
    layout: &Layout,
    records: &[Record<'_>],
    unreadable: &mut Vec<UnreadableRecord>,
) -> FileContent {
    use FileContent as C;
    match kind {
        FileKind::Hosoku => C::SupplementInfo(rows_of(layout, records, unreadable)),
        FileKind::Plan1 => C::Plan1(rows_of(layout, records, unreadable)),
        FileKind::Plan2 => {
            let mut rows: Vec<Plan2Row> = rows_of(layout, records, unreadable);
            crate::plan2::mark_continuations(&mut rows);
            C::Plan2(rows)
        }
        FileKind::Plan3 => C::Plan3(rows_of(layout, records, unreadable)),
        FileKind::Plan1Delete => C::Plan1Delete(rows_of(layout, records, unreadable)),
        FileKind::UsePlan => C::UsePlan(rows_of(layout, records, unreadable)),
        FileKind::UseActual => C::UseActual(rows_of(layout, records, unreadable)),
        FileKind::UsePlanDelete => C::UsePlanDelete(rows_of(layout, records, unreadable)),
        FileKind::UseActualDelete => C::UseActualDelete(rows_of(layout, records, unreadable)),
        FileKind::UseSupplement => C::Supplement(rows_of(layout, records, unreadable)),
        FileKind::Kihon => C::BasicInfo(rows_of(layout, records, unreadable)),
        FileKind::KihonSub1 => C::BasicInfoSchedule(rows_of(layout, records, unreadable)),
        FileKind::KihonSub2 => C::BasicInfoHistory(rows_of(layout, records, unreadable)),
        FileKind::KihonDelete => C::BasicInfoDelete(rows_of(layout, records, unreadable)),
        FileKind::Yobo => C::PreventionPlan(rows_of(layout, records, unreadable)),
        FileKind::YoboSub => {
            let mut rows: Vec<PreventionPlanDetailRow> = rows_of(layout, records, unreadable);
            crate::plan2::mark_detail_continuations(&mut rows);
            C::PreventionPlanDetail(rows)
        }
        FileKind::YoboDelete => C::PreventionPlanDelete(rows_of(layout, records, unreadable)),
        FileKind::KihonImage => unreachable!("the picture is not CSV"),
    }
}

/// Why a file cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError(pub String);

fn encode_item(out: &mut String, value: &str, quoted: bool) {
    if quoted || value.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn write_rows<T: RecordType>(layout: &Layout, rows: &[T], out: &mut Vec<Vec<String>>) {
    let binding = Binding::new(T::FIELDS, layout);
    for row in rows {
        let mut writer = RowWriter::new(&binding);
        row.write(&mut writer);
        out.push(writer.into_items());
    }
}

/// Writes the file's records back in the standard's form: CP932, free text in double quotes,
/// other items bare, the file's own line ending. A file read from a valid standard file is written
/// back to the same bytes (numbers lose leading zeros, which no valid fixture has).
pub fn write_file(file: &StandardFile) -> Result<Vec<u8>, WriteError> {
    use FileContent as C;
    let parsed = FileName::parse(&file.name).map_err(|d| WriteError(d.message.clone()))?;
    let version = file
        .csv_version
        .as_deref()
        .and_then(CsvVersion::parse)
        .ok_or_else(|| WriteError("CSVバージョンがありません。".to_owned()))?;
    let layout = layout(parsed.kind, version)
        .ok_or_else(|| WriteError("このCSVバージョンにない種類のファイルです。".to_owned()))?;
    let mut items = Vec::new();
    match &file.content {
        C::SupplementInfo(r) => write_rows(layout, r, &mut items),
        C::Plan1(r) => write_rows(layout, r, &mut items),
        C::Plan2(r) => write_rows(layout, r, &mut items),
        C::Plan3(r) => write_rows(layout, r, &mut items),
        C::Plan1Delete(r) => write_rows(layout, r, &mut items),
        C::UsePlan(r) | C::UseActual(r) => write_rows(layout, r, &mut items),
        C::UsePlanDelete(r) => write_rows(layout, r, &mut items),
        C::UseActualDelete(r) => write_rows(layout, r, &mut items),
        C::Supplement(r) => write_rows(layout, r, &mut items),
        C::BasicInfo(r) => write_rows(layout, r, &mut items),
        C::BasicInfoSchedule(r) => write_rows(layout, r, &mut items),
        C::BasicInfoHistory(r) => write_rows(layout, r, &mut items),
        C::BasicInfoDelete(r) => write_rows(layout, r, &mut items),
        C::PreventionPlan(r) => write_rows(layout, r, &mut items),
        C::PreventionPlanDetail(r) => write_rows(layout, r, &mut items),
        C::PreventionPlanDelete(r) => write_rows(layout, r, &mut items),
        C::FamilyPicture { .. } => {
            return Err(WriteError("家族構成の画像はCSVではありません。".to_owned()))
        }
    }
    let newline = match file.line_ending {
        LineEnding::Crlf => "\r\n",
        LineEnding::Lf => "\n",
    };
    let mut text = String::new();
    for (n, row) in items.iter().enumerate() {
        if n > 0 {
            text.push_str(newline);
        }
        for (i, value) in row.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            let free_text = matches!(layout.items[i].format, Format::FreeText);
            encode_item(
                &mut text,
                value,
                free_text && (file.empty_text_quoted || !value.is_empty()),
            );
        }
    }
    if file.final_line_break && !items.is_empty() {
        text.push_str(newline);
    }
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    if unmappable {
        return Err(WriteError(
            "Shift-JIS（MS932）にない文字が含まれています。".to_owned(),
        ));
    }
    Ok(bytes.into_owned())
}

/// The fields of the record type of a file kind (`None` for the picture), for checks and
/// documentation.
pub fn fields_of(kind: FileKind) -> Option<&'static [crate::record::FieldItem]> {
    Some(match kind {
        FileKind::Hosoku => SupplementInfoRow::FIELDS,
        FileKind::Plan1 => Plan1Row::FIELDS,
        FileKind::Plan2 => Plan2Row::FIELDS,
        FileKind::Plan3 => Plan3Row::FIELDS,
        FileKind::Plan1Delete => Plan1DeleteRow::FIELDS,
        FileKind::UsePlan | FileKind::UseActual => UseSheetRow::FIELDS,
        FileKind::UsePlanDelete => UsePlanDeleteRow::FIELDS,
        FileKind::UseActualDelete => UseActualDeleteRow::FIELDS,
        FileKind::UseSupplement => SupplementRow::FIELDS,
        FileKind::Kihon => BasicInfoRow::FIELDS,
        FileKind::KihonSub1 => BasicInfoScheduleRow::FIELDS,
        FileKind::KihonSub2 => BasicInfoHistoryRow::FIELDS,
        FileKind::KihonDelete => BasicInfoDeleteRow::FIELDS,
        FileKind::Yobo => PreventionPlanRow::FIELDS,
        FileKind::YoboSub => PreventionPlanDetailRow::FIELDS,
        FileKind::YoboDelete => PreventionPlanDeleteRow::FIELDS,
        FileKind::KihonImage => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every item of every layout is read by exactly one field, whose type reads the item's format;
    /// a field that may not be empty reads only required items; a field whose item a CSV version
    /// lacks is optional. This is what makes "a record that validates reads" hold by construction.
    #[test]
    fn every_item_of_every_layout_is_bound_once_to_a_compatible_field() {
        for &kind in FileKind::ALL {
            let Some(fields) = fields_of(kind) else {
                continue;
            };
            for &version in CsvVersion::ALL {
                let Some(layout) = layout(kind, version) else {
                    continue;
                };
                let binding = Binding::new(fields, layout);
                let mut bound = vec![0; layout.items.len()];
                for (slot, field) in fields.iter().enumerate() {
                    match binding.index(slot) {
                        Some(index) => {
                            bound[index] += 1;
                            let spec = &layout.items[index];
                            assert!(
                                field.kind.reads(spec.format),
                                "{kind} {version}: {} cannot read {:?}",
                                field.field,
                                spec.format
                            );
                            assert!(
                                field.optional || spec.required,
                                "{kind} {version}: {} may be empty in the file",
                                field.field
                            );
                        }
                        None => assert!(
                            field.optional,
                            "{kind} {version}: {} ({}) is not in this layout",
                            field.field, field.item
                        ),
                    }
                }
                for (index, count) in bound.iter().enumerate() {
                    assert_eq!(
                        *count,
                        1,
                        "{kind} {version}: item No.{} {} is bound {count} times",
                        index + 1,
                        layout.items[index].name
                    );
                }
            }
        }
    }
}
