//! `careplan validate`.

use std::path::PathBuf;
use std::process::ExitCode;

use careplan_spec::{validate, InputFile};

use crate::outcome::{EXIT_INVALID, EXIT_USAGE};
use crate::{input, report_text};

pub fn run(paths: &[PathBuf], json: bool) -> ExitCode {
    let files = match input::load(paths) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("careplan validate: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|f| InputFile {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    let report = validate(&inputs);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("reports serialise")
        );
    } else {
        print!("{}", report_text::render(&report));
    }
    if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    }
}
