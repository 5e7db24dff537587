//! The identifying numbers of the standard: 事業所番号, 保険者番号, 被保険者番号, サービス種類コード.

use std::fmt;

/// Why a number was refused. The Japanese text says what a correct value looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberError(pub String);

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 事業所番号: 10 characters. Positions 1–2 prefecture, 3 事業所区分 (a digit, or an upper-case letter
/// other than I, O and Q for 総合事業 offices such as `A`), 4–9 digits, 10 the check digit.
///
/// The check digit is *not* enforced by parsing: [`OfficeNumber::check_digit_ok`] reports it and the
/// validator turns a mismatch into a warning, not an error. Why: the algorithm (modulus 10, weights
/// 2-1, products split into digits, letters A=10 … Z=32) is known only from a secondary copy of an
/// MHLW 総合事業 document, the "独自に拡張" letter mapping is not published by the standard itself,
/// and numbers of medical origin (病院・診療所, 訪問看護) may follow other rules. Refusing a real
/// office's file on that basis would block care; the relay's office register is the real authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OfficeNumber([u8; 10]);

/// The pseudo office number `9999999999` used on 第7表's 全合計 row.
pub const ALL_NINES_OFFICE: &str = "9999999999";

impl OfficeNumber {
    pub fn parse(text: &str) -> Result<OfficeNumber, NumberError> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes
                .iter()
                .enumerate()
                .all(|(i, &b)| b.is_ascii_digit() || (i == 2 && letter_value(b).is_some()));
        if !shape_ok {
            return Err(NumberError(format!(
                "事業所番号「{text}」は正しくありません。半角10桁で、3桁目だけは英大文字（I・O・Qを除く）も使えます。"
            )));
        }
        let mut out = [0u8; 10];
        out.copy_from_slice(bytes);
        Ok(OfficeNumber(out))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits and letters are ever stored.
        std::str::from_utf8(&self.0).expect("office numbers are ASCII")
    }

    /// The check digit the first nine characters call for.
    pub fn expected_check_digit(&self) -> u8 {
        compute_check_digit(&self.0[..9])
    }

    pub fn check_digit_ok(&self) -> bool {
        self.0[9] - b'0' == self.expected_check_digit()
    }
}

/// Value of a character in the check-digit computation: digits as themselves, letters A=10 … Z=32
/// skipping I, O and Q (23 letters).
fn letter_value(b: u8) -> Option<u32> {
    if !b.is_ascii_uppercase() || matches!(b, b'I' | b'O' | b'Q') {
        return None;
    }
    let skipped = [b'I', b'O', b'Q'].iter().filter(|&&s| s < b).count() as u32;
    Some(10 + u32::from(b - b'A') - skipped)
}

fn char_value(b: u8) -> u32 {
    if b.is_ascii_digit() {
        u32::from(b - b'0')
    } else {
        letter_value(b).unwrap_or(0)
    }
}

fn digit_sum(mut n: u32) -> u32 {
    let mut sum = 0;
    while n > 0 {
        sum += n % 10;
        n /= 10;
    }
    sum
}

/// Modulus 10, weights 2,1,2,1… from the right-most of the nine characters; products are split into
/// their digits and summed; the check digit is 10 − (sum mod 10), with 10 written as 0.
pub fn compute_check_digit(first_nine: &[u8]) -> u8 {
    let sum: u32 = first_nine
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &b)| digit_sum(char_value(b) * if i % 2 == 0 { 2 } else { 1 }))
        .sum();
    ((10 - sum % 10) % 10) as u8
}

impl fmt::Display for OfficeNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// 保険者番号: six digits (the municipality that insures the person).
pub fn check_insurer_number(text: &str) -> Result<(), NumberError> {
    if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(NumberError(format!(
            "保険者番号「{text}」は正しくありません。半角数字6桁で入力してください。"
        )))
    }
}

/// 被保険者番号: ten digits, or `H` followed by nine digits for people on public assistance only
/// (生保単独).
pub fn check_insured_number(text: &str) -> Result<(), NumberError> {
    let b = text.as_bytes();
    let ok = b.len() == 10
        && (b[0].is_ascii_digit() || b[0] == b'H')
        && b[1..].iter().all(u8::is_ascii_digit);
    if ok {
        Ok(())
    } else {
        Err(NumberError(format!(
            "被保険者番号「{text}」は正しくありません。半角数字10桁（生活保護単独の方は「H」＋数字9桁）で入力してください。"
        )))
    }
}

/// Whether a サービス種類コード takes part in the data exchange (standard §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceKindScope {
    /// 連携対象.
    InScope,
    /// A real kind that the standard excludes from the exchange (施設 services and the like).
    OutOfScope,
}

/// サービス種類コード (2 characters) known to the standard, with their scope and Japanese name.
/// Sources: standard.md §1.4; `43` is 居宅介護支援 and `46` 介護予防支援 in file names.
const SERVICE_KINDS: &[(&str, ServiceKindScope, &str)] = {
    use ServiceKindScope::{InScope as I, OutOfScope as O};
    &[
        ("11", I, "訪問介護"),
        ("12", I, "訪問入浴介護"),
        ("13", I, "訪問看護"),
        ("14", I, "訪問リハビリテーション"),
        ("15", I, "通所介護"),
        ("16", I, "通所リハビリテーション"),
        ("17", I, "福祉用具貸与"),
        ("21", I, "短期入所生活介護"),
        ("22", I, "短期入所療養介護（介護老人保健施設）"),
        ("23", I, "短期入所療養介護（介護療養型医療施設等）"),
        ("2A", I, "短期入所療養介護（介護医療院）"),
        ("27", I, "特定施設入居者生活介護（短期利用）"),
        ("28", I, "地域密着型特定施設入居者生活介護（短期利用）"),
        ("31", I, "居宅療養管理指導"),
        ("38", I, "認知症対応型共同生活介護（短期利用）"),
        ("43", I, "居宅介護支援"),
        ("46", I, "介護予防支援"),
        ("68", I, "小規模多機能型居宅介護（短期利用）"),
        ("71", I, "夜間対応型訪問介護"),
        ("72", I, "認知症対応型通所介護"),
        ("73", I, "小規模多機能型居宅介護"),
        ("76", I, "定期巡回・随時対応型訪問介護看護"),
        ("77", I, "看護小規模多機能型居宅介護"),
        ("78", I, "地域密着型通所介護"),
        ("79", I, "看護小規模多機能型居宅介護（短期利用）"),
        ("24", I, "介護予防短期入所生活介護"),
        ("25", I, "介護予防短期入所療養介護（介護老人保健施設）"),
        ("26", I, "介護予防短期入所療養介護（介護療養型医療施設等）"),
        ("2B", I, "介護予防短期入所療養介護（介護医療院）"),
        ("34", I, "介護予防居宅療養管理指導"),
        ("39", I, "介護予防認知症対応型共同生活介護（短期利用）"),
        ("62", I, "介護予防訪問入浴介護"),
        ("63", I, "介護予防訪問看護"),
        ("64", I, "介護予防訪問リハビリテーション"),
        ("66", I, "介護予防通所リハビリテーション"),
        ("67", I, "介護予防福祉用具貸与"),
        ("69", I, "介護予防小規模多機能型居宅介護（短期利用）"),
        ("74", I, "介護予防認知症対応型通所介護"),
        ("75", I, "介護予防小規模多機能型居宅介護"),
        ("A1", I, "訪問介護相当サービス"),
        ("A2", I, "訪問型サービスA"),
        ("A3", I, "訪問型サービス（その他）"),
        ("A4", I, "訪問型サービス（独自／定率）"),
        ("A5", I, "通所介護相当サービス"),
        ("A6", I, "通所型サービスA"),
        ("A7", I, "通所型サービス（その他）"),
        ("A8", I, "通所型サービス（独自／定率）"),
        ("32", O, "認知症対応型共同生活介護"),
        ("33", O, "特定施設入居者生活介護"),
        ("35", O, "介護予防特定施設入居者生活介護"),
        ("36", O, "地域密着型特定施設入居者生活介護"),
        ("37", O, "介護予防認知症対応型共同生活介護"),
        ("41", O, "特定福祉用具販売"),
        ("42", O, "住宅改修"),
        ("44", O, "特定介護予防福祉用具販売"),
        ("45", O, "介護予防住宅改修"),
        ("51", O, "介護福祉施設サービス"),
        ("52", O, "介護保健施設サービス"),
        ("53", O, "介護療養施設サービス"),
        ("54", O, "地域密着型介護老人福祉施設入所者生活介護"),
        ("55", O, "介護医療院サービス"),
        ("59", O, "特例居宅介護サービス費等"),
        ("81", O, "市町村特別給付"),
    ]
};

/// Looks up a サービス種類コード: its scope and Japanese name, or `None` for an unknown code.
/// Every service kind the standard knows, as (code, name).
pub fn service_kinds() -> impl Iterator<Item = (&'static str, &'static str)> {
    SERVICE_KINDS.iter().map(|&(code, _, name)| (code, name))
}

pub fn service_kind(code: &str) -> Option<(ServiceKindScope, &'static str)> {
    SERVICE_KINDS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|&(_, scope, name)| (scope, name))
}

/// The kinds of 居宅介護支援 / 介護予防支援: the offices that write care plans.
pub fn is_care_management_kind(code: &str) -> bool {
    matches!(code, "43" | "46")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_check_digit(first_nine: &str) -> String {
        format!("{first_nine}{}", compute_check_digit(first_nine.as_bytes()))
    }

    #[test]
    fn check_digit_follows_the_mod10_2_1_rule() {
        // 1,3,1,0,0,0,0,0,0 with weights 2,1,2,1… from the right:
        // 0·2+0·1+0·2+0·1+0·2+0·1+1·2+3·1+1·2 = 7 → 10 − 7 = 3.
        assert_eq!(compute_check_digit(b"131000000"), 3);
        // A product of two digits is split: 9·2 = 18 → 1+8 = 9; 9 → 10−9 = 1.
        assert_eq!(compute_check_digit(b"000000009"), 1);
        // A sum divisible by ten gives 0, not 10: 9·2 → 9, plus 1·1 = 10.
        assert_eq!(compute_check_digit(b"000000019"), 0);
    }

    #[test]
    fn letters_in_position_three_are_accepted_and_weighted() {
        // A = 10; at position 3 of 9 its weight is 2 (index 6 from the right) → 20 → 2+0 = 2.
        let number = with_check_digit("13A000001");
        let office = OfficeNumber::parse(&number).expect("letter in position 3");
        assert!(office.check_digit_ok());
        assert_eq!(letter_value(b'A'), Some(10));
        assert_eq!(letter_value(b'H'), Some(17));
        assert_eq!(letter_value(b'J'), Some(18), "I is skipped");
        assert_eq!(letter_value(b'Z'), Some(32));
        assert_eq!(letter_value(b'I'), None);
        assert_eq!(letter_value(b'O'), None);
        assert_eq!(letter_value(b'Q'), None);
    }

    #[test]
    fn office_number_shape() {
        assert!(OfficeNumber::parse("1310000003").is_ok());
        assert!(OfficeNumber::parse("131000000").is_err(), "9 characters");
        assert!(OfficeNumber::parse("13100000031").is_err(), "11 characters");
        assert!(
            OfficeNumber::parse("1A10000003").is_err(),
            "letter in position 2"
        );
        assert!(
            OfficeNumber::parse("13I0000003").is_err(),
            "I is never used"
        );
        assert!(OfficeNumber::parse("13a0000003").is_err(), "lower case");
        assert!(
            OfficeNumber::parse("１３１０００００００").is_err(),
            "full-width digits"
        );
        let bad = OfficeNumber::parse("1310000004").unwrap();
        assert!(!bad.check_digit_ok());
        assert_eq!(bad.expected_check_digit(), 3);
    }

    #[test]
    fn insurer_and_insured_numbers() {
        assert!(check_insurer_number("131016").is_ok());
        assert!(check_insurer_number("13101").is_err());
        assert!(check_insurer_number("13101A").is_err());
        assert!(check_insured_number("0000012345").is_ok());
        assert!(check_insured_number("H123456789").is_ok(), "生保単独");
        assert!(check_insured_number("h123456789").is_err());
        assert!(check_insured_number("H12345678").is_err());
        assert!(check_insured_number("12345678901").is_err());
        let message = check_insured_number("x").unwrap_err().0;
        assert!(message.contains("H"), "{message}");
    }

    #[test]
    fn service_kinds() {
        assert_eq!(
            service_kind("11").map(|k| k.0),
            Some(ServiceKindScope::InScope)
        );
        assert_eq!(
            service_kind("2A").map(|k| k.1),
            Some("短期入所療養介護（介護医療院）")
        );
        assert_eq!(
            service_kind("33").map(|k| k.0),
            Some(ServiceKindScope::OutOfScope)
        );
        assert_eq!(service_kind("99"), None);
        assert!(is_care_management_kind("43"));
        assert!(!is_care_management_kind("11"));
    }
}
