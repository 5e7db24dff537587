//! 設定: the relay, the certificates, the 端末名 and the save folder.

use std::path::PathBuf;

use careplan_client::enrolment::{self, Enrolment};
use tauri::{AppHandle, Runtime, State};

use crate::certificates;
use crate::commands::with_state;
use crate::error::CommandResult;
use crate::logs::logged;
use crate::settings::{portal_address_of, Settings};
use crate::state::AppState;
use crate::views::{AppInfo, CertificateCheck, ImportedCertificate};

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
        portal_url: settings.portal_url().filter(|_| !state.is_practising()),
        practice_requested: crate::practice::requested_at_start(),
    }
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings()
}

/// Saves what 設定 shows. The certificate files change only through the import commands.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    settings: Settings,
) -> CommandResult<Settings> {
    logged(with_state(&app, move |state| {
        state.refuse_in_practice()?;
        // Looks at the save folder on disk.
        settings.check()?;
        let portal_address = portal_address_of(&settings.portal_address)?;
        state.change_settings(|current| {
            *current = Settings {
                relay_url: settings.relay_url.trim().trim_end_matches('/').to_owned(),
                portal_address,
                terminal_name: settings.terminal_name.trim().to_owned(),
                ca_certificate: current.ca_certificate.clone(),
                certificate: current.certificate.clone(),
                fetch_explained: current.fetch_explained,
                resident: settings.resident.clone().normalized(),
                ..settings
            }
        })
    }))
    .await
}

/// 電子証明書の取り込み: checks the file and its password, copies it into the app's folder and keeps
/// the password in the OS keyring.
#[tauri::command]
#[tracing::instrument(skip_all, fields(file = %file_name(&path), password_given = password.as_deref().is_some_and(|p| !p.is_empty())))]
pub async fn import_certificate<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    password: Option<String>,
) -> CommandResult<ImportedCertificate> {
    logged(with_state(&app, move |state| {
        certificates::import_office_certificate(state, &PathBuf::from(path), password)
    }))
    .await
}

/// 電子証明書の申請: a key made on this PC, its certificate signing request sent to the portal with
/// the 事業所ユーザID and the 証明書発行用パスワード, and the certificate kept beside the key (which
/// never leaves the PC). The PC's name in the portal's list is the 端末名.
#[tauri::command]
#[tracing::instrument(skip_all, fields(portal = %portal_url.trim(), office_user_id = %office_user_id.trim()))]
pub async fn request_certificate<R: Runtime>(
    app: AppHandle<R>,
    portal_url: String,
    office_user_id: String,
    issuance_password: String,
) -> CommandResult<ImportedCertificate> {
    logged(async {
        let (ca_pem, pc_name) = with_state(&app, |state| {
            state.refuse_in_practice()?;
            let settings = state.settings();
            Ok((AppState::ca_pem(&settings)?, settings.terminal_name))
        })
        .await?;
        let enrolled = enrolment::request_certificate(&Enrolment {
            portal_url: &portal_url,
            ca_pem: &ca_pem,
            office_user_id: &office_user_id,
            issuance_password: &issuance_password,
            pc_name: &pc_name,
        })
        .await?;
        tracing::info!(serial = %enrolled.issued.serial, office = %enrolled.issued.office_number, "certificate issued");
        with_state(&app, move |state| {
            certificates::keep_requested_certificate(state, &enrolled)
        })
        .await
    })
    .await
}

/// The certificate file as 設定 shows it before taking it: its 事業所番号 and 有効期限, and the office's
/// name from the relay's register when the relay can be asked (the relay URL and CA are set, or
/// preset by the build). Changes nothing.
#[tauri::command]
#[tracing::instrument(skip_all, fields(file = %file_name(&path)))]
pub async fn inspect_certificate<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    password: Option<String>,
) -> CommandResult<CertificateCheck> {
    logged(certificates::inspect_office_certificate(
        app,
        PathBuf::from(path),
        password,
    ))
    .await
}

/// The relay the build was made for (a vendor's theme presets it): its URL, its CA and, when the
/// portal is not on the relay's host, the portal's address, taken on a PC where neither URL nor
/// CA is set yet. Where they are set already (the office chose otherwise under 詳細設定), nothing
/// changes.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn apply_relay_preset<R: Runtime>(
    app: AppHandle<R>,
    relay_url: String,
    ca_pem: String,
    portal_url: Option<String>,
) -> CommandResult<Settings> {
    logged(with_state(&app, move |state| {
        certificates::apply_relay_preset(state, &relay_url, &ca_pem, portal_url.as_deref())
    }))
    .await
}

/// フォルダを開く: a folder in the OS file manager (受信一覧's save folder, 練習モード's samples).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn open_folder(path: String) -> CommandResult<()> {
    logged(crate::commands::blocking(move || {
        let folder = std::path::Path::new(&path);
        if !folder.is_dir() {
            return Err(crate::error::CommandError::new(
                "folder.missing",
                format!("フォルダ {path} がありません。移動したか削除された可能性があります。"),
            ));
        }
        open::that_detached(folder).map_err(|e| {
            tracing::warn!(error = %e, "no file manager");
            crate::error::CommandError::new(
                "folder.open_failed",
                format!("フォルダを開けませんでした。エクスプローラーで {path} を開いてください。"),
            )
        })
    }))
    .await
}

/// 認証局の証明書の取り込み (PEM).
#[tauri::command]
#[tracing::instrument(skip_all, fields(file = %file_name(&path)))]
pub async fn import_ca_certificate<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> CommandResult<()> {
    logged(with_state(&app, move |state| {
        certificates::import_ca_certificate(state, &PathBuf::from(path))
    }))
    .await
}

fn file_name(path: &str) -> String {
    crate::commands::file_names(&[path.to_owned()]).remove(0)
}
