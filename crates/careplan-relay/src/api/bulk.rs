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
use crate::api::intake::{self, BodyCap, IntakeRules};
use crate::delivery::{deliver, Delivered, Idempotency, Outgoing, RequestDigest, Sender, Upload};
use crate::error::RelayError;
use crate::store::MailboxKind;
use crate::AppState;

pub(crate) fn bulk_cap(limits: &crate::Limits) -> BodyCap {
    IntakeRules::bulk(limits).cap()
}

/// What a bulk send asks of one destination: its 事業所番号, its メッセージ and its files (each
/// file's name and SHA-256), in order. Each destination's message keeps its own, under
/// `<key>:<事業所番号>`: a retry of only the destinations that failed, under the plan's key, is the
/// same request for each of them, while another request for a destination already stored under the
/// key is refused.
fn destination_digest(to: &str, message: &str, uploads: &[Upload]) -> String {
    let mut digest = RequestDigest::new("bulk destination v1");
    digest.field(to.as_bytes()).field(message.as_bytes());
    for upload in uploads {
        digest.file(upload);
    }
    digest.finish()
}

#[utoipa::path(
    post,
    path = "/v1/bulk",
    operation_id = "bulk_send",
    tag = "exchange",
    security(("session" = [])),
    params(("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 100, description = "1～100文字。同じキーの再送は同じ内容のときだけ受け付けます（内容が違えば 409）")),
    request_body(content = crate::api::openapi::BulkForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "送信先ごとの結果（1つの送信先の失敗はほかを止めません）", body = BulkResponse),
        (status = "default", description = "拒否（ファイルがない、大きさ、キーの再利用 …）", body = ApiError),
    )
)]
pub async fn bulk(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Json<BulkResponse>, RelayError> {
    let idempotency_key = crate::api::messages::idempotency_key(&headers)?;
    let intake = intake::read(&state.uploads, multipart, &IntakeRules::bulk(&state.limits)).await?;
    let _hold = intake.hold;
    let manifest: BulkManifest = match &intake.manifest {
        Some(text) => serde_json::from_str(text).map_err(|_| {
            RelayError::bad_request("send.malformed", "メッセージの指定が正しくありません。")
        })?,
        None => BulkManifest::default(),
    };
    if intake.files.is_empty() {
        return Err(RelayError::bad_request(
            "send.no_files",
            "送信するファイルがありません。ファイルを選んでから送信してください。",
        ));
    }
    let files: Vec<(Option<String>, Upload)> = intake
        .files
        .into_iter()
        .map(|(part, upload)| {
            let destination = part.strip_prefix("attachment.").map(str::to_owned);
            (destination, upload)
        })
        .collect();
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

    // Every destination's request against what its key stored, before anything is sent.
    let digests: BTreeMap<String, String> = routed
        .iter()
        .map(|(to, uploads)| {
            let message = manifest.messages.get(to).map(String::as_str).unwrap_or("");
            (to.clone(), destination_digest(to, message, uploads))
        })
        .collect();
    if let Some(key) = &idempotency_key {
        let mailbox = state.store.mailbox(session.office());
        for (to, digest) in &digests {
            if let Some(earlier) = mailbox.sent_with_key(&format!("{key}:{to}")).await? {
                crate::delivery::replayable(earlier, digest)?;
            }
        }
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
        let idempotency = idempotency_key.as_ref().map(|k| Idempotency {
            key: format!("{k}:{to}"),
            digest: digests[&to].clone(),
        });
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
                idempotency,
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
