//! 新規作成 (send to one office), 受信一覧 and 送信一覧.

use std::collections::HashMap;

use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use bytes::Bytes;
use careplan_api::{
    ApiDiagnostic, FileCategory, FileEntry, MessagePage, MessageSummary, SendManifest, SendResponse,
};
use careplan_spec::{validate, FileName, InputFile};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::auth::Session;
use crate::clock::{now_ms, rfc3339};
use crate::error::RelayError;
use crate::store::{FileRow, MessageRow, NewMessage};
use crate::AppState;

fn new_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

fn bad_request(code: &'static str, message: impl Into<String>) -> RelayError {
    RelayError::api(StatusCode::BAD_REQUEST, code, message)
}

/// A file as received in a send.
struct Upload {
    name: String,
    bytes: Bytes,
}

/// Reads the multipart body: one `manifest` part (JSON) and `file` parts.
async fn read_send(
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
                return Err(bad_request(
                    "send.malformed",
                    "送信データの形が正しくありません。もう一度送信してください。",
                ))
            }
        };
        match field.name() {
            Some("manifest") => {
                let text = field.text().await.map_err(|_| {
                    bad_request("send.malformed", "送信データの形が正しくありません。")
                })?;
                manifest = Some(serde_json::from_str::<SendManifest>(&text).map_err(|_| {
                    bad_request("send.malformed", "送信先の指定が正しくありません。")
                })?);
            }
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                if name.is_empty()
                    || name.contains(['/', '\\'])
                    || name.chars().any(char::is_control)
                    || name.chars().count() > 200
                {
                    return Err(bad_request(
                        "send.bad_file_name",
                        format!("ファイル名「{name}」は使えません。"),
                    ));
                }
                let bytes = field.bytes().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        too_large()
                    } else {
                        bad_request(
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
                    return Err(bad_request(
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
    let manifest =
        manifest.ok_or_else(|| bad_request("send.malformed", "送信先が指定されていません。"))?;
    if uploads.is_empty() {
        return Err(bad_request(
            "send.no_files",
            "送信するファイルがありません。ファイルを選んでから送信してください。",
        ));
    }
    Ok((manifest, uploads))
}

fn category_of(name: &str) -> (FileCategory, Option<FileName>) {
    match FileName::parse(name) {
        Ok(parsed) if parsed.kind.is_image() => (FileCategory::Attachment, Some(parsed)),
        Ok(parsed) if parsed.kind.is_deletion() => (FileCategory::Delete, Some(parsed)),
        Ok(parsed) => (FileCategory::Register, Some(parsed)),
        Err(_) => (FileCategory::Attachment, None),
    }
}

fn category_text(category: FileCategory) -> &'static str {
    match category {
        FileCategory::Register => "register",
        FileCategory::Delete => "delete",
        FileCategory::Attachment => "attachment",
    }
}

fn category_from(text: &str) -> FileCategory {
    match text {
        "register" => FileCategory::Register,
        "delete" => FileCategory::Delete,
        _ => FileCategory::Attachment,
    }
}

/// Builds the summaries of a page of messages, with the counterpart office of each.
pub async fn summaries(
    state: &AppState,
    rows: Vec<MessageRow>,
    inbox: bool,
) -> Result<Vec<MessageSummary>, RelayError> {
    let ids: Vec<String> = rows.iter().map(|m| m.id.clone()).collect();
    let mut files: HashMap<String, Vec<FileEntry>> = HashMap::new();
    for f in state.store.files_of(&ids).await? {
        files
            .entry(f.message_id.clone())
            .or_default()
            .push(file_entry(f));
    }
    let mut offices = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let number = if inbox {
            m.sender_office.clone()
        } else {
            m.receiver_office.clone()
        };
        if !offices.contains_key(&number) {
            let row = state
                .store
                .office(&number)
                .await?
                .ok_or_else(|| RelayError::Internal("message from an unknown office".into()))?;
            offices.insert(
                number.clone(),
                crate::api::home::office_dto(state, row).await?,
            );
        }
        out.push(MessageSummary {
            files: files.remove(&m.id).unwrap_or_default(),
            id: m.id,
            sent_at: rfc3339(m.sent_at),
            message: m.message,
            counterpart: offices[&number].clone(),
        });
    }
    Ok(out)
}

pub fn file_entry(f: FileRow) -> FileEntry {
    FileEntry {
        id: f.id,
        name: f.name,
        category: category_from(&f.category),
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
    let own = session.office().to_owned();
    let idempotency_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(key) = &idempotency_key {
        if key.is_empty() || key.len() > 100 {
            return Err(bad_request(
                "send.idempotency_key",
                "Idempotency-Key は1～100文字で指定してください。",
            ));
        }
        if let Some(earlier) = state.store.message_by_idempotency_key(&own, key).await? {
            return replay(&state, earlier).await;
        }
    }
    let (manifest, uploads) = read_send(&state, multipart).await?;

    // The destination: a registered office other than one's own.
    let to = manifest.to.trim().to_owned();
    if to == own {
        return Err(bad_request(
            "send.own_office",
            "自分の事業所には送信できません。送信先の事業所番号を確認してください。",
        ));
    }
    if state.store.office(&to).await?.is_none() {
        return Err(RelayError::api(
            StatusCode::NOT_FOUND,
            "send.unknown_destination",
            format!("事業所番号 {to} の事業所は、ケアプランデータ連携システムに登録されていません。番号を確認してください。"),
        ));
    }
    if manifest.message.chars().count() > state.limits.max_message_chars {
        return Err(bad_request(
            "send.message_too_long",
            format!(
                "メッセージは {} 文字までです。",
                state.limits.max_message_chars
            ),
        ));
    }

    // The standard: names, contents, send units, attachments.
    let inputs: Vec<InputFile<'_>> = uploads
        .iter()
        .map(|u| InputFile {
            name: &u.name,
            bytes: &u.bytes,
        })
        .collect();
    let report = validate(&inputs);
    if !report.ok {
        return Err(RelayError::Api {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "send.invalid_files",
            message: format!("送信するファイルに、標準仕様に合わない点が {} 件あります。各ファイルの内容を直してから送信してください。", report.error_count()),
            diagnostics: report.diagnostics().map(ApiDiagnostic::from).collect(),
        });
    }
    // Every standard file goes from this office to the chosen destination.
    for upload in &uploads {
        if let (_, Some(name)) = category_of(&upload.name) {
            if name.sender.office.as_str() != own {
                return Err(RelayError::api(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "send.sender_mismatch",
                    format!("「{}」の送信元の事業所番号（{}）が、ログインしている事業所（{own}）と違います。自分の事業所のファイルだけを送れます。", upload.name, name.sender.office),
                ));
            }
            if name.receiver.office.as_str() != to {
                return Err(RelayError::api(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "send.destination_mismatch",
                    format!("「{}」の送信先の事業所番号（{}）が、選んだ送信先（{to}）と違います。送信先を確認するか、一括送信を使ってください。", upload.name, name.receiver.office),
                ));
            }
        }
    }
    let warnings: Vec<ApiDiagnostic> = report.diagnostics().map(ApiDiagnostic::from).collect();
    let versions: HashMap<&str, Option<String>> = report
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.csv_version.clone()))
        .collect();

    // Durable before visible: every blob written (create-only, synced), then one transaction.
    let now = now_ms();
    let message_id = new_id();
    let mut files = Vec::with_capacity(uploads.len());
    for (position, upload) in uploads.iter().enumerate() {
        let file_id = new_id();
        let blob_key = format!("messages/{message_id}/{file_id}");
        state.blobs.put_new(&blob_key, upload.bytes.clone()).await?;
        files.push(FileRow {
            id: file_id,
            message_id: message_id.clone(),
            position: position as i64,
            name: upload.name.clone(),
            category: category_text(category_of(&upload.name).0).to_owned(),
            csv_version: versions.get(upload.name.as_str()).cloned().flatten(),
            size: upload.bytes.len() as i64,
            sha256: hex::encode(Sha256::digest(&upload.bytes)),
            blob_key,
            fetched_at: None,
        });
    }
    let message = MessageRow {
        id: message_id,
        sender_office: own.clone(),
        receiver_office: to.clone(),
        message: manifest.message,
        sent_at: now,
    };
    let new = NewMessage {
        message: message.clone(),
        sender_terminal: session.row.terminal_name.clone(),
        idempotency_key: idempotency_key.clone(),
        files,
    };
    if !state.store.insert_message(&new).await? {
        // A concurrent retry with the same key won: drop our blobs, answer with its message.
        for f in &new.files {
            state.blobs.delete(&f.blob_key).await?;
        }
        let key = idempotency_key.unwrap_or_default();
        let earlier = state
            .store
            .message_by_idempotency_key(&own, &key)
            .await?
            .ok_or_else(|| RelayError::Internal("idempotent message vanished".into()))?;
        return replay(&state, earlier).await;
    }
    state
        .store
        .audit(
            now,
            Some(&own),
            &session.row.personal_user_id,
            "send",
            &format!("{} → {to}: {} files", message.id, new.files.len()),
        )
        .await?;
    let summary = summaries(&state, vec![message], false).await?.remove(0);
    Ok((
        StatusCode::CREATED,
        Json(SendResponse {
            message: summary,
            warnings,
        }),
    ))
}

/// The answer to a retried send: the message the first attempt stored.
async fn replay(
    state: &AppState,
    earlier: MessageRow,
) -> Result<(StatusCode, Json<SendResponse>), RelayError> {
    let summary = summaries(state, vec![earlier], false).await?.remove(0);
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
    inbox: bool,
) -> Result<Json<MessagePage>, RelayError> {
    let per_page = query.per_page.unwrap_or(50).clamp(1, 200);
    let page = query.page.unwrap_or(1).max(1);
    let offset = i64::from(page - 1) * i64::from(per_page);
    let (rows, total) = state
        .store
        .messages_page(session.office(), inbox, offset, i64::from(per_page))
        .await?;
    Ok(Json(MessagePage {
        items: summaries(&state, rows, inbox).await?,
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
    page(state, session, query, true).await
}

pub async fn outbox(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<PageQuery>,
) -> Result<Json<MessagePage>, RelayError> {
    page(state, session, query, false).await
}
