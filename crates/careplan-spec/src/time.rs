//! Dates and times in the standard's formats: YYYYMM, YYYYMMDD, HHMM, and the 14-digit ファイル連番.

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// A calendar date of the standard.
pub type Date = NaiveDate;

fn digits(text: &str, len: usize) -> Option<u32> {
    if text.len() == len && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// The years a service month, plan date or serial may fall in. Birth dates use [`parse_date`] with a
/// wider range.
const SERVICE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

/// A year and month (`YYYYMM`), e.g. a 対象年月.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: u16,
    pub month: u8,
}

impl YearMonth {
    pub fn parse(text: &str) -> Option<YearMonth> {
        let value = digits(text, 6)?;
        let (year, month) = ((value / 100) as i32, (value % 100) as u8);
        if SERVICE_YEARS.contains(&year) && (1..=12).contains(&month) {
            Some(YearMonth {
                year: year as u16,
                month,
            })
        } else {
            None
        }
    }

    /// How many days the month has (28 to 31).
    pub fn days(&self) -> u32 {
        let first = NaiveDate::from_ymd_opt(i32::from(self.year), u32::from(self.month), 1)
            .expect("a parsed year and month has a first day");
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .expect("years end at 2099");
        (next - first).num_days() as u32
    }

    /// Whether a date (`YYYYMMDD`, already valid) falls in this month.
    pub fn contains(&self, date: Date) -> bool {
        date.year() == i32::from(self.year) && date.month() == u32::from(self.month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}{:02}", self.year, self.month)
    }
}

/// A real calendar date written `YYYYMMDD` (years 1800–2099, so that birth dates pass).
pub fn parse_date(text: &str) -> Option<Date> {
    let value = digits(text, 8)?;
    let year = (value / 10_000) as i32;
    if !(1800..=2099).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, (value / 100) % 100, value % 100)
}

/// A time of day written `HHMM` (00:00–24:00; 24:00 closes a service that ends at midnight), or the
/// standard's `9999` for services without a time.
pub fn is_valid_hhmm_or_9999(text: &str) -> bool {
    if text == "9999" {
        return true;
    }
    match digits(text, 4) {
        Some(value) => {
            let (hour, minute) = (value / 100, value % 100);
            (hour < 24 && minute < 60) || value == 2400
        }
        None => false,
    }
}

/// ファイル連番: a real date-time written `YYYYMMDDHHMMSS`, shared by every file of one send unit.
/// Ordered by time, which is the order a receiver must import units in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Serial(NaiveDateTime);

impl Serial {
    pub fn parse(text: &str) -> Option<Serial> {
        if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let date = parse_date(&text[..8])?;
        if !SERVICE_YEARS.contains(&date.year()) {
            return None;
        }
        let hms = digits(&text[8..], 6)?;
        let time = NaiveTime::from_hms_opt(hms / 10_000, (hms / 100) % 100, hms % 100)?;
        Some(Serial(NaiveDateTime::new(date, time)))
    }

    pub fn date_time(&self) -> NaiveDateTime {
        self.0
    }
}

impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (d, t) = (self.0.date(), self.0.time());
        write!(
            f,
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            d.year(),
            d.month(),
            d.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_months() {
        assert_eq!(
            YearMonth::parse("202504"),
            Some(YearMonth {
                year: 2025,
                month: 4
            })
        );
        assert_eq!(YearMonth::parse("202513"), None);
        assert_eq!(YearMonth::parse("202500"), None);
        assert_eq!(YearMonth::parse("20254"), None);
        assert_eq!(YearMonth::parse("000000"), None);
        assert_eq!(YearMonth::parse("2025-4"), None);
    }

    #[test]
    fn dates() {
        assert!(parse_date("20240229").is_some(), "leap day");
        assert!(parse_date("20250229").is_none());
        assert!(parse_date("20250431").is_none());
        assert!(parse_date("19300105").is_some(), "birth dates are old");
        assert!(parse_date("00000000").is_none());
        assert!(parse_date("2025/4/1").is_none());
        let april = YearMonth::parse("202504").unwrap();
        assert!(april.contains(parse_date("20250430").unwrap()));
        assert!(!april.contains(parse_date("20250501").unwrap()));
    }

    #[test]
    fn days_of_a_month() {
        let days = |text: &str| YearMonth::parse(text).unwrap().days();
        assert_eq!(days("202504"), 30);
        assert_eq!(days("202505"), 31);
        assert_eq!(days("202502"), 28);
        assert_eq!(days("202402"), 29, "a leap year");
        assert_eq!(days("209912"), 31, "the last month of the service years");
    }

    #[test]
    fn times() {
        for ok in ["0000", "0930", "2359", "2400", "9999"] {
            assert!(is_valid_hhmm_or_9999(ok), "{ok}");
        }
        for bad in ["2401", "2460", "0960", "12:00", "930", "", "99999"] {
            assert!(!is_valid_hhmm_or_9999(bad), "{bad}");
        }
    }

    #[test]
    fn serials_are_real_date_times_and_round_trip() {
        let serial = Serial::parse("20250401093005").unwrap();
        assert_eq!(serial.to_string(), "20250401093005");
        assert!(Serial::parse("20250401093060").is_none());
        assert!(Serial::parse("20250431093000").is_none());
        assert!(Serial::parse("19991231235959").is_none());
        assert!(
            Serial::parse("201911110102233").is_none(),
            "the standard's 15-digit typo"
        );
        assert!(Serial::parse("20250401093000") < Serial::parse("20250401093001"));
    }
}
