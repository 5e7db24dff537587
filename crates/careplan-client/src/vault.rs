//! Passwords (and 受信通知's feed token) kept by the operating system: Windows Credential Manager on the offices' PCs, the
//! kernel keyring on Linux (for development). Never in a settings file, never in a log.
//! Tests install keyring-core's mock store with [`use_mock_store`].

use crate::error::ClientError;

const SERVICE: &str = "careplan";

/// Which password: the two login IDs and the certificate file's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// 個人ユーザID のパスワード.
    Personal,
    /// 事業所ユーザID のパスワード.
    Office,
    /// The .p12 certificate's password (keyed by the certificate file).
    Certificate,
    /// 受信通知's feed token (keyed by the office): it reads the office's counts and ids until its
    /// login ends, nothing else.
    FeedToken,
}

impl SecretKind {
    fn prefix(self) -> &'static str {
        match self {
            SecretKind::Personal => "personal",
            SecretKind::Office => "office",
            SecretKind::Certificate => "certificate",
            SecretKind::FeedToken => "feed",
        }
    }
}

/// Installs the platform's store as keyring-core's default; call once at start-up.
pub fn use_platform_store() -> Result<(), ClientError> {
    #[cfg(windows)]
    let store = windows_native_keyring_store::Store::new();
    #[cfg(target_os = "linux")]
    let store = linux_keyutils_keyring_store::Store::new();
    #[cfg(not(any(windows, target_os = "linux")))]
    let store: Result<std::sync::Arc<keyring_core::CredentialStore>, keyring_core::Error> =
        Err(keyring_core::Error::NoDefaultStore);
    keyring_core::set_default_store(store.map_err(keyring_error)?);
    Ok(())
}

/// In-memory store for tests.
pub fn use_mock_store() {
    keyring_core::set_default_store(
        keyring_core::mock::Store::new().expect("the mock store always starts"),
    );
}

/// The keyring's own error text is English and means nothing to an office: the message says what
/// happens instead (the desktop app then asks for the certificate's password at each login).
fn keyring_error(_: keyring_core::Error) -> ClientError {
    ClientError::local(
        "vault.unavailable",
        "パスワードの保管場所（Windows の資格情報マネージャー）を使えないため、電子証明書のパスワードをこのパソコンに保存できません。ログインのたびに電子証明書のパスワードを入力してください。",
    )
}

fn entry(kind: SecretKind, id: &str) -> Result<keyring_core::Entry, ClientError> {
    keyring_core::Entry::new(SERVICE, &format!("{}:{id}", kind.prefix())).map_err(keyring_error)
}

/// Remembers a password.
pub fn save_password(kind: SecretKind, id: &str, password: &str) -> Result<(), ClientError> {
    entry(kind, id)?
        .set_password(password)
        .map_err(keyring_error)
}

/// A remembered password, if there is one.
pub fn password(kind: SecretKind, id: &str) -> Result<Option<String>, ClientError> {
    match entry(kind, id)?.get_password() {
        Ok(password) => Ok(Some(password)),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e)),
    }
}

/// Forgets a password (nothing to forget is fine).
pub fn forget_password(kind: SecretKind, id: &str) -> Result<(), ClientError> {
    match entry(kind, id)?.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default store is process-wide: these tests take turns.
    static STORE: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn passwords_round_trip_through_the_store_and_can_be_forgotten() {
        let _turn = STORE.lock().unwrap_or_else(|e| e.into_inner());
        use_mock_store();
        assert_eq!(password(SecretKind::Personal, "c0001").unwrap(), None);
        save_password(SecretKind::Personal, "c0001", "secret-1").unwrap();
        save_password(SecretKind::Office, "c0001", "secret-2").unwrap();
        assert_eq!(
            password(SecretKind::Personal, "c0001").unwrap().as_deref(),
            Some("secret-1")
        );
        assert_eq!(
            password(SecretKind::Office, "c0001").unwrap().as_deref(),
            Some("secret-2"),
            "kinds do not overwrite each other"
        );
        forget_password(SecretKind::Personal, "c0001").unwrap();
        forget_password(SecretKind::Personal, "c0001").unwrap();
        assert_eq!(password(SecretKind::Personal, "c0001").unwrap(), None);
    }

    #[test]
    fn a_failing_store_gives_a_japanese_message() {
        let _turn = STORE.lock().unwrap_or_else(|e| e.into_inner());
        use_mock_store();
        let entry = entry(SecretKind::Certificate, "cert-a").unwrap();
        let mock: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
        mock.set_error(keyring_core::Error::NoStorageAccess(Box::new(
            std::io::Error::other("locked"),
        )));
        let error = password(SecretKind::Certificate, "cert-a").unwrap_err();
        assert_eq!(error.code(), "vault.unavailable");
        let message = error.to_string();
        assert!(
            message.contains("ログインのたびに"),
            "says what happens instead: {message}"
        );
        assert!(
            !message.contains("locked")
                && message
                    .chars()
                    .all(|c| !c.is_ascii_alphabetic() || "Windows".contains(c)),
            "no English error text: {message}"
        );
    }
}
