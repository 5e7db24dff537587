//! 送信 (新規作成) and 一括送信, with progress as `transfer-progress` events.

use careplan_api::{BulkResponse, SendResponse};
use careplan_client::BulkExtras;
use tauri::{AppHandle, Runtime, State};

use crate::commands::{progress_events, read_files};
use crate::error::CommandResult;
use crate::state::AppState;
use crate::views::BulkEdit;

#[tauri::command]
pub async fn send_files<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    to: String,
    message: String,
    paths: Vec<String>,
) -> CommandResult<SendResponse> {
    let client = state.client()?;
    let files = read_files(&paths)?;
    Ok(client
        .send(&to, &message, &files, progress_events(&app, "send"))
        .await?)
}

/// 一括送信: the files go to the destinations in their names; `edits` add a メッセージ and
/// attachments per destination.
#[tauri::command]
pub async fn bulk_send<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    paths: Vec<String>,
    edits: Vec<BulkEdit>,
) -> CommandResult<BulkResponse> {
    let client = state.client()?;
    let files = read_files(&paths)?;
    let mut extras = BulkExtras::default();
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
