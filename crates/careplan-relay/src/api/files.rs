//! データ取得: download a received file, then acknowledge it by its digest. The file becomes 済 only
//! on the acknowledgement, so a download broken half-way leaves it 未 and fetchable again.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Json;
use careplan_api::{AckRequest, AckResponse, ApiError, SignedReceipt};

use crate::access::Session;
use crate::clock::{now_ms, rfc3339};
use crate::error::RelayError;
use crate::store::{AuditEntry, FileRow, MessageRow, NewReceipt};
use crate::AppState;

fn not_found() -> RelayError {
    RelayError::api(
        StatusCode::NOT_FOUND,
        "file.not_found",
        "指定されたファイルは受信一覧にありません。受信一覧を更新してください。",
    )
}

fn already_fetched() -> RelayError {
    RelayError::api(
        StatusCode::GONE,
        "file.already_fetched",
        "このファイルは既にデータ取得済みです（データ取得は1回だけです）。保存したフォルダを確認してください。",
    )
}

/// The content was deleted untaken: its time at the relay is over.
fn expired(state: &AppState) -> RelayError {
    RelayError::api(
        StatusCode::GONE,
        "file.expired",
        format!(
            "このファイルは、送信から{}日のあいだデータ取得されなかったため、連携基盤から削除されました。必要なときは送信元の事業所に再送を依頼してください。",
            state.limits.retention.unfetched_days
        ),
    )
}

/// `filename*=UTF-8''…` (RFC 5987): Japanese names survive.
fn content_disposition(name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename*=UTF-8''{encoded}")
}

#[utoipa::path(
    get,
    path = "/v1/files/{id}/content",
    operation_id = "file_content",
    tag = "exchange",
    security(("session" = [])),
    params(("id" = String, Path, description = "受信したファイルの id")),
    responses(
        (status = 200, description = "ファイルの中身（X-Content-SHA256 に SHA-256）", content_type = "application/octet-stream", body = Vec<u8>,
         headers(("x-content-sha256" = String, description = "中身の SHA-256（16進）"))),
        (status = "default", description = "拒否（ないファイル、取得済み（410） …）", body = ApiError),
    )
)]
pub async fn content(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, RelayError> {
    let file = state
        .store
        .mailbox(session.office())
        .received_file(&id)
        .await?
        .ok_or_else(not_found)?;
    if file.fetched_at.is_some() {
        return Err(already_fetched());
    }
    if file.content_purged_at.is_some() {
        return Err(expired(&state));
    }
    let bytes = state.blobs.read(&file.blob_key).await?;
    file_response(bytes, &file.name, &file.sha256)
}

/// A file download: the bytes, their SHA-256 for the client to verify, and the name.
pub(crate) fn file_response(
    bytes: bytes::Bytes,
    name: &str,
    sha256: &str,
) -> Result<Response, RelayError> {
    let header_value =
        |text: &str| HeaderValue::from_str(text).map_err(|e| RelayError::Internal(e.to_string()));
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert("x-content-sha256", header_value(sha256)?);
    headers.insert(
        header::CONTENT_DISPOSITION,
        header_value(&content_disposition(name))?,
    );
    Ok(response)
}

#[utoipa::path(
    post,
    path = "/v1/files/{id}/ack",
    operation_id = "file_ack",
    tag = "exchange",
    security(("session" = [])),
    params(("id" = String, Path, description = "受信したファイルの id")),
    request_body = AckRequest,
    responses(
        (status = 200, description = "済になりました（1回だけ）", body = AckResponse),
        (status = "default", description = "拒否（ないファイル、内容の不一致（409）、取得済み（410） …）", body = ApiError),
    )
)]
pub async fn ack(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Json(request): Json<AckRequest>,
) -> Result<Json<AckResponse>, RelayError> {
    let file = state
        .store
        .mailbox(session.office())
        .received_file(&id)
        .await?
        .ok_or_else(not_found)?;
    if file.fetched_at.is_some() {
        return Err(already_fetched());
    }
    if file.content_purged_at.is_some() {
        return Err(expired(&state));
    }
    if !request.sha256.eq_ignore_ascii_case(&file.sha256) {
        return Err(RelayError::api(
            StatusCode::CONFLICT,
            "file.digest_mismatch",
            "受け取ったファイルの内容が送信されたものと一致しません。もう一度データ取得してください。",
        ));
    }
    let now = now_ms();
    let message = state
        .store
        .mailbox(session.office())
        .received_message(&file.message_id)
        .await?
        .ok_or_else(not_found)?;
    let signed = signed_receipt(&state, &message, &file, now).await?;
    let receipt = NewReceipt {
        message_id: &file.message_id,
        signed: &signed,
    };
    let detail = format!("{} {}", file.message_id, file.id);
    let audit = AuditEntry {
        at: now,
        office: Some(session.office_number()),
        actor: &session.row.personal_user_id,
        action: "fetch",
        detail: &detail,
    };
    if !state
        .store
        .mailbox(session.office())
        .mark_fetched(&id, &session.row.terminal_name, &audit, &receipt)
        .await?
    {
        // Another request acknowledged it between our read and our update.
        return Err(already_fetched());
    }
    // The content is no longer needed: fetch is once only.
    crate::feed::announce_taken(&state, session.office(), &message, &file.id, now).await;
    state.blobs.delete(&file.blob_key).await?;
    Ok(Json(AckResponse {
        fetched_at: rfc3339(now),
    }))
}

/// The 受領証 of `file` of `message`, taken now by its receiver, signed and as JSON.
async fn signed_receipt(
    state: &AppState,
    message: &MessageRow,
    file: &FileRow,
    fetched_at: i64,
) -> Result<String, RelayError> {
    let office =
        |number: String| async move {
            state.store.offices().get(&number).await?.ok_or_else(|| {
                RelayError::Internal(format!("office {number} of a message is gone"))
            })
        };
    let sender = office(message.sender_office.clone()).await?;
    let receiver = office(message.receiver_office.clone()).await?;
    let signed = crate::receipts::receipt_of(
        &state.receipts,
        message,
        file,
        &sender,
        &receiver,
        fetched_at,
    );
    Ok(careplan_receipts::to_json(&signed))
}

#[utoipa::path(
    get,
    path = "/v1/files/{id}/receipt",
    operation_id = "file_receipt",
    tag = "exchange",
    security(("session" = [])),
    params(("id" = String, Path, description = "送信または受信したファイルの id")),
    responses(
        (status = 200, description = "受領証（連携基盤の署名付き）", body = SignedReceipt),
        (status = "default", description = "拒否（ないファイル、まだ受け取られていない（404） …）", body = ApiError),
    )
)]
pub async fn receipt(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<SignedReceipt>, RelayError> {
    let signed = state
        .store
        .mailbox(session.office())
        .receipt(&id)
        .await?
        .ok_or_else(|| {
            RelayError::api(
                StatusCode::NOT_FOUND,
                "receipt.not_issued",
                "このファイルの受領証はありません。相手先がまだデータ取得していないか、受領証を発行するようになる前に取得されたか、この事業所が送受信したファイルではありません。送信一覧のダウンロード状況を確認してください。",
            )
        })?;
    let signed = careplan_receipts::parse(&signed)
        .map_err(|e| RelayError::Internal(format!("stored receipt unreadable: {e}")))?;
    Ok(Json(signed))
}

#[utoipa::path(
    get,
    path = "/v1/receipt-key",
    operation_id = "receipt_key",
    tag = "exchange",
    responses(
        (status = 200, description = "受領証を確かめる連携基盤の公開鍵（PEM, Ed25519）", content_type = "application/x-pem-file", body = String),
    )
)]
pub async fn receipt_key(State(state): State<AppState>) -> Response {
    let mut response = Response::new(Body::from(state.receipts.public_key().to_pem()));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-pem-file"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_file_names_are_percent_encoded() {
        assert_eq!(
            content_disposition("意見書.pdf"),
            "attachment; filename*=UTF-8''%E6%84%8F%E8%A6%8B%E6%9B%B8.pdf"
        );
    }
}
