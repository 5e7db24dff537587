//! What the tests of the offline commands share: running the binary, the fixtures.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// A path under fixtures/, as an argument.
pub fn fixture(path: &str) -> String {
    fixtures().join(path).to_string_lossy().into_owned()
}

pub fn careplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_careplan"))
        .args(args)
        .output()
        .expect("careplan runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}
