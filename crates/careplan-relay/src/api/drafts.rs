//! 下書き一覧: drafts saved from 新規作成 (一時保存), visible from every terminal of the office with
//! the terminal that saved them; reopened, replaced, sent or deleted.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use careplan_api::{ApiError, Draft, DraftFile, SendResponse};
use sha2::{Digest, Sha256};

use crate::access::Session;
use crate::clock::{now_ms, rfc3339};
use crate::delivery::{
    category_of, deliver, new_id, send_digest, Delivered, Idempotency, Outgoing, Sender, Upload,
};
use crate::error::RelayError;
use crate::store::{AuditEntry, DraftFileRow, DraftRow, MailboxKind};
use crate::AppState;

fn not_found() -> RelayError {
    RelayError::api(StatusCode::NOT_FOUND, "draft.not_found", "指定された下書きはありません。下書き一覧を更新してください（ほかの端末で送信・削除された可能性があります）。")
}

async fn draft_dto(
    state: &AppState,
    session: &Session,
    row: DraftRow,
) -> Result<Draft, RelayError> {
    let files = state
        .store
        .drafts(session.office())
        .files(&row.id)
        .await?
        .into_iter()
        .map(|f| DraftFile {
            category: category_of(&f.name).0,
            id: f.id,
            name: f.name,
            size: f.size as u64,
            sha256: f.sha256,
        })
        .collect();
    let to_office = match state.store.offices().get(&row.receiver_office).await? {
        Some(office) => Some(crate::api::home::office_dto(state, office).await?),
        None => None,
    };
    Ok(Draft {
        id: row.id,
        saved_at: rfc3339(row.saved_at),
        terminal_name: row.terminal_name,
        to: row.receiver_office,
        to_office,
        message: row.message,
        files,
    })
}

/// Writes a draft's files (create-only, synced), then the draft in one transaction; the files of
/// the version it replaces are removed afterwards.
async fn save(
    state: &AppState,
    session: &Session,
    id: String,
    multipart: Multipart,
) -> Result<Draft, RelayError> {
    let (manifest, uploads, _hold) = crate::api::messages::read_send(state, multipart).await?;
    let to = manifest.to.trim().to_owned();
    if !to.is_empty() && careplan_spec::OfficeNumber::parse(&to).is_err() {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "draft.bad_destination",
            "送信先の事業所番号は10桁で入力してください（未定なら空のまま保存できます）。",
        ));
    }
    let mut files = Vec::with_capacity(uploads.len());
    for (position, upload) in uploads.iter().enumerate() {
        let file_id = new_id();
        let blob_key = format!("drafts/{id}/{file_id}");
        state.blobs.put_new(&blob_key, upload.bytes.clone()).await?;
        files.push(DraftFileRow {
            id: file_id,
            draft_id: id.clone(),
            position: position as i64,
            name: upload.name.clone(),
            size: upload.bytes.len() as i64,
            sha256: hex::encode(Sha256::digest(&upload.bytes)),
            blob_key,
        });
    }
    let row = DraftRow {
        id: id.clone(),
        terminal_name: session.row.terminal_name.clone(),
        saved_at: now_ms(),
        receiver_office: to,
        message: manifest.message,
    };
    let replaced = state
        .store
        .drafts(session.office())
        .save(&row, &files)
        .await?;
    for key in replaced {
        state.blobs.delete(&key).await?;
    }
    audit(state, session, row.saved_at, "draft.save", &id).await?;
    draft_dto(state, session, row).await
}

#[utoipa::path(
    get,
    path = "/v1/drafts",
    operation_id = "draft_list",
    tag = "drafts",
    security(("session" = [])),
    responses(
        (status = 200, description = "下書き一覧（新しい順）", body = Vec<Draft>),
        (status = "default", description = "拒否", body = ApiError),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<Draft>>, RelayError> {
    let mut out = Vec::new();
    for row in state.store.drafts(session.office()).list().await? {
        out.push(draft_dto(&state, &session, row).await?);
    }
    Ok(Json(out))
}

#[utoipa::path(
    post,
    path = "/v1/drafts",
    operation_id = "draft_create",
    tag = "drafts",
    security(("session" = [])),
    request_body(content = crate::api::openapi::SendForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "一時保存しました", body = Draft),
        (status = "default", description = "拒否（大きさ、ファイル名、下書きの数 …）", body = ApiError),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    multipart: Multipart,
) -> Result<(StatusCode, Json<Draft>), RelayError> {
    if state.store.drafts(session.office()).count().await? >= state.limits.max_drafts_per_office {
        return Err(RelayError::api(
            StatusCode::CONFLICT,
            "draft.too_many",
            format!(
                "下書きが上限（{}件）に達しています。下書き一覧で使わない下書きを削除してから保存してください。",
                state.limits.max_drafts_per_office
            ),
        ));
    }
    let draft = save(&state, &session, new_id(), multipart).await?;
    Ok((StatusCode::CREATED, Json(draft)))
}

#[utoipa::path(
    get,
    path = "/v1/drafts/{id}",
    operation_id = "draft_get",
    tag = "drafts",
    security(("session" = [])),
    params(("id" = String, Path, description = "下書きの id")),
    responses(
        (status = 200, description = "下書き", body = Draft),
        (status = "default", description = "拒否（ない下書き …）", body = ApiError),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<Draft>, RelayError> {
    let row = state
        .store
        .drafts(session.office())
        .get(&id)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(draft_dto(&state, &session, row).await?))
}

#[utoipa::path(
    put,
    path = "/v1/drafts/{id}",
    operation_id = "draft_replace",
    tag = "drafts",
    security(("session" = [])),
    params(("id" = String, Path, description = "下書きの id")),
    request_body(content = crate::api::openapi::SendForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "上書き保存しました", body = Draft),
        (status = "default", description = "拒否（ない下書き、大きさ、ファイル名 …）", body = ApiError),
    )
)]
pub async fn replace(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Json<Draft>, RelayError> {
    state
        .store
        .drafts(session.office())
        .get(&id)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(save(&state, &session, id, multipart).await?))
}

#[utoipa::path(
    delete,
    path = "/v1/drafts/{id}",
    operation_id = "draft_delete",
    tag = "drafts",
    security(("session" = [])),
    params(("id" = String, Path, description = "下書きの id")),
    responses(
        (status = 204, description = "削除しました"),
        (status = "default", description = "拒否（ない下書き …）", body = ApiError),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<StatusCode, RelayError> {
    let keys = state
        .store
        .drafts(session.office())
        .delete(&id)
        .await?
        .ok_or_else(not_found)?;
    for key in keys {
        state.blobs.delete(&key).await?;
    }
    audit(&state, &session, now_ms(), "draft.delete", &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A draft file's bytes, to reopen the draft in 新規作成 on any terminal.
#[utoipa::path(
    get,
    path = "/v1/drafts/{id}/files/{file_id}/content",
    operation_id = "draft_file_content",
    tag = "drafts",
    security(("session" = [])),
    params(("id" = String, Path, description = "下書きの id"), ("file_id" = String, Path, description = "ファイルの id")),
    responses(
        (status = 200, description = "ファイルの中身（X-Content-SHA256 に SHA-256）", content_type = "application/octet-stream", body = Vec<u8>,
         headers(("x-content-sha256" = String, description = "中身の SHA-256（16進）"))),
        (status = "default", description = "拒否（ない下書きやファイル）", body = ApiError),
    )
)]
pub async fn file_content(
    State(state): State<AppState>,
    session: Session,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, RelayError> {
    let file = state
        .store
        .drafts(session.office())
        .files(&id)
        .await?
        .into_iter()
        .find(|f| f.id == file_id)
        .ok_or_else(not_found)?;
    let bytes = state.blobs.read(&file.blob_key).await?;
    crate::api::files::file_response(bytes, &file.name, &file.sha256)
}

/// Sends a draft as it is saved; the draft is removed in the same transaction as the message.
#[utoipa::path(
    post,
    path = "/v1/drafts/{id}/send",
    operation_id = "draft_send",
    tag = "drafts",
    security(("session" = [])),
    params(("id" = String, Path, description = "下書きの id")),
    responses(
        (status = 201, description = "保存したとおりに送信し、下書きを削除しました", body = SendResponse),
        (status = "default", description = "拒否（ない下書き、送信先なし、ファイルの誤り …）", body = ApiError),
    )
)]
pub async fn send(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<SendResponse>), RelayError> {
    let drafts = state.store.drafts(session.office());
    let key = format!("draft:{id}");
    let Some(row) = drafts.get(&id).await? else {
        // This terminal's retry whose first attempt went through (its answer was lost): the same
        // message again. Sent from another terminal: said so, not answered as if sent from here.
        let mailbox = state.store.mailbox(session.office());
        if let Some(sent) = mailbox
            .sent_with_key_from(&key, &session.row.terminal_name)
            .await?
        {
            let summary = crate::api::messages::summaries(
                &state,
                session.office(),
                vec![sent],
                MailboxKind::Outbox,
            )
            .await?
            .remove(0);
            return Ok((
                StatusCode::OK,
                Json(SendResponse {
                    message: summary,
                    warnings: Vec::new(),
                }),
            ));
        }
        return match mailbox.sent_with_key(&key).await? {
            Some(_) => Err(crate::delivery::draft_already_sent()),
            None => Err(not_found()),
        };
    };
    if row.receiver_office.is_empty() {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "draft.no_destination",
            "この下書きには送信先が設定されていません。新規作成で開き、送信先を選んでから送信してください。",
        ));
    }
    let mut uploads = Vec::new();
    for file in drafts.files(&id).await? {
        let bytes = state.blobs.read(&file.blob_key).await?;
        uploads.push(Upload {
            name: file.name,
            bytes,
        });
    }
    // The draft's id keys the send, so a retried "send draft" never sends twice.
    let digest = send_digest(&row.receiver_office, &row.message, Some(&id), &uploads);
    let outgoing = Outgoing {
        to: &row.receiver_office,
        message: &row.message,
        uploads,
        idempotency: Some(Idempotency { key, digest }),
        from_draft: Some(id),
    };
    let (message, warnings) = match deliver(&state, &Sender::of_session(&session), outgoing).await?
    {
        Delivered::New { message, warnings } => (message, warnings),
        Delivered::Replayed(message) => (message, Vec::new()),
    };
    let summary = crate::api::messages::summaries(
        &state,
        session.office(),
        vec![message],
        MailboxKind::Outbox,
    )
    .await?
    .remove(0);
    Ok((
        StatusCode::CREATED,
        Json(SendResponse {
            message: summary,
            warnings,
        }),
    ))
}

async fn audit(
    state: &AppState,
    session: &Session,
    at: i64,
    action: &str,
    draft_id: &str,
) -> Result<(), RelayError> {
    state
        .store
        .audit()
        .write(&AuditEntry {
            at,
            office: Some(session.office_number()),
            actor: &session.row.personal_user_id,
            action,
            detail: draft_id,
        })
        .await
}
