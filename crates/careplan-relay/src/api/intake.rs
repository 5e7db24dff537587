//! Reading an upload (a send, a bulk send, a draft): the multipart body is read part by part and
//! chunk by chunk, and every limit is enforced while it streams, so that an oversize request is
//! refused as soon as it passes a limit (or, when it says its length, before a byte of it is read)
//! with a 413 that names the limit, and never costs the relay more memory than the limit.
//!
//! All requests together hold at most [`crate::Limits::max_upload_bytes_in_flight`] bytes of
//! uploads; past it a request is answered 503 with `Retry-After` instead of taking the relay over
//! its memory target.

use std::sync::Arc;

use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::delivery::{checked_file_name, Upload};
use crate::error::RelayError;

/// The bytes of uploads all requests hold at once, shared by every request.
pub struct UploadBudget {
    bytes: Arc<Semaphore>,
}

impl UploadBudget {
    pub fn new(bytes: usize) -> UploadBudget {
        UploadBudget {
            bytes: Arc::new(Semaphore::new(bytes.min(Semaphore::MAX_PERMITS))),
        }
    }

    /// Bytes not held by any request now.
    pub fn available(&self) -> usize {
        self.bytes.available_permits()
    }
}

/// What one request holds of the budget; given back when the request is done with its uploads.
#[derive(Default)]
pub struct BudgetHold {
    permits: Option<OwnedSemaphorePermit>,
}

impl BudgetHold {
    fn take(&mut self, budget: &UploadBudget, bytes: usize) -> Result<(), RelayError> {
        let Ok(n) = u32::try_from(bytes) else {
            return Err(busy());
        };
        let permit = budget
            .bytes
            .clone()
            .try_acquire_many_owned(n)
            .map_err(|_| busy())?;
        match &mut self.permits {
            Some(held) => held.merge(permit),
            None => self.permits = Some(permit),
        }
        Ok(())
    }
}

fn busy() -> RelayError {
    RelayError::Busy { seconds: 5 }
}

/// The parts one route takes, and its limits.
pub struct IntakeRules {
    /// Bytes of files, all parts together.
    pub max_bytes: usize,
    pub max_files: usize,
    /// The refusal past `max_bytes` (413, naming the limit).
    pub too_large: fn(usize) -> RelayError,
    /// The refusal past `max_files`.
    pub too_many_files: fn(usize) -> RelayError,
    /// Whether a part of this name is a file (`file`; `attachment.<事業所番号>` in a bulk send).
    pub is_file_part: fn(&str) -> bool,
}

/// What an upload brought: the manifest (if any) and the files with the name of their part.
pub struct Intake {
    pub manifest: Option<String>,
    pub files: Vec<(String, Upload)>,
    /// Held for as long as the files are in memory.
    pub hold: BudgetHold,
}

fn send_too_large(limit: usize) -> RelayError {
    RelayError::api(
        StatusCode::PAYLOAD_TOO_LARGE,
        "send.too_large",
        format!(
            "1回に送れるのは合計 {} MB までです。ファイルを分けて送ってください。",
            limit / 1_000_000
        ),
    )
}

fn send_too_many_files(limit: usize) -> RelayError {
    RelayError::bad_request(
        "send.too_many_files",
        format!("1回に送れるファイルは {limit} 個までです。送信を分けてください。"),
    )
}

fn bulk_too_large(limit: usize) -> RelayError {
    RelayError::api(
        StatusCode::PAYLOAD_TOO_LARGE,
        "bulk.too_large",
        format!(
            "一括送信で送れるのは合計 {} MB までです。送信を分けてください。",
            limit / 1_000_000
        ),
    )
}

fn bulk_too_many_files(limit: usize) -> RelayError {
    RelayError::bad_request(
        "bulk.too_many_files",
        format!("一括送信で送れるファイルは {limit} 個までです。送信を分けてください。"),
    )
}

impl IntakeRules {
    /// A send and a draft: `manifest` and `file` parts, the one-send limits.
    pub fn send(limits: &crate::Limits) -> IntakeRules {
        IntakeRules {
            max_bytes: limits.max_send_bytes,
            max_files: limits.max_send_files,
            too_large: send_too_large,
            too_many_files: send_too_many_files,
            is_file_part: |part| part == "file",
        }
    }

    /// A bulk send: `manifest`, `file` and `attachment.<事業所番号>` parts, the bulk limits.
    pub fn bulk(limits: &crate::Limits) -> IntakeRules {
        IntakeRules {
            max_bytes: limits.max_bulk_bytes,
            max_files: limits.max_bulk_files,
            too_large: bulk_too_large,
            too_many_files: bulk_too_many_files,
            is_file_part: |part| part == "file" || part.starts_with("attachment."),
        }
    }

    /// The body cap of the route these rules are for.
    pub(crate) fn cap(&self) -> BodyCap {
        BodyCap {
            files_bytes: self.max_bytes,
            too_large: self.too_large,
        }
    }
}

/// The manifest is a small JSON object.
const MAX_MANIFEST_BYTES: usize = 64 * 1024;

fn malformed(message: &str) -> RelayError {
    RelayError::bad_request("send.malformed", message)
}

/// Whether the body stopped arriving (see `connection::ProgressBody`) somewhere below `error`.
fn is_stalled(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<crate::connection::BodyStalled>() {
            return true;
        }
        current = e.source();
    }
    false
}

/// A multipart error as the user's refusal: a stalled body, the body limit, or a broken body.
fn part_error(error: MultipartError, rules: &IntakeRules, what: &str) -> RelayError {
    if is_stalled(&error) {
        return crate::connection::body_stalled();
    }
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return (rules.too_large)(rules.max_bytes);
    }
    malformed(what)
}

/// Reads one part to its end, chunk by chunk, counting its bytes into `total` and the budget.
async fn read_part(
    field: &mut Field<'_>,
    rules: &IntakeRules,
    budget: &UploadBudget,
    hold: &mut BudgetHold,
    total: &mut usize,
    max: usize,
    over: impl Fn() -> RelayError,
) -> Result<Bytes, RelayError> {
    let mut bytes = BytesMut::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| {
        part_error(
            e,
            rules,
            "ファイルを受け取れませんでした。もう一度送信してください。",
        )
    })? {
        *total += chunk.len();
        if *total > max {
            return Err(over());
        }
        hold.take(budget, chunk.len())?;
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes.freeze())
}

/// Reads an upload under `rules`.
pub async fn read(
    budget: &UploadBudget,
    mut multipart: Multipart,
    rules: &IntakeRules,
) -> Result<Intake, RelayError> {
    let mut intake = Intake {
        manifest: None,
        files: Vec::new(),
        hold: BudgetHold::default(),
    };
    let mut total = 0usize;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return Err(part_error(
                    e,
                    rules,
                    "送信データの形が正しくありません。もう一度送信してください。",
                ))
            }
        };
        let part = field.name().unwrap_or_default().to_owned();
        if part == "manifest" {
            if intake.manifest.is_some() {
                return Err(malformed(
                    "送信データに送信先の指定（manifest）が2つあります。1つにしてもう一度送信してください。",
                ));
            }
            let mut manifest_bytes = 0;
            let bytes = read_part(
                &mut field,
                rules,
                budget,
                &mut intake.hold,
                &mut manifest_bytes,
                MAX_MANIFEST_BYTES,
                || malformed("送信先の指定（manifest）が大きすぎます。"),
            )
            .await?;
            let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                malformed("送信先の指定（manifest）が UTF-8 の JSON ではありません。")
            })?;
            intake.manifest = Some(text);
        } else if (rules.is_file_part)(&part) {
            let name = checked_file_name(field.file_name().unwrap_or_default())?;
            if intake.files.len() == rules.max_files {
                return Err((rules.too_many_files)(rules.max_files));
            }
            let bytes = read_part(
                &mut field,
                rules,
                budget,
                &mut intake.hold,
                &mut total,
                rules.max_bytes,
                || (rules.too_large)(rules.max_bytes),
            )
            .await?;
            intake.files.push((part, Upload { name, bytes }));
        } else {
            return Err(malformed(&format!(
                "送信データに知らない部分「{}」があります。manifest と file だけを送ってください。",
                careplan_spec::windows_name::visible(&part)
                    .chars()
                    .take(50)
                    .collect::<String>()
            )));
        }
    }
    Ok(intake)
}

/// Multipart framing (boundaries, part headers, the manifest) on top of the files' own bytes.
pub const FRAMING_BYTES: usize = 1024 * 1024;

/// The largest body a route takes, and how it refuses a larger one.
#[derive(Clone, Copy)]
pub(crate) struct BodyCap {
    pub files_bytes: usize,
    pub too_large: fn(usize) -> RelayError,
}

impl BodyCap {
    pub fn body_bytes(self) -> usize {
        self.files_bytes + FRAMING_BYTES
    }
}

/// Refuses a request whose `Content-Length` already says it is too large, before reading a byte
/// of its body; the streaming checks of [`read`] catch the ones that do not say.
pub(crate) async fn refuse_oversize(
    State(cap): State<BodyCap>,
    request: Request,
    next: Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > cap.body_bytes() as u64) {
        return (cap.too_large)(cap.files_bytes).into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_shared_and_given_back() {
        let budget = UploadBudget::new(100);
        let mut a = BudgetHold::default();
        a.take(&budget, 60).unwrap();
        a.take(&budget, 30).unwrap();
        let mut b = BudgetHold::default();
        assert_eq!(b.take(&budget, 11).unwrap_err().code(), "server.busy");
        b.take(&budget, 10).unwrap();
        assert_eq!(budget.available(), 0);
        drop(a);
        assert_eq!(budget.available(), 90);
    }
}
