//! 下書き一覧: save (一時保存), open back into 新規作成, delete, send.

use std::path::Path;

use careplan_api::{Draft, SendResponse};
use careplan_client::LocalFile;
use tauri::State;

use crate::commands::{blocking, file_names, read_files};
use crate::error::{CommandError, CommandResult};
use crate::logs::logged;
use crate::state::AppState;
use crate::views::{FilesCheck, OpenedDraft};

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn list_drafts(state: State<'_, AppState>) -> CommandResult<Vec<Draft>> {
    logged(async { Ok(state.client()?.drafts().await?) }).await
}

/// 一時保存: a new draft, or the same draft saved again when `id` is given.
#[tauri::command]
#[tracing::instrument(skip_all, fields(id = id.as_deref(), to = %to, count = paths.len()))]
pub async fn save_draft(
    state: State<'_, AppState>,
    id: Option<String>,
    to: String,
    message: String,
    paths: Vec<String>,
) -> CommandResult<Draft> {
    logged(async {
        let client = state.client()?;
        let files = read_files(&paths).await?;
        let draft = match id {
            Some(id) => client.replace_draft(&id, &to, &message, &files).await?,
            None => client.save_draft(&to, &message, &files).await?,
        };
        tracing::info!(draft = %draft.id, files = ?file_names(&paths), "saved");
        Ok(draft)
    })
    .await
}

/// Copies a draft's files to this PC so that 新規作成 can show and send them.
#[tauri::command]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn open_draft(state: State<'_, AppState>, id: String) -> CommandResult<OpenedDraft> {
    logged(async {
        let client = state.client()?;
        let draft = client.draft(&id).await?;
        let files = client.draft_files(&draft).await?;
        let folder = state.dirs.cache.join("drafts").join(&draft.id);
        let paths = blocking(move || copy_to_this_pc(&folder, files)).await?;
        tracing::info!(files = ?file_names(&paths), "opened");
        Ok(OpenedDraft { draft, paths })
    })
    .await
}

/// A fresh copy each time: what the relay holds is the draft.
fn copy_to_this_pc(folder: &Path, files: Vec<LocalFile>) -> CommandResult<Vec<String>> {
    let failed = |e: std::io::Error| {
        tracing::warn!(error = %e, "draft files not copied");
        CommandError::new(
            "draft.open",
            "下書きのファイルをこのパソコンに用意できませんでした。ディスクの空きを確かめて、もう一度開いてください。",
        )
    };
    let _ = std::fs::remove_dir_all(folder);
    std::fs::create_dir_all(folder).map_err(failed)?;
    let mut paths = Vec::with_capacity(files.len());
    for file in files {
        let path = folder.join(&file.name);
        std::fs::write(&path, &file.bytes).map_err(failed)?;
        paths.push(path.display().to_string());
    }
    Ok(paths)
}

/// A draft's files checked against the standard, as 新規作成 checks dropped ones, so that 下書き一覧
/// can mark a draft that cannot be sent as it is. Nothing is written to disk.
#[tauri::command]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn check_draft(state: State<'_, AppState>, id: String) -> CommandResult<FilesCheck> {
    logged(async {
        let client = state.client()?;
        let draft = client.draft(&id).await?;
        let files = client.draft_files(&draft).await?;
        let own = state.logged_in_office();
        let check = blocking(move || {
            Ok(crate::commands::checking::check_files_in_memory(
                files,
                own.as_deref(),
            ))
        })
        .await?;
        tracing::info!(ok = check.ok, "draft checked");
        Ok(check)
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn delete_draft(state: State<'_, AppState>, id: String) -> CommandResult<()> {
    logged(async { Ok(state.client()?.delete_draft(&id).await?) }).await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn send_draft(state: State<'_, AppState>, id: String) -> CommandResult<SendResponse> {
    logged(async {
        let client = state.client()?;
        let copies = state.sent_copies();
        // The draft's files, for this PC's copy of what it sends; a draft that cannot be read
        // now is still sent (the relay has its files), only without the copy.
        let files = match client.draft(&id).await {
            Ok(draft) => client.draft_files(&draft).await,
            Err(e) => Err(e),
        };
        let files = files.unwrap_or_else(|e| {
            tracing::warn!(code = e.code(), "draft not read for the sent copy");
            Vec::new()
        });
        let sent = client.send_draft(&id).await?;
        tracing::info!(
            message_id = %sent.message.id,
            to = %sent.message.counterpart.number,
            files = ?sent.message.files.iter().map(|f| &f.name).collect::<Vec<_>>(),
            "sent"
        );
        crate::commands::sending::keep_copies(copies, vec![sent.message.clone()], files).await;
        Ok(sent)
    })
    .await
}
