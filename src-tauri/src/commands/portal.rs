//! Pages of the office portal (利用状況Webサイト) opened in the system browser from the app's help:
//! かんたんシミュレーション, which needs no login.

use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The portal's pages the app opens; only these, so the web view cannot make the app open any URL.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum PortalPage {
    /// かんたんシミュレーション.
    Simulation,
}

impl PortalPage {
    fn path(self) -> &'static str {
        match self {
            PortalPage::Simulation => "/simulation",
        }
    }
}

/// The page's address on the portal of 設定's relay.
pub fn portal_page_url(state: &AppState, page: PortalPage) -> CommandResult<String> {
    let portal = state
        .settings()
        .portal_url()
        .filter(|_| !state.is_practising())
        .ok_or_else(|| {
            CommandError::new(
                "settings.incomplete",
                "利用状況Webサイトを開くには、設定画面で接続先（URL）を入力してください（練習モード中は開けません）。",
            )
        })?;
    Ok(format!("{portal}{}", page.path()))
}

/// Opens a page of the portal in the system browser.
#[tauri::command]
#[tracing::instrument(skip_all, fields(page = ?page))]
pub fn open_portal(state: State<'_, AppState>, page: PortalPage) -> CommandResult<()> {
    let url = portal_page_url(&state, page)?;
    // The browser starts on its own; the command does not wait for it.
    open::that_detached(&url).map_err(|e| {
        tracing::warn!(error = %e, %url, "no browser opened");
        CommandError::new(
            "app.browser",
            format!("ブラウザを開けませんでした（{e}）。ブラウザで {url} を開いてください。"),
        )
    })
}
