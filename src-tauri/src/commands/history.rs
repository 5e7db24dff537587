//! 送受信履歴: a page for the screen, the whole period for the printed report, and the whole period
//! as CSV (CP932) where the user says, for an inspector at a 運営指導.

use careplan_api::{HistoryPage, HistoryQuery};
use careplan_client::history::{history_csv, HistoryExport, EXPORT_MAX_ROWS};
use tauri::{AppHandle, Runtime, State};

use crate::commands::blocking;
use crate::error::{CommandError, CommandResult};
use crate::logs::logged;
use crate::saving::{ask_where, write_whole, SaveDialog};
use crate::state::AppState;

/// Rows the printed report takes at most: 375 A4 sheets of 8. Past it the screen asks for a
/// shorter period; the CSV takes up to EXPORT_MAX_ROWS.
pub const REPORT_MAX_ROWS: usize = 3_000;

#[tauri::command]
#[tracing::instrument(skip_all, fields(from = %query.from, to = %query.to, page = ?query.page))]
pub async fn history(
    state: State<'_, AppState>,
    query: HistoryQuery,
) -> CommandResult<HistoryPage> {
    logged(async { Ok(state.client()?.history(&query).await?) }).await
}

/// The whole period as one page, for the printed report.
#[tauri::command]
#[tracing::instrument(skip_all, fields(from = %query.from, to = %query.to))]
pub async fn history_report(
    state: State<'_, AppState>,
    query: HistoryQuery,
) -> CommandResult<HistoryPage> {
    logged(async {
        let export = state.client()?.history_all(&query, REPORT_MAX_ROWS).await?;
        tracing::info!(rows = export.items.len(), "report");
        Ok(as_one_page(export))
    })
    .await
}

fn as_one_page(export: HistoryExport) -> HistoryPage {
    let rows = export.items.len();
    HistoryPage {
        total: rows as u64,
        page: 1,
        per_page: rows.max(1) as u32,
        items: export.items,
        from: export.from,
        to: export.to,
        receipt_key_id: export.receipt_key_id,
        generated_at: export.generated_at,
    }
}

/// Reads the whole period (refused before any dialog when it is too long), then saves it as CSV
/// where the OS save dialog says. The saved path, or `None` when the user cancels.
#[tauri::command]
#[tracing::instrument(skip_all, fields(from = %query.from, to = %query.to))]
pub async fn save_history_csv<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    query: HistoryQuery,
) -> CommandResult<Option<String>> {
    logged(async {
        let export = state.client()?.history_all(&query, EXPORT_MAX_ROWS).await?;
        let bytes = history_csv(&export.items);
        let file_name = csv_file_name(&export.from, &export.to);
        blocking(move || {
            let dialog = SaveDialog {
                title: "送受信履歴の保存先",
                file_name,
                filter: ("CSVファイル", &["csv"]),
                error_code: "history.save_failed",
            };
            let Some(target) = ask_where(&app, dialog)? else {
                return Ok(None);
            };
            write_whole(&target, &bytes).map_err(|e| {
                tracing::warn!(target = %target.display(), error = %e, "not saved");
                CommandError::new(
                    "history.save_failed",
                    "送受信履歴を保存できませんでした。保存先のフォルダに書き込めるか確かめて、もう一度保存してください。",
                )
            })?;
            tracing::info!(target = %target.display(), rows = export.items.len(), "history saved");
            Ok(Some(target.display().to_string()))
        })
        .await
    })
    .await
}

/// `送受信履歴_20250401-20250430.csv`.
fn csv_file_name(from: &str, to: &str) -> String {
    format!(
        "送受信履歴_{}-{}.csv",
        from.replace('-', ""),
        to.replace('-', "")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_is_named_by_its_period() {
        assert_eq!(
            csv_file_name("2025-04-01", "2025-04-30"),
            "送受信履歴_20250401-20250430.csv"
        );
    }

    #[test]
    fn a_report_is_the_whole_period_as_one_page() {
        let page = as_one_page(HistoryExport {
            items: Vec::new(),
            from: "2025-04-01".into(),
            to: "2025-04-30".into(),
            receipt_key_id: "0123456789abcdef".into(),
            generated_at: "2025-05-01T09:00:00+09:00".into(),
        });
        assert_eq!((page.total, page.page, page.per_page), (0, 1, 1));
        assert_eq!(page.receipt_key_id, "0123456789abcdef");
    }
}
