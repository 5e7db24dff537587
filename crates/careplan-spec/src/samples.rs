//! Valid sample send units of any size, for benchmarks and load tests (the fixtures in `fixtures/`
//! are the hand-checked examples; these are generated in bulk). Encoded in CP932.

use std::fmt::Write as _;

/// The care manager and service office of the samples (valid check digits).
pub const SAMPLE_CARE_MANAGER: &str = "1370000018";
pub const SAMPLE_HOME_HELP: &str = "1370000026";

const DAYS: [u32; 12] = [1, 3, 5, 8, 10, 12, 15, 17, 19, 22, 24, 26];

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "sample text is CP932");
    bytes.into_owned()
}

/// A valid use-sheet unit (第6表 + 第7表 + 利用者補足情報 for April 2025) from the sample care manager
/// to the sample home-help office, for `users` people, with a serial derived from `index` (unique for
/// indexes below 864,000). About 10 KB per person, most of it in 第6表.
pub fn use_sheet_unit(index: usize, users: usize) -> Vec<(String, Vec<u8>)> {
    let (cm, hh) = (SAMPLE_CARE_MANAGER, SAMPLE_HOME_HELP);
    let serial = format!(
        "202503{:02}{:02}{:02}{:02}",
        20 + index / 86_400 % 10,
        index / 3600 % 24,
        index / 60 % 60,
        index % 60
    );
    let name = |prefix: &str| format!("{prefix}_202504_{cm}_43_{hh}_11_{serial}.CSV");
    let (mut plan, mut supplement, mut hosoku) = (String::new(), String::new(), String::new());
    for user in 0..users {
        let insured = format!("{:010}", (index * users + user) % 10_000_000_000);
        for day in DAYS {
            for code in ["111211", "116275"] {
                let _ = write!(
                    plan,
                    "202407,131016,{insured},20250325,202504,{cm},\"佐藤　一郎\",395,0,202504{day:02},,0930,1030,1,{code},,,\"\",,{hh},\"ひまわりヘルパーステーション（新宿区西新宿）\",,0,,\r\n"
                );
            }
        }
        let _ = write!(supplement, "202407,131016,{insured},20250325,202504,\"ひまわりヘルパーステーション\",{hh},,111211,,,\"\",395,,395,12,,4740,,,,4740,11.40,54036,90,48632,,,,,,,0,,9999999999,,\r\n");
        let _ = write!(supplement, "202407,131016,{insured},20250325,202504,\"\",9999999999,,999999,,,\"\",0,,,,,4740,,,,4740,,54036,90,48632,,,,,,,0,,9999999999,,\r\n");
        let _ = write!(
            hosoku,
            "202407,131016,{insured},00000000,\"ヤマダ　ハナコ\",\"山田　花子\",2,19400105,160-0023,\"東京都新宿区西新宿１－１－１\",\"\",03-1234-5678,20250301,20250301,20260228,2,,22,19705,11,19705,8500,0{},0,,,21,{cm},,,202504\r\n",
            ",".repeat(32)
        );
    }
    vec![
        (name("UPPLAN"), cp932(&plan)),
        (name("UPSIKYU"), cp932(&supplement)),
        (name("UPHOSOKU"), cp932(&hosoku)),
    ]
}

/// A month of 第6表 for `users` people (May 2025, 31 days): `services` services a day, each its own
/// サービスコード and hour, every day. `actual` makes it the 実績 (UPJSK) of the sample home-help
/// office, which skips the 2nd and does the first service an hour later on the 3rd, so that a 予定 and
/// its 実績 differ; otherwise the 予定 (UPPLAN) of the sample care manager. Returns the file's name and
/// CP932 bytes.
pub fn use_sheet_month(users: usize, services: usize, actual: bool) -> (String, Vec<u8>) {
    let (cm, hh) = (SAMPLE_CARE_MANAGER, SAMPLE_HOME_HELP);
    let name = if actual {
        format!("UPJSK_202505_{hh}_11_{cm}_43_20250531180000.CSV")
    } else {
        format!("UPPLAN_202505_{cm}_43_{hh}_11_20250425120000.CSV")
    };
    let mut text = String::new();
    for user in 0..users {
        let insured = format!("{:010}", user + 1);
        for day in 1..=31u32 {
            if actual && day == 2 {
                continue;
            }
            for service in 0..services {
                let hour = 6 + service % 16 + usize::from(actual && day == 3 && service == 0);
                let code = format!("11{:04}", 1211 + service);
                let _ = write!(
                    text,
                    "202407,131016,{insured},20250425,202505,{cm},\"佐藤　一郎\",395,0,202505{day:02},,{hour:02}00,{hour:02}30,1,{code},,,\"\",,{hh},\"ひまわりヘルパーステーション\",,0,,\r\n"
                );
            }
        }
    }
    (name, cp932(&text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{validate, InputFile};

    #[test]
    fn samples_are_valid_units() {
        for (index, users) in [(0, 1), (12_345, 3)] {
            let files = use_sheet_unit(index, users);
            let inputs: Vec<InputFile<'_>> = files
                .iter()
                .map(|(name, bytes)| InputFile { name, bytes })
                .collect();
            let report = validate(&inputs);
            assert!(report.ok, "{:?}", report.diagnostics().collect::<Vec<_>>());
            assert_eq!(report.units.len(), 1);
        }
        for actual in [false, true] {
            let (name, bytes) = use_sheet_month(2, 20, actual);
            let report = validate(&[InputFile {
                name: &name,
                bytes: &bytes,
            }]);
            assert!(report.files[0].ok, "{:?}", report.files[0].diagnostics);
            assert!(report.files[0].diagnostics.is_empty());
        }
        assert_ne!(
            use_sheet_unit(1, 1)[0].0,
            use_sheet_unit(2, 1)[0].0,
            "serials differ"
        );
    }
}
