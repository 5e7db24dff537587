//! 下書き一覧: save (一時保存), open back into 新規作成, delete, send.

use careplan_api::{Draft, SendResponse};
use tauri::State;

use crate::commands::read_files;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;
use crate::views::OpenedDraft;

#[tauri::command]
pub async fn list_drafts(state: State<'_, AppState>) -> CommandResult<Vec<Draft>> {
    Ok(state.client()?.drafts().await?)
}

/// 一時保存: a new draft, or the same draft saved again when `id` is given.
#[tauri::command]
pub async fn save_draft(
    state: State<'_, AppState>,
    id: Option<String>,
    to: String,
    message: String,
    paths: Vec<String>,
) -> CommandResult<Draft> {
    let client = state.client()?;
    let files = read_files(&paths)?;
    Ok(match id {
        Some(id) => client.replace_draft(&id, &to, &message, &files).await?,
        None => client.save_draft(&to, &message, &files).await?,
    })
}

/// Copies a draft's files to this PC so that 新規作成 can show and send them.
#[tauri::command]
pub async fn open_draft(state: State<'_, AppState>, id: String) -> CommandResult<OpenedDraft> {
    let client = state.client()?;
    let draft = client.draft(&id).await?;
    let files = client.draft_files(&draft).await?;
    let folder = state.dirs.cache.join("drafts").join(&draft.id);
    let failed = |e: std::io::Error| {
        CommandError::new(
            "draft.open",
            format!("下書きのファイルを開けませんでした（{e}）。"),
        )
    };
    // A fresh copy each time: what the relay holds is the draft.
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).map_err(failed)?;
    let mut paths = Vec::with_capacity(files.len());
    for file in files {
        let path = folder.join(&file.name);
        std::fs::write(&path, &file.bytes).map_err(failed)?;
        paths.push(path.display().to_string());
    }
    Ok(OpenedDraft { draft, paths })
}

#[tauri::command]
pub async fn delete_draft(state: State<'_, AppState>, id: String) -> CommandResult<()> {
    Ok(state.client()?.delete_draft(&id).await?)
}

#[tauri::command]
pub async fn send_draft(state: State<'_, AppState>, id: String) -> CommandResult<SendResponse> {
    Ok(state.client()?.send_draft(&id).await?)
}
