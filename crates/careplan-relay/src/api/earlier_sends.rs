//! Earlier sends of the same contents: before a send, the desktop app asks which of its files this
//! office has already sent, byte for byte, to the same destination, so that a plan is not delivered
//! twice by mistake. Answered from the office's own 送信一覧 only.

use axum::extract::State;
use axum::Json;
use careplan_api::{ApiError, EarlierSend, EarlierSendsRequest};

use crate::access::Session;
use crate::clock::rfc3339;
use crate::error::RelayError;
use crate::AppState;

/// Hex SHA-256, as the relay lists files' digests.
fn is_digest(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[utoipa::path(
    post,
    path = "/v1/outbox/earlier-sends",
    operation_id = "earlier_sends",
    tag = "exchange",
    security(("session" = [])),
    request_body = EarlierSendsRequest,
    responses(
        (status = 200, description = "同じ送信先へすでに送った同じ内容のファイル（それぞれ最新の送信）", body = Vec<EarlierSend>),
        (status = "default", description = "拒否（SHA-256 でない値、多すぎる数 …）", body = ApiError),
    )
)]
pub async fn earlier_sends(
    State(state): State<AppState>,
    session: Session,
    Json(request): Json<EarlierSendsRequest>,
) -> Result<Json<Vec<EarlierSend>>, RelayError> {
    // As many as one bulk send can carry: no request names more files than that.
    let most = state.limits.max_bulk_files;
    if request.sha256.len() > most {
        return Err(RelayError::bad_request(
            "earlier_sends.too_many",
            format!("一度に確かめられるファイルは {most} 個までです。"),
        ));
    }
    if let Some(bad) = request.sha256.iter().find(|d| !is_digest(d)) {
        return Err(RelayError::bad_request(
            "earlier_sends.bad_digest",
            format!("「{bad}」はファイルの SHA-256（16進数64文字）ではありません。"),
        ));
    }
    let digests: Vec<String> = request
        .sha256
        .iter()
        .map(|d| d.to_ascii_lowercase())
        .collect();
    let found = state
        .store
        .mailbox(session.office())
        .earlier_sends(request.to.trim(), &digests)
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|f| EarlierSend {
                sha256: f.sha256,
                sent_at: rfc3339(f.sent_at),
                message_id: f.message_id,
            })
            .collect(),
    ))
}
