//! 自動取得: every 未 file of 受信一覧 fetched by the same safe path as データ取得 (checked, synced,
//! never replacing a file, 済 only once it is on disk) into the folder the office chose, optionally
//! in a subfolder per sender or per month, in ファイル連番 order: the order in which the receiver's
//! care software must import send units (standard.md §3.3). A file that fails stays 未 at the relay
//! and is tried again by the next pass; one another PC of the office took first is that PC's. After a
//! failure the sender's later files wait for the next pass, so that a later unit is never saved (and
//! imported) before an earlier one; other senders' files go on.
//! Each outcome is a line of a JSON-lines log in the app's data folder, shown in the app.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use careplan_api::{FileEntry, MessageSummary};
use careplan_spec::FileName;
use serde::{Deserialize, Serialize};

use crate::error::ClientError;
use crate::fetch::FetchedFile;
use crate::sending::no_progress;
use crate::RelayClient;

/// Where 自動取得 puts files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subfolders {
    /// All in the chosen folder.
    #[default]
    None,
    /// `1370000026 ひまわりヘルパーステーション/` per sending office.
    PerSender,
    /// `2026-04/` per month the file was sent in.
    PerMonth,
}

/// What happened to one file in a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Saved and 済.
    Saved,
    /// The folder already held these exact bytes (an earlier pass whose 済 was lost): 済 now.
    AlreadyThere,
    /// Another PC of the office took it first: it is in that PC's folder.
    TakenElsewhere,
    /// Not saved; it stays 未 and the next pass tries again.
    Failed,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoFetchEntry {
    /// When (this PC's clock, RFC 3339).
    pub at: String,
    pub outcome: Outcome,
    pub file_name: String,
    pub file_id: String,
    pub message_id: String,
    pub sender_office: String,
    pub sender_name: String,
    /// Where it was saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_as: Option<String>,
    /// Why it failed, in words for the office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What one pass did, in the order it went.
#[derive(Debug, Default)]
pub struct AutoFetchPass {
    pub entries: Vec<AutoFetchEntry>,
    /// Files left 未 behind a failure of their sender's, for the next pass.
    pub left_waiting: usize,
    /// The log could not be written (the files were fetched all the same).
    pub log_failure: Option<ClientError>,
}

impl AutoFetchPass {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.entries.iter().filter(|e| e.outcome == outcome).count()
    }
}

/// The log of 自動取得 (JSON lines, newest last).
#[derive(Debug, Clone)]
pub struct AutoFetchLog {
    path: PathBuf,
}

/// Lines the log keeps: older ones go when it passes twice this.
const LOG_KEEPS: usize = 5_000;

impl AutoFetchLog {
    pub fn at(path: impl Into<PathBuf>) -> AutoFetchLog {
        AutoFetchLog { path: path.into() }
    }

    /// Appends a pass's lines (and trims the log when it has grown past twice what it keeps).
    pub fn append(&self, entries: &[AutoFetchEntry]) -> Result<(), ClientError> {
        if entries.is_empty() {
            return Ok(());
        }
        let unwritable = |_| {
            ClientError::local(
                "auto_fetch.log_unwritable",
                "自動取得の記録を保存できませんでした。アプリのデータフォルダの空きと権限を確認してください。",
            )
        };
        let mut text = String::new();
        for entry in entries {
            text.push_str(&serde_json::to_string(entry).expect("entries serialize"));
            text.push('\n');
        }
        if let Some(folder) = self.path.parent() {
            std::fs::create_dir_all(folder).map_err(unwritable)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(unwritable)?;
        file.write_all(text.as_bytes()).map_err(unwritable)?;
        drop(file);
        let all = self.read_all();
        if all.len() > 2 * LOG_KEEPS {
            let kept = &all[all.len() - LOG_KEEPS..];
            let mut text = String::new();
            for entry in kept {
                text.push_str(&serde_json::to_string(entry).expect("entries serialize"));
                text.push('\n');
            }
            let folder = self.path.parent().unwrap_or(Path::new("."));
            let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(unwritable)?;
            temp.write_all(text.as_bytes()).map_err(unwritable)?;
            temp.persist(&self.path).map_err(|e| unwritable(e.error))?;
        }
        Ok(())
    }

    /// The newest `n` lines, newest first; lines it cannot read (a cut write) are skipped.
    pub fn recent(&self, n: usize) -> Vec<AutoFetchEntry> {
        let mut all = self.read_all();
        all.reverse();
        all.truncate(n);
        all
    }

    fn read_all(&self) -> Vec<AutoFetchEntry> {
        std::fs::read_to_string(&self.path)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }
}

/// A file's place in the import order: its unit's ファイル連番 (a file without a standard name, a
/// PDF sent with a unit, goes with its message's earliest one, or the time it was sent), then the
/// message and the file's position in it.
fn import_order(message: &MessageSummary, file: &FileEntry) -> (String, String, String, usize) {
    let serial_of = |name: &str| FileName::parse(name).ok().map(|n| n.serial.to_string());
    let serial = serial_of(&file.name)
        .or_else(|| {
            message
                .files
                .iter()
                .filter_map(|f| serial_of(&f.name))
                .min()
        })
        .unwrap_or_else(|| digits_of_time(&message.sent_at));
    let position = message
        .files
        .iter()
        .position(|f| f.id == file.id)
        .unwrap_or(usize::MAX);
    (
        serial,
        message.sent_at.clone(),
        message.id.clone(),
        position,
    )
}

/// `2026-04-01T09:30:00+09:00` → `20260401093000`, comparable with a ファイル連番 (both Japan time).
fn digits_of_time(rfc3339: &str) -> String {
    rfc3339
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect()
}

/// The folder a file of `message` goes to.
pub fn target_folder(root: &Path, subfolders: Subfolders, message: &MessageSummary) -> PathBuf {
    match subfolders {
        Subfolders::None => root.to_owned(),
        Subfolders::PerSender => {
            let name = format!(
                "{} {}",
                message.counterpart.number, message.counterpart.name
            );
            root.join(careplan_spec::windows_name::windows_safe_name(name.trim()))
        }
        Subfolders::PerMonth => {
            // The relay's times are RFC 3339 in Japan time: `2026-04-…` is April in Japan.
            root.join(message.sent_at.get(..7).unwrap_or("unknown"))
        }
    }
}

fn now_text() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl RelayClient {
    /// One pass of 自動取得 over 受信一覧's 未 files, in import order, into `root`: each file's
    /// outcome is in the answer (and, given a log, in the log). Fails only when 受信一覧 cannot be
    /// read.
    pub async fn auto_fetch(
        &self,
        root: &Path,
        subfolders: Subfolders,
        log: Option<&AutoFetchLog>,
    ) -> Result<AutoFetchPass, ClientError> {
        let messages = self.unfetched_messages().await?;
        self.auto_fetch_messages(&messages, root, subfolders, log)
            .await
    }

    /// The same pass over messages already listed.
    pub async fn auto_fetch_messages(
        &self,
        messages: &[MessageSummary],
        root: &Path,
        subfolders: Subfolders,
        log: Option<&AutoFetchLog>,
    ) -> Result<AutoFetchPass, ClientError> {
        let mut waiting: Vec<(&MessageSummary, &FileEntry)> = messages
            .iter()
            .flat_map(|m| {
                m.files
                    .iter()
                    .filter(|f| f.is_waiting())
                    .map(move |f| (m, f))
            })
            .collect();
        waiting.sort_by_cached_key(|(m, f)| import_order(m, f));
        let mut pass = AutoFetchPass::default();
        // Senders whose file failed: their later files wait, so that no later unit of theirs is
        // saved (and imported) before the earlier one; other senders' files go on.
        let mut held: HashSet<&str> = HashSet::new();
        for (message, file) in waiting {
            let sender = message.counterpart.number.as_str();
            if held.contains(sender) {
                pass.left_waiting += 1;
                continue;
            }
            let folder = target_folder(root, subfolders, message);
            let result = match ensure_folder(root, &folder) {
                Ok(()) => self.fetch_file(file, &folder, no_progress()).await,
                Err(e) => Err(e),
            };
            let line = entry(message, file, result);
            if line.outcome == Outcome::Failed {
                held.insert(sender);
            }
            pass.entries.push(line);
        }
        if let Some(log) = log {
            pass.log_failure = log.append(&pass.entries).err();
        }
        Ok(pass)
    }
}

/// The chosen folder must exist (a missing one is a setting to fix, not something to create in
/// the wrong place); its subfolders are made as needed.
fn ensure_folder(root: &Path, folder: &Path) -> Result<(), ClientError> {
    if !root.is_dir() {
        return Err(ClientError::local(
            "fetch.folder_missing",
            format!(
                "自動取得の保存先フォルダ {} がありません。設定で保存先を選び直してください。",
                root.display()
            ),
        ));
    }
    if folder != root {
        std::fs::create_dir_all(folder).map_err(|_| {
            ClientError::local(
                "fetch.folder_not_writable",
                format!(
                    "保存先のフォルダ {} を作れません。フォルダの権限と空きを確認してください。",
                    folder.display()
                ),
            )
        })?;
    }
    Ok(())
}

fn entry(
    message: &MessageSummary,
    file: &FileEntry,
    result: Result<FetchedFile, ClientError>,
) -> AutoFetchEntry {
    let (outcome, saved_as, reason) = match result {
        Ok(fetched) if fetched.already_there => (
            Outcome::AlreadyThere,
            Some(fetched.saved_as.display().to_string()),
            None,
        ),
        Ok(fetched) => (
            Outcome::Saved,
            Some(fetched.saved_as.display().to_string()),
            None,
        ),
        // Taken meanwhile, by another PC of the office.
        Err(ClientError::Refused { error, .. }) if error.code == "file.already_fetched" => {
            (Outcome::TakenElsewhere, None, None)
        }
        Err(e) => (Outcome::Failed, None, Some(e.to_string())),
    };
    AutoFetchEntry {
        at: now_text(),
        outcome,
        file_name: file.name.clone(),
        file_id: file.id.clone(),
        message_id: message.id.clone(),
        sender_office: message.counterpart.number.clone(),
        sender_name: message.counterpart.name.clone(),
        saved_as,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(sent_at: &str, files: &[&str]) -> MessageSummary {
        serde_json::from_value(serde_json::json!({
            "id": format!("m-{sent_at}"),
            "sent_at": sent_at,
            "message": "",
            "counterpart": {"number": "1370000026", "name": "ひまわり/ヘルパー", "service_kinds": [],
                            "prefecture": "", "city": "", "uses_system": true},
            "files": files.iter().enumerate().map(|(i, name)| serde_json::json!({
                "id": format!("{sent_at}-{i}"), "name": name, "category": "attachment", "csv_version": null, "fetched_at": null,
                "size": 1, "sha256": "00"})).collect::<Vec<_>>(),
        }))
        .unwrap()
    }

    #[test]
    fn files_go_in_serial_order_and_a_pdf_goes_with_its_unit() {
        let later = message(
            "2026-04-01T09:00:00+09:00",
            &["UPJSK_202604_1370000026_11_1370000018_43_20260402100000.CSV"],
        );
        let earlier = message(
            "2026-04-01T10:00:00+09:00",
            &[
                "計画の説明.pdf",
                "UPPLAN_202604_1370000018_43_1370000026_11_20260401090000.CSV",
            ],
        );
        let mut files: Vec<(&MessageSummary, &FileEntry)> = [&later, &earlier]
            .into_iter()
            .flat_map(|m| m.files.iter().map(move |f| (m, f)))
            .collect();
        files.sort_by_cached_key(|(m, f)| import_order(m, f));
        let names: Vec<&str> = files.iter().map(|(_, f)| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "計画の説明.pdf",
                "UPPLAN_202604_1370000018_43_1370000026_11_20260401090000.CSV",
                "UPJSK_202604_1370000026_11_1370000018_43_20260402100000.CSV",
            ]
        );
    }

    #[test]
    fn subfolders_per_sender_have_a_name_windows_takes_and_per_month_the_month_in_japan() {
        let m = message("2026-04-30T23:30:00+09:00", &[]);
        let root = Path::new("受信");
        assert_eq!(target_folder(root, Subfolders::None, &m), root);
        let sender = target_folder(root, Subfolders::PerSender, &m);
        assert_eq!(sender.parent(), Some(root));
        let name = sender.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with("1370000026 ひまわり") && !name.contains('/'),
            "{name}"
        );
        assert_eq!(
            target_folder(root, Subfolders::PerMonth, &m),
            root.join("2026-04")
        );
    }

    #[test]
    fn a_time_reads_as_the_digits_of_a_serial() {
        assert_eq!(
            digits_of_time("2026-04-01T09:30:05+09:00"),
            "20260401093005"
        );
    }
}
