//! データ取得, done safely: a file is downloaded into the chosen folder under a temporary name, its
//! SHA-256 checked, synced to disk and given its real name without ever replacing an existing file
//! (`name (1).CSV` instead), and only then confirmed to the relay (済). Anything that goes wrong
//! before the confirmation leaves the file 未 at the relay, so the fetch can simply be repeated; a
//! repeat after a lost confirmation finds the identical file already saved and does not copy it again.
//! 内容を見る reads a file into memory by the same checked path, without confirming it.

use std::io::Write;
use std::path::{Path, PathBuf};

use careplan_api::{AckRequest, AckResponse, FileEntry, MessageSummary};
use reqwest::Method;
use sha2::{Digest, Sha256};

use crate::account::Mailbox;
use crate::connection::{checked, json, send, RelayClient};
use crate::error::ClientError;
use crate::sending::{no_progress, LocalFile, ProgressFn, TransferProgress};

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

/// Where データ取得 saved a file of 受信一覧 in `folder`: the file named `name` (the name at the
/// relay, made safe for Windows as データ取得 does) or a numbered copy (`name (1).CSV` …) whose bytes
/// have exactly this SHA-256 (hex). A file of the same name with other bytes (the office's own, or
/// another file received under that name) is not it. `None` when none is there. Reads and hashes
/// the candidates: call it off any thread that must stay responsive.
pub fn find_saved(folder: &Path, name: &str, sha256: &str) -> Option<PathBuf> {
    let name = safe_file_name(name);
    (0..MAX_CANDIDATES)
        .map(|n| folder.join(candidate(&name, n)))
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

/// Bytes that are not the file 受信一覧 lists: more than its size, or another SHA-256.
fn not_as_listed(file: &FileEntry) -> ClientError {
    ClientError::local(
        "fetch.integrity",
        format!(
            "「{}」を正しく受け取れませんでした（内容が一致しません）。もう一度取得してください。",
            file.name
        ),
    )
}

/// A file's bytes as they come, checked against its entry in 受信一覧.
struct Received<'a> {
    file: &'a FileEntry,
    hasher: Sha256,
    done: u64,
}

impl<'a> Received<'a> {
    fn new(file: &'a FileEntry) -> Received<'a> {
        Received {
            file,
            hasher: Sha256::new(),
            done: 0,
        }
    }

    /// The next chunk; refused as soon as there is more than the list said.
    fn take(&mut self, chunk: &[u8]) -> Result<(), ClientError> {
        self.done += chunk.len() as u64;
        if self.done > self.file.size {
            return Err(not_as_listed(self.file));
        }
        self.hasher.update(chunk);
        Ok(())
    }

    /// All of it: its SHA-256 must be the list's.
    fn finish(self) -> Result<(), ClientError> {
        let digest = hex::encode(self.hasher.finalize());
        if !digest.eq_ignore_ascii_case(&self.file.sha256) {
            return Err(not_as_listed(self.file));
        }
        Ok(())
    }
}

/// What [`RelayClient::file_content`] reserves before the first byte, whatever the list says.
const PREALLOCATED_AT_MOST: u64 = 16 * 1024 * 1024;

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
            let (folder, name, sha256) =
                (folder.to_owned(), file.name.clone(), file.sha256.clone());
            on_disk(move || Ok(find_saved(&folder, &name, &sha256))).await?
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
        let mut temp = tempfile::Builder::new()
            .prefix(".careplan-")
            .suffix(".part")
            .tempfile_in(folder)
            .map_err(|e| folder_error(folder, &e))?;
        // Any error drops `temp`, which deletes it: nothing half-written stays behind.
        self.receive(
            file,
            |chunk| temp.write_all(chunk).map_err(|e| folder_error(folder, &e)),
            &progress,
        )
        .await?;
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

    /// A file of 受信一覧 read into memory to be looked at (内容を見る), without confirming it: it
    /// stays 未, for データ取得 to save later. Checked as データ取得 checks it: no more bytes than the
    /// list says it has, and its SHA-256. A file already fetched is refused by the relay (410),
    /// with its message.
    pub async fn file_content(&self, file: &FileEntry) -> Result<LocalFile, ClientError> {
        // The list's size bounds what is taken, not what is reserved up front.
        let mut bytes = Vec::with_capacity(file.size.min(PREALLOCATED_AT_MOST) as usize);
        self.receive(
            file,
            |chunk| {
                bytes.extend_from_slice(chunk);
                Ok(())
            },
            &no_progress(),
        )
        .await?;
        Ok(LocalFile {
            name: file.name.clone(),
            bytes: bytes.into(),
        })
    }

    /// Receives a file's content from the relay into `sink`, chunk by chunk, and checks it against
    /// the list's entry: more bytes than `file.size` stops the transfer, and the SHA-256 must be
    /// `file.sha256`. The one path by which a received file's bytes are taken.
    async fn receive(
        &self,
        file: &FileEntry,
        mut sink: impl FnMut(&[u8]) -> Result<(), ClientError>,
        progress: &ProgressFn,
    ) -> Result<(), ClientError> {
        let path = format!("/v1/files/{}/content", file.id);
        let mut response = checked(send(self.request(Method::GET, &path)).await?).await?;
        if response.content_length().is_some_and(|n| n > file.size) {
            return Err(not_as_listed(file));
        }
        let mut received = Received::new(file);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| ClientError::from_transport(&e))?
        {
            received.take(&chunk)?;
            sink(&chunk)?;
            progress(TransferProgress {
                done: received.done,
                total: file.size,
            });
        }
        received.finish()?;
        Ok(())
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
            .filter(|f| f.is_waiting())
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
                    .filter(|m| m.files.iter().any(|f| f.is_waiting())),
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

    fn entry(bytes: &[u8]) -> FileEntry {
        FileEntry {
            id: "f1".into(),
            name: "UPJSK_x.CSV".into(),
            category: careplan_api::FileCategory::Register,
            csv_version: Some("202407".into()),
            size: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(bytes)).to_uppercase(),
            fetched_at: None,
            expires_at: None,
            expired_at: None,
        }
    }

    /// `bytes` in chunks of `at` bytes, as the relay's answer may come.
    fn receive(file: &FileEntry, bytes: &[u8], at: usize) -> Result<u64, ClientError> {
        let mut received = Received::new(file);
        for chunk in bytes.chunks(at) {
            received.take(chunk)?;
        }
        let done = received.done;
        received.finish().map(|_| done)
    }

    #[test]
    fn the_bytes_taken_are_the_size_listed_and_no_more() {
        let bytes = b"202407,131016,0000012345\r\n";
        let file = entry(bytes);
        assert_eq!(receive(&file, bytes, 5).unwrap(), file.size, "at the limit");
        let mut longer = bytes.to_vec();
        longer.push(b'x');
        let mut received = Received::new(&file);
        let mut refused_at = None;
        for (n, chunk) in longer.chunks(5).enumerate() {
            if let Err(e) = received.take(chunk) {
                assert_eq!(e.code(), "fetch.integrity");
                refused_at = Some(n);
                break;
            }
        }
        assert_eq!(
            refused_at,
            Some(longer.len() / 5),
            "one byte past: refused at the chunk that carries it"
        );
        let error = receive(&file, &bytes[..bytes.len() - 1], 5).unwrap_err();
        assert_eq!(
            error.code(),
            "fetch.integrity",
            "fewer bytes: not the digest"
        );
        let mut changed = bytes.to_vec();
        changed[0] = b'3';
        let error = receive(&file, &changed, 64).unwrap_err();
        assert_eq!(
            error.to_string(),
            "「UPJSK_x.CSV」を正しく受け取れませんでした（内容が一致しません）。もう一度取得してください。"
        );
    }

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
