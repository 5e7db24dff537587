//! The connection to the relay: mutual TLS with the office's certificate, the session token, and
//! the one place where answers become values or [`ClientError`]s.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use serde::de::DeserializeOwned;

use careplan_api::ApiError;

use crate::error::ClientError;
use crate::identity::ClientIdentity;

/// Where the relay is and how to recognise it.
#[derive(Debug, Clone)]
pub struct RelayAddress {
    /// `https://host:port`, no trailing path.
    pub url: String,
    /// The CA certificate(s) the relay's server certificate chains to, PEM.
    pub ca_pem: Vec<u8>,
}

/// A client of one relay, for one office (its certificate). Cheap to share: clone it.
#[derive(Clone)]
pub struct RelayClient {
    pub(crate) http: reqwest::Client,
    base: Arc<str>,
    session: Arc<Mutex<Option<String>>>,
}

impl std::fmt::Debug for RelayClient {
    // The session token is a secret: only whether there is one.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayClient")
            .field("relay", &self.base)
            .field("logged_in", &self.is_logged_in())
            .finish()
    }
}

/// How long one request may take before the client gives up and (for sends) retries.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Idle connections are dropped before the relay's own 30 s idle timeout closes them, so that a
/// request never goes out on a connection the relay is closing.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(20);

impl RelayClient {
    pub fn new(
        address: &RelayAddress,
        identity: ClientIdentity,
    ) -> Result<RelayClient, ClientError> {
        let url = address.url.trim().trim_end_matches('/');
        if !url.starts_with("https://") {
            return Err(ClientError::local(
                "settings.relay_url",
                format!("接続先（URL）「{url}」は https:// で始めてください。"),
            ));
        }
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(&address.ca_pem) {
            let cert = cert.map_err(|_| bad_ca())?;
            roots.add(cert).map_err(|_| bad_ca())?;
        }
        if roots.is_empty() {
            return Err(bad_ca());
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| ClientError::local("settings.tls", e.to_string()))?
            .with_root_certificates(roots)
            .with_client_auth_cert(identity.chain, identity.key)
            .map_err(|_| {
                ClientError::local(
                    "certificate.invalid",
                    "電子証明書と秘密鍵の組み合わせが正しくありません。発行されたファイルをそのまま選んでください。",
                )
            })?;
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .user_agent(concat!("careplan-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::local("settings.tls", e.to_string()))?;
        Ok(RelayClient {
            http,
            base: url.into(),
            session: Arc::new(Mutex::new(None)),
        })
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request with the session token, when logged in.
    pub(crate) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let builder = self.http.request(method, self.url(path));
        match self.session_token() {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    pub(crate) fn session_token(&self) -> Option<String> {
        self.session.lock().expect("session lock").clone()
    }

    pub(crate) fn set_session(&self, token: Option<String>) {
        *self.session.lock().expect("session lock") = token;
    }

    pub fn is_logged_in(&self) -> bool {
        self.session_token().is_some()
    }
}

fn bad_ca() -> ClientError {
    ClientError::local(
        "settings.ca",
        "連携基盤の認証局の証明書（PEM）を読めません。配布された ca.pem を設定してください。",
    )
}

/// Sends a request; transport failures become connection or TLS errors.
pub(crate) async fn send(request: RequestBuilder) -> Result<Response, ClientError> {
    request
        .send()
        .await
        .map_err(|e| ClientError::from_transport(&e))
}

/// The header in which the relay names each request, for its log and a help desk.
pub(crate) const REQUEST_ID_HEADER: &str = "x-request-id";

/// A successful answer, or the relay's refusal with its Japanese message and the request's id.
pub(crate) async fn checked(response: Response) -> Result<Response, ClientError> {
    if response.status().is_success() {
        return Ok(response);
    }
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned);
    let body = response.bytes().await.unwrap_or_default();
    let mut error = serde_json::from_slice::<ApiError>(&body).unwrap_or_else(|_| ApiError {
        code: format!("http.{status}"),
        message: format!(
            "連携基盤から予期しない応答（{status}）がありました。しばらく待ってからもう一度お試しください。"
        ),
        diagnostics: Vec::new(),
        request_id: None,
    });
    // The header is the relay's word for it; a body's own field (if any) is kept without one.
    if request_id.is_some() {
        error.request_id = request_id;
    }
    Err(ClientError::Refused { status, error })
}

/// Sends, checks and decodes a JSON answer.
pub(crate) async fn json<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ClientError> {
    let response = checked(send(request).await?).await?;
    response
        .json::<T>()
        .await
        .map_err(|e| ClientError::from_transport(&e))
}

/// Runs `attempt` again when the relay could not be reached or the connection broke, up to three
/// times with growing pauses. Only for requests that are safe to repeat (sends carry an
/// idempotency key, so the relay stores them once).
pub(crate) async fn with_retries<T, F, Fut>(mut attempt: F) -> Result<T, ClientError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ClientError>>,
{
    let pauses = [Duration::from_millis(500), Duration::from_secs(2)];
    let mut tries = 0;
    loop {
        match attempt().await {
            Err(ClientError::Connection { .. }) if tries < pauses.len() => {
                tokio::time::sleep(pauses[tries]).await;
                tries += 1;
            }
            other => return other,
        }
    }
}

/// A fresh idempotency key: 128 random bits.
pub(crate) fn new_idempotency_key() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, request_id: Option<&str>, body: &'static str) -> Response {
        let mut builder = http::Response::builder().status(status);
        if let Some(id) = request_id {
            builder = builder.header(REQUEST_ID_HEADER, id);
        }
        Response::from(builder.body(body).unwrap())
    }

    async fn refusal(response: Response) -> (u16, ApiError) {
        match checked(response).await {
            Err(ClientError::Refused { status, error }) => (status, error),
            other => panic!("expected a refusal, got {:?}", other.map(|r| r.status())),
        }
    }

    #[tokio::test]
    async fn a_refusal_carries_the_relays_request_id() {
        let (status, error) = refusal(response(
            401,
            Some("7d0e2a4c-1b3f-4e5a-9c8d-0f1e2d3c4b5a"),
            r#"{"code":"auth.invalid_credentials","message":"IDまたはパスワードが違います。"}"#,
        ))
        .await;
        assert_eq!(status, 401);
        assert_eq!(error.code, "auth.invalid_credentials");
        assert_eq!(
            error.request_id.as_deref(),
            Some("7d0e2a4c-1b3f-4e5a-9c8d-0f1e2d3c4b5a")
        );
        let client_error = ClientError::Refused { status, error };
        assert_eq!(
            client_error.to_api_error().request_id.as_deref(),
            Some("7d0e2a4c-1b3f-4e5a-9c8d-0f1e2d3c4b5a"),
            "kept where the UI and the log get it"
        );
    }

    #[tokio::test]
    async fn an_answer_that_is_not_the_relays_error_keeps_the_request_id_too() {
        // A proxy's page in front of the relay, say: the generic message, and the id when given.
        let (_, error) = refusal(response(502, Some("req-502"), "<html>Bad Gateway</html>")).await;
        assert_eq!(error.code, "http.502");
        assert!(
            error.message.contains("予期しない応答"),
            "{}",
            error.message
        );
        assert_eq!(error.request_id.as_deref(), Some("req-502"));
    }

    #[tokio::test]
    async fn without_the_header_there_is_no_request_id() {
        let (_, error) = refusal(response(
            404,
            None,
            r#"{"code":"office.not_found","message":"登録されていません。"}"#,
        ))
        .await;
        assert_eq!(error.request_id, None);
        let (_, error) = refusal(response(
            404,
            Some("  "),
            r#"{"code":"office.not_found","message":"登録されていません。"}"#,
        ))
        .await;
        assert_eq!(error.request_id, None, "a blank header is no id");
    }

    #[tokio::test]
    async fn a_success_is_passed_through() {
        let answer = checked(response(200, Some("req-ok"), "{}")).await.unwrap();
        assert_eq!(answer.status(), 200);
    }
}
