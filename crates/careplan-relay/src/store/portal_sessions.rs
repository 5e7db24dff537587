//! Sessions of the office portal (利用状況Webサイト): found by the SHA-256 of the cookie's random token,
//! never by the token itself; each carries the CSRF token its forms must send back.

use sqlx::FromRow;

use super::Store;
use crate::error::RelayError;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PortalSessionRow {
    pub office_number: String,
    /// `office` (事業所ユーザID, KJ…) or `personal` (個人ユーザID, c…).
    pub id_kind: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

const COLUMNS: &str =
    "office_number, id_kind, user_id, csrf_token, created_at, last_seen_at, expires_at";

pub struct PortalSessions<'a> {
    pub(super) db: &'a Store,
}

impl PortalSessions<'_> {
    pub async fn insert(&self, token_hash: &str, row: &PortalSessionRow) -> Result<(), RelayError> {
        sqlx::query(super::constant_sql(format!(
            "INSERT INTO portal_sessions (token_hash, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )))
        .bind(token_hash)
        .bind(&row.office_number)
        .bind(&row.id_kind)
        .bind(&row.user_id)
        .bind(&row.csrf_token)
        .bind(row.created_at)
        .bind(row.last_seen_at)
        .bind(row.expires_at)
        .execute(&self.db.writer)
        .await?;
        Ok(())
    }

    pub async fn get(&self, token_hash: &str) -> Result<Option<PortalSessionRow>, RelayError> {
        let row = sqlx::query(super::constant_sql(format!(
            "SELECT {COLUMNS} FROM portal_sessions WHERE token_hash = $1"
        )))
        .bind(token_hash)
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row.map(|r| PortalSessionRow::from_row(&r)).transpose()?)
    }

    /// Counts the session as used now (its idle time starts again).
    pub async fn touch(&self, token_hash: &str, now: i64) -> Result<(), RelayError> {
        sqlx::query("UPDATE portal_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }

    pub async fn delete(&self, token_hash: &str) -> Result<(), RelayError> {
        sqlx::query("DELETE FROM portal_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }

    /// Ends every portal session of one ID (its password changed, or it was locked or deleted).
    pub async fn delete_for_user(&self, id_kind: &str, user_id: &str) -> Result<(), RelayError> {
        sqlx::query("DELETE FROM portal_sessions WHERE id_kind = $1 AND user_id = $2")
            .bind(id_kind)
            .bind(user_id)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }

    /// Removes sessions past their end; answers how many.
    pub async fn sweep(&self, now: i64) -> Result<u64, RelayError> {
        Ok(
            sqlx::query("DELETE FROM portal_sessions WHERE expires_at < $1")
                .bind(now)
                .execute(&self.db.writer)
                .await?
                .rows_affected(),
        )
    }
}
