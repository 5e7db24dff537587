//! 受信一覧 and 送信一覧, a page at a time.

use careplan_api::MessagePage;
use careplan_client::Mailbox;
use serde::Deserialize;
use tauri::State;

use crate::error::CommandResult;
use crate::logs::logged;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailboxName {
    Inbox,
    Outbox,
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(mailbox = ?mailbox, page = page, per_page = per_page))]
pub async fn list_messages(
    state: State<'_, AppState>,
    mailbox: MailboxName,
    page: u32,
    per_page: u32,
) -> CommandResult<MessagePage> {
    let mailbox = match mailbox {
        MailboxName::Inbox => Mailbox::Inbox,
        MailboxName::Outbox => Mailbox::Outbox,
    };
    logged(async { Ok(state.client()?.messages(mailbox, page, per_page).await?) }).await
}
