//! `careplan inbox` and `careplan outbox`: one page of 受信一覧 or 送信一覧.

use std::fmt::Write;
use std::process::ExitCode;

use careplan_api::{MessagePage, MessageSummary};
use careplan_client::Mailbox;

use crate::outcome::{fail, print_json};
use crate::relay_args::RelayArgs;

pub async fn run(
    relay: &RelayArgs,
    mailbox: Mailbox,
    page: u32,
    per_page: u32,
    json: bool,
) -> ExitCode {
    let name = match mailbox {
        Mailbox::Inbox => "inbox",
        Mailbox::Outbox => "outbox",
    };
    let result = async {
        let client = relay.login().await?;
        let listing = client.messages(mailbox, page, per_page).await;
        let _ = client.logout().await;
        listing
    }
    .await;
    match result {
        Ok(listing) if json => {
            print_json(&listing);
            ExitCode::SUCCESS
        }
        Ok(listing) => {
            print!("{}", render(mailbox, &listing));
            ExitCode::SUCCESS
        }
        Err(e) => fail(name, &e, json),
    }
}

fn status(message: &MessageSummary) -> String {
    let unfetched = message.files.iter().filter(|f| f.is_waiting()).count();
    let expired = message
        .files
        .iter()
        .filter(|f| f.expired_at.is_some())
        .count();
    match unfetched {
        0 if expired > 0 => format!("期限切れ {expired}/{}", message.files.len()),
        0 => "済".to_owned(),
        n if n == message.files.len() => "未".to_owned(),
        n => format!("未 {n}/{}", message.files.len()),
    }
}

fn render(mailbox: Mailbox, listing: &MessagePage) -> String {
    let (title, counterpart) = match mailbox {
        Mailbox::Inbox => ("受信一覧", "送信元"),
        Mailbox::Outbox => ("送信一覧", "送信先"),
    };
    let pages = listing.total.div_ceil(u64::from(listing.per_page)).max(1);
    let mut out = format!(
        "{title}（全 {} 件、{}/{pages} ページ）\n",
        listing.total, listing.page
    );
    for message in &listing.items {
        let when = message
            .sent_at
            .get(..16)
            .unwrap_or(&message.sent_at)
            .replace('T', " ");
        let _ = writeln!(
            out,
            "{when}  {counterpart}: {}（{}）  ファイル {} 件  {}  ID {}",
            message.counterpart.name,
            message.counterpart.number,
            message.files.len(),
            status(message),
            message.id
        );
        if !message.message.is_empty() {
            let _ = writeln!(out, "    メッセージ: {}", message.message);
        }
        for unit in &message.units {
            let _ = match unit.people.is_empty() {
                true => writeln!(out, "    内容: {}", unit.title),
                false => writeln!(
                    out,
                    "    内容: {}（利用者: {}）",
                    unit.title,
                    unit.people.join("、")
                ),
            };
        }
        for file in &message.files {
            let state = match (&file.fetched_at, &file.expired_at, &file.expires_at) {
                (Some(_), ..) => "済".to_owned(),
                (None, Some(at), _) => format!("期限切れ（{} に削除）", &at[..10.min(at.len())]),
                (None, None, Some(at)) => format!("未（{} まで保存）", &at[..10.min(at.len())]),
                (None, None, None) => "未".to_owned(),
            };
            let _ = writeln!(out, "    {state} {}（ID {}）", file.name, file.id);
        }
    }
    out
}
