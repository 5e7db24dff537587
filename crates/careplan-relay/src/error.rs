//! One error type: what the relay answers (`{code, message}` with a Japanese message and the right
//! HTTP status), and what goes wrong inside it (logged, answered as a generic 500).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use careplan_api::{ApiDiagnostic, ApiError};

#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// A refusal the user can act on.
    #[error("{code}: {message}")]
    Api {
        status: StatusCode,
        code: &'static str,
        message: String,
        diagnostics: Vec<ApiDiagnostic>,
    },
    /// Too many requests from one office: answered 429 with `Retry-After`, so that scripts can wait.
    #[error("rate.limited: retry after {seconds} s")]
    RateLimited { seconds: u64 },
    /// The relay holds as many uploads as its memory allows: answered 503 with `Retry-After`.
    #[error("server.busy: retry after {seconds} s")]
    Busy { seconds: u64 },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("blob store: {0}")]
    Blob(#[from] object_store::Error),
    #[error("configuration: {0}")]
    Config(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl RelayError {
    pub fn api(status: StatusCode, code: &'static str, message: impl Into<String>) -> RelayError {
        RelayError::Api {
            status,
            code,
            message: message.into(),
            diagnostics: Vec::new(),
        }
    }

    /// A 400 refusal: the request itself is wrong.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> RelayError {
        RelayError::api(StatusCode::BAD_REQUEST, code, message)
    }

    /// The machine code, for tests and logs.
    pub fn code(&self) -> &'static str {
        match self {
            RelayError::Api { code, .. } => code,
            RelayError::RateLimited { .. } => "rate.limited",
            RelayError::Busy { .. } => "server.busy",
            _ => "server.internal",
        }
    }
}

impl From<std::io::Error> for RelayError {
    fn from(e: std::io::Error) -> Self {
        RelayError::Internal(format!("io: {e}"))
    }
}

impl IntoResponse for RelayError {
    fn into_response(self) -> Response {
        match self {
            RelayError::Api {
                status,
                code,
                message,
                diagnostics,
            } => {
                // A refusal the user can act on: the code says which, the request's span says
                // which request and office.
                tracing::info!(%status, code, "refused");
                (
                    status,
                    Json(ApiError {
                        code: code.to_owned(),
                        message,
                        diagnostics,
                        request_id: None,
                    }),
                )
                    .into_response()
            }
            RelayError::RateLimited { seconds } => {
                tracing::info!(seconds, code = "rate.limited", "rate limited");
                let body = ApiError {
                    code: "rate.limited".to_owned(),
                    message: format!("短い時間に多くの操作が行われたため、一時的に受け付けを止めています。{seconds}秒ほど待ってからもう一度お試しください。"),
                    diagnostics: Vec::new(),
                    request_id: None,
                };
                let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, seconds.into());
                response
            }
            RelayError::Busy { seconds } => {
                tracing::warn!(
                    seconds,
                    code = "server.busy",
                    "refused: upload budget spent"
                );
                let body = ApiError {
                    code: "server.busy".to_owned(),
                    message: format!("連携基盤が混み合っているため、いまは受け付けられません。{seconds}秒ほど待ってからもう一度送信してください。"),
                    diagnostics: Vec::new(),
                    request_id: None,
                };
                let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, seconds.into());
                response
            }
            other => {
                // The detail goes to the log only: it may name tables or paths, never secrets.
                tracing::error!(error = %other, "request failed");
                let body = ApiError {
                    code: "server.internal".to_owned(),
                    message: "連携基盤で問題が発生しました。しばらく待ってからもう一度お試しください。続く場合はヘルプデスクにご連絡ください。".to_owned(),
                    diagnostics: Vec::new(),
                    request_id: None,
                };
                (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
            }
        }
    }
}
