//! How the networked subcommands reach the relay and log in: options, or the environment variables
//! a script sets once.

use std::path::PathBuf;

use careplan_client::{ClientError, ClientIdentity, LoginCredentials, RelayAddress, RelayClient};
use clap::Args;

#[derive(Args, Debug)]
pub struct RelayArgs {
    /// 連携基盤の接続先（例: https://relay.example.jp:8443）。
    #[arg(long = "relay", env = "CAREPLAN_RELAY", value_name = "URL")]
    pub relay: String,
    /// 連携基盤の認証局の証明書（PEM）。
    #[arg(long = "ca", env = "CAREPLAN_CA", value_name = "PATH")]
    pub ca: PathBuf,
    /// 事業所の電子証明書（.p12/.pfx、または .pem と同じ名前の .key）。
    #[arg(long = "cert", env = "CAREPLAN_CERT", value_name = "PATH")]
    pub cert: PathBuf,
    /// 電子証明書（.p12）のパスワード。
    #[arg(
        long = "cert-password",
        env = "CAREPLAN_CERT_PASSWORD",
        hide_env_values = true
    )]
    pub cert_password: Option<String>,
    /// 個人ユーザID（c…）。
    #[arg(long = "user", env = "CAREPLAN_USER")]
    pub user: String,
    /// 個人ユーザIDのパスワード（環境変数で渡すことをおすすめします）。
    #[arg(long = "password", env = "CAREPLAN_PASSWORD", hide_env_values = true)]
    pub password: String,
    /// 事業所ユーザID（KJ…）。
    #[arg(long = "office-user", env = "CAREPLAN_OFFICE_USER")]
    pub office_user: String,
    /// 事業所ユーザIDのパスワード。
    #[arg(
        long = "office-password",
        env = "CAREPLAN_OFFICE_PASSWORD",
        hide_env_values = true
    )]
    pub office_password: String,
    /// 端末名（下書き一覧に表示されます。既定: このPCの名前）。
    #[arg(long = "terminal", env = "CAREPLAN_TERMINAL")]
    pub terminal: Option<String>,
}

impl RelayArgs {
    /// Connects and logs in (both stages).
    pub async fn login(&self) -> Result<RelayClient, ClientError> {
        let ca_pem = std::fs::read(&self.ca).map_err(|e| {
            ClientError::local(
                "settings.ca",
                format!("認証局の証明書 {} を読めません（{e}）。", self.ca.display()),
            )
        })?;
        let identity = ClientIdentity::load(&self.cert, self.cert_password.as_deref())?;
        let client = RelayClient::new(
            &RelayAddress {
                url: self.relay.clone(),
                ca_pem,
            },
            identity,
        )?;
        client
            .login(&LoginCredentials {
                personal_id: self.user.clone(),
                personal_password: self.password.clone(),
                office_user_id: self.office_user.clone(),
                office_password: self.office_password.clone(),
                terminal_name: self
                    .terminal
                    .clone()
                    .unwrap_or_else(careplan_client::host_name),
            })
            .await?;
        Ok(client)
    }
}
