//! `careplan send` and `careplan bulk-send`. Files are checked against the standard here first, so
//! that a bad file is explained before anything leaves the PC.

use std::path::PathBuf;
use std::process::ExitCode;

use bytes::Bytes;
use careplan_api::{ApiDiagnostic, BulkResponse};
use careplan_client::{no_progress, BulkExtras, ClientError, LocalFile};
use careplan_spec::{validate, InputFile};

use crate::input;
use crate::outcome::{fail, print_json, EXIT_INVALID};
use crate::relay_args::RelayArgs;

/// Reads the named files and folders and validates them together.
fn checked_files(paths: &[PathBuf]) -> Result<Vec<LocalFile>, ClientError> {
    let loaded = input::load(paths).map_err(|m| ClientError::local("file.unreadable", m))?;
    let inputs: Vec<InputFile<'_>> = loaded
        .iter()
        .map(|f| InputFile {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    let report = validate(&inputs);
    if !report.ok {
        return Err(ClientError::Refused {
            status: 422,
            error: careplan_api::ApiError {
                code: "send.invalid_files".into(),
                message: format!(
                    "標準仕様に合わない点が {} 件あります。送信していません。直してからもう一度送信してください。",
                    report.error_count()
                ),
                diagnostics: report.diagnostics().map(ApiDiagnostic::from).collect(),
                request_id: None,
            },
        });
    }
    Ok(loaded
        .into_iter()
        .map(|f| LocalFile {
            name: f.name,
            bytes: Bytes::from(f.bytes),
        })
        .collect())
}

pub async fn send(
    relay: &RelayArgs,
    to: &str,
    message: &str,
    paths: &[PathBuf],
    json: bool,
) -> ExitCode {
    let result = async {
        let files = checked_files(paths)?;
        let client = relay.login().await?;
        let sent = client.send(to, message, &files, no_progress()).await;
        let _ = client.logout().await;
        sent
    }
    .await;
    match result {
        Ok(response) if json => {
            print_json(&response);
            ExitCode::SUCCESS
        }
        Ok(response) => {
            println!(
                "送信しました: {}（{}）へ {} 件（ID {}）",
                response.message.counterpart.name,
                response.message.counterpart.number,
                response.message.files.len(),
                response.message.id
            );
            for warning in &response.warnings {
                println!("  注意: {}", warning.message);
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail("send", &e, json),
    }
}

pub async fn bulk_send(
    relay: &RelayArgs,
    message: &str,
    paths: &[PathBuf],
    json: bool,
) -> ExitCode {
    let result = async {
        let files = checked_files(paths)?;
        let client = relay.login().await?;
        // The same メッセージ for every destination found in the names.
        let mut extras = BulkExtras::default();
        if !message.is_empty() {
            for file in &files {
                if let Ok(name) = careplan_spec::FileName::parse(&file.name) {
                    extras
                        .messages
                        .insert(name.receiver.office.as_str().to_owned(), message.to_owned());
                }
            }
        }
        let sent = client.bulk_send(&files, &extras, no_progress()).await;
        let _ = client.logout().await;
        sent
    }
    .await;
    match result {
        Ok(response) => {
            if json {
                print_json(&response);
            } else {
                print!("{}", render_bulk(&response));
            }
            if response.results.iter().all(|r| r.error.is_none()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_INVALID)
            }
        }
        Err(e) => fail("bulk-send", &e, json),
    }
}

fn render_bulk(response: &BulkResponse) -> String {
    let mut out = String::from("一括送信の結果\n");
    for result in &response.results {
        let to = result.to.as_deref().unwrap_or("送信先不明");
        let name = result.office_name.as_deref().unwrap_or("");
        match (&result.message, &result.error) {
            (Some(message), _) => out.push_str(&format!(
                "○ {to} {name}: {} 件を送信しました（ID {}）\n",
                result.files.len(),
                message.id
            )),
            (None, Some(error)) => out.push_str(&format!(
                "× {to} {name}: {}（{}）\n",
                error.message,
                result.files.join("、")
            )),
            (None, None) => {}
        }
    }
    out
}
