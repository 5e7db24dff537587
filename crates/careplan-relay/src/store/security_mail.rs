//! セキュリティメール (seed 001): one address per login ID, confirmed by a code sent to it, and the
//! one-time codes that unlock the ID or replace a forgotten password. Every query is of the one ID of
//! a [`LoginIdScope`] (an office's ID, proven by its session or by the recovery flow of `access`).
//! Codes are stored as SHA-256 only, expire, and work once.

use sqlx::Row;

use super::Store;
use crate::access::LoginIdScope;
use crate::error::RelayError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRow {
    /// The confirmed address.
    pub address: Option<String>,
    pub confirmed_at: Option<i64>,
    /// An address waiting for its code.
    pub pending_address: Option<String>,
}

/// What a code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    /// Confirms the pending address.
    Confirm,
    /// Unlocks an ID locked by wrong passwords.
    Unlock,
    /// Replaces a forgotten password.
    Reset,
}

impl CodePurpose {
    fn as_str(self) -> &'static str {
        match self {
            CodePurpose::Confirm => "confirm",
            CodePurpose::Unlock => "unlock",
            CodePurpose::Reset => "reset",
        }
    }
}

/// What entering a code did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// Right, in time, not used before: now used.
    Accepted,
    /// Wrong, expired, used before, or none was sent: the same answer for all.
    Refused,
}

pub struct SecurityMail<'a> {
    pub(super) db: &'a Store,
    pub(super) login: &'a LoginIdScope,
}

impl SecurityMail<'_> {
    fn key(&self) -> (&'static str, &str, &str) {
        (
            self.login.kind_str(),
            self.login.id(),
            self.login.office().number(),
        )
    }

    pub async fn get(&self) -> Result<Option<MailRow>, RelayError> {
        let (kind, id, office) = self.key();
        let row = sqlx::query("SELECT address, confirmed_at, pending_address FROM security_mail WHERE id_kind = $1 AND user_id = $2 AND office_number = $3")
            .bind(kind)
            .bind(id)
            .bind(office)
            .fetch_optional(&self.db.pool)
            .await?;
        row.map(|r| -> Result<MailRow, sqlx::Error> {
            Ok(MailRow {
                address: r.try_get("address")?,
                confirmed_at: r.try_get("confirmed_at")?,
                pending_address: r.try_get("pending_address")?,
            })
        })
        .transpose()
        .map_err(Into::into)
    }

    /// Sets the address waiting for its code (the confirmed one, if any, stays until then).
    pub async fn set_pending(&self, address: &str) -> Result<(), RelayError> {
        let (kind, id, office) = self.key();
        sqlx::query(
            "INSERT INTO security_mail (id_kind, user_id, office_number, pending_address) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id_kind, user_id) DO UPDATE SET pending_address = excluded.pending_address",
        )
        .bind(kind)
        .bind(id)
        .bind(office)
        .bind(address)
        .execute(&self.db.writer)
        .await?;
        Ok(())
    }

    /// The pending address becomes the confirmed one.
    pub async fn confirm_pending(&self, now: i64) -> Result<bool, RelayError> {
        let (kind, id, office) = self.key();
        let done = sqlx::query(
            "UPDATE security_mail SET address = pending_address, confirmed_at = $1, pending_address = NULL \
             WHERE id_kind = $2 AND user_id = $3 AND office_number = $4 AND pending_address IS NOT NULL",
        )
        .bind(now)
        .bind(kind)
        .bind(id)
        .bind(office)
        .execute(&self.db.writer)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    pub async fn remove(&self) -> Result<(), RelayError> {
        let (kind, id, office) = self.key();
        sqlx::query(
            "DELETE FROM security_mail WHERE id_kind = $1 AND user_id = $2 AND office_number = $3",
        )
        .bind(kind)
        .bind(id)
        .bind(office)
        .execute(&self.db.writer)
        .await?;
        Ok(())
    }

    /// Codes sent to this ID since `since`, for the rate limit.
    pub async fn codes_since(&self, since: i64) -> Result<i64, RelayError> {
        let (kind, id, _) = self.key();
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM mail_codes WHERE id_kind = $1 AND user_id = $2 AND created_at >= $3",
        )
        .bind(kind)
        .bind(id)
        .bind(since)
        .fetch_one(&self.db.pool)
        .await?
        .try_get("n")?)
    }

    /// Stores a new code (its hash); earlier unused codes of the same purpose stop working.
    pub async fn new_code(
        &self,
        purpose: CodePurpose,
        code_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), RelayError> {
        let (kind, id, office) = self.key();
        let mut tx = self.db.writer.begin().await?;
        sqlx::query("UPDATE mail_codes SET used_at = $1 WHERE id_kind = $2 AND user_id = $3 AND purpose = $4 AND used_at IS NULL")
            .bind(now)
            .bind(kind)
            .bind(id)
            .bind(purpose.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO mail_codes (id_kind, user_id, office_number, purpose, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(kind)
            .bind(id)
            .bind(office)
            .bind(purpose.as_str())
            .bind(code_hash)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks a code against the newest unused one of this purpose. A right code in time is used
    /// up; a wrong one counts, and `max_failures` wrong ones use the code up too.
    pub async fn take_code(
        &self,
        purpose: CodePurpose,
        code_hash: &str,
        now: i64,
        max_failures: i64,
    ) -> Result<CodeCheck, RelayError> {
        let (kind, id, office) = self.key();
        let Some(row) = sqlx::query(
            "SELECT id, code_hash, expires_at FROM mail_codes \
             WHERE id_kind = $1 AND user_id = $2 AND office_number = $3 AND purpose = $4 AND used_at IS NULL \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(kind)
        .bind(id)
        .bind(office)
        .bind(purpose.as_str())
        .fetch_optional(&self.db.writer)
        .await?
        else {
            return Ok(CodeCheck::Refused);
        };
        let code_id: i64 = row.try_get("id")?;
        let expires_at: i64 = row.try_get("expires_at")?;
        let stored: String = row.try_get("code_hash")?;
        if expires_at < now {
            return Ok(CodeCheck::Refused);
        }
        if !crate::auth::constant_time_eq(stored.as_bytes(), code_hash.as_bytes()) {
            sqlx::query(
                "UPDATE mail_codes SET failed_attempts = failed_attempts + 1, \
                 used_at = CASE WHEN failed_attempts + 1 >= $1 THEN $2 ELSE used_at END WHERE id = $3",
            )
            .bind(max_failures)
            .bind(now)
            .bind(code_id)
            .execute(&self.db.writer)
            .await?;
            return Ok(CodeCheck::Refused);
        }
        // Used exactly once, even by two requests at the same moment.
        let used =
            sqlx::query("UPDATE mail_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
                .bind(now)
                .bind(code_id)
                .execute(&self.db.writer)
                .await?
                .rows_affected();
        Ok(if used == 1 {
            CodeCheck::Accepted
        } else {
            CodeCheck::Refused
        })
    }
}
