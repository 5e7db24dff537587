//! One office's 下書き: saved from 新規作成 on one terminal, visible from every terminal of the office.
//! Every query names the office of the [`Drafts`]' scope, including those of a draft's files.

use sqlx::{FromRow, Row};

use super::{constant_sql, Store};
use crate::access::OfficeScope;
use crate::error::RelayError;

/// A row of `drafts` (always of the scope's office).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DraftRow {
    pub id: String,
    pub terminal_name: String,
    pub saved_at: i64,
    pub receiver_office: String,
    pub message: String,
}

/// A row of `draft_files`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DraftFileRow {
    pub id: String,
    pub draft_id: String,
    pub position: i64,
    pub name: String,
    pub size: i64,
    pub sha256: String,
    pub blob_key: String,
}

const DRAFT_COLUMNS: &str = "id, terminal_name, saved_at, receiver_office, message";

pub struct Drafts<'a> {
    pub(super) db: &'a Store,
    pub(super) office: &'a OfficeScope,
}

/// The blob keys of an office's draft's files.
async fn blob_keys<'e, E>(executor: E, id: &str, office: &str) -> Result<Vec<String>, RelayError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT f.blob_key FROM draft_files f JOIN drafts d ON d.id = f.draft_id \
         WHERE d.id = $1 AND d.office_number = $2",
    )
    .bind(id)
    .bind(office)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|r| r.try_get::<String, _>("blob_key"))
        .collect::<Result<_, _>>()
        .map_err(Into::into)
}

/// Deletes an office's draft inside a transaction; answers its files' blob keys, or `None` when the
/// office has no such draft.
pub(super) async fn delete_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
    office: &str,
) -> Result<Option<Vec<String>>, RelayError> {
    let keys = blob_keys(&mut **tx, id, office).await?;
    sqlx::query(
        "DELETE FROM draft_files WHERE draft_id IN (SELECT id FROM drafts WHERE id = $1 AND office_number = $2)",
    )
    .bind(id)
    .bind(office)
    .execute(&mut **tx)
    .await?;
    let deleted = sqlx::query("DELETE FROM drafts WHERE id = $1 AND office_number = $2")
        .bind(id)
        .bind(office)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok((deleted > 0).then_some(keys))
}

impl Drafts<'_> {
    fn office(&self) -> &str {
        self.office.number()
    }

    /// Saves a draft, replacing the office's draft with the same id if there is one; answers the
    /// blob keys of the files it replaced.
    pub async fn save(
        &self,
        draft: &DraftRow,
        files: &[DraftFileRow],
    ) -> Result<Vec<String>, RelayError> {
        let mut tx = self.db.writer.begin().await?;
        let replaced = delete_in(&mut tx, &draft.id, self.office())
            .await?
            .unwrap_or_default();
        sqlx::query("INSERT INTO drafts (id, office_number, terminal_name, saved_at, receiver_office, message) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&draft.id)
            .bind(self.office())
            .bind(&draft.terminal_name)
            .bind(draft.saved_at)
            .bind(&draft.receiver_office)
            .bind(&draft.message)
            .execute(&mut *tx)
            .await?;
        for f in files {
            sqlx::query("INSERT INTO draft_files (id, draft_id, position, name, size, sha256, blob_key) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&f.id)
                .bind(&draft.id)
                .bind(f.position)
                .bind(&f.name)
                .bind(f.size)
                .bind(&f.sha256)
                .bind(&f.blob_key)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(replaced)
    }

    /// How many drafts the office keeps.
    pub async fn count(&self) -> Result<i64, RelayError> {
        Ok(
            sqlx::query("SELECT COUNT(*) AS n FROM drafts WHERE office_number = $1")
                .bind(self.office())
                .fetch_one(&self.db.pool)
                .await?
                .try_get("n")?,
        )
    }

    /// The office's drafts, newest first.
    pub async fn list(&self) -> Result<Vec<DraftRow>, RelayError> {
        let rows = sqlx::query(constant_sql(format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts WHERE office_number = $1 ORDER BY saved_at DESC, id DESC"
        )))
        .bind(self.office())
        .fetch_all(&self.db.pool)
        .await?;
        Ok(rows
            .iter()
            .map(DraftRow::from_row)
            .collect::<Result<_, _>>()?)
    }

    pub async fn get(&self, id: &str) -> Result<Option<DraftRow>, RelayError> {
        let row = sqlx::query(constant_sql(format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts WHERE id = $1 AND office_number = $2"
        )))
        .bind(id)
        .bind(self.office())
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row.map(|r| DraftRow::from_row(&r)).transpose()?)
    }

    /// The files of the office's draft, in order; none for another office's draft.
    pub async fn files(&self, draft_id: &str) -> Result<Vec<DraftFileRow>, RelayError> {
        let rows = sqlx::query(
            "SELECT f.id, f.draft_id, f.position, f.name, f.size, f.sha256, f.blob_key \
             FROM draft_files f JOIN drafts d ON d.id = f.draft_id \
             WHERE f.draft_id = $1 AND d.office_number = $2 ORDER BY f.position",
        )
        .bind(draft_id)
        .bind(self.office())
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(DraftFileRow::from_row)
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }

    /// Deletes the office's draft; answers its files' blob keys, or `None` when it has none.
    pub async fn delete(&self, id: &str) -> Result<Option<Vec<String>>, RelayError> {
        let mut tx = self.db.writer.begin().await?;
        let keys = delete_in(&mut tx, id, self.office()).await?;
        tx.commit().await?;
        Ok(keys)
    }
}
