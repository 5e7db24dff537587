//! Reading the register's bulk import: a CSV of offices, one per line, as a prefecture or a
//! care-software vendor hands it over (often saved from Excel, so UTF-8 with a BOM or Shift_JIS).
//!
//! Columns: 事業所番号, 事業所名, サービス種類 (one or more codes separated by spaces, `;`, `/`,
//! `|`, `、` or commas inside quotes), 都道府県, 市区町村, 事業所ユーザID (KJ…), 初期パスワード.
//! A first line starting with 事業所番号 is a header. Every problem is reported with its line number,
//! and a file with any problem registers nothing.

use std::collections::HashSet;

use crate::register::{check_office, check_password, check_user_id};
use crate::store::{OfficeRow, UserTable};

const COLUMNS: usize = 7;

/// One line of the file, checked.
#[derive(Debug, Clone)]
pub struct ImportedOffice {
    /// 1-based line number in the file, for messages.
    pub line: usize,
    pub office: OfficeRow,
    pub office_user_id: String,
    pub password: String,
}

/// Decodes UTF-8 (a BOM is dropped) or, failing that, Shift_JIS (Windows code page 932).
fn decode(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if had_errors {
        return Err("ファイルの文字コードが UTF-8 でも Shift_JIS でもありません。".into());
    }
    Ok(text.into_owned())
}

fn split_kinds(cell: &str) -> Vec<String> {
    cell.split([' ', '　', ',', ';', '/', '|', '、'])
        .map(str::trim)
        .filter(|kind| !kind.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Reads and checks every line; returns the offices, or every problem found (in Japanese, with
/// line numbers).
pub fn parse(bytes: &[u8]) -> Result<Vec<ImportedOffice>, Vec<String>> {
    let text = decode(bytes).map_err(|e| vec![e])?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut offices = Vec::new();
    let mut problems = Vec::new();
    let (mut numbers, mut user_ids) = (HashSet::new(), HashSet::new());
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(format!(
                    "{line}行目: CSV として読めません（引用符の対応など）。"
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if line == 1 && cells[0].starts_with("事業所番号") {
            continue;
        }
        if cells.len() != COLUMNS {
            problems.push(format!(
                "{line}行目: 項目が{}個あります。{COLUMNS}個（事業所番号, 事業所名, サービス種類, 都道府県, 市区町村, 事業所ユーザID, 初期パスワード）にしてください。",
                cells.len()
            ));
            continue;
        }
        let imported = ImportedOffice {
            line,
            office: OfficeRow {
                number: cells[0].to_owned(),
                name: cells[1].to_owned(),
                service_kinds: split_kinds(cells[2]),
                prefecture: cells[3].to_owned(),
                city: cells[4].to_owned(),
            },
            office_user_id: cells[5].to_owned(),
            password: cells[6].to_owned(),
        };
        let checks = [
            check_office(&imported.office),
            check_user_id(UserTable::Office, &imported.office_user_id),
            check_password(&imported.password),
        ];
        let mut row_ok = true;
        for problem in checks.into_iter().filter_map(Result::err) {
            problems.push(format!("{line}行目: {problem}"));
            row_ok = false;
        }
        if !numbers.insert(imported.office.number.clone()) {
            problems.push(format!(
                "{line}行目: 事業所番号 {} がファイル内で重複しています。",
                imported.office.number
            ));
            row_ok = false;
        }
        if !user_ids.insert(imported.office_user_id.clone()) {
            problems.push(format!(
                "{line}行目: 事業所ユーザID {} がファイル内で重複しています。",
                imported.office_user_id
            ));
            row_ok = false;
        }
        if row_ok {
            offices.push(imported);
        }
    }
    if offices.is_empty() && problems.is_empty() {
        problems.push("登録する事業所が1件もありません。".into());
    }
    if problems.is_empty() {
        Ok(offices)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "事業所番号,事業所名,サービス種類,都道府県,市区町村,事業所ユーザID,初期パスワード\n";

    #[test]
    fn reads_a_file_with_header_bom_and_several_kinds() {
        let text = format!(
            "\u{FEFF}{HEADER}1370000018,ひだまり居宅介護支援事業所,43,東京都,新宿区,KJ137000001801,initial-pass-1\n\
             1370000026,さくら訪問介護,\"11,15\",東京都,新宿区,KJ137000002601,initial-pass-2\n\n"
        );
        let offices = parse(text.as_bytes()).unwrap();
        assert_eq!(offices.len(), 2);
        assert_eq!(offices[1].office.service_kinds, vec!["11", "15"]);
        assert_eq!(offices[1].line, 3);
        assert_eq!(offices[0].office_user_id, "KJ137000001801");
    }

    #[test]
    fn reads_shift_jis_from_excel() {
        let text = "1370000018,ひだまり,43 46,東京都,新宿区,KJ137000001801,initial-pass-1\r\n";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let offices = parse(&bytes).unwrap();
        assert_eq!(offices[0].office.name, "ひだまり");
        assert_eq!(offices[0].office.service_kinds, vec!["43", "46"]);
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let text = format!(
            "{HEADER}137000001,名前,43,東京都,新宿区,KJ137000001801,initial-pass-1\n\
             1370000018,ひだまり,99,東京都,新宿区,XX1,short\n\
             1370000018,ひだまり,43,東京都,新宿区\n\
             1370000026,さくら,11,東京都,新宿区,KJ137000002601,initial-pass-2\n\
             1370000026,さくら,11,東京都,新宿区,KJ137000002601,initial-pass-2\n"
        );
        let problems = parse(text.as_bytes()).unwrap_err();
        let joined = problems.join("\n");
        for expected in [
            "2行目: 事業所番号",
            "3行目: サービス種類コード「99」は存在しません。",
            "3行目: 事業所ユーザID「XX1」",
            "3行目: パスワードは8文字以上",
            "4行目: 項目が5個あります。",
            "6行目: 事業所番号 1370000026 がファイル内で重複しています。",
            "6行目: 事業所ユーザID KJ137000002601 がファイル内で重複しています。",
        ] {
            assert!(joined.contains(expected), "{expected} in\n{joined}");
        }
        assert_eq!(problems.len(), 7, "{joined}");
    }

    #[test]
    fn an_empty_file_or_undecodable_bytes_are_refused() {
        assert_eq!(
            parse(HEADER.as_bytes()).unwrap_err(),
            vec!["登録する事業所が1件もありません。"]
        );
        assert!(parse(b"\x82\xA0\xFF\xFF,x\n").unwrap_err()[0].contains("文字コード"));
    }
}
