//! One office's staff: its 個人ユーザID (`c…`), issued, locked and deleted by the office's own
//! administrator in the portal. Every query names the office of the [`Staff`]' scope. A deleted ID
//! stays in the table (it is never issued again, and messages keep who sent them) but no longer logs
//! in nor shows in the list.

use sqlx::{FromRow, Row};

use super::{constant_sql, Offices, Sessions, Store};
use crate::access::OfficeScope;
use crate::error::RelayError;

/// 管理者 or 一般.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffRole {
    /// 管理者: issues, resets, locks and deletes the office's IDs.
    Admin,
    /// 一般: manages only its own ID (password, セキュリティメール).
    General,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::General => "general",
        }
    }

    pub fn parse(text: &str) -> Option<StaffRole> {
        match text {
            "admin" => Some(StaffRole::Admin),
            "general" => Some(StaffRole::General),
            _ => None,
        }
    }

    /// As the screens say it.
    pub fn label(self) -> &'static str {
        match self {
            StaffRole::Admin => "管理者",
            StaffRole::General => "一般",
        }
    }
}

/// One 個人ユーザID of the office, as its administrator sees it (never its password hash).
#[derive(Debug, Clone)]
pub struct StaffRow {
    pub id: String,
    pub name: String,
    pub role: StaffRole,
    pub created_at: i64,
    /// 利用停止 by the administrator.
    pub disabled_at: Option<i64>,
    /// Locked by wrong passwords until then.
    pub locked_until: Option<i64>,
    pub last_login_at: Option<i64>,
    pub last_login_terminal: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RawStaff {
    id: String,
    name: String,
    role: String,
    created_at: i64,
    disabled_at: Option<i64>,
    locked_until: Option<i64>,
    last_login_at: Option<i64>,
    last_login_terminal: Option<String>,
}

impl From<RawStaff> for StaffRow {
    fn from(raw: RawStaff) -> StaffRow {
        StaffRow {
            id: raw.id,
            name: raw.name,
            role: StaffRole::parse(&raw.role).unwrap_or(StaffRole::General),
            created_at: raw.created_at,
            disabled_at: raw.disabled_at,
            locked_until: raw.locked_until,
            last_login_at: raw.last_login_at,
            last_login_terminal: raw.last_login_terminal,
        }
    }
}

const STAFF_COLUMNS: &str =
    "id, name, role, created_at, disabled_at, locked_until, last_login_at, last_login_terminal";

/// What a change of the staff did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffChange {
    Done,
    /// The office has no such (undeleted) ID.
    NotFound,
    /// It would leave the office without an active 管理者.
    LastAdmin,
}

/// A personal ID's standing, for the login: deleted IDs log in nowhere, disabled ones are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonalStanding {
    pub disabled: bool,
    pub deleted: bool,
}

pub struct Staff<'a> {
    pub(super) db: &'a Store,
    pub(super) office: &'a OfficeScope,
}

/// Active 管理者 other than `id` (`''` for none), counted inside the transaction of a change.
const OTHER_ACTIVE_ADMINS: &str =
    "(SELECT COUNT(*) FROM personal_users o WHERE o.office_number = $2 AND o.role = 'admin' \
     AND o.deleted_at IS NULL AND o.disabled_at IS NULL AND o.id <> $1)";

impl Staff<'_> {
    fn office(&self) -> &str {
        self.office.number()
    }

    /// The office's IDs that are not deleted, in the order they were issued.
    pub async fn list(&self) -> Result<Vec<StaffRow>, RelayError> {
        let rows = sqlx::query(constant_sql(format!(
            "SELECT {STAFF_COLUMNS} FROM personal_users WHERE office_number = $1 AND deleted_at IS NULL ORDER BY created_at, id"
        )))
        .bind(self.office())
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| RawStaff::from_row(r).map(StaffRow::from))
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }

    /// One of the office's IDs, unless deleted.
    pub async fn get(&self, id: &str) -> Result<Option<StaffRow>, RelayError> {
        let row = sqlx::query(constant_sql(format!(
            "SELECT {STAFF_COLUMNS} FROM personal_users WHERE id = $1 AND office_number = $2 AND deleted_at IS NULL"
        )))
        .bind(id)
        .bind(self.office())
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row
            .map(|r| RawStaff::from_row(&r).map(StaffRow::from))
            .transpose()?)
    }

    /// Issues an ID of this office; answers false when the ID is already taken (by any office, ever).
    pub async fn issue(
        &self,
        id: &str,
        name: &str,
        role: StaffRole,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, RelayError> {
        let inserted = sqlx::query(
            "INSERT INTO personal_users (id, office_number, password_hash, name, role, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(self.office())
        .bind(password_hash)
        .bind(name)
        .bind(role.as_str())
        .bind(now)
        .execute(&self.db.writer)
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }

    /// Replaces the password of one of the office's IDs (and clears its lock).
    pub async fn set_password(&self, id: &str, password_hash: &str) -> Result<bool, RelayError> {
        let done = sqlx::query(
            "UPDATE personal_users SET password_hash = $1, failed_attempts = 0, locked_until = NULL \
             WHERE id = $2 AND office_number = $3 AND deleted_at IS NULL",
        )
        .bind(password_hash)
        .bind(id)
        .bind(self.office())
        .execute(&self.db.writer)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// Gives one of the office's IDs its 氏名.
    pub async fn set_name(&self, id: &str, name: &str) -> Result<bool, RelayError> {
        let done = sqlx::query(
            "UPDATE personal_users SET name = $1 WHERE id = $2 AND office_number = $3 AND deleted_at IS NULL",
        )
        .bind(name)
        .bind(id)
        .bind(self.office())
        .execute(&self.db.writer)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// Clears a lock left by wrong passwords.
    pub async fn clear_lock(&self, id: &str) -> Result<bool, RelayError> {
        let done = sqlx::query(
            "UPDATE personal_users SET failed_attempts = 0, locked_until = NULL \
             WHERE id = $1 AND office_number = $2 AND deleted_at IS NULL",
        )
        .bind(id)
        .bind(self.office())
        .execute(&self.db.writer)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// 利用停止 (`Some(now)`) or 利用再開 (`None`); stopping the last active 管理者 is refused.
    pub async fn set_disabled(&self, id: &str, at: Option<i64>) -> Result<StaffChange, RelayError> {
        match at {
            None => {
                let done = sqlx::query(
                    "UPDATE personal_users SET disabled_at = NULL WHERE id = $1 AND office_number = $2 AND deleted_at IS NULL",
                )
                .bind(id)
                .bind(self.office())
                .execute(&self.db.writer)
                .await?
                .rows_affected();
                Ok(if done == 1 {
                    StaffChange::Done
                } else {
                    StaffChange::NotFound
                })
            }
            Some(now) => self.guarded(id, "disabled_at = $3", Some(now)).await,
        }
    }

    /// Deletes an ID (a leaver's); deleting the last active 管理者 is refused.
    pub async fn delete(&self, id: &str, now: i64) -> Result<StaffChange, RelayError> {
        self.guarded(id, "deleted_at = $3, disabled_at = NULL", Some(now))
            .await
    }

    /// Changes the role; taking 管理者 from the last active one is refused.
    pub async fn set_role(&self, id: &str, role: StaffRole) -> Result<StaffChange, RelayError> {
        match role {
            StaffRole::Admin => {
                let done = sqlx::query(
                    "UPDATE personal_users SET role = 'admin' WHERE id = $1 AND office_number = $2 AND deleted_at IS NULL",
                )
                .bind(id)
                .bind(self.office())
                .execute(&self.db.writer)
                .await?
                .rows_affected();
                Ok(if done == 1 {
                    StaffChange::Done
                } else {
                    StaffChange::NotFound
                })
            }
            StaffRole::General => self.guarded(id, "role = 'general'", None).await,
        }
    }

    /// Applies `set` (which uses `$3` when `value` is given) to one of the office's IDs unless that leaves the office
    /// without an active 管理者. The office's row is written first, so that two such changes of one
    /// office wait for each other (PostgreSQL's row lock; SQLite has one writer anyway) and cannot
    /// both take away "the other" 管理者.
    async fn guarded(
        &self,
        id: &str,
        set: &str,
        value: Option<i64>,
    ) -> Result<StaffChange, RelayError> {
        let mut tx = self.db.writer.begin().await?;
        sqlx::query("UPDATE offices SET name = name WHERE number = $1")
            .bind(self.office())
            .execute(&mut *tx)
            .await?;
        let Some(row) = sqlx::query(
            "SELECT role, disabled_at FROM personal_users WHERE id = $1 AND office_number = $2 AND deleted_at IS NULL",
        )
        .bind(id)
        .bind(self.office())
        .fetch_optional(&mut *tx)
        .await?
        else {
            tx.rollback().await?;
            return Ok(StaffChange::NotFound);
        };
        let active_admin = row.try_get::<String, _>("role")? == "admin"
            && row.try_get::<Option<i64>, _>("disabled_at")?.is_none();
        if active_admin {
            let others: i64 =
                sqlx::query(constant_sql(format!("SELECT {OTHER_ACTIVE_ADMINS} AS n")))
                    .bind(id)
                    .bind(self.office())
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("n")?;
            if others == 0 {
                tx.rollback().await?;
                return Ok(StaffChange::LastAdmin);
            }
        }
        let update = sqlx::query(constant_sql(format!(
            "UPDATE personal_users SET {set} WHERE id = $1 AND office_number = $2"
        )))
        .bind(id)
        .bind(self.office());
        match value {
            Some(value) => update.bind(value).execute(&mut *tx).await?,
            None => update.execute(&mut *tx).await?,
        };
        tx.commit().await?;
        Ok(StaffChange::Done)
    }

    /// Active 管理者 of the office.
    pub async fn active_admins(&self) -> Result<i64, RelayError> {
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM personal_users WHERE office_number = $1 AND role = 'admin' \
             AND deleted_at IS NULL AND disabled_at IS NULL",
        )
        .bind(self.office())
        .fetch_one(&self.db.pool)
        .await?
        .try_get("n")?)
    }

    /// The names of the office's IDs (deleted ones too: a message keeps who sent it).
    pub async fn names(&self) -> Result<std::collections::HashMap<String, String>, RelayError> {
        let rows = sqlx::query("SELECT id, name FROM personal_users WHERE office_number = $1")
            .bind(self.office())
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}

impl Offices<'_> {
    /// Whether a personal ID may log in (the register's view, for the login).
    pub async fn personal_standing(
        &self,
        id: &str,
    ) -> Result<Option<PersonalStanding>, RelayError> {
        let row = sqlx::query("SELECT disabled_at, deleted_at FROM personal_users WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.db.pool)
            .await?;
        row.map(|r| -> Result<PersonalStanding, sqlx::Error> {
            Ok(PersonalStanding {
                disabled: r.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
                deleted: r.try_get::<Option<i64>, _>("deleted_at")?.is_some(),
            })
        })
        .transpose()
        .map_err(Into::into)
    }

    /// The desktop client's last login with a personal ID, and from which terminal.
    pub async fn record_personal_login(
        &self,
        id: &str,
        terminal: &str,
        now: i64,
    ) -> Result<(), RelayError> {
        sqlx::query(
            "UPDATE personal_users SET last_login_at = $1, last_login_terminal = $2 WHERE id = $3",
        )
        .bind(now)
        .bind(terminal)
        .bind(id)
        .execute(&self.db.writer)
        .await?;
        Ok(())
    }

    /// Whether the office user's password is a temporary one that must be changed first.
    pub async fn must_change_password(&self, id: &str) -> Result<bool, RelayError> {
        let row = sqlx::query("SELECT must_change_password FROM office_users WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<i64, _>("must_change_password")? != 0,
            None => false,
        })
    }

    /// Replaces the office user's password: chosen by the office, so no longer temporary.
    pub async fn set_office_user_password(
        &self,
        id: &str,
        password_hash: &str,
    ) -> Result<(), RelayError> {
        sqlx::query(
            "UPDATE office_users SET password_hash = $1, must_change_password = 0, failed_attempts = 0, locked_until = NULL WHERE id = $2",
        )
        .bind(password_hash)
        .bind(id)
        .execute(&self.db.writer)
        .await?;
        Ok(())
    }

    /// Marks an office user's password as temporary (`office-import`) or as chosen by the office.
    pub async fn set_must_change_password(&self, id: &str, must: bool) -> Result<(), RelayError> {
        sqlx::query("UPDATE office_users SET must_change_password = $1 WHERE id = $2")
            .bind(i64::from(must))
            .bind(id)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }
}

impl Sessions<'_> {
    /// Ends the desktop client's sessions of a personal ID (stopped or deleted by its office).
    pub async fn delete_for_person(&self, personal_user_id: &str) -> Result<(), RelayError> {
        sqlx::query("DELETE FROM sessions WHERE personal_user_id = $1")
            .bind(personal_user_id)
            .execute(&self.db.writer)
            .await?;
        Ok(())
    }
}
