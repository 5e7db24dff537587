//! What the framework answers by itself (an unknown path, a method a path does not take, a body
//! too large for a route, a JSON body that does not parse or has the wrong shape, a missing
//! `Content-Type`) comes back like every other refusal: `{code, message}` with a Japanese message,
//! logged with its code.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::RelayError;

pub async fn not_found() -> RelayError {
    RelayError::api(
        StatusCode::NOT_FOUND,
        "request.not_found",
        "このURLの機能は連携基盤にありません。接続先（URL）とソフトの版を確認してください。",
    )
}

pub async fn method_not_allowed() -> RelayError {
    RelayError::api(
        StatusCode::METHOD_NOT_ALLOWED,
        "request.method_not_allowed",
        "このURLはこの操作（HTTPメソッド）を受け付けません。ソフトの版を確認してください。",
    )
}

/// The refusal for a framework answer of this status, in the API's words.
fn refusal(status: StatusCode) -> RelayError {
    let (code, message) = match status {
        StatusCode::BAD_REQUEST => (
            "request.malformed",
            "要求の形が正しくありません（JSON の書き方やパラメータを確認してください）。",
        ),
        StatusCode::NOT_FOUND => (
            "request.not_found",
            "指定されたものは見つかりません。URLを確認してください。",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "request.method_not_allowed",
            "このURLはこの操作（HTTPメソッド）を受け付けません。",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "request.too_large",
            "送られたデータが大きすぎます。ファイルを分けて送ってください。",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "request.unsupported_media_type",
            "データの種類（Content-Type）が違います。JSON は application/json、ファイルの送信は multipart/form-data で送ってください。",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "request.invalid_body",
            "要求の内容が足りないか、項目の型が違います。必要な項目をそろえて送ってください。",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "request.timeout",
            "要求の受け取りに時間がかかりすぎたため、接続を切りました。回線を確認してもう一度お試しください。",
        ),
        status if status.is_server_error() => {
            return RelayError::Internal(format!("framework answer {status}"))
        }
        _ => (
            "request.refused",
            "要求を受け付けられませんでした。ソフトの版と設定を確認してください。",
        ),
    };
    RelayError::api(status, code, message)
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Turns a refusal the framework answered (empty or plain text) into the API's `{code, message}`.
pub async fn as_api_errors(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if (status.is_client_error() || status.is_server_error()) && !is_json(&response) {
        let mut refused = refusal(status).into_response();
        // Keep what the framework said about the connection and when to come back.
        for name in [header::CONNECTION, header::RETRY_AFTER, header::ALLOW] {
            if let Some(value) = response.headers().get(&name) {
                refused.headers_mut().insert(name, value.clone());
            }
        }
        return refused;
    }
    response
}
