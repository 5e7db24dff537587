//! File names: the standard's name parser, the Windows rule, the name a receiver saves under and the
//! relay's check of an uploaded name, on arbitrary text: never a panic; a parsed name round-trips;
//! a name made safe passes the rule; the relay stores only names that pass it, in NFC.
#![no_main]

use careplan_spec::windows_name::{normalized, windows_name_problem, windows_safe_name};
use careplan_spec::FileName;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(name) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = FileName::parse(name) {
        let _ = parsed.warnings();
        let _ = parsed.direction_finding();
        let _ = parsed.shape();
    }
    let problem = windows_name_problem(name);
    let safe = windows_safe_name(name);
    assert!(
        windows_name_problem(&safe).is_none(),
        "{name:?} made safe as {safe:?} still breaks the rule"
    );
    assert!(!safe.is_empty() && safe.chars().count() <= 200);
    match careplan_relay::delivery::checked_file_name(name) {
        Ok(stored) => {
            assert_eq!(stored, normalized(name));
            assert!(windows_name_problem(&stored).is_none());
        }
        Err(refused) => assert_eq!(refused.code(), "send.bad_file_name"),
    }
    // A name the rule accepts in NFC is accepted whatever its spelling.
    if problem.is_none() && windows_name_problem(&normalized(name)).is_none() {
        let nfc = normalized(name);
        if !nfc.is_empty() && nfc.chars().count() <= 200 {
            assert!(careplan_relay::delivery::checked_file_name(name).is_ok());
        }
    }
});
