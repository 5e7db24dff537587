//! 設定's certificates: the office's (shown first, then checked with its password, copied into the
//! app's folder so the original may be deleted, the password kept in the OS keyring; or requested from
//! the portal with a key made here) and the relay's CA (PEM), from a file or preset by the build. Disk
//! and keyring work: the commands run it off the
//! window's thread.

use std::path::{Path, PathBuf};

use careplan_client::enrolment::EnrolledCertificate;
use careplan_client::{vault, ClientIdentity};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tauri::{AppHandle, Runtime};

use crate::commands::with_state;
use crate::error::{CommandError, CommandResult};
use crate::settings::Settings;
use crate::state::{certificate_key, AppState};
use crate::views::{CertificateCheck, ImportedCertificate};

fn no_office_number() -> CommandError {
    CommandError::new(
        "certificate.no_office",
        "この電子証明書には事業所番号がありません。連携基盤から事業所に発行された電子証明書を選んでください。",
    )
}

/// What the file says, before anything is taken: read with its password, then the relay's register
/// asked whose it is (when the relay can be reached; without it the name is simply not shown).
pub async fn inspect_office_certificate<R: Runtime>(
    app: AppHandle<R>,
    source: PathBuf,
    password: Option<String>,
) -> CommandResult<CertificateCheck> {
    let file_name = certificate_key(&source);
    let (summary, client) = with_state(&app, move |state| {
        let password = password.filter(|p| !p.is_empty());
        let identity = ClientIdentity::load(&source, password.as_deref())?;
        let summary = identity.summary()?;
        // Not configured yet: the office's name stays unknown, the rest is shown.
        Ok((summary, state.connect_as(identity)))
    })
    .await?;
    let (office, relay_error) = match client {
        Ok(client) => match client.certificate_office().await {
            Ok(answer) => (Some(answer.office), None),
            Err(e) => (None, Some(e.to_api_error())),
        },
        Err(e) => (None, Some(e.0)),
    };
    tracing::info!(
        office = summary.office_number.as_deref(),
        registered = office.is_some(),
        code = relay_error.as_ref().map(|e| e.code.as_str()),
        "certificate inspected"
    );
    Ok(CertificateCheck {
        file_name,
        office_number: summary.office_number,
        not_after: summary.not_after,
        expired: summary.expired,
        office,
        relay_error,
    })
}

/// 電子証明書の取り込み. A certificate of another office than the one before clears the remembered
/// IDs (they are that office's); a keyring that cannot be used keeps the password for this run.
pub fn import_office_certificate(
    state: &AppState,
    source: &Path,
    password: Option<String>,
) -> CommandResult<ImportedCertificate> {
    state.refuse_in_practice()?;
    let password = password.filter(|p| !p.is_empty());
    let office = ClientIdentity::load(source, password.as_deref())?
        .summary()?
        .office_number
        .ok_or_else(no_office_number)?;
    let previous_office = state.settings().certificate.map(|previous| {
        let previous = PathBuf::from(previous);
        state.office_of_certificate(&previous)
    });
    let dir = state.dirs.certificates();
    let imported = copy_into(&dir, source)?;
    if !careplan_client::is_pkcs12(source) {
        let key = source.with_extension("key");
        if key.exists() {
            copy_into(&dir, &key)?;
        }
    }
    let key = certificate_key(&imported);
    let saved = match &password {
        Some(password) => vault::save_password(vault::SecretKind::Certificate, &key, password),
        None => vault::forget_password(vault::SecretKind::Certificate, &key),
    };
    let password_saved = match saved {
        Ok(()) => {
            state.keep_unsaved_password(&key, None);
            true
        }
        Err(e) if e.code() == "vault.unavailable" => {
            tracing::warn!("no keyring: the certificate's password is kept until the app closes");
            state.keep_unsaved_password(&key, password.clone());
            password.is_none()
        }
        Err(e) => return Err(e.into()),
    };
    // Unknown before (unreadable, or none): the IDs may be anyone's, so they go too.
    let ids_cleared =
        matches!(&previous_office, Some(before) if before.as_deref() != Some(office.as_str()));
    state.change_settings(|settings| {
        settings.certificate = Some(imported.display().to_string());
        if ids_cleared {
            settings.personal_id = None;
            settings.office_user_id = None;
        }
    })?;
    tracing::info!(office = %office, ids_cleared, password_saved, "certificate imported");
    Ok(ImportedCertificate {
        file_name: key,
        ids_cleared,
        password_saved,
    })
}

/// 電子証明書の申請's answer, kept as an imported PEM certificate is: `<事業所番号>-<serial>.pem` in
/// the app's folder with its key beside it (`.key`, readable by this user only), then chosen in
/// 設定. The key was made on this PC and never left it; it has no password, as the keyring holds
/// none for a PEM certificate.
pub fn keep_requested_certificate(
    state: &AppState,
    enrolled: &EnrolledCertificate,
) -> CommandResult<ImportedCertificate> {
    state.refuse_in_practice()?;
    let dir = state.dirs.certificates();
    let name = format!(
        "{}-{}",
        enrolled.issued.office_number, enrolled.issued.serial
    );
    // Names from the portal's answer: only letters and digits reach the file system.
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(CommandError::new(
            "certificate.invalid",
            "利用状況Webサイトから届いた電子証明書を保存できません。もう一度申請してください。",
        ));
    }
    let certificate = dir.join(format!("{name}.pem"));
    let key = certificate.with_extension("key");
    let failed = |e: std::io::Error| {
        CommandError::new(
            "settings.import",
            format!("申請した電子証明書を保存できませんでした（{e}）。"),
        )
    };
    std::fs::create_dir_all(&dir).map_err(failed)?;
    write_owner_only(&key, enrolled.private_key_pem.as_bytes()).map_err(failed)?;
    if let Err(e) = std::fs::write(&certificate, enrolled.certificate_pem.as_bytes()) {
        let _ = std::fs::remove_file(&key);
        return Err(failed(e));
    }
    ClientIdentity::load(&certificate, None)?;
    let file_name = certificate_key(&certificate);
    vault::forget_password(vault::SecretKind::Certificate, &file_name)?;
    // As for an imported certificate: another office's than before clears the remembered IDs.
    let previous_office = state
        .settings()
        .certificate
        .map(|path| state.office_of_certificate(Path::new(&path)));
    let office = &enrolled.issued.office_number;
    let ids_cleared =
        matches!(&previous_office, Some(before) if before.as_deref() != Some(office.as_str()));
    state.change_settings(|settings| {
        settings.certificate = Some(certificate.display().to_string());
        if ids_cleared {
            settings.personal_id = None;
            settings.office_user_id = None;
        }
    })?;
    Ok(ImportedCertificate {
        file_name,
        ids_cleared,
        // A PEM certificate has no password to keep.
        password_saved: true,
    })
}

/// A file only this user may read (the private key), written whole.
fn write_owner_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// 認証局の証明書の取り込み (PEM).
pub fn import_ca_certificate(state: &AppState, source: &Path) -> CommandResult<()> {
    state.refuse_in_practice()?;
    let text = std::fs::read_to_string(source).unwrap_or_default();
    if !is_certificate_pem(&text) {
        return Err(not_a_ca());
    }
    let imported = copy_into(&state.dirs.config, source)?;
    state.change_settings(|settings| {
        settings.ca_certificate = Some(imported.display().to_string());
    })?;
    Ok(())
}

/// The build's relay (URL, CA, and the portal's address when it is not the relay's host) on a PC
/// that has neither URL nor CA yet; the settings as they are then.
pub fn apply_relay_preset(
    state: &AppState,
    url: &str,
    ca_pem: &str,
    portal_url: Option<&str>,
) -> CommandResult<Settings> {
    state.refuse_in_practice()?;
    let current = state.settings();
    if !current.relay_url.trim().is_empty() || current.ca_certificate.is_some() {
        return Ok(current);
    }
    let url = url.trim().trim_end_matches('/');
    if !url.starts_with("https://") {
        return Err(CommandError::new(
            "settings.relay_url",
            "接続先（URL）は https:// で始めてください。",
        ));
    }
    let portal = crate::settings::portal_address_of(portal_url.unwrap_or_default())?;
    if !is_certificate_pem(ca_pem) {
        return Err(not_a_ca());
    }
    std::fs::create_dir_all(&state.dirs.config).map_err(import_failed)?;
    let target = state.dirs.config.join(PRESET_CA);
    std::fs::write(&target, ca_pem).map_err(import_failed)?;
    state.change_settings(|settings| {
        settings.relay_url = url.to_owned();
        settings.ca_certificate = Some(target.display().to_string());
        settings.portal_address = portal;
    })
}

/// Where the build's CA is kept in the app's folder.
const PRESET_CA: &str = "relay-ca.pem";

fn is_certificate_pem(text: &str) -> bool {
    let mut certificates = CertificateDer::pem_slice_iter(text.as_bytes());
    matches!(certificates.next(), Some(Ok(_)))
}

fn not_a_ca() -> CommandError {
    CommandError::new(
        "settings.ca",
        "認証局の証明書（PEM 形式の .pem）を選んでください。",
    )
}

fn import_failed(e: std::io::Error) -> CommandError {
    tracing::warn!(error = %e, "not imported");
    CommandError::new(
        "settings.import",
        "ファイルをアプリのフォルダに取り込めませんでした。ディスクの空きを確かめて、もう一度お試しください。",
    )
}

fn copy_into(dir: &Path, source: &Path) -> CommandResult<PathBuf> {
    std::fs::create_dir_all(dir).map_err(import_failed)?;
    let target = dir.join(
        source
            .file_name()
            .ok_or_else(|| CommandError::new("settings.import", "ファイルを選んでください。"))?,
    );
    std::fs::copy(source, &target).map_err(import_failed)?;
    Ok(target)
}
