//! The standard's CSV reader and the whole validator on arbitrary bytes under a standard name: never
//! a panic, and a file the reader takes reads the same from its decoded text.
#![no_main]

use careplan_spec::reader::{decode_cp932, parse_text, read_csv};
use careplan_spec::{validate, InputFile};
use libfuzzer_sys::fuzz_target;

/// One name per kind of content the validator reads differently.
const NAMES: &[&str] = &[
    "UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV",
    "UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV",
    "UP2KYO_1370000018_43_1370000026_11_20250401093000.CSV",
    "UPSIKYU_202504_1370000018_43_1370000026_11_20250325120000.CSV",
    "連絡.txt",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    if let Ok(table) = read_csv(bytes) {
        let text = decode_cp932(bytes).expect("a table read from bytes that decode");
        let again = parse_text(text).expect("the decoded text parses again");
        assert_eq!(table.len(), again.len());
        for record in table.records() {
            let _ = record.values();
        }
    }
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let report = validate(&[InputFile { name, bytes }]);
    assert_eq!(report.files.len(), 1);
    assert_eq!(report.ok, report.error_count() == 0);
});
