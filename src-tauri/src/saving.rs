//! Saving a file the user asked for, shared by ログを保存 and 予実突合's CSVで保存: where (the OS save
//! dialog) and whole (a temporary file beside the target, renamed over it once complete, so that a
//! failure leaves no half-written file and an existing one whole).

use std::io::Write;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::{CommandError, CommandResult};

/// What the save dialog asks with.
pub struct SaveDialog<'a> {
    pub title: &'a str,
    pub file_name: String,
    /// The filter's name (「CSVファイル」) and its extensions.
    pub filter: (&'a str, &'a [&'a str]),
    /// The code of the refusal when the place chosen is not a path (`logs.save_failed` …).
    pub error_code: &'a str,
}

/// Asks where to save; `None` when the user cancels. Blocks: call it on a blocking thread.
pub fn ask_where<R: Runtime>(
    app: &AppHandle<R>,
    dialog: SaveDialog<'_>,
) -> CommandResult<Option<PathBuf>> {
    let chosen = app
        .dialog()
        .file()
        .set_title(dialog.title)
        .set_file_name(dialog.file_name)
        .add_filter(dialog.filter.0, dialog.filter.1)
        .blocking_save_file();
    let Some(chosen) = chosen else {
        tracing::info!("cancelled");
        return Ok(None);
    };
    chosen.into_path().map(Some).map_err(|e| {
        CommandError::new(
            dialog.error_code,
            format!("この保存先には保存できません（{e}）。別の保存先を選んでください。"),
        )
    })
}

/// Writes `bytes` to `target` through a temporary file in the same folder.
pub fn write_whole(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".careplan-")
        .suffix(".part")
        .tempfile_in(folder)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    // A failed persist hands the temporary file back inside the error; dropping it deletes it.
    temp.persist(target).map_err(|e| e.error)?;
    Ok(())
}
