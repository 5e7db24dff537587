//! Raw HTTPS against a relay's API, for the relay's own tests and benchmarks: a reqwest client with
//! an office's certificate, the two login stages, multipart sends, and error bodies as
//! `(status, ApiError)`. Works for a relay in this process ([`crate::TestRelay::endpoint`]) and for
//! a `careplan-relay` process serving a test relay's data folder ([`Endpoint::of_data_dir`]).

use std::path::{Path, PathBuf};

use careplan_api::{
    ApiError, OfficeLoginRequest, OfficeLoginResponse, PersonalLoginRequest, PersonalLoginResponse,
};
use careplan_relay::demo::{demo_json_path, DemoInfo, DemoOffice, DemoOfficeSeed, DEMO_PASSWORD};
use reqwest::{Client, Response, StatusCode};

/// A certificate on disk: a PEM certificate and its PEM key.
#[derive(Debug, Clone)]
pub struct CertFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Where a relay listens, the CA to trust, and the demo offices' certificates.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub port: u16,
    pub info: DemoInfo,
}

/// Anything that can say where an API path is: an [`Endpoint`] or a [`crate::TestRelay`].
pub trait ApiUrl {
    fn api_url(&self, path: &str) -> String;
}

impl ApiUrl for Endpoint {
    fn api_url(&self, path: &str) -> String {
        self.url(path)
    }
}

impl ApiUrl for crate::TestRelay {
    fn api_url(&self, path: &str) -> String {
        crate::TestRelay::api_url(self, path)
    }
}

impl Endpoint {
    /// A relay serving the data folder of a test relay (its `demo.json` names the certificates).
    pub fn of_data_dir(dir: &Path, port: u16) -> Endpoint {
        let json = std::fs::read(demo_json_path(dir))
            .unwrap_or_else(|e| panic!("{}: {e}", demo_json_path(dir).display()));
        Endpoint {
            port,
            info: serde_json::from_slice(&json).unwrap(),
        }
    }

    /// The full URL of an API path.
    pub fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.port)
    }

    pub fn office(&self, seed: DemoOfficeSeed) -> &DemoOffice {
        self.info
            .offices
            .iter()
            .find(|o| o.number == seed.number)
            .unwrap_or_else(|| panic!("{} is not in this relay's register", seed.number))
    }

    /// The certificate issued to an office when the relay was seeded.
    pub fn cert_of(&self, seed: DemoOfficeSeed) -> CertFiles {
        let office = self.office(seed);
        CertFiles {
            cert: office.certificate.clone(),
            key: office.private_key.clone(),
        }
    }

    /// An HTTPS client trusting the relay's CA, presenting `cert` (or none).
    pub fn client_with(&self, cert: Option<&CertFiles>) -> Client {
        let ca = reqwest::Certificate::from_pem(&std::fs::read(&self.info.ca_certificate).unwrap())
            .unwrap();
        let mut builder = Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(ca)
            .timeout(std::time::Duration::from_secs(30));
        if let Some(cert) = cert {
            let mut pem = std::fs::read(&cert.cert).unwrap();
            pem.extend(std::fs::read(&cert.key).unwrap());
            builder = builder.identity(reqwest::Identity::from_pem(&pem).unwrap());
        }
        builder.build().unwrap()
    }

    /// An HTTPS client with the office's certificate.
    pub fn client(&self, seed: DemoOfficeSeed) -> Client {
        self.client_with(Some(&self.cert_of(seed)))
    }

    /// Logs an office in through both stages; answers its client and bearer token.
    pub async fn login(&self, seed: DemoOfficeSeed) -> (Client, String) {
        let client = self.client(seed);
        let token = login_with(
            self,
            &client,
            seed.personal_user_id,
            seed.office_user_id,
            DEMO_PASSWORD,
        )
        .await
        .expect("login succeeds");
        (client, token)
    }
}

/// Both stages from the terminal "受付PC"; on refusal, the error body of the stage that refused.
pub async fn login_with(
    relay: &impl ApiUrl,
    client: &Client,
    personal: &str,
    office: &str,
    password: &str,
) -> Result<String, (StatusCode, ApiError)> {
    login_on_terminal(relay, client, personal, office, password, "受付PC").await
}

pub async fn login_on_terminal(
    relay: &impl ApiUrl,
    client: &Client,
    personal: &str,
    office: &str,
    password: &str,
    terminal: &str,
) -> Result<String, (StatusCode, ApiError)> {
    let stage = personal_stage(relay, client, personal, password).await?;
    let session: OfficeLoginResponse = ok_json(
        client
            .post(relay.api_url("/v1/login/office"))
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
    relay: &impl ApiUrl,
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
            .post(relay.api_url("/v1/login/personal"))
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

/// A send's multipart body.
pub fn send_form(to: &str, message: &str, files: &[(String, Vec<u8>)]) -> reqwest::multipart::Form {
    manifest_form(&serde_json::json!({ "to": to, "message": message }), files)
}

/// A multipart body with this manifest and `file` parts.
pub fn manifest_form(
    manifest: &serde_json::Value,
    files: &[(String, Vec<u8>)],
) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new().text("manifest", manifest.to_string());
    for (name, bytes) in files {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.clone()),
        );
    }
    form
}
