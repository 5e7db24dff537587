//! Property: any file whose records the validator accepts reads into the typed model without a
//! record left out, and what is written back reads to the same model. Records are generated item by
//! item from the layouts, mostly with values of the item's format and sometimes with wrong ones, so
//! that both sides of the validator's line are exercised.

use careplan_records::file::{read_file, write_file};
use careplan_spec::file_check::check_csv_file;
use careplan_spec::filename::{FileKind, FileName};
use careplan_spec::layout::{layout, CsvVersion, Format, ItemSpec};
use careplan_spec::Severity;
use proptest::prelude::*;

const CARE_MANAGER: &str = "1370000018";
const HOME_HELP: &str = "1370000026";

fn name_of(kind: FileKind, version: CsvVersion) -> String {
    let month = if kind == FileKind::Hosoku || kind.has_month() {
        "_202504"
    } else {
        ""
    };
    match version {
        CsvVersion::V202407 => format!(
            "{}{month}_{CARE_MANAGER}_43_{HOME_HELP}_11_20250401093000.CSV",
            kind.prefix()
        ),
        CsvVersion::V202208 => format!(
            "{}{month}_{CARE_MANAGER}_{HOME_HELP}_20250401093000.CSV",
            kind.prefix()
        ),
    }
}

/// A value for an item: usually one of its format, sometimes empty, sometimes wrong.
fn item_value(spec: &'static ItemSpec, version: CsvVersion) -> BoxedStrategy<String> {
    let valid: BoxedStrategy<String> = match spec.format {
        Format::Version => Just(version.as_str().to_owned()).boxed(),
        Format::YearMonth => prop_oneof![4 => Just("202504".to_owned()), 1 => Just("202513".to_owned())].boxed(),
        Format::YearMonthOrZero => prop_oneof![Just("202504".to_owned()), Just("000000".to_owned())].boxed(),
        Format::Date | Format::DateOrZero => prop_oneof![
            4 => (1u32..=31).prop_map(|d| format!("202504{d:02}")),
            1 => (1900u32..2030, 1u32..=13, 1u32..=31).prop_map(|(y, m, d)| format!("{y}{m:02}{d:02}")),
            1 => Just("00000000".to_owned()),
        ]
        .boxed(),
        Format::Time => prop_oneof![
            4 => (0u32..25, 0u32..61).prop_map(|(h, m)| format!("{h:02}{m:02}")),
            1 => Just("9999".to_owned()),
            1 => Just("2400".to_owned()),
        ]
        .boxed(),
        Format::Digits => (0u32..120).prop_map(|n| n.to_string()).boxed(),
        Format::Integer => (-99_999i32..9_999_999).prop_map(|n| n.to_string()).boxed(),
        Format::Decimal => (0u32..100, 0u32..100).prop_map(|(a, b)| format!("{a}.{b:02}")).boxed(),
        Format::Code(table) => {
            let codes: Vec<String> = table.entries.iter().map(|(c, _)| (*c).to_owned()).collect();
            prop_oneof![8 => proptest::sample::select(codes), 1 => Just("X".to_owned())].boxed()
        }
        Format::Office => proptest::sample::select(vec![CARE_MANAGER.to_owned(), HOME_HELP.to_owned(), "1370000019".to_owned()]).boxed(),
        Format::OfficeOrAllNines => proptest::sample::select(vec![HOME_HELP.to_owned(), "9999999999".to_owned()]).boxed(),
        Format::Insurer => Just("131016".to_owned()).boxed(),
        Format::Insured => proptest::sample::select(vec!["0000012345".to_owned(), "H123456789".to_owned()]).boxed(),
        Format::ServiceCode => proptest::sample::select(vec!["111211".to_owned(), "17A001".to_owned(), "1112".to_owned()]).boxed(),
        Format::SummaryServiceCode => proptest::sample::select(vec!["111211".to_owned(), "11AAAA".to_owned(), "999999".to_owned()]).boxed(),
        Format::ServiceKind => proptest::sample::select(vec!["11".to_owned(), "17".to_owned(), "99".to_owned()]).boxed(),
        Format::DayFlags => "[01]{0,32}".boxed(),
        Format::Postal => proptest::sample::select(vec!["160-0023".to_owned(), "1600023".to_owned()]).boxed(),
        Format::Text => "[0-9A-Z\\-]{0,6}".boxed(),
        Format::FreeText => proptest::collection::vec(
            proptest::sample::select(vec!["山田", ",", "\"", "\r\n", "ソ表", "髙", "①", "a", " "]),
            0..5,
        )
        .prop_map(|parts| parts.concat())
        .boxed(),
    };
    if spec.required {
        valid
    } else {
        prop_oneof![3 => valid, 1 => Just(String::new())].boxed()
    }
}

fn encode(values: &[String], specs: &[ItemSpec]) -> String {
    values
        .iter()
        .zip(specs)
        .map(|(value, spec)| {
            if matches!(spec.format, Format::FreeText) {
                format!("\"{}\"", value.replace('"', "\"\""))
            } else {
                value.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn file_strategy() -> impl Strategy<Value = (String, Vec<u8>)> {
    let kinds: Vec<(FileKind, CsvVersion)> = FileKind::ALL
        .iter()
        .flat_map(|&k| CsvVersion::ALL.iter().map(move |&v| (k, v)))
        .filter(|&(k, v)| layout(k, v).is_some())
        .collect();
    proptest::sample::select(kinds).prop_flat_map(|(kind, version)| {
        let specs = &layout(kind, version).unwrap().items;
        let record: Vec<BoxedStrategy<String>> =
            specs.iter().map(|s| item_value(s, version)).collect();
        proptest::collection::vec(record, 1..4).prop_map(move |records| {
            let text: String = records
                .iter()
                .map(|values| encode(values, specs) + "\r\n")
                .collect();
            let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
            (name_of(kind, version), bytes.into_owned())
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, max_global_rejects: 20_000, ..ProptestConfig::default() })]

    #[test]
    fn a_file_that_validates_reads_whole_and_writes_back((name, bytes) in file_strategy()) {
        let parsed = FileName::parse(&name).unwrap();
        let findings = check_csv_file(&parsed, &bytes);
        let valid = !findings.diagnostics.iter().any(|d| d.severity == Severity::Error);
        prop_assume!(valid);
        let file = read_file(&name, &bytes).unwrap();
        prop_assert!(file.unreadable.is_empty(), "{:?}", file.unreadable);
        let written = write_file(&file).unwrap();
        let again = read_file(&name, &written).unwrap();
        prop_assert_eq!(&again.content, &file.content);
    }
}
