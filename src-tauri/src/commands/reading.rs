//! 帳票ビュー and 予実突合: files read as the paper forms, from this PC, from 受信一覧 (内容を見る:
//! without データ取得, the file stays 未) or from a draft; the 予定 compared with the 実績; the
//! comparison saved as CSV for Excel.

use std::path::Path;

use careplan_api::{ApiDiagnostic, FileEntry};
use careplan_client::folders::files_under;
use careplan_client::sent_copies::{NoCopy, SentCopies};
use careplan_client::{find_saved, ClientError, LocalFile, RelayClient};
use careplan_records::reconcile::{read_side, reconcile, to_csv, Reconciliation};
use careplan_records::{OtherFile, OtherKind, StandardFile};
use careplan_spec::{validate, InputFile};
use tauri::{AppHandle, Runtime, State};

use crate::commands::{blocking, file_names};
use crate::error::{CommandError, CommandResult};
use crate::logs::logged;
use crate::saving::{ask_where, write_whole, SaveDialog};
use crate::state::AppState;
use crate::views::{FileSource, OpenedFiles};

/// Reads the files of `source` as the forms. A file whose bytes cannot be had (gone from disk,
/// fetched already and not in the save folder) is one `unavailable` entry among the others, never
/// a failure of the whole call. 受信一覧's 未 files stay 未.
#[tauri::command]
#[tracing::instrument(skip_all, fields(from = %source.label()))]
pub async fn open_files(
    state: State<'_, AppState>,
    source: FileSource,
) -> CommandResult<OpenedFiles> {
    logged(async {
        let loaded = load(&state, source).await?;
        if loaded.is_empty() {
            return Err(CommandError::new(
                "open.empty",
                "開くファイルがありません。ファイルを選んでからもう一度開いてください。",
            ));
        }
        let opened = blocking(move || Ok(opened_files(loaded))).await?;
        tracing::info!(
            files = ?opened.files.iter().map(|f| &f.file.name).collect::<Vec<_>>(),
            others = ?opened.others.iter().map(|o| (&o.name, o.kind)).collect::<Vec<_>>(),
            ok = opened.ok,
            "opened"
        );
        Ok(opened)
    })
    .await
}

/// 予実突合 of the 予定 (`plan`: UPPLAN, with the unit's 補足 for the names) against the 実績
/// (`actual`: UPJSK). Files that cannot be compared refuse it (`reconcile.refused`), comparing
/// nothing.
#[tauri::command]
#[tracing::instrument(skip_all, fields(plan = %plan.label(), actual = %actual.label()))]
pub async fn reconcile_files(
    state: State<'_, AppState>,
    plan: FileSource,
    actual: FileSource,
) -> CommandResult<Reconciliation> {
    logged(reconciliation(&state, plan, actual)).await
}

/// [`reconcile_files`], saved where the user chooses (the OS save dialog) as CSV for Excel (CP932).
/// Answers the saved path, or `None` when the user cancels.
#[tauri::command]
#[tracing::instrument(skip_all, fields(plan = %plan.label(), actual = %actual.label()))]
pub async fn save_reconciliation<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    plan: FileSource,
    actual: FileSource,
) -> CommandResult<Option<String>> {
    logged(async {
        let result = reconciliation(&state, plan, actual).await?;
        blocking(move || {
            let dialog = SaveDialog {
                title: "予実突合の保存先",
                file_name: default_csv_name(&result),
                filter: ("CSVファイル", &["csv"]),
                error_code: "reconcile.save_failed",
            };
            let Some(target) = ask_where(&app, dialog)? else {
                return Ok(None);
            };
            write_atomically(&target, &to_csv(&result))?;
            tracing::info!(target = %target.display(), people = result.people.len(), "saved");
            Ok(Some(target.display().to_string()))
        })
        .await
    })
    .await
}

impl FileSource {
    /// What the log says of the source: never the names of people.
    fn label(&self) -> String {
        match self {
            FileSource::Disk { paths } => format!("disk ({})", paths.len()),
            FileSource::Received { files } => format!("received ({})", files.len()),
            FileSource::Draft { id } => format!("draft {id}"),
            FileSource::Sent { messages } => format!("sent ({})", messages.len()),
        }
    }
}

/// A file to read: its bytes, or why they could not be had.
pub(crate) enum Loaded {
    File(LocalFile),
    Unavailable(OtherFile),
}

async fn load(state: &AppState, source: FileSource) -> CommandResult<Vec<Loaded>> {
    match source {
        FileSource::Disk { paths } => blocking(move || Ok(load_from_disk(&paths))).await,
        FileSource::Received { files } => {
            let client = state.client()?;
            let save_folder = state.settings().save_folder;
            let mut loaded = Vec::with_capacity(files.len());
            for file in files {
                loaded.push(match file.fetched_at {
                    None => received_content(&client, &file).await?,
                    Some(_) => {
                        let folder = save_folder.clone();
                        blocking(move || Ok(saved_copy(folder.as_deref().map(Path::new), &file)))
                            .await?
                    }
                });
            }
            Ok(loaded)
        }
        FileSource::Draft { id } => {
            let client = state.client()?;
            let draft = client.draft(&id).await?;
            let files = client.draft_files(&draft).await?;
            Ok(files.into_iter().map(Loaded::File).collect())
        }
        FileSource::Sent { messages } => {
            // Only once logged in, and only the office's own copies.
            state.client()?;
            let copies = state.sent_copies();
            blocking(move || {
                Ok(messages
                    .iter()
                    .flat_map(|m| sent_copy_of(copies.as_ref(), &m.message_id, &m.files))
                    .collect())
            })
            .await
        }
    }
}

/// The files of a message sent from this PC, from its copy: a file without one (sent from another
/// PC, or before copies were kept) says so.
fn sent_copy_of(copies: Option<&SentCopies>, message_id: &str, files: &[FileEntry]) -> Vec<Loaded> {
    files
        .iter()
        .map(|entry| {
            let copy = match copies {
                Some(copies) => copies.read(message_id, entry),
                None => Err(NoCopy::Missing),
            };
            match copy {
                Ok(file) => Loaded::File(file),
                Err(why) => {
                    tracing::info!(file = %entry.name, why = ?why, "no sent copy");
                    Loaded::Unavailable(OtherFile::unavailable(
                        &entry.name,
                        why.message(&entry.name),
                    ))
                }
            }
        })
        .collect()
}

/// Files of this PC, each on its own, a folder as the files under it (a folder of many people's
/// 予定 or 実績): an unreadable file or folder says why in Japanese.
pub(crate) fn load_from_disk(paths: &[String]) -> Vec<Loaded> {
    let mut loaded = Vec::with_capacity(paths.len());
    for (path, name) in paths.iter().zip(file_names(paths)) {
        let path = Path::new(path);
        if !path.is_dir() {
            loaded.push(load_file(path, name));
            continue;
        }
        match files_under(path) {
            Ok(files) => loaded.extend(files.iter().map(|file| {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                load_file(file, name)
            })),
            Err(e) => {
                tracing::warn!(folder = %name, error = %e, "folder unreadable");
                loaded.push(Loaded::Unavailable(OtherFile::unavailable(
                    &name,
                    format!("フォルダ「{name}」を開けません。フォルダがあるか、ほかのプログラムが使っていないか確かめてください。"),
                )));
            }
        }
    }
    loaded
}

fn load_file(path: &Path, name: String) -> Loaded {
    match std::fs::read(path) {
        Ok(bytes) => Loaded::File(LocalFile {
            name,
            bytes: bytes.into(),
        }),
        Err(e) => {
            // The operating system's words are for the help desk's log, not for the screen.
            tracing::warn!(file = %name, error = %e, "unreadable");
            let why = careplan_client::unreadable(&name, &e);
            Loaded::Unavailable(OtherFile::unavailable(&name, why.to_string()))
        }
    }
}

/// A 未 file of 受信一覧, read from the relay without confirming it. A failure of this file alone
/// (fetched meanwhile on another PC, bytes not as listed) is its entry; a lost connection or
/// session fails the call, as nothing else could be read either.
async fn received_content(client: &RelayClient, file: &FileEntry) -> CommandResult<Loaded> {
    match client.file_content(file).await {
        Ok(content) => Ok(Loaded::File(content)),
        Err(e) if e.is_connection() || matches!(e, ClientError::Refused { status: 401, .. }) => {
            Err(e.into())
        }
        Err(e) => {
            tracing::warn!(file = %file.name, code = e.code(), request_id = e.request_id(), "content not read");
            Ok(Loaded::Unavailable(OtherFile::unavailable(
                &file.name,
                e.to_string(),
            )))
        }
    }
}

/// A 済 file of 受信一覧, from where データ取得 saved it (`folder`: 設定's save folder). The relay
/// gives a file once, so a copy moved elsewhere must be opened from there.
fn saved_copy(folder: Option<&Path>, file: &FileEntry) -> Loaded {
    let found = folder.and_then(|folder| find_saved(folder, &file.name, &file.sha256));
    let Some(path) = found else {
        return Loaded::Unavailable(OtherFile::unavailable(
            &file.name,
            format!(
                "「{}」は既にデータ取得済みですが、設定の保存先のフォルダに見つかりません。データ取得は1回だけです。保存したファイルを「ファイルを開く」で開いてください。",
                file.name
            ),
        ));
    };
    match std::fs::read(&path) {
        // Named as at the relay: a numbered copy (`… (1).CSV`) is still that standard file.
        Ok(bytes) => Loaded::File(LocalFile {
            name: file.name.clone(),
            bytes: bytes.into(),
        }),
        Err(e) => {
            tracing::warn!(file = %file.name, error = %e, "saved copy unreadable");
            let why = careplan_client::unreadable(&file.name, &e);
            Loaded::Unavailable(OtherFile::unavailable(&file.name, why.to_string()))
        }
    }
}

fn inputs(files: &[LocalFile]) -> Vec<InputFile<'_>> {
    files
        .iter()
        .map(|f| InputFile {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect()
}

/// The files read as forms, with the validator's findings over them as one send.
pub(crate) fn opened_files(loaded: Vec<Loaded>) -> OpenedFiles {
    let mut files = Vec::with_capacity(loaded.len());
    let mut unavailable = Vec::new();
    for entry in loaded {
        match entry {
            Loaded::File(file) => files.push(file),
            Loaded::Unavailable(other) => unavailable.push(other),
        }
    }
    let inputs = inputs(&files);
    let report = validate(&inputs);
    let opened = careplan_records::open(&inputs);
    let mut others = opened.others;
    others.extend(unavailable);
    OpenedFiles {
        ok: report.ok && others.iter().all(|o| o.kind == OtherKind::Attachment),
        units: opened.units,
        files: opened.files,
        others,
        diagnostics: report.diagnostics().map(ApiDiagnostic::from).collect(),
    }
}

fn refused(message: String) -> CommandError {
    CommandError::new("reconcile.refused", message)
}

async fn reconciliation(
    state: &AppState,
    plan: FileSource,
    actual: FileSource,
) -> CommandResult<Reconciliation> {
    let plans = load(state, plan).await?;
    let actuals = load(state, actual).await?;
    let result = blocking(move || compare(plans, actuals)).await?;
    tracing::info!(
        people = result.people.len(),
        compared = result.compared,
        with_differences = result.with_differences,
        "reconciled"
    );
    Ok(result)
}

/// One side's standard files. Attachments (a message's, a folder's) are passed over; anything else
/// that is not a readable standard file refuses the comparison.
fn side(role: &str, loaded: Vec<Loaded>) -> CommandResult<Vec<StandardFile>> {
    let mut files = Vec::with_capacity(loaded.len());
    for entry in loaded {
        match entry {
            Loaded::File(file) => files.push(file),
            Loaded::Unavailable(other) => {
                return Err(refused(format!(
                    "{role}のファイルを用意できません。{}",
                    other.message
                )))
            }
        }
    }
    read_side(role, &inputs(&files), true).map_err(|e| refused(e.0))
}

/// 予実突合 of files already read.
pub(crate) fn compare(plans: Vec<Loaded>, actuals: Vec<Loaded>) -> CommandResult<Reconciliation> {
    let plans = side("予定", plans)?;
    let actuals = side("実績", actuals)?;
    reconcile(&plans, &actuals).map_err(|e| refused(e.0))
}

/// `予実突合_202504.csv`: the month of the first person compared.
fn default_csv_name(result: &Reconciliation) -> String {
    match result.people.first() {
        Some(person) => format!("予実突合_{}.csv", person.month.to_string().replace('-', "")),
        None => "予実突合.csv".to_owned(),
    }
}

/// Writes the CSV whole (`saving::write_whole`), or says in Japanese what to do.
fn write_atomically(target: &Path, bytes: &[u8]) -> CommandResult<()> {
    write_whole(target, bytes).map_err(|e| {
        tracing::warn!(target = %target.display(), error = %e, "not saved");
        CommandError::new(
            "reconcile.save_failed",
            "予実突合の結果を保存できませんでした。保存先のフォルダに書き込めるか、同じ名前のファイルを Excel などで開いていないか確かめて、もう一度保存してください。",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use careplan_test_support::fixtures::fixture_dir;

    fn fixture(case: &str) -> Vec<String> {
        careplan_test_support::fixtures::fixture_paths(case)
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    }

    fn entries(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_csv_is_written_whole_or_not_at_all() {
        let folder = careplan_test_support::temp_dir("reconcile-csv-write");
        let target = folder.join("予実突合_202504.csv");
        std::fs::write(&target, "前の結果").unwrap();
        write_atomically(&target, "保険者番号\r\n".as_bytes()).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), "保険者番号\r\n".as_bytes());
        assert_eq!(
            entries(&folder),
            ["予実突合_202504.csv"],
            "no temporary file left"
        );

        // A folder that is not there: refused in Japanese, nothing written.
        let error = write_atomically(&folder.join("ない/予実突合.csv"), b"x").unwrap_err();
        assert_eq!(error.code(), "reconcile.save_failed");
        assert!(error.0.message.contains("保存できませんでした"));
        // A target that cannot be replaced (a folder of that name): the temporary file goes too.
        std::fs::create_dir(folder.join("フォルダ.csv")).unwrap();
        let error = write_atomically(&folder.join("フォルダ.csv"), b"x").unwrap_err();
        assert_eq!(error.code(), "reconcile.save_failed");
        assert_eq!(entries(&folder), ["フォルダ.csv", "予実突合_202504.csv"]);
        assert_eq!(std::fs::read(&target).unwrap(), "保険者番号\r\n".as_bytes());
    }

    #[test]
    fn the_default_name_is_the_month_compared() {
        let result = compare(
            load_from_disk(&fixture("reconcile/plan-50")),
            load_from_disk(&fixture("reconcile/actual-50")),
        )
        .unwrap();
        assert_eq!(default_csv_name(&result), "予実突合_202504.csv");
    }

    #[test]
    fn an_unreadable_side_refuses_the_comparison_and_says_which() {
        let mut plans = fixture("reconcile/plan-50");
        plans.push(
            fixture_dir("reconcile/plan-50/UPPLAN_消えた.CSV")
                .display()
                .to_string(),
        );
        let error = compare(
            load_from_disk(&plans),
            load_from_disk(&fixture("reconcile/actual-50")),
        )
        .unwrap_err();
        assert_eq!(error.code(), "reconcile.refused");
        assert!(
            error.0.message.starts_with(
                "予定のファイルを用意できません。「UPPLAN_消えた.CSV」が見つかりません。"
            ),
            "{}",
            error.0.message
        );
    }

    #[test]
    fn a_saved_copy_is_found_under_a_numbered_name_and_named_as_at_the_relay() {
        let folder = careplan_test_support::temp_dir("saved-copy");
        let source = &fixture("valid/v41-actual")[0];
        let bytes = std::fs::read(source).unwrap();
        let name = Path::new(source)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let numbered = name.replace(".CSV", " (1).CSV");
        std::fs::write(folder.join(&name), "事業所で編集したファイル").unwrap();
        std::fs::write(folder.join(&numbered), &bytes).unwrap();
        let entry = FileEntry {
            id: "f1".into(),
            name: name.clone(),
            category: careplan_api::FileCategory::Register,
            csv_version: Some("202407".into()),
            size: bytes.len() as u64,
            sha256: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
            fetched_at: Some("2025-04-30T18:00:00Z".into()),
            expires_at: None,
            expired_at: None,
        };
        match saved_copy(Some(&folder), &entry) {
            Loaded::File(file) => {
                assert_eq!(file.name, name);
                assert_eq!(file.bytes, bytes);
            }
            Loaded::Unavailable(other) => panic!("{}", other.message),
        }
        for folder in [None, Some(folder.join("ない").as_path().to_owned())] {
            match saved_copy(folder.as_deref(), &entry) {
                Loaded::Unavailable(other) => {
                    assert_eq!(other.kind, OtherKind::Unavailable);
                    assert!(other.message.contains("「ファイルを開く」で開いてください"));
                }
                Loaded::File(_) => panic!("not in that folder"),
            }
        }
    }
}
