//! Reading standard CSV bytes (standard §2.1): Shift-JIS (MS932 / CP932), comma separated, free text
//! in double quotes with `""` for a quote and line breaks allowed inside, CRLF (or LF) between records,
//! no header row.
//!
//! The parser is written here rather than taken from the `csv` crate because the standard's receivers
//! need *strict* reading: the `csv` crate accepts an unterminated quote or text after a closing quote
//! without a word, and those are exactly the files that break an importer on the other side. Decoding
//! is `encoding_rs` (its `Shift_JIS` is the WHATWG one, i.e. Windows-31J = MS932 with the NEC and IBM
//! extensions).

use std::borrow::Cow;
use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic};

/// A decoded, split CSV file. Fields are ranges into the decoded text, so reading a large file makes
/// three allocations, not one per field.
#[derive(Debug, Clone)]
pub struct CsvTable {
    text: String,
    records: Vec<RecordSpan>,
    fields: Vec<FieldSpan>,
}

#[derive(Debug, Clone)]
struct RecordSpan {
    line: u32,
    fields: Range<u32>,
}

#[derive(Debug, Clone)]
struct FieldSpan {
    /// Inside the quotes, for a quoted field.
    text: Range<u32>,
    quoted: bool,
    /// A quoted field holding `""`, which must be unescaped to read its value.
    escaped_quote: bool,
}

/// One record (one logical CSV line).
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    table: &'a CsvTable,
    span: &'a RecordSpan,
}

impl CsvTable {
    pub fn records(&self) -> impl ExactSizeIterator<Item = Record<'_>> + '_ {
        self.records
            .iter()
            .map(move |span| Record { table: self, span })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The whole decoded text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl<'a> Record<'a> {
    /// The 1-based physical line the record starts on.
    pub fn line(&self) -> u32 {
        self.span.line
    }

    /// The number of items (fields).
    pub fn len(&self) -> usize {
        self.span.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.span.fields.is_empty()
    }

    fn field(&self, index: usize) -> Option<&'a FieldSpan> {
        let start = self.span.fields.start as usize;
        (index < self.len()).then(|| &self.table.fields[start + index])
    }

    /// The value of item `index` (0-based), with `""` unescaped; `None` past the last item.
    pub fn get(&self, index: usize) -> Option<Cow<'a, str>> {
        let field = self.field(index)?;
        let raw = &self.table.text[field.text.start as usize..field.text.end as usize];
        Some(if field.escaped_quote {
            Cow::Owned(raw.replace("\"\"", "\""))
        } else {
            Cow::Borrowed(raw)
        })
    }

    /// Whether item `index` was written in double quotes.
    pub fn is_quoted(&self, index: usize) -> bool {
        self.field(index).is_some_and(|f| f.quoted)
    }

    /// All values, for tests and diagnostics.
    pub fn values(&self) -> Vec<Cow<'a, str>> {
        (0..self.len()).filter_map(|i| self.get(i)).collect()
    }
}

/// 1-based line number of a byte offset.
fn line_at(bytes: &[u8], offset: usize) -> u32 {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
}

/// Checks the encoding of a CSV file and decodes it from CP932.
///
/// CP932 is ASCII-compatible and its second bytes are never below 0x40, so a control byte anywhere in
/// the raw bytes is really a control character, and `"`, `,`, CR and LF are never part of a
/// double-byte character.
pub fn decode_cp932(bytes: &[u8]) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(Diagnostic::new(
            Code::CsvEncodingBom,
            "ファイルの先頭にBOM（UTF-8の印）があります。標準仕様のCSVはShift-JIS（MS932）でBOMなしです。介護ソフトの出力設定を確認し、Shift-JISで出力し直してください。",
        )
        .at_line(1));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::new(
            Code::CsvEncodingBom,
            "ファイルの先頭にBOM（UTF-16の印）があります。標準仕様のCSVはShift-JIS（MS932）でBOMなしです。介護ソフトの出力設定を確認し、Shift-JISで出力し直してください。",
        )
        .at_line(1));
    }
    if let Some(offset) = find_control_byte(bytes) {
        return Err(Diagnostic::new(
            Code::CsvBinary,
            format!(
                "CSVには使えない制御文字（0x{:02X}）が含まれています。CSVではないファイル（Excelファイルや画像など）か、壊れたファイルの可能性があります。介護ソフトから出力し直してください。",
                bytes[offset]
            ),
        )
        .at_line(line_at(bytes, offset)));
    }
    if !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        return Err(Diagnostic::new(
            Code::CsvEncodingUtf8,
            "文字コードがUTF-8になっています。標準仕様のCSVはShift-JIS（MS932）でなければなりません。Excelなどで保存し直したファイルではなく、介護ソフトが出力したファイルをそのまま使ってください。",
        )
        .at_line(1));
    }
    let mut decoder = encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .ok_or_else(|| Diagnostic::new(Code::CsvBinary, "ファイルが大きすぎて読めません。"))?;
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => {}
        encoding_rs::DecoderResult::OutputFull => {
            unreachable!("the buffer was sized for the worst case")
        }
        encoding_rs::DecoderResult::Malformed(bad, _) => {
            let offset = read.saturating_sub(usize::from(bad));
            return Err(Diagnostic::new(
            Code::CsvEncodingNotCp932,
            "Shift-JIS（MS932）として読めない文字があります。文字コードが違うか、ファイルが壊れています。介護ソフトからShift-JISで出力し直してください。",
        )
        .at_line(line_at(bytes, offset)));
        }
    }
    // Shift-JIS's user-defined area (外字, F040–F9FC) decodes into Unicode's private use area.
    if let Some(position) = find_private_use(&text) {
        let line = 1 + text[..position].matches('\n').count() as u32;
        return Err(Diagnostic::new(
            Code::CsvEncodingGaiji,
            "外字（その端末だけで作った文字）が含まれています。外字は相手の事業所で読めません。氏名などの外字を通常の文字に置き換えてから出力し直してください。",
        )
        .at_line(line));
    }
    Ok(text)
}

fn is_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\r' | b'\n' | b'\t')) || b == 0x7F
}

/// The first byte matching `predicate`, scanning in branch-free blocks (which the compiler
/// vectorises) and looking for the exact position only inside a block that has one.
fn find_byte(bytes: &[u8], predicate: impl Fn(u8) -> bool) -> Option<usize> {
    const BLOCK: usize = 64;
    bytes.chunks(BLOCK).enumerate().find_map(|(i, block)| {
        if block.iter().fold(false, |found, &b| found | predicate(b)) {
            block
                .iter()
                .position(|&b| predicate(b))
                .map(|p| i * BLOCK + p)
        } else {
            None
        }
    })
}

/// The first control byte other than CR, LF and tab.
fn find_control_byte(bytes: &[u8]) -> Option<usize> {
    find_byte(bytes, is_control)
}

/// Byte offset of the first character in U+E000–U+F8FF. In UTF-8 those start with 0xEE, or 0xEF
/// followed by 0x80–0xA3; full-width forms (U+FF00…) also start with 0xEF and are fine.
fn find_private_use(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = find_byte(&bytes[from..], |b| b >= 0xEE) {
        let at = from + offset;
        match (bytes[at], bytes.get(at + 1)) {
            (0xEE, _) => return Some(at),
            (0xEF, Some(&next)) if next <= 0xA3 => return Some(at),
            _ => from = at + 1,
        }
    }
    None
}

/// Reads a standard CSV file: checks the encoding, decodes CP932 and splits records and fields.
/// Stops at the first problem, since nothing after a broken quote can be trusted.
pub fn read_csv(bytes: &[u8]) -> Result<CsvTable, Diagnostic> {
    let text = decode_cp932(bytes)?;
    parse_text(text)
}

/// Splits decoded text into records and fields.
pub fn parse_text(text: String) -> Result<CsvTable, Diagnostic> {
    if text.len() > u32::MAX as usize {
        return Err(Diagnostic::new(
            Code::CsvBinary,
            "ファイルが大きすぎます（4GB以上）。",
        ));
    }
    let bytes = text.as_bytes();
    let mut records = Vec::new();
    let mut fields = Vec::with_capacity(bytes.len() / 6);
    let mut line: u32 = 1;
    let mut pos = 0usize;

    while pos < bytes.len() {
        let record_line = line;
        let first_field = fields.len() as u32;
        // Fields of one record.
        loop {
            if bytes.get(pos) == Some(&b'"') {
                let open_line = line;
                let start = pos + 1;
                let mut cursor = start;
                let mut escaped_quote = false;
                let end = loop {
                    let Some(offset) = memchr_quote_or_newline(&bytes[cursor..]) else {
                        return Err(Diagnostic::new(
                            Code::CsvQuoteUnterminated,
                            "ダブルクォート（\"）で始まった項目が、ファイルの最後まで閉じられていません。項目の中の「\"」は「\"\"」と2つ重ねて書く決まりです。介護ソフトから出力し直してください。",
                        )
                        .at_line(open_line));
                    };
                    cursor += offset;
                    if bytes[cursor] == b'\n' {
                        line += 1;
                        cursor += 1;
                        continue;
                    }
                    // A quote: doubled means a literal quote, single means the end of the field.
                    if bytes.get(cursor + 1) == Some(&b'"') {
                        escaped_quote = true;
                        cursor += 2;
                        continue;
                    }
                    break cursor;
                };
                fields.push(FieldSpan {
                    text: start as u32..end as u32,
                    quoted: true,
                    escaped_quote,
                });
                pos = end + 1;
                match bytes.get(pos) {
                    None | Some(b',' | b'\r' | b'\n') => {}
                    Some(_) => {
                        return Err(Diagnostic::new(
                            Code::CsvQuoteStray,
                            "ダブルクォート（\"）で閉じた項目のすぐ後ろに文字があります。項目の中の「\"」は「\"\"」と2つ重ねて書く決まりです。介護ソフトから出力し直してください。",
                        )
                        .at_line(line))
                    }
                }
            } else {
                let start = pos;
                while pos < bytes.len() && !matches!(bytes[pos], b',' | b'\r' | b'\n') {
                    if bytes[pos] == b'"' {
                        return Err(Diagnostic::new(
                            Code::CsvQuoteStray,
                            "ダブルクォート（\"）で囲まれていない項目の途中に「\"」があります。「\"」を含む項目は全体を「\"」で囲み、中の「\"」は「\"\"」と書く決まりです。介護ソフトから出力し直してください。",
                        )
                        .at_line(line));
                    }
                    pos += 1;
                }
                fields.push(FieldSpan {
                    text: start as u32..pos as u32,
                    quoted: false,
                    escaped_quote: false,
                });
            }
            match bytes.get(pos) {
                Some(b',') => pos += 1,
                Some(b'\r') => {
                    pos += 1;
                    if bytes.get(pos) == Some(&b'\n') {
                        pos += 1;
                    }
                    line += 1;
                    break;
                }
                Some(b'\n') => {
                    pos += 1;
                    line += 1;
                    break;
                }
                None => break,
                Some(_) => unreachable!("fields end at a separator, a line end or the end"),
            }
        }
        records.push(RecordSpan {
            line: record_line,
            fields: first_field..fields.len() as u32,
        });
    }

    // Blank lines at the very end are a common export artefact, not a record.
    while let Some(last) = records.last() {
        let blank = last.fields.len() == 1 && {
            let f = &fields[last.fields.start as usize];
            !f.quoted && f.text.is_empty()
        };
        if !blank {
            break;
        }
        fields.truncate(last.fields.start as usize);
        records.pop();
    }

    if records.is_empty() {
        return Err(Diagnostic::new(
            Code::CsvEmpty,
            "ファイルにデータ（レコード）が1件もありません。空のファイルは送れません。介護ソフトで対象の利用者を選んで出力し直してください。",
        ));
    }
    Ok(CsvTable {
        text,
        records,
        fields,
    })
}

/// Position of the next `"` or `\n`.
fn memchr_quote_or_newline(haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == b'"' || b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sjis(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!unmappable, "test text must be CP932");
        bytes.into_owned()
    }

    fn rows(text: &str) -> Vec<Vec<String>> {
        let table = read_csv(&sjis(text)).unwrap();
        table
            .records()
            .map(|r| r.values().into_iter().map(|v| v.into_owned()).collect())
            .collect()
    }

    #[test]
    fn reads_crlf_and_lf_and_quoted_text() {
        assert_eq!(rows("a,b\r\nc,d\r\n"), vec![vec!["a", "b"], vec!["c", "d"]]);
        assert_eq!(rows("a,b\nc,d"), vec![vec!["a", "b"], vec!["c", "d"]]);
        assert_eq!(
            rows("202407,\"山田, 太郎\",\"彼は\"\"元気\"\"\"\r\n"),
            vec![vec!["202407", "山田, 太郎", "彼は\"元気\""]]
        );
        assert_eq!(rows(",,\r\n"), vec![vec!["", "", ""]]);
        assert_eq!(rows("\"\"\r\n"), vec![vec![""]]);
    }

    #[test]
    fn line_breaks_inside_quotes_stay_in_the_field_and_lines_are_counted() {
        let table = read_csv(&sjis("1,\"一行目\r\n二行目\"\r\n2,x\r\n")).unwrap();
        let records: Vec<_> = table.records().collect();
        assert_eq!(records[0].get(1).unwrap(), "一行目\r\n二行目");
        assert_eq!(records[0].line(), 1);
        assert_eq!(records[1].line(), 3);
        assert!(records[0].is_quoted(1));
        assert!(!records[0].is_quoted(0));
    }

    #[test]
    fn backslash_trail_bytes_are_not_confused_with_separators() {
        // ソ is 0x83 0x5C and 表 is 0x95 0x5C in CP932: the second byte is a backslash.
        assert_eq!(rows("ソ表,\"ソ表\"\r\n"), vec![vec!["ソ表", "ソ表"]]);
        // NEC and IBM extensions of MS932 (①, ㈱, 髙) decode.
        assert_eq!(rows("①㈱髙\r\n"), vec![vec!["①㈱髙"]]);
    }

    #[test]
    fn trailing_blank_lines_are_ignored_but_empty_files_are_not() {
        assert_eq!(rows("a\r\n\r\n\r\n").len(), 1);
        assert_eq!(read_csv(b"").unwrap_err().code, Code::CsvEmpty);
        assert_eq!(read_csv(b"\r\n").unwrap_err().code, Code::CsvEmpty);
    }

    #[test]
    fn rejects_bom_utf8_binary_and_broken_bytes() {
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(b"202407,1\r\n");
        assert_eq!(read_csv(&bom).unwrap_err().code, Code::CsvEncodingBom);
        assert_eq!(
            read_csv(&[0xFF, 0xFE, b'a', 0]).unwrap_err().code,
            Code::CsvEncodingBom
        );
        assert_eq!(
            read_csv("202407,\"山田\"\r\n".as_bytes()).unwrap_err().code,
            Code::CsvEncodingUtf8
        );
        let binary = read_csv(b"PK\x03\x04rest").unwrap_err();
        assert_eq!(binary.code, Code::CsvBinary);
        let mut broken = sjis("202407,a\r\n202407,");
        broken.extend_from_slice(&[0x81, 0x20]); // a lead byte followed by an invalid trail byte
        broken.extend_from_slice(b"\r\n");
        let err = read_csv(&broken).unwrap_err();
        assert_eq!(err.code, Code::CsvEncodingNotCp932);
        assert_eq!(err.line, Some(2));
        assert_eq!(
            read_csv(&[b'a', 0x82]).unwrap_err().code,
            Code::CsvEncodingNotCp932,
            "truncated"
        );
    }

    #[test]
    fn private_use_is_found_but_full_width_forms_are_not() {
        assert_eq!(find_private_use("ＡｱＺ"), None);
        assert_eq!(find_private_use("ab\u{E000}"), Some(2));
        assert_eq!(find_private_use("Ａ\u{F8FF}"), Some(3));
        assert_eq!(
            find_private_use("\u{F900}"),
            None,
            "CJK compatibility ideographs follow the area"
        );
        let mut long = "a".repeat(100);
        long.push('\u{0001}');
        assert_eq!(find_control_byte(long.as_bytes()), Some(100));
        assert_eq!(find_control_byte(b"a\tb\r\n"), None);
    }

    #[test]
    fn rejects_gaiji() {
        let err = read_csv(&[b'1', b',', 0xF0, 0x40, b'\r', b'\n']).unwrap_err();
        assert_eq!(err.code, Code::CsvEncodingGaiji);
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn rejects_broken_quoting_with_the_line() {
        let err = read_csv(&sjis("a,b\r\nc,\"open\r\nd,e\r\n")).unwrap_err();
        assert_eq!(err.code, Code::CsvQuoteUnterminated);
        assert_eq!(err.line, Some(2), "the line where the quote opened");
        let err = read_csv(&sjis("a,\"x\"y,b\r\n")).unwrap_err();
        assert_eq!(err.code, Code::CsvQuoteStray);
        let err = read_csv(&sjis("a\r\nb,x\"y\r\n")).unwrap_err();
        assert_eq!(err.code, Code::CsvQuoteStray);
        assert_eq!(err.line, Some(2));
    }
}
