//! The relay platform (ケアプランデータ連携基盤): offices exchange standard files through it over
//! mutual TLS, after a two-stage login. Embeddable: tests and practice mode start it as a library.
//!
//! A data directory holds everything: `relay.db` (SQLite, unless `DATABASE_URL` points elsewhere),
//! `blobs/` (unless `BLOB_STORE_URL` does), and `pki/` (the CA and the server certificate).

pub mod access;
pub mod admin;
pub mod api;
pub mod auth;
pub mod blobs;
pub mod clock;
pub mod connection;
pub mod delivery;
pub mod demo;
pub mod error;
pub mod feed;
pub mod licensing;
pub mod office_import;
pub mod pki;
pub mod portal_admin;
pub mod rate;
pub mod receipts;
pub mod register;
pub mod request_log;
pub mod retention;
pub mod store;
pub mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::blobs::BlobStore;
use crate::error::RelayError;
use crate::pki::Pki;
use crate::store::Store;

/// The operating limits (seed 001, 000, 003), configurable, with the official system's defaults.
#[derive(Debug, Clone)]
pub struct Limits {
    /// One send: total bytes of its files (10 MB).
    pub max_send_bytes: usize,
    /// One send: number of files (30).
    pub max_send_files: usize,
    /// One bulk send: destination offices (50).
    pub max_bulk_destinations: usize,
    /// One bulk send: files (100).
    pub max_bulk_files: usize,
    /// One bulk send: total bytes, a guard against absurd requests (each destination keeps the
    /// one-send limit).
    pub max_bulk_bytes: usize,
    /// メッセージ length in characters.
    pub max_message_chars: usize,
    /// Wrong passwords in a row before an ID is locked.
    pub max_login_failures: i64,
    pub lockout_minutes: i64,
    pub session_minutes: i64,
    /// Requests a minute per office on average (0: no limit), and how many may come at once.
    pub requests_per_minute_per_office: u32,
    pub request_burst_per_office: u32,
    /// Sessions an office may have open at once (every terminal logged in counts one).
    pub max_sessions_per_office: i64,
    /// 下書き an office may keep.
    pub max_drafts_per_office: i64,
    /// Bytes of uploaded files all requests together may hold in memory while they are read; a
    /// request that would go past it is answered 503 with `Retry-After`.
    pub max_upload_bytes_in_flight: usize,
    /// What a connection may do after the TLS handshake.
    pub connections: ConnectionLimits,
    /// How long the relay keeps contents and records.
    pub retention: Retention,
    /// 受信通知: how often an open feed sends a comment line (under `connections.write_stall` and
    /// proxies' idle timeouts) and how often it checks that its token still works and whether its
    /// office received a message through another relay process.
    pub feed_keepalive: Duration,
    pub feed_recheck: Duration,
}

/// How long the relay keeps what it holds (docs/relay.md, Retention): a file's content until its
/// receiver takes it or `unfetched_days` pass, the records of a message (its files' names and
/// digests, units, 受領証) for `record_years` from the send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Days a content waits for its receiver (60: two monthly cycles of 予定 and 実績).
    pub unfetched_days: i64,
    /// Days before that end from which the sender is told (7).
    pub warn_days: i64,
    /// Years the records are kept from the send (5: 運営基準 asks 2 years from 完結, municipalities
    /// commonly 5, and a 介護報酬 can be reclaimed for 5 years).
    pub record_years: i64,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            unfetched_days: 60,
            warn_days: 7,
            record_years: 5,
        }
    }
}

impl Retention {
    const DAY_MS: i64 = 86_400_000;

    /// When an unfetched content sent at `sent_at` is deleted.
    pub fn content_expires_at(&self, sent_at: i64) -> i64 {
        sent_at + self.unfetched_days * Self::DAY_MS
    }

    /// Contents sent before this are due at `now`.
    pub fn content_cutoff(&self, now: i64) -> i64 {
        now - self.unfetched_days * Self::DAY_MS
    }

    /// Contents sent before this (and not yet due) are to be warned of at `now`.
    pub fn warning_cutoff(&self, now: i64) -> i64 {
        now - (self.unfetched_days - self.warn_days) * Self::DAY_MS
    }

    /// Messages sent before this are due at `now`: the same day and month `record_years` earlier
    /// (29 February becomes the 28th).
    pub fn record_cutoff(&self, now: i64) -> i64 {
        let at = clock::to_datetime(now);
        let year = at.year() - self.record_years as i32;
        let date = at
            .date()
            .replace_year(year)
            .or_else(|_| at.date().replace_day(28).and_then(|d| d.replace_year(year)))
            .unwrap_or(at.date());
        at.replace_date(date).unix_timestamp() * 1000
    }

    /// Refuses a policy that would delete records before their contents could expire.
    pub fn check(&self) -> Result<(), RelayError> {
        if self.unfetched_days < 1 || self.warn_days < 0 || self.warn_days >= self.unfetched_days {
            return Err(RelayError::Config(format!(
                "未取得データの保存日数（{}日）は1日以上、事前の通知（{}日前）はそれより短くしてください。",
                self.unfetched_days, self.warn_days
            )));
        }
        if self.record_years < 1 || self.record_years * 365 <= self.unfetched_days {
            return Err(RelayError::Config(format!(
                "送受信の記録の保存年数（{}年）は1年以上で、未取得データの保存日数より長くしてください。",
                self.record_years
            )));
        }
        Ok(())
    }
}

/// Timeouts and caps of a connection after its TLS handshake (see docs/relay.md, Security).
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// A request's head must arrive complete within this long of the connection's start or of the
    /// previous answer: it bounds a header trickle and an idle keep-alive alike.
    pub header_read: Duration,
    /// A request body must bring at least `body_min_bytes` in every window of this length until it
    /// is complete.
    pub body_window: Duration,
    pub body_min_bytes: u64,
    /// A client that takes nothing of an answer for this long is disconnected.
    pub write_stall: Duration,
    /// After a refusal that left a body unread, how long the relay goes on reading (and dropping)
    /// it, so that the client reads the answer instead of a reset connection.
    pub linger: Duration,
    /// Connections one certificate may have open at once (0: no cap).
    pub per_certificate: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read: Duration::from_secs(30),
            body_window: Duration::from_secs(10),
            body_min_bytes: 16 * 1024,
            write_stall: Duration::from_secs(30),
            linger: Duration::from_secs(5),
            per_certificate: 64,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_send_bytes: 10_000_000,
            max_send_files: 30,
            max_bulk_destinations: 50,
            max_bulk_files: 100,
            max_bulk_bytes: 100_000_000,
            max_message_chars: 1000,
            max_login_failures: 5,
            lockout_minutes: 30,
            session_minutes: 8 * 60,
            // Generous for people and for a fetch of 100 files (list, download, ack each); it
            // stops a script stuck in a loop.
            requests_per_minute_per_office: 1200,
            request_burst_per_office: 300,
            max_sessions_per_office: 200,
            max_drafts_per_office: 500,
            // Twelve sends of 10 MB at once, or one bulk send of 100 MB and a few sends: the rest of
            // the relay stays well under its 200 MB target.
            max_upload_bytes_in_flight: 128_000_000,
            connections: ConnectionLimits::default(),
            retention: Retention::default(),
            feed_keepalive: Duration::from_secs(20),
            feed_recheck: Duration::from_secs(60),
        }
    }
}

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub blobs: BlobStore,
    pub limits: Arc<Limits>,
    pub rate: Arc<rate::OfficeRateLimit>,
    /// The bytes of uploads all requests hold at once.
    pub uploads: Arc<api::intake::UploadBudget>,
    /// Signs the 受領証 of each file its receiver takes.
    pub receipts: Arc<careplan_receipts::ReceiptSigner>,
    /// The offices' open change feeds in this process.
    pub feeds: Arc<feed::FeedHub>,
}

/// Where the relay keeps its data.
#[derive(Debug, Clone)]
pub struct RelayConfig {
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: `relay.db` in the data directory.
    pub database_url: Option<String>,
    /// `file://…` or `memory://`; default: `blobs/` in the data directory.
    pub blob_store_url: Option<String>,
    pub limits: Limits,
}

impl RelayConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> RelayConfig {
        RelayConfig {
            data_dir: data_dir.into(),
            database_url: None,
            blob_store_url: None,
            limits: Limits::default(),
        }
    }

    /// Reads `DATABASE_URL`, `BLOB_STORE_URL`, `CAREPLAN_RATE_PER_MINUTE` (requests a minute per
    /// office, 0 for none), `CAREPLAN_CONNECTIONS_PER_CERTIFICATE` (0 for no cap),
    /// `CAREPLAN_KEEP_UNFETCHED_DAYS`, `CAREPLAN_WARN_DAYS` and `CAREPLAN_KEEP_RECORDS_YEARS` (the
    /// retention) and `CAREPLAN_FEED_RECHECK_SECONDS` from the environment when set.
    pub fn with_environment(mut self) -> RelayConfig {
        let number = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<i64>().ok())
        };
        if let Some(days) = number("CAREPLAN_KEEP_UNFETCHED_DAYS") {
            self.limits.retention.unfetched_days = days;
        }
        if let Some(days) = number("CAREPLAN_WARN_DAYS") {
            self.limits.retention.warn_days = days;
        }
        if let Some(years) = number("CAREPLAN_KEEP_RECORDS_YEARS") {
            self.limits.retention.record_years = years;
        }
        if let Some(seconds) = number("CAREPLAN_FEED_RECHECK_SECONDS").filter(|s| *s > 0) {
            self.limits.feed_recheck = Duration::from_secs(seconds as u64);
        }
        if let Some(cap) = std::env::var("CAREPLAN_CONNECTIONS_PER_CERTIFICATE")
            .ok()
            .and_then(|v| v.trim().parse().ok())
        {
            self.limits.connections.per_certificate = cap;
        }
        if let Some(rate) = std::env::var("CAREPLAN_RATE_PER_MINUTE")
            .ok()
            .and_then(|v| v.trim().parse().ok())
        {
            self.limits.requests_per_minute_per_office = rate;
        }
        self.database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|v| !v.is_empty())
            .or(self.database_url);
        self.blob_store_url = std::env::var("BLOB_STORE_URL")
            .ok()
            .filter(|v| !v.is_empty())
            .or(self.blob_store_url);
        self
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("relay.db").display()
            )
        })
    }

    pub fn blob_store_url(&self) -> String {
        self.blob_store_url
            .clone()
            .unwrap_or_else(|| format!("file://{}", self.data_dir.join("blobs").display()))
    }

    pub fn pki_dir(&self) -> PathBuf {
        self.data_dir.join("pki")
    }
}

/// A relay opened on its data: ready to serve, or to be administered.
pub struct Relay {
    pub config: RelayConfig,
    pub state: AppState,
    pub pki: Pki,
}

/// A relay listening on an address; stops when dropped or on [`RunningRelay::stop`].
pub struct RunningRelay {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl RunningRelay {
    pub fn url(&self) -> String {
        format!("https://localhost:{}", self.addr.port())
    }

    pub fn stop(self) {
        self.task.abort();
    }
}

impl Drop for RunningRelay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Relay {
    /// Creates a data directory: the database, the blob folder, the CA and a server certificate for
    /// `hosts` (e.g. `localhost`, `127.0.0.1`).
    pub async fn init(config: RelayConfig, hosts: &[String]) -> Result<Relay, RelayError> {
        std::fs::create_dir_all(&config.data_dir)?;
        Pki::create(&config.pki_dir(), hosts)?;
        Relay::open(config).await
    }

    /// Opens an existing data directory and sweeps blobs that no message refers to (left by a crash
    /// between writing a blob and committing its message).
    pub async fn open(config: RelayConfig) -> Result<Relay, RelayError> {
        let relay = Relay::open_beside_serve(config).await?;
        let swept = relay.sweep_orphans().await?;
        if swept > 0 {
            tracing::info!(swept, "removed blobs of messages that were never committed");
        }
        Ok(relay)
    }

    /// Opens a data directory that a running `serve` may be using (`careplan-relay purge` from a
    /// scheduler): nothing is swept, since a send's blob written but not yet committed would look
    /// like an orphan.
    pub async fn open_beside_serve(config: RelayConfig) -> Result<Relay, RelayError> {
        config.limits.retention.check()?;
        let pki = Pki::load(&config.pki_dir())?;
        let store = Store::connect(&config.database_url()).await?;
        let blobs = BlobStore::open(&config.blob_store_url())?;
        let state = AppState {
            store,
            blobs,
            limits: Arc::new(config.limits.clone()),
            rate: Arc::new(rate::OfficeRateLimit::new(
                config.limits.requests_per_minute_per_office,
                config.limits.request_burst_per_office,
            )),
            uploads: Arc::new(api::intake::UploadBudget::new(
                config.limits.max_upload_bytes_in_flight,
            )),
            receipts: Arc::new(receipts::load_or_create(&config.pki_dir())?),
            feeds: Arc::new(feed::FeedHub::default()),
        };
        let relay = Relay { config, state, pki };
        // Offices registered before the directory existed, or by a command that only wrote the
        // register, get their listing (listed, name searchable in any width).
        relay.state.store.directory().fill_missing().await?;
        let chained = relay.state.store.audit().chain_earlier_lines().await?;
        if chained > 0 {
            tracing::info!(chained, "audit lines written before the chain were chained");
        }
        Ok(relay)
    }

    /// Deletes blobs no message row refers to; returns how many.
    pub async fn sweep_orphans(&self) -> Result<usize, RelayError> {
        let referenced = self.state.store.referenced_blob_keys().await?;
        let mut swept = 0;
        for prefix in ["messages", "drafts"] {
            for key in self.state.blobs.list(prefix).await? {
                if !referenced.contains(&key) {
                    self.state.blobs.delete(&key).await?;
                    swept += 1;
                }
            }
        }
        Ok(swept)
    }

    pub fn ca_pem_path(&self) -> PathBuf {
        self.pki.ca_pem_path()
    }

    /// Listens on `addr` (port 0 picks a free one) and serves in the background.
    pub async fn serve(&self, addr: &str) -> Result<RunningRelay, RelayError> {
        let tls = tls::server_config(
            &self.pki.ca_pem_path(),
            &self.pki.server_pem_path(),
            &self.pki.server_key_path(),
        )?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| RelayError::Config(format!("{addr} で待ち受けできません: {e}")))?;
        let addr = listener.local_addr()?;
        let router = api::router(self.state.clone());
        let task = tokio::spawn(connection::serve(
            listener,
            tls,
            router,
            self.state.limits.connections.clone(),
        ));
        Ok(RunningRelay { addr, task })
    }
}

/// Makes glibc return large freed blocks to the system. By default glibc raises its mmap threshold
/// after the first large block is freed, so later large blocks (argon2's 19 MiB working memory, upload
/// bodies of up to 10 MB) come from the heap and stay resident: 20 logins left 170 MB behind. A fixed
/// threshold keeps them mmapped and returned on free (20 logins: 13 MB). Call once at start-up.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only changes allocator parameters; 128 KiB is glibc's own default value.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        }
    }
}
