//! Retention at the database: contents past their time (marked, in batches, with their audit line)
//! and whole messages past the records period (deleted with their files, units, people and 受領証,
//! and the offices' counts, in batches). The operator's work: not scoped to an office. Each batch is
//! one short transaction, so sends wait for a batch at most, never for the whole purge.

use std::collections::BTreeMap;

use sqlx::Row;

use super::audit::{write_in, AuditEntry};
use super::{constant_sql, placeholders, Store};
use crate::error::RelayError;

/// A content marked deleted: its blob is to go once the batch is committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiredContent {
    pub file_id: String,
    pub message_id: String,
    pub blob_key: String,
}

/// Where the content purge goes on from: the last message of the batch before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeCursor {
    pub sent_at: i64,
    pub message_id: String,
}

/// Messages deleted in one batch, and the blobs of theirs still held.
#[derive(Debug, Default)]
pub struct PurgedRecords {
    pub messages: usize,
    pub blob_keys: Vec<String>,
}

fn ids_line(action: &str, ids: &[String]) -> String {
    format!("{action} {}: {}", ids.len(), ids.join(" "))
}

impl Store {
    /// Marks up to `batch` contents of files sent before `sent_before` and still not taken as
    /// deleted at `now`, with one audit line naming them, going on from `after` (the last message
    /// of the previous batch: each batch reads from where the last stopped, not again past the
    /// rows it marked). A file acknowledged meanwhile is not touched (the guard is in the UPDATE,
    /// as for 済). Answers what it marked and where to go on from (none: nothing left).
    pub async fn expire_contents(
        &self,
        sent_before: i64,
        now: i64,
        batch: i64,
        after: Option<&PurgeCursor>,
    ) -> Result<(Vec<ExpiredContent>, Option<PurgeCursor>), RelayError> {
        let (after_at, after_id) = after
            .map(|c| (c.sent_at, c.message_id.clone()))
            .unwrap_or((i64::MIN, String::new()));
        let candidates = sqlx::query(
            "SELECT f.id AS id, m.sent_at AS sent_at, m.id AS message_id FROM messages m \
             JOIN message_files f ON f.message_id = m.id \
             WHERE m.sent_at < $1 AND (m.sent_at > $2 OR (m.sent_at = $2 AND m.id > $3)) \
             AND f.fetched_at IS NULL AND f.content_purged_at IS NULL \
             ORDER BY m.sent_at, m.id LIMIT $4",
        )
        .bind(sent_before)
        .bind(after_at)
        .bind(after_id)
        .bind(batch)
        .fetch_all(&self.pool)
        .await?;
        let Some(last) = candidates.last() else {
            return Ok((Vec::new(), None));
        };
        // A message's files all go in one batch, so that the cursor can move past it.
        let cursor = PurgeCursor {
            sent_at: last.try_get("sent_at")?,
            message_id: last.try_get("message_id")?,
        };
        let mut ids: Vec<String> = candidates
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let rest = sqlx::query(
            "SELECT id FROM message_files WHERE message_id = $1 AND fetched_at IS NULL \
             AND content_purged_at IS NULL",
        )
        .bind(&cursor.message_id)
        .fetch_all(&self.pool)
        .await?;
        for r in &rest {
            let id: String = r.try_get("id")?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let mut tx = self.writer.begin().await?;
        let sql = format!(
            "UPDATE message_files SET content_purged_at = $1 WHERE fetched_at IS NULL \
             AND content_purged_at IS NULL AND id IN ({}) RETURNING id, message_id, blob_key",
            placeholders(2, ids.len())
        );
        let mut query = sqlx::query(constant_sql(sql)).bind(now);
        for id in &ids {
            query = query.bind(id);
        }
        let expired: Vec<ExpiredContent> = query
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| {
                Ok(ExpiredContent {
                    file_id: r.try_get("id")?,
                    message_id: r.try_get("message_id")?,
                    blob_key: r.try_get("blob_key")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        if expired.is_empty() {
            // Taken meanwhile, every one: go on past them.
            tx.rollback().await?;
            return Ok((expired, Some(cursor)));
        }
        let file_ids: Vec<String> = expired.iter().map(|e| e.file_id.clone()).collect();
        let detail = ids_line("files", &file_ids);
        write_in(
            &mut tx,
            &AuditEntry {
                at: now,
                office: None,
                actor: "purge",
                action: "purge_content",
                detail: &detail,
            },
        )
        .await?;
        tx.commit().await?;
        Ok((expired, Some(cursor)))
    }

    /// Deletes up to `batch` messages sent before `sent_before` with everything that hangs on them,
    /// in one transaction with one audit line naming them; answers the blobs still held by their
    /// files (none when every content was taken or expired).
    pub async fn purge_records(
        &self,
        sent_before: i64,
        now: i64,
        batch: i64,
    ) -> Result<PurgedRecords, RelayError> {
        let mut tx = self.writer.begin().await?;
        let rows = sqlx::query(
            "SELECT id, sender_office, receiver_office FROM messages WHERE sent_at < $1 \
             ORDER BY sent_at, id LIMIT $2",
        )
        .bind(sent_before)
        .bind(batch)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            tx.rollback().await?;
            return Ok(PurgedRecords::default());
        }
        let mut ids = Vec::with_capacity(rows.len());
        // (office, inbox, outbox): what each office's totals lose.
        let mut counts: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for r in &rows {
            ids.push(r.try_get::<String, _>("id")?);
            counts.entry(r.try_get("receiver_office")?).or_default().0 += 1;
            counts.entry(r.try_get("sender_office")?).or_default().1 += 1;
        }
        let list = placeholders(1, ids.len());
        let bound = |sql: String| {
            let mut query = sqlx::query(constant_sql(sql));
            for id in &ids {
                query = query.bind(id.clone());
            }
            query
        };
        let blob_keys: Vec<String> = bound(format!(
            "SELECT blob_key FROM message_files WHERE message_id IN ({list}) \
             AND fetched_at IS NULL AND content_purged_at IS NULL"
        ))
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("blob_key"))
        .collect::<Result<_, _>>()?;
        for table in [
            "receipts",
            "message_unit_people",
            "message_units",
            "message_files",
        ] {
            bound(format!("DELETE FROM {table} WHERE message_id IN ({list})"))
                .execute(&mut *tx)
                .await?;
        }
        bound(format!("DELETE FROM messages WHERE id IN ({list})"))
            .execute(&mut *tx)
            .await?;
        // In office order, as every writer of the counts should take them.
        for (office, (inbox, outbox)) in &counts {
            sqlx::query(
                "UPDATE office_message_counts SET inbox = inbox - $1, outbox = outbox - $2 \
                 WHERE office_number = $3",
            )
            .bind(inbox)
            .bind(outbox)
            .bind(office)
            .execute(&mut *tx)
            .await?;
        }
        let detail = ids_line("messages", &ids);
        write_in(
            &mut tx,
            &AuditEntry {
                at: now,
                office: None,
                actor: "purge",
                action: "purge_records",
                detail: &detail,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(PurgedRecords {
            messages: ids.len(),
            blob_keys,
        })
    }
}
