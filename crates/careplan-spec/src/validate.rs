//! Validating a set of files that are to be sent together: each file on its own, then the send units
//! they form.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::attachment::{check_attachment, extension_of};
use crate::diagnostic::{all_pass, Code, Diagnostic};
use crate::file_check::{check_csv_file, CsvFileFindings};
use crate::filename::FileName;
use crate::units::{check_units, UnitMember, UnitReport};
use crate::windows_name::{normalized, windows_name_problem};

/// A file to validate: its name (without folders) and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct InputFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// The verdict on one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub name: String,
    /// The prefix (`UPPLAN` …), `attachment`, or `unknown`.
    pub kind: String,
    /// Japanese name of the kind.
    pub kind_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csv_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    pub ok: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings not listed because the same rule was already reported many times in this file.
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The verdict on a whole set.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// True when no file and no unit has an error (warnings allowed).
    pub ok: bool,
    pub files: Vec<FileReport>,
    pub units: Vec<UnitReport>,
}

impl Report {
    /// Every diagnostic, of files and of units.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .chain(self.units.iter().flat_map(|u| &u.diagnostics))
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics().filter(|d| !d.is_error()).count()
    }
}

enum Classified {
    Standard(Box<(FileName, Option<CsvFileFindings>)>),
    Attachment,
    Unknown,
}

/// Validates a set of files meant to be sent together.
pub fn validate(files: &[InputFile<'_>]) -> Report {
    let mut seen = HashSet::new();
    let mut reports = Vec::with_capacity(files.len());
    let mut classified = Vec::with_capacity(files.len());

    for file in files {
        let mut diagnostics = Vec::new();
        let mut suppressed = 0;
        // Windows folders do not tell case apart, nor (once the names are in NFC, as the relay
        // stores them) a Mac's NFD spelling from the NFC one.
        if !seen.insert(normalized(file.name).to_uppercase()) {
            diagnostics.push(Diagnostic::new(
                Code::NameDuplicate,
                format!("「{}」という名前のファイルが2つ以上あります（大文字と小文字や、文字の表し方だけが違う名前も同じ名前になります）。同じファイルを2回選んでいないか確認してください。", file.name),
            ));
        }
        diagnostics.extend(windows_name_problem(file.name));
        let class = match FileName::parse(file.name) {
            Ok(name) => {
                diagnostics.extend(name.warnings());
                diagnostics.extend(name.direction_finding());
                let findings = if name.kind.is_image() {
                    diagnostics.extend(check_attachment(file.name, file.bytes));
                    None
                } else {
                    let findings = check_csv_file(&name, file.bytes);
                    diagnostics.extend(findings.diagnostics.iter().cloned());
                    suppressed = findings.suppressed;
                    Some(findings)
                };
                Classified::Standard(Box::new((name, findings)))
            }
            Err(name_error) => {
                let extension = extension_of(file.name).unwrap_or("");
                // A name that starts like a standard file but is wrong is a naming mistake; any other
                // non-CSV file is an attachment, allowed or not.
                let is_attachment = name_error.code == Code::NameUnknownPrefix
                    && !extension.eq_ignore_ascii_case("csv");
                if is_attachment {
                    diagnostics.extend(check_attachment(file.name, file.bytes));
                    Classified::Attachment
                } else {
                    diagnostics.push(name_error);
                    Classified::Unknown
                }
            }
        };
        for diagnostic in &mut diagnostics {
            diagnostic.file.get_or_insert_with(|| file.name.to_owned());
        }
        let (kind, kind_name, csv_version, serial) = match &class {
            Classified::Standard(standard) => {
                let (name, findings) = &**standard;
                (
                    name.kind.prefix().to_owned(),
                    name.kind.japanese_name().to_owned(),
                    findings
                        .as_ref()
                        .and_then(|f| f.version)
                        .map(|v| v.as_str().to_owned()),
                    Some(name.serial.to_string()),
                )
            }
            Classified::Attachment => (
                "attachment".to_owned(),
                "添付ファイル".to_owned(),
                None,
                None,
            ),
            Classified::Unknown => (
                "unknown".to_owned(),
                "不明なファイル".to_owned(),
                None,
                None,
            ),
        };
        reports.push(FileReport {
            name: file.name.to_owned(),
            kind,
            kind_name,
            csv_version,
            serial,
            ok: all_pass(&diagnostics),
            diagnostics,
            suppressed,
        });
        classified.push(class);
    }

    let members: Vec<UnitMember<'_>> = classified
        .iter()
        .filter_map(|c| match c {
            Classified::Standard(standard) => Some(UnitMember {
                name: &standard.0,
                findings: standard.1.as_ref(),
            }),
            _ => None,
        })
        .collect();
    let mut units = check_units(&members);
    // A unit can be sent only if every one of its files can.
    let mut file_ok: HashMap<&str, bool> = HashMap::new();
    for report in &reports {
        *file_ok.entry(report.name.as_str()).or_insert(true) &= report.ok;
    }
    for unit in &mut units {
        unit.ok &= unit
            .files
            .iter()
            .all(|name| file_ok.get(name.as_str()).copied().unwrap_or(true));
    }
    let ok = !reports.is_empty() && reports.iter().all(|r| r.ok) && units.iter().all(|u| u.ok);
    Report {
        ok,
        files: reports,
        units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(files: &[(&str, &[u8])]) -> Vec<Code> {
        let inputs: Vec<InputFile<'_>> = files
            .iter()
            .map(|&(name, bytes)| InputFile { name, bytes })
            .collect();
        validate(&inputs).diagnostics().map(|d| d.code).collect()
    }

    #[test]
    fn names_windows_cannot_hold_are_errors_of_their_own() {
        for name in [
            "notes:hidden.txt",
            "CON.txt",
            "NUL.txt",
            "COM1.txt",
            "a\u{200B}.txt",
        ] {
            assert_eq!(
                codes(&[(name, b"text\r\n")]),
                vec![Code::NameWindowsInvalid],
                "{name:?}"
            );
        }
        assert!(codes(&[("連絡.txt", b"text\r\n")]).is_empty());
    }

    #[test]
    fn nfc_and_nfd_twins_and_case_twins_are_duplicates() {
        let nfc = "がいご.txt";
        let nfd = "か\u{3099}いこ\u{3099}.txt";
        assert_eq!(
            codes(&[(nfc, b"a\r\n"), (nfd, b"b\r\n")]),
            vec![Code::NameDuplicate]
        );
        assert_eq!(
            codes(&[("Memo.txt", b"a\r\n"), ("MEMO.TXT", b"b\r\n")]),
            vec![Code::NameDuplicate]
        );
    }
}
