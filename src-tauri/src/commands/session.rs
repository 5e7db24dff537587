//! ログイン (two stages), ログアウト, トップページ and office lookup.

use careplan_api::{Home, Office, PersonalLoginResponse};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

fn remember(state: &AppState, update: impl FnOnce(&mut crate::settings::Settings)) {
    // Practice IDs are shown on screen; the office's real settings are not touched.
    if state.is_practising() {
        return;
    }
    let mut settings = state.settings.lock().expect("settings lock");
    let mut updated = settings.clone();
    update(&mut updated);
    // Remembering an ID is a convenience: a failure to save it must not fail the login.
    if updated.save(&state.dirs.settings_file()).is_ok() {
        *settings = updated;
    }
}

/// Stage 1: 個人ユーザID and password.
#[tauri::command]
pub async fn login_personal(
    state: State<'_, AppState>,
    personal_id: String,
    password: String,
    remember_id: bool,
) -> CommandResult<PersonalLoginResponse> {
    if let Some(previous) = state.end_session() {
        let _ = previous.logout().await;
    }
    let client = state.connect()?;
    let stage = client.login_personal(&personal_id, &password).await?;
    state.start_session(client, stage.stage_token.clone());
    remember(&state, |s| {
        s.personal_id = remember_id.then(|| personal_id.trim().to_owned())
    });
    Ok(stage)
}

/// Stage 2: 事業所ユーザID and password. Answers the office logged in as.
#[tauri::command]
pub async fn login_office(
    state: State<'_, AppState>,
    office_user_id: String,
    password: String,
    remember_id: bool,
) -> CommandResult<Office> {
    let (client, stage_token) = state.pending_stage()?;
    let terminal = state.settings().terminal_name;
    let response = client
        .login_office(&stage_token, &office_user_id, &password, &terminal)
        .await?;
    state.finish_login();
    remember(&state, |s| {
        s.office_user_id = remember_id.then(|| office_user_id.trim().to_owned())
    });
    Ok(response.office)
}

#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> CommandResult<()> {
    if let Some(client) = state.end_session() {
        // Logged out here whatever the relay says; its session expires by itself if unreachable.
        let _ = client.logout().await;
    }
    Ok(())
}

#[tauri::command]
pub async fn home(state: State<'_, AppState>) -> CommandResult<Home> {
    Ok(state.client()?.home().await?)
}

#[tauri::command]
pub async fn lookup_office(state: State<'_, AppState>, number: String) -> CommandResult<Office> {
    Ok(state.client()?.office(&number).await?)
}
