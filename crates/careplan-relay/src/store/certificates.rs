//! Client certificates the relay's CA issued, each bound to one office.

use sqlx::FromRow;

use super::Store;
use crate::error::RelayError;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CertificateRow {
    pub fingerprint: String,
    pub office_number: String,
    pub serial: String,
    pub subject: String,
    pub not_before: i64,
    pub not_after: i64,
    pub revoked_at: Option<i64>,
}

pub struct Certificates<'a> {
    pub(super) db: &'a Store,
}

impl Certificates<'_> {
    pub async fn insert(&self, cert: &CertificateRow) -> Result<(), RelayError> {
        sqlx::query("INSERT INTO certificates (fingerprint, office_number, serial, subject, not_before, not_after) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&cert.fingerprint)
            .bind(&cert.office_number)
            .bind(&cert.serial)
            .bind(&cert.subject)
            .bind(cert.not_before)
            .bind(cert.not_after)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }

    /// The certificate with this SHA-256 fingerprint (of its DER bytes).
    pub async fn by_fingerprint(
        &self,
        fingerprint: &str,
    ) -> Result<Option<CertificateRow>, RelayError> {
        let row = sqlx::query("SELECT fingerprint, office_number, serial, subject, not_before, not_after, revoked_at FROM certificates WHERE fingerprint = $1")
            .bind(fingerprint)
            .fetch_optional(&self.db.pool)
            .await?;
        row.map(|r| CertificateRow::from_row(&r))
            .transpose()
            .map_err(Into::into)
    }

    /// Revokes the certificate with this serial; answers how many were revoked (0 or 1).
    pub async fn revoke(&self, serial: &str, now: i64) -> Result<u64, RelayError> {
        let done = sqlx::query(
            "UPDATE certificates SET revoked_at = $1 WHERE serial = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(serial)
        .execute(&self.db.writer)
        .await?;
        Ok(done.rows_affected())
    }
}
