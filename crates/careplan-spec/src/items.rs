//! Checking one item's value against its layout entry.

use crate::diagnostic::{Code, Diagnostic};
use crate::layout::{Format, ItemSpec};
use crate::numbers::{
    check_insured_number, check_insurer_number, service_kind, OfficeNumber, ALL_NINES_OFFICE,
};
use crate::time::{is_valid_hhmm_or_9999, parse_date, YearMonth};

fn is_digits(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
}

fn is_integer(value: &str) -> bool {
    is_digits(value.strip_prefix('-').unwrap_or(value))
}

fn is_decimal(value: &str) -> bool {
    match value.split_once('.') {
        Some((whole, fraction)) => {
            is_digits(whole) && is_digits(fraction) && whole.len() <= 2 && fraction.len() <= 2
        }
        None => is_digits(value) && value.len() <= 2,
    }
}

fn is_postal(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 8 && b[3] == b'-' && b[..3].iter().chain(&b[4..]).all(u8::is_ascii_digit)
}

fn is_service_code(value: &str) -> bool {
    value.len() == 6
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// The サービス種類 of a サービスコード of the right shape (6 half-width characters): its first two.
/// A code of another shape has none (item.service_code.invalid says so).
pub(crate) fn service_kind_of(code: &str) -> Option<&str> {
    (code.len() == 6 && code.is_ascii()).then(|| &code[..2])
}

/// 福祉用具貸与 and 介護予防福祉用具貸与, whose rows name the rented item.
pub(crate) fn is_equipment_rental(kind: &str) -> bool {
    matches!(kind, "17" | "67")
}

/// A 第7表 row that sums others rather than stands for a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SummaryRow {
    /// サービスコード `999999`: the person's 全合計.
    GrandTotal,
    /// サービスコード `<種類>AAAA` / `EEEE` / `ZZZZ`: a 種類別小計.
    Subtotal,
}

impl SummaryRow {
    /// The summary row a サービスコード marks, if any.
    pub(crate) fn of(code: &str) -> Option<SummaryRow> {
        if code == "999999" {
            Some(SummaryRow::GrandTotal)
        } else if service_kind_of(code).is_some() && matches!(&code[2..], "AAAA" | "EEEE" | "ZZZZ")
        {
            Some(SummaryRow::Subtotal)
        } else {
            None
        }
    }

    /// The row's name in messages.
    pub(crate) fn label(self) -> &'static str {
        match self {
            SummaryRow::GrandTotal => "全合計",
            SummaryRow::Subtotal => "小計",
        }
    }
}

/// Length that counts against `max_len`: digits only for integers (a minus sign is not a digit).
fn counted_len(format: Format, value: &str) -> usize {
    match format {
        Format::Integer => value.trim_start_matches('-').len(),
        _ => value.chars().count(),
    }
}

/// Checks one value. `no` is the 1-based item number. Returns the findings without file or line;
/// the caller adds them.
pub fn check_item(spec: &ItemSpec, no: u16, value: &str) -> Vec<Diagnostic> {
    let at =
        |code: Code, message: String| vec![Diagnostic::new(code, message).at_item(no, spec.name)];
    let name = spec.name;
    if value.is_empty() {
        return if spec.required {
            at(Code::ItemRequired, format!("「{name}」は必須の項目ですが、空になっています。介護ソフトで「{name}」を入力してから出力し直してください。"))
        } else {
            Vec::new()
        };
    }
    let problem = match spec.format {
        // Checked once per file, where the version is decided.
        Format::Version | Format::FreeText => None,
        Format::YearMonth => YearMonth::parse(value).is_none().then(|| {
            (Code::ItemMonthInvalid, format!("「{name}」の「{value}」は正しい年月ではありません。年4桁と月2桁を続けた6桁（例：2025年4月は 202504）で書きます。"))
        }),
        Format::YearMonthOrZero => (value != "000000" && YearMonth::parse(value).is_none()).then(|| {
            (Code::ItemMonthInvalid, format!("「{name}」の「{value}」は正しい年月ではありません。6桁の年月（例：202504）か、第1・2表に紐づく場合は 000000 を書きます。"))
        }),
        Format::Date => parse_date(value).is_none().then(|| {
            (Code::ItemDateInvalid, format!("「{name}」の「{value}」は存在する日付ではありません。年4桁・月2桁・日2桁の8桁（例：2025年4月1日は 20250401）で書きます。"))
        }),
        Format::DateOrZero => (value != "00000000" && parse_date(value).is_none()).then(|| {
            (Code::ItemDateInvalid, format!("「{name}」の「{value}」は存在する日付ではありません。8桁の日付（例：20250401）か、第6・7表に紐づく場合は 00000000 を書きます。"))
        }),
        Format::Time => (!is_valid_hhmm_or_9999(value)).then(|| {
            let hint = if value.contains(':') { "「:」は付けず、" } else { "" };
            (Code::ItemTimeInvalid, format!("「{name}」の「{value}」は正しい時刻ではありません。{hint}時2桁と分2桁の4桁（例：9時30分は 0930）で書き、時刻のないサービスは 9999 とします。"))
        }),
        Format::Digits => (!is_digits(value)).then(|| {
            (Code::ItemNumberInvalid, format!("「{name}」の「{value}」に数字以外の文字があります。半角数字だけで書きます。"))
        }),
        Format::Integer => (!is_integer(value)).then(|| {
            (Code::ItemNumberInvalid, format!("「{name}」の「{value}」は整数ではありません。半角数字（マイナスは先頭の「-」だけ）で、カンマや単位を付けずに書きます。"))
        }),
        Format::Decimal => (!is_decimal(value)).then(|| {
            (Code::ItemDecimalInvalid, format!("「{name}」の「{value}」は正しい形ではありません。「99.99」の形（例：11.40）で書きます。"))
        }),
        Format::Code(table) => (!table.contains(value)).then(|| {
            (Code::ItemCodeInvalid, format!("「{name}」の「{value}」はコード表にない値です。使える値は {} です。", table.describe()))
        }),
        Format::Office | Format::OfficeOrAllNines => {
            if matches!(spec.format, Format::OfficeOrAllNines) && value == ALL_NINES_OFFICE {
                None
            } else {
                match OfficeNumber::parse(value) {
                    Err(e) => Some((Code::ItemOfficeInvalid, format!("「{name}」の{e}"))),
                    Ok(office) if !office.check_digit_ok() => {
                        return vec![Diagnostic::new(
                            Code::ItemOfficeCheckDigit,
                            format!("「{name}」の事業所番号「{value}」の最後の桁（検証番号）は計算上「{}」になるはずです。番号に誤りがないか確認してください（正しい番号であればこのまま送れます）。", office.expected_check_digit()),
                        )
                        .at_item(no, name)];
                    }
                    Ok(_) => None,
                }
            }
        }
        Format::Insurer => check_insurer_number(value).err().map(|e| (Code::ItemInsurerInvalid, e.0)),
        Format::Insured => check_insured_number(value).err().map(|e| (Code::ItemInsuredInvalid, e.0)),
        Format::ServiceCode | Format::SummaryServiceCode if !is_service_code(value) => Some(
            (Code::ItemServiceCodeInvalid, format!("「{name}」の「{value}」は正しいサービスコードではありません。サービスコード表の6桁（サービス種類2桁＋項目4桁、例：111111）を半角で書きます。")),
        ),
        // 小計 and 全合計 rows belong to 第7表 alone (standard 第6表 No.15: a code of the サービスコード表).
        Format::ServiceCode => SummaryRow::of(value).map(|row| {
            let what = row.label();
            (Code::ItemServiceCodeInvalid, format!("「{name}」の「{value}」は第7表（サービス利用票別表）の{what}の行のコードで、第6表の行には使えません。サービスコード表のサービスコードを書くよう、介護ソフトの出力を確認してください。"))
        }),
        Format::SummaryServiceCode => None,
        Format::ServiceKind => service_kind(value).is_none().then(|| {
            (Code::ItemServiceKindInvalid, format!("「{name}」の「{value}」は存在するサービス種類コードではありません。2桁のサービス種類コード（例：訪問介護は 11）を書きます。"))
        }),
        Format::DayFlags => (!value.bytes().all(|b| b == b'0' || b == b'1')).then(|| {
            (Code::ItemFlagsInvalid, format!("「{name}」の「{value}」は正しくありません。1日から順に日割りの日を「1」、それ以外を「0」とした最大31桁で書き、日割りでなければ空にします。"))
        }),
        Format::Postal => (!is_postal(value)).then(|| {
            (Code::ItemPostalInvalid, format!("「{name}」の「{value}」は正しい郵便番号ではありません。半角で「123-4567」の形に書きます。"))
        }),
        Format::Text => None,
    };
    if let Some((code, message)) = problem {
        return at(code, message);
    }
    if let Some(max) = spec.max_len {
        let len = counted_len(spec.format, value);
        if len > usize::from(max) {
            return at(Code::ItemTooLong, format!("「{name}」は{max}文字までですが、「{value}」は{len}文字あります。{max}文字以内にしてください。"));
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::codes::SEX;
    use crate::layout::{free, opt, req};

    fn codes(spec: ItemSpec, value: &str) -> Vec<Code> {
        check_item(&spec, 1, value).iter().map(|d| d.code).collect()
    }

    #[test]
    fn required_and_optional_empties() {
        assert_eq!(
            codes(req("サービス利用日", Format::Date, 8), ""),
            [Code::ItemRequired]
        );
        assert!(codes(opt("認定日", Format::Date, 8), "").is_empty());
        assert!(codes(free("課題"), "長い\r\n文章, with commas").is_empty());
    }

    #[test]
    fn formats() {
        let date = opt("d", Format::Date, 8);
        assert!(codes(date, "20250401").is_empty());
        assert_eq!(codes(date, "2025/04/01"), [Code::ItemDateInvalid]);
        assert_eq!(codes(opt("d", Format::DateOrZero, 8), "00000000").len(), 0);
        assert_eq!(codes(date, "00000000"), [Code::ItemDateInvalid]);
        assert_eq!(
            codes(opt("m", Format::YearMonthOrZero, 6), "000000").len(),
            0
        );
        assert_eq!(
            codes(opt("m", Format::YearMonth, 6), "000000"),
            [Code::ItemMonthInvalid]
        );
        let time = opt("t", Format::Time, 4);
        assert!(codes(time, "9999").is_empty());
        let message = &check_item(&time, 12, "12:00")[0].message;
        assert!(message.contains("「:」は付けず"), "{message}");
        assert_eq!(codes(opt("n", Format::Integer, 6), "-120").len(), 0);
        assert_eq!(
            codes(opt("n", Format::Integer, 6), "1,200"),
            [Code::ItemNumberInvalid]
        );
        assert!(
            codes(opt("n", Format::Integer, 6), "123456").is_empty(),
            "six digits is the limit"
        );
        assert_eq!(
            codes(opt("n", Format::Integer, 6), "1234567"),
            [Code::ItemTooLong]
        );
        assert_eq!(
            codes(opt("n", Format::Integer, 6), "-123456").len(),
            0,
            "the sign is not a digit"
        );
        assert_eq!(
            codes(opt("n", Format::Digits, 2), "１"),
            [Code::ItemNumberInvalid],
            "full-width"
        );
        assert!(codes(opt("p", Format::Decimal, 5), "11.40").is_empty());
        assert_eq!(
            codes(opt("p", Format::Decimal, 5), "114.0"),
            [Code::ItemDecimalInvalid]
        );
        assert_eq!(
            codes(opt("s", Format::Code(&SEX), 1), "3"),
            [Code::ItemCodeInvalid]
        );
        assert!(check_item(&opt("s", Format::Code(&SEX), 1), 7, "3")[0]
            .message
            .contains("1（男性）・2（女性）"));
        assert!(codes(opt("o", Format::OfficeOrAllNines, 10), "9999999999").is_empty());
        assert_eq!(
            codes(opt("o", Format::Office, 10), "1310000004"),
            [Code::ItemOfficeCheckDigit]
        );
        assert_eq!(
            codes(opt("o", Format::Office, 10), "131000000"),
            [Code::ItemOfficeInvalid]
        );
        assert!(codes(opt("c", Format::ServiceCode, 6), "17A001").is_empty());
        assert!(codes(opt("c", Format::SummaryServiceCode, 6), "11AAAA").is_empty());
        assert!(codes(opt("c", Format::SummaryServiceCode, 6), "999999").is_empty());
        for summary in ["11AAAA", "13EEEE", "99ZZZZ", "999999"] {
            assert_eq!(
                codes(opt("c", Format::ServiceCode, 6), summary),
                [Code::ItemServiceCodeInvalid],
                "{summary} is a 第7表 summary code"
            );
        }
        // A service code that merely contains the letters is a service code.
        assert!(codes(opt("c", Format::ServiceCode, 6), "11AAA1").is_empty());
        assert_eq!(
            codes(opt("c", Format::ServiceCode, 6), "11111"),
            [Code::ItemServiceCodeInvalid]
        );
        assert_eq!(
            codes(opt("k", Format::ServiceKind, 2), "99"),
            [Code::ItemServiceKindInvalid]
        );
        assert!(codes(
            opt("f", Format::DayFlags, 31),
            "1111100000000000000000000000000"
        )
        .is_empty());
        assert_eq!(
            codes(
                opt("f", Format::DayFlags, 31),
                "11111000000000000000000000000000"
            ),
            [Code::ItemTooLong]
        );
        assert_eq!(
            codes(opt("f", Format::DayFlags, 31), "1,2"),
            [Code::ItemFlagsInvalid]
        );
        assert!(codes(opt("z", Format::Postal, 8), "160-0023").is_empty());
        assert_eq!(
            codes(opt("z", Format::Postal, 8), "1600023"),
            [Code::ItemPostalInvalid]
        );
        assert!(codes(opt("tel", Format::Text, 15), "03-1234-5678-99").is_empty());
        assert_eq!(
            codes(opt("tel", Format::Text, 15), "03-1234-5678-999"),
            [Code::ItemTooLong],
            "one past the limit"
        );
        assert!(
            codes(opt("tais", Format::Text, 12), "00001－000010").is_empty(),
            "counted in characters"
        );
    }

    #[test]
    fn the_item_is_named_in_the_finding() {
        let d = &check_item(&req("サービス利用日", Format::Date, 8), 10, "20250431")[0];
        assert_eq!(
            d.item.as_ref().map(|i| (i.no, i.name)),
            Some((10, "サービス利用日"))
        );
        assert!(d.message.contains("20250431"));
    }
}
