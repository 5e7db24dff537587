//! A feed reader: extracted from `Authorization: Bearer …` carrying a feed token, on a connection
//! whose certificate is the one the token's session was opened with. It reads the office's change
//! feed and nothing else: every other route takes a [`super::Session`], which never accepts a feed
//! token (they live in different tables).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;

use super::OfficeScope;
use crate::auth::{registered_certificate, token_hash};
use crate::clock::now_ms;
use crate::error::RelayError;
use crate::store::{Feed, Store};
use crate::tls::ClientCert;
use crate::AppState;

#[derive(Debug, Clone)]
pub struct FeedReader {
    pub token_hash: String,
    /// When the token stops working (its session's end).
    pub expires_at: i64,
    /// The connection's certificate, checked again while a feed stays open.
    pub cert_fingerprint: String,
    scope: OfficeScope,
}

impl FeedReader {
    /// The office's feed: what a feed token may read, and all it may read (the scope itself stays
    /// here, so a handler holding a reader cannot open the office's mailbox).
    pub fn feed<'a>(&'a self, store: &'a Store) -> Feed<'a> {
        store.feed(&self.scope)
    }

    pub fn office_number(&self) -> &str {
        self.scope.number()
    }
}

/// The token is unknown, expired, or its session was logged out.
pub fn feed_login_required() -> RelayError {
    RelayError::api(
        StatusCode::UNAUTHORIZED,
        "auth.feed_token_required",
        "受信通知の確認に必要なログインの有効時間が過ぎました。もう一度ログインしてください。",
    )
}

impl FromRequestParts<AppState> for FeedReader {
    type Rejection = RelayError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let client = parts
            .extensions
            .get::<ClientCert>()
            .cloned()
            .ok_or_else(feed_login_required)?;
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(feed_login_required)?;
        let hash = token_hash(token);
        let row = state
            .store
            .feed_tokens()
            .get(&hash)
            .await?
            .ok_or_else(feed_login_required)?;
        if row.expires_at < now_ms() {
            return Err(feed_login_required());
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
            return Err(RelayError::Internal(
                "feed token and certificate name different offices".into(),
            ));
        }
        Ok(FeedReader {
            token_hash: hash,
            expires_at: row.expires_at,
            cert_fingerprint: client.fingerprint,
            scope: OfficeScope::new(row.office_number),
        })
    }
}
