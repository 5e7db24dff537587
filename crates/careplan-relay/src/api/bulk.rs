//! 一括送信: files for many offices in one request, routed by the destination office number in each
//! standard file name. Each destination is its own send with its own result; one that fails does not
//! stop the others.

use std::collections::BTreeMap;

use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use careplan_api::{ApiError, BulkManifest, BulkResponse, BulkResult};
use careplan_spec::FileName;

use crate::access::Session;
use crate::delivery::{checked_file_name, deliver, Delivered, Outgoing, Sender, Upload};
use crate::error::RelayError;
use crate::store::MailboxKind;
use crate::AppState;

/// The parts of a bulk send: standard files (`file`), attachments for one destination
/// (`attachment.<事業所番号>`), and the optional manifest.
async fn read_bulk(
    state: &AppState,
    mut multipart: Multipart,
) -> Result<(BulkManifest, Vec<(Option<String>, Upload)>), RelayError> {
    let mut manifest = BulkManifest::default();
    let mut files = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(RelayError::api(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "bulk.too_large",
                    "一括送信のデータが大きすぎます。送信を分けてください。",
                ))
            }
            Err(_) => {
                return Err(RelayError::bad_request(
                    "send.malformed",
                    "送信データの形が正しくありません。もう一度送信してください。",
                ))
            }
        };
        let part = field.name().unwrap_or_default().to_owned();
        if part == "manifest" {
            let text = field.text().await.map_err(|_| {
                RelayError::bad_request("send.malformed", "送信データの形が正しくありません。")
            })?;
            manifest = serde_json::from_str(&text).map_err(|_| {
                RelayError::bad_request("send.malformed", "メッセージの指定が正しくありません。")
            })?;
            continue;
        }
        let destination = match part.as_str() {
            "file" => None,
            other => match other.strip_prefix("attachment.") {
                Some(office) => Some(office.to_owned()),
                None => continue,
            },
        };
        let name = checked_file_name(field.file_name().unwrap_or_default())?;
        let bytes = field.bytes().await.map_err(|_| {
            RelayError::bad_request(
                "send.malformed",
                "ファイルを受け取れませんでした。もう一度送信してください。",
            )
        })?;
        files.push((destination, Upload { name, bytes }));
        if files.len() > state.limits.max_bulk_files {
            return Err(RelayError::bad_request(
                "bulk.too_many_files",
                format!(
                    "一括送信で送れるファイルは {} 個までです。送信を分けてください。",
                    state.limits.max_bulk_files
                ),
            ));
        }
    }
    if files.is_empty() {
        return Err(RelayError::bad_request(
            "send.no_files",
            "送信するファイルがありません。ファイルを選んでから送信してください。",
        ));
    }
    Ok((manifest, files))
}

pub async fn bulk(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Json<BulkResponse>, RelayError> {
    let idempotency_key = crate::api::messages::idempotency_key(&headers)?;
    let (manifest, files) = read_bulk(&state, multipart).await?;
    // A draft switched to 一括送信 goes with the send to its own destination; one that is gone was
    // sent from another terminal, and sending it again would deliver it twice.
    let draft_destination = match &manifest.from_draft {
        Some(id) => match state.store.drafts(session.office()).get(id).await? {
            Some(draft) => Some(draft.receiver_office),
            None => return Err(crate::delivery::draft_already_sent()),
        },
        None => None,
    };

    // Route: a standard file by the destination in its name; an attachment by its part name.
    let mut routed: BTreeMap<String, Vec<Upload>> = BTreeMap::new();
    let mut unroutable = Vec::new();
    for (destination, upload) in files {
        let to = destination.or_else(|| {
            FileName::parse(&upload.name)
                .ok()
                .map(|n| n.receiver.office.to_string())
        });
        match to {
            Some(to) => routed.entry(to).or_default().push(upload),
            None => unroutable.push(upload.name),
        }
    }
    if routed.len() > state.limits.max_bulk_destinations {
        return Err(RelayError::bad_request(
            "bulk.too_many_destinations",
            format!("一括送信で送れる送信先は {} 事業所までです（今は {} 事業所）。送信を分けてください。", state.limits.max_bulk_destinations, routed.len()),
        ));
    }

    let sender = Sender::of_session(&session);
    let mut results = Vec::with_capacity(routed.len() + 1);
    if !unroutable.is_empty() {
        results.push(BulkResult {
            to: None,
            office_name: None,
            error: Some(ApiError {
                code: "bulk.unroutable".into(),
                message: "標準仕様のファイル名ではないため、送信先の事業所を判断できません。添付ファイルは送信先ごとの「編集」で追加してください。".into(),
                diagnostics: Vec::new(),
                request_id: None,
            }),
            files: unroutable,
            message: None,
        });
    }
    for (to, uploads) in routed {
        let office_name = state.store.offices().get(&to).await?.map(|o| o.name);
        let names: Vec<String> = uploads.iter().map(|u| u.name.clone()).collect();
        let message = manifest.messages.get(&to).cloned().unwrap_or_default();
        let key = idempotency_key.as_ref().map(|k| format!("{k}:{to}"));
        let outcome = if uploads.len() > state.limits.max_send_files {
            Err(RelayError::api(
                StatusCode::BAD_REQUEST,
                "send.too_many_files",
                format!(
                    "1つの送信先に送れるファイルは {} 個までです。",
                    state.limits.max_send_files
                ),
            ))
        } else if uploads.iter().map(|u| u.bytes.len()).sum::<usize>() > state.limits.max_send_bytes
        {
            Err(RelayError::api(
                StatusCode::PAYLOAD_TOO_LARGE,
                "send.too_large",
                format!(
                    "1つの送信先に送れるのは合計 {} MB までです。",
                    state.limits.max_send_bytes / 1_000_000
                ),
            ))
        } else {
            let from_draft = manifest
                .from_draft
                .clone()
                .filter(|_| draft_destination.as_deref() == Some(to.as_str()));
            let outgoing = Outgoing {
                to: &to,
                message: &message,
                uploads,
                idempotency_key: key,
                from_draft,
            };
            deliver(&state, &sender, outgoing).await
        };
        let result = match outcome {
            Ok(Delivered::New { message, .. } | Delivered::Replayed(message)) => {
                let summary = crate::api::messages::summaries(
                    &state,
                    session.office(),
                    vec![message],
                    MailboxKind::Outbox,
                )
                .await?
                .remove(0);
                BulkResult {
                    to: Some(to),
                    office_name,
                    files: names,
                    message: Some(summary),
                    error: None,
                }
            }
            Err(RelayError::Api {
                code,
                message,
                diagnostics,
                ..
            }) => BulkResult {
                to: Some(to),
                office_name,
                files: names,
                message: None,
                error: Some(ApiError {
                    code: code.to_owned(),
                    message,
                    diagnostics,
                    request_id: None,
                }),
            },
            Err(other) => return Err(other),
        };
        results.push(result);
    }
    Ok(Json(BulkResponse { results }))
}
