//! Collecting the files named on the command line: files as given, folders recursively.

use std::fs;
use std::path::{Path, PathBuf};

/// A file read from disk.
pub struct LoadedFile {
    /// The name without folders, as the standard sees it.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Files that operating systems and file managers leave in folders; never part of a send.
fn is_system_file(name: &str) -> bool {
    name.starts_with('.')
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        fs::read_dir(dir).map_err(|e| format!("フォルダ「{}」を読めません: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            !path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_system_file)
        })
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
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
            walk(path, &mut files)?;
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
