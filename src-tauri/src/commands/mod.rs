//! The commands the UI invokes, one file per area. Each is thin: take the arguments, call
//! careplan-client or careplan-spec, map the answer or the error.

pub mod checking;
pub mod drafts;
pub mod fetching;
pub mod mailbox;
pub mod practice;
pub mod sending;
pub mod session;
pub mod settings;

use std::path::PathBuf;

use careplan_client::{LocalFile, ProgressFn};
use tauri::{Emitter, Runtime};

use crate::error::CommandResult;
use crate::views::TransferProgressEvent;

/// Reads the files the UI names (dropped or picked): Rust reads them, never the web view.
pub(crate) fn read_files(paths: &[String]) -> CommandResult<Vec<LocalFile>> {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    Ok(LocalFile::read_all(&paths)?)
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
