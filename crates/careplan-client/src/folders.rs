//! The files of a folder as a send (or a viewer) takes them: recursively, in name order, without the
//! files operating systems and file managers leave in folders.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Files that operating systems and file managers leave in folders; never part of a send.
pub fn is_system_file(name: &str) -> bool {
    name.starts_with('.')
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

/// Every file under `folder`, sub-folders included, sorted by path within each folder.
pub fn files_under(folder: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    walk(folder, &mut out)?;
    Ok(out)
}

fn walk(folder: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut paths: Vec<PathBuf> = fs::read_dir(folder)?
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sub_folders_in_order_and_leaves_system_files_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("b")).unwrap();
        for name in [
            "z.CSV",
            "a.CSV",
            ".DS_Store",
            "Thumbs.db",
            "desktop.ini",
            "b/c.CSV",
        ] {
            fs::write(root.join(name), b"x").unwrap();
        }
        let found: Vec<String> = files_under(root)
            .unwrap()
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(found, ["a.CSV", "b/c.CSV", "z.CSV"]);
    }

    #[test]
    fn a_folder_that_is_not_there_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(files_under(&dir.path().join("missing")).is_err());
    }
}
