//! 送受信履歴: every file an office sent or received over a period, with who sent it, who took it,
//! its 受領証 and, for a unit replaced later, the versions that replaced it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::FileCategory;

/// Which way a file went, seen from the office asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub enum HistoryDirection {
    /// 送信: this office sent it.
    Sent,
    /// 受信: this office received it.
    Received,
}

/// The file kinds the history filters by, as a care manager names them (each takes the deletion
/// files of its kind too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub enum HistoryKind {
    /// 居宅サービス計画書 第1〜3表 (`UP1KYO`, `UP2KYO`, `UP3KYO`, `DLT1KYO`).
    Plan,
    /// サービス利用票（予定）and 別表 (`UPPLAN`, `UPSIKYU`, `DLTPLAN`).
    UsePlan,
    /// 実績 (`UPJSK`, `DLTJSK`).
    Actual,
    /// 利用者基本情報 (`UPKIHON…`, `DLTKIHON`).
    BasicInfo,
    /// 介護予防サービス・支援計画書 (`UPYOBO…`, `DLTYOBO`).
    PreventionPlan,
    /// 利用者補足情報 (`UPHOSOKU`).
    Supplement,
    /// PDF等: files that are not standard CSV.
    Attachment,
}

/// The filters of 送受信履歴 (all but the period optional), and the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema, utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
#[ts(export)]
pub struct HistoryQuery {
    /// First day of the period (`YYYY-MM-DD`, Japan time), by the day the file was sent.
    pub from: String,
    /// Last day of the period, included.
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub direction: Option<HistoryDirection>,
    /// The partner office's 事業所番号 (10 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub partner: Option<String>,
    /// 保険者番号 of the 利用者 (6 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub insurer: Option<String>,
    /// 被保険者番号 of the 利用者 (10 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub insured: Option<String>,
    /// Part of the 利用者's 氏名 as the unit's 補足 carries it (spaces ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kind: Option<HistoryKind>,
    /// 対象年月 of the file's name (`YYYYMM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub month: Option<String>,
    /// 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000000))]
    #[ts(optional)]
    pub page: Option<u32>,
    /// 1 to 200 (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    #[ts(optional)]
    pub per_page: Option<u32>,
}

/// The partner of a file: the office at the other end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct HistoryOffice {
    /// 事業所番号.
    pub number: String,
    /// 事業所名 as registered now.
    pub name: String,
}

/// Who did something with a file: the 個人ユーザID, its name where it is of this office, and the
/// terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct HistoryActor {
    /// 個人ユーザID; none where the relay did not record it (files of before).
    pub person_id: Option<String>,
    /// 氏名, for this office's own staff only (another office's staff are not named).
    pub person_name: Option<String>,
    /// 端末名.
    pub terminal: Option<String>,
}

/// A later version of a unit: the same kind and 対象年月 between the same two offices, for a
/// 利用者 of this one, with a newer ファイル連番.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct LaterVersion {
    pub file_id: String,
    pub name: String,
    pub serial: String,
    pub sent_at: String,
    /// When the receiver took it; none while it is 未.
    pub fetched_at: Option<String>,
}

/// One file of 送受信履歴.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct HistoryEntry {
    pub direction: HistoryDirection,
    /// 送信先 of a sent file, 送信元 of a received one.
    pub partner: HistoryOffice,
    pub message_id: String,
    pub file_id: String,
    pub name: String,
    pub category: FileCategory,
    /// The name's prefix (`UPPLAN` …); none for an attachment.
    pub kind: Option<String>,
    /// 対象年月 of the name (`YYYYMM`), where it has one.
    pub target_month: Option<String>,
    /// ファイル連番 (14 digits), for standard files.
    pub serial: Option<String>,
    /// What its send unit is, in words (`サービス利用票（予定）2025年4月分`), where the relay derived it.
    pub unit_title: Option<String>,
    /// Its unit's 利用者 (氏名 where carried, else 保険者番号 and 被保険者番号).
    pub people: Vec<String>,
    #[ts(type = "number")]
    pub size: u64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    pub sent_at: String,
    pub sent_by: HistoryActor,
    /// When the receiver took it (済); none while it is 未.
    pub fetched_at: Option<String>,
    /// Who took it; none while it is 未, or where the relay did not record it.
    pub fetched_by: Option<HistoryActor>,
    /// When its content was deleted untaken (期限切れ).
    pub expired_at: Option<String>,
    /// The 受領証's signature (base64), once issued: the receipt itself is `GET /v1/files/{id}/receipt`.
    pub receipt_signature: Option<String>,
    /// Later versions of this unit, oldest first: which one the partner actually took.
    pub later_versions: Vec<LaterVersion>,
}

/// One page of 送受信履歴, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct HistoryPage {
    pub items: Vec<HistoryEntry>,
    #[ts(type = "number")]
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// The period as asked (`YYYY-MM-DD`).
    pub from: String,
    pub to: String,
    /// The relay's receipt key id (first 16 hex digits of the SHA-256 of its public key), for the
    /// report's verification note.
    pub receipt_key_id: String,
    /// When the relay answered (RFC 3339, Japan time).
    pub generated_at: String,
}
