//! File names as Windows reads them. The offices that receive files run Windows, and a name that
//! Windows refuses, turns into a device (`CON.txt`), silently shortens (`請求書.pdf.`), or shows in
//! another order than it is (U+202E turns `見積\u{202E}fdp.txt` into what looks like `見積txt.pdf`) must
//! not travel: the sender is told before the send ([`windows_name_problem`], run by [`crate::validate`]),
//! and a receiver that saves a file makes a name Windows reads as written ([`windows_safe_name`]).
//!
//! Names are compared and stored in Unicode NFC: a name typed on a Mac (NFD, `か` + `゛`) and the same
//! name typed on Windows (NFC, `が`) are one name ([`normalized`]).

use unicode_normalization::UnicodeNormalization;

use crate::diagnostic::{Code, Diagnostic};

/// Characters Windows does not allow in a file name.
const RESERVED: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

/// Names Windows takes for devices, whatever extension follows (`NUL.txt` is the device `NUL`).
const DEVICES: &[&str] = &["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

/// Characters that draw nothing, or change how the characters around them are drawn: bidirectional
/// overrides and isolates, zero-width characters, the byte-order mark, line and paragraph separators,
/// tags, and the fillers that look like a space. A name with one shows something else than it is.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E007F}')
}

/// The name in Unicode NFC, the form names are compared and stored in.
pub fn normalized(name: &str) -> String {
    name.nfc().collect()
}

/// `COM1`, `LPT9`, `COM¹` … : serial and parallel ports, numbered 0–9 and ¹²³.
fn is_port(stem: &str) -> bool {
    let upper = stem.to_ascii_uppercase();
    let Some(rest) = upper
        .strip_prefix("COM")
        .or_else(|| upper.strip_prefix("LPT"))
    else {
        return false;
    };
    let mut chars = rest.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some('0'..='9' | '¹' | '²' | '³'), None)
    )
}

/// Whether Windows reads the name as a device: the part before the first dot, trailing spaces
/// dropped, is one of the reserved device names.
fn is_device_name(name: &str) -> bool {
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end_matches(' ');
    DEVICES.iter().any(|d| stem.eq_ignore_ascii_case(d)) || is_port(stem)
}

/// The name with every character that cannot be seen written as `[U+XXXX]`, so that a message can
/// show what is really there.
pub fn visible(name: &str) -> String {
    name.chars()
        .map(|c| {
            if is_invisible(c) || c.is_control() {
                format!("[U+{:04X}]", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Why Windows would not hold or would misread this name, if it would not (`name.windows_invalid`).
pub fn windows_name_problem(name: &str) -> Option<Diagnostic> {
    let reason = if let Some(c) = name.chars().find(|c| c.is_control()) {
        format!("制御文字（U+{:04X}）が含まれています", c as u32)
    } else if let Some(c) = name.chars().find(|c| RESERVED.contains(c)) {
        format!("Windowsのファイル名に使えない文字「{c}」が含まれています（\\ / : * ? \" < > | は使えません）")
    } else if let Some(c) = name.chars().find(|&c| is_invisible(c)) {
        format!(
            "目に見えない文字（U+{:04X}）が含まれていて、表示される名前と実際の名前が違います",
            c as u32
        )
    } else if is_device_name(name) {
        let stem = name.split('.').next().unwrap_or_default().trim_end();
        format!("「{stem}」はWindowsが装置の名前として予約しているため、ファイル名に使えません")
    } else if name.ends_with(['.', ' ']) {
        "末尾が「.」か空白のため、Windowsでは末尾が消えた別の名前になります".to_owned()
    } else {
        return None;
    };
    Some(Diagnostic::new(
        Code::NameWindowsInvalid,
        format!(
            "ファイル名「{}」は受け取る事業所のWindowsで正しく扱えません: {reason}。ファイル名を変えてから送ってください。",
            visible(name)
        ),
    ))
}

/// A name to save a received file under that Windows reads as written: reserved and control
/// characters become `_`, invisible characters are dropped, a device name gets a leading `_`, trailing
/// dots and spaces go, NFC, and at most 200 characters (the extension kept).
pub fn windows_safe_name(name: &str) -> String {
    let cleaned: String = normalized(name)
        .chars()
        .filter(|&c| !is_invisible(c))
        .map(|c| {
            if RESERVED.contains(&c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut cleaned = cleaned
        .trim_matches(|c: char| c == '.' || c == ' ')
        .to_owned();
    if cleaned.is_empty() {
        cleaned = "file".to_owned();
    }
    if is_device_name(&cleaned) {
        cleaned.insert(0, '_');
    }
    const MAX_CHARS: usize = 200;
    if cleaned.chars().count() > MAX_CHARS {
        let extension = cleaned
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_owned())
            .filter(|ext| ext.chars().count() <= 10)
            .unwrap_or_default();
        let keep = MAX_CHARS - extension.chars().count() - usize::from(!extension.is_empty());
        let stem: String = cleaned.chars().take(keep).collect();
        let stem = stem.trim_end_matches(['.', ' ']);
        cleaned = if extension.is_empty() {
            stem.to_owned()
        } else {
            format!("{stem}.{extension}")
        };
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(name: &str) -> bool {
        windows_name_problem(name).is_some()
    }

    #[test]
    fn names_windows_cannot_hold_or_misreads_are_refused() {
        for name in [
            "notes:hidden.txt",
            "a<b>c|d?e*.txt",
            "say\"hi\".txt",
            "CON.txt",
            "con",
            "NUL.txt",
            "nul.tar.gz",
            "COM1.txt",
            "LPT9.pdf",
            "COM¹.txt",
            "AUX .txt",
            "見積\u{202E}fdp.txt",
            "請求\u{200B}書.pdf",
            "\u{FEFF}写真.png",
            "一行目\u{2028}二行目.txt",
            "tab\there.txt",
            "請求書.pdf.",
            "請求書.pdf ",
        ] {
            assert!(refused(name), "{name:?} is accepted");
        }
    }

    #[test]
    fn ordinary_names_pass() {
        for name in [
            "UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV",
            "意見書.pdf",
            "連絡 2025年4月.txt",
            "CONSOLE.txt",
            "COM10.txt",
            "LPT.txt",
            "a.CON",
            "ファイル（1）.png",
            // Ideographic variation sequences are part of how a kanji is written.
            "葛\u{E0100}飾.txt",
        ] {
            assert!(!refused(name), "{name:?} is refused");
        }
    }

    #[test]
    fn the_message_shows_the_hidden_character() {
        let d = windows_name_problem("見積\u{202E}fdp.txt").unwrap();
        assert_eq!(d.code, Code::NameWindowsInvalid);
        assert!(d.message.contains("見積[U+202E]fdp.txt"), "{}", d.message);
        assert!(d.message.contains("目に見えない文字"), "{}", d.message);
        let d = windows_name_problem("COM1.txt").unwrap();
        assert!(d.message.contains("「COM1」"), "{}", d.message);
    }

    #[test]
    fn nfd_and_nfc_spellings_normalise_to_one_name() {
        let nfd = "か\u{3099}いこ\u{3099}.txt";
        assert_ne!(nfd, "がいご.txt");
        assert_eq!(normalized(nfd), "がいご.txt");
    }

    #[test]
    fn safe_names_are_read_by_windows_as_written() {
        assert_eq!(windows_safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(windows_safe_name("a:b?.txt"), "a_b_.txt");
        assert_eq!(windows_safe_name(".."), "file");
        assert_eq!(windows_safe_name("写真.png"), "写真.png");
        assert_eq!(windows_safe_name("CON.txt"), "_CON.txt");
        assert_eq!(windows_safe_name("com1"), "_com1");
        assert_eq!(windows_safe_name("見積\u{202E}fdp.txt"), "見積fdp.txt");
        assert_eq!(windows_safe_name("請求書.pdf. "), "請求書.pdf");
        assert_eq!(windows_safe_name("か\u{3099}.txt"), "が.txt");
        let long = format!("{}.pdf", "あ".repeat(300));
        let safe = windows_safe_name(&long);
        assert_eq!(safe.chars().count(), 200);
        assert!(safe.ends_with("あ.pdf"));
        // Whatever comes in, what goes out passes the rule.
        for name in [
            "NUL",
            "a\u{0}b",
            " . ",
            "x\u{2066}y.txt",
            "COM¹ .txt",
            "..CON",
        ] {
            let safe = windows_safe_name(name);
            assert!(windows_name_problem(&safe).is_none(), "{name:?} → {safe:?}");
        }
    }
}
