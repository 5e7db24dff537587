//! Property tests: no input makes the reader, the name parser or the validator panic, and names and
//! CSV text survive a build → parse round trip.

use careplan_spec::reader::read_csv;
use careplan_spec::{validate, FileKind, FileName, InputFile};
use proptest::prelude::*;

const SERVICE_KINDS: &[&str] = &["11", "13", "15", "17", "2A", "43", "46", "67", "A5", "33"];

/// A syntactically valid office number (any check digit; a letter may stand in position 3).
fn office_number() -> impl Strategy<Value = String> {
    ("[0-9]{2}", "[0-9A-HJ-NPR-Z]", "[0-9]{7}").prop_map(|(a, b, c)| format!("{a}{b}{c}"))
}

fn serial() -> impl Strategy<Value = String> {
    (
        2000u32..=2099,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        0u32..60,
    )
        .prop_map(|(y, mo, d, h, mi, s)| format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}"))
}

prop_compose! {
    fn standard_name()(
        kind in proptest::sample::select(FileKind::ALL.to_vec()),
        month in (2000u32..=2099, 1u32..=12).prop_map(|(y, m)| format!("{y:04}{m:02}")),
        zero_month in any::<bool>(),
        v4 in any::<bool>(),
        from in office_number(),
        to in office_number(),
        from_kind in proptest::sample::select(SERVICE_KINDS),
        to_kind in proptest::sample::select(SERVICE_KINDS),
        serial in serial(),
        branch in 1u32..=9999,
        lower_case_extension in any::<bool>(),
    ) -> String {
        let mut name = kind.prefix().to_owned();
        if kind.has_month() {
            let month = if kind == FileKind::Hosoku && zero_month { "000000".to_owned() } else { month };
            name += &format!("_{month}");
        }
        let v4 = v4 || kind.is_image();
        if v4 {
            name += &format!("_{from}_{from_kind}_{to}_{to_kind}_{serial}");
        } else {
            name += &format!("_{from}_{to}_{serial}");
        }
        if kind.is_image() {
            name += &format!("_{branch:04}.jpg");
        } else if lower_case_extension {
            name += ".csv";
        } else {
            name += ".CSV";
        }
        name
    }
}

/// CP932-encodable text with the characters that make CSV hard: separators, quotes, line breaks,
/// and double-byte characters whose second byte is a backslash (ソ, 表).
fn cell() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(vec![
            "a", "1", ",", "\"", "\r\n", "\n", "ソ", "表", "髙", "①", "　", " ", "ｱ",
        ]),
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

fn encode_row(row: &[String]) -> String {
    row.iter()
        .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(",")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn the_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(table) = read_csv(&bytes) {
            prop_assert!(!table.is_empty());
            for record in table.records() {
                prop_assert!(!record.is_empty());
                prop_assert!(record.line() >= 1);
            }
        }
    }

    #[test]
    fn the_reader_never_panics_on_near_csv(text in "[0-9,\"\r\na-zソ表]{0,200}") {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        let _ = read_csv(&bytes);
    }

    #[test]
    fn the_name_parser_never_panics(name in "\\PC{0,80}") {
        let _ = FileName::parse(&name);
    }

    #[test]
    fn the_name_parser_never_panics_on_near_names(name in "(UP|DLT)[A-Z0-9_]{0,12}_[0-9A-Z_]{0,60}\\.(CSV|csv|jpg)") {
        if let Ok(parsed) = FileName::parse(&name) {
            prop_assert_eq!(parsed.to_string(), name);
        }
    }

    #[test]
    fn names_round_trip(name in standard_name()) {
        match FileName::parse(&name) {
            Ok(parsed) => {
                prop_assert_eq!(&parsed.to_string(), &name);
                prop_assert_eq!(FileName::parse(&parsed.to_string()).unwrap(), parsed);
            }
            // The only refusal a well-formed name can get: the same office on both ends.
            Err(d) => prop_assert_eq!(d.code.as_str(), "name.same_office", "{}: {}", name, d.message),
        }
    }

    #[test]
    fn csv_text_round_trips(rows in proptest::collection::vec(proptest::collection::vec(cell(), 2..6), 1..6), lf in any::<bool>()) {
        let newline = if lf { "\n" } else { "\r\n" };
        let text: String = rows.iter().map(|r| encode_row(r) + newline).collect();
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
        prop_assert!(!unmappable);
        let table = read_csv(&bytes).unwrap();
        let read: Vec<Vec<String>> = table.records().map(|r| r.values().into_iter().map(|v| v.into_owned()).collect()).collect();
        prop_assert_eq!(read, rows);
    }

    #[test]
    fn the_validator_never_panics(name in standard_name(), bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let report = validate(&[InputFile { name: &name, bytes: &bytes }]);
        prop_assert_eq!(report.files.len(), 1);
    }

    /// Service codes of six bytes that are not six characters (a double-byte character in CP932 is
    /// two bytes, three in UTF-8) reach the rules that look at a code's kind.
    #[test]
    fn the_validator_never_panics_on_odd_service_codes(code in "[0-9A-Zあ表]{1,4}", sikyu in any::<bool>()) {
        let (name, text) = if sikyu {
            ("UPSIKYU_202504_1370000018_43_1370000026_11_20250325120000.CSV",
             format!("202407,131016,0000012345,20250325,202504,\"x\",1370000026,,{code},,,\"\",0,,,,,,,,,,,,,,,,,,,,,,,,\r\n"))
        } else {
            ("UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV",
             format!("202407,131016,0000012345,20250325,202504,1370000018,\"x\",395,0,20250401,,0930,1030,1,{code},,,\"\",,1370000026,\"x\",,0,,\r\n"))
        };
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        let report = validate(&[InputFile { name, bytes: &bytes }]);
        prop_assert_eq!(report.files.len(), 1);
    }

    #[test]
    fn the_validator_never_panics_on_record_like_content(name in standard_name(), text in "(2024070?,[0-9H,\"a-z]{0,80}\r\n){1,4}") {
        let report = validate(&[InputFile { name: &name, bytes: text.as_bytes() }]);
        prop_assert_eq!(report.files.len(), 1);
    }
}
