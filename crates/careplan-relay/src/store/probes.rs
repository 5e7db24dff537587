//! Wrong logins with an ID the asking office does not have: an unknown ID, or one of another office.
//! They are counted per asking office (the certificate's) and ID with the same rule as a real ID's
//! failures ([`FailureRule`]), so that such an ID answers 「ロックされています」 after as many failures
//! as a real one would (the answers do not tell whether an ID exists), and another office's ID is never
//! touched: one office cannot lock another out.

use sqlx::Row;

use super::offices::{next_count, FailureRule};
use super::{constant_sql, Store, UserTable};
use crate::error::RelayError;

pub struct LoginProbes<'a> {
    pub(super) db: &'a Store,
}

impl LoginProbes<'_> {
    /// Until when this office's probes of this ID are locked, if they are.
    pub async fn locked_until(
        &self,
        table: UserTable,
        asking_office: &str,
        id: &str,
    ) -> Result<Option<i64>, RelayError> {
        let row = sqlx::query(
            "SELECT locked_until FROM login_probes WHERE id_kind = $1 AND asking_office = $2 AND user_id = $3",
        )
        .bind(table.kind())
        .bind(asking_office)
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row
            .map(|r| r.try_get::<Option<i64>, _>("locked_until"))
            .transpose()?
            .flatten())
    }

    /// Counts one more wrong login, and forgets probes whose count has run out (a failure after them
    /// would start again at 1, as if there were no row).
    pub async fn record_failure(
        &self,
        table: UserTable,
        asking_office: &str,
        id: &str,
        rule: FailureRule,
    ) -> Result<(), RelayError> {
        let count = next_count("login_probes.");
        let mut tx = self.db.writer.begin().await?;
        sqlx::query(constant_sql(format!(
            "INSERT INTO login_probes (id_kind, asking_office, user_id, failed_attempts, last_failed_at, locked_until) \
             VALUES ($5, $6, $7, 1, $1, CASE WHEN 1 >= $3 THEN $4 ELSE NULL END) \
             ON CONFLICT (id_kind, asking_office, user_id) DO UPDATE SET failed_attempts = {count}, \
             locked_until = CASE WHEN {count} >= $3 THEN $4 ELSE NULL END, last_failed_at = $1"
        )))
        .bind(rule.now)
        .bind(rule.window_start)
        .bind(rule.max_failures)
        .bind(rule.lock_until)
        .bind(table.kind())
        .bind(asking_office)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM login_probes WHERE last_failed_at <= $1 AND (locked_until IS NULL OR locked_until <= $2)",
        )
        .bind(rule.window_start)
        .bind(rule.now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many probes are remembered (for tests of the sweep).
    pub async fn count(&self) -> Result<i64, RelayError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM login_probes")
            .fetch_one(&self.db.pool)
            .await?
            .try_get("n")?)
    }
}
