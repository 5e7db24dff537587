//! The relay's client, used by the desktop app and the `careplan` command line: mutual TLS with the
//! office's certificate (PEM or PKCS#12), two-stage login, the lists, send and bulk send (with
//! idempotency keys, retries and progress), drafts, safe fetch, and passwords in the OS keyring.
//!
//! ```no_run
//! # async fn example() -> Result<(), careplan_client::ClientError> {
//! use careplan_client::*;
//! let identity = ClientIdentity::load("office.p12".as_ref(), Some("p12-password"))?;
//! let address = RelayAddress { url: "https://relay.example:8443".into(), ca_pem: std::fs::read("ca.pem")? };
//! let client = RelayClient::new(&address, identity)?;
//! client.login(&LoginCredentials {
//!     personal_id: "c0001".into(), personal_password: "…".into(),
//!     office_user_id: "KJ137000001801".into(), office_password: "…".into(),
//!     terminal_name: "受付PC".into(),
//! }).await?;
//! let unfetched = client.unfetched_messages().await?;
//! client.fetch_messages(&unfetched, "C:/ケアプラン/受信".as_ref(), no_progress()).await;
//! # Ok(()) }
//! ```

mod account;
pub mod auto_fetch;
mod connection;
mod drafts;
pub mod enrolment;
mod error;
pub mod feed;
mod fetch;
pub mod folders;
pub mod history;
mod identity;
mod receipts;
mod sending;
pub mod sent_copies;
pub mod vault;

pub use account::{LoginCredentials, Mailbox};
pub use connection::{RelayAddress, RelayClient};
pub use error::ClientError;
pub use feed::{FeedPolicy, FeedStream, FeedUpdate, FeedWatcher};
pub use fetch::{find_saved, FetchReport, FetchedFile};
pub use identity::{is_pkcs12, CertificateSummary, ClientIdentity};
pub use sending::{no_progress, unreadable, BulkExtras, LocalFile, ProgressFn, TransferProgress};

/// The PC's name: the 端末名 proposed until the user chooses one.
pub fn host_name() -> String {
    std::env::var("COMPUTERNAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .ok()
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|s| s.trim().to_owned())
        })
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "careplan".to_owned())
}
