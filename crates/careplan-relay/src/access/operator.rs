//! The operator (運営者): admin commands, demo data and benchmarks act on the register and, when they
//! must, on one office's data. Only code holding the [`Relay`] (the admin command line, an embedding
//! program such as practice mode, tests) is the operator; request handlers have the shared state,
//! never the relay, so they cannot be.

use super::OfficeScope;
use crate::error::RelayError;
use crate::store::NewMessage;
use crate::Relay;

pub struct Operator<'a> {
    relay: &'a Relay,
}

impl Relay {
    /// The operator's authority over this relay's data.
    pub fn operator(&self) -> Operator<'_> {
        Operator { relay: self }
    }
}

impl Operator<'_> {
    /// Acts for a registered office.
    pub async fn office(&self, number: &str) -> Result<OfficeScope, RelayError> {
        match self.relay.state.store.offices().get(number).await? {
            Some(office) => Ok(OfficeScope::new(office.number)),
            None => Err(RelayError::Config(format!(
                "事業所番号 {number} は登録されていません。"
            ))),
        }
    }

    /// Imports messages of many offices at once (data migrations, benchmarks); each entry is
    /// (sender office, message). Not for sends: no checks, no audit lines.
    pub async fn import_messages(&self, batch: &[(String, NewMessage)]) -> Result<(), RelayError> {
        crate::store::messages::import(&self.relay.state.store, batch).await
    }
}
