//! Checks before sending: every dropped file against the standard (and, once logged in, that it is
//! this office's to send), whom each file is about, which destinations the files name, and 一括送信's
//! grouping by the destination in the file names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use careplan_api::ApiDiagnostic;
use careplan_client::LocalFile;
use careplan_spec::{validate, FileKind, FileName, InputFile};
use sha2::{Digest, Sha256};
use tauri::{AppHandle, Runtime, State};

use crate::commands::{file_names, with_state};
use crate::error::CommandResult;
use crate::logs::logged;
use crate::state::AppState;
use crate::views::{BulkDestination, BulkPlan, FileCheck, FilesCheck, UnitCheck};

/// Checks the files as one send (each file, then each send unit), with Japanese diagnostics. A file
/// that cannot be read is one unreadable entry among the others, never a failure of the whole
/// check: the others are still checked, and the screen can offer to take that one out.
#[tauri::command]
#[tracing::instrument(skip_all, fields(count = paths.len()))]
pub async fn check_files<R: Runtime>(
    app: AppHandle<R>,
    paths: Vec<String>,
) -> CommandResult<FilesCheck> {
    logged(async {
        let names = file_names(&paths);
        let check = with_state(&app, move |state| {
            Ok(check(&paths, state.logged_in_office().as_deref()))
        })
        .await?;
        let codes: BTreeSet<&str> = check
            .files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .chain(check.units.iter().flat_map(|u| &u.diagnostics))
            .map(|d| d.code.as_str())
            .collect();
        tracing::info!(files = ?names, ok = check.ok, codes = ?codes, "checked");
        Ok(check)
    })
    .await
}

/// A file as read from disk, or why not.
enum Read {
    Bytes(LocalFile),
    Unreadable(ApiDiagnostic),
}

fn read(path: &str, name: &str) -> Read {
    match std::fs::read(path) {
        Ok(bytes) => Read::Bytes(LocalFile {
            name: name.to_owned(),
            bytes: bytes.into(),
        }),
        Err(e) => {
            // The operating system's words are for the help desk's log, not for the screen.
            tracing::warn!(file = %name, error = %e, "unreadable");
            let error = careplan_client::unreadable(name, &e);
            Read::Unreadable(ApiDiagnostic {
                code: error.code().to_owned(),
                severity: "error".into(),
                file: Some(name.to_owned()),
                line: None,
                item_no: None,
                item_name: None,
                message: error.to_string(),
            })
        }
    }
}

/// The check of `paths` as one send; `own_office`, when logged in, is the only sender allowed.
pub(crate) fn check(paths: &[String], own_office: Option<&str>) -> FilesCheck {
    let names = file_names(paths);
    let read: Vec<Read> = paths
        .iter()
        .zip(&names)
        .map(|(path, name)| read(path, name))
        .collect();
    check_read(paths, &names, read, own_office)
}

/// The check of files already in memory (a draft's, from the relay), each named by its name.
pub(crate) fn check_files_in_memory(files: Vec<LocalFile>, own_office: Option<&str>) -> FilesCheck {
    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let read = files.into_iter().map(Read::Bytes).collect();
    check_read(&names, &names, read, own_office)
}

fn check_read(
    paths: &[String],
    names: &[String],
    read: Vec<Read>,
    own_office: Option<&str>,
) -> FilesCheck {
    let files: Vec<&LocalFile> = read
        .iter()
        .filter_map(|r| match r {
            Read::Bytes(file) => Some(file),
            Read::Unreadable(_) => None,
        })
        .collect();
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|f| InputFile {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    let report = validate(&inputs);
    let people = people_by_serial(&files);
    let mut reports = report.files.iter();
    let mut checked = Vec::with_capacity(paths.len());
    for ((path, name), entry) in paths.iter().zip(names).zip(&read) {
        let check = match entry {
            Read::Unreadable(why) => FileCheck {
                path: path.clone(),
                name: name.clone(),
                kind_name: kind_name_of(name),
                ok: false,
                unreadable: true,
                sha256: None,
                people: Vec::new(),
                diagnostics: vec![why.clone()],
                suppressed: 0,
            },
            Read::Bytes(file) => {
                let file_report = reports.next().expect("one report per file validated");
                let mut diagnostics: Vec<ApiDiagnostic> = file_report
                    .diagnostics
                    .iter()
                    .map(ApiDiagnostic::from)
                    .collect();
                let foreign = own_office.and_then(|own| foreign_sender(name, own));
                let ok = file_report.ok && foreign.is_none();
                diagnostics.extend(foreign);
                FileCheck {
                    path: path.clone(),
                    name: name.clone(),
                    kind_name: file_report.kind_name.clone(),
                    ok,
                    unreadable: false,
                    sha256: Some(hex::encode(Sha256::digest(&file.bytes))),
                    people: file_report
                        .serial
                        .as_ref()
                        .and_then(|serial| people.get(serial))
                        .map(|(_, people)| people.clone())
                        .unwrap_or_default(),
                    diagnostics,
                    suppressed: file_report.suppressed as u32,
                }
            }
        };
        checked.push(check);
    }
    let units: Vec<UnitCheck> = report
        .units
        .iter()
        .map(|unit| {
            let (title, people) = people.get(&unit.serial).cloned().unwrap_or_default();
            UnitCheck {
                serial: unit.serial.clone(),
                type_name: unit.type_name.clone(),
                title: if title.is_empty() {
                    unit.type_name.clone()
                } else {
                    title
                },
                people,
                files: unit.files.clone(),
                ok: unit.ok,
                diagnostics: unit.diagnostics.iter().map(ApiDiagnostic::from).collect(),
            }
        })
        .collect();
    let destinations: BTreeSet<String> = names
        .iter()
        .filter_map(|name| FileName::parse(name).ok())
        .map(|parsed| parsed.receiver.office.as_str().to_owned())
        .collect();
    FilesCheck {
        ok: report.ok && checked.iter().all(|f| f.ok),
        files: checked,
        units,
        destinations: destinations.into_iter().collect(),
    }
}

/// Each send unit's title and people (by ファイル連番), from the files that read as records: a
/// broken file reads in part or not at all, and its unit's 補足 still names the person.
fn people_by_serial(files: &[&LocalFile]) -> BTreeMap<String, (String, Vec<String>)> {
    let records: Vec<careplan_records::StandardFile> = files
        .iter()
        .filter_map(|f| careplan_records::read_file(&f.name, &f.bytes).ok())
        .collect();
    careplan_records::summarize_units(&records)
        .into_iter()
        .map(|unit| {
            let people = unit.people.into_iter().map(|p| p.label).collect();
            (unit.serial, (unit.title, people))
        })
        .collect()
}

/// A standard file whose name says another office sends it: refused by the relay at 送信, so said
/// when the file is added.
fn foreign_sender(name: &str, own: &str) -> Option<ApiDiagnostic> {
    let parsed = FileName::parse(name).ok()?;
    let sender = parsed.sender.office.as_str();
    (sender != own).then(|| ApiDiagnostic {
        code: "send.sender_mismatch".into(),
        severity: "error".into(),
        file: Some(name.to_owned()),
        line: None,
        item_no: None,
        item_name: None,
        message: format!(
            "このファイルの送信元の事業所番号（{sender}）が、ログインしている事業所（{own}）と違います。自分の事業所のファイルだけを送れます。"
        ),
    })
}

/// What a file is, from its name alone (for a file that could not be read).
fn kind_name_of(name: &str) -> String {
    match FileName::parse(name) {
        Ok(parsed) => parsed.kind.japanese_name().to_owned(),
        Err(_) => "ファイル".to_owned(),
    }
}

/// サービス種類 names by code, so that the screens can show "11 訪問介護" instead of a bare code.
#[tauri::command]
pub fn service_kind_names() -> BTreeMap<String, String> {
    careplan_spec::numbers::service_kinds()
        .map(|(code, name)| (code.to_owned(), name.to_owned()))
        .collect()
}

/// The standard's file kinds by their name's prefix (`UPPLAN` → サービス利用票（第6表）予定), so
/// that 受信一覧 can say what each file is.
#[tauri::command]
pub fn file_kind_names() -> BTreeMap<String, String> {
    FileKind::ALL
        .iter()
        .map(|kind| (kind.prefix().to_owned(), kind.japanese_name().to_owned()))
        .collect()
}

/// 一括送信's preview: which files go to which office, with the office's name from the register.
#[tauri::command]
#[tracing::instrument(skip_all, fields(count = paths.len()))]
pub async fn plan_bulk(state: State<'_, AppState>, paths: Vec<String>) -> CommandResult<BulkPlan> {
    logged(plan(&state, paths)).await
}

async fn plan(state: &AppState, paths: Vec<String>) -> CommandResult<BulkPlan> {
    let client = state.client()?;
    let mut grouped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unrouted = Vec::new();
    for path in paths {
        let name = Path::new(&path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match FileName::parse(&name) {
            Ok(parsed) => grouped
                .entry(parsed.receiver.office.as_str().to_owned())
                .or_default()
                .push(path),
            Err(_) => unrouted.push(path),
        }
    }
    let mut destinations = Vec::with_capacity(grouped.len());
    for (office_number, paths) in grouped {
        let office = match client.office(&office_number).await {
            Ok(office) => Some(office),
            Err(e) if e.code() == "office.not_found" => None,
            Err(e) => return Err(e.into()),
        };
        destinations.push(BulkDestination {
            office_number,
            office,
            paths,
        });
    }
    tracing::info!(
        destinations = ?destinations.iter().map(|d| &d.office_number).collect::<Vec<_>>(),
        unrouted = unrouted.len(),
        "planned"
    );
    Ok(BulkPlan {
        destinations,
        unrouted,
    })
}
