//! ライセンス (one per office number) and the お知らせ every office sees on its トップページ.

use sqlx::{FromRow, Row};

use super::Store;
use crate::error::RelayError;

#[derive(Debug, Clone)]
pub struct LicenceRow {
    pub office_number: String,
    pub starts_on: String,
    pub expires_on: String,
    pub fee_yen: i64,
    pub free_pass: bool,
    pub payment: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: String,
    pub published_at: i64,
    pub title: String,
    pub body: String,
}

pub struct Licences<'a> {
    pub(super) db: &'a Store,
}

impl Licences<'_> {
    /// Grants or replaces the office's licence.
    pub async fn upsert(&self, licence: &LicenceRow) -> Result<(), RelayError> {
        let mut tx = self.db.writer.begin().await?;
        sqlx::query("DELETE FROM licences WHERE office_number = $1")
            .bind(&licence.office_number)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO licences (office_number, starts_on, expires_on, fee_yen, free_pass, payment) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&licence.office_number)
            .bind(&licence.starts_on)
            .bind(&licence.expires_on)
            .bind(licence.fee_yen)
            .bind(i64::from(licence.free_pass))
            .bind(&licence.payment)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn of_office(&self, office_number: &str) -> Result<Option<LicenceRow>, RelayError> {
        let row = sqlx::query("SELECT office_number, starts_on, expires_on, fee_yen, free_pass, payment FROM licences WHERE office_number = $1")
            .bind(office_number)
            .fetch_optional(&self.db.pool)
            .await?;
        row.map(|r| -> Result<LicenceRow, sqlx::Error> {
            Ok(LicenceRow {
                office_number: r.try_get("office_number")?,
                starts_on: r.try_get("starts_on")?,
                expires_on: r.try_get("expires_on")?,
                fee_yen: r.try_get("fee_yen")?,
                free_pass: r.try_get::<i64, _>("free_pass")? != 0,
                payment: r.try_get("payment")?,
            })
        })
        .transpose()
        .map_err(Into::into)
    }

    pub async fn publish_notice(&self, notice: &NoticeRow) -> Result<(), RelayError> {
        sqlx::query("INSERT INTO notices (id, published_at, title, body) VALUES ($1, $2, $3, $4)")
            .bind(&notice.id)
            .bind(notice.published_at)
            .bind(&notice.title)
            .bind(&notice.body)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }

    /// The newest notices first.
    pub async fn notices(&self, limit: i64) -> Result<Vec<NoticeRow>, RelayError> {
        let rows = sqlx::query("SELECT id, published_at, title, body FROM notices ORDER BY published_at DESC, id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(NoticeRow::from_row)
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }
}
