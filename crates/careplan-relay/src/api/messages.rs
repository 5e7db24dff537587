//! 新規作成 (send to one office), 受信一覧 and 送信一覧.

use std::collections::HashMap;

use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use careplan_api::{
    ApiError, FileEntry, MessagePage, MessageSummary, MessageUnit, Person, SendManifest,
    SendResponse,
};
use serde::Deserialize;

use crate::access::{OfficeScope, Session};
use crate::api::intake::{self, BodyCap, BudgetHold, IntakeRules};
use crate::clock::rfc3339;
use crate::delivery::{
    category_from_text, deliver, replayable, send_digest, Delivered, Idempotency, Outgoing, Sender,
    Upload,
};
use crate::error::RelayError;
use crate::store::{FileRow, MailboxKind, MessageRow, UnitRow};
use crate::AppState;

/// The body cap of a send and of a draft (a draft is a send not yet sent).
pub(crate) fn send_cap(limits: &crate::Limits) -> BodyCap {
    IntakeRules::send(limits).cap()
}

/// A send's upload: one `manifest` part (JSON) and `file` parts; answers the manifest, the files
/// and the share of the upload budget they hold.
pub(crate) async fn read_send(
    state: &AppState,
    multipart: Multipart,
) -> Result<(SendManifest, Vec<Upload>, BudgetHold), RelayError> {
    let intake = intake::read(&state.uploads, multipart, &IntakeRules::send(&state.limits)).await?;
    let text = intake
        .manifest
        .ok_or_else(|| RelayError::bad_request("send.malformed", "送信先が指定されていません。"))?;
    let manifest = serde_json::from_str::<SendManifest>(&text).map_err(|_| {
        RelayError::bad_request("send.malformed", "送信先の指定が正しくありません。")
    })?;
    let uploads = intake.files.into_iter().map(|(_, upload)| upload).collect();
    Ok((manifest, uploads, intake.hold))
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
    let sent_at: HashMap<&str, i64> = rows.iter().map(|m| (m.id.as_str(), m.sent_at)).collect();
    let retention = state.limits.retention;
    for f in state.store.mailbox(office).files_of(&ids).await? {
        let expires_at = sent_at
            .get(f.message_id.as_str())
            .map(|at| retention.content_expires_at(*at));
        files
            .entry(f.message_id.clone())
            .or_default()
            .push(file_entry(f, expires_at));
    }
    let mut units: HashMap<String, Vec<MessageUnit>> = HashMap::new();
    for (message_id, unit) in state.store.mailbox(office).units_of(&ids).await? {
        units
            .entry(message_id)
            .or_default()
            .push(message_unit(unit));
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
            units: units.remove(&m.id).unwrap_or_default(),
            id: m.id,
            sent_at: rfc3339(m.sent_at),
            message: m.message,
            counterpart: offices[&number].clone(),
        });
    }
    Ok(out)
}

/// A unit as lists show it: each 利用者 by name, or by 保険者番号 and 被保険者番号 (the same words as
/// the desktop's own check of a file).
fn message_unit(unit: UnitRow) -> MessageUnit {
    MessageUnit {
        serial: unit.serial,
        title: unit.title,
        people: unit
            .people
            .iter()
            .map(|p| careplan_records::Person::new(&p.insurer, &p.insured, p.name.as_deref()).label)
            .collect(),
    }
}

/// A person of the office by ID, with the name its administrator gave it.
pub fn person(names: &HashMap<String, String>, id: &str) -> Person {
    Person {
        id: id.to_owned(),
        name: names.get(id).cloned().unwrap_or_default(),
    }
}

/// A file as the lists show it; `expires_at`: when its content goes if it is still 未 then.
pub fn file_entry(f: FileRow, expires_at: Option<i64>) -> FileEntry {
    let waiting = f.fetched_at.is_none() && f.content_purged_at.is_none();
    FileEntry {
        expires_at: expires_at.filter(|_| waiting).map(rfc3339),
        expired_at: f.content_purged_at.map(rfc3339),
        id: f.id,
        name: f.name,
        category: category_from_text(&f.category),
        csv_version: f.csv_version,
        size: f.size as u64,
        sha256: f.sha256,
        fetched_at: f.fetched_at.map(rfc3339),
    }
}

#[utoipa::path(
    post,
    path = "/v1/messages",
    operation_id = "send",
    tag = "exchange",
    security(("session" = [])),
    params(("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 100, description = "1～100文字。同じキーの再送は同じ内容のときだけ最初のメッセージで答えます（内容が違えば 409）")),
    request_body(content = crate::api::openapi::SendForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "送信しました", body = SendResponse),
        (status = 200, description = "同じキー・同じ内容の再送: 最初の送信のメッセージ", body = SendResponse),
        (status = "default", description = "拒否（ファイルの誤り、送信先、大きさ、キーの再利用 …）", body = ApiError),
    )
)]
pub async fn send(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<(StatusCode, Json<SendResponse>), RelayError> {
    let key = idempotency_key(&headers)?;
    let (manifest, uploads, _hold) = read_send(&state, multipart).await?;
    let digest = send_digest(
        &manifest.to,
        &manifest.message,
        manifest.from_draft.as_deref(),
        &uploads,
    );
    if let Some(key) = &key {
        if let Some(earlier) = state
            .store
            .mailbox(session.office())
            .sent_with_key(key)
            .await?
        {
            return replay(&state, session.office(), replayable(earlier, &digest)?).await;
        }
    }
    let outgoing = Outgoing {
        to: &manifest.to,
        message: &manifest.message,
        uploads,
        idempotency: key.map(|key| Idempotency { key, digest }),
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

/// `?page=&per_page=`: pages from 1, 1 to 200 messages a page (default 50).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    #[param(minimum = 1, maximum = 1000000)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u32>,
}

/// Far past any office's lists (200 a page), small enough for any integer type a client has.
const MAX_PAGE: u32 = 1_000_000;

async fn page(
    state: AppState,
    session: Session,
    query: PageQuery,
    kind: MailboxKind,
) -> Result<Json<MessagePage>, RelayError> {
    let per_page = query.per_page.unwrap_or(50);
    let page = query.page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) || !(1..=200).contains(&per_page) {
        return Err(RelayError::bad_request(
            "list.bad_page",
            "ページは1～1000000、1ページの件数は1～200件で指定してください。",
        ));
    }
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

#[utoipa::path(
    get,
    path = "/v1/inbox",
    operation_id = "inbox",
    tag = "exchange",
    security(("session" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "受信一覧（新しい順）", body = MessagePage),
        (status = "default", description = "拒否", body = ApiError),
    )
)]
pub async fn inbox(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<PageQuery>,
) -> Result<Json<MessagePage>, RelayError> {
    page(state, session, query, MailboxKind::Inbox).await
}

#[utoipa::path(
    get,
    path = "/v1/outbox",
    operation_id = "outbox",
    tag = "exchange",
    security(("session" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "送信一覧（新しい順）", body = MessagePage),
        (status = "default", description = "拒否", body = ApiError),
    )
)]
pub async fn outbox(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<PageQuery>,
) -> Result<Json<MessagePage>, RelayError> {
    page(state, session, query, MailboxKind::Outbox).await
}
