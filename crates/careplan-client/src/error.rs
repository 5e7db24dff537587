//! One error type for everything the client does. Each error has a stable machine code and a Japanese
//! message that tells a care manager what to do; the desktop app shows the message, the CLI maps the
//! kind to its exit code.

use careplan_api::{ApiDiagnostic, ApiError};

#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    /// The relay answered and said no (wrong password, invalid files, …): its own code and message.
    #[error("{}", .error.message)]
    Refused { status: u16, error: ApiError },
    /// The relay could not be reached, or the connection broke.
    #[error("{message}")]
    Connection { message: String },
    /// The secure connection failed: certificate, trust or protocol.
    #[error("{message}")]
    Tls { message: String },
    /// Something on this PC: a file, a folder, the settings, the keyring.
    #[error("{message}")]
    Local { code: &'static str, message: String },
}

impl ClientError {
    pub fn local(code: &'static str, message: impl Into<String>) -> ClientError {
        ClientError::Local {
            code,
            message: message.into(),
        }
    }

    pub fn code(&self) -> &str {
        match self {
            ClientError::Refused { error, .. } => &error.code,
            ClientError::Connection { .. } => "connection.failed",
            ClientError::Tls { .. } => "connection.tls",
            ClientError::Local { code, .. } => code,
        }
    }

    /// The relay's diagnostics for refused files (empty otherwise).
    pub fn diagnostics(&self) -> &[ApiDiagnostic] {
        match self {
            ClientError::Refused { error, .. } => &error.diagnostics,
            _ => &[],
        }
    }

    /// The relay's id of the refused request (its `x-request-id`), when it gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ClientError::Refused { error, .. } => error.request_id.as_deref(),
            _ => None,
        }
    }

    /// True when the relay was not reached or the secure connection failed.
    pub fn is_connection(&self) -> bool {
        matches!(
            self,
            ClientError::Connection { .. } | ClientError::Tls { .. }
        )
    }

    /// The `{code, message, diagnostics}` shape the UI and `--json` output use.
    pub fn to_api_error(&self) -> ApiError {
        ApiError {
            code: self.code().to_owned(),
            message: self.to_string(),
            diagnostics: self.diagnostics().to_vec(),
            request_id: self.request_id().map(str::to_owned),
        }
    }

    /// Classifies a transport error. TLS failures (a certificate the relay refuses, a relay the CA
    /// does not vouch for) are told apart from an unreachable relay, because the fixes differ.
    pub(crate) fn from_transport(error: &reqwest::Error) -> ClientError {
        if let Some(tls) = find_tls_error(error) {
            return ClientError::Tls {
                message: tls_message(tls),
            };
        }
        if error.is_timeout() {
            return ClientError::Connection {
                message:
                    "連携基盤からの応答がありません。しばらく待ってからもう一度お試しください。"
                        .into(),
            };
        }
        ClientError::Connection {
            message: "連携基盤に接続できません。インターネットへの接続と、設定の接続先（URL）を確認してください。"
                .into(),
        }
    }
}

/// The rustls error somewhere in the chain. io::Errors hide what they wrap from `source()` (and
/// hyper nests them), so each is opened as well.
fn find_tls_error<'e>(error: &'e (dyn std::error::Error + 'static)) -> Option<&'e rustls::Error> {
    let mut pending = vec![error];
    while let Some(current) = pending.pop() {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            pending.push(inner);
        }
        if let Some(next) = current.source() {
            pending.push(next);
        }
    }
    None
}

fn tls_message(error: &rustls::Error) -> String {
    use rustls::AlertDescription;
    match error {
        // The relay's own certificate failed our checks: wrong server, or the wrong CA configured.
        rustls::Error::InvalidCertificate(_) => {
            "接続先が連携基盤であることを確認できませんでした。設定の接続先（URL）と認証局の証明書を確認してください。".into()
        }
        rustls::Error::AlertReceived(
            AlertDescription::CertificateRequired
            | AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown
            | AlertDescription::DecryptError,
        ) => {
            "連携基盤が電子証明書を受け付けませんでした。事業所に発行された電子証明書を設定してください。".into()
        }
        _ => "連携基盤との安全な接続（TLS）を確立できませんでした。電子証明書と接続先の設定を確認してください。".into(),
    }
}

impl From<std::io::Error> for ClientError {
    fn from(e: std::io::Error) -> Self {
        ClientError::local("local.io", format!("ファイルを読み書きできません: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_keep_the_relays_code_and_message() {
        let error = ClientError::Refused {
            status: 401,
            error: ApiError {
                code: "auth.locked".into(),
                message: "ロックされています".into(),
                diagnostics: vec![],
                request_id: None,
            },
        };
        assert_eq!(error.code(), "auth.locked");
        assert_eq!(error.to_string(), "ロックされています");
        assert!(!error.is_connection());
        assert_eq!(error.to_api_error().code, "auth.locked");
    }

    #[test]
    fn tls_alerts_name_the_certificate() {
        let message = tls_message(&rustls::Error::AlertReceived(
            rustls::AlertDescription::CertificateRequired,
        ));
        assert!(message.contains("電子証明書"), "{message}");
    }
}
