//! The purge job: contents past their time and records past theirs (see [`crate::Retention`]),
//! in batches of short transactions, each with its audit line, the blobs deleted only after the
//! batch that released them is committed. Run by `careplan-relay purge` and hourly inside `serve`.
//!
//! A crash at any point leaves nothing half done: a batch is committed whole or not at all, and a
//! blob whose deletion was cut short is no longer referenced, so the orphan sweep at the next start
//! removes it.

use std::time::Duration;

use futures::StreamExt;

use crate::clock::now_ms;
use crate::error::RelayError;
use crate::{AppState, Relay};

/// Rows per transaction: small enough that a send waits for one batch at most.
pub const BATCH: i64 = 500;

/// Blob deletions in flight at once (an S3 store answers each in a round trip).
const PARALLEL_DELETES: usize = 16;

/// What one purge did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PurgeReport {
    /// Contents deleted untaken (their rows stay).
    pub contents: usize,
    /// Messages deleted with their files, units and 受領証.
    pub messages: usize,
    /// Blobs that could not be deleted now (the sweep at the next start takes them).
    pub blobs_left: usize,
}

async fn delete_blobs(state: &AppState, keys: Vec<String>) -> usize {
    futures::stream::iter(keys)
        .map(|key| async move {
            let result = state.blobs.delete(&key).await;
            if let Err(e) = &result {
                tracing::warn!(key, error = %e, "blob not deleted; the sweep at the next start removes it");
            }
            result.is_err()
        })
        .buffer_unordered(PARALLEL_DELETES)
        .filter(|failed| std::future::ready(*failed))
        .count()
        .await
}

/// Deletes everything due at `now`.
pub async fn purge(state: &AppState, now: i64) -> Result<PurgeReport, RelayError> {
    let retention = state.limits.retention;
    let mut report = PurgeReport::default();
    let mut cursor = None;
    loop {
        let (expired, next) = state
            .store
            .expire_contents(retention.content_cutoff(now), now, BATCH, cursor.as_ref())
            .await?;
        let Some(next) = next else {
            break;
        };
        cursor = Some(next);
        report.contents += expired.len();
        let keys = expired.into_iter().map(|e| e.blob_key).collect();
        report.blobs_left += delete_blobs(state, keys).await;
        // Between batches the writer is free for the sends waiting on it.
        tokio::task::yield_now().await;
    }
    loop {
        let purged = state
            .store
            .purge_records(retention.record_cutoff(now), now, BATCH)
            .await?;
        if purged.messages == 0 {
            break;
        }
        report.messages += purged.messages;
        report.blobs_left += delete_blobs(state, purged.blob_keys).await;
        tokio::task::yield_now().await;
    }
    if report.contents > 0 || report.messages > 0 {
        tracing::info!(
            contents = report.contents,
            messages = report.messages,
            blobs_left = report.blobs_left,
            "purged"
        );
    }
    Ok(report)
}

/// Runs [`purge`] every `every` (the first a minute after the start) until the task is aborted.
pub fn schedule(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60).min(every)).await;
        loop {
            if let Err(e) = purge(&state, now_ms()).await {
                tracing::error!(error = %e, "purge failed; it runs again at the next interval");
            }
            tokio::time::sleep(every).await;
        }
    })
}

impl Relay {
    /// Deletes what is due at `now` (see [`purge`]).
    pub async fn purge(&self, now: i64) -> Result<PurgeReport, RelayError> {
        purge(&self.state, now).await
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::rfc3339;
    use crate::Retention;

    const APRIL_1: i64 = 1_743_433_200_000; // 2025-04-01T00:00:00+09:00

    #[test]
    fn contents_go_after_their_days_and_the_sender_is_told_a_week_before() {
        let r = Retention::default();
        assert_eq!(rfc3339(APRIL_1), "2025-04-01T00:00:00+09:00");
        assert_eq!(
            rfc3339(r.content_expires_at(APRIL_1)),
            "2025-05-31T00:00:00+09:00"
        );
        // A content sent on 1 April is due from 31 May, and warned of from 24 May.
        let may_31 = r.content_expires_at(APRIL_1);
        assert!(APRIL_1 < r.content_cutoff(may_31) + 1);
        assert!(APRIL_1 >= r.content_cutoff(may_31 - 1));
        let may_24 = may_31 - 7 * 86_400_000;
        assert!(APRIL_1 < r.warning_cutoff(may_24) + 1);
        assert!(APRIL_1 >= r.warning_cutoff(may_24 - 1));
    }

    #[test]
    fn records_go_on_the_same_day_years_later_and_29_february_becomes_the_28th() {
        let r = Retention::default();
        assert_eq!(
            rfc3339(r.record_cutoff(APRIL_1)),
            "2020-04-01T00:00:00+09:00"
        );
        let leap_day = 1_709_132_400_000; // 2024-02-29T00:00:00+09:00
        assert_eq!(rfc3339(leap_day), "2024-02-29T00:00:00+09:00");
        assert_eq!(
            rfc3339(r.record_cutoff(leap_day)),
            "2019-02-28T00:00:00+09:00"
        );
    }

    #[test]
    fn a_policy_that_cannot_hold_is_refused_at_start() {
        assert!(Retention::default().check().is_ok());
        let at_limit = Retention {
            unfetched_days: 1,
            warn_days: 0,
            record_years: 1,
        };
        assert!(at_limit.check().is_ok());
        for bad in [
            Retention {
                unfetched_days: 0,
                ..at_limit
            },
            Retention {
                warn_days: 1,
                ..at_limit
            },
            Retention {
                record_years: 0,
                ..at_limit
            },
            Retention {
                unfetched_days: 365,
                ..Retention::default().with_years(1)
            },
        ] {
            assert!(bad.check().is_err(), "{bad:?}");
        }
    }

    impl Retention {
        fn with_years(self, record_years: i64) -> Retention {
            Retention {
                record_years,
                ..self
            }
        }
    }
}
