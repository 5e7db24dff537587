//! The office portal (利用申請・利用状況Webサイト, seeds 002 §3-1, 003, 004): where an office joins the
//! exchange by itself and manages it. Log in with the 事業所ユーザID (`KJ…`) or a 個人ユーザID (`c…`);
//! change a temporary password; 利用申請 (the 利用規約 read to the end, the licence for a year, the
//! payment method); ライセンス; 利用状況 TOP with the office's 個人ユーザID (issued, reset, locked,
//! deleted by its administrator); セキュリティメール with mailed one-time codes for a locked or
//! forgotten ID; 電子証明書 (a .p12 downloaded once, or a certificate for a key made on the PC); and,
//! without login, 利用事業所検索 and かんたんシミュレーション.
//!
//! Pages are rendered on the server (maud) as plain HTML forms: no script is needed, every form
//! carries its CSRF token, and a phone's browser works as well as a PC's. The portal runs on its own
//! HTTPS listener with the relay's server certificate and no client certificate (an office may not
//! have one yet), over the relay's store: every office-private query goes through the scope its
//! session or proof made in `careplan_relay::access`.

pub mod certificates;
pub mod directory;
pub mod home;
pub mod joining;
mod layout;
pub mod licence;
pub mod login;
pub mod mail;
pub mod security_mail;
pub mod simulation;
pub mod staff;
mod tls;
mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::Request;
use axum::routing::{get, post};
use axum::Router;
use careplan_relay::access::portal::{IssuanceRules, SessionRules};
use careplan_relay::error::RelayError;
use careplan_relay::pki::Pki;
use careplan_relay::rate::OfficeRateLimit;
use careplan_relay::request_log::{request_id_of, with_request_log};
use careplan_relay::{AppState, Relay};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use mail::{MailConfig, MailTls};

/// How the portal behaves: its limits and where its mail goes.
#[derive(Debug, Clone)]
pub struct PortalConfig {
    pub mail: MailConfig,
    pub sessions: SessionRules,
    pub issuance: IssuanceRules,
    /// How long a mailed code works.
    pub code_lifetime: Duration,
    /// Codes one ID may be sent in an hour.
    pub codes_per_hour: i64,
    /// Wrong tries of one code before it stops working.
    pub code_max_failures: i64,
    /// Requests a minute from one client address to the pages anyone may use (login, recovery,
    /// search, certificate applications), and how many at once.
    pub requests_per_minute_per_client: u32,
    pub request_burst_per_client: u32,
    /// Days a certificate issued through the portal is valid.
    pub certificate_days: i64,
    /// How long a .p12 waits for its one download.
    pub download_lifetime: Duration,
}

impl Default for PortalConfig {
    fn default() -> Self {
        PortalConfig {
            mail: MailConfig::Disabled,
            sessions: SessionRules::default(),
            issuance: IssuanceRules::default(),
            code_lifetime: Duration::from_secs(10 * 60),
            codes_per_hour: 5,
            code_max_failures: 5,
            requests_per_minute_per_client: 120,
            request_burst_per_client: 60,
            certificate_days: 365,
            download_lifetime: Duration::from_secs(30 * 60),
        }
    }
}

/// Shared by every request of the portal.
#[derive(Clone)]
pub struct PortalState {
    /// The relay's state: its store (with the audit log), limits and per-office rate limit.
    pub relay: AppState,
    pub pki: Arc<Pki>,
    pub config: Arc<PortalConfig>,
    pub mailer: Arc<mail::Mailer>,
    /// The rate limit per client address, for what anyone may ask.
    pub clients: Arc<OfficeRateLimit>,
    /// The relay's CA certificate, which a certificate's user must trust.
    pub ca_pem: Arc<String>,
}

impl PortalState {
    pub fn new(relay: &Relay, config: PortalConfig) -> Result<PortalState, RelayError> {
        let pki = Pki::load(&relay.config.pki_dir())?;
        let ca_pem = std::fs::read_to_string(relay.ca_pem_path())?;
        Ok(PortalState {
            relay: relay.state.clone(),
            pki: Arc::new(pki),
            mailer: Arc::new(mail::Mailer::new(&config.mail)?),
            clients: Arc::new(OfficeRateLimit::new(
                config.requests_per_minute_per_client,
                config.request_burst_per_client,
            )),
            config: Arc::new(config),
            ca_pem: Arc::new(ca_pem),
        })
    }
}

/// Every page and form of the portal.
pub fn router(state: PortalState) -> Router {
    let router = Router::new()
        .route("/", get(home::landing))
        .route("/assets/portal.css", get(layout::stylesheet))
        .route("/login", get(login::login_page).post(login::login))
        .route("/logout", post(login::logout))
        .route(
            "/password",
            get(login::password_page).post(login::change_password),
        )
        .route("/home", get(home::top))
        .route("/apply", get(joining::apply_page).post(joining::apply))
        .route("/licence", get(licence::licence_page))
        .route("/licence/renew", post(licence::renew))
        .route("/licence/payment", post(licence::payment_method))
        .route("/staff", post(staff::issue))
        .route("/staff/action", post(staff::action))
        .route(
            "/listing",
            get(directory::listing_page).post(directory::set_listing),
        )
        .route(
            "/security-mail",
            get(security_mail::page_handler).post(security_mail::register),
        )
        .route("/security-mail/confirm", post(security_mail::confirm))
        .route("/security-mail/remove", post(security_mail::remove))
        .route("/recovery", get(security_mail::recovery_page))
        .route("/recovery/request", post(security_mail::recovery_request))
        .route("/recovery/redeem", post(security_mail::recovery_redeem))
        .route(
            "/certificates",
            get(certificates::page_handler).post(certificates::apply),
        )
        .route("/certificates/ca.pem", get(certificates::ca_pem))
        .route("/certificates/download", post(certificates::download))
        .route("/certificates/revoke", post(certificates::revoke))
        .route("/api/v1/certificates", post(certificates::request_api))
        .route("/directory", get(directory::search_page))
        .route("/simulation", get(simulation::page_handler))
        .fallback(web::not_found)
        .layer(axum::middleware::from_fn(web::security_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            web::client_limit,
        ))
        .layer(axum::middleware::from_fn(web::anonymous_csrf))
        .with_state(state);
    with_request_log(router, request_span)
}

/// The span of one request: its id, method and path only (never a query, a header or a body: a
/// form's passwords and codes never reach the log).
fn request_span(request: &Request<axum::body::Body>) -> tracing::Span {
    let id = request_id_of(request);
    tracing::info_span!(
        "portal",
        id,
        method = %request.method(),
        path = request.uri().path(),
    )
}

/// The portal listening on an address; stops when dropped.
pub struct RunningPortal {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
    renewal: JoinHandle<()>,
}

impl RunningPortal {
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.addr.port())
    }
}

impl Drop for RunningPortal {
    fn drop(&mut self) {
        self.task.abort();
        self.renewal.abort();
    }
}

/// Serves the portal on `addr` (port 0 picks a free one) with the relay's server certificate, and
/// runs the licences' automatic renewal and the sweep of expired sessions and downloads every hour.
pub async fn serve(
    relay: &Relay,
    addr: &str,
    config: PortalConfig,
) -> Result<RunningPortal, RelayError> {
    let state = PortalState::new(relay, config)?;
    let tls = tls::server_config(&relay.pki.server_pem_path(), &relay.pki.server_key_path())?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| RelayError::Config(format!("{addr} で待ち受けできません: {e}")))?;
    let addr = listener.local_addr()?;
    let renewal = tokio::spawn(housekeeping(state.relay.clone()));
    let task = tokio::spawn(tls::serve(listener, tls, router(state)));
    Ok(RunningPortal {
        addr,
        task,
        renewal,
    })
}

/// Every hour: the automatic renewal of フリーパス licences, and expired sessions and downloads removed.
async fn housekeeping(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let today = careplan_relay::licensing::today();
        match careplan_relay::licensing::renew_due(&state.store, today).await {
            Ok(renewed) if !renewed.is_empty() => {
                tracing::info!(
                    count = renewed.len(),
                    "licences renewed under the free pass"
                )
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "automatic licence renewal failed"),
        }
        let now = careplan_relay::clock::now_ms();
        if let Err(e) = state.store.portal_sessions().sweep(now).await {
            tracing::error!(error = %e, "portal session sweep failed");
        }
        if let Err(e) = careplan_relay::store::issuance::sweep_downloads(&state.store, now).await {
            tracing::error!(error = %e, "certificate download sweep failed");
        }
    }
}
