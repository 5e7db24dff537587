//! One office's messages and their files: 受信一覧 (messages it received), 送信一覧 (messages it
//! sent), the once-only fetch, and sending. Every query names the office of the [`Mailbox`]'s scope.

use std::collections::HashMap;

use sqlx::{FromRow, Row};

use super::audit::{write_in, AuditEntry};
use super::history::NameFacts;
use super::{constant_sql, placeholders, Store};
use crate::access::OfficeScope;
use crate::error::RelayError;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: String,
    pub sender_office: String,
    pub receiver_office: String,
    pub message: String,
    pub sent_at: i64,
    /// The 個人ユーザID that sent it (none for messages stored before the relay recorded it).
    pub sender_person: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FileRow {
    pub id: String,
    pub message_id: String,
    pub position: i64,
    pub name: String,
    pub category: String,
    pub csv_version: Option<String>,
    pub size: i64,
    pub sha256: String,
    pub blob_key: String,
    pub fetched_at: Option<i64>,
    /// When the content was deleted untaken, its time being over (the row stays).
    pub content_purged_at: Option<i64>,
}

/// One send unit of a message, in words, as the relay derived it from the files when they were sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    /// ファイル連番.
    pub serial: String,
    /// `サービス利用票（予定）2025年4月分` …
    pub title: String,
    pub people: Vec<UnitPerson>,
}

/// A 利用者 of a unit: the 氏名 only where the unit carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitPerson {
    pub insurer: String,
    pub insured: String,
    pub name: Option<String>,
}

/// A content this office sent before: which message, when.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EarlierFile {
    pub sha256: String,
    pub message_id: String,
    pub sent_at: i64,
}

/// The 受領証 of a file, stored with its 済.
pub struct NewReceipt<'a> {
    pub message_id: &'a str,
    /// The signed receipt as JSON.
    pub signed: &'a str,
}

/// A message to store, from the mailbox's office; its files' blobs are already written and synced.
pub struct NewMessage {
    pub id: String,
    pub receiver_office: String,
    pub message: String,
    pub sent_at: i64,
    pub sender_terminal: String,
    /// The 個人ユーザID that sends it.
    pub sender_person: Option<String>,
    pub idempotency_key: Option<String>,
    /// What the request asked for (see `delivery::send_digest`), kept with the key.
    pub request_digest: Option<String>,
    pub files: Vec<FileRow>,
    /// What the files are, in words, per send unit in serial order.
    pub units: Vec<UnitRow>,
    /// The sending office's draft this send comes from: removed in the message's own transaction, so
    /// a draft is either still there or sent, never both.
    pub from_draft: Option<String>,
}

/// A message sent with an idempotency key, and the digest of the request that stored it (none for
/// messages stored before digests were kept).
#[derive(Debug, Clone)]
pub struct KeyedMessage {
    pub message: MessageRow,
    pub request_digest: Option<String>,
}

/// What storing a message did.
pub enum Sent {
    /// The message is stored; the blobs of the draft it came from (if any) can go.
    Stored {
        message: MessageRow,
        draft_blobs: Vec<String>,
    },
    /// The idempotency key was used before: nothing was stored.
    KeyUsed,
    /// The draft the send came from is no longer there: nothing was stored.
    DraftGone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailboxKind {
    /// 受信一覧: messages the office received.
    Inbox,
    /// 送信一覧: messages the office sent.
    Outbox,
}

impl MailboxKind {
    fn office_column(self) -> &'static str {
        match self {
            MailboxKind::Inbox => "receiver_office",
            MailboxKind::Outbox => "sender_office",
        }
    }

    fn counter(self) -> &'static str {
        match self {
            MailboxKind::Inbox => "inbox",
            MailboxKind::Outbox => "outbox",
        }
    }
}

const MESSAGE_COLUMNS: &str = "id, sender_office, receiver_office, message, sent_at, sender_person";
const FILE_COLUMNS: &str = "id, message_id, position, name, category, csv_version, size, sha256, \
     blob_key, fetched_at, content_purged_at";

fn prefixed(columns: &str, table: &str) -> String {
    columns
        .split(", ")
        .map(|c| format!("{table}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The columns a file's row is written with: its own and what its name says (for 送受信履歴).
const FILE_INSERT_COLUMNS: &str = "id, message_id, position, name, category, csv_version, size, \
     sha256, blob_key, fetched_at, kind, target_month, serial";

fn file_insert(f: &FileRow) -> super::AnyQuery<'_> {
    let facts = NameFacts::of(&f.name);
    sqlx::query(constant_sql(format!(
        "INSERT INTO message_files ({FILE_INSERT_COLUMNS}) VALUES ({})",
        placeholders(1, 13)
    )))
    .bind(&f.id)
    .bind(&f.message_id)
    .bind(f.position)
    .bind(&f.name)
    .bind(&f.category)
    .bind(&f.csv_version)
    .bind(f.size)
    .bind(&f.sha256)
    .bind(&f.blob_key)
    .bind(f.fetched_at)
    .bind(facts.kind)
    .bind(facts.target_month)
    .bind(facts.serial)
}

async fn insert_units(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    message_id: &str,
    units: &[UnitRow],
) -> Result<(), RelayError> {
    for (unit_position, unit) in units.iter().enumerate() {
        sqlx::query(
            "INSERT INTO message_units (message_id, position, serial, title) VALUES ($1, $2, $3, $4)",
        )
        .bind(message_id)
        .bind(unit_position as i64)
        .bind(&unit.serial)
        .bind(&unit.title)
        .execute(&mut **tx)
        .await?;
        for (position, person) in unit.people.iter().enumerate() {
            sqlx::query(
                "INSERT INTO message_unit_people (message_id, unit_position, position, insurer, insured, name) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(message_id)
            .bind(unit_position as i64)
            .bind(position as i64)
            .bind(&person.insurer)
            .bind(&person.insured)
            .bind(&person.name)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

pub struct Mailbox<'a> {
    pub(super) db: &'a Store,
    pub(super) office: &'a OfficeScope,
}

impl Mailbox<'_> {
    fn office(&self) -> &str {
        self.office.number()
    }

    /// Stores a message from this office and all its files in one transaction, with its audit line
    /// and the removal of the draft it came from. Answers [`Sent::KeyUsed`] when the idempotency
    /// key was used before (the caller answers with the earlier message).
    pub async fn send(&self, new: &NewMessage, audit: &AuditEntry<'_>) -> Result<Sent, RelayError> {
        let mut tx = self.db.writer.begin().await?;
        let row = MessageRow {
            id: new.id.clone(),
            sender_office: self.office().to_owned(),
            receiver_office: new.receiver_office.clone(),
            message: new.message.clone(),
            sent_at: new.sent_at,
            sender_person: new.sender_person.clone(),
        };
        let inserted = sqlx::query(
            "INSERT INTO messages (id, sender_office, receiver_office, message, sent_at, sender_terminal, idempotency_key, request_digest, sender_person) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (sender_office, idempotency_key) DO NOTHING",
        )
        .bind(&row.id)
        .bind(&row.sender_office)
        .bind(&row.receiver_office)
        .bind(&row.message)
        .bind(row.sent_at)
        .bind(&new.sender_terminal)
        .bind(&new.idempotency_key)
        .bind(&new.request_digest)
        .bind(&row.sender_person)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            tx.rollback().await?;
            return Ok(Sent::KeyUsed);
        }
        for (office, kind) in [
            (&row.receiver_office, MailboxKind::Inbox),
            (&row.sender_office, MailboxKind::Outbox),
        ] {
            let (inbox, outbox) = match kind {
                MailboxKind::Inbox => (1i64, 0i64),
                MailboxKind::Outbox => (0, 1),
            };
            let column = kind.counter();
            sqlx::query(constant_sql(format!(
                "INSERT INTO office_message_counts (office_number, inbox, outbox) VALUES ($1, $2, $3) \
                 ON CONFLICT (office_number) DO UPDATE SET {column} = office_message_counts.{column} + 1"
            )))
            .bind(office)
            .bind(inbox)
            .bind(outbox)
            .execute(&mut *tx)
            .await?;
        }
        for f in &new.files {
            file_insert(f).execute(&mut *tx).await?;
        }
        insert_units(&mut tx, &row.id, &new.units).await?;
        let draft_blobs = match &new.from_draft {
            Some(draft) => match super::drafts::delete_in(&mut tx, draft, self.office()).await? {
                Some(blobs) => blobs,
                None => {
                    // Sent (or deleted) meanwhile, perhaps from another terminal: sending it again
                    // would deliver the same plan twice.
                    tx.rollback().await?;
                    return Ok(Sent::DraftGone);
                }
            },
            None => Vec::new(),
        };
        // In the same transaction: the log line is there exactly when the message is, and a send
        // costs one commit (one WAL sync), not two.
        write_in(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(Sent::Stored {
            message: row,
            draft_blobs,
        })
    }

    /// The message this office sent with an idempotency key, if any.
    pub async fn sent_with_key(&self, key: &str) -> Result<Option<KeyedMessage>, RelayError> {
        let row = sqlx::query(constant_sql(format!(
            "SELECT {MESSAGE_COLUMNS}, request_digest FROM messages WHERE sender_office = $1 AND idempotency_key = $2"
        )))
        .bind(self.office())
        .bind(key)
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|r| {
            Ok(KeyedMessage {
                message: MessageRow::from_row(&r)?,
                request_digest: r.try_get("request_digest")?,
            })
        })
        .transpose()
    }

    /// The message this office sent with an idempotency key from one terminal, if any.
    pub async fn sent_with_key_from(
        &self,
        key: &str,
        terminal: &str,
    ) -> Result<Option<MessageRow>, RelayError> {
        let row = sqlx::query(constant_sql(format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE sender_office = $1 AND idempotency_key = $2 AND sender_terminal = $3"
        )))
        .bind(self.office())
        .bind(key)
        .bind(terminal)
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row.map(|r| MessageRow::from_row(&r)).transpose()?)
    }

    /// A page of 受信一覧 or 送信一覧, newest first, with the total count.
    pub async fn page(
        &self,
        kind: MailboxKind,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<MessageRow>, i64), RelayError> {
        let column = kind.office_column();
        let rows = sqlx::query(constant_sql(format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE {column} = $1 ORDER BY sent_at DESC, id DESC LIMIT $2 OFFSET $3"
        )))
        .bind(self.office())
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.db.pool)
        .await?;
        let counter = kind.counter();
        let total: i64 = sqlx::query(constant_sql(format!(
            "SELECT {counter} AS n FROM office_message_counts WHERE office_number = $1"
        )))
        .bind(self.office())
        .fetch_optional(&self.db.pool)
        .await?
        .map(|row| row.try_get("n"))
        .transpose()?
        .unwrap_or(0);
        Ok((
            rows.iter()
                .map(MessageRow::from_row)
                .collect::<Result<_, _>>()?,
            total,
        ))
    }

    /// The files of messages this office sent or received, in one query per 500 messages; ids of
    /// other offices' messages give nothing.
    pub async fn files_of(&self, message_ids: &[String]) -> Result<Vec<FileRow>, RelayError> {
        let mut files = Vec::new();
        for ids in message_ids.chunks(500) {
            let sql = format!(
                // CROSS JOIN: SQLite then goes from the ids given to their messages, instead of
                // from every message of the office (the office test is the scope, not the way in).
                "SELECT {} FROM message_files f CROSS JOIN messages m WHERE m.id = f.message_id \
                 AND (m.sender_office = $1 OR m.receiver_office = $1) AND f.message_id IN ({}) \
                 ORDER BY f.message_id, f.position",
                prefixed(FILE_COLUMNS, "f"),
                placeholders(2, ids.len())
            );
            let mut query = sqlx::query(constant_sql(sql)).bind(self.office());
            for id in ids {
                query = query.bind(id);
            }
            for row in &query.fetch_all(&self.db.pool).await? {
                files.push(FileRow::from_row(row)?);
            }
        }
        Ok(files)
    }

    /// The send units of messages this office sent or received, with their people, per message in
    /// serial order; ids of other offices' messages give nothing.
    pub async fn units_of(
        &self,
        message_ids: &[String],
    ) -> Result<Vec<(String, UnitRow)>, RelayError> {
        let mut units: Vec<(String, UnitRow)> = Vec::new();
        for ids in message_ids.chunks(500) {
            let scoped = format!(
                // As in files_of: from the ids given, not from every message of the office.
                "CROSS JOIN messages m WHERE m.id = u.message_id \
                 AND (m.sender_office = $1 OR m.receiver_office = $1) AND u.message_id IN ({})",
                placeholders(2, ids.len())
            );
            let sql = format!(
                "SELECT u.message_id AS message_id, u.position AS position, u.serial AS serial, u.title AS title \
                 FROM message_units u {scoped} ORDER BY u.message_id, u.position"
            );
            let mut query = sqlx::query(constant_sql(sql)).bind(self.office());
            for id in ids {
                query = query.bind(id);
            }
            let mut at: HashMap<(String, i64), usize> = HashMap::new();
            for row in &query.fetch_all(&self.db.pool).await? {
                let message_id: String = row.try_get("message_id")?;
                at.insert((message_id.clone(), row.try_get("position")?), units.len());
                units.push((
                    message_id,
                    UnitRow {
                        serial: row.try_get("serial")?,
                        title: row.try_get("title")?,
                        people: Vec::new(),
                    },
                ));
            }
            let sql = format!(
                "SELECT u.message_id AS message_id, u.unit_position AS unit_position, u.insurer AS insurer, \
                 u.insured AS insured, u.name AS name FROM message_unit_people u {scoped} \
                 ORDER BY u.message_id, u.unit_position, u.position"
            );
            let mut query = sqlx::query(constant_sql(sql)).bind(self.office());
            for id in ids {
                query = query.bind(id);
            }
            for row in &query.fetch_all(&self.db.pool).await? {
                let message_id: String = row.try_get("message_id")?;
                let unit_position: i64 = row.try_get("unit_position")?;
                let person = UnitPerson {
                    insurer: row.try_get("insurer")?,
                    insured: row.try_get("insured")?,
                    name: row.try_get("name")?,
                };
                if let Some(&i) = at.get(&(message_id, unit_position)) {
                    units[i].1.people.push(person);
                }
            }
        }
        Ok(units)
    }

    /// A file of a message this office received; `None` for anyone else's file.
    pub async fn received_file(&self, file_id: &str) -> Result<Option<FileRow>, RelayError> {
        let row = sqlx::query(constant_sql(format!(
            "SELECT {} FROM message_files f JOIN messages m ON m.id = f.message_id WHERE f.id = $1 AND m.receiver_office = $2",
            prefixed(FILE_COLUMNS, "f")
        )))
        .bind(file_id)
        .bind(self.office())
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row.map(|r| FileRow::from_row(&r)).transpose()?)
    }

    /// A message this office received; `None` for anyone else's.
    pub async fn received_message(&self, id: &str) -> Result<Option<MessageRow>, RelayError> {
        let row = sqlx::query(constant_sql(format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = $1 AND receiver_office = $2"
        )))
        .bind(id)
        .bind(self.office())
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row.map(|r| MessageRow::from_row(&r)).transpose()?)
    }

    /// The 受領証 (signed JSON) of a file this office sent or received, once its receiver took it;
    /// `None` before that, and for anyone else's file.
    pub async fn receipt(&self, file_id: &str) -> Result<Option<String>, RelayError> {
        let row = sqlx::query(
            "SELECT r.signed AS signed FROM receipts r JOIN messages m ON m.id = r.message_id \
             WHERE r.file_id = $1 AND (m.sender_office = $2 OR m.receiver_office = $2)",
        )
        .bind(file_id)
        .bind(self.office())
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row.map(|r| r.try_get("signed")).transpose()?)
    }

    /// Marks a received file 済, once whatever the concurrency: the `fetched_at IS NULL` guard lets
    /// one UPDATE win (and a content expired meanwhile stays expired: the purge has the same guard). Answers whether this call did it. The audit line and the 受領証 are written in
    /// the same transaction, so they exist exactly when the file is 済. Who took it is the audit
    /// line's actor, from `terminal`.
    pub async fn mark_fetched(
        &self,
        file_id: &str,
        terminal: &str,
        audit: &AuditEntry<'_>,
        receipt: &NewReceipt<'_>,
    ) -> Result<bool, RelayError> {
        let mut tx = self.db.writer.begin().await?;
        let won = sqlx::query(
            "UPDATE message_files SET fetched_at = $1, fetched_by = $2, fetched_terminal = $3 \
             WHERE id = $4 AND fetched_at IS NULL AND content_purged_at IS NULL \
             AND message_id IN (SELECT id FROM messages WHERE receiver_office = $5) RETURNING id",
        )
        .bind(audit.at)
        .bind(audit.actor)
        .bind(terminal)
        .bind(file_id)
        .bind(self.office())
        .fetch_optional(&mut *tx)
        .await?;
        if won.is_none() {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO receipts (file_id, message_id, issued_at, signed) VALUES ($1, $2, $3, $4)",
        )
        .bind(file_id)
        .bind(receipt.message_id)
        .bind(audit.at)
        .bind(receipt.signed)
        .execute(&mut *tx)
        .await?;
        write_in(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The latest send of each of these contents (hex SHA-256) from this office to `to`: its own
    /// 送信一覧 only, so an office learns nothing of what others sent. Newest first, one per digest.
    pub async fn earlier_sends(
        &self,
        to: &str,
        digests: &[String],
    ) -> Result<Vec<EarlierFile>, RelayError> {
        if digests.is_empty() {
            return Ok(Vec::new());
        }
        // Through the outbox index (sender, then receiver): the files of this office's messages to
        // one destination, then their digests.
        let sql = format!(
            "SELECT f.sha256 AS sha256, m.id AS message_id, m.sent_at AS sent_at FROM message_files f \
             JOIN messages m ON m.id = f.message_id \
             WHERE m.sender_office = $1 AND m.receiver_office = $2 AND f.sha256 IN ({}) \
             ORDER BY m.sent_at DESC, m.id DESC",
            placeholders(3, digests.len())
        );
        let mut query = sqlx::query(constant_sql(sql)).bind(self.office()).bind(to);
        for digest in digests {
            query = query.bind(digest);
        }
        let mut latest: Vec<EarlierFile> = Vec::new();
        for row in &query.fetch_all(&self.db.pool).await? {
            let found = EarlierFile::from_row(row)?;
            if !latest.iter().any(|f| f.sha256 == found.sha256) {
                latest.push(found);
            }
        }
        Ok(latest)
    }

    /// Files this office sent that still wait for their receiver and were sent before
    /// `sent_before`: the トップページ's warning that their time is running out.
    pub async fn sent_unfetched_before(&self, sent_before: i64) -> Result<i64, RelayError> {
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM message_files f JOIN messages m ON m.id = f.message_id \
             WHERE m.sender_office = $1 AND m.sent_at < $2 AND f.fetched_at IS NULL \
             AND f.content_purged_at IS NULL",
        )
        .bind(self.office())
        .bind(sent_before)
        .fetch_one(&self.db.pool)
        .await?
        .try_get("n")?)
    }

    /// Received files not yet fetched and still there (the トップページ's 未取得).
    pub async fn unfetched_count(&self) -> Result<i64, RelayError> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM message_files f JOIN messages m ON m.id = f.message_id WHERE m.receiver_office = $1 AND f.fetched_at IS NULL AND f.content_purged_at IS NULL")
            .bind(self.office())
            .fetch_one(&self.db.pool)
            .await?
            .try_get("n")?;
        Ok(n)
    }
}

/// Imports many messages (one file each or more) from many offices in one transaction with
/// multi-row inserts, then recomputes the per-office counts: for data migrations and benchmarks
/// (the operator's), not for sends. Each entry is (sender office, message).
pub(crate) async fn import(db: &Store, batch: &[(String, NewMessage)]) -> Result<(), RelayError> {
    const ROWS: usize = 100;
    let mut tx = db.writer.begin().await?;
    for chunk in batch.chunks(ROWS) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * 6 + 1, 6)))
            .collect();
        let sql = format!("INSERT INTO messages (id, sender_office, receiver_office, message, sent_at, sender_terminal) VALUES {}", values.join(", "));
        let mut query = sqlx::query(constant_sql(sql));
        for (sender, new) in chunk {
            query = query
                .bind(&new.id)
                .bind(sender)
                .bind(&new.receiver_office)
                .bind(&new.message)
                .bind(new.sent_at)
                .bind(&new.sender_terminal);
        }
        query.execute(&mut *tx).await?;
        let files: Vec<&FileRow> = chunk.iter().flat_map(|(_, n)| &n.files).collect();
        for files in files.chunks(ROWS) {
            let values: Vec<String> = (0..files.len())
                .map(|i| format!("({})", placeholders(i * 13 + 1, 13)))
                .collect();
            let sql = format!(
                "INSERT INTO message_files ({FILE_INSERT_COLUMNS}) VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(constant_sql(sql));
            for f in files {
                query = query
                    .bind(&f.id)
                    .bind(&f.message_id)
                    .bind(f.position)
                    .bind(&f.name)
                    .bind(&f.category)
                    .bind(&f.csv_version)
                    .bind(f.size)
                    .bind(&f.sha256)
                    .bind(&f.blob_key)
                    .bind(f.fetched_at);
                let facts = NameFacts::of(&f.name);
                query = query
                    .bind(facts.kind)
                    .bind(facts.target_month)
                    .bind(facts.serial);
            }
            query.execute(&mut *tx).await?;
        }
        for (_, new) in chunk {
            insert_units(&mut tx, &new.id, &new.units).await?;
        }
    }
    sqlx::query("DELETE FROM office_message_counts")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO office_message_counts (office_number, inbox, outbox) SELECT number, \
         (SELECT COUNT(*) FROM messages WHERE receiver_office = offices.number), \
         (SELECT COUNT(*) FROM messages WHERE sender_office = offices.number) FROM offices",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
