//! A rate limit per office: a runaway script or a stuck retry loop at one office must not slow the
//! relay down for the others. Checked once per request, where the connection's certificate is
//! resolved to its office (login and every session request).

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::RelayError;

pub struct OfficeRateLimit {
    limiter: Option<DefaultKeyedRateLimiter<String>>,
    clock: DefaultClock,
}

impl OfficeRateLimit {
    /// `per_minute` requests a minute on average, up to `burst` at once; 0 turns the limit off.
    pub fn new(per_minute: u32, burst: u32) -> OfficeRateLimit {
        let limiter = NonZeroU32::new(per_minute).map(|rate| {
            let burst = NonZeroU32::new(burst).unwrap_or(rate);
            RateLimiter::keyed(Quota::per_minute(rate).allow_burst(burst))
        });
        OfficeRateLimit {
            limiter,
            clock: DefaultClock::default(),
        }
    }

    /// Counts one request of `office`; refuses it (429) when the office is over its limit.
    pub fn check(&self, office: &str) -> Result<(), RelayError> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        // Offices that have been quiet need no memory; trimming now and then keeps the map small.
        if limiter.len() > 10_000 {
            limiter.retain_recent();
        }
        limiter.check_key(&office.to_owned()).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            too_many_requests(wait)
        })
    }
}

fn too_many_requests(wait: Duration) -> RelayError {
    RelayError::RateLimited {
        seconds: wait.as_secs() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_office_has_its_own_budget() {
        let limit = OfficeRateLimit::new(60, 3);
        for _ in 0..3 {
            limit.check("1370000018").unwrap();
        }
        let refused = limit.check("1370000018").unwrap_err();
        assert_eq!(refused.code(), "rate.limited");
        assert!(
            matches!(refused, RelayError::RateLimited { seconds } if (1..=2).contains(&seconds)),
            "{refused}"
        );
        limit.check("1370000026").unwrap();
    }

    #[test]
    fn zero_turns_the_limit_off() {
        let limit = OfficeRateLimit::new(0, 0);
        for _ in 0..1000 {
            limit.check("1370000018").unwrap();
        }
    }
}
