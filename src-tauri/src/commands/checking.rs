//! Checks before sending: every dropped file against the standard, and 一括送信's grouping by the
//! destination in the file names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use careplan_api::ApiDiagnostic;
use careplan_spec::{validate, FileName, InputFile};
use tauri::State;

use crate::commands::{blocking, file_names, read_files_here};
use crate::error::CommandResult;
use crate::logs::logged;
use crate::state::AppState;
use crate::views::{BulkDestination, BulkPlan, FileCheck, FilesCheck, UnitCheck};

/// Checks the files as one send (each file, then each send unit), with Japanese diagnostics.
#[tauri::command]
#[tracing::instrument(skip_all, fields(count = paths.len()))]
pub async fn check_files(paths: Vec<String>) -> CommandResult<FilesCheck> {
    logged(async {
        let names = file_names(&paths);
        let check = blocking(move || check(&paths)).await?;
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

fn check(paths: &[String]) -> CommandResult<FilesCheck> {
    let files = read_files_here(paths)?;
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|f| InputFile {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    let report = validate(&inputs);
    Ok(FilesCheck {
        ok: report.ok,
        files: report
            .files
            .iter()
            .zip(paths)
            .map(|(file, path)| FileCheck {
                path: path.clone(),
                name: file.name.clone(),
                kind_name: file.kind_name.clone(),
                ok: file.ok,
                diagnostics: file.diagnostics.iter().map(ApiDiagnostic::from).collect(),
            })
            .collect(),
        units: report
            .units
            .iter()
            .map(|unit| UnitCheck {
                serial: unit.serial.clone(),
                type_name: unit.type_name.clone(),
                files: unit.files.clone(),
                ok: unit.ok,
                diagnostics: unit.diagnostics.iter().map(ApiDiagnostic::from).collect(),
            })
            .collect(),
    })
}

/// サービス種類 names by code, so that the screens can show "11 訪問介護" instead of a bare code.
#[tauri::command]
pub fn service_kind_names() -> BTreeMap<String, String> {
    careplan_spec::numbers::service_kinds()
        .map(|(code, name)| (code.to_owned(), name.to_owned()))
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
