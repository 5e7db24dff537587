//! The audit log: append-only, one line per login, send, fetch, draft change and admin action.
//! Lines that belong to a change are written in that change's transaction, so a line exists exactly
//! when what it records does.

use sqlx::Row;

use super::Store;
use crate::error::RelayError;

/// One line to write.
pub struct AuditEntry<'a> {
    pub at: i64,
    pub office: Option<&'a str>,
    pub actor: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
}

/// One line as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    pub at: i64,
    pub office: Option<String>,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (at, office_number, actor, action, detail) VALUES ($1, $2, $3, $4, $5)";

/// Writes a line inside a transaction of the change it records.
pub(super) async fn write_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    entry: &AuditEntry<'_>,
) -> Result<(), RelayError> {
    sqlx::query(INSERT_AUDIT)
        .bind(entry.at)
        .bind(entry.office)
        .bind(entry.actor)
        .bind(entry.action)
        .bind(entry.detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub struct AuditLog<'a> {
    pub(super) db: &'a Store,
}

impl AuditLog<'_> {
    /// Writes a line on its own (for actions that change nothing else, such as a failed login).
    pub async fn write(&self, entry: &AuditEntry<'_>) -> Result<(), RelayError> {
        sqlx::query(INSERT_AUDIT)
            .bind(entry.at)
            .bind(entry.office)
            .bind(entry.actor)
            .bind(entry.action)
            .bind(entry.detail)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }

    /// Every line, oldest first (for the operator and tests).
    pub async fn lines(&self) -> Result<Vec<AuditLine>, RelayError> {
        let rows = sqlx::query(
            "SELECT at, office_number, actor, action, detail FROM audit_log ORDER BY id",
        )
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditLine {
                    at: r.try_get("at")?,
                    office: r.try_get("office_number")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}
