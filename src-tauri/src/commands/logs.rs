//! ログを保存: the last days' log as one text file, where the user chooses, for the help desk.

use tauri::{AppHandle, Manager, Runtime};
use time::OffsetDateTime;

use crate::commands::blocking;
use crate::error::CommandResult;
use crate::logs::{default_export_name, logged, write_recent_logs};
use crate::saving::{ask_where, SaveDialog};
use crate::state::AppState;

/// Asks where to save (the OS save dialog) and writes the last 7 days' log there. Answers the
/// saved path, or `None` when the user cancels.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn save_logs<R: Runtime>(app: AppHandle<R>) -> CommandResult<Option<String>> {
    let folder = app.state::<AppState>().dirs.logs.clone();
    logged(blocking(move || {
        // The name shows the office's own date; the log's days are counted in UTC, as its files.
        let local = OffsetDateTime::now_local().unwrap_or_else(|_| OffsetDateTime::now_utc());
        let dialog = SaveDialog {
            title: "ログの保存先",
            file_name: default_export_name(local.date()),
            filter: ("テキストファイル", &["txt"]),
            error_code: "logs.save_failed",
        };
        let Some(target) = ask_where(&app, dialog)? else {
            return Ok(None);
        };
        let included = write_recent_logs(&folder, &target, OffsetDateTime::now_utc().date())?;
        tracing::info!(target = %target.display(), files = ?included, "log saved");
        Ok(Some(target.display().to_string()))
    }))
    .await
}
