//! The licence's rules (seed 002 §6, seed 004 step 7, seed 001): one year from the day it starts,
//! ¥21,000 a year per 事業所番号, waived while the operator's フリーパス is on; licences granted under the
//! フリーパス renew themselves at their end while the operator has the automatic renewal on and the
//! フリーパス still holds. Used by the operator's commands and by the portal's 利用申請.

use time::{Date, Duration, OffsetDateTime};

use crate::clock::{now_ms, JST};
use crate::error::RelayError;
use crate::store::{GrantReason, LicenceRow, Store};

/// The yearly fee per 事業所番号, tax included.
pub const YEARLY_FEE_YEN: i64 = 21_000;

/// Today in Japan.
pub fn today() -> Date {
    OffsetDateTime::now_utc().to_offset(JST).date()
}

/// The last day of a licence starting on `starts`: one year, the day before the anniversary.
pub fn expiry_of(starts: Date) -> Date {
    starts
        .replace_year(starts.year() + 1)
        .unwrap_or(starts + Duration::days(365))
        - Duration::days(1)
}

/// The licence of an office for the year from `starts`; `paid` only counts without the フリーパス.
pub fn licence_from(office_number: &str, starts: Date, free_pass: bool, paid: bool) -> LicenceRow {
    LicenceRow {
        office_number: office_number.to_owned(),
        starts_on: starts.to_string(),
        expires_on: expiry_of(starts).to_string(),
        fee_yen: YEARLY_FEE_YEN,
        free_pass,
        payment: if free_pass {
            "waived"
        } else if paid {
            "paid"
        } else {
            "unpaid"
        }
        .to_owned(),
    }
}

/// What the office pays for a period: nothing under the フリーパス.
pub fn charged_yen(licence: &LicenceRow) -> i64 {
    if licence.free_pass {
        0
    } else {
        licence.fee_yen
    }
}

/// The day the next period of a licence starts: the day after it ends, or today if it has ended (an
/// office is not charged for the time it could not send).
pub fn next_start(current: &LicenceRow, today: Date) -> Result<Date, RelayError> {
    Ok((crate::admin::parse_date(&current.expires_on)? + Duration::days(1)).max(today))
}

/// The operator's フリーパス: whether it is on, its last day, and whether licences granted under it
/// renew themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FreePass {
    pub enabled: bool,
    pub until: Option<Date>,
    pub auto_renew: bool,
}

const FREE_PASS: &str = "free_pass";
const FREE_PASS_UNTIL: &str = "free_pass_until";
const FREE_PASS_AUTO_RENEW: &str = "free_pass_auto_renew";

impl FreePass {
    /// Whether a licence starting on `day` is granted under it.
    pub fn applies_on(&self, day: Date) -> bool {
        self.enabled && self.until.is_none_or(|until| day <= until)
    }

    pub async fn read(store: &Store) -> Result<FreePass, RelayError> {
        let settings = store.portal_settings();
        let on = |v: Option<String>| v.as_deref() == Some("on");
        let until = match settings.get(FREE_PASS_UNTIL).await? {
            Some(text) if !text.is_empty() => Some(crate::admin::parse_date(&text)?),
            _ => None,
        };
        Ok(FreePass {
            enabled: on(settings.get(FREE_PASS).await?),
            until,
            auto_renew: on(settings.get(FREE_PASS_AUTO_RENEW).await?),
        })
    }

    pub async fn write(&self, store: &Store) -> Result<(), RelayError> {
        let settings = store.portal_settings();
        let now = now_ms();
        let flag = |on: bool| if on { "on" } else { "off" };
        settings.set(FREE_PASS, flag(self.enabled), now).await?;
        settings
            .set(
                FREE_PASS_UNTIL,
                &self.until.map(|d| d.to_string()).unwrap_or_default(),
                now,
            )
            .await?;
        settings
            .set(FREE_PASS_AUTO_RENEW, flag(self.auto_renew), now)
            .await
    }
}

/// Renews the licences granted under the フリーパス that ended before `today`, each from the day after
/// its end (contiguous, so that an office never loses a day), while the automatic renewal is on and
/// the フリーパス holds on that day; answers the offices renewed. Run by `serve` every hour and by
/// the portal before it shows a licence.
pub async fn renew_due(store: &Store, today: Date) -> Result<Vec<String>, RelayError> {
    let free_pass = FreePass::read(store).await?;
    if !free_pass.auto_renew {
        return Ok(Vec::new());
    }
    let mut renewed = Vec::new();
    for current in store
        .licences()
        .free_pass_ended_before(&today.to_string())
        .await?
    {
        let mut licence = current;
        // A relay that was stopped for more than a year renews period after period.
        loop {
            let starts = crate::admin::parse_date(&licence.expires_on)? + Duration::days(1);
            if starts > today || !free_pass.applies_on(starts) {
                break;
            }
            licence = licence_from(&licence.office_number, starts, true, false);
            store
                .licences()
                .grant(&licence, GrantReason::Automatic, now_ms())
                .await?;
        }
        if licence.expires_on >= today.to_string() {
            renewed.push(licence.office_number.clone());
        }
    }
    Ok(renewed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_licence_runs_one_year_to_the_day_before_its_anniversary() {
        assert_eq!(expiry_of(date!(2025 - 06 - 01)), date!(2026 - 05 - 31));
        // 29 February has no anniversary: a year of 365 days.
        assert_eq!(expiry_of(date!(2024 - 02 - 29)), date!(2025 - 02 - 27));
    }

    #[test]
    fn the_free_pass_holds_to_its_last_day() {
        let pass = FreePass {
            enabled: true,
            until: Some(date!(2027 - 03 - 31)),
            auto_renew: true,
        };
        assert!(pass.applies_on(date!(2027 - 03 - 31)));
        assert!(!pass.applies_on(date!(2027 - 04 - 01)));
        assert!(!FreePass::default().applies_on(date!(2025 - 01 - 01)));
        let open_ended = FreePass {
            until: None,
            ..pass
        };
        assert!(open_ended.applies_on(date!(2099 - 01 - 01)));
    }

    #[test]
    fn the_fee_is_waived_under_the_free_pass() {
        let paid = licence_from("1370000018", date!(2025 - 06 - 01), false, false);
        assert_eq!(
            (charged_yen(&paid), paid.payment.as_str()),
            (21_000, "unpaid")
        );
        let free = licence_from("1370000018", date!(2025 - 06 - 01), true, false);
        assert_eq!((charged_yen(&free), free.payment.as_str()), (0, "waived"));
    }
}
