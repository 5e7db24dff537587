//! A logged-in office: extracted from `Authorization: Bearer …` on a connection whose certificate is
//! the one the session was opened with, and still registered, unrevoked and in date.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;

use super::OfficeScope;
use crate::auth::{registered_certificate, token_hash};
use crate::clock::now_ms;
use crate::error::RelayError;
use crate::store::{CertificateRow, SessionRow};
use crate::tls::ClientCert;
use crate::AppState;

#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub row: SessionRow,
    /// The connection's certificate, as registered (checked on every request).
    pub certificate: CertificateRow,
    scope: OfficeScope,
}

impl Session {
    /// The office this session acts for.
    pub fn office(&self) -> &OfficeScope {
        &self.scope
    }

    pub fn office_number(&self) -> &str {
        self.scope.number()
    }
}

fn not_logged_in() -> RelayError {
    RelayError::api(
        StatusCode::UNAUTHORIZED,
        "auth.session_required",
        "ログインしていないか、ログインの有効時間が過ぎました。もう一度ログインしてください。",
    )
}

impl FromRequestParts<AppState> for Session {
    type Rejection = RelayError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let client = parts
            .extensions
            .get::<ClientCert>()
            .cloned()
            .ok_or_else(not_logged_in)?;
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(not_logged_in)?;
        let hash = token_hash(token);
        let sessions = state.store.sessions();
        let row = sessions.get(&hash).await?.ok_or_else(not_logged_in)?;
        if row.expires_at < now_ms() {
            sessions.delete(&hash).await?;
            return Err(not_logged_in());
        }
        if row.cert_fingerprint != client.fingerprint {
            return Err(RelayError::api(
                StatusCode::UNAUTHORIZED,
                "auth.certificate_mismatch",
                "ログインしたときと違う電子証明書で接続されています。もう一度ログインしてください。",
            ));
        }
        let certificate = registered_certificate(state, &client).await?;
        if certificate.office_number != row.office_number {
            // A session is opened only for its certificate's office; anything else is damage.
            return Err(RelayError::Internal(
                "session and certificate name different offices".into(),
            ));
        }
        Ok(Session {
            token_hash: hash,
            scope: OfficeScope::new(row.office_number.clone()),
            certificate,
            row,
        })
    }
}
