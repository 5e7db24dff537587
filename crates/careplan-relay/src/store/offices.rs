//! The register: offices (事業所) and their login IDs, 個人ユーザID (`c…`) and 事業所ユーザID (`KJ…`).
//! Public to every logged-in office (a destination is looked up by its number); passwords are
//! stored as argon2id hashes only.

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use super::{constant_sql, AnyQuery, Store};
use crate::error::RelayError;

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
    pub last_failed_at: Option<i64>,
}

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

    /// The kind of ID in `login_probes`.
    pub(super) fn kind(self) -> &'static str {
        match self {
            UserTable::Personal => "personal",
            UserTable::Office => "office",
        }
    }
}

/// How a wrong password is counted, for a real ID and for a probe alike: a failure more than the
/// lockout period after the one before starts counting again at 1, and the count reaching the limit
/// locks until `lock_until`. Both statements bind `$1` now, `$2` the start of the window (now minus
/// the lockout period), `$3` the limit and `$4` the end of a new lock.
#[derive(Debug, Clone, Copy)]
pub struct FailureRule {
    pub now: i64,
    pub window_start: i64,
    pub max_failures: i64,
    pub lock_until: i64,
}

/// The count after one more failure, as SQL over the row's old values (`prefix` names the table in
/// an upsert).
pub(super) fn next_count(prefix: &str) -> String {
    format!(
        "CASE WHEN {prefix}last_failed_at IS NULL OR {prefix}last_failed_at <= $2 THEN 1 ELSE {prefix}failed_attempts + 1 END"
    )
}

const USER_COLUMNS: &str =
    "id, office_number, password_hash, failed_attempts, locked_until, last_failed_at";

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

pub struct Offices<'a> {
    pub(super) db: &'a Store,
}

impl Offices<'_> {
    pub async fn insert(&self, office: &OfficeRow, now: i64) -> Result<(), RelayError> {
        office_insert(office, now).execute(&self.db.writer).await?;
        Ok(())
    }

    /// Registers many offices, each with its office user, in one transaction: all or none.
    pub async fn register_many(
        &self,
        offices: &[(OfficeRow, String, String)],
        now: i64,
    ) -> Result<(), RelayError> {
        let mut tx = self.db.writer.begin().await?;
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

    pub async fn get(&self, number: &str) -> Result<Option<OfficeRow>, RelayError> {
        let row = sqlx::query(
            "SELECT number, name, service_kinds, prefecture, city FROM offices WHERE number = $1",
        )
        .bind(number)
        .fetch_optional(&self.db.pool)
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
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }

    pub async fn user(&self, table: UserTable, id: &str) -> Result<Option<UserRow>, RelayError> {
        let row = sqlx::query(constant_sql(format!(
            "SELECT {USER_COLUMNS} FROM {} WHERE id = $1",
            table.name()
        )))
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row.map(|r| UserRow::from_row(&r)).transpose()?)
    }

    /// Counts a failed password (see [`FailureRule`]); locks the ID once the limit is reached.
    pub async fn record_failure(
        &self,
        table: UserTable,
        id: &str,
        rule: FailureRule,
    ) -> Result<(), RelayError> {
        let count = next_count("");
        sqlx::query(constant_sql(format!(
            "UPDATE {} SET failed_attempts = {count}, \
             locked_until = CASE WHEN {count} >= $3 THEN $4 ELSE NULL END, last_failed_at = $1 WHERE id = $5",
            table.name()
        )))
        .bind(rule.now)
        .bind(rule.window_start)
        .bind(rule.max_failures)
        .bind(rule.lock_until)
        .bind(id)
        .execute(&self.db.writer)
        .await?;
        Ok(())
    }

    pub async fn reset_failures(&self, table: UserTable, id: &str) -> Result<(), RelayError> {
        sqlx::query(constant_sql(format!(
            "UPDATE {} SET failed_attempts = 0, locked_until = NULL, last_failed_at = NULL WHERE id = $1",
            table.name()
        )))
        .bind(id)
        .execute(&self.db.writer)
        .await?;
        Ok(())
    }
}
