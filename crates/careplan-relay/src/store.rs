//! The database: SQLite by default, PostgreSQL by URL, through sqlx's `Any` driver with one set of
//! portable SQL (`$N` placeholders, BIGINT / TEXT only) and one migration folder per backend.
//!
//! Every query that reads messages or files names the office it acts for, so that one office can never
//! reach another's data, whatever id it guesses.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, FromRow, Row};

use crate::error::RelayError;

/// SQL assembled from constant fragments only (a table name chosen by an enum, a column list);
/// values always go through `$N` binds.
fn constant_sql(sql: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql)
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

fn office_insert(office: &OfficeRow, now: i64) -> AnyQuery<'_> {
    sqlx::query("INSERT INTO offices (number, name, service_kinds, prefecture, city, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&office.number)
        .bind(&office.name)
        .bind(office.service_kinds.join(","))
        .bind(&office.prefecture)
        .bind(&office.city)
        .bind(now)
}

fn user_insert<'q>(
    table: UserTable,
    id: &'q str,
    office_number: &'q str,
    password_hash: &'q str,
) -> AnyQuery<'q> {
    sqlx::query(constant_sql(format!(
        "INSERT INTO {} (id, office_number, password_hash) VALUES ($1, $2, $3)",
        table.name()
    )))
    .bind(id)
    .bind(office_number)
    .bind(password_hash)
}

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Result<Backend, RelayError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(RelayError::Config(format!(
                "DATABASE_URL は sqlite:// か postgres:// で始めてください（今は「{url}」）。"
            )))
        }
    }
}

#[derive(Clone)]
pub struct Store {
    /// Reads.
    pool: AnyPool,
    /// Writes. On SQLite a single connection: SQLite takes one writer at a time, and writers queueing
    /// here wait their turn instead of sleeping in SQLite's busy handler (p99 at 8 clients: 246 ms →
    /// 37 ms). On PostgreSQL the same pool as reads.
    writer: AnyPool,
    pub backend: Backend,
}

/// A row of `offices`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeRow {
    pub number: String,
    pub name: String,
    pub service_kinds: Vec<String>,
    pub prefecture: String,
    pub city: String,
}

/// A row of `personal_users` or `office_users`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub office_number: String,
    pub password_hash: String,
    pub failed_attempts: i64,
    pub locked_until: Option<i64>,
}

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

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StageRow {
    pub personal_user_id: String,
    pub office_number: String,
    pub cert_fingerprint: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub office_number: String,
    pub personal_user_id: String,
    pub office_user_id: String,
    pub terminal_name: String,
    pub cert_fingerprint: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: String,
    pub sender_office: String,
    pub receiver_office: String,
    pub message: String,
    pub sent_at: i64,
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
}

/// A row of `drafts`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DraftRow {
    pub id: String,
    pub office_number: String,
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

/// A new message and its files, stored in one transaction.
pub struct NewMessage {
    pub message: MessageRow,
    pub sender_terminal: String,
    pub idempotency_key: Option<String>,
    pub files: Vec<FileRow>,
}

/// One line of the audit log.
pub struct AuditEntry<'a> {
    pub at: i64,
    pub office: Option<&'a str>,
    pub actor: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
}

const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (at, office_number, actor, action, detail) VALUES ($1, $2, $3, $4, $5)";

async fn insert_audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    audit: &AuditEntry<'_>,
) -> Result<(), RelayError> {
    sqlx::query(INSERT_AUDIT)
        .bind(audit.at)
        .bind(audit.office)
        .bind(audit.actor)
        .bind(audit.action)
        .bind(audit.detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn office_row(row: &AnyRow) -> Result<OfficeRow, sqlx::Error> {
    let kinds: String = row.try_get("service_kinds")?;
    Ok(OfficeRow {
        number: row.try_get("number")?,
        name: row.try_get("name")?,
        service_kinds: kinds
            .split(',')
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect(),
        prefecture: row.try_get("prefecture")?,
        city: row.try_get("city")?,
    })
}

const FILE_COLUMNS: &str =
    "id, message_id, position, name, category, csv_version, size, sha256, blob_key, fetched_at";
const USER_COLUMNS: &str = "id, office_number, password_hash, failed_attempts, locked_until";

/// The two kinds of login ID, each in its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserTable {
    Personal,
    Office,
}

impl UserTable {
    fn name(self) -> &'static str {
        match self {
            UserTable::Personal => "personal_users",
            UserTable::Office => "office_users",
        }
    }
}

impl Store {
    /// Connects and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Store, RelayError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let (pool, writer) = match backend {
            Backend::Sqlite => {
                let writer = AnyPoolOptions::new()
                    .max_connections(1)
                    .connect(url)
                    .await?;
                // WAL lets readers go on while a send commits; the setting persists in the file.
                sqlx::query("PRAGMA journal_mode=WAL")
                    .execute(&writer)
                    .await?;
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    .connect(url)
                    .await?;
                (pool, writer)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .connect(url)
                    .await?;
                (pool.clone(), pool)
            }
        };
        let migrator = match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator
            .run(&writer)
            .await
            .map_err(|e| RelayError::Internal(format!("migration: {e}")))?;
        Ok(Store {
            pool,
            writer,
            backend,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    // ---- offices, users, certificates, licences, notices ----

    pub async fn insert_office(&self, office: &OfficeRow, now: i64) -> Result<(), RelayError> {
        office_insert(office, now).execute(&self.writer).await?;
        Ok(())
    }

    /// Registers many offices, each with its office user, in one transaction: all or none.
    pub async fn register_offices(
        &self,
        offices: &[(OfficeRow, String, String)],
        now: i64,
    ) -> Result<(), RelayError> {
        let mut tx = self.writer.begin().await?;
        for (office, office_user_id, password_hash) in offices {
            office_insert(office, now).execute(&mut *tx).await?;
            user_insert(
                UserTable::Office,
                office_user_id,
                &office.number,
                password_hash,
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn office(&self, number: &str) -> Result<Option<OfficeRow>, RelayError> {
        let row = sqlx::query(
            "SELECT number, name, service_kinds, prefecture, city FROM offices WHERE number = $1",
        )
        .bind(number)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| office_row(&r)).transpose()?)
    }

    pub async fn insert_user(
        &self,
        table: UserTable,
        id: &str,
        office_number: &str,
        password_hash: &str,
    ) -> Result<(), RelayError> {
        user_insert(table, id, office_number, password_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn user(&self, table: UserTable, id: &str) -> Result<Option<UserRow>, RelayError> {
        let row = sqlx::query(constant_sql(format!(
            "SELECT {USER_COLUMNS} FROM {} WHERE id = $1",
            table.name()
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| UserRow::from_row(&r)).transpose()?)
    }

    /// Counts a failed password; locks the ID once `max_failures` is reached.
    pub async fn record_failure(
        &self,
        table: UserTable,
        id: &str,
        max_failures: i64,
        lock_until: i64,
    ) -> Result<(), RelayError> {
        sqlx::query(constant_sql(format!(
            "UPDATE {} SET failed_attempts = failed_attempts + 1, \
             locked_until = CASE WHEN failed_attempts + 1 >= $1 THEN $2 ELSE locked_until END WHERE id = $3",
            table.name()
        )))
        .bind(max_failures)
        .bind(lock_until)
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn reset_failures(&self, table: UserTable, id: &str) -> Result<(), RelayError> {
        sqlx::query(constant_sql(format!(
            "UPDATE {} SET failed_attempts = 0, locked_until = NULL WHERE id = $1",
            table.name()
        )))
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn insert_certificate(&self, cert: &CertificateRow) -> Result<(), RelayError> {
        sqlx::query("INSERT INTO certificates (fingerprint, office_number, serial, subject, not_before, not_after) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&cert.fingerprint)
            .bind(&cert.office_number)
            .bind(&cert.serial)
            .bind(&cert.subject)
            .bind(cert.not_before)
            .bind(cert.not_after)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn certificate(
        &self,
        fingerprint: &str,
    ) -> Result<Option<CertificateRow>, RelayError> {
        let row = sqlx::query("SELECT fingerprint, office_number, serial, subject, not_before, not_after, revoked_at FROM certificates WHERE fingerprint = $1")
            .bind(fingerprint)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| CertificateRow::from_row(&r))
            .transpose()
            .map_err(Into::into)
    }

    pub async fn revoke_certificate(&self, serial: &str, now: i64) -> Result<u64, RelayError> {
        let done = sqlx::query(
            "UPDATE certificates SET revoked_at = $1 WHERE serial = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(serial)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }

    pub async fn upsert_licence(&self, licence: &LicenceRow) -> Result<(), RelayError> {
        let mut tx = self.writer.begin().await?;
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

    pub async fn licence(&self, office_number: &str) -> Result<Option<LicenceRow>, RelayError> {
        let row = sqlx::query("SELECT office_number, starts_on, expires_on, fee_yen, free_pass, payment FROM licences WHERE office_number = $1")
            .bind(office_number)
            .fetch_optional(&self.pool)
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

    pub async fn insert_notice(&self, notice: &NoticeRow) -> Result<(), RelayError> {
        sqlx::query("INSERT INTO notices (id, published_at, title, body) VALUES ($1, $2, $3, $4)")
            .bind(&notice.id)
            .bind(notice.published_at)
            .bind(&notice.title)
            .bind(&notice.body)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn notices(&self, limit: i64) -> Result<Vec<NoticeRow>, RelayError> {
        let rows = sqlx::query("SELECT id, published_at, title, body FROM notices ORDER BY published_at DESC, id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(NoticeRow::from_row)
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }

    // ---- login stages and sessions (tokens are stored hashed) ----

    pub async fn insert_stage(&self, token_hash: &str, stage: &StageRow) -> Result<(), RelayError> {
        sqlx::query("INSERT INTO login_stages (token_hash, personal_user_id, office_number, cert_fingerprint, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(&stage.personal_user_id)
            .bind(&stage.office_number)
            .bind(&stage.cert_fingerprint)
            .bind(stage.expires_at)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Takes a stage token: it works once.
    pub async fn take_stage(&self, token_hash: &str) -> Result<Option<StageRow>, RelayError> {
        let row = sqlx::query("DELETE FROM login_stages WHERE token_hash = $1 RETURNING personal_user_id, office_number, cert_fingerprint, expires_at")
            .bind(token_hash)
            .fetch_optional(&self.writer)
            .await?;
        row.map(|r| StageRow::from_row(&r))
            .transpose()
            .map_err(Into::into)
    }

    pub async fn insert_session(
        &self,
        token_hash: &str,
        session: &SessionRow,
        now: i64,
    ) -> Result<(), RelayError> {
        sqlx::query("INSERT INTO sessions (token_hash, office_number, personal_user_id, office_user_id, terminal_name, cert_fingerprint, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(token_hash)
            .bind(&session.office_number)
            .bind(&session.personal_user_id)
            .bind(&session.office_user_id)
            .bind(&session.terminal_name)
            .bind(&session.cert_fingerprint)
            .bind(now)
            .bind(session.expires_at)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, RelayError> {
        let row = sqlx::query("SELECT office_number, personal_user_id, office_user_id, terminal_name, cert_fingerprint, expires_at FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| SessionRow::from_row(&r))
            .transpose()
            .map_err(Into::into)
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), RelayError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    // ---- messages and files ----

    /// Makes a message visible: the message and all its files in one transaction. The blobs must
    /// already be written and synced. Returns `false` when the idempotency key was already used (the
    /// caller answers with the earlier message).
    pub async fn insert_message(
        &self,
        new: &NewMessage,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, RelayError> {
        let mut tx = self.writer.begin().await?;
        let m = &new.message;
        let inserted = sqlx::query(
            "INSERT INTO messages (id, sender_office, receiver_office, message, sent_at, sender_terminal, idempotency_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sender_office, idempotency_key) DO NOTHING",
        )
        .bind(&m.id)
        .bind(&m.sender_office)
        .bind(&m.receiver_office)
        .bind(&m.message)
        .bind(m.sent_at)
        .bind(&new.sender_terminal)
        .bind(&new.idempotency_key)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        for (office, column) in [(&m.receiver_office, "inbox"), (&m.sender_office, "outbox")] {
            let (inbox, outbox) = if column == "inbox" {
                (1i64, 0i64)
            } else {
                (0, 1)
            };
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
            sqlx::query(constant_sql(format!("INSERT INTO message_files ({FILE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")))
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
                .execute(&mut *tx)
                .await?;
        }
        // In the same transaction: the log line is there exactly when the message is, and a send
        // costs one commit (one WAL sync), not two.
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Imports many messages (one file each or more) in one transaction with multi-row inserts, then
    /// recomputes the per-office counts: for data migrations and benchmarks, not for sends.
    pub async fn import_messages(&self, batch: &[NewMessage]) -> Result<(), RelayError> {
        const ROWS: usize = 100;
        let mut tx = self.writer.begin().await?;
        for chunk in batch.chunks(ROWS) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${})",
                        i * 6 + 1,
                        i * 6 + 2,
                        i * 6 + 3,
                        i * 6 + 4,
                        i * 6 + 5,
                        i * 6 + 6
                    )
                })
                .collect();
            let sql = format!("INSERT INTO messages (id, sender_office, receiver_office, message, sent_at, sender_terminal) VALUES {}", values.join(", "));
            let mut query = sqlx::query(constant_sql(sql));
            for new in chunk {
                let m = &new.message;
                query = query
                    .bind(&m.id)
                    .bind(&m.sender_office)
                    .bind(&m.receiver_office)
                    .bind(&m.message)
                    .bind(m.sent_at)
                    .bind(&new.sender_terminal);
            }
            query.execute(&mut *tx).await?;
            let files: Vec<&FileRow> = chunk.iter().flat_map(|n| &n.files).collect();
            for files in files.chunks(ROWS) {
                let values: Vec<String> = (0..files.len())
                    .map(|i| {
                        format!(
                            "({})",
                            (1..=10)
                                .map(|c| format!("${}", i * 10 + c))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })
                    .collect();
                let sql = format!(
                    "INSERT INTO message_files ({FILE_COLUMNS}) VALUES {}",
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
                }
                query.execute(&mut *tx).await?;
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

    pub async fn message_by_idempotency_key(
        &self,
        sender: &str,
        key: &str,
    ) -> Result<Option<MessageRow>, RelayError> {
        let row = sqlx::query("SELECT id, sender_office, receiver_office, message, sent_at FROM messages WHERE sender_office = $1 AND idempotency_key = $2")
            .bind(sender)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| MessageRow::from_row(&r)).transpose()?)
    }

    /// A page of an office's inbox (`receiver_office`) or outbox (`sender_office`), newest first, with
    /// the total count.
    pub async fn messages_page(
        &self,
        office: &str,
        inbox: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<MessageRow>, i64), RelayError> {
        let column = if inbox {
            "receiver_office"
        } else {
            "sender_office"
        };
        let rows = sqlx::query(constant_sql(format!(
            "SELECT id, sender_office, receiver_office, message, sent_at FROM messages WHERE {column} = $1 ORDER BY sent_at DESC, id DESC LIMIT $2 OFFSET $3"
        )))
        .bind(office)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let counter = if inbox { "inbox" } else { "outbox" };
        let total: i64 = sqlx::query(constant_sql(format!(
            "SELECT {counter} AS n FROM office_message_counts WHERE office_number = $1"
        )))
        .bind(office)
        .fetch_optional(&self.pool)
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

    pub async fn message(&self, id: &str) -> Result<Option<MessageRow>, RelayError> {
        let row = sqlx::query("SELECT id, sender_office, receiver_office, message, sent_at FROM messages WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| MessageRow::from_row(&r)).transpose()?)
    }

    /// The files of a page of messages, in one query.
    pub async fn files_of(&self, message_ids: &[String]) -> Result<Vec<FileRow>, RelayError> {
        let mut files = Vec::new();
        for ids in message_ids.chunks(500) {
            let placeholders: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
            let sql = format!(
                "SELECT {FILE_COLUMNS} FROM message_files WHERE message_id IN ({}) ORDER BY message_id, position",
                placeholders.join(", ")
            );
            let mut query = sqlx::query(constant_sql(sql));
            for id in ids {
                query = query.bind(id);
            }
            for row in &query.fetch_all(&self.pool).await? {
                files.push(FileRow::from_row(row)?);
            }
        }
        Ok(files)
    }

    /// A file of a message addressed to `receiver`; `None` for anyone else's file.
    pub async fn inbox_file(
        &self,
        file_id: &str,
        receiver: &str,
    ) -> Result<Option<FileRow>, RelayError> {
        let row = sqlx::query(constant_sql(format!(
            "SELECT {} FROM message_files f JOIN messages m ON m.id = f.message_id WHERE f.id = $1 AND m.receiver_office = $2",
            FILE_COLUMNS.split(", ").map(|c| format!("f.{c}")).collect::<Vec<_>>().join(", ")
        )))
        .bind(file_id)
        .bind(receiver)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| FileRow::from_row(&r)).transpose()?)
    }

    /// Marks a file of `receiver`'s inbox 済, exactly once whatever the concurrency: the
    /// `fetched_at IS NULL` guard lets one UPDATE win. Returns whether this call won.
    /// Marks a file 済 for its receiver, once: answers whether this call did it. The audit line is
    /// written in the same transaction, so it exists exactly when the file is 済.
    pub async fn mark_fetched(
        &self,
        file_id: &str,
        receiver: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, RelayError> {
        let mut tx = self.writer.begin().await?;
        let won = sqlx::query(
            "UPDATE message_files SET fetched_at = $1 WHERE id = $2 AND fetched_at IS NULL \
             AND message_id IN (SELECT id FROM messages WHERE receiver_office = $3) RETURNING id",
        )
        .bind(audit.at)
        .bind(file_id)
        .bind(receiver)
        .fetch_optional(&mut *tx)
        .await?;
        if won.is_none() {
            tx.rollback().await?;
            return Ok(false);
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn unfetched_count(&self, receiver: &str) -> Result<i64, RelayError> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM message_files f JOIN messages m ON m.id = f.message_id WHERE m.receiver_office = $1 AND f.fetched_at IS NULL")
            .bind(receiver)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok(n)
    }

    /// Every blob key a message or a draft refers to, for the orphan sweep.
    pub async fn all_blob_keys(&self) -> Result<std::collections::HashSet<String>, RelayError> {
        let rows = sqlx::query(
            "SELECT blob_key FROM message_files UNION ALL SELECT blob_key FROM draft_files",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| r.try_get::<String, _>("blob_key"))
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }

    // ---- drafts (every query names the office) ----

    /// Saves a draft, replacing the one with the same id of the same office if there is one.
    pub async fn save_draft(
        &self,
        draft: &DraftRow,
        files: &[DraftFileRow],
    ) -> Result<(), RelayError> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM draft_files WHERE draft_id IN (SELECT id FROM drafts WHERE id = $1 AND office_number = $2)")
            .bind(&draft.id)
            .bind(&draft.office_number)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM drafts WHERE id = $1 AND office_number = $2")
            .bind(&draft.id)
            .bind(&draft.office_number)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO drafts (id, office_number, terminal_name, saved_at, receiver_office, message) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&draft.id)
            .bind(&draft.office_number)
            .bind(&draft.terminal_name)
            .bind(draft.saved_at)
            .bind(&draft.receiver_office)
            .bind(&draft.message)
            .execute(&mut *tx)
            .await?;
        for f in files {
            sqlx::query("INSERT INTO draft_files (id, draft_id, position, name, size, sha256, blob_key) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&f.id)
                .bind(&f.draft_id)
                .bind(f.position)
                .bind(&f.name)
                .bind(f.size)
                .bind(&f.sha256)
                .bind(&f.blob_key)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn drafts(&self, office: &str) -> Result<Vec<DraftRow>, RelayError> {
        let rows = sqlx::query(
            "SELECT id, office_number, terminal_name, saved_at, receiver_office, message FROM drafts \
             WHERE office_number = $1 ORDER BY saved_at DESC, id DESC",
        )
        .bind(office)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(DraftRow::from_row)
            .collect::<Result<_, _>>()?)
    }

    pub async fn draft(&self, id: &str, office: &str) -> Result<Option<DraftRow>, RelayError> {
        let row = sqlx::query(
            "SELECT id, office_number, terminal_name, saved_at, receiver_office, message FROM drafts \
             WHERE id = $1 AND office_number = $2",
        )
        .bind(id)
        .bind(office)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| DraftRow::from_row(&r)).transpose()?)
    }

    pub async fn draft_files(&self, draft_id: &str) -> Result<Vec<DraftFileRow>, RelayError> {
        let rows = sqlx::query(
            "SELECT id, draft_id, position, name, size, sha256, blob_key FROM draft_files WHERE draft_id = $1 ORDER BY position",
        )
        .bind(draft_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(DraftFileRow::from_row)
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }

    /// Deletes a draft of this office; returns its files' blob keys, or `None` when it has none.
    pub async fn delete_draft(
        &self,
        id: &str,
        office: &str,
    ) -> Result<Option<Vec<String>>, RelayError> {
        if self.draft(id, office).await?.is_none() {
            return Ok(None);
        }
        let keys = self
            .draft_files(id)
            .await?
            .into_iter()
            .map(|f| f.blob_key)
            .collect();
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM draft_files WHERE draft_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM drafts WHERE id = $1 AND office_number = $2")
            .bind(id)
            .bind(office)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(keys))
    }

    // ---- audit ----

    pub async fn audit(
        &self,
        at: i64,
        office: Option<&str>,
        actor: &str,
        action: &str,
        detail: &str,
    ) -> Result<(), RelayError> {
        sqlx::query(INSERT_AUDIT)
            .bind(at)
            .bind(office)
            .bind(actor)
            .bind(action)
            .bind(detail)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The audit log, oldest first (for admins and tests).
    pub async fn audit_entries(
        &self,
    ) -> Result<Vec<(Option<String>, String, String, String)>, RelayError> {
        let rows =
            sqlx::query("SELECT office_number, actor, action, detail FROM audit_log ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("office_number")?,
                    r.try_get("actor")?,
                    r.try_get("action")?,
                    r.try_get("detail")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}
