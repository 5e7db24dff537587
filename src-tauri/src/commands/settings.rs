//! 設定: the relay, the certificates, the 端末名 and the save folder.

use std::path::{Path, PathBuf};

use careplan_client::{vault, ClientIdentity};
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::settings::Settings;
use crate::state::{certificate_key, AppState};
use crate::views::{AppInfo, ImportedCertificate};

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    let settings = state.settings();
    let relay_url = Some(settings.relay_url.clone()).filter(|u| !u.is_empty());
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        ready_to_log_in: relay_url.is_some()
            && settings.ca_certificate.is_some()
            && settings.certificate.is_some(),
        relay_url,
        practice_requested: crate::practice::requested_at_start(),
    }
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings()
}

/// Saves what 設定 shows. The certificate files change only through the import commands.
#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: Settings) -> CommandResult<Settings> {
    state.refuse_in_practice()?;
    settings.check()?;
    let mut current = state.settings.lock().expect("settings lock");
    let updated = Settings {
        relay_url: settings.relay_url.trim().trim_end_matches('/').to_owned(),
        terminal_name: settings.terminal_name.trim().to_owned(),
        ca_certificate: current.ca_certificate.clone(),
        certificate: current.certificate.clone(),
        ..settings
    };
    updated.save(&state.dirs.settings_file())?;
    *current = updated.clone();
    Ok(updated)
}

fn copy_into(dir: &Path, source: &Path) -> CommandResult<PathBuf> {
    let failed = |e: std::io::Error| {
        CommandError::new(
            "settings.import",
            format!("{} を取り込めませんでした（{e}）。", source.display()),
        )
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    let target = dir.join(
        source
            .file_name()
            .ok_or_else(|| CommandError::new("settings.import", "ファイルを選んでください。"))?,
    );
    std::fs::copy(source, &target).map_err(failed)?;
    Ok(target)
}

/// 電子証明書の取り込み: checks the file and its password, copies it into the app's folder (the
/// original may then be deleted) and keeps the password in the OS keyring.
#[tauri::command]
pub fn import_certificate(
    state: State<'_, AppState>,
    path: String,
    password: Option<String>,
) -> CommandResult<ImportedCertificate> {
    state.refuse_in_practice()?;
    let source = PathBuf::from(&path);
    let password = password.filter(|p| !p.is_empty());
    ClientIdentity::load(&source, password.as_deref())?;
    let dir = state.dirs.certificates();
    let imported = copy_into(&dir, &source)?;
    if !careplan_client::is_pkcs12(&source) {
        let key = source.with_extension("key");
        if key.exists() {
            copy_into(&dir, &key)?;
        }
    }
    let key = certificate_key(&imported);
    match &password {
        Some(password) => vault::save_password(vault::SecretKind::Certificate, &key, password)?,
        None => vault::forget_password(vault::SecretKind::Certificate, &key)?,
    }
    let mut settings = state.settings.lock().expect("settings lock");
    let mut updated = settings.clone();
    updated.certificate = Some(imported.display().to_string());
    updated.save(&state.dirs.settings_file())?;
    *settings = updated;
    Ok(ImportedCertificate { file_name: key })
}

/// 認証局の証明書の取り込み (PEM).
#[tauri::command]
pub fn import_ca_certificate(state: State<'_, AppState>, path: String) -> CommandResult<()> {
    state.refuse_in_practice()?;
    let source = PathBuf::from(&path);
    let text = std::fs::read_to_string(&source).unwrap_or_default();
    if !text.contains("-----BEGIN CERTIFICATE-----") {
        return Err(CommandError::new(
            "settings.ca",
            "認証局の証明書（PEM 形式の .pem）を選んでください。",
        ));
    }
    let imported = copy_into(&state.dirs.config, &source)?;
    let mut settings = state.settings.lock().expect("settings lock");
    let mut updated = settings.clone();
    updated.ca_certificate = Some(imported.display().to_string());
    updated.save(&state.dirs.settings_file())?;
    *settings = updated;
    Ok(())
}
