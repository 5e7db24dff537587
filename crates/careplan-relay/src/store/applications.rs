//! 利用申請 and the licence's history. An office applies once (in the portal, after reading the
//! 利用規約); each period a licence is granted for (by the application, a renewal, the automatic
//! renewal under the フリーパス, or the operator) is a line of its history, written in the same
//! transaction as the licence itself.

use sqlx::{FromRow, Row};

use super::{LicenceRow, Licences, Store};
use crate::access::{OfficeScope, Operator};
use crate::error::RelayError;

/// How the office pays its licence fee (seed 004, step 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentMethod {
    /// 給付費からの差引: deducted from the 介護給付費 the 国保連 pays (the default).
    Deduction,
    /// 請求書: an invoice, paid by bank transfer.
    Invoice,
}

impl PaymentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Deduction => "deduction",
            PaymentMethod::Invoice => "invoice",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentMethod> {
        match text {
            "deduction" => Some(PaymentMethod::Deduction),
            "invoice" => Some(PaymentMethod::Invoice),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Deduction => "給付費からの差引",
            PaymentMethod::Invoice => "請求書（口座振込）",
        }
    }
}

/// Why a licence period was granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantReason {
    Application,
    Renewal,
    /// Renewed by itself at its end, under the フリーパス.
    Automatic,
    Operator,
}

impl GrantReason {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantReason::Application => "application",
            GrantReason::Renewal => "renewal",
            GrantReason::Automatic => "automatic",
            GrantReason::Operator => "operator",
        }
    }

    pub fn label_of(text: &str) -> &'static str {
        match text {
            "application" => "利用申請",
            "renewal" => "更新",
            "automatic" => "自動更新",
            _ => "運営者による付与",
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationRow {
    pub office_number: String,
    pub applied_at: i64,
    pub applied_by: String,
    pub terms_version: i64,
    pub payment_method: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LicencePeriodRow {
    pub starts_on: String,
    pub expires_on: String,
    pub fee_yen: i64,
    pub free_pass: i64,
    pub payment: String,
    pub reason: String,
    pub granted_at: i64,
}

async fn grant_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    licence: &LicenceRow,
    reason: GrantReason,
    now: i64,
) -> Result<(), RelayError> {
    sqlx::query("DELETE FROM licences WHERE office_number = $1")
        .bind(&licence.office_number)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO licences (office_number, starts_on, expires_on, fee_yen, free_pass, payment) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&licence.office_number)
        .bind(&licence.starts_on)
        .bind(&licence.expires_on)
        .bind(licence.fee_yen)
        .bind(i64::from(licence.free_pass))
        .bind(&licence.payment)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO licence_history (office_number, starts_on, expires_on, fee_yen, free_pass, payment, reason, granted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(&licence.office_number)
        .bind(&licence.starts_on)
        .bind(&licence.expires_on)
        .bind(licence.fee_yen)
        .bind(i64::from(licence.free_pass))
        .bind(&licence.payment)
        .bind(reason.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Licences<'_> {
    /// Grants or replaces an office's licence and writes the period into its history.
    pub async fn grant(
        &self,
        licence: &LicenceRow,
        reason: GrantReason,
        now: i64,
    ) -> Result<(), RelayError> {
        let mut tx = self.db.writer.begin().await?;
        grant_in(&mut tx, licence, reason, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Licences granted under the フリーパス that ended before `today` (`YYYY-MM-DD`): what the
    /// automatic renewal looks at.
    pub async fn free_pass_ended_before(&self, today: &str) -> Result<Vec<LicenceRow>, RelayError> {
        let rows = sqlx::query("SELECT office_number, starts_on, expires_on, fee_yen, free_pass, payment FROM licences WHERE free_pass = 1 AND expires_on < $1 ORDER BY office_number")
            .bind(today)
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|r| -> Result<LicenceRow, sqlx::Error> {
                Ok(LicenceRow {
                    office_number: r.try_get("office_number")?,
                    starts_on: r.try_get("starts_on")?,
                    expires_on: r.try_get("expires_on")?,
                    fee_yen: r.try_get("fee_yen")?,
                    free_pass: r.try_get::<i64, _>("free_pass")? != 0,
                    payment: r.try_get("payment")?,
                })
            })
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }
}

/// One office's 利用申請 and licence history.
pub struct Applications<'a> {
    pub(super) db: &'a Store,
    pub(super) office: &'a OfficeScope,
}

impl Applications<'_> {
    fn office(&self) -> &str {
        self.office.number()
    }

    pub async fn get(&self) -> Result<Option<ApplicationRow>, RelayError> {
        let row = sqlx::query("SELECT office_number, applied_at, applied_by, terms_version, payment_method FROM licence_applications WHERE office_number = $1")
            .bind(self.office())
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(row.map(|r| ApplicationRow::from_row(&r)).transpose()?)
    }

    /// Records the office's application and grants its licence, in one transaction. Answers false
    /// (and changes nothing) when the office has applied before.
    pub async fn apply(
        &self,
        applied_by: &str,
        terms_version: i64,
        payment_method: PaymentMethod,
        licence: &LicenceRow,
        now: i64,
    ) -> Result<bool, RelayError> {
        if licence.office_number != self.office() {
            return Err(RelayError::Internal(
                "a licence for another office than the application's".into(),
            ));
        }
        let mut tx = self.db.writer.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO licence_applications (office_number, applied_at, applied_by, terms_version, payment_method) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (office_number) DO NOTHING",
        )
        .bind(self.office())
        .bind(now)
        .bind(applied_by)
        .bind(terms_version)
        .bind(payment_method.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        grant_in(&mut tx, licence, GrantReason::Application, now).await?;
        super::audit::write_in(
            &mut tx,
            &super::AuditEntry {
                at: now,
                office: Some(self.office()),
                actor: applied_by,
                action: "portal.apply",
                detail: &licence.expires_on,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Changes how the office pays from its next period on.
    pub async fn set_payment_method(&self, method: PaymentMethod) -> Result<bool, RelayError> {
        let done = sqlx::query(
            "UPDATE licence_applications SET payment_method = $1 WHERE office_number = $2",
        )
        .bind(method.as_str())
        .bind(self.office())
        .execute(&self.db.writer)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// Every period the office's licence was granted for, newest first.
    pub async fn history(&self) -> Result<Vec<LicencePeriodRow>, RelayError> {
        let rows = sqlx::query("SELECT starts_on, expires_on, fee_yen, free_pass, payment, reason, granted_at FROM licence_history WHERE office_number = $1 ORDER BY id DESC")
            .bind(self.office())
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(LicencePeriodRow::from_row)
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }
}

/// Every application, oldest first: for the operator only.
pub async fn all_applications(
    store: &Store,
    _operator: &Operator<'_>,
) -> Result<Vec<(ApplicationRow, String)>, RelayError> {
    let rows = sqlx::query(
        "SELECT a.office_number, a.applied_at, a.applied_by, a.terms_version, a.payment_method, o.name \
         FROM licence_applications a JOIN offices o ON o.number = a.office_number ORDER BY a.applied_at, a.office_number",
    )
    .fetch_all(&store.pool)
    .await?;
    rows.iter()
        .map(|r| Ok((ApplicationRow::from_row(r)?, r.try_get("name")?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}
