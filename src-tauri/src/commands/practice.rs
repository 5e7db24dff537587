//! 練習モード: start, reset (a fresh copy of the starting data), stop (data deleted), status.

use tauri::{AppHandle, Runtime, State};

use crate::commands::with_state;
use crate::error::CommandResult;
use crate::logs::logged;
use crate::practice::Practice;
use crate::state::AppState;
use crate::views::PracticeView;

/// Starts practice mode, or gives the running one.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn start_practice(state: State<'_, AppState>) -> CommandResult<PracticeView> {
    if let Some(view) = state.practice_view() {
        return Ok(view);
    }
    logged(async { Ok(state.enter_practice(Practice::start().await?)) }).await
}

/// リセット: logged out, and everything back to the starting state on a fresh relay.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn reset_practice(state: State<'_, AppState>) -> CommandResult<PracticeView> {
    logged(async { Ok(state.enter_practice(Practice::start().await?)) }).await
}

/// Leaves practice mode: logged out, the practice relay stopped and its data deleted (folders
/// removed: not on the window's thread).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn stop_practice<R: Runtime>(app: AppHandle<R>) -> CommandResult<()> {
    logged(with_state(&app, |state| {
        state.leave_practice();
        Ok(())
    }))
    .await
}

#[tauri::command]
pub fn practice_status(state: State<'_, AppState>) -> Option<PracticeView> {
    state.practice_view()
}
