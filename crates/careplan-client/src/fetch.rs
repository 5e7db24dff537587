//! データ取得, done safely: a file is downloaded into the chosen folder under a temporary name, its
//! SHA-256 checked, synced to disk and given its real name without ever replacing an existing file
//! (`name (1).CSV` instead), and only then confirmed to the relay (済). Anything that goes wrong
//! before the confirmation leaves the file 未 at the relay, so the fetch can simply be repeated; a
//! repeat after a lost confirmation finds the identical file already saved and does not copy it again.

use std::io::Write;
use std::path::{Path, PathBuf};

use careplan_api::{AckRequest, AckResponse, FileEntry, MessageSummary};
use reqwest::Method;
use sha2::{Digest, Sha256};

use crate::account::Mailbox;
use crate::connection::{checked, json, send, RelayClient};
use crate::error::ClientError;
use crate::sending::{ProgressFn, TransferProgress};

/// A file saved and confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedFile {
    pub file_id: String,
    /// The name at the relay.
    pub name: String,
    /// Where it is now (another name when one of the same name was already there).
    pub saved_as: PathBuf,
    /// 済 since (relay time).
    pub fetched_at: String,
    /// The folder already held a file with exactly these bytes (an earlier fetch whose 済 was lost,
    /// or the same file received twice): that one is `saved_as`, and nothing new was written.
    pub already_there: bool,
}

/// What happened to each file of a fetch of several.
#[derive(Debug, Default)]
pub struct FetchReport {
    pub fetched: Vec<FetchedFile>,
    pub failed: Vec<(FileEntry, ClientError)>,
}

/// Names as Windows reads them as written: no separators, reserved or invisible characters, device
/// names or trailing dots (the standard library's rule, the one the relay checks sends with).
fn safe_file_name(name: &str) -> String {
    careplan_spec::windows_name::windows_safe_name(name)
}

/// `name.CSV`, then `name (1).CSV`, `name (2).CSV`, …
fn candidate(name: &str, n: u32) -> String {
    if n == 0 {
        return name.to_owned();
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({n}).{ext}"),
        _ => format!("{name} ({n})"),
    }
}

const MAX_CANDIDATES: u32 = 1000;

fn sha256_of_file(path: &Path) -> Option<String> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).ok()?;
    Some(hex::encode(hasher.finalize()))
}

/// A file of this name (or a numbered one) already in the folder with exactly these bytes.
fn already_saved(folder: &Path, name: &str, sha256: &str) -> Option<PathBuf> {
    (0..MAX_CANDIDATES)
        .map(|n| folder.join(candidate(name, n)))
        .take_while(|path| path.exists())
        .find(|path| sha256_of_file(path).is_some_and(|digest| digest.eq_ignore_ascii_case(sha256)))
}

fn folder_error(folder: &Path, e: &std::io::Error) -> ClientError {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            ClientError::local(
                "fetch.folder_not_writable",
                format!(
                    "保存先のフォルダ {} に書き込めません。別のフォルダを選ぶか、フォルダの権限を確認してください。",
                    folder.display()
                ),
            )
        }
        std::io::ErrorKind::StorageFull => ClientError::local(
            "fetch.disk_full",
            "保存先のディスクがいっぱいです。空きを作ってからもう一度取得してください。",
        ),
        _ => ClientError::local(
            "fetch.write_failed",
            format!(
                "保存先のフォルダ {} に保存できませんでした。フォルダがあるか、ほかのソフトで開いていないか確かめて、もう一度取得してください。",
                folder.display()
            ),
        ),
    }
}

/// Gives the temporary file its real name, never replacing a file that is already there.
fn persist_without_replacing(
    mut temp: tempfile::NamedTempFile,
    folder: &Path,
    name: &str,
) -> Result<PathBuf, ClientError> {
    for n in 0..MAX_CANDIDATES {
        let target = folder.join(candidate(name, n));
        match temp.persist_noclobber(&target) {
            Ok(_) => return Ok(target),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => temp = e.file,
            Err(e) => return Err(folder_error(folder, &e.error)),
        }
    }
    Err(ClientError::local(
        "fetch.name_exhausted",
        format!("保存先のフォルダに「{name}」と同じ名前のファイルが多すぎます。別のフォルダを選んでください。"),
    ))
}

/// The folder's entry for the new name survives a power cut too.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

/// Disk work that can take long (hashing the files already there, syncing to disk) on tokio's
/// blocking threads, so that it holds up no other request (nor, in the desktop app, the window).
async fn on_disk<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ClientError> + Send + 'static,
) -> Result<T, ClientError> {
    tokio::task::spawn_blocking(work).await.map_err(|_| {
        ClientError::local(
            "fetch.write_failed",
            "ファイルを保存できませんでした。もう一度取得してください。",
        )
    })?
}

impl RelayClient {
    /// Fetches one file of 受信一覧 into `folder` and confirms it (済).
    pub async fn fetch_file(
        &self,
        file: &FileEntry,
        folder: &Path,
        progress: ProgressFn,
    ) -> Result<FetchedFile, ClientError> {
        if let Some(when) = &file.fetched_at {
            return Err(ClientError::local(
                "fetch.already_fetched",
                format!(
                    "「{}」は既に取得済みです（{when}）。データ取得は1回だけできます。",
                    file.name
                ),
            ));
        }
        if !folder.is_dir() {
            return Err(ClientError::local(
                "fetch.folder_missing",
                format!(
                    "保存先のフォルダ {} がありません。設定で保存先を選び直してください。",
                    folder.display()
                ),
            ));
        }
        let name = safe_file_name(&file.name);
        let found = {
            let (folder, name, sha256) = (folder.to_owned(), name.clone(), file.sha256.clone());
            on_disk(move || Ok(already_saved(&folder, &name, &sha256))).await?
        };
        let (saved_as, created) = match found {
            Some(path) => (path, false),
            None => (self.download(file, folder, &name, progress).await?, true),
        };
        match self.acknowledge(file).await {
            Ok(ack) => Ok(FetchedFile {
                file_id: file.id.clone(),
                name: file.name.clone(),
                saved_as,
                fetched_at: ack.fetched_at,
                already_there: !created,
            }),
            // Another PC of the office took it first: it is theirs, ours would be a stray copy.
            Err(e @ ClientError::Refused { status: 410, .. }) => {
                if created {
                    let _ = std::fs::remove_file(&saved_as);
                }
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// Downloads into a temporary file in `folder`, checks it, and names it.
    async fn download(
        &self,
        file: &FileEntry,
        folder: &Path,
        name: &str,
        progress: ProgressFn,
    ) -> Result<PathBuf, ClientError> {
        let path = format!("/v1/files/{}/content", file.id);
        let mut response = checked(send(self.request(Method::GET, &path)).await?).await?;
        let mut temp = tempfile::Builder::new()
            .prefix(".careplan-")
            .suffix(".part")
            .tempfile_in(folder)
            .map_err(|e| folder_error(folder, &e))?;
        let mut hasher = Sha256::new();
        let mut done = 0u64;
        // A broken connection drops `temp`, which deletes it: nothing half-written stays behind.
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| ClientError::from_transport(&e))?
        {
            hasher.update(&chunk);
            temp.write_all(&chunk)
                .map_err(|e| folder_error(folder, &e))?;
            done += chunk.len() as u64;
            progress(TransferProgress {
                done,
                total: file.size,
            });
        }
        let digest = hex::encode(hasher.finalize());
        if !digest.eq_ignore_ascii_case(&file.sha256) {
            return Err(ClientError::local(
                "fetch.integrity",
                format!("「{}」を正しく受け取れませんでした（内容が一致しません）。もう一度取得してください。", file.name),
            ));
        }
        let (folder, name) = (folder.to_owned(), name.to_owned());
        on_disk(move || {
            temp.as_file()
                .sync_all()
                .map_err(|e| folder_error(&folder, &e))?;
            let saved = persist_without_replacing(temp, &folder, &name)?;
            sync_folder(&folder);
            Ok(saved)
        })
        .await
    }

    async fn acknowledge(&self, file: &FileEntry) -> Result<AckResponse, ClientError> {
        json(
            self.request(Method::POST, &format!("/v1/files/{}/ack", file.id))
                .json(&AckRequest {
                    sha256: file.sha256.clone(),
                }),
        )
        .await
    }

    /// Fetches every 未 file of the given messages.
    pub async fn fetch_messages(
        &self,
        messages: &[MessageSummary],
        folder: &Path,
        progress: ProgressFn,
    ) -> FetchReport {
        let mut report = FetchReport::default();
        for file in messages
            .iter()
            .flat_map(|m| &m.files)
            .filter(|f| f.fetched_at.is_none())
        {
            match self.fetch_file(file, folder, progress.clone()).await {
                Ok(fetched) => report.fetched.push(fetched),
                Err(e) => report.failed.push((file.clone(), e)),
            }
        }
        report
    }

    /// Every message of 受信一覧 that still has a 未 file (all pages).
    pub async fn unfetched_messages(&self) -> Result<Vec<MessageSummary>, ClientError> {
        let mut found = Vec::new();
        for page in 1.. {
            let listing = self.messages(Mailbox::Inbox, page, 200).await?;
            let seen = u64::from(page) * u64::from(listing.per_page);
            found.extend(
                listing
                    .items
                    .into_iter()
                    .filter(|m| m.files.iter().any(|f| f.fetched_at.is_none())),
            );
            if seen >= listing.total {
                break;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_names_keep_the_extension() {
        assert_eq!(candidate("UPPLAN_x.CSV", 0), "UPPLAN_x.CSV");
        assert_eq!(candidate("UPPLAN_x.CSV", 2), "UPPLAN_x (2).CSV");
        assert_eq!(candidate("README", 1), "README (1)");
    }

    #[test]
    fn names_cannot_leave_the_folder_or_break_windows() {
        assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_name("a:b?.txt"), "a_b_.txt");
        assert_eq!(safe_file_name(".."), "file");
        assert_eq!(safe_file_name("写真.png"), "写真.png");
        assert_eq!(safe_file_name("NUL.txt"), "_NUL.txt");
        assert_eq!(safe_file_name("見積\u{202E}fdp.txt"), "見積fdp.txt");
    }
}
