//! What the commands answer beyond the relay's own types (those are in careplan-api). Exported to
//! `ui/src/bindings` with ts-rs, like the API types, by `cargo test -p careplan-desktop --lib`.

use careplan_api::{ApiDiagnostic, ApiError, Draft, FileEntry, Office};
use careplan_records::{OpenedFile, OtherFile, UnitSummary};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The app and whether it is ready to log in.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub relay_url: Option<String>,
    /// The office portal (利用状況Webサイト) of that relay, for かんたんシミュレーション and 電子証明書の申請;
    /// `None` without 接続先 and in 練習モード (whose relay has no portal).
    pub portal_url: Option<String>,
    /// 接続先, 認証局 and 電子証明書 are all set.
    pub ready_to_log_in: bool,
    /// Started with `--practice`: the login screen opens 練習モード at once.
    pub practice_requested: bool,
}

/// 練習モード as the trainee sees it: whose office they play, the IDs to type, and the sample files
/// to drag in.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PracticeView {
    pub office_number: String,
    pub office_name: String,
    pub personal_user_id: String,
    pub personal_password: String,
    pub office_user_id: String,
    pub office_password: String,
    /// The folder holding the sample files.
    pub sample_folder: String,
    pub sample_files: Vec<String>,
}

/// A certificate just imported in 設定.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportedCertificate {
    pub file_name: String,
    /// The certificate is another office's than the one before: the remembered IDs (that office's)
    /// were cleared.
    pub ids_cleared: bool,
    /// The .p12's password is in the OS keyring; `false`: the keyring could not be used, so the
    /// password is kept only until the app closes.
    pub password_saved: bool,
}

/// A certificate file as 設定 shows it before taking it: what it says, and whom the relay's register
/// says it belongs to (when the relay can be asked).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CertificateCheck {
    pub file_name: String,
    /// 事業所番号, from the certificate's subject (`OU`).
    pub office_number: Option<String>,
    /// 有効期限: the last day, `YYYY-MM-DD`.
    pub not_after: String,
    pub expired: bool,
    /// The office as the relay's register knows this certificate's.
    pub office: Option<Office>,
    /// Why the relay did not name the office: not reachable, or it refuses the certificate (unknown,
    /// revoked, expired).
    pub relay_error: Option<ApiError>,
}

/// One file checked before sending.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FileCheck {
    pub path: String,
    pub name: String,
    /// 第1表, 添付ファイル, ….
    pub kind_name: String,
    pub ok: bool,
    /// The file could not be read (gone, or held by another program): checked no further.
    pub unreadable: bool,
    /// Hex SHA-256 of the bytes checked (what the relay knows earlier sends by); `None` when
    /// unreadable.
    pub sha256: Option<String>,
    /// The 利用者 of the file's send unit, as people read them (氏名 from the unit's 補足, or 保険者番号
    /// and 被保険者番号).
    pub people: Vec<String>,
    pub diagnostics: Vec<ApiDiagnostic>,
    /// Findings left out after the first 20 of one rule in this file (the validator's count).
    pub suppressed: u32,
}

/// Files of one ファイル連番, checked as a send unit.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct UnitCheck {
    pub serial: String,
    pub type_name: String,
    /// The unit in words: `サービス利用票（予定）2025年4月分`.
    pub title: String,
    /// Its 利用者, as in [`FileCheck::people`].
    pub people: Vec<String>,
    pub files: Vec<String>,
    pub ok: bool,
    pub diagnostics: Vec<ApiDiagnostic>,
}

/// 新規作成's check of the dropped files, before anything is sent.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FilesCheck {
    pub ok: bool,
    pub files: Vec<FileCheck>,
    pub units: Vec<UnitCheck>,
    /// The destinations (事業所番号) the standard files' names give, in number order: 新規作成 fills
    /// its destination in from one, and explains two or more.
    pub destinations: Vec<String>,
}

/// 一括送信's preview: the files grouped by the destination in their names.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BulkDestination {
    pub office_number: String,
    /// From the relay's register; `None` when the office is not registered.
    pub office: Option<Office>,
    pub paths: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BulkPlan {
    pub destinations: Vec<BulkDestination>,
    /// Files whose names carry no destination (attachments go with a destination's 編集).
    pub unrouted: Vec<String>,
}

/// 一括送信's 編集 for one destination.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct BulkEdit {
    pub office_number: String,
    pub message: String,
    pub attachment_paths: Vec<String>,
}

/// A file saved by データ取得.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FetchedFileView {
    pub file_id: String,
    pub name: String,
    pub saved_as: String,
    pub fetched_at: String,
    /// The identical file was in the folder already: nothing new was written.
    pub already_there: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FetchFailure {
    pub file_id: String,
    pub name: String,
    pub error: ApiError,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FetchOutcome {
    pub fetched: Vec<FetchedFileView>,
    pub failed: Vec<FetchFailure>,
}

/// A draft opened in 新規作成: its files copied to this PC.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OpenedDraft {
    pub draft: Draft,
    pub paths: Vec<String>,
}

/// The `transfer-progress` event: bytes moved by a send or a fetch.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TransferProgressEvent {
    /// `send`, `bulk_send` or `fetch`.
    pub operation: String,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// Files opened to be read as the paper forms (ファイルを開く, 内容を見る): each standard file with its
/// form's views, the send units they make, the files not shown and why, and the validator's findings
/// to show at the items they concern.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OpenedFiles {
    /// Every file is a standard file or an attachment, and the validator finds no error.
    pub ok: bool,
    pub units: Vec<UnitSummary>,
    pub files: Vec<OpenedFile>,
    /// Attachments, files that are not standard, and files whose bytes could not be had.
    pub others: Vec<OtherFile>,
    /// The validator's findings over all the files as one send (`file`, `line`, `item_no` say
    /// where), as 新規作成's check gives them.
    pub diagnostics: Vec<ApiDiagnostic>,
}

/// Where the files to open or compare come from.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "from", rename_all = "snake_case")]
#[ts(export)]
pub enum FileSource {
    /// Files on this PC (picked or dropped).
    Disk { paths: Vec<String> },
    /// Files of 受信一覧 as the list gives them: 未 ones are read from the relay without being
    /// fetched, 済 ones from the save folder of 設定.
    Received { files: Vec<FileEntry> },
    /// The files of a draft (下書き一覧).
    Draft { id: String },
    /// Messages of 送信一覧 as the list gives them, read from this PC's copy of what it sent
    /// (`sent_copies`): the relay keeps none for the sender.
    Sent { messages: Vec<SentFiles> },
}

/// A message of 送信一覧 and the files of it to read.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct SentFiles {
    pub message_id: String,
    pub files: Vec<FileEntry>,
}
