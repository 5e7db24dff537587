//! 送信 (新規作成) and 一括送信, with progress as `transfer-progress` events.

use careplan_api::{BulkResponse, SendResponse};
use careplan_client::BulkExtras;
use tauri::{AppHandle, Runtime, State};

use crate::commands::{progress_events, read_files};
use crate::error::CommandResult;
use crate::state::AppState;
use crate::views::BulkEdit;

/// 送信 from 新規作成. `from_draft` names the draft the screen was opened from: the relay removes it
/// in the same transaction as the message, so it can never be sent twice.
#[tauri::command]
pub async fn send_files<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    to: String,
    message: String,
    paths: Vec<String>,
    from_draft: Option<String>,
) -> CommandResult<SendResponse> {
    let client = state.client()?;
    let files = read_files(&paths)?;
    let progress = progress_events(&app, "send");
    Ok(match from_draft {
        Some(draft) => {
            client
                .send_from_draft(&draft, &to, &message, &files, progress)
                .await?
        }
        None => client.send(&to, &message, &files, progress).await?,
    })
}

/// 一括送信: the files go to the destinations in their names; `edits` add a メッセージ and
/// attachments per destination; a draft switched here (`from_draft`) goes with its destination.
#[tauri::command]
pub async fn bulk_send<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    paths: Vec<String>,
    edits: Vec<BulkEdit>,
    from_draft: Option<String>,
) -> CommandResult<BulkResponse> {
    let client = state.client()?;
    let files = read_files(&paths)?;
    let mut extras = BulkExtras {
        from_draft,
        ..BulkExtras::default()
    };
    for edit in edits {
        if !edit.message.is_empty() {
            extras
                .messages
                .insert(edit.office_number.clone(), edit.message);
        }
        if !edit.attachment_paths.is_empty() {
            extras
                .attachments
                .insert(edit.office_number, read_files(&edit.attachment_paths)?);
        }
    }
    Ok(client
        .bulk_send(&files, &extras, progress_events(&app, "bulk_send"))
        .await?)
}
