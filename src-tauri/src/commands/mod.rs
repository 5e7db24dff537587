//! The commands the UI invokes, one file per area. Each is thin: take the arguments, call
//! careplan-client or careplan-spec, map the answer or the error, and say in the log what it did.
//!
//! Tauri runs a synchronous command on the window's thread, so no command is synchronous that
//! reads or writes files, hashes, validates or asks the keyring: those are `async`, with that work
//! in [`blocking`] (a 10 MB check must not freeze the window).

pub mod checking;
pub mod directory;
pub mod drafts;
pub mod fetching;
pub mod history;
pub mod logs;
pub mod mailbox;
pub mod portal;
pub mod practice;
pub mod reading;
pub mod receipts;
pub mod sending;
pub mod session;
pub mod settings;

use std::path::PathBuf;

use careplan_client::{LocalFile, ProgressFn};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;
use crate::views::TransferProgressEvent;

/// Runs `work` on a thread for blocking work, in the command's log span. A panic there becomes an
/// error the screen can show instead of a dead command.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    let span = tracing::Span::current();
    tauri::async_runtime::spawn_blocking(move || span.in_scope(work))
        .await
        .map_err(|e| {
            CommandError::new(
                "app.internal",
                format!(
                    "処理を完了できませんでした（{e}）。アプリを再起動してもう一度お試しください。"
                ),
            )
        })?
}

/// [`blocking`] work on the app's state.
pub(crate) async fn with_state<R: Runtime, T: Send + 'static>(
    app: &AppHandle<R>,
    work: impl FnOnce(&AppState) -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    let app = app.clone();
    blocking(move || work(&app.state::<AppState>())).await
}

/// Reads the files the UI names (dropped or picked): Rust reads them, never the web view.
pub(crate) async fn read_files(paths: &[String]) -> CommandResult<Vec<LocalFile>> {
    let paths = paths.to_vec();
    blocking(move || read_files_here(&paths)).await
}

/// [`read_files`] on the calling thread, for work already in [`blocking`].
pub(crate) fn read_files_here(paths: &[String]) -> CommandResult<Vec<LocalFile>> {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    Ok(LocalFile::read_all(&paths)?)
}

/// The names of the files the UI names, for the log.
pub(crate) fn file_names(paths: &[String]) -> Vec<String> {
    paths
        .iter()
        .map(|path| {
            std::path::Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.clone())
        })
        .collect()
}

/// Progress as `transfer-progress` events to the UI.
pub(crate) fn progress_events<R: Runtime>(
    app: &tauri::AppHandle<R>,
    operation: &'static str,
) -> ProgressFn {
    let app = app.clone();
    std::sync::Arc::new(move |p| {
        let _ = app.emit(
            "transfer-progress",
            TransferProgressEvent {
                operation: operation.to_owned(),
                done: p.done,
                total: p.total,
            },
        );
    })
}
