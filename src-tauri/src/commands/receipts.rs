//! 受領証 from 送信一覧: the relay's signed receipt of a file the partner took, saved where the user
//! says, for the office's records (運営指導). `careplan verify-receipt` checks it offline.

use careplan_api::FileEntry;
use tauri::{AppHandle, Runtime, State};

use crate::commands::blocking;
use crate::error::{CommandError, CommandResult};
use crate::logs::logged;
use crate::saving::{ask_where, write_whole, SaveDialog};
use crate::state::AppState;

/// Fetches the 受領証 of `file` (a file of 送信一覧 its receiver has taken) and saves it as JSON
/// where the OS save dialog says. Answers the saved path, or `None` when the user cancels. A file
/// not yet taken is refused by the relay (`receipt.not_issued`) before any dialog.
#[tauri::command]
#[tracing::instrument(skip_all, fields(file = %file.id))]
pub async fn save_receipt<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    file: FileEntry,
) -> CommandResult<Option<String>> {
    logged(async {
        let signed = state.client()?.receipt(&file.id).await?;
        let text = careplan_receipts::to_json(&signed);
        blocking(move || {
            let dialog = SaveDialog {
                title: "受領証の保存先",
                file_name: receipt_file_name(&file.name),
                filter: ("受領証（JSON）", &["json"]),
                error_code: "receipt.save_failed",
            };
            let Some(target) = ask_where(&app, dialog)? else {
                return Ok(None);
            };
            write_whole(&target, text.as_bytes()).map_err(|e| {
                tracing::warn!(target = %target.display(), error = %e, "not saved");
                CommandError::new(
                    "receipt.save_failed",
                    "受領証を保存できませんでした。保存先のフォルダに書き込めるか確かめて、もう一度保存してください。",
                )
            })?;
            tracing::info!(target = %target.display(), "receipt saved");
            Ok(Some(target.display().to_string()))
        })
        .await
    })
    .await
}

/// `受領証_UPPLAN_202504_….json`: the file's name without its extension.
fn receipt_file_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("受領証_{stem}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_is_named_after_its_file() {
        assert_eq!(
            receipt_file_name("UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV"),
            "受領証_UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.json"
        );
        assert_eq!(receipt_file_name("連絡"), "受領証_連絡.json");
    }
}
