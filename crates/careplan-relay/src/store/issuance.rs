//! Certificates through the portal: the 証明書発行用パスワード the operator issues to an office (a
//! credential, looked up by `access` to prove the office, like login IDs), and, through an
//! [`OfficeScope`], the office's own certificates (PC name, validity, revocation) and the .p12 files
//! waiting for their one download.

use sqlx::Row;

use super::{CertificateRow, Store};
use crate::access::OfficeScope;
use crate::error::RelayError;

/// An office's 証明書発行用パスワード (hashed) and its failures.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IssuanceRow {
    pub office_number: String,
    pub password_hash: String,
    pub issued_at: i64,
    pub failed_attempts: i64,
    pub locked_until: Option<i64>,
}

/// The register of 証明書発行用パスワード.
pub struct IssuancePasswords<'a> {
    pub(super) db: &'a Store,
}

impl IssuancePasswords<'_> {
    /// Sets (or replaces) an office's password: the operator's.
    pub async fn set(&self, office: &str, password_hash: &str, now: i64) -> Result<(), RelayError> {
        sqlx::query(
            "INSERT INTO certificate_issuance (office_number, password_hash, issued_at) VALUES ($1, $2, $3) \
             ON CONFLICT (office_number) DO UPDATE SET password_hash = excluded.password_hash, \
             issued_at = excluded.issued_at, failed_attempts = 0, locked_until = NULL",
        )
        .bind(office)
        .bind(password_hash)
        .bind(now)
        .execute(&self.db.writer)
        .await?;
        Ok(())
    }

    pub async fn get(&self, office: &str) -> Result<Option<IssuanceRow>, RelayError> {
        use sqlx::FromRow;
        let row = sqlx::query("SELECT office_number, password_hash, issued_at, failed_attempts, locked_until FROM certificate_issuance WHERE office_number = $1")
            .bind(office)
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(row.map(|r| IssuanceRow::from_row(&r)).transpose()?)
    }

    /// Counts a wrong password; locks once `max_failures` is reached.
    pub async fn record_failure(
        &self,
        office: &str,
        max_failures: i64,
        lock_until: i64,
    ) -> Result<(), RelayError> {
        sqlx::query(
            "UPDATE certificate_issuance SET failed_attempts = failed_attempts + 1, \
             locked_until = CASE WHEN failed_attempts + 1 >= $1 THEN $2 ELSE locked_until END WHERE office_number = $3",
        )
        .bind(max_failures)
        .bind(lock_until)
        .bind(office)
        .execute(&self.db.writer)
        .await?;
        Ok(())
    }

    pub async fn reset_failures(&self, office: &str) -> Result<(), RelayError> {
        sqlx::query("UPDATE certificate_issuance SET failed_attempts = 0, locked_until = NULL WHERE office_number = $1")
            .bind(office)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }
}

/// One of the office's certificates, as its list shows it.
#[derive(Debug, Clone)]
pub struct OfficeCertificateRow {
    pub certificate: CertificateRow,
    /// The PC it was applied for (certificates the operator issued have none).
    pub pc_name: Option<String>,
    pub issued_at: Option<i64>,
}

/// A .p12 waiting for its download.
#[derive(Debug, Clone)]
pub struct PendingDownload {
    pub serial: String,
    pub file_name: String,
    pub pkcs12: Vec<u8>,
}

/// One office's certificates.
pub struct OfficeCertificates<'a> {
    pub(super) db: &'a Store,
    pub(super) office: &'a OfficeScope,
}

impl OfficeCertificates<'_> {
    fn office(&self) -> &str {
        self.office.number()
    }

    /// The office's certificates, newest first.
    pub async fn list(&self) -> Result<Vec<OfficeCertificateRow>, RelayError> {
        let rows = sqlx::query(
            "SELECT fingerprint, office_number, serial, subject, not_before, not_after, revoked_at, pc_name, issued_at \
             FROM certificates WHERE office_number = $1 ORDER BY not_before DESC, serial",
        )
        .bind(self.office())
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| -> Result<OfficeCertificateRow, sqlx::Error> {
                use sqlx::FromRow;
                Ok(OfficeCertificateRow {
                    certificate: CertificateRow::from_row(r)?,
                    pc_name: r.try_get("pc_name")?,
                    issued_at: r.try_get("issued_at")?,
                })
            })
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }

    /// Registers a certificate just issued to this office for a PC.
    pub async fn insert(
        &self,
        cert: &CertificateRow,
        pc_name: &str,
        now: i64,
    ) -> Result<(), RelayError> {
        sqlx::query("INSERT INTO certificates (fingerprint, office_number, serial, subject, not_before, not_after, pc_name, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&cert.fingerprint)
            .bind(self.office())
            .bind(&cert.serial)
            .bind(&cert.subject)
            .bind(cert.not_before)
            .bind(cert.not_after)
            .bind(pc_name)
            .bind(now)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }

    /// Revokes one of the office's certificates; false when it has no such unrevoked one.
    pub async fn revoke(&self, serial: &str, now: i64) -> Result<bool, RelayError> {
        let done = sqlx::query(
            "UPDATE certificates SET revoked_at = $1 WHERE serial = $2 AND office_number = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(serial)
        .bind(self.office())
        .execute(&self.db.writer)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// Keeps a .p12 for its one download until `expires_at`.
    pub async fn hold_download(
        &self,
        id: &str,
        download: &PendingDownload,
        expires_at: i64,
    ) -> Result<(), RelayError> {
        use base64::Engine;
        sqlx::query("INSERT INTO certificate_downloads (id, office_number, serial, file_name, pkcs12_base64, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(self.office())
            .bind(&download.serial)
            .bind(&download.file_name)
            .bind(base64::engine::general_purpose::STANDARD.encode(&download.pkcs12))
            .bind(expires_at)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }

    /// The office's .p12 waiting under `id`, if still in time: taken, so it downloads once.
    pub async fn take_download(
        &self,
        id: &str,
        now: i64,
    ) -> Result<Option<PendingDownload>, RelayError> {
        use base64::Engine;
        let row = sqlx::query(
            "DELETE FROM certificate_downloads WHERE id = $1 AND office_number = $2 \
             RETURNING serial, file_name, pkcs12_base64, expires_at",
        )
        .bind(id)
        .bind(self.office())
        .fetch_optional(&self.db.writer)
        .await?;
        let Some(row) = row else { return Ok(None) };
        if row.try_get::<i64, _>("expires_at")? < now {
            return Ok(None);
        }
        let pkcs12 = base64::engine::general_purpose::STANDARD
            .decode(row.try_get::<String, _>("pkcs12_base64")?)
            .map_err(|e| RelayError::Internal(format!("stored .p12: {e}")))?;
        Ok(Some(PendingDownload {
            serial: row.try_get("serial")?,
            file_name: row.try_get("file_name")?,
            pkcs12,
        }))
    }

    /// Whether a download is still waiting under `id` (to show its page again).
    pub async fn download_waiting(&self, id: &str, now: i64) -> Result<Option<String>, RelayError> {
        let row = sqlx::query(
            "SELECT file_name FROM certificate_downloads WHERE id = $1 AND office_number = $2 AND expires_at >= $3",
        )
        .bind(id)
        .bind(self.office())
        .bind(now)
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row.map(|r| r.try_get("file_name")).transpose()?)
    }
}

/// Removes downloads nobody took in time; answers how many.
pub async fn sweep_downloads(store: &Store, now: i64) -> Result<u64, RelayError> {
    Ok(
        sqlx::query("DELETE FROM certificate_downloads WHERE expires_at < $1")
            .bind(now)
            .execute(&store.writer)
            .await?
            .rows_affected(),
    )
}
