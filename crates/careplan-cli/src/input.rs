//! Collecting the files named on the command line: files as given, folders recursively.

use std::fs;
use std::path::PathBuf;

use careplan_client::folders::files_under;

/// A file read from disk.
pub struct LoadedFile {
    /// The name without folders, as the standard sees it.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Reads every file under the given paths, in a stable order. An error is a usage error: the
/// message says which path could not be read.
pub fn load(paths: &[PathBuf]) -> Result<Vec<LoadedFile>, String> {
    load_files(paths, "検証する")
}

/// [`load`], with what the files are for in the message about an empty folder (`表示する` …).
pub fn load_files(paths: &[PathBuf], purpose: &str) -> Result<Vec<LoadedFile>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(
                files_under(path)
                    .map_err(|e| format!("フォルダ「{}」を読めません: {e}", path.display()))?,
            );
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(format!(
                "「{}」が見つかりません。ファイルまたはフォルダの場所を確認してください。",
                path.display()
            ));
        }
    }
    if files.is_empty() {
        return Err(format!(
            "{purpose}ファイルがありません。指定したフォルダが空でないか確認してください。"
        ));
    }
    files
        .into_iter()
        .map(|path| {
            let bytes =
                fs::read(&path).map_err(|e| format!("「{}」を読めません: {e}", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(LoadedFile { name, bytes })
        })
        .collect()
}
