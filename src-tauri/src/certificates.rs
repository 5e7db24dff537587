//! 設定's certificates: the office's (checked with its password, copied into the app's folder so the
//! original may be deleted, the password kept in the OS keyring) and the relay's CA (PEM). Disk and
//! keyring work: the commands run it off the window's thread.

use std::path::{Path, PathBuf};

use careplan_client::{vault, ClientIdentity};

use crate::error::{CommandError, CommandResult};
use crate::state::{certificate_key, AppState};
use crate::views::ImportedCertificate;

/// 電子証明書の取り込み.
pub fn import_office_certificate(
    state: &AppState,
    source: &Path,
    password: Option<String>,
) -> CommandResult<ImportedCertificate> {
    state.refuse_in_practice()?;
    let password = password.filter(|p| !p.is_empty());
    ClientIdentity::load(source, password.as_deref())?;
    let dir = state.dirs.certificates();
    let imported = copy_into(&dir, source)?;
    if !careplan_client::is_pkcs12(source) {
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
    state.change_settings(|settings| {
        settings.certificate = Some(imported.display().to_string());
    })?;
    Ok(ImportedCertificate { file_name: key })
}

/// 認証局の証明書の取り込み (PEM).
pub fn import_ca_certificate(state: &AppState, source: &Path) -> CommandResult<()> {
    state.refuse_in_practice()?;
    let text = std::fs::read_to_string(source).unwrap_or_default();
    if !text.contains("-----BEGIN CERTIFICATE-----") {
        return Err(CommandError::new(
            "settings.ca",
            "認証局の証明書（PEM 形式の .pem）を選んでください。",
        ));
    }
    let imported = copy_into(&state.dirs.config, source)?;
    state.change_settings(|settings| {
        settings.ca_certificate = Some(imported.display().to_string());
    })?;
    Ok(())
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
