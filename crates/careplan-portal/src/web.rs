//! What every page and form of the portal shares: the session cookie and the logged-in person, CSRF
//! tokens on every form, form bodies read with a size limit, the rate limit per client address,
//! security headers, and refusals as Japanese pages.
//!
//! Cookies are `__Host-` (Secure, Path=/, no Domain), HttpOnly and SameSite=Strict. A logged-in form
//! sends back its session's CSRF token; a form before login (login, recovery) the token of the
//! visitor's own `__Host-portal-csrf` cookie (double submit: another site can neither read nor set a
//! `__Host-` cookie of this one).

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::header::{CACHE_CONTROL, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use careplan_relay::access::PortalSession;
use careplan_relay::auth::{constant_time_eq, new_token};
use careplan_relay::error::RelayError;
use serde::de::DeserializeOwned;

use crate::layout;
use crate::tls::Peer;
use crate::PortalState;

pub const SESSION_COOKIE: &str = "__Host-portal-session";
pub const CSRF_COOKIE: &str = "__Host-portal-csrf";

/// The largest form body accepted (the longest legitimate one, the 利用規約's agreement or a CSR, is
/// a few kilobytes).
pub const MAX_FORM_BYTES: usize = 16 * 1024;

/// The value of a cookie of the request.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `__Host-` cookie: HttpOnly, Secure, SameSite=Strict; `None` removes it.
pub fn cookie_header(name: &str, value: Option<&str>) -> HeaderValue {
    let text = match value {
        Some(value) => format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite=Strict"),
        None => format!("{name}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"),
    };
    HeaderValue::from_str(&text).expect("cookie text is ASCII")
}

fn token_shaped(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The visitor's own CSRF token (before login).
#[derive(Debug, Clone)]
pub struct AnonCsrf(pub String);

/// The CSRF token a logged-in form must carry (set by the session's extractor).
#[derive(Debug, Clone)]
struct ExpectedCsrf(String);

/// Gives every visitor a CSRF token of its own, in a cookie, for the forms before login.
pub async fn anonymous_csrf(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let existing = cookie(&parts, CSRF_COOKIE)
        .filter(|t| token_shaped(t))
        .map(str::to_owned);
    let fresh = existing.is_none();
    let token = existing.unwrap_or_else(|| new_token().0);
    parts.extensions.insert(AnonCsrf(token.clone()));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if fresh {
        response
            .headers_mut()
            .append(SET_COOKIE, cookie_header(CSRF_COOKIE, Some(&token)));
    }
    response
}

/// The rate limit per client address (the relay's limiter, keyed by the address).
pub async fn client_limit(
    State(state): State<PortalState>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(Peer(peer)) = request.extensions().get::<Peer>().copied() {
        if let Err(refused) = state.clients.check(&peer.ip().to_string()) {
            return PortalError::from(refused).into_response();
        }
    }
    next.run(request).await
}

/// Headers of every answer: no script, style or form target but the portal's own, no framing, no
/// caching of pages that show an office's data.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "x-frame-options", "DENY");
    set(headers, "strict-transport-security", "max-age=31536000");
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// A refusal or failure, answered as a Japanese page.
#[derive(Debug)]
pub enum PortalError {
    /// Not logged in (or the session ended): to the login page.
    LoginRequired,
    /// A temporary password: to its change first.
    PasswordChangeRequired,
    /// Refused with a message the person can act on.
    Refused {
        status: StatusCode,
        message: String,
    },
    RateLimited {
        seconds: u64,
    },
    Internal(String),
}

impl PortalError {
    pub fn refused(status: StatusCode, message: impl Into<String>) -> PortalError {
        PortalError::Refused {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> PortalError {
        PortalError::refused(StatusCode::BAD_REQUEST, message)
    }

    pub fn administrators_only() -> PortalError {
        PortalError::refused(
            StatusCode::FORBIDDEN,
            "この操作は事業所の管理者（事業所ユーザID、または「管理者」の個人ユーザID）だけができます。",
        )
    }

    fn csrf() -> PortalError {
        PortalError::refused(
            StatusCode::FORBIDDEN,
            "この画面の有効期限が切れたか、別の画面から送信されました。お手数ですが、画面を開き直してからもう一度操作してください。",
        )
    }
}

impl From<RelayError> for PortalError {
    fn from(e: RelayError) -> PortalError {
        match e {
            RelayError::Api {
                status, message, ..
            } => PortalError::Refused { status, message },
            RelayError::RateLimited { seconds } => PortalError::RateLimited { seconds },
            other => PortalError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        match self {
            PortalError::LoginRequired => Redirect::to("/login").into_response(),
            PortalError::PasswordChangeRequired => Redirect::to("/password").into_response(),
            PortalError::Refused { status, message } => {
                tracing::info!(%status, "refused");
                (status, layout::error_page(status, &message)).into_response()
            }
            PortalError::RateLimited { seconds } => {
                tracing::info!(seconds, "rate limited");
                let message = format!("短い時間に多くの操作が行われたため、一時的に受け付けを止めています。{seconds}秒ほど待ってからもう一度お試しください。");
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    layout::error_page(StatusCode::TOO_MANY_REQUESTS, &message),
                )
                    .into_response();
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, seconds.into());
                response
            }
            PortalError::Internal(detail) => {
                tracing::error!(error = %detail, "portal request failed");
                let status = StatusCode::INTERNAL_SERVER_ERROR;
                (
                    status,
                    layout::error_page(
                        status,
                        "問題が発生しました。しばらく待ってからもう一度お試しください。続く場合はヘルプデスクにご連絡ください。",
                    ),
                )
                    .into_response()
            }
        }
    }
}

pub async fn not_found() -> PortalError {
    PortalError::refused(
        StatusCode::NOT_FOUND,
        "お探しのページはありません。上のメニューから選んでください。",
    )
}

async fn session_of(
    parts: &mut Parts,
    state: &PortalState,
) -> Result<Option<PortalSession>, PortalError> {
    let Some(token) = cookie(parts, SESSION_COOKIE).filter(|t| token_shaped(t)) else {
        return Ok(None);
    };
    let token = token.to_owned();
    let session = PortalSession::resolve(&state.relay, &token, state.config.sessions).await?;
    if let Some(session) = &session {
        parts
            .extensions
            .insert(ExpectedCsrf(session.csrf_token().to_owned()));
    }
    Ok(session)
}

/// Anyone: logged in or not (public pages show the menu of the logged-in).
pub struct Visitor {
    pub session: Option<PortalSession>,
    pub csrf: String,
}

impl FromRequestParts<PortalState> for Visitor {
    type Rejection = PortalError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &PortalState,
    ) -> Result<Self, Self::Rejection> {
        let session = session_of(parts, state).await?;
        let csrf = match &session {
            Some(session) => session.csrf_token().to_owned(),
            None => parts
                .extensions
                .get::<AnonCsrf>()
                .map(|c| c.0.clone())
                .unwrap_or_default(),
        };
        Ok(Visitor { session, csrf })
    }
}

/// Logged in, the temporary password (if any) still to change: the password page only.
pub struct AnyLoggedIn(pub PortalSession);

impl FromRequestParts<PortalState> for AnyLoggedIn {
    type Rejection = PortalError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &PortalState,
    ) -> Result<Self, Self::Rejection> {
        session_of(parts, state)
            .await?
            .map(AnyLoggedIn)
            .ok_or(PortalError::LoginRequired)
    }
}

/// Logged in, with a password of the office's own.
pub struct LoggedIn(pub PortalSession);

impl FromRequestParts<PortalState> for LoggedIn {
    type Rejection = PortalError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &PortalState,
    ) -> Result<Self, Self::Rejection> {
        let AnyLoggedIn(session) = AnyLoggedIn::from_request_parts(parts, state).await?;
        if session.must_change_password {
            return Err(PortalError::PasswordChangeRequired);
        }
        Ok(LoggedIn(session))
    }
}

/// Logged in as the office's administrator (its KJ ID, or a 管理者 c ID).
pub struct Admin(pub PortalSession);

impl FromRequestParts<PortalState> for Admin {
    type Rejection = PortalError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &PortalState,
    ) -> Result<Self, Self::Rejection> {
        let LoggedIn(session) = LoggedIn::from_request_parts(parts, state).await?;
        if !session.role.is_administrator() {
            return Err(PortalError::administrators_only());
        }
        Ok(Admin(session))
    }
}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A form body: at most [`MAX_FORM_BYTES`], well formed, and carrying the right CSRF token (the
/// session's when logged in, else the visitor's). Anything else is refused before the handler runs.
pub struct CheckedForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<PortalState> for CheckedForm<T> {
    type Rejection = PortalError;

    async fn from_request(
        request: Request<Body>,
        _: &PortalState,
    ) -> Result<Self, Self::Rejection> {
        let expected = match request.extensions().get::<ExpectedCsrf>() {
            Some(ExpectedCsrf(token)) => token.clone(),
            None => request
                .extensions()
                .get::<AnonCsrf>()
                .map(|c| c.0.clone())
                .unwrap_or_default(),
        };
        let bytes = axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES)
            .await
            .map_err(|_| {
                PortalError::refused(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "送信された内容が大きすぎます。入力を短くしてからもう一度送信してください。",
                )
            })?;
        let malformed = || {
            PortalError::bad_request(
                "送信された内容の形が正しくありません。画面を開き直してからもう一度送信してください。",
            )
        };
        let field: CsrfField = serde_urlencoded::from_bytes(&bytes).map_err(|_| malformed())?;
        if expected.is_empty() || !constant_time_eq(field.csrf.as_bytes(), expected.as_bytes()) {
            return Err(PortalError::csrf());
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|_| malformed())?;
        Ok(CheckedForm(form))
    }
}

/// Text typed into a field: trimmed, at most `max` characters, no control characters.
pub fn field(value: &str, label: &str, max: usize) -> Result<String, String> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(format!("「{label}」は{max}文字以内で入力してください。"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("「{label}」に使えない文字が含まれています。"));
    }
    Ok(value.to_owned())
}

/// A required field.
pub fn required(value: &str, label: &str, max: usize) -> Result<String, String> {
    let value = field(value, label, max)?;
    if value.is_empty() {
        return Err(format!("「{label}」を入力してください。"));
    }
    Ok(value)
}

/// A new password, typed twice: 8 to 64 characters, not only one kind of character.
pub fn new_password(password: &str, again: &str) -> Result<String, String> {
    if password != again {
        return Err("確認のために入力した新しいパスワードが一致しません。同じパスワードを2回入力してください。".into());
    }
    let count = password.chars().count();
    if !(8..=64).contains(&count) {
        return Err("新しいパスワードは8文字以上64文字以内にしてください。".into());
    }
    if password.chars().any(char::is_control) {
        return Err("新しいパスワードに使えない文字が含まれています。".into());
    }
    let kinds = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if kinds.iter().filter(|&&k| k).count() < 2 {
        return Err(
            "新しいパスワードには、英小文字・英大文字・数字・記号のうち2種類以上を含めてください。"
                .into(),
        );
    }
    Ok(password.to_owned())
}

/// A page with a cookie set (login) or removed (logout).
pub fn with_cookie(response: impl IntoResponse, name: &str, value: Option<&str>) -> Response {
    let mut response = response.into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, cookie_header(name, value));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_need_length_and_two_kinds() {
        assert!(new_password("abcdefgh", "abcdefgh").is_err());
        assert!(new_password("abcdefg1", "abcdefg2").is_err());
        assert!(new_password("abc1", "abc1").is_err());
        assert!(new_password("abcdefg1", "abcdefg1").is_ok());
        let long = "a1".repeat(32);
        assert!(new_password(&long, &long).is_ok());
        let longer = format!("{long}b");
        assert!(new_password(&longer, &longer).is_err());
    }

    #[test]
    fn fields_are_trimmed_and_limited() {
        assert_eq!(field("  山田  ", "氏名", 2).unwrap(), "山田");
        assert!(field("山田花子", "氏名", 3).is_err());
        assert!(required("   ", "氏名", 10).is_err());
        assert!(field("a\u{7}b", "氏名", 10).is_err());
    }
}
