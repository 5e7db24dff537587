//! 新規作成 and 一括送信: files from disk to the relay, with an idempotency key (a retry after a
//! broken connection stores the send once), retries on network errors, and upload progress.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use careplan_api::{
    BulkManifest, BulkResponse, EarlierSend, EarlierSendsRequest, SendManifest, SendResponse,
};
use reqwest::multipart::{Form, Part};
use reqwest::Method;

use crate::connection::{json, new_idempotency_key, with_retries, RelayClient};
use crate::error::ClientError;

/// A file to send, read from disk once.
#[derive(Debug, Clone)]
pub struct LocalFile {
    pub name: String,
    pub bytes: Bytes,
}

impl LocalFile {
    pub fn read(path: &Path) -> Result<LocalFile, ClientError> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| {
                ClientError::local(
                    "file.name",
                    format!("{} はファイル名を読めません。", path.display()),
                )
            })?
            .to_owned();
        let bytes = std::fs::read(path).map_err(|e| unreadable(&name, &e))?;
        Ok(LocalFile {
            name,
            bytes: Bytes::from(bytes),
        })
    }

    pub fn read_all(paths: &[PathBuf]) -> Result<Vec<LocalFile>, ClientError> {
        paths.iter().map(|p| LocalFile::read(p)).collect()
    }
}

/// Why a file could not be read, in words for someone who cannot read the operating system's
/// (English) error text: gone from its folder, or held by another program (a CSV left open in Excel
/// is the usual case on Windows).
pub fn unreadable(name: &str, error: &std::io::Error) -> ClientError {
    match error.kind() {
        std::io::ErrorKind::NotFound => ClientError::local(
            "file.not_found",
            format!("「{name}」が見つかりません。移動したか削除された可能性があります。ファイルのある場所を確かめて、入れ直してください。"),
        ),
        _ => ClientError::local(
            "file.unreadable",
            format!("「{name}」を読めません。Excel などほかのソフトで開いている場合は閉じてから、入れ直してください。"),
        ),
    }
}

/// Bytes moved so far and in all, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferProgress {
    pub done: u64,
    pub total: u64,
}

/// Called as bytes go out or come in; must be cheap.
pub type ProgressFn = Arc<dyn Fn(TransferProgress) + Send + Sync>;

/// No progress reporting.
pub fn no_progress() -> ProgressFn {
    Arc::new(|_| {})
}

/// A bulk send's attachments and messages per destination (一括送信の編集).
#[derive(Debug, Clone, Default)]
pub struct BulkExtras {
    /// メッセージ per 事業所番号.
    pub messages: BTreeMap<String, String>,
    /// Attachments per 事業所番号 (they carry no destination in their names).
    pub attachments: BTreeMap<String, Vec<LocalFile>>,
    /// A draft switched to 一括送信: the relay removes it with the send to its destination.
    pub from_draft: Option<String>,
    /// The bulk send's idempotency key, which the relay turns into one key per destination
    /// (`<key>:<事業所番号>`). The desktop app makes one per plan and keeps it for the retry of the
    /// destinations that failed: a destination already stored under it is answered with its earlier
    /// message, never stored twice, even when the first answer was lost. `None`: a new key for
    /// this call (its own retries after a broken connection still share it).
    pub plan_key: Option<String>,
}

const CHUNK: usize = 64 * 1024;

/// A multipart part that reports its bytes as the connection takes them.
fn counted_part(
    file: &LocalFile,
    sent: &Arc<AtomicU64>,
    total: u64,
    progress: &ProgressFn,
) -> Part {
    let chunks: Vec<Bytes> = (0..file.bytes.len())
        .step_by(CHUNK)
        .map(|start| {
            file.bytes
                .slice(start..(start + CHUNK).min(file.bytes.len()))
        })
        .collect();
    let (sent, progress) = (sent.clone(), progress.clone());
    let stream = futures::stream::iter(chunks).map(move |chunk| {
        let done = sent.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
        progress(TransferProgress { done, total });
        Ok::<Bytes, std::io::Error>(chunk)
    });
    Part::stream_with_length(reqwest::Body::wrap_stream(stream), file.bytes.len() as u64)
        .file_name(file.name.clone())
}

use futures::StreamExt;

/// The longest key a caller may give: the relay takes up to 100 characters and appends
/// `:<事業所番号>` (11) to a bulk send's, which it stores as it does a plain key.
const MAX_KEY: usize = 64;

/// A caller's idempotency key: 1 to 64 letters, digits or hyphens (a UUID fits).
fn checked_key(key: &str) -> Result<String, ClientError> {
    if key.is_empty()
        || key.len() > MAX_KEY
        || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(ClientError::local(
            "send.key_invalid",
            "送信の識別番号が正しくありません。画面を開き直してから、もう一度送信してください。",
        ));
    }
    Ok(key.to_owned())
}

impl RelayClient {
    /// Sends files to one office (新規作成 → 送信).
    pub async fn send(
        &self,
        to: &str,
        message: &str,
        files: &[LocalFile],
        progress: ProgressFn,
    ) -> Result<SendResponse, ClientError> {
        self.send_manifest(
            SendManifest {
                to: to.trim().to_owned(),
                message: message.to_owned(),
                from_draft: None,
            },
            files,
            progress,
        )
        .await
    }

    /// Sends files to one office in place of a draft opened in 新規作成 (and perhaps changed): the
    /// relay removes the draft in the transaction that stores the message, so it cannot be sent
    /// twice.
    pub async fn send_from_draft(
        &self,
        draft_id: &str,
        to: &str,
        message: &str,
        files: &[LocalFile],
        progress: ProgressFn,
    ) -> Result<SendResponse, ClientError> {
        self.send_manifest(
            SendManifest {
                to: to.trim().to_owned(),
                message: message.to_owned(),
                from_draft: Some(draft_id.to_owned()),
            },
            files,
            progress,
        )
        .await
    }

    /// Sends files to one office under the caller's idempotency key (`from_draft` as for
    /// [`RelayClient::send_from_draft`]). The desktop app makes one key per message it composes and
    /// keeps it until the relay has answered: pressing 送信 again after a lost answer then gets the
    /// message the first attempt stored instead of delivering it twice.
    pub async fn send_keyed(
        &self,
        key: &str,
        to: &str,
        message: &str,
        from_draft: Option<&str>,
        files: &[LocalFile],
        progress: ProgressFn,
    ) -> Result<SendResponse, ClientError> {
        let key = checked_key(key)?;
        self.send_manifest_with_key(
            SendManifest {
                to: to.trim().to_owned(),
                message: message.to_owned(),
                from_draft: from_draft.map(str::to_owned),
            },
            files,
            key,
            progress,
        )
        .await
    }

    async fn send_manifest(
        &self,
        manifest: SendManifest,
        files: &[LocalFile],
        progress: ProgressFn,
    ) -> Result<SendResponse, ClientError> {
        self.send_manifest_with_key(manifest, files, new_idempotency_key(), progress)
            .await
    }

    async fn send_manifest_with_key(
        &self,
        manifest: SendManifest,
        files: &[LocalFile],
        key: String,
        progress: ProgressFn,
    ) -> Result<SendResponse, ClientError> {
        let manifest = serde_json::to_string(&manifest).expect("manifest serialises");
        let total: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
        with_retries(|| {
            let sent = Arc::new(AtomicU64::new(0));
            let mut form = Form::new().text("manifest", manifest.clone());
            for file in files {
                form = form.part("file", counted_part(file, &sent, total, &progress));
            }
            json(
                self.request(Method::POST, "/v1/messages")
                    .header("Idempotency-Key", &key)
                    .multipart(form),
            )
        })
        .await
    }

    /// Which of these contents (hex SHA-256) this office already sent to `to`, each with its latest
    /// send: asked before a send, so that the same file is not delivered twice by mistake.
    pub async fn earlier_sends(
        &self,
        to: &str,
        sha256: &[String],
    ) -> Result<Vec<EarlierSend>, ClientError> {
        json(
            self.request(Method::POST, "/v1/outbox/earlier-sends")
                .json(&EarlierSendsRequest {
                    to: to.trim().to_owned(),
                    sha256: sha256.to_vec(),
                }),
        )
        .await
    }

    /// 一括送信: the relay routes each standard file by the destination in its name; the answer has
    /// one result per destination (one refused destination does not stop the others).
    pub async fn bulk_send(
        &self,
        files: &[LocalFile],
        extras: &BulkExtras,
        progress: ProgressFn,
    ) -> Result<BulkResponse, ClientError> {
        let manifest = serde_json::to_string(&BulkManifest {
            messages: extras.messages.clone(),
            from_draft: extras.from_draft.clone(),
        })
        .expect("manifest serialises");
        let total: u64 = files
            .iter()
            .chain(extras.attachments.values().flatten())
            .map(|f| f.bytes.len() as u64)
            .sum();
        let key = match &extras.plan_key {
            Some(key) => checked_key(key)?,
            None => new_idempotency_key(),
        };
        with_retries(|| {
            let sent = Arc::new(AtomicU64::new(0));
            let mut form = Form::new().text("manifest", manifest.clone());
            for file in files {
                form = form.part("file", counted_part(file, &sent, total, &progress));
            }
            for (to, attachments) in &extras.attachments {
                for file in attachments {
                    form = form.part(
                        format!("attachment.{to}"),
                        counted_part(file, &sent, total, &progress),
                    );
                }
            }
            json(
                self.request(Method::POST, "/v1/bulk")
                    .header("Idempotency-Key", &key)
                    .multipart(form),
            )
        })
        .await
    }
}
