//! 受信通知: feed tokens (found by their SHA-256, alive while their session is), and what an office's
//! feed tells: the messages that wait for it and the files of its sends that partners took.

use sqlx::{FromRow, Row};

use super::Store;
use crate::access::OfficeScope;
use crate::error::RelayError;

/// A feed token as the relay checks it: its office and certificate, and its session's end.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedTokenRow {
    pub office_number: String,
    pub cert_fingerprint: String,
    /// The session's `expires_at`: a feed token never outlives its session.
    pub expires_at: i64,
}

pub struct FeedTokens<'a> {
    pub(super) db: &'a Store,
}

impl FeedTokens<'_> {
    /// Stores the token of a session, replacing the one it had (one feed token per session), and
    /// sweeps the office's tokens whose session is gone.
    pub async fn issue(
        &self,
        token_hash: &str,
        session_hash: &str,
        token: &FeedTokenRow,
        now: i64,
    ) -> Result<(), RelayError> {
        let mut tx = self.db.writer.begin().await?;
        sqlx::query(
            "DELETE FROM feed_tokens WHERE office_number = $1 AND (session_hash = $2 OR session_hash NOT IN \
             (SELECT token_hash FROM sessions WHERE office_number = $1 AND expires_at >= $3))",
        )
        .bind(&token.office_number)
        .bind(session_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO feed_tokens (token_hash, session_hash, office_number, cert_fingerprint, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(session_hash)
            .bind(&token.office_number)
            .bind(&token.cert_fingerprint)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The token, if its session still exists (logged out, or its ID deleted: none).
    pub async fn get(&self, token_hash: &str) -> Result<Option<FeedTokenRow>, RelayError> {
        let row = sqlx::query(
            "SELECT f.office_number AS office_number, f.cert_fingerprint AS cert_fingerprint, \
             s.expires_at AS expires_at FROM feed_tokens f \
             JOIN sessions s ON s.token_hash = f.session_hash AND s.office_number = f.office_number \
             WHERE f.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|r| FeedTokenRow::from_row(&r))
            .transpose()
            .map_err(Into::into)
    }

    /// Revokes the token of a session (at logout).
    pub async fn revoke_of_session(&self, session_hash: &str) -> Result<(), RelayError> {
        sqlx::query("DELETE FROM feed_tokens WHERE session_hash = $1")
            .bind(session_hash)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }
}

/// A message that waits for the office, as its feed tells it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WaitingRow {
    pub message_id: String,
    pub sender_office: String,
    pub sender_name: String,
    pub files: i64,
    pub sent_at: i64,
}

/// A file the office sent that its receiver took.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TakenRow {
    pub file_id: String,
    pub message_id: String,
    pub receiver_office: String,
    pub receiver_name: String,
    pub fetched_at: i64,
}

/// What one office's feed reads.
pub struct Feed<'a> {
    pub(super) db: &'a Store,
    pub(super) office: &'a OfficeScope,
}

impl Feed<'_> {
    /// The newest messages with files still 未 for this office, newest first, with how many.
    pub async fn waiting(&self, limit: i64) -> Result<Vec<WaitingRow>, RelayError> {
        let rows = sqlx::query(
            "SELECT m.id AS message_id, m.sender_office AS sender_office, o.name AS sender_name, \
             COUNT(*) AS files, m.sent_at AS sent_at FROM messages m \
             JOIN message_files f ON f.message_id = m.id JOIN offices o ON o.number = m.sender_office \
             WHERE m.receiver_office = $1 AND f.fetched_at IS NULL AND f.content_purged_at IS NULL \
             GROUP BY m.id, m.sender_office, o.name, m.sent_at ORDER BY m.sent_at DESC, m.id DESC LIMIT $2",
        )
        .bind(self.office.number())
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| WaitingRow::from_row(r).map_err(Into::into))
            .collect()
    }

    /// One message of this office's inbox as an arrival (none when it is not this office's).
    pub async fn arrival(&self, message_id: &str) -> Result<Option<WaitingRow>, RelayError> {
        let row = sqlx::query(
            "SELECT m.id AS message_id, m.sender_office AS sender_office, o.name AS sender_name, \
             COUNT(*) AS files, m.sent_at AS sent_at FROM messages m \
             JOIN message_files f ON f.message_id = m.id JOIN offices o ON o.number = m.sender_office \
             WHERE m.id = $1 AND m.receiver_office = $2 AND f.fetched_at IS NULL AND f.content_purged_at IS NULL \
             GROUP BY m.id, m.sender_office, o.name, m.sent_at",
        )
        .bind(message_id)
        .bind(self.office.number())
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|r| WaitingRow::from_row(&r))
            .transpose()
            .map_err(Into::into)
    }

    /// Files this office sent that were taken after `since`, oldest first. `sent_after` bounds the
    /// messages read: a file taken after `since` was sent at most the retention's days before.
    pub async fn taken_since(
        &self,
        since: i64,
        sent_after: i64,
        limit: i64,
    ) -> Result<Vec<TakenRow>, RelayError> {
        let rows = sqlx::query(
            "SELECT f.id AS file_id, m.id AS message_id, m.receiver_office AS receiver_office, \
             o.name AS receiver_name, f.fetched_at AS fetched_at FROM messages m \
             JOIN message_files f ON f.message_id = m.id JOIN offices o ON o.number = m.receiver_office \
             WHERE m.sender_office = $1 AND m.sent_at >= $2 AND f.fetched_at > $3 \
             ORDER BY f.fetched_at, f.id LIMIT $4",
        )
        .bind(self.office.number())
        .bind(sent_after)
        .bind(since)
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| TakenRow::from_row(r).map_err(Into::into))
            .collect()
    }

    /// Received files not yet taken (the badge).
    pub async fn unfetched_files(&self) -> Result<u64, RelayError> {
        let mailbox = super::Mailbox {
            db: self.db,
            office: self.office,
        };
        Ok(mailbox.unfetched_count().await?.max(0) as u64)
    }

    /// The office's count of messages received (one indexed row): a feed compares it now and then
    /// to learn of sends another relay process stored.
    pub async fn inbox_counter(&self) -> Result<i64, RelayError> {
        let row = sqlx::query("SELECT inbox FROM office_message_counts WHERE office_number = $1")
            .bind(self.office.number())
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(row.map(|r| r.try_get("inbox")).transpose()?.unwrap_or(0))
    }
}
