//! The operator's settings of the portal (the フリーパス, its end, the automatic renewal) and the
//! 利用規約 the operator published; global, not any office's.

use sqlx::Row;

use super::Store;
use crate::error::RelayError;

/// The 利用規約 in force.
#[derive(Debug, Clone)]
pub struct TermsRow {
    pub version: i64,
    pub published_at: i64,
    pub body: String,
}

pub struct PortalSettings<'a> {
    pub(super) db: &'a Store,
}

impl PortalSettings<'_> {
    pub async fn get(&self, key: &str) -> Result<Option<String>, RelayError> {
        let row = sqlx::query("SELECT value FROM portal_settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    pub async fn set(&self, key: &str, value: &str, now: i64) -> Result<(), RelayError> {
        sqlx::query(
            "INSERT INTO portal_settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(now)
        .execute(&self.db.writer)
        .await?;
        Ok(())
    }

    /// The newest 利用規約 the operator published, if any.
    pub async fn terms(&self) -> Result<Option<TermsRow>, RelayError> {
        let row = sqlx::query(
            "SELECT version, published_at, body FROM terms_versions ORDER BY version DESC LIMIT 1",
        )
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|r| -> Result<TermsRow, sqlx::Error> {
            Ok(TermsRow {
                version: r.try_get("version")?,
                published_at: r.try_get("published_at")?,
                body: r.try_get("body")?,
            })
        })
        .transpose()
        .map_err(Into::into)
    }

    /// Publishes a new version of the 利用規約; answers its number (1, 2, …).
    pub async fn publish_terms(&self, body: &str, now: i64) -> Result<i64, RelayError> {
        let mut tx = self.db.writer.begin().await?;
        let next: i64 =
            sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 AS next FROM terms_versions")
                .fetch_one(&mut *tx)
                .await?
                .try_get("next")?;
        sqlx::query("INSERT INTO terms_versions (version, published_at, body) VALUES ($1, $2, $3)")
            .bind(next)
            .bind(now)
            .bind(body)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(next)
    }
}
