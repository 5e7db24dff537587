//! 設定: where the relay is, which certificate, the 端末名, the default save folder and the IDs to
//! remember. Kept as JSON in the app's configuration folder; passwords are never in it (they live
//! in the OS keyring, see careplan_client::vault).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CommandError, CommandResult};
use crate::resident::settings::ResidentSettings;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct Settings {
    /// 接続先: `https://host:port`.
    pub relay_url: String,
    /// The relay's CA certificate (PEM), as imported.
    pub ca_certificate: Option<String>,
    /// The office's certificate, as imported into the app's folder.
    pub certificate: Option<String>,
    /// 端末名, shown with drafts.
    pub terminal_name: String,
    /// データ取得's default folder.
    pub save_folder: Option<String>,
    /// Remembered 個人ユーザID / 事業所ユーザID (IDs only, never passwords).
    pub personal_id: Option<String>,
    pub office_user_id: Option<String>,
    /// 受信一覧's one-time note (データ取得 works once) has been followed by a fetch on this PC.
    pub fetch_explained: bool,
    /// 利用状況WebサイトのURL, for an operator who serves the portal elsewhere than on the
    /// relay's host (empty: the relay's host on [`PORTAL_PORT`]).
    pub portal_address: String,
    /// 受信通知 and 自動取得.
    pub resident: ResidentSettings,
}

const MAX_TERMINAL_NAME: usize = 50;

/// The port the office portal (利用状況Webサイト) listens on, on the relay's host: the operator
/// serves it with `careplan-relay serve --portal-listen <host>:8444` (docs/relay.md).
pub const PORTAL_PORT: u16 = 8444;

impl Settings {
    /// The office portal's address: the one set under 詳細設定 (or preset by the build), else
    /// `https://host:8444`, the relay's host (of 接続先) on [`PORTAL_PORT`]. `None` while neither
    /// is an https:// URL.
    pub fn portal_url(&self) -> Option<String> {
        let set = self.portal_address.trim().trim_end_matches('/');
        if !set.is_empty() {
            return set.starts_with("https://").then(|| set.to_owned());
        }
        let rest = self.relay_url.trim().strip_prefix("https://")?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        // A port after the host (not a colon inside an IPv6 address's brackets).
        let host = match authority.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => host,
            _ => authority,
        };
        (!host.is_empty()).then(|| format!("https://{host}:{PORTAL_PORT}"))
    }
}

/// 利用状況Webサイトの接続先 as typed or preset, as it is kept: trimmed, without a trailing `/`;
/// empty (the relay's host on [`PORTAL_PORT`]) or an https:// URL.
pub fn portal_address_of(typed: &str) -> CommandResult<String> {
    let address = typed.trim().trim_end_matches('/');
    if !address.is_empty() && !address.starts_with("https://") {
        return Err(CommandError::new(
            "settings.portal_url",
            "利用状況Webサイトの接続先（URL）は https:// で始めてください（空欄なら接続先と同じホストの 8444 番ポートです）。",
        ));
    }
    Ok(address.to_owned())
}

impl Settings {
    /// Reads the settings file; a missing file gives the defaults (first start).
    pub fn load(path: &Path, default_terminal: &str) -> Settings {
        let mut settings = std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Settings>(&bytes).ok())
            .unwrap_or_default();
        if settings.terminal_name.trim().is_empty() {
            settings.terminal_name = default_terminal.to_owned();
        }
        settings
    }

    /// Checks what a person typed in 設定.
    pub fn check(&self) -> CommandResult<()> {
        let url = self.relay_url.trim();
        if !url.is_empty() && !url.starts_with("https://") {
            return Err(CommandError::new(
                "settings.relay_url",
                "接続先（URL）は https:// で始めてください。",
            ));
        }
        portal_address_of(&self.portal_address)?;
        let terminal = self.terminal_name.trim();
        if terminal.is_empty() {
            return Err(CommandError::new(
                "settings.terminal_name",
                "端末名を入力してください（例: 受付PC）。",
            ));
        }
        if terminal.chars().count() > MAX_TERMINAL_NAME {
            return Err(CommandError::new(
                "settings.terminal_name",
                format!("端末名は{MAX_TERMINAL_NAME}文字以内にしてください。"),
            ));
        }
        self.resident.check()?;
        if let Some(folder) = &self.save_folder {
            if !Path::new(folder).is_dir() {
                return Err(CommandError::new(
                    "settings.save_folder",
                    format!(
                        "保存先のフォルダ {folder} がありません。フォルダを選び直してください。"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The fields that differ from `other`, by name, for the log (the values stay out of it: a
    /// folder or an ID is no secret, but the names say enough).
    pub fn changed_fields(&self, other: &Settings) -> Vec<&'static str> {
        let Settings {
            relay_url,
            ca_certificate,
            certificate,
            terminal_name,
            save_folder,
            personal_id,
            office_user_id,
            fetch_explained,
            portal_address,
            resident,
        } = self;
        [
            ("relay_url", *relay_url != other.relay_url),
            ("ca_certificate", *ca_certificate != other.ca_certificate),
            ("certificate", *certificate != other.certificate),
            ("terminal_name", *terminal_name != other.terminal_name),
            ("save_folder", *save_folder != other.save_folder),
            ("personal_id", *personal_id != other.personal_id),
            ("office_user_id", *office_user_id != other.office_user_id),
            ("fetch_explained", *fetch_explained != other.fetch_explained),
            ("portal_address", *portal_address != other.portal_address),
            ("resident", *resident != other.resident),
        ]
        .into_iter()
        .filter_map(|(name, changed)| changed.then_some(name))
        .collect()
    }

    /// Writes the file whole or not at all (a temporary file renamed over the old one).
    pub fn save(&self, path: &Path) -> CommandResult<()> {
        let failed = |e: std::io::Error| {
            CommandError::new(
                "settings.save",
                format!("設定を保存できませんでした（{e}）。"),
            )
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(failed)?;
        }
        let temp: PathBuf = path.with_extension("json.tmp");
        std::fs::write(
            &temp,
            serde_json::to_vec_pretty(self).expect("settings serialise"),
        )
        .map_err(failed)?;
        std::fs::rename(&temp, path).map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_relay(url: &str) -> Settings {
        Settings {
            relay_url: url.to_owned(),
            ..Settings::default()
        }
    }

    #[test]
    fn the_portal_is_the_relays_host_on_the_portal_port() {
        for (relay, portal) in [
            (
                "https://relay.city.example:8443",
                "https://relay.city.example:8444",
            ),
            (
                "https://relay.city.example",
                "https://relay.city.example:8444",
            ),
            (
                "https://relay.city.example:8443/",
                "https://relay.city.example:8444",
            ),
            ("https://127.0.0.1:40000", "https://127.0.0.1:8444"),
            ("https://[::1]:8443", "https://[::1]:8444"),
            ("https://[::1]", "https://[::1]:8444"),
        ] {
            assert_eq!(
                with_relay(relay).portal_url().as_deref(),
                Some(portal),
                "{relay}"
            );
        }
        for relay in [
            "",
            "http://relay.city.example:8443",
            "https://",
            "https://:8443",
        ] {
            assert_eq!(with_relay(relay).portal_url(), None, "{relay}");
        }
    }

    #[test]
    fn a_portal_address_set_apart_from_the_relay_is_the_one_used() {
        let set = |portal: &str| Settings {
            portal_address: portal.to_owned(),
            ..with_relay("https://relay.city.example:8443")
        };
        assert_eq!(
            set(" https://portal.city.example/ ")
                .portal_url()
                .as_deref(),
            Some("https://portal.city.example")
        );
        assert_eq!(
            set("").portal_url().as_deref(),
            Some("https://relay.city.example:8444"),
            "empty: the relay's host"
        );
        let refused = set("http://portal.city.example").check().unwrap_err();
        assert_eq!(refused.code(), "settings.portal_url");
        assert!(
            refused.0.message.contains("https://"),
            "{}",
            refused.0.message
        );
        assert_eq!(set("http://portal.city.example").portal_url(), None);
    }
}
