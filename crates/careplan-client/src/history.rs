//! 送受信履歴 from the relay: a page for the screen, every page of a period for an export, and the
//! export itself as CSV for Excel (CP932), shared by the desktop app and `careplan history`.

use careplan_api::{HistoryDirection, HistoryEntry, HistoryPage, HistoryQuery};
use careplan_spec::filename::FileKind;
use reqwest::Method;

use crate::connection::{json, RelayClient};
use crate::error::ClientError;

/// Rows an export takes at most: a busy office's whole year, a little more than the benchmark's
/// 10^5 files. Past it the period is to be cut.
pub const EXPORT_MAX_ROWS: usize = 120_000;

/// Rows a page of an export asks for: the relay's most.
const EXPORT_PAGE: u32 = 200;

/// Every row of a period, and the last page's facts (key id, time of the answer).
#[derive(Debug, Clone)]
pub struct HistoryExport {
    pub items: Vec<HistoryEntry>,
    pub from: String,
    pub to: String,
    pub receipt_key_id: String,
    pub generated_at: String,
}

impl RelayClient {
    /// A page of 送受信履歴.
    pub async fn history(&self, query: &HistoryQuery) -> Result<HistoryPage, ClientError> {
        json(self.request(Method::GET, "/v1/history").query(query)).await
    }

    /// Every row the filter matches, page after page; refused (`history.too_many`) before it reads
    /// more than `max_rows`.
    pub async fn history_all(
        &self,
        query: &HistoryQuery,
        max_rows: usize,
    ) -> Result<HistoryExport, ClientError> {
        let mut items = Vec::new();
        let mut page_number = 1;
        loop {
            let asked = HistoryQuery {
                page: Some(page_number),
                per_page: Some(EXPORT_PAGE),
                ..query.clone()
            };
            let page = self.history(&asked).await?;
            if page.total as usize > max_rows {
                return Err(too_many(page.total, max_rows));
            }
            let last = page.items.len() < EXPORT_PAGE as usize
                || (page_number as u64) * u64::from(EXPORT_PAGE) >= page.total;
            items.extend(page.items);
            if last {
                return Ok(HistoryExport {
                    items,
                    from: page.from,
                    to: page.to,
                    receipt_key_id: page.receipt_key_id,
                    generated_at: page.generated_at,
                });
            }
            page_number += 1;
        }
    }
}

fn too_many(total: u64, max_rows: usize) -> ClientError {
    ClientError::local(
        "history.too_many",
        format!(
            "この期間の送受信は {total} 件あり、一度に出力できる {max_rows} 件を超えています。期間を短くするか、相手先や種類で絞り込んでから出力してください。"
        ),
    )
}

/// 送信 / 受信.
pub fn direction_japanese(direction: HistoryDirection) -> &'static str {
    match direction {
        HistoryDirection::Sent => "送信",
        HistoryDirection::Received => "受信",
    }
}

/// The kind of a row in words: the standard's name of its prefix, or PDF等.
pub fn kind_japanese(entry: &HistoryEntry) -> String {
    entry
        .kind
        .as_deref()
        .and_then(FileKind::from_prefix)
        .map(|k| k.japanese_name().to_owned())
        .unwrap_or_else(|| "PDF等".to_owned())
}

/// Later versions as one cell: `UP1KYO_…（20250410100000、取得 2025-04-11T…）`.
fn later_cell(entry: &HistoryEntry) -> String {
    entry
        .later_versions
        .iter()
        .map(|v| {
            let taken = match &v.fetched_at {
                Some(at) => format!("取得 {at}"),
                None => "未取得".to_owned(),
            };
            format!("{}（{}、{taken}）", v.name, v.serial)
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Text that came from someone else (a name in a file, a terminal name) must not run as a formula
/// when the CSV opens in a spreadsheet.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

pub const CSV_HEADER: [&str; 21] = [
    "区分",
    "相手先事業所番号",
    "相手先事業所名",
    "送信日時",
    "送信者ID",
    "送信者名",
    "送信端末",
    "ファイル名",
    "種類",
    "対象年月",
    "ファイル連番",
    "内容",
    "利用者",
    "大きさ（バイト）",
    "SHA-256",
    "取得日時",
    "取得者ID",
    "取得者名",
    "取得端末",
    "受領証の署名",
    "後の版",
];

/// The rows as CSV for Excel: CP932, CRLF, a header row, one row per file.
pub fn history_csv(entries: &[HistoryEntry]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(CSV_HEADER).expect("writing to memory");
    for e in entries {
        let fetched = e.fetched_by.as_ref();
        let row = [
            direction_japanese(e.direction).to_owned(),
            e.partner.number.clone(),
            cell(&e.partner.name),
            e.sent_at.clone(),
            cell(e.sent_by.person_id.as_deref().unwrap_or_default()),
            cell(e.sent_by.person_name.as_deref().unwrap_or_default()),
            cell(e.sent_by.terminal.as_deref().unwrap_or_default()),
            cell(&e.name),
            kind_japanese(e),
            e.target_month.clone().unwrap_or_default(),
            e.serial.clone().unwrap_or_default(),
            cell(e.unit_title.as_deref().unwrap_or_default()),
            cell(&e.people.join("、")),
            e.size.to_string(),
            e.sha256.clone(),
            e.fetched_at.clone().unwrap_or_else(|| "未取得".to_owned()),
            cell(
                fetched
                    .and_then(|f| f.person_id.as_deref())
                    .unwrap_or_default(),
            ),
            cell(
                fetched
                    .and_then(|f| f.person_name.as_deref())
                    .unwrap_or_default(),
            ),
            cell(
                fetched
                    .and_then(|f| f.terminal.as_deref())
                    .unwrap_or_default(),
            ),
            // Base64 may start with `+`.
            cell(e.receipt_signature.as_deref().unwrap_or_default()),
            cell(&later_cell(e)),
        ];
        writer.write_record(row).expect("writing to memory");
    }
    let text = String::from_utf8(writer.into_inner().expect("writing to memory"))
        .expect("the CSV is built from strings");
    // Names come from CP932 files and the register; a character outside CP932 becomes a numeric
    // character reference rather than failing the export.
    encoding_rs::SHIFT_JIS.encode(&text).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use careplan_api::{FileCategory, HistoryActor, HistoryOffice, LaterVersion};

    fn entry() -> HistoryEntry {
        HistoryEntry {
            direction: HistoryDirection::Sent,
            partner: HistoryOffice {
                number: "1370000026".into(),
                name: "ひまわりヘルパーステーション".into(),
            },
            message_id: "m1".into(),
            file_id: "f1".into(),
            name: "UP1KYO_1370000018_43_1370000026_11_20250401093000.CSV".into(),
            category: FileCategory::Register,
            kind: Some("UP1KYO".into()),
            target_month: None,
            serial: Some("20250401093000".into()),
            unit_title: Some("居宅サービス計画書 第1〜3表".into()),
            people: vec!["山田　花子".into()],
            size: 1234,
            sha256: "ab".repeat(32),
            sent_at: "2025-04-01T09:31:00+09:00".into(),
            sent_by: HistoryActor {
                person_id: Some("c0001".into()),
                person_name: Some("佐藤 一郎".into()),
                terminal: Some("=HYPERLINK(\"x\")".into()),
            },
            fetched_at: Some("2025-04-02T10:00:00+09:00".into()),
            fetched_by: Some(HistoryActor {
                person_id: Some("c0101".into()),
                person_name: None,
                terminal: Some("事務所PC".into()),
            }),
            expired_at: None,
            receipt_signature: Some("c2lnbmF0dXJl".into()),
            later_versions: vec![LaterVersion {
                file_id: "f2".into(),
                name: "UP1KYO_1370000018_43_1370000026_11_20250410100000.CSV".into(),
                serial: "20250410100000".into(),
                sent_at: "2025-04-10T10:01:00+09:00".into(),
                fetched_at: None,
            }],
        }
    }

    fn decoded(bytes: &[u8]) -> Vec<Vec<String>> {
        let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
        assert!(!had_errors, "the export is CP932");
        assert!(text.contains("\r\n"), "CRLF for Excel");
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn the_csv_is_cp932_with_one_row_per_file_under_the_header() {
        let bytes = history_csv(&[entry()]);
        let (text, ..) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(text.starts_with("区分,相手先事業所番号,相手先事業所名,送信日時,"));
        let rows = decoded(&bytes);
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row.len(), CSV_HEADER.len());
        let at = |name: &str| &row[CSV_HEADER.iter().position(|h| *h == name).unwrap()];
        assert_eq!(at("区分"), "送信");
        assert_eq!(at("相手先事業所名"), "ひまわりヘルパーステーション");
        assert_eq!(at("種類"), "居宅サービス計画書（第1表）");
        assert_eq!(at("利用者"), "山田　花子");
        assert_eq!(at("取得者ID"), "c0101");
        assert_eq!(at("受領証の署名"), "c2lnbmF0dXJl");
        assert_eq!(
            at("後の版"),
            "UP1KYO_1370000018_43_1370000026_11_20250410100000.CSV（20250410100000、未取得）"
        );
    }

    #[test]
    fn typed_text_cannot_run_as_a_formula_and_a_file_not_taken_says_so() {
        let mut e = entry();
        e.fetched_at = None;
        e.fetched_by = None;
        e.people = vec!["-1+2".into()];
        let rows = decoded(&history_csv(&[e]));
        let row = &rows[0];
        assert_eq!(row[6], "'=HYPERLINK(\"x\")");
        assert_eq!(row[12], "'-1+2");
        assert_eq!(row[15], "未取得");
        assert_eq!(row[16], "");
    }

    #[test]
    fn an_empty_period_is_the_header_alone() {
        let rows = decoded(&history_csv(&[]));
        assert!(rows.is_empty());
    }
}
