//! The database: SQLite by default, PostgreSQL by URL, through sqlx's `Any` driver with one set of
//! portable SQL (`$N` placeholders, BIGINT / TEXT only) and one migration folder per backend.
//!
//! One module per resource, each a small handle borrowed from [`Store`]: the register of offices and
//! their IDs ([`offices`]), wrong logins with IDs an office does not have ([`probes`]), certificates, login stages and sessions, licences and notices, the audit
//! log, and the office's own data: its messages and files ([`messages`]) and its drafts
//! ([`drafts`]). The last two are reached only through an [`OfficeScope`], which only a logged-in
//! session or the operator can make (see [`crate::access`]): every query of them names the office
//! because it cannot be written without one.
//!
//! The portal's tables follow the same rule: the office's staff IDs ([`staff`]), its 利用申請 and
//! licence history ([`applications`]), its certificates and their downloads ([`issuance`]) and its
//! directory listing ([`directory`]) through an [`OfficeScope`]; セキュリティメール ([`security_mail`])
//! through the [`crate::access::LoginIdScope`] of one ID. Credentials (portal sessions, the
//! 証明書発行用パスワード) are looked up unscoped by `access`, as login IDs and sessions are.
//!
//! The same SQL text runs on both backends; the test command runs the relay's tests on SQLite and
//! again on PostgreSQL, which is what keeps that promise honest (see docs/relay.md).

pub mod applications;
pub mod audit;
pub mod certificates;
pub mod directory;
pub mod drafts;
pub mod feed;
pub mod history;
pub mod issuance;
pub mod licences;
pub mod messages;
pub mod offices;
pub mod portal_sessions;
pub mod portal_settings;
pub mod probes;
pub mod retention;
pub mod security_mail;
pub mod sessions;
pub mod staff;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

use crate::access::{LoginIdScope, OfficeScope};
use crate::error::RelayError;

pub use audit::{AuditEntry, AuditLine, AuditLog, AuditQuery, ChainCheck};
pub use certificates::{CertificateRow, Certificates};
pub use drafts::{DraftFileRow, DraftRow, Drafts};
pub use feed::{Feed, FeedTokenRow, FeedTokens, TakenRow, WaitingRow};
pub use history::{Direction, History, HistoryFilter, HistoryRow, LaterFile};
pub use licences::{LicenceRow, Licences, NoticeRow};
pub use messages::{
    EarlierFile, FileRow, KeyedMessage, Mailbox, MailboxKind, MessageRow, NewMessage, NewReceipt,
    Sent, UnitPerson, UnitRow,
};
pub use offices::{FailureRule, OfficeRow, Offices, UserRow, UserTable};
pub use probes::LoginProbes;
pub use retention::{ExpiredContent, PurgeCursor, PurgedRecords};
pub use sessions::{SessionRow, Sessions, StageRow};

pub use applications::{
    all_applications, ApplicationRow, Applications, GrantReason, LicencePeriodRow, PaymentMethod,
};
pub use directory::{Directory, DirectoryEntry, DirectoryQuery, Listing, ListingRow};
pub use issuance::{
    IssuancePasswords, IssuanceRow, OfficeCertificateRow, OfficeCertificates, PendingDownload,
};
pub use portal_sessions::{PortalSessionRow, PortalSessions};
pub use portal_settings::{PortalSettings, TermsRow};
pub use security_mail::{CodeCheck, CodePurpose, MailRow, SecurityMail};
pub use staff::{PersonalStanding, Staff, StaffChange, StaffRole, StaffRow};

/// SQL assembled from constant fragments only (a table name chosen by an enum, a column list, a
/// number of placeholders); values always go through `$N` binds.
fn constant_sql(sql: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql)
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// `$first, $first+1, …` for `count` values: the placeholders of one row of a multi-row insert.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
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
            if cfg!(feature = "postgres") {
                Ok(Backend::Postgres)
            } else {
                Err(RelayError::Config(
                    "この連携基盤は PostgreSQL なしで作られています（練習モード用）。DATABASE_URL には sqlite:// を指定してください。".into(),
                ))
            }
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
        migrate(backend, &writer).await?;
        let store = Store {
            pool,
            writer,
            backend,
        };
        let filled = history::fill_name_facts(&store).await?;
        if filled > 0 {
            tracing::info!(
                filled,
                "files stored before 送受信履歴 got their kind, month and serial"
            );
        }
        Ok(store)
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    /// The register: offices and their login IDs.
    pub fn offices(&self) -> Offices<'_> {
        Offices { db: self }
    }

    pub fn certificates(&self) -> Certificates<'_> {
        Certificates { db: self }
    }

    /// Wrong logins with IDs the asking office does not have.
    pub fn login_probes(&self) -> LoginProbes<'_> {
        LoginProbes { db: self }
    }

    /// Login stages and sessions (tokens are stored hashed).
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions { db: self }
    }

    /// Feed tokens (stored hashed), looked up unscoped as sessions are.
    pub fn feed_tokens(&self) -> FeedTokens<'_> {
        FeedTokens { db: self }
    }

    /// What an office's change feed reads.
    pub fn feed<'a>(&'a self, office: &'a OfficeScope) -> Feed<'a> {
        Feed { db: self, office }
    }

    /// Licences and the notices of the トップページ.
    pub fn licences(&self) -> Licences<'_> {
        Licences { db: self }
    }

    pub fn audit(&self) -> AuditLog<'_> {
        AuditLog { db: self }
    }

    /// One office's messages and files: its 受信一覧 and 送信一覧.
    pub fn mailbox<'a>(&'a self, office: &'a OfficeScope) -> Mailbox<'a> {
        Mailbox { db: self, office }
    }

    /// One office's 送受信履歴.
    pub fn history<'a>(&'a self, office: &'a OfficeScope) -> History<'a> {
        History { db: self, office }
    }

    /// One office's 下書き.
    pub fn drafts<'a>(&'a self, office: &'a OfficeScope) -> Drafts<'a> {
        Drafts { db: self, office }
    }

    /// Sessions of the office portal.
    pub fn portal_sessions(&self) -> PortalSessions<'_> {
        PortalSessions { db: self }
    }

    /// The operator's portal settings and the 利用規約.
    pub fn portal_settings(&self) -> PortalSettings<'_> {
        PortalSettings { db: self }
    }

    /// 証明書発行用パスワード (credentials: looked up by `access`).
    pub fn issuance_passwords(&self) -> IssuancePasswords<'_> {
        IssuancePasswords { db: self }
    }

    /// The public 利用事業所検索.
    pub fn directory(&self) -> Directory<'_> {
        Directory { db: self }
    }

    /// One office's 個人ユーザID.
    pub fn staff<'a>(&'a self, office: &'a OfficeScope) -> Staff<'a> {
        Staff { db: self, office }
    }

    /// One office's 利用申請 and licence history.
    pub fn applications<'a>(&'a self, office: &'a OfficeScope) -> Applications<'a> {
        Applications { db: self, office }
    }

    /// One office's certificates and .p12 downloads.
    pub fn office_certificates<'a>(&'a self, office: &'a OfficeScope) -> OfficeCertificates<'a> {
        OfficeCertificates { db: self, office }
    }

    /// How one office appears in the directory.
    pub fn listing<'a>(&'a self, office: &'a OfficeScope) -> Listing<'a> {
        Listing { db: self, office }
    }

    /// One login ID's セキュリティメール and codes.
    pub fn security_mail<'a>(&'a self, login: &'a LoginIdScope) -> SecurityMail<'a> {
        SecurityMail { db: self, login }
    }

    /// Every blob key whose content is still needed: files not yet taken nor expired, and drafts.
    /// For the orphan sweep at start (which also removes a content whose deletion after 済 or
    /// expiry was cut short) and for checks of the blob store against the database.
    pub async fn referenced_blob_keys(
        &self,
    ) -> Result<std::collections::HashSet<String>, RelayError> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT blob_key FROM message_files WHERE fetched_at IS NULL AND content_purged_at IS NULL \
             UNION ALL SELECT blob_key FROM draft_files",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| r.try_get::<String, _>("blob_key"))
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }
}

async fn migrate(backend: Backend, writer: &AnyPool) -> Result<(), RelayError> {
    let migrator = match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        #[cfg(feature = "postgres")]
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        #[cfg(not(feature = "postgres"))]
        Backend::Postgres => unreachable!("refused by Backend::of_url"),
    };
    migrator
        .run(writer)
        .await
        .map_err(|e| RelayError::Internal(format!("migration: {e}")))
}
