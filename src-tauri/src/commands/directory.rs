//! 利用事業所検索 from the desktop: 新規作成 and 一括送信 find a destination by name (or place, kind,
//! number) with the portal's own search, through the relay's API.

use careplan_api::{DirectoryPage, DirectorySearch};
use tauri::State;

use crate::error::CommandResult;
use crate::logs::logged;
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, fields(name = %search.name.trim(), page = ?search.page))]
pub async fn search_directory(
    state: State<'_, AppState>,
    search: DirectorySearch,
) -> CommandResult<DirectoryPage> {
    logged(async { Ok(state.client()?.directory(&search).await?) }).await
}
