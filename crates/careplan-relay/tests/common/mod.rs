//! A relay started for one test: its own data directory, three offices with IDs, certificates and
//! licences, serving mutual TLS on 127.0.0.1; and HTTPS clients holding each office's certificate.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use careplan_api::{
    ApiError, OfficeLoginRequest, OfficeLoginResponse, PersonalLoginRequest, PersonalLoginResponse,
};
use careplan_relay::pki::CertSubject;
use careplan_relay::store::{OfficeRow, UserTable};
use careplan_relay::{Relay, RelayConfig, RunningRelay};
use reqwest::{Client, Response, StatusCode};

pub const PASSWORD: &str = "kaigo-Pass-2025";

/// The offices of the fixtures: a 居宅介護支援事業所 and two service offices.
pub struct TestOffice {
    pub number: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub personal_id: &'static str,
    pub office_id: &'static str,
}

pub const CARE_MANAGER: TestOffice = TestOffice {
    number: "1370000018",
    name: "ひだまり居宅介護支援事業所",
    kind: "43",
    personal_id: "c0001",
    office_id: "KJ137000001801",
};
pub const HOME_HELP: TestOffice = TestOffice {
    number: "1370000026",
    name: "ひまわりヘルパーステーション",
    kind: "11",
    personal_id: "c0002",
    office_id: "KJ137000002601",
};
pub const DAY_SERVICE: TestOffice = TestOffice {
    number: "1370000034",
    name: "あおぞらデイサービス",
    kind: "15",
    personal_id: "c0003",
    office_id: "KJ137000003401",
};

pub struct TestRelay {
    pub dir: PathBuf,
    pub relay: Relay,
    pub running: RunningRelay,
}

/// A certificate on disk: `cert.pem` + `key.pem`.
pub struct CertFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Temporary folders that the next test run removes.
pub use careplan_test_support::temp_dir;

impl TestRelay {
    pub async fn start() -> TestRelay {
        Self::start_with(RelayConfig::new(temp_dir("data"))).await
    }

    pub async fn start_with(mut config: RelayConfig) -> TestRelay {
        let dir = config.data_dir.clone();
        if config.database_url.is_none() {
            config.database_url = fresh_postgres_database().await;
        }
        if config.blob_store_url.is_none() {
            config.blob_store_url = fresh_s3_prefix();
        }
        let relay = Relay::init(config, &["localhost".to_owned(), "127.0.0.1".to_owned()])
            .await
            .unwrap();
        for office in [&CARE_MANAGER, &HOME_HELP, &DAY_SERVICE] {
            relay
                .add_office(&OfficeRow {
                    number: office.number.into(),
                    name: office.name.into(),
                    service_kinds: vec![office.kind.into()],
                    prefecture: "東京都".into(),
                    city: "新宿区".into(),
                })
                .await
                .unwrap();
            relay
                .add_user(
                    UserTable::Personal,
                    office.personal_id,
                    office.number,
                    PASSWORD,
                )
                .await
                .unwrap();
            relay
                .add_user(UserTable::Office, office.office_id, office.number, PASSWORD)
                .await
                .unwrap();
            relay
                .grant_licence(
                    office.number,
                    time::OffsetDateTime::now_utc().date(),
                    true,
                    false,
                )
                .await
                .unwrap();
            relay
                .issue_certificate(
                    office.number,
                    CertSubject::KaigoJigyousho,
                    365,
                    &dir.join("certs").join(office.number),
                    PASSWORD,
                )
                .await
                .unwrap();
        }
        relay
            .publish_notice(
                "システムメンテナンスのお知らせ",
                "12月1日 2:00～4:00 は利用できません。",
            )
            .await
            .unwrap();
        let running = relay.serve("127.0.0.1:0").await.unwrap();
        TestRelay {
            dir,
            relay,
            running,
        }
    }

    /// The relay's address and data directory, for clients.
    pub fn endpoint(&self) -> Endpoint {
        Endpoint {
            dir: self.dir.clone(),
            port: self.running.addr.port(),
        }
    }

    /// The certificate issued to an office at start.
    pub fn cert_of(&self, office: &TestOffice) -> CertFiles {
        self.endpoint().cert_of(office)
    }

    pub fn url(&self, path: &str) -> String {
        self.endpoint().url(path)
    }

    /// An HTTPS client trusting the relay's CA, presenting `cert` (or none).
    pub fn client_with(&self, cert: Option<&CertFiles>) -> Client {
        self.endpoint().client_with(cert)
    }

    pub fn client(&self, office: &TestOffice) -> Client {
        self.endpoint().client(office)
    }

    /// Logs an office in through both stages; returns its client and bearer token.
    pub async fn login(&self, office: &TestOffice) -> (Client, String) {
        let client = self.client(office);
        let token = login_with(
            &self.endpoint(),
            &client,
            office.personal_id,
            office.office_id,
            PASSWORD,
        )
        .await
        .expect("login succeeds");
        (client, token)
    }
}

/// With `CAREPLAN_TEST_POSTGRES=postgres://user@host:port/postgres` set, every test relay gets a
/// database of its own on that server; without it, SQLite in the test's data directory.
/// When `CAREPLAN_TEST_BLOB_STORE` names an S3 bucket (scripts/with-s3.sh), a fresh prefix in it,
/// so that tests do not see each other's blobs; otherwise the default, the local disk.
pub fn fresh_s3_prefix() -> Option<String> {
    let bucket = std::env::var("CAREPLAN_TEST_BLOB_STORE")
        .ok()
        .filter(|u| !u.is_empty())?;
    Some(format!(
        "{}/test-{}",
        bucket.trim_end_matches('/'),
        hex::encode(rand::random::<[u8; 6]>())
    ))
}

pub async fn fresh_postgres_database() -> Option<String> {
    let admin_url = std::env::var("CAREPLAN_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())?;
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&admin_url)
        .await
        .expect("CAREPLAN_TEST_POSTGRES is reachable");
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

/// A relay known by its data directory (CA and office certificates) and port: an in-process
/// [`TestRelay`], or a `careplan-relay` process started by a test or a benchmark.
pub struct Endpoint {
    pub dir: PathBuf,
    pub port: u16,
}

/// Anything that can say where an API path is.
pub trait RelayUrl {
    fn url(&self, path: &str) -> String;
}

impl RelayUrl for TestRelay {
    fn url(&self, path: &str) -> String {
        TestRelay::url(self, path)
    }
}

impl RelayUrl for Endpoint {
    fn url(&self, path: &str) -> String {
        Endpoint::url(self, path)
    }
}

impl Endpoint {
    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.port)
    }

    /// The certificate issued to an office (the first, in name order).
    pub fn cert_of(&self, office: &TestOffice) -> CertFiles {
        let folder = self.dir.join("certs").join(office.number);
        let mut pems: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        pems.sort();
        let cert = pems
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "pem"))
            .unwrap()
            .clone();
        CertFiles {
            key: cert.with_extension("key"),
            cert,
        }
    }

    /// An HTTPS client trusting the relay's CA, presenting `cert` (or none).
    pub fn client_with(&self, cert: Option<&CertFiles>) -> Client {
        let ca =
            reqwest::Certificate::from_pem(&std::fs::read(self.dir.join("pki/ca.pem")).unwrap())
                .unwrap();
        let mut builder = Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(ca)
            .resolve(
                "localhost",
                std::net::SocketAddr::from(([127, 0, 0, 1], self.port)),
            )
            .timeout(std::time::Duration::from_secs(30));
        if let Some(cert) = cert {
            let mut pem = std::fs::read(&cert.cert).unwrap();
            pem.extend(std::fs::read(&cert.key).unwrap());
            builder = builder.identity(reqwest::Identity::from_pem(&pem).unwrap());
        }
        builder.build().unwrap()
    }

    pub fn client(&self, office: &TestOffice) -> Client {
        self.client_with(Some(&self.cert_of(office)))
    }

    /// Logs an office in through both stages; returns its client and bearer token.
    pub async fn login(&self, office: &TestOffice) -> (Client, String) {
        let client = self.client(office);
        let token = login_with(
            self,
            &client,
            office.personal_id,
            office.office_id,
            PASSWORD,
        )
        .await
        .expect("login succeeds");
        (client, token)
    }
}

/// Both stages from the terminal "受付PC"; on refusal, the error body of the stage that refused.
pub async fn login_with(
    relay: &impl RelayUrl,
    client: &Client,
    personal: &str,
    office: &str,
    password: &str,
) -> Result<String, (StatusCode, ApiError)> {
    login_on_terminal(relay, client, personal, office, password, "受付PC").await
}

pub async fn login_on_terminal(
    relay: &impl RelayUrl,
    client: &Client,
    personal: &str,
    office: &str,
    password: &str,
    terminal: &str,
) -> Result<String, (StatusCode, ApiError)> {
    let stage = personal_stage(relay, client, personal, password).await?;
    let session: OfficeLoginResponse = ok_json(
        client
            .post(relay.url("/v1/login/office"))
            .json(&OfficeLoginRequest {
                stage_token: stage.stage_token,
                office_user_id: office.into(),
                password: password.into(),
                terminal_name: terminal.into(),
            })
            .send()
            .await
            .unwrap(),
    )
    .await?;
    Ok(session.session_token)
}

/// Stage 1 alone: the personal user ID and its password.
pub async fn personal_stage(
    relay: &impl RelayUrl,
    client: &Client,
    personal: &str,
    password: &str,
) -> Result<PersonalLoginResponse, (StatusCode, ApiError)> {
    let request = PersonalLoginRequest {
        user_id: personal.into(),
        password: password.into(),
    };
    ok_json(
        client
            .post(relay.url("/v1/login/personal"))
            .json(&request)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// The JSON body of a success, or the status and error body of a refusal.
pub async fn ok_json<T: serde::de::DeserializeOwned>(
    response: Response,
) -> Result<T, (StatusCode, ApiError)> {
    let status = response.status();
    if status.is_success() {
        Ok(response
            .json()
            .await
            .expect("success body is the expected JSON"))
    } else {
        Err((
            status,
            response
                .json()
                .await
                .expect("error body is {code, message}"),
        ))
    }
}

/// The files of a fixture folder, as (name, bytes).
pub fn fixture_files(case: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(case);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A send's multipart body.
pub fn send_form(to: &str, message: &str, files: &[(String, Vec<u8>)]) -> reqwest::multipart::Form {
    let manifest = serde_json::json!({ "to": to, "message": message }).to_string();
    let mut form = reqwest::multipart::Form::new().text("manifest", manifest);
    for (name, bytes) in files {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.clone()),
        );
    }
    form
}
