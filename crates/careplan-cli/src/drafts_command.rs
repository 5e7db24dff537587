//! `careplan drafts`: 下書き一覧, 一時保存, send and delete.

use std::path::PathBuf;
use std::process::ExitCode;

use bytes::Bytes;
use careplan_client::{ClientError, LocalFile, RelayClient};
use clap::Subcommand;

use crate::input;
use crate::outcome::{fail, print_json};
use crate::relay_args::RelayArgs;

#[derive(Subcommand, Debug)]
pub enum DraftsCommand {
    /// 下書き一覧を表示します。
    List,
    /// ファイルを下書きとして一時保存します（検証はしません）。
    Save {
        /// 送信先の事業所番号。
        #[arg(long)]
        to: String,
        /// メッセージ。
        #[arg(long, default_value = "")]
        message: String,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// 下書きを送信します（送信後、下書きは消えます）。
    Send { id: String },
    /// 下書きを削除します。
    Delete { id: String },
}

async fn act(
    client: &RelayClient,
    command: &DraftsCommand,
) -> Result<serde_json::Value, ClientError> {
    let value = match command {
        DraftsCommand::List => serde_json::to_value(client.drafts().await?),
        DraftsCommand::Save { to, message, files } => {
            let loaded =
                input::load(files).map_err(|m| ClientError::local("file.unreadable", m))?;
            let files: Vec<LocalFile> = loaded
                .into_iter()
                .map(|f| LocalFile {
                    name: f.name,
                    bytes: Bytes::from(f.bytes),
                })
                .collect();
            serde_json::to_value(client.save_draft(to, message, &files).await?)
        }
        DraftsCommand::Send { id } => serde_json::to_value(client.send_draft(id).await?),
        DraftsCommand::Delete { id } => {
            client.delete_draft(id).await?;
            Ok(serde_json::json!({ "deleted": id }))
        }
    };
    Ok(value.expect("answers serialise"))
}

fn render(command: &DraftsCommand, value: &serde_json::Value) -> String {
    let text = |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or("").to_owned();
    match command {
        DraftsCommand::List => {
            let drafts = value.as_array().cloned().unwrap_or_default();
            let mut out = format!("下書き一覧（{} 件）\n", drafts.len());
            for draft in &drafts {
                out.push_str(&format!(
                    "{}  送信先 {}  ファイル {} 件  端末 {}  ID {}\n",
                    text(draft, "saved_at")
                        .get(..16)
                        .unwrap_or("")
                        .replace('T', " "),
                    text(draft, "to"),
                    draft["files"].as_array().map_or(0, Vec::len),
                    text(draft, "terminal_name"),
                    text(draft, "id")
                ));
            }
            out
        }
        DraftsCommand::Save { .. } => format!("一時保存しました（ID {}）\n", text(value, "id")),
        DraftsCommand::Send { .. } => {
            format!("送信しました（ID {}）\n", text(&value["message"], "id"))
        }
        DraftsCommand::Delete { id } => format!("下書き {id} を削除しました。\n"),
    }
}

pub async fn run(relay: &RelayArgs, command: &DraftsCommand, json: bool) -> ExitCode {
    let result = async {
        let client = relay.login().await?;
        let value = act(&client, command).await;
        let _ = client.logout().await;
        value
    }
    .await;
    match result {
        Ok(value) => {
            if json {
                print_json(&value);
            } else {
                print!("{}", render(command, &value));
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail("drafts", &e, json),
    }
}
