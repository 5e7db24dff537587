//! The app's log, for the help desk. A Windows release build has no console, so what support needs
//! (the app's start, settings changed, login stages, checks, sends, fetches and drafts, each with its
//! outcome, error code and the relay's request id) goes to one file a day in the app's log folder,
//! kept 14 days, and ログを保存 hands the last 7 days over as one text file ([`export`]).
//!
//! Never a password, a token, a certificate's password, a メッセージ or a file's contents: every command
//! names the fields it logs (`instrument(skip_all, fields(…))`), and a test scans the file for them.

mod export;

pub use export::{default_export_name, log_day, write_recent_logs, EXPORT_DAYS};

use std::future::Future;
use std::path::Path;

use tracing::Level;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

use crate::error::{CommandError, CommandResult};

/// Log files are `careplan.YYYY-MM-DD.log` (the day in UTC, as the rotation counts days).
pub const FILE_PREFIX: &str = "careplan";
pub const FILE_SUFFIX: &str = "log";
/// Days of log kept; older files are deleted as a new day starts.
pub const KEEP_DAYS: usize = 14;

/// Starts writing this process's log into `folder`; the first call of a process wins. Each event
/// is written to the file at once (no buffer), so the lines before a crash are there to read.
pub fn start(folder: &Path) -> Result<(), String> {
    std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix(FILE_SUFFIX)
        .max_log_files(KEEP_DAYS)
        .build(folder)
        .map_err(|e| e.to_string())?;
    // The app's own events; the libraries' (the practice relay's too) only when something is
    // wrong: their detail is for developers, and no library's debug output can reach the file.
    let filter = Targets::new()
        .with_target("careplan_desktop", Level::INFO)
        .with_target("careplan_client", Level::INFO)
        .with_default(Level::WARN);
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(appender)
        .with_filter(filter);
    tracing_subscriber::registry()
        .with(layer)
        .try_init()
        .map_err(|e| e.to_string())
}

/// Records how a command ended, in the command's span: `done`, or what went wrong with the relay's
/// request id, which the relay's own log is searched by.
pub fn outcome<T>(result: CommandResult<T>) -> CommandResult<T> {
    match &result {
        Ok(_) => tracing::info!("done"),
        Err(error) => failure(error),
    }
    result
}

/// [`outcome`] of a command's work.
pub async fn logged<T>(work: impl Future<Output = CommandResult<T>>) -> CommandResult<T> {
    outcome(work.await)
}

/// An error: its code, its Japanese message (it names files and settings, never secrets) and the
/// relay's request id when the relay refused.
pub fn failure(error: &CommandError) {
    tracing::warn!(
        code = error.code(),
        request_id = error.request_id(),
        detail = %error.0.message,
        "failed"
    );
}
