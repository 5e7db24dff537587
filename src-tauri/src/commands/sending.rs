//! 送信 (新規作成) and 一括送信, with progress as `transfer-progress` events.

use careplan_api::{BulkResponse, EarlierSend, MessageSummary, SendResponse};
use careplan_client::sent_copies::{SentBytes, SentCopies, KEEP_FOR};
use careplan_client::{BulkExtras, LocalFile};
use tauri::{AppHandle, Runtime, State};

use crate::commands::{blocking, file_names, progress_events, read_files};
use crate::error::CommandResult;
use crate::logs::logged;
use crate::state::AppState;
use crate::views::BulkEdit;

/// 送信 from 新規作成. `from_draft` names the draft the screen was opened from: the relay removes it
/// in the same transaction as the message, so it can never be sent twice. `send_key` is the screen's
/// key for the message it composes, kept until the relay has answered: 送信 pressed again after a
/// lost answer gets the stored message back instead of sending it twice.
#[tauri::command]
#[tracing::instrument(skip_all, fields(to = %to, count = paths.len()))]
pub async fn send_files<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    to: String,
    message: String,
    paths: Vec<String>,
    from_draft: Option<String>,
    send_key: Option<String>,
) -> CommandResult<SendResponse> {
    logged(async {
        let client = state.client()?;
        let copies = state.sent_copies();
        let files = read_files(&paths).await?;
        tracing::info!(files = ?file_names(&paths), bytes = total_bytes(&files), from_draft = from_draft.is_some(), keyed = send_key.is_some(), "sending");
        let progress = progress_events(&app, "send");
        let sent = match (send_key, from_draft) {
            (Some(key), draft) => {
                client
                    .send_keyed(&key, &to, &message, draft.as_deref(), &files, progress)
                    .await?
            }
            (None, Some(draft)) => {
                client
                    .send_from_draft(&draft, &to, &message, &files, progress)
                    .await?
            }
            (None, None) => client.send(&to, &message, &files, progress).await?,
        };
        tracing::info!(message_id = %sent.message.id, "sent");
        keep_copies(copies, vec![sent.message.clone()], files).await;
        Ok(sent)
    })
    .await
}

/// 一括送信: the files go to the destinations in their names; `edits` add a メッセージ and
/// attachments per destination; a draft switched here (`from_draft`) goes with its destination.
/// `plan_key` is the plan's own key, made when the plan was shown and kept for its retries: the
/// relay keys each destination `<plan_key>:<事業所番号>`, so 「失敗した送信先だけ再送信」 (or any
/// retry after a lost answer) stores each destination once.
#[tauri::command]
#[tracing::instrument(skip_all, fields(count = paths.len()))]
pub async fn bulk_send<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    paths: Vec<String>,
    edits: Vec<BulkEdit>,
    from_draft: Option<String>,
    plan_key: Option<String>,
) -> CommandResult<BulkResponse> {
    logged(async {
        let client = state.client()?;
        let copies = state.sent_copies();
        let files = read_files(&paths).await?;
        let mut extras = BulkExtras {
            from_draft,
            plan_key,
            ..BulkExtras::default()
        };
        for edit in edits {
            if !edit.message.is_empty() {
                extras
                    .messages
                    .insert(edit.office_number.clone(), edit.message);
            }
            if !edit.attachment_paths.is_empty() {
                tracing::info!(to = %edit.office_number, attachments = ?file_names(&edit.attachment_paths), "attached");
                extras.attachments.insert(
                    edit.office_number,
                    read_files(&edit.attachment_paths).await?,
                );
            }
        }
        let bytes = total_bytes(&files) + extras.attachments.values().map(|f| total_bytes(f)).sum::<u64>();
        tracing::info!(files = ?file_names(&paths), bytes, "sending");
        let response = client
            .bulk_send(&files, &extras, progress_events(&app, "bulk_send"))
            .await?;
        let mut sent_files = files;
        sent_files.extend(extras.attachments.into_values().flatten());
        let sent: Vec<MessageSummary> = response
            .results
            .iter()
            .filter_map(|r| r.message.clone())
            .collect();
        keep_copies(copies, sent, sent_files).await;
        for result in &response.results {
            match &result.error {
                None => tracing::info!(to = result.to.as_deref(), files = ?result.files, "sent"),
                Some(error) => tracing::warn!(
                    to = result.to.as_deref(),
                    files = ?result.files,
                    code = %error.code,
                    "refused"
                ),
            }
        }
        Ok(response)
    })
    .await
}

/// Which of these contents (hex SHA-256, as check_files answers them) this office already sent to
/// `to`, each with its latest send: 送信's confirmation warns with the date.
#[tauri::command]
#[tracing::instrument(skip_all, fields(to = %to, count = sha256.len()))]
pub async fn earlier_sends(
    state: State<'_, AppState>,
    to: String,
    sha256: Vec<String>,
) -> CommandResult<Vec<EarlierSend>> {
    logged(async {
        let found = state.client()?.earlier_sends(&to, &sha256).await?;
        tracing::info!(found = found.len(), "earlier sends");
        Ok(found)
    })
    .await
}

/// Keeps this PC's copy of what was sent, for 送信一覧's 内容を見る (each message's files, found
/// among `files` by their SHA-256, hashed once), and lets copies past their keeping period go.
/// `copies` are the office's as it was when the send began. The send has happened: a copy that
/// cannot be written is logged, never a failure of the send.
pub(crate) async fn keep_copies(
    copies: Option<SentCopies>,
    messages: Vec<MessageSummary>,
    files: Vec<LocalFile>,
) {
    let Some(copies) = copies else {
        return;
    };
    let kept = blocking(move || {
        let bytes = SentBytes::of(&files);
        for message in &messages {
            match copies.keep(message, &bytes) {
                Ok(kept) => tracing::info!(message_id = %message.id, kept, "sent copy kept"),
                Err(e) => {
                    tracing::warn!(message_id = %message.id, error = %e, "sent copy not kept")
                }
            }
        }
        Ok(copies.prune(KEEP_FOR))
    })
    .await;
    match kept {
        Ok(0) => {}
        Ok(pruned) => tracing::info!(pruned, "old sent copies removed"),
        Err(e) => tracing::warn!(code = %e.0.code, "sent copies not kept"),
    }
}

fn total_bytes(files: &[LocalFile]) -> u64 {
    files.iter().map(|f| f.bytes.len() as u64).sum()
}
