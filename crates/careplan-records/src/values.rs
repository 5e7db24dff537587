//! The typed values of items, and how each is read from and written back to the text of its item.
//!
//! Every conversion takes the item's [`ItemSpec`] from careplan-spec's layouts, so the meaning of a
//! value (which code table, `00000000` as "tied to 第6・7表", `9999` as "no time") comes from the same
//! table the validator checks against. What the validator accepts, these read.

use std::fmt;

use careplan_spec::layout::{Format, ItemSpec};
use careplan_spec::numbers::service_kind;
use careplan_spec::time::{parse_date, YearMonth};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

/// What kind of value a field holds, to check the fields against the layouts' formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    Date,
    YearMonth,
    Time,
    Integer,
    Decimal,
    Code,
    ServiceCode,
    SummaryServiceCode,
    ServiceKind,
    DayFlags,
}

impl ValueKind {
    /// Whether a field of this kind can hold every value an item of this format may have.
    pub fn reads(self, format: Format) -> bool {
        use Format as F;
        match self {
            ValueKind::Text => matches!(
                format,
                F::Version
                    | F::Text
                    | F::FreeText
                    | F::Office
                    | F::OfficeOrAllNines
                    | F::Insurer
                    | F::Insured
                    | F::Postal
                    | F::Digits
            ),
            ValueKind::Date => matches!(format, F::Date | F::DateOrZero),
            ValueKind::YearMonth => matches!(format, F::YearMonth | F::YearMonthOrZero),
            ValueKind::Time => matches!(format, F::Time),
            ValueKind::Integer => matches!(format, F::Integer | F::Digits),
            ValueKind::Decimal => matches!(format, F::Decimal),
            ValueKind::Code => matches!(format, F::Code(_)),
            ValueKind::ServiceCode => matches!(format, F::ServiceCode),
            ValueKind::SummaryServiceCode => matches!(format, F::SummaryServiceCode),
            ValueKind::ServiceKind => matches!(format, F::ServiceKind),
            ValueKind::DayFlags => matches!(format, F::DayFlags),
        }
    }
}

/// A value of an item: read from the item's text, written back to it.
pub trait ItemValue: Sized {
    const KIND: ValueKind;
    /// Whether the field may be empty (an `Option`, or text).
    const OPTIONAL: bool;
    /// Reads the item's text; the error says, in Japanese, why it cannot be read.
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String>;
    /// The item's text.
    fn write(&self, spec: &ItemSpec) -> String;
    /// The value of an item the record's CSV version does not have (v3.2 lacks 第6表's TAISコード).
    fn absent() -> Option<Self> {
        None
    }
}

fn unreadable(spec: &ItemSpec, text: &str, what: &str) -> String {
    format!("「{}」の「{text}」は{what}として読めません。", spec.name)
}

fn required(spec: &ItemSpec) -> String {
    format!("必須の項目「{}」が空です。", spec.name)
}

// ---- text ----

/// Text items (free text with its line breaks, numbers such as 事業所番号 and 被保険者番号, postal
/// codes) are kept exactly as written; an empty item is an empty string.
impl ItemValue for String {
    const KIND: ValueKind = ValueKind::Text;
    const OPTIONAL: bool = true;
    fn read(_: &ItemSpec, text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
    fn write(&self, _: &ItemSpec) -> String {
        self.clone()
    }
    fn absent() -> Option<Self> {
        Some(String::new())
    }
}

// ---- dates ----

fn read_date(spec: &ItemSpec, text: &str) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() || (matches!(spec.format, Format::DateOrZero) && text == "00000000") {
        return Ok(None);
    }
    parse_date(text)
        .map(Some)
        .ok_or_else(|| unreadable(spec, text, "日付（YYYYMMDD）"))
}

fn write_date(spec: &ItemSpec, date: Option<&NaiveDate>) -> String {
    match date {
        Some(d) => format!("{:04}{:02}{:02}", d.year(), d.month(), d.day()),
        None if matches!(spec.format, Format::DateOrZero) => "00000000".to_owned(),
        None => String::new(),
    }
}

/// A required date.
impl ItemValue for NaiveDate {
    const KIND: ValueKind = ValueKind::Date;
    const OPTIONAL: bool = false;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        read_date(spec, text)?.ok_or_else(|| required(spec))
    }
    fn write(&self, spec: &ItemSpec) -> String {
        write_date(spec, Some(self))
    }
}

/// A date that may be empty; for 補足's 居宅サービス計画作成（変更）日, `None` is `00000000` (tied to
/// 第6・7表).
impl ItemValue for Option<NaiveDate> {
    const KIND: ValueKind = ValueKind::Date;
    const OPTIONAL: bool = true;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        read_date(spec, text)
    }
    fn write(&self, spec: &ItemSpec) -> String {
        write_date(spec, self.as_ref())
    }
}

// ---- months ----

/// A year and month, written `"2025-04"` in JSON (`YYYYMM` in the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, TS)]
#[ts(type = "string", export, export_to = "records/")]
pub struct Month {
    pub year: u16,
    pub month: u8,
}

impl Month {
    pub fn from_spec(month: YearMonth) -> Month {
        Month {
            year: month.year,
            month: month.month,
        }
    }

    /// `2025年4月`.
    pub fn japanese(&self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    /// The number of days of the month.
    pub fn days(&self) -> u32 {
        let (year, month) = (i32::from(self.year), u32::from(self.month));
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        next.and_then(|d| d.pred_opt())
            .map(|d| d.day())
            .unwrap_or(31)
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        date.year() == i32::from(self.year) && date.month() == u32::from(self.month)
    }

    fn parse_json(text: &str) -> Option<Month> {
        let (year, month) = text.split_once('-')?;
        YearMonth::parse(&format!("{year}{month}")).map(Month::from_spec)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Month::parse_json(&text).ok_or_else(|| serde::de::Error::custom("expected YYYY-MM"))
    }
}

fn read_month(spec: &ItemSpec, text: &str) -> Result<Option<Month>, String> {
    if text.is_empty() || (matches!(spec.format, Format::YearMonthOrZero) && text == "000000") {
        return Ok(None);
    }
    YearMonth::parse(text)
        .map(|m| Some(Month::from_spec(m)))
        .ok_or_else(|| unreadable(spec, text, "年月（YYYYMM）"))
}

fn write_month(spec: &ItemSpec, month: Option<&Month>) -> String {
    match month {
        Some(m) => format!("{:04}{:02}", m.year, m.month),
        None if matches!(spec.format, Format::YearMonthOrZero) => "000000".to_owned(),
        None => String::new(),
    }
}

impl ItemValue for Month {
    const KIND: ValueKind = ValueKind::YearMonth;
    const OPTIONAL: bool = false;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        read_month(spec, text)?.ok_or_else(|| required(spec))
    }
    fn write(&self, spec: &ItemSpec) -> String {
        write_month(spec, Some(self))
    }
}

/// A month that may be empty; for 補足's 対象年月, `None` is `000000` (tied to 第1・2表).
impl ItemValue for Option<Month> {
    const KIND: ValueKind = ValueKind::YearMonth;
    const OPTIONAL: bool = true;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        read_month(spec, text)
    }
    fn write(&self, spec: &ItemSpec) -> String {
        write_month(spec, self.as_ref())
    }
}

// ---- times ----

/// A time of day, written `"09:30"` in JSON (`0930` in the file); `24:00` closes a service that ends
/// at midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, TS)]
#[ts(type = "string", export, export_to = "records/")]
pub struct ClockTime {
    /// Minutes since midnight, 0–1440.
    pub minutes: u16,
}

impl ClockTime {
    fn parse_hhmm(text: &str) -> Option<ClockTime> {
        if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value: u16 = text.parse().ok()?;
        let (hour, minute) = (value / 100, value % 100);
        ((hour < 24 && minute < 60) || value == 2400).then_some(ClockTime {
            minutes: hour * 60 + minute,
        })
    }

    /// `0930`, as the standard writes it.
    pub fn hhmm(&self) -> String {
        format!("{:02}{:02}", self.minutes / 60, self.minutes % 60)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ClockTime::parse_hhmm(&text.replace(':', ""))
            .ok_or_else(|| serde::de::Error::custom("expected HH:MM"))
    }
}

/// A time that may be missing: `None` is the standard's `9999` (a service without a time, such as
/// most 加算) for a required item, and an empty item otherwise. (A `9999` in an optional item, which
/// no layout calls for, reads as `None` and is written back empty.)
impl ItemValue for Option<ClockTime> {
    const KIND: ValueKind = ValueKind::Time;
    const OPTIONAL: bool = true;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        if text.is_empty() || text == "9999" {
            return Ok(None);
        }
        ClockTime::parse_hhmm(text)
            .map(Some)
            .ok_or_else(|| unreadable(spec, text, "時刻（HHMM）"))
    }
    fn write(&self, spec: &ItemSpec) -> String {
        match self {
            Some(time) => time.hhmm(),
            None if spec.required => "9999".to_owned(),
            None => String::new(),
        }
    }
}

// ---- numbers ----

fn read_integer(spec: &ItemSpec, text: &str) -> Result<Option<i32>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| unreadable(spec, text, "整数"))
}

/// A required integer (サービス回数 …). Written back without leading zeros.
impl ItemValue for i32 {
    const KIND: ValueKind = ValueKind::Integer;
    const OPTIONAL: bool = false;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        read_integer(spec, text)?.ok_or_else(|| required(spec))
    }
    fn write(&self, _: &ItemSpec) -> String {
        self.to_string()
    }
}

impl ItemValue for Option<i32> {
    const KIND: ValueKind = ValueKind::Integer;
    const OPTIONAL: bool = true;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        read_integer(spec, text)
    }
    fn write(&self, _: &ItemSpec) -> String {
        self.map(|n| n.to_string()).unwrap_or_default()
    }
}

/// 単位数単価 (`99.99`), as a number in JSON; written back with two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(type = "number", export, export_to = "records/")]
pub struct UnitPrice(pub f64);

impl ItemValue for Option<UnitPrice> {
    const KIND: ValueKind = ValueKind::Decimal;
    const OPTIONAL: bool = true;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Ok(None);
        }
        text.parse()
            .map(|v| Some(UnitPrice(v)))
            .map_err(|_| unreadable(spec, text, "小数（99.99）"))
    }
    fn write(&self, _: &ItemSpec) -> String {
        self.map(|p| format!("{:.2}", p.0)).unwrap_or_default()
    }
}

// ---- codes ----

/// A value of a code table with its meaning: `{ "code": "22", "meaning": "要介護２" }`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export, export_to = "records/")]
pub struct Coded {
    pub code: String,
    pub meaning: String,
}

fn read_code(spec: &ItemSpec, text: &str) -> Result<Option<Coded>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let meaning = match spec.format {
        Format::Code(table) => table
            .entries
            .iter()
            .find(|(code, _)| *code == text)
            .map(|(_, meaning)| *meaning),
        Format::ServiceKind => service_kind(text).map(|(_, name)| name),
        _ => None,
    };
    meaning
        .map(|meaning| {
            Some(Coded {
                code: text.to_owned(),
                meaning: meaning.to_owned(),
            })
        })
        .ok_or_else(|| unreadable(spec, text, "コード表の値"))
}

impl ItemValue for Coded {
    const KIND: ValueKind = ValueKind::Code;
    const OPTIONAL: bool = false;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        read_code(spec, text)?.ok_or_else(|| required(spec))
    }
    fn write(&self, _: &ItemSpec) -> String {
        self.code.clone()
    }
}

impl ItemValue for Option<Coded> {
    const KIND: ValueKind = ValueKind::Code;
    const OPTIONAL: bool = true;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        read_code(spec, text)
    }
    fn write(&self, _: &ItemSpec) -> String {
        self.as_ref().map(|c| c.code.clone()).unwrap_or_default()
    }
}

/// A サービス種類コード with its name (`{ "code": "11", "meaning": "訪問介護" }`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export, export_to = "records/")]
pub struct ServiceKind(pub Coded);

impl ItemValue for ServiceKind {
    const KIND: ValueKind = ValueKind::ServiceKind;
    const OPTIONAL: bool = false;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        read_code(spec, text)?
            .map(ServiceKind)
            .ok_or_else(|| required(spec))
    }
    fn write(&self, _: &ItemSpec) -> String {
        self.0.code.clone()
    }
}

impl ItemValue for Option<ServiceKind> {
    const KIND: ValueKind = ValueKind::ServiceKind;
    const OPTIONAL: bool = true;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        Ok(read_code(spec, text)?.map(ServiceKind))
    }
    fn write(&self, _: &ItemSpec) -> String {
        self.as_ref().map(|k| k.0.code.clone()).unwrap_or_default()
    }
}

/// A サービスコード with its サービス種類 (the first two characters) and that kind's name. The full
/// サービスコード master (names of each code) is not part of the standard and is not bundled.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export, export_to = "records/")]
pub struct ServiceCode {
    pub code: String,
    /// サービス種類コード.
    pub kind: String,
    /// The kind's name, when the kind is known (`訪問介護`).
    pub kind_name: Option<String>,
}

impl ServiceCode {
    pub fn new(code: &str) -> ServiceCode {
        let kind: String = code.chars().take(2).collect();
        ServiceCode {
            code: code.to_owned(),
            kind_name: service_kind(&kind).map(|(_, name)| name.to_owned()),
            kind,
        }
    }
}

impl ItemValue for ServiceCode {
    const KIND: ValueKind = ValueKind::ServiceCode;
    const OPTIONAL: bool = false;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err(required(spec));
        }
        Ok(ServiceCode::new(text))
    }
    fn write(&self, _: &ItemSpec) -> String {
        self.code.clone()
    }
}

/// What a row of 第7表 is, from its サービスコード (standard §2.4 第7表 No.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "records/")]
pub enum SupplementRowKind {
    /// A service.
    Service,
    /// `<種類>AAAA`: 区分支給限度対象の種類別小計.
    Subtotal,
    /// `<種類>EEEE`: 区分支給限度対象外の小計.
    OutsideLimitSubtotal,
    /// `<種類>ZZZZ`: 30日超過分の小計.
    Over30DaysSubtotal,
    /// `999999`: 全合計.
    GrandTotal,
}

impl SupplementRowKind {
    pub fn of(code: &str) -> SupplementRowKind {
        if code == "999999" {
            return SupplementRowKind::GrandTotal;
        }
        match code.get(2..) {
            Some("AAAA") => SupplementRowKind::Subtotal,
            Some("EEEE") => SupplementRowKind::OutsideLimitSubtotal,
            Some("ZZZZ") => SupplementRowKind::Over30DaysSubtotal,
            _ => SupplementRowKind::Service,
        }
    }

    pub fn japanese(self) -> &'static str {
        match self {
            SupplementRowKind::Service => "サービス",
            SupplementRowKind::Subtotal => "種類別小計（区分支給限度対象）",
            SupplementRowKind::OutsideLimitSubtotal => "小計（区分支給限度対象外）",
            SupplementRowKind::Over30DaysSubtotal => "小計（30日超過分）",
            SupplementRowKind::GrandTotal => "全合計",
        }
    }
}

/// 第7表's サービスコード: a service, a subtotal of one サービス種類, or the grand total.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export, export_to = "records/")]
pub struct SupplementCode {
    pub code: String,
    /// サービス種類コード; `None` on the 全合計 row.
    pub kind: Option<String>,
    pub kind_name: Option<String>,
    pub row: SupplementRowKind,
}

impl ItemValue for SupplementCode {
    const KIND: ValueKind = ValueKind::SummaryServiceCode;
    const OPTIONAL: bool = false;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err(required(spec));
        }
        let row = SupplementRowKind::of(text);
        let kind = (row != SupplementRowKind::GrandTotal).then(|| text.chars().take(2).collect());
        Ok(SupplementCode {
            code: text.to_owned(),
            kind_name: kind
                .as_deref()
                .and_then(service_kind)
                .map(|(_, name)| name.to_owned()),
            kind,
            row,
        })
    }
    fn write(&self, _: &ItemSpec) -> String {
        self.code.clone()
    }
}

// ---- 日割対象日 ----

/// 日割対象日: one flag per day from the 1st, as many as the file wrote (at most 31).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "records/")]
pub struct DayFlags(pub Vec<bool>);

impl DayFlags {
    /// Whether day `day` (1-based) is flagged.
    pub fn is_set(&self, day: u32) -> bool {
        day >= 1 && self.0.get(day as usize - 1).copied().unwrap_or(false)
    }
}

impl ItemValue for Option<DayFlags> {
    const KIND: ValueKind = ValueKind::DayFlags;
    const OPTIONAL: bool = true;
    fn read(spec: &ItemSpec, text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Ok(None);
        }
        text.bytes()
            .map(|b| match b {
                b'1' => Ok(true),
                b'0' => Ok(false),
                _ => Err(unreadable(spec, text, "日割対象日（0と1）")),
            })
            .collect::<Result<Vec<bool>, String>>()
            .map(|flags| Some(DayFlags(flags)))
    }
    fn write(&self, _: &ItemSpec) -> String {
        self.as_ref()
            .map(|f| f.0.iter().map(|&b| if b { '1' } else { '0' }).collect())
            .unwrap_or_default()
    }
}
