//! `careplan fetch`: データ取得 into a folder, file by file safely (see careplan-client's fetch), by
//! message or file ID, or every 未 file of 受信一覧.

use std::path::Path;
use std::process::ExitCode;

use careplan_api::MessageSummary;
use careplan_client::{no_progress, ClientError, FetchReport, RelayClient};
use serde::Serialize;

use crate::outcome::{exit_code, fail, print_json, EXIT_CONNECTION, EXIT_INVALID};
use crate::relay_args::RelayArgs;

/// The `--json` answer.
#[derive(Serialize)]
struct FetchOutput {
    fetched: Vec<FetchedOutput>,
    failed: Vec<FailedOutput>,
}

#[derive(Serialize)]
struct FetchedOutput {
    file_id: String,
    name: String,
    saved_as: String,
    fetched_at: String,
}

#[derive(Serialize)]
struct FailedOutput {
    file_id: String,
    name: String,
    code: String,
    message: String,
}

/// The messages that hold the given IDs: a message ID selects all its files, a file ID that file.
async fn select(client: &RelayClient, ids: &[String]) -> Result<Vec<MessageSummary>, ClientError> {
    let mut remaining: Vec<&String> = ids.iter().collect();
    let mut selected = Vec::new();
    let mut page = 1;
    while !remaining.is_empty() {
        let listing = client
            .messages(careplan_client::Mailbox::Inbox, page, 200)
            .await?;
        for mut message in listing.items {
            if let Some(i) = remaining.iter().position(|id| **id == message.id) {
                remaining.remove(i);
                selected.push(message);
                continue;
            }
            let before = remaining.len();
            message
                .files
                .retain(|f| remaining.iter().any(|id| **id == f.id));
            remaining.retain(|id| !message.files.iter().any(|f| &f.id == *id));
            if remaining.len() < before {
                selected.push(message);
            }
        }
        if u64::from(page) * u64::from(listing.per_page) >= listing.total {
            break;
        }
        page += 1;
    }
    if let Some(missing) = remaining.first() {
        return Err(ClientError::local(
            "fetch.not_found",
            format!("ID {missing} のデータは受信一覧にありません。careplan inbox で ID を確認してください。"),
        ));
    }
    Ok(selected)
}

pub async fn run(
    relay: &RelayArgs,
    all: bool,
    ids: &[String],
    folder: &Path,
    json: bool,
) -> ExitCode {
    let result = async {
        let client = relay.login().await?;
        let outcome = async {
            let messages = if all {
                client.unfetched_messages().await?
            } else {
                select(&client, ids).await?
            };
            // A file asked for by ID that is already 済 is reported, not skipped silently.
            let mut report = client
                .fetch_messages(&messages, folder, no_progress())
                .await;
            if !all {
                for file in messages
                    .iter()
                    .flat_map(|m| &m.files)
                    .filter(|f| f.fetched_at.is_some())
                {
                    if let Err(e) = client.fetch_file(file, folder, no_progress()).await {
                        report.failed.push((file.clone(), e));
                    }
                }
            }
            Ok::<FetchReport, ClientError>(report)
        }
        .await;
        let _ = client.logout().await;
        outcome
    }
    .await;
    let report = match result {
        Ok(report) => report,
        Err(e) => return fail("fetch", &e, json),
    };
    if json {
        print_json(&FetchOutput {
            fetched: report
                .fetched
                .iter()
                .map(|f| FetchedOutput {
                    file_id: f.file_id.clone(),
                    name: f.name.clone(),
                    saved_as: f.saved_as.display().to_string(),
                    fetched_at: f.fetched_at.clone(),
                })
                .collect(),
            failed: report
                .failed
                .iter()
                .map(|(file, e)| FailedOutput {
                    file_id: file.id.clone(),
                    name: file.name.clone(),
                    code: e.code().to_owned(),
                    message: e.to_string(),
                })
                .collect(),
        });
    } else {
        if report.fetched.is_empty() && report.failed.is_empty() {
            println!("取得するデータはありません（受信一覧の未取得は 0 件です）。");
        }
        for fetched in &report.fetched {
            println!("保存しました: {}", fetched.saved_as.display());
        }
        for (file, error) in &report.failed {
            eprintln!("× {}: {error}", file.name);
        }
    }
    match report.failed.iter().map(|(_, e)| exit_code(e)).max() {
        None => ExitCode::SUCCESS,
        Some(EXIT_CONNECTION) => ExitCode::from(EXIT_CONNECTION),
        Some(_) => ExitCode::from(EXIT_INVALID),
    }
}
