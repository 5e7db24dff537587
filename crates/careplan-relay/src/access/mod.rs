//! Who may read or change an office's data. Every query of an office's messages, files and drafts
//! takes an [`OfficeScope`] (see [`crate::store::Store::mailbox`] and
//! [`crate::store::Store::drafts`]), and only these make one: a logged-in [`Session`], whose
//! office is the one its certificate and both login stages agree on; the [`Operator`], for admin
//! commands and demo data; the office portal's logins and proofs ([`portal`]); and a
//! [`FeedReader`], which keeps its scope to itself and opens the office's change feed only
//! ([`crate::store::Feed`]). The constructor is private to this module and its children, so
//! code that forgot the office does not compile, and code that wanted another office's data has no
//! way to ask for it.

mod feed;
mod operator;
pub mod portal;
mod session;

pub use feed::{feed_login_required, FeedReader};
pub use operator::Operator;
pub use portal::{LoginIdScope, PortalRole, PortalSession};
pub use session::Session;

/// The office a query acts for (its 事業所番号), proven by a session or by the operator.
///
/// What the types refuse (each block must fail to compile; rustdoc on stable does not check the
/// error code named, so the block that compiles at the end uses the same paths, and a typo there
/// would fail it):
///
/// A scope cannot be written by hand (its field is private):
/// ```compile_fail,E0451
/// let scope = careplan_relay::access::OfficeScope { number: "1370000018".into() };
/// ```
/// nor made by anyone but a session or the operator (its constructor is private):
/// ```compile_fail,E0624
/// let scope = careplan_relay::access::OfficeScope::new("1370000018".into());
/// ```
/// and an office's messages or drafts cannot be read without one:
/// ```compile_fail,E0061
/// # async fn f(store: careplan_relay::store::Store) {
/// let drafts = store.drafts().list().await;
/// # }
/// ```
/// ```compile_fail,E0061
/// # async fn f(store: careplan_relay::store::Store) {
/// let unfetched = store.mailbox().unfetched_count().await;
/// # }
/// ```
/// The operator's way, which compiles:
/// ```
/// # async fn f(relay: careplan_relay::Relay) -> Result<(), careplan_relay::error::RelayError> {
/// let scope = relay.operator().office("1370000018").await?;
/// let unfetched = relay.state.store.mailbox(&scope).unfetched_count().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeScope {
    number: String,
}

impl OfficeScope {
    /// Private: only [`Session`] and [`Operator`] make scopes.
    fn new(number: String) -> OfficeScope {
        OfficeScope { number }
    }

    /// The office's 事業所番号.
    pub fn number(&self) -> &str {
        &self.number
    }
}
