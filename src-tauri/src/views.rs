//! What the commands answer beyond the relay's own types (those are in careplan-api). Exported to
//! `ui/src/bindings` with ts-rs, like the API types, by `cargo test -p careplan-desktop --lib`.

use careplan_api::{ApiDiagnostic, ApiError, Draft, Office};
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
    pub diagnostics: Vec<ApiDiagnostic>,
}

/// Files of one ファイル連番, checked as a send unit.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct UnitCheck {
    pub serial: String,
    pub type_name: String,
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
