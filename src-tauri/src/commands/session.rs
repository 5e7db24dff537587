//! ログイン (two stages), ログアウト, トップページ and office lookup.

use careplan_api::{Home, Office, PersonalLoginResponse};
use careplan_client::RelayClient;
use tauri::{AppHandle, Runtime, State};

use crate::commands::with_state;
use crate::error::CommandResult;
use crate::logs::logged;
use crate::resident::{self, FeedView};
use crate::settings::Settings;
use crate::state::AppState;

/// Remembers (or forgets) an ID in 設定. A convenience: a failure to save it must not fail the
/// login. Practice IDs are shown on screen; the office's real settings are not touched.
async fn remember<R: Runtime>(
    app: &AppHandle<R>,
    update: impl FnOnce(&mut Settings) + Send + 'static,
) {
    let _ = with_state(app, |state| {
        if !state.is_practising() {
            state.change_settings(update)?;
        }
        Ok(())
    })
    .await;
}

/// Stage 1: 個人ユーザID and password.
#[tauri::command]
#[tracing::instrument(skip_all, fields(personal_id = %personal_id.trim()))]
pub async fn login_personal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    personal_id: String,
    password: String,
    remember_id: bool,
) -> CommandResult<PersonalLoginResponse> {
    logged(async {
        if let Some(previous) = state.end_session() {
            let _ = previous.logout().await;
        }
        // Reads the CA, the certificate (a .p12 is slow to open on purpose) and the keyring.
        let client = with_state(&app, |state| state.connect()).await?;
        let stage = client.login_personal(&personal_id, &password).await?;
        state.start_session(client, stage.stage_token.clone());
        let id = remember_id.then(|| personal_id.trim().to_owned());
        remember(&app, move |s| s.personal_id = id).await;
        Ok(stage)
    })
    .await
}

/// Stage 2: 事業所ユーザID and password. Answers the office logged in as.
#[tauri::command]
#[tracing::instrument(skip_all, fields(office_user_id = %office_user_id.trim()))]
pub async fn login_office<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    office_user_id: String,
    password: String,
    remember_id: bool,
) -> CommandResult<Office> {
    logged(async {
        let (client, stage_token) = state.pending_stage()?;
        let terminal = state.settings().terminal_name;
        let response = match client
            .login_office(&stage_token, &office_user_id, &password, &terminal)
            .await
        {
            Ok(response) => response,
            Err(e) => {
                // The relay takes the stage token with the attempt, whatever its outcome: another
                // try at this stage cannot work, so the login starts again from stage 1 (the
                // screen goes back there and says why).
                state.end_session();
                return Err(e.into());
            }
        };
        state.finish_login(&response.office.number);
        let generation = state.session_generation();
        tracing::info!(office = %response.office.number, terminal = %terminal, "logged in");
        start_feed(&app, &state, client, generation).await;
        if let Some(arrival) = state.practice_arrival() {
            state.attach_task(arrival, generation);
        }
        let id = remember_id.then(|| office_user_id.trim().to_owned());
        remember(&app, move |s| s.office_user_id = id).await;
        Ok(response.office)
    })
    .await
}

/// 受信通知 for the office just logged in. Without it the app works as before: the lists show what
/// arrived when they are opened.
async fn start_feed<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    client: RelayClient,
    generation: u64,
) {
    match client.feed_token().await {
        Ok(token) => state.attach_task(
            resident::start(app, client, token.token, generation),
            generation,
        ),
        Err(e) => tracing::warn!(
            code = e.code(),
            request_id = e.request_id(),
            "no change feed: the lists show arrivals when opened"
        ),
    }
}

/// The office's feed as last told (the badge of 受信一覧), none before the first update.
#[tauri::command]
pub async fn feed_status(state: State<'_, AppState>) -> CommandResult<Option<FeedView>> {
    Ok(state.feed_view())
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn logout(state: State<'_, AppState>) -> CommandResult<()> {
    if let Some(client) = state.end_session() {
        // Logged out here whatever the relay says; its session expires by itself if unreachable.
        if let Err(e) = client.logout().await {
            tracing::warn!(
                code = e.code(),
                request_id = e.request_id(),
                "the relay did not confirm the logout"
            );
        }
    }
    tracing::info!("logged out");
    Ok(())
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn home(state: State<'_, AppState>) -> CommandResult<Home> {
    logged(async { Ok(state.client()?.home().await?) }).await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(number = %number))]
pub async fn lookup_office(state: State<'_, AppState>, number: String) -> CommandResult<Office> {
    logged(async { Ok(state.client()?.office(&number).await?) }).await
}
