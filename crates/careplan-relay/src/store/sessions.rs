//! Login stages (stage 1 passed, stage 2 pending) and sessions. Both are found by the SHA-256 of a
//! random bearer token, never by the token itself.

use sqlx::{FromRow, Row};

use super::Store;
use crate::error::RelayError;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StageRow {
    pub personal_user_id: String,
    pub office_number: String,
    pub cert_fingerprint: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub office_number: String,
    pub personal_user_id: String,
    pub office_user_id: String,
    pub terminal_name: String,
    pub cert_fingerprint: String,
    pub expires_at: i64,
}

pub struct Sessions<'a> {
    pub(super) db: &'a Store,
}

impl Sessions<'_> {
    /// Stores a stage token, and sweeps the office's stage tokens that have expired unused.
    pub async fn insert_stage(&self, token_hash: &str, stage: &StageRow) -> Result<(), RelayError> {
        sqlx::query("DELETE FROM login_stages WHERE office_number = $1 AND expires_at < $2")
            .bind(&stage.office_number)
            .bind(crate::clock::now_ms())
            .execute(&self.db.writer)
            .await?;
        sqlx::query("INSERT INTO login_stages (token_hash, personal_user_id, office_number, cert_fingerprint, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(&stage.personal_user_id)
            .bind(&stage.office_number)
            .bind(&stage.cert_fingerprint)
            .bind(stage.expires_at)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }

    /// Takes a stage token: it works once.
    pub async fn take_stage(&self, token_hash: &str) -> Result<Option<StageRow>, RelayError> {
        let row = sqlx::query("DELETE FROM login_stages WHERE token_hash = $1 RETURNING personal_user_id, office_number, cert_fingerprint, expires_at")
            .bind(token_hash)
            .fetch_optional(&self.db.writer)
            .await?;
        row.map(|r| StageRow::from_row(&r))
            .transpose()
            .map_err(Into::into)
    }

    pub async fn insert(
        &self,
        token_hash: &str,
        session: &SessionRow,
        now: i64,
    ) -> Result<(), RelayError> {
        sqlx::query("INSERT INTO sessions (token_hash, office_number, personal_user_id, office_user_id, terminal_name, cert_fingerprint, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(token_hash)
            .bind(&session.office_number)
            .bind(&session.personal_user_id)
            .bind(&session.office_user_id)
            .bind(&session.terminal_name)
            .bind(&session.cert_fingerprint)
            .bind(now)
            .bind(session.expires_at)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }

    /// The office's sessions that have not expired, after sweeping those that have.
    pub async fn live_count(&self, office_number: &str, now: i64) -> Result<i64, RelayError> {
        sqlx::query("DELETE FROM sessions WHERE office_number = $1 AND expires_at < $2")
            .bind(office_number)
            .bind(now)
            .execute(&self.db.writer)
            .await?;
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE office_number = $1")
            .bind(office_number)
            .fetch_one(&self.db.writer)
            .await?
            .try_get("n")?;
        Ok(n)
    }

    pub async fn get(&self, token_hash: &str) -> Result<Option<SessionRow>, RelayError> {
        let row = sqlx::query("SELECT office_number, personal_user_id, office_user_id, terminal_name, cert_fingerprint, expires_at FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.db.pool)
            .await?;
        row.map(|r| SessionRow::from_row(&r))
            .transpose()
            .map_err(Into::into)
    }

    pub async fn delete(&self, token_hash: &str) -> Result<(), RelayError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }
}
