//! The repository's fixtures (`fixtures/valid/<case>`, `fixtures/invalid/<code>`, …).

use std::path::{Path, PathBuf};

/// A folder of the fixtures, e.g. `valid/v41-plan`.
pub fn fixture_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(case)
}

/// The files of a folder, sorted by name.
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The files of a fixture folder, sorted by name.
pub fn fixture_paths(case: &str) -> Vec<PathBuf> {
    files_in(&fixture_dir(case))
}

/// The files of a fixture folder as (name, bytes), sorted by name.
pub fn fixture_files(case: &str) -> Vec<(String, Vec<u8>)> {
    fixture_paths(case)
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}
