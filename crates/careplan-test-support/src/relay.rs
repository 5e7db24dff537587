//! One test relay: the relay as a library, seeded with the demo register, serving real mutual TLS on
//! a free port of 127.0.0.1, and clients for its offices. Every suite that needs a relay starts it
//! here (the relay's own tests, the client's, the command line's, the desktop app's command tests and
//! its WebDriver tests), so that there is one way to make one.
//!
//! ```ignore
//! let relay = TestRelay::builder().demo_messages().start().await;
//! let home_help = relay.logged_in(HOME_HELP).await;     // careplan-client, logged in
//! let (http, token) = relay.https_login(CARE_MANAGER).await; // raw HTTPS for API tests
//! ```
//!
//! Storage: SQLite and blobs in the relay's temporary folder; with `DATABASE_URL` naming a
//! PostgreSQL server, a fresh database on it for each relay; with `BLOB_STORE_URL` naming an S3
//! bucket, a fresh prefix in it. `scripts/with-postgres.sh` and `scripts/with-s3.sh` set them.

use std::path::PathBuf;

use careplan_client::{ClientIdentity, LoginCredentials, RelayAddress, RelayClient};
use careplan_relay::demo::{DemoInfo, DemoOffice, DemoOfficeSeed, LocalDemo, DEMO_PASSWORD};
use careplan_relay::{Limits, Relay, RelayConfig, RunningRelay};

use crate::https::Endpoint;
use crate::temp_dir;

/// How to start a [`TestRelay`].
pub struct TestRelayBuilder {
    offices: Vec<DemoOfficeSeed>,
    messages: bool,
    limits: Limits,
    dir: Option<PathBuf>,
    shared_storage: bool,
}

impl Default for TestRelayBuilder {
    fn default() -> Self {
        TestRelayBuilder {
            offices: careplan_relay::demo::OFFICES.to_vec(),
            messages: false,
            limits: Limits::default(),
            dir: None,
            shared_storage: true,
        }
    }
}

impl TestRelayBuilder {
    /// Registers only these demo offices (default: all of the demo register).
    pub fn offices(mut self, offices: &[DemoOfficeSeed]) -> Self {
        self.offices = offices.to_vec();
        self
    }

    /// Adds the demo's received items (a plan and a use sheet for 訪問介護, an 実績 for the 居宅), as
    /// `careplan-relay seed-demo` and practice mode have them.
    pub fn demo_messages(mut self) -> Self {
        self.messages = true;
        self
    }

    /// Changes the relay's limits (sizes, counts, lockout, rate limit).
    pub fn limits(mut self, change: impl FnOnce(&mut Limits)) -> Self {
        change(&mut self.limits);
        self
    }

    /// Keeps the relay's data in `dir` instead of a new temporary folder.
    pub fn in_dir(mut self, dir: PathBuf) -> Self {
        self.dir = Some(dir);
        self
    }

    /// SQLite and local blobs in the data folder even when `DATABASE_URL` / `BLOB_STORE_URL` are
    /// set: for a test that hands the folder to a `careplan-relay` process of its own.
    pub fn local_storage(mut self) -> Self {
        self.shared_storage = false;
        self
    }

    pub async fn start(self) -> TestRelay {
        let dir = self.dir.clone().unwrap_or_else(|| temp_dir("relay"));
        let mut config = RelayConfig::new(&dir);
        config.limits = self.limits;
        if self.shared_storage {
            config.database_url = fresh_postgres_database().await;
            config.blob_store_url = fresh_s3_prefix();
        }
        let demo = LocalDemo::start(
            config,
            &["localhost", "127.0.0.1"],
            &self.offices,
            self.messages,
        )
        .await
        .expect("the test relay starts");
        let port = demo.running.addr.port();
        TestRelay {
            dir,
            port,
            relay: demo.relay,
            info: demo.info,
            running: Some(demo.running),
        }
    }

    /// Starts the relay on a runtime of its own, for tests whose code under test runs its own
    /// runtime (the desktop app's commands on Tauri's).
    pub fn start_on_own_runtime(self) -> OwnRuntime {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let relay = runtime.block_on(self.start());
        OwnRuntime {
            relay: Some(relay),
            runtime,
        }
    }
}

/// A relay started for one test, serving until it is dropped or stopped.
pub struct TestRelay {
    /// The relay itself, for what the operator does (issue a certificate, grant a licence, …).
    pub relay: Relay,
    /// The seeded offices, their IDs, passwords and certificate files.
    pub info: DemoInfo,
    /// The data folder.
    pub dir: PathBuf,
    port: u16,
    running: Option<RunningRelay>,
}

impl TestRelay {
    pub fn builder() -> TestRelayBuilder {
        TestRelayBuilder::default()
    }

    /// The demo register, no messages, the default limits.
    pub async fn start() -> TestRelay {
        TestRelay::builder().start().await
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `https://127.0.0.1:<port>`, as a client is configured with it.
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// The CA certificate clients must trust.
    pub fn ca_pem(&self) -> Vec<u8> {
        std::fs::read(&self.info.ca_certificate).unwrap()
    }

    pub fn address(&self) -> RelayAddress {
        self.address_at(self.url())
    }

    /// The relay's CA with another URL (a proxy in front of the relay).
    pub fn address_at(&self, url: String) -> RelayAddress {
        RelayAddress {
            url,
            ca_pem: self.ca_pem(),
        }
    }

    /// A seeded office: its IDs, passwords and certificate files.
    pub fn office(&self, seed: DemoOfficeSeed) -> &DemoOffice {
        self.info
            .offices
            .iter()
            .find(|o| o.number == seed.number)
            .unwrap_or_else(|| panic!("{} is not in this relay's register", seed.number))
    }

    /// The office's identity: the 居宅's from its .p12, the others' from PEM, so that both forms
    /// are used on every run.
    pub fn identity(&self, seed: DemoOfficeSeed) -> ClientIdentity {
        let office = self.office(seed);
        if seed == careplan_relay::demo::CARE_MANAGER {
            ClientIdentity::load(&office.pkcs12, Some(&office.pkcs12_password)).unwrap()
        } else {
            ClientIdentity::load(&office.certificate, None).unwrap()
        }
    }

    /// The client library for an office, not logged in.
    pub fn client(&self, seed: DemoOfficeSeed) -> RelayClient {
        self.client_at(seed, self.url())
    }

    /// The client library for an office, connecting to `url` (a proxy in front of the relay).
    pub fn client_at(&self, seed: DemoOfficeSeed, url: String) -> RelayClient {
        RelayClient::new(&self.address_at(url), self.identity(seed)).unwrap()
    }

    /// The office's IDs and passwords, from the terminal テスト端末.
    pub fn credentials(&self, seed: DemoOfficeSeed) -> LoginCredentials {
        self.credentials_on(seed, "テスト端末")
    }

    pub fn credentials_on(&self, seed: DemoOfficeSeed, terminal: &str) -> LoginCredentials {
        let office = self.office(seed);
        LoginCredentials {
            personal_id: office.personal_user_id.clone(),
            personal_password: office.personal_password.clone(),
            office_user_id: office.office_user_id.clone(),
            office_password: office.office_password.clone(),
            terminal_name: terminal.into(),
        }
    }

    /// The client library for an office, logged in through both stages.
    pub async fn logged_in(&self, seed: DemoOfficeSeed) -> RelayClient {
        self.logged_in_on(seed, "テスト端末").await
    }

    pub async fn logged_in_on(&self, seed: DemoOfficeSeed, terminal: &str) -> RelayClient {
        let client = self.client(seed);
        client
            .login(&self.credentials_on(seed, terminal))
            .await
            .expect("the demo office logs in");
        client
    }

    /// Raw HTTPS for API tests.
    pub fn endpoint(&self) -> Endpoint {
        Endpoint {
            port: self.port,
            info: self.info.clone(),
        }
    }

    /// An API path's full URL.
    pub fn api_url(&self, path: &str) -> String {
        self.endpoint().url(path)
    }

    /// A raw HTTPS client with the office's certificate.
    pub fn https(&self, seed: DemoOfficeSeed) -> reqwest::Client {
        self.endpoint().client(seed)
    }

    /// A raw HTTPS client logged in through both stages, and its bearer token.
    pub async fn https_login(&self, seed: DemoOfficeSeed) -> (reqwest::Client, String) {
        self.endpoint().login(seed).await
    }

    /// The audit log's lines for `action`, oldest first.
    pub async fn audit_lines(&self, action: &str) -> Vec<careplan_relay::store::AuditLine> {
        let lines = self.relay.state.store.audit().lines().await.unwrap();
        lines
            .into_iter()
            .filter(|line| line.action == action)
            .collect()
    }

    /// Stops serving (the data stays): a relay that cannot be reached.
    pub async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop();
        }
        // The listener's task ends at its next poll.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    /// Stops serving and closes the database, leaving the data folder to another process; answers
    /// the folder.
    pub async fn shut_down(mut self) -> PathBuf {
        self.stop().await;
        self.relay.state.store.close().await;
        self.dir.clone()
    }
}

/// The password of every demo ID.
pub const PASSWORD: &str = DEMO_PASSWORD;

/// A [`TestRelay`] on a runtime of its own (see [`TestRelayBuilder::start_on_own_runtime`]).
pub struct OwnRuntime {
    relay: Option<TestRelay>,
    pub runtime: tokio::runtime::Runtime,
}

impl OwnRuntime {
    /// Stops serving: a relay that cannot be reached.
    pub fn stop(&mut self) {
        if let Some(relay) = self.relay.as_mut() {
            self.runtime.block_on(relay.stop());
        }
    }
}

impl std::ops::Deref for OwnRuntime {
    type Target = TestRelay;
    fn deref(&self) -> &TestRelay {
        self.relay
            .as_ref()
            .expect("the relay is there until dropped")
    }
}

impl Drop for OwnRuntime {
    fn drop(&mut self) {
        // The relay's tasks belong to this runtime: drop them inside it.
        let _guard = self.runtime.enter();
        self.relay.take();
    }
}

/// With `DATABASE_URL` naming a PostgreSQL server, a database of its own on that server.
async fn fresh_postgres_database() -> Option<String> {
    let admin_url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))?;
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&admin_url)
        .await
        .expect("DATABASE_URL is reachable");
    let name = format!("careplan_test_{}", hex::encode(rand::random::<[u8; 6]>()));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let (server, _) = admin_url
        .rsplit_once('/')
        .expect("the URL names a database");
    Some(format!("{server}/{name}"))
}

/// With `BLOB_STORE_URL` naming an S3 bucket, a fresh prefix in it, so that tests do not see each
/// other's blobs.
fn fresh_s3_prefix() -> Option<String> {
    let bucket = std::env::var("BLOB_STORE_URL")
        .ok()
        .filter(|u| u.starts_with("s3://"))?;
    Some(format!(
        "{}/test-{}",
        bucket.trim_end_matches('/'),
        hex::encode(rand::random::<[u8; 6]>())
    ))
}
