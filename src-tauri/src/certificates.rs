//! 設定's certificates: the office's (checked with its password, copied into the app's folder so the
//! original may be deleted, the password kept in the OS keyring; or requested from the portal with a
//! key made here), and the relay's CA (PEM). Disk and keyring work: the commands run it off the
//! window's thread.

use std::path::{Path, PathBuf};

use careplan_client::enrolment::EnrolledCertificate;
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
    state.change_settings(|settings| {
        settings.certificate = Some(certificate.display().to_string());
    })?;
    Ok(ImportedCertificate { file_name })
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
