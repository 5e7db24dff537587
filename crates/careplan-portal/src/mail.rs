//! Mail out of the portal: the one-time codes of セキュリティメール, over SMTP (lettre; host, port,
//! TLS and sender from the configuration), or into a folder as `.eml` files (a demo without a mail
//! server), or not at all (the pages then say that mail cannot be sent). The code is in the mail
//! only: never in a log line.

use std::path::PathBuf;

use careplan_relay::error::RelayError;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailTls {
    /// Plain SMTP (a server on the same machine, or a test's).
    None,
    /// STARTTLS, required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

#[derive(Debug, Clone)]
pub enum MailConfig {
    /// No mail: セキュリティメール cannot be registered.
    Disabled,
    Smtp {
        host: String,
        port: u16,
        tls: MailTls,
        /// `ケアプランデータ連携システム <no-reply@example.jp>` or a bare address.
        from: String,
        /// From the environment only (`CAREPLAN_SMTP_USER`, `CAREPLAN_SMTP_PASSWORD`).
        credentials: Option<(String, String)>,
    },
    /// Each mail as an `.eml` file in this folder.
    Folder { dir: PathBuf, from: String },
}

enum Transport {
    Disabled,
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>),
}

pub struct Mailer {
    transport: Transport,
    from: Option<Mailbox>,
}

/// Sending failed (the server refused or could not be reached).
#[derive(Debug)]
pub struct MailFailed(pub String);

fn config_error(message: String) -> RelayError {
    RelayError::Config(message)
}

fn sender(from: &str) -> Result<Mailbox, RelayError> {
    from.parse().map_err(|_| {
        config_error(format!(
            "送信元のメールアドレス「{from}」が正しくありません。"
        ))
    })
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Mailer, RelayError> {
        Ok(match config {
            MailConfig::Disabled => Mailer {
                transport: Transport::Disabled,
                from: None,
            },
            MailConfig::Smtp {
                host,
                port,
                tls,
                from,
                credentials,
            } => {
                let parameters = || {
                    TlsParameters::new(host.clone())
                        .map_err(|e| config_error(format!("SMTP の TLS 設定: {e}")))
                };
                let tls = match tls {
                    MailTls::None => Tls::None,
                    MailTls::StartTls => Tls::Required(parameters()?),
                    MailTls::Tls => Tls::Wrapper(parameters()?),
                };
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                    .port(*port)
                    .tls(tls)
                    .timeout(Some(std::time::Duration::from_secs(20)));
                if let Some((user, password)) = credentials {
                    builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
                }
                Mailer {
                    transport: Transport::Smtp(builder.build()),
                    from: Some(sender(from)?),
                }
            }
            MailConfig::Folder { dir, from } => {
                std::fs::create_dir_all(dir)?;
                Mailer {
                    transport: Transport::Folder(AsyncFileTransport::new(dir)),
                    from: Some(sender(from)?),
                }
            }
        })
    }

    /// Whether mail can be sent at all.
    pub fn enabled(&self) -> bool {
        !matches!(self.transport, Transport::Disabled)
    }

    /// Sends a plain-text mail in Japanese (UTF-8).
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailFailed> {
        let (Some(from), false) = (&self.from, matches!(self.transport, Transport::Disabled))
        else {
            return Err(MailFailed("mail is not configured".into()));
        };
        let to: Mailbox = to
            .parse()
            .map_err(|_| MailFailed("bad recipient address".into()))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| MailFailed(format!("message: {e}")))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailFailed(format!("smtp: {e}"))),
            Transport::Folder(folder) => folder
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailFailed(format!("folder: {e}"))),
            Transport::Disabled => Err(MailFailed("mail is not configured".into())),
        }
    }
}

/// Whether text is a mail address the portal accepts: at most 254 characters, one `@`, and what
/// the mail library can send to.
pub fn valid_address(address: &str) -> bool {
    address.len() <= 254
        && address.matches('@').count() == 1
        && address.is_ascii()
        && address.parse::<lettre::Address>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        assert!(valid_address("jimu@hidamari.example.jp"));
        assert!(!valid_address("jimu"));
        assert!(!valid_address("a@b@c.jp"));
        assert!(!valid_address("事務@example.jp"));
        assert!(!valid_address(&format!("{}@example.jp", "a".repeat(250))));
    }
}
