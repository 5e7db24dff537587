//! 練習モード: start, reset (a fresh copy of the starting data), stop (data deleted), status.

use tauri::State;

use crate::error::CommandResult;
use crate::practice::Practice;
use crate::state::AppState;
use crate::views::PracticeView;

/// Starts practice mode, or gives the running one.
#[tauri::command]
pub async fn start_practice(state: State<'_, AppState>) -> CommandResult<PracticeView> {
    if let Some(view) = state.practice_view() {
        return Ok(view);
    }
    let practice = Practice::start().await?;
    Ok(state.enter_practice(practice))
}

/// リセット: logged out, and everything back to the starting state on a fresh relay.
#[tauri::command]
pub async fn reset_practice(state: State<'_, AppState>) -> CommandResult<PracticeView> {
    let practice = Practice::start().await?;
    Ok(state.enter_practice(practice))
}

/// Leaves practice mode: logged out, the practice relay stopped and its data deleted.
#[tauri::command]
pub fn stop_practice(state: State<'_, AppState>) {
    state.leave_practice();
}

#[tauri::command]
pub fn practice_status(state: State<'_, AppState>) -> Option<PracticeView> {
    state.practice_view()
}
