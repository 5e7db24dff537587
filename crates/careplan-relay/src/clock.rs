//! Time: Unix milliseconds inside, RFC 3339 in Japan time on the wire.

use time::{format_description::well_known::Rfc3339, Duration, OffsetDateTime, UtcOffset};

pub const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("+09:00 is a valid offset"),
};

pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

pub fn to_datetime(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(JST)
}

/// `2025-04-01T09:30:00.123+09:00`.
pub fn rfc3339(ms: i64) -> String {
    to_datetime(ms).format(&Rfc3339).unwrap_or_default()
}

/// The first millisecond of a day in Japan time.
pub fn day_start_ms(date: time::Date) -> i64 {
    date.midnight().assume_offset(JST).unix_timestamp() * 1000
}

pub fn minutes(n: i64) -> i64 {
    Duration::minutes(n).whole_milliseconds() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_japan_time() {
        assert_eq!(rfc3339(0), "1970-01-01T09:00:00+09:00");
        assert_eq!(minutes(2), 120_000);
        let day = time::Date::from_calendar_date(2025, time::Month::April, 1).unwrap();
        assert_eq!(rfc3339(day_start_ms(day)), "2025-04-01T00:00:00+09:00");
    }
}
