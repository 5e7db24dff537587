//! `careplan show`: a file or a send unit, readably in Japanese or as JSON of the typed records
//! (docs/records-json.md).

use std::path::PathBuf;
use std::process::ExitCode;

use careplan_records::{open, OtherFile, OtherKind, StandardFile, UnitSummary};
use careplan_spec::{validate, Diagnostic, InputFile};
use serde::Serialize;

use crate::outcome::{print_json, EXIT_INVALID, EXIT_USAGE};
use crate::{input, show_text};

/// What `careplan show --json` prints.
#[derive(Serialize)]
struct Shown {
    /// True when every file is a standard file and the validator finds no error.
    ok: bool,
    units: Vec<UnitSummary>,
    files: Vec<StandardFile>,
    others: Vec<OtherFile>,
    /// The validator's findings (as `careplan validate --json` gives them), to show at their items.
    diagnostics: Vec<Diagnostic>,
}

pub fn run(paths: &[PathBuf], json: bool) -> ExitCode {
    let loaded = match input::load_files(paths, "表示する") {
        Ok(files) => files,
        Err(message) => {
            eprintln!("careplan show: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let inputs: Vec<InputFile<'_>> = loaded
        .iter()
        .map(|f| InputFile {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    let report = validate(&inputs);
    let opened = open(&inputs);
    let (units, others) = (opened.units, opened.others);
    let files: Vec<StandardFile> = opened.files.into_iter().map(|f| f.file).collect();
    let ok = report.ok && others.iter().all(|o| o.kind == OtherKind::Attachment);
    let diagnostics: Vec<Diagnostic> = report.diagnostics().cloned().collect();
    if json {
        print_json(&Shown {
            ok,
            units,
            files,
            others,
            diagnostics,
        });
    } else {
        print!("{}", show_text::render(&units, &files));
        for other in &others {
            println!("■ {}\n  {}\n", other.name, other.message);
        }
        if !diagnostics.is_empty() {
            println!("■ 標準仕様チェックの指摘（careplan validate と同じ）");
            for d in &diagnostics {
                let location = d.location();
                let file = d.file.as_deref().unwrap_or("送信単位");
                println!(
                    "  [{}] {file} {location}: {} ({})",
                    d.severity.label(),
                    d.message,
                    d.code
                );
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    }
}
