//! データ取得: the chosen files of 受信一覧 into a folder, safely (see careplan-client).

use std::path::PathBuf;

use careplan_api::FileEntry;
use tauri::{AppHandle, Runtime, State};

use crate::commands::progress_events;
use crate::error::{CommandError, CommandResult};
use crate::logs::logged;
use crate::state::AppState;
use crate::views::{FetchFailure, FetchOutcome, FetchedFileView};

/// Fetches `files` into `folder` (or the save folder of 設定); each file succeeds or fails alone.
#[tauri::command]
#[tracing::instrument(skip_all, fields(count = files.len()))]
pub async fn fetch_files<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    files: Vec<FileEntry>,
    folder: Option<String>,
) -> CommandResult<FetchOutcome> {
    logged(async {
        let client = state.client()?;
        let folder = folder
            .or_else(|| state.settings().save_folder)
            .map(PathBuf::from)
            .ok_or_else(|| {
                CommandError::new("fetch.folder_missing", "保存先のフォルダを選んでください。")
            })?;
        let mut outcome = FetchOutcome {
            fetched: Vec::new(),
            failed: Vec::new(),
        };
        for file in &files {
            match client
                .fetch_file(file, &folder, progress_events(&app, "fetch"))
                .await
            {
                Ok(fetched) => {
                    tracing::info!(file = %fetched.name, saved_as = %fetched.saved_as.display(), "fetched");
                    outcome.fetched.push(FetchedFileView {
                        file_id: fetched.file_id,
                        name: fetched.name,
                        saved_as: fetched.saved_as.display().to_string(),
                        fetched_at: fetched.fetched_at,
                        already_there: fetched.already_there,
                    })
                }
                Err(e) => {
                    tracing::warn!(file = %file.name, code = e.code(), request_id = e.request_id(), "not fetched");
                    outcome.failed.push(FetchFailure {
                        file_id: file.id.clone(),
                        name: file.name.clone(),
                        error: e.to_api_error(),
                    })
                }
            }
        }
        tracing::info!(
            fetched = outcome.fetched.len(),
            already_there = outcome.fetched.iter().filter(|f| f.already_there).count(),
            failed = outcome.failed.len(),
            "fetch finished"
        );
        // 受信一覧's note that データ取得 works once is shown until the office's first fetch on this
        // PC (practice mode never writes the real settings).
        if !outcome.fetched.is_empty() && !state.is_practising() {
            let explained = state.settings().fetch_explained;
            if !explained {
                let _ = crate::commands::with_state(&app, |state| {
                    state.change_settings(|s| s.fetch_explained = true)
                })
                .await;
            }
        }
        Ok(outcome)
    })
    .await
}
