//! The operator's side of the office portal: what only the operator does. Issue an office's
//! 証明書発行用パスワード (printed once, stored hashed), switch the フリーパス on or off with its last day
//! and its automatic renewal, replace the 利用規約, list the applications, and run the automatic
//! renewal. Used by the `careplan-relay` admin subcommands, the demo data and tests.

use time::Date;

use crate::auth::hash_password;
use crate::clock::now_ms;
use crate::error::RelayError;
use crate::licensing::FreePass;
use crate::store::{all_applications, ApplicationRow};
use crate::Relay;

/// The longest 利用規約 accepted (characters).
pub const MAX_TERMS_CHARS: usize = 100_000;

impl Relay {
    /// Issues (or replaces) an office's 証明書発行用パスワード; answers it, to be told to the office once.
    pub async fn issue_issuance_password(&self, office_number: &str) -> Result<String, RelayError> {
        let password = crate::pki::random_password();
        self.set_issuance_password(office_number, &password).await?;
        Ok(password)
    }

    /// Sets an office's 証明書発行用パスワード to a given one (demo data and tests).
    pub async fn set_issuance_password(
        &self,
        office_number: &str,
        password: &str,
    ) -> Result<(), RelayError> {
        crate::register::check_password(password).map_err(RelayError::Config)?;
        self.operator().office(office_number).await?;
        let hash = hash_password(password).await?;
        let now = now_ms();
        self.state
            .store
            .issuance_passwords()
            .set(office_number, &hash, now)
            .await?;
        self.admin_audit(Some(office_number), "issuance_password.issue", "")
            .await
    }

    /// The フリーパス as the operator set it.
    pub async fn free_pass(&self) -> Result<FreePass, RelayError> {
        FreePass::read(&self.state.store).await
    }

    pub async fn set_free_pass(&self, free_pass: FreePass) -> Result<(), RelayError> {
        free_pass.write(&self.state.store).await?;
        let detail = format!(
            "{} until {} auto-renew {}",
            if free_pass.enabled { "on" } else { "off" },
            free_pass
                .until
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            if free_pass.auto_renew { "on" } else { "off" },
        );
        self.admin_audit(None, "free_pass.set", &detail).await
    }

    /// Publishes a new 利用規約 (UTF-8 text, paragraphs separated by blank lines); answers its version.
    pub async fn publish_terms(&self, body: &str) -> Result<i64, RelayError> {
        let body = body.trim_start_matches('\u{FEFF}').trim();
        if body.is_empty() {
            return Err(RelayError::Config("利用規約の本文が空です。".into()));
        }
        if body.chars().count() > MAX_TERMS_CHARS {
            return Err(RelayError::Config(format!(
                "利用規約は{MAX_TERMS_CHARS}文字までにしてください。"
            )));
        }
        let version = self
            .state
            .store
            .portal_settings()
            .publish_terms(body, now_ms())
            .await?;
        self.admin_audit(None, "terms.publish", &version.to_string())
            .await?;
        Ok(version)
    }

    /// Every 利用申請, oldest first, with the office's name.
    pub async fn applications(&self) -> Result<Vec<(ApplicationRow, String)>, RelayError> {
        all_applications(&self.state.store, &self.operator()).await
    }

    /// Runs the automatic renewal of フリーパス licences for `today`; answers the offices renewed.
    pub async fn renew_due_licences(&self, today: Date) -> Result<Vec<String>, RelayError> {
        let renewed = crate::licensing::renew_due(&self.state.store, today).await?;
        for office in &renewed {
            self.admin_audit(Some(office), "licence.auto_renew", "")
                .await?;
        }
        Ok(renewed)
    }

    async fn admin_audit(
        &self,
        office: Option<&str>,
        action: &str,
        detail: &str,
    ) -> Result<(), RelayError> {
        self.state
            .store
            .audit()
            .write(&crate::store::AuditEntry {
                at: now_ms(),
                office,
                actor: "admin",
                action,
                detail,
            })
            .await
    }
}
