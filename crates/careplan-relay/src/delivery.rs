//! Delivering a send: the relay's rules (destination, sender, the standard), then storage that is
//! durable before it is visible. Used by the send API and by the demo data.

use std::collections::HashMap;

use axum::http::StatusCode;
use bytes::Bytes;
use careplan_api::{ApiDiagnostic, FileCategory};
use careplan_spec::{validate, FileName, InputFile, Party};
use sha2::{Digest, Sha256};

use crate::access::OfficeScope;
use crate::clock::now_ms;
use crate::error::RelayError;
use crate::store::{
    AuditEntry, FileRow, MessageRow, NewMessage, OfficeRow, Sent, UnitPerson, UnitRow,
};
use crate::AppState;

/// A file as received in a send.
pub struct Upload {
    pub name: String,
    pub bytes: Bytes,
}

/// Who sends: the office, the person logged in, and the terminal.
pub struct Sender {
    pub office: OfficeScope,
    pub person: String,
    pub terminal: String,
}

impl Sender {
    /// The sender of a logged-in session.
    pub fn of_session(session: &crate::access::Session) -> Sender {
        Sender {
            office: session.office().clone(),
            person: session.row.personal_user_id.clone(),
            terminal: session.row.terminal_name.clone(),
        }
    }
}

/// One send to one office, as asked.
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub message: &'a str,
    pub uploads: Vec<Upload>,
    /// Set by the client so that a retried request never stores a second message.
    pub idempotency: Option<Idempotency>,
    /// The sender's draft this send comes from; removed with the send.
    pub from_draft: Option<String>,
}

pub enum Delivered {
    New {
        message: MessageRow,
        warnings: Vec<ApiDiagnostic>,
    },
    /// The idempotency key was used before: the message that attempt stored.
    Replayed(MessageRow),
}

/// A file name as uploaded, in NFC: one name of at most 200 characters that the receiving office's
/// Windows holds and reads as written (the standard library's `name.windows_invalid` rule: no folders,
/// reserved, control or invisible characters, device names or trailing dots).
pub fn checked_file_name(name: &str) -> Result<String, RelayError> {
    let name = careplan_spec::windows_name::normalized(name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(RelayError::bad_request(
            "send.bad_file_name",
            format!(
                "ファイル名「{}」は使えません（1～200文字にしてください）。",
                careplan_spec::windows_name::visible(&name)
                    .chars()
                    .take(60)
                    .collect::<String>()
            ),
        ));
    }
    if let Some(problem) = careplan_spec::windows_name::windows_name_problem(&name) {
        let problem = problem.in_file(&name);
        return Err(RelayError::Api {
            status: StatusCode::BAD_REQUEST,
            code: "send.bad_file_name",
            message: problem.message.clone(),
            diagnostics: vec![ApiDiagnostic::from(&problem)],
        });
    }
    Ok(name)
}

/// A send's Idempotency-Key and what the request asked for: a retry with the key is answered with
/// the first message only when it asks for the same.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub digest: String,
}

/// SHA-256 over length-prefixed fields, so that no two different lists of fields give one text.
pub(crate) struct RequestDigest(Sha256);

impl RequestDigest {
    pub fn new(kind: &str) -> RequestDigest {
        let mut digest = RequestDigest(Sha256::new());
        digest.field(kind.as_bytes());
        digest
    }

    pub fn field(&mut self, bytes: &[u8]) -> &mut RequestDigest {
        self.0.update((bytes.len() as u64).to_be_bytes());
        self.0.update(bytes);
        self
    }

    /// A file: its name and the SHA-256 of its bytes.
    pub fn file(&mut self, upload: &Upload) -> &mut RequestDigest {
        self.field(upload.name.as_bytes());
        let sha = Sha256::digest(&upload.bytes);
        self.field(&sha)
    }

    pub fn finish(self) -> String {
        hex::encode(self.0.finalize())
    }
}

/// What a send to one office asks for: destination, message, the draft it comes from, and each
/// file's name and SHA-256, in order.
pub fn send_digest(
    to: &str,
    message: &str,
    from_draft: Option<&str>,
    uploads: &[Upload],
) -> String {
    let mut digest = RequestDigest::new("send v1");
    digest
        .field(to.trim().as_bytes())
        .field(message.as_bytes())
        .field(&[u8::from(from_draft.is_some())])
        .field(from_draft.unwrap_or_default().as_bytes());
    for upload in uploads {
        digest.file(upload);
    }
    digest.finish()
}

/// The refusal of a key used before for another request.
pub fn idempotency_conflict() -> RelayError {
    RelayError::api(
        StatusCode::CONFLICT,
        "send.idempotency_conflict",
        "この送信の再送用のキー（Idempotency-Key）は、内容の違う送信に使われています。同じキーで送り直せるのは同じ内容の送信だけです。送信内容を確かめて、新しい送信としてやり直してください。",
    )
}

/// The earlier message of a key, if the request is the same as the one that stored it; a refusal
/// if it is not. Messages stored before digests were kept (no digest) count as the same.
pub fn replayable(
    earlier: crate::store::KeyedMessage,
    digest: &str,
) -> Result<MessageRow, RelayError> {
    match &earlier.request_digest {
        Some(stored) if stored != digest => Err(idempotency_conflict()),
        _ => Ok(earlier.message),
    }
}

pub fn new_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// 登録 (a standard CSV), 削除 (`DLT…`) or PDF等 (attachments and the family picture).
pub fn category_of(name: &str) -> (FileCategory, Option<FileName>) {
    match FileName::parse(name) {
        Ok(parsed) if parsed.kind.is_image() => (FileCategory::Attachment, Some(parsed)),
        Ok(parsed) if parsed.kind.is_deletion() => (FileCategory::Delete, Some(parsed)),
        Ok(parsed) => (FileCategory::Register, Some(parsed)),
        Err(_) => (FileCategory::Attachment, None),
    }
}

pub fn category_text(category: FileCategory) -> &'static str {
    match category {
        FileCategory::Register => "register",
        FileCategory::Delete => "delete",
        FileCategory::Attachment => "attachment",
    }
}

/// The inverse of [`category_text`], for rows read back.
pub fn category_from_text(text: &str) -> FileCategory {
    match text {
        "register" => FileCategory::Register,
        "delete" => FileCategory::Delete,
        _ => FileCategory::Attachment,
    }
}

/// A v4 name carries the service kind of each party (v3 names do not): it must be one the office is
/// registered with, or the receiving software would file the plan under the wrong service.
fn check_service_kind(
    file: &str,
    role: &str,
    party: &Party,
    office: &OfficeRow,
) -> Result<(), RelayError> {
    let Some(kind) = &party.service_kind else {
        return Ok(());
    };
    if office.service_kinds.iter().any(|k| k == kind) {
        return Ok(());
    }
    let describe = |code: &str| match careplan_spec::numbers::service_kind(code) {
        Some((_, name)) => format!("{code} {name}"),
        None => code.to_owned(),
    };
    let registered: Vec<String> = office.service_kinds.iter().map(|k| describe(k)).collect();
    Err(RelayError::api(
        StatusCode::UNPROCESSABLE_ENTITY,
        "send.service_kind_mismatch",
        format!(
            "「{file}」の{role}のサービス種類（{}）は、事業所 {}（{}）に登録されているサービス種類（{}）にありません。ファイルを作ったソフトでサービス種類を確認してください。",
            describe(kind),
            office.number,
            office.name,
            registered.join("、")
        ),
    ))
}

/// What the standard files of a send are, in words, per send unit, and whom each is about: kept
/// with the message so that 受信一覧 and 送信一覧 say it without the content (which goes at
/// データ取得). Attachments make no unit.
pub fn units_in_words(uploads: &[Upload]) -> Vec<UnitRow> {
    let files: Vec<careplan_records::StandardFile> = uploads
        .iter()
        .filter(|u| category_of(&u.name).1.is_some())
        .filter_map(|u| careplan_records::read_file(&u.name, &u.bytes).ok())
        .collect();
    careplan_records::summarize_units(&files)
        .into_iter()
        .map(|unit| UnitRow {
            serial: unit.serial,
            title: unit.title,
            people: unit
                .people
                .into_iter()
                .map(|p| UnitPerson {
                    insurer: p.insurer,
                    insured: p.insured,
                    name: p.name,
                })
                .collect(),
        })
        .collect()
}

/// A send names a draft that is gone: sent or deleted from another terminal.
pub fn draft_already_sent() -> RelayError {
    RelayError::api(
        StatusCode::CONFLICT,
        "draft.already_sent",
        "この下書きは、ほかの端末で送信されたか削除されています。二重に送らないよう、送信一覧と下書き一覧を確認してください。",
    )
}

/// Checks a send to one office and stores it. Nothing is visible until everything is written.
pub async fn deliver(
    state: &AppState,
    sender: &Sender,
    outgoing: Outgoing<'_>,
) -> Result<Delivered, RelayError> {
    let Outgoing {
        to,
        message,
        uploads,
        idempotency,
        from_draft,
    } = outgoing;
    let own = sender.office.number();
    let to = to.trim();
    if uploads.is_empty() {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "send.no_files",
            "送信するファイルがありません。ファイルを選んでから送信してください。",
        ));
    }
    if to == own {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "send.own_office",
            "自分の事業所には送信できません。送信先の事業所番号を確認してください。",
        ));
    }
    let Some(destination) = state.store.offices().get(to).await? else {
        return Err(RelayError::api(
            StatusCode::NOT_FOUND,
            "send.unknown_destination",
            format!("事業所番号 {to} の事業所は、ケアプランデータ連携システムに登録されていません。番号を確認してください。"),
        ));
    };
    if message.chars().count() > state.limits.max_message_chars {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "send.message_too_long",
            format!(
                "メッセージは {} 文字までです。",
                state.limits.max_message_chars
            ),
        ));
    }

    // The standard: names, contents, send units, attachments.
    let inputs: Vec<InputFile<'_>> = uploads
        .iter()
        .map(|u| InputFile {
            name: &u.name,
            bytes: &u.bytes,
        })
        .collect();
    let report = validate(&inputs);
    if !report.ok {
        return Err(RelayError::Api {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "send.invalid_files",
            message: format!("送信するファイルに、標準仕様に合わない点が {} 件あります。各ファイルの内容を直してから送信してください。", report.error_count()),
            diagnostics: report.diagnostics().map(ApiDiagnostic::from).collect(),
        });
    }
    // Every standard file goes from this office to the chosen destination.
    for upload in &uploads {
        if let (_, Some(name)) = category_of(&upload.name) {
            if name.sender.office.as_str() != own {
                return Err(RelayError::api(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "send.sender_mismatch",
                    format!("「{}」の送信元の事業所番号（{}）が、ログインしている事業所（{own}）と違います。自分の事業所のファイルだけを送れます。", upload.name, name.sender.office),
                ));
            }
            if name.receiver.office.as_str() != to {
                return Err(RelayError::api(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "send.destination_mismatch",
                    format!("「{}」の送信先の事業所番号（{}）が、選んだ送信先（{to}）と違います。送信先を確認するか、一括送信を使ってください。", upload.name, name.receiver.office),
                ));
            }
            check_service_kind(&upload.name, "送信先", &name.receiver, &destination)?;
            if name.sender.service_kind.is_some() {
                if let Some(own_office) = state.store.offices().get(own).await? {
                    check_service_kind(&upload.name, "送信元", &name.sender, &own_office)?;
                }
            }
        }
    }
    let warnings: Vec<ApiDiagnostic> = report.diagnostics().map(ApiDiagnostic::from).collect();
    let versions: HashMap<&str, Option<String>> = report
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.csv_version.clone()))
        .collect();

    // Durable before visible: every blob written (create-only, synced), then one transaction.
    let now = now_ms();
    let message_id = new_id();
    let mut files = Vec::with_capacity(uploads.len());
    for (position, upload) in uploads.iter().enumerate() {
        let file_id = new_id();
        let blob_key = format!("messages/{message_id}/{file_id}");
        files.push(FileRow {
            id: file_id,
            message_id: message_id.clone(),
            position: position as i64,
            name: upload.name.clone(),
            category: category_text(category_of(&upload.name).0).to_owned(),
            csv_version: versions.get(upload.name.as_str()).cloned().flatten(),
            size: upload.bytes.len() as i64,
            sha256: hex::encode(Sha256::digest(&upload.bytes)),
            blob_key,
            fetched_at: None,
            content_purged_at: None,
        });
    }
    // The files' writes and syncs overlap: a send waits for the slowest file, not for the sum.
    futures::future::try_join_all(
        files
            .iter()
            .zip(&uploads)
            .map(|(file, upload)| state.blobs.put_new(&file.blob_key, upload.bytes.clone())),
    )
    .await?;
    let new = NewMessage {
        units: units_in_words(&uploads),
        id: message_id,
        receiver_office: to.to_owned(),
        message: message.to_owned(),
        sent_at: now,
        sender_terminal: sender.terminal.clone(),
        sender_person: Some(sender.person.clone()),
        idempotency_key: idempotency.as_ref().map(|i| i.key.clone()),
        request_digest: idempotency.as_ref().map(|i| i.digest.clone()),
        files,
        from_draft,
    };
    let detail = format!("{} → {to}: {} files", new.id, new.files.len());
    let audit = AuditEntry {
        at: now,
        office: Some(own),
        actor: &sender.person,
        action: "send",
        detail: &detail,
    };
    let mailbox = state.store.mailbox(&sender.office);
    match mailbox.send(&new, &audit).await? {
        Sent::Stored {
            message,
            draft_blobs,
        } => {
            // Told first: the message is stored, whatever happens to the draft's blobs.
            crate::feed::announce_arrival(state, &message, new.files.len()).await;
            for key in draft_blobs {
                state.blobs.delete(&key).await?;
            }
            Ok(Delivered::New { message, warnings })
        }
        Sent::DraftGone => {
            for f in &new.files {
                state.blobs.delete(&f.blob_key).await?;
            }
            Err(draft_already_sent())
        }
        Sent::KeyUsed => {
            // A concurrent retry with the same key won: drop our blobs, answer with its message.
            for f in &new.files {
                state.blobs.delete(&f.blob_key).await?;
            }
            let idempotency = idempotency.unwrap_or_else(|| Idempotency {
                key: String::new(),
                digest: String::new(),
            });
            let earlier = mailbox
                .sent_with_key(&idempotency.key)
                .await?
                .ok_or_else(|| RelayError::Internal("idempotent message vanished".into()))?;
            Ok(Delivered::Replayed(replayable(
                earlier,
                &idempotency.digest,
            )?))
        }
    }
}
