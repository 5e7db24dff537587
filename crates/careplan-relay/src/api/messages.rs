//! 新規作成 (send to one office), 受信一覧 and 送信一覧.

use std::collections::HashMap;

use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use careplan_api::{FileEntry, MessagePage, MessageSummary, Person, SendManifest, SendResponse};
use serde::Deserialize;

use crate::access::{OfficeScope, Session};
use crate::clock::rfc3339;
use crate::delivery::{
    category_from_text, checked_file_name, deliver, Delivered, Outgoing, Sender, Upload,
};
use crate::error::RelayError;
use crate::store::{FileRow, MailboxKind, MessageRow};
use crate::AppState;

/// Reads the multipart body: one `manifest` part (JSON) and `file` parts.
pub(crate) async fn read_send(
    state: &AppState,
    mut multipart: Multipart,
) -> Result<(SendManifest, Vec<Upload>), RelayError> {
    let too_large = || {
        RelayError::api(
            StatusCode::PAYLOAD_TOO_LARGE,
            "send.too_large",
            format!(
                "1回に送れるのは合計 {} MB までです。ファイルを分けて送ってください。",
                state.limits.max_send_bytes / 1_000_000
            ),
        )
    };
    let mut manifest = None;
    let mut uploads: Vec<Upload> = Vec::new();
    let mut total = 0usize;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => {
                return Err(RelayError::bad_request(
                    "send.malformed",
                    "送信データの形が正しくありません。もう一度送信してください。",
                ))
            }
        };
        match field.name() {
            Some("manifest") => {
                let text = field.text().await.map_err(|_| {
                    RelayError::bad_request("send.malformed", "送信データの形が正しくありません。")
                })?;
                manifest = Some(serde_json::from_str::<SendManifest>(&text).map_err(|_| {
                    RelayError::bad_request("send.malformed", "送信先の指定が正しくありません。")
                })?);
            }
            Some("file") => {
                let name = checked_file_name(field.file_name().unwrap_or_default())?;
                let bytes = field.bytes().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        too_large()
                    } else {
                        RelayError::bad_request(
                            "send.malformed",
                            "ファイルを受け取れませんでした。もう一度送信してください。",
                        )
                    }
                })?;
                total += bytes.len();
                if total > state.limits.max_send_bytes {
                    return Err(too_large());
                }
                uploads.push(Upload { name, bytes });
                if uploads.len() > state.limits.max_send_files {
                    return Err(RelayError::bad_request(
                        "send.too_many_files",
                        format!(
                            "1回に送れるファイルは {} 個までです。送信を分けてください。",
                            state.limits.max_send_files
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    let manifest = manifest
        .ok_or_else(|| RelayError::bad_request("send.malformed", "送信先が指定されていません。"))?;
    Ok((manifest, uploads))
}

/// Builds the summaries of a page of the office's messages, with the counterpart office of each.
pub async fn summaries(
    state: &AppState,
    office: &OfficeScope,
    rows: Vec<MessageRow>,
    kind: MailboxKind,
) -> Result<Vec<MessageSummary>, RelayError> {
    let ids: Vec<String> = rows.iter().map(|m| m.id.clone()).collect();
    let mut files: HashMap<String, Vec<FileEntry>> = HashMap::new();
    for f in state.store.mailbox(office).files_of(&ids).await? {
        files
            .entry(f.message_id.clone())
            .or_default()
            .push(file_entry(f));
    }
    // Who of this office sent each message: its own staff's names, for 送信一覧 only.
    let names = match kind {
        MailboxKind::Outbox => state.store.staff(office).names().await?,
        MailboxKind::Inbox => HashMap::new(),
    };
    let mut offices = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let number = match kind {
            MailboxKind::Inbox => m.sender_office.clone(),
            MailboxKind::Outbox => m.receiver_office.clone(),
        };
        if !offices.contains_key(&number) {
            let row = state
                .store
                .offices()
                .get(&number)
                .await?
                .ok_or_else(|| RelayError::Internal("message from an unknown office".into()))?;
            offices.insert(
                number.clone(),
                crate::api::home::office_dto(state, row).await?,
            );
        }
        let sent_by = match kind {
            MailboxKind::Outbox => m.sender_person.as_ref().map(|id| person(&names, id)),
            MailboxKind::Inbox => None,
        };
        out.push(MessageSummary {
            sent_by,
            files: files.remove(&m.id).unwrap_or_default(),
            id: m.id,
            sent_at: rfc3339(m.sent_at),
            message: m.message,
            counterpart: offices[&number].clone(),
        });
    }
    Ok(out)
}

/// A person of the office by ID, with the name its administrator gave it.
pub fn person(names: &HashMap<String, String>, id: &str) -> Person {
    Person {
        id: id.to_owned(),
        name: names.get(id).cloned().unwrap_or_default(),
    }
}

pub fn file_entry(f: FileRow) -> FileEntry {
    FileEntry {
        id: f.id,
        name: f.name,
        category: category_from_text(&f.category),
        csv_version: f.csv_version,
        size: f.size as u64,
        sha256: f.sha256,
        fetched_at: f.fetched_at.map(rfc3339),
    }
}

pub async fn send(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<(StatusCode, Json<SendResponse>), RelayError> {
    let idempotency_key = idempotency_key(&headers)?;
    if let Some(key) = &idempotency_key {
        if let Some(earlier) = state
            .store
            .mailbox(session.office())
            .sent_with_key(key)
            .await?
        {
            return replay(&state, session.office(), earlier).await;
        }
    }
    let (manifest, uploads) = read_send(&state, multipart).await?;
    let outgoing = Outgoing {
        to: &manifest.to,
        message: &manifest.message,
        uploads,
        idempotency_key,
        from_draft: manifest.from_draft.clone(),
    };
    match deliver(&state, &Sender::of_session(&session), outgoing).await? {
        Delivered::New { message, warnings } => {
            let summary = summaries(&state, session.office(), vec![message], MailboxKind::Outbox)
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
        Delivered::Replayed(earlier) => replay(&state, session.office(), earlier).await,
    }
}

/// The `Idempotency-Key` header, if sent: 1 to 100 characters.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, RelayError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if !key.is_empty() && key.len() <= 100 => Ok(Some(key.to_owned())),
        _ => Err(RelayError::bad_request(
            "send.idempotency_key",
            "Idempotency-Key は1～100文字で指定してください。",
        )),
    }
}

/// The answer to a retried send: the message the first attempt stored.
async fn replay(
    state: &AppState,
    office: &OfficeScope,
    earlier: MessageRow,
) -> Result<(StatusCode, Json<SendResponse>), RelayError> {
    let summary = summaries(state, office, vec![earlier], MailboxKind::Outbox)
        .await?
        .remove(0);
    Ok((
        StatusCode::OK,
        Json(SendResponse {
            message: summary,
            warnings: Vec::new(),
        }),
    ))
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

async fn page(
    state: AppState,
    session: Session,
    query: PageQuery,
    kind: MailboxKind,
) -> Result<Json<MessagePage>, RelayError> {
    let per_page = query.per_page.unwrap_or(50).clamp(1, 200);
    let page = query.page.unwrap_or(1).max(1);
    let offset = i64::from(page - 1) * i64::from(per_page);
    let (rows, total) = state
        .store
        .mailbox(session.office())
        .page(kind, offset, i64::from(per_page))
        .await?;
    Ok(Json(MessagePage {
        items: summaries(&state, session.office(), rows, kind).await?,
        total: total as u64,
        page,
        per_page,
    }))
}

pub async fn inbox(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<PageQuery>,
) -> Result<Json<MessagePage>, RelayError> {
    page(state, session, query, MailboxKind::Inbox).await
}

pub async fn outbox(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<PageQuery>,
) -> Result<Json<MessagePage>, RelayError> {
    page(state, session, query, MailboxKind::Outbox).await
}
