//! Wire types of the relay API (design §4), shared by the relay, the client library and, exported as
//! TypeScript by ts-rs (`cargo test -p careplan-api` writes `ui/src/bindings/`), the desktop UI.
//!
//! Times are RFC 3339 strings in JST (`2025-04-01T09:30:00+09:00`); dates are `YYYY-MM-DD`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod feed;
mod history;

pub use feed::{FeedArrival, FeedEvent, FeedState, FeedTaken, FeedToken};

pub use history::{
    HistoryActor, HistoryDirection, HistoryEntry, HistoryKind, HistoryOffice, HistoryPage,
    HistoryQuery, LaterVersion,
};

/// Every error the relay answers with: a stable code and a Japanese message that says what to do.
/// Validation refusals carry the standard's diagnostics as well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<ApiDiagnostic>,
    /// The relay's id of the refused request (its `x-request-id` header), filled in by the client:
    /// what a help desk asks for to find the request in the relay's log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub request_id: Option<String>,
}

/// A finding of the standard's validator, as sent over the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct ApiDiagnostic {
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_no: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_name: Option<String>,
    pub message: String,
}

impl From<&careplan_spec::Diagnostic> for ApiDiagnostic {
    fn from(d: &careplan_spec::Diagnostic) -> Self {
        ApiDiagnostic {
            code: d.code.as_str().to_owned(),
            severity: match d.severity {
                careplan_spec::Severity::Error => "error",
                careplan_spec::Severity::Warning => "warning",
            }
            .to_owned(),
            file: d.file.clone(),
            line: d.line,
            item_no: d.item.as_ref().map(|i| i.no),
            item_name: d.item.as_ref().map(|i| i.name.to_owned()),
            message: d.message.clone(),
        }
    }
}

/// Stage 1: the personal user ID (`c…`) and its password.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct PersonalLoginRequest {
    pub user_id: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct PersonalLoginResponse {
    /// Good for stage 2 only, for a few minutes.
    pub stage_token: String,
    pub expires_in_seconds: u32,
}

/// Stage 2: the office user ID (`KJ` + 12 characters) and its password, with the terminal's name.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct OfficeLoginRequest {
    pub stage_token: String,
    pub office_user_id: String,
    pub password: String,
    pub terminal_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct OfficeLoginResponse {
    pub session_token: String,
    pub expires_in_seconds: u32,
    pub office: Office,
}

/// An office (事業所) as the register knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Office {
    /// 事業所番号.
    pub number: String,
    pub name: String,
    /// サービス種類コード, e.g. `["43"]`.
    pub service_kinds: Vec<String>,
    pub prefecture: String,
    pub city: String,
    /// Whether the office uses the exchange (has a valid licence).
    pub uses_system: bool,
}

/// 受信一覧 / 送信一覧: the file's type as the screens show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub enum FileCategory {
    /// 登録: a standard CSV that adds or replaces data.
    Register,
    /// 削除: a standard deletion file (`DLT…`).
    Delete,
    /// PDF等: an attachment, or the family picture of 利用者基本情報.
    Attachment,
}

/// One file of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct FileEntry {
    pub id: String,
    pub name: String,
    pub category: FileCategory,
    /// CSVバージョン, e.g. `202407`, for standard CSV files.
    pub csv_version: Option<String>,
    #[ts(type = "number")]
    pub size: u64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    /// データ取得状況 / ダウンロード状況: when the receiver fetched it (済), or `None` (未).
    pub fetched_at: Option<String>,
    /// When the content is deleted if its receiver has not taken it by then (未 files only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub expires_at: Option<String>,
    /// When the content was deleted untaken, its time being over (期限切れ): it can no longer be
    /// fetched, and the sender is to send it again if it is still needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub expired_at: Option<String>,
}

impl FileEntry {
    /// 未 and still at the relay: it can be fetched (not 済, not 期限切れ).
    pub fn is_waiting(&self) -> bool {
        self.fetched_at.is_none() && self.expired_at.is_none()
    }
}

/// A person of the office: a 個人ユーザID and the name its administrator gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Person {
    /// 個人ユーザID (`c…`).
    pub id: String,
    /// 氏名 (may be empty for IDs issued without one).
    pub name: String,
}

/// A message in 受信一覧 or 送信一覧.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct MessageSummary {
    pub id: String,
    pub sent_at: String,
    /// メッセージ (may be empty).
    pub message: String,
    /// 送信元 in the inbox, 送信先 in the outbox.
    pub counterpart: Office,
    pub files: Vec<FileEntry>,
    /// 送信者: who of this office sent it (送信一覧 only; another office's staff are not shown; none
    /// for messages sent before the relay recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sent_by: Option<Person>,
    /// What the message is, in words, per send unit, in ファイル連番 order: derived by the relay from
    /// the files' content when it was sent, so that 受信一覧 can say it before データ取得. Empty for
    /// a message of attachments alone and for messages stored before the relay derived it.
    #[serde(default)]
    pub units: Vec<MessageUnit>,
}

/// One send unit of a message, in words: 「サービス利用票（予定）2025年4月分」 and whom it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct MessageUnit {
    /// ファイル連番 (14 digits).
    pub serial: String,
    /// `サービス利用票（予定）2025年4月分`, `居宅サービス計画書 第1〜3表`, `実績 2025年4月分` …
    pub title: String,
    /// Its 利用者: the 氏名 where the unit's 補足 (or 利用者基本情報) carries it, else 保険者番号 and
    /// 被保険者番号.
    pub people: Vec<String>,
}

/// One page of a list, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct MessagePage {
    pub items: Vec<MessageSummary>,
    #[ts(type = "number")]
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// The answer to a send: the stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct SendResponse {
    pub message: MessageSummary,
    /// Warnings of the validator (a send with errors is refused instead).
    pub warnings: Vec<ApiDiagnostic>,
}

/// The manifest part of a send: where to, and the optional メッセージ.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct SendManifest {
    /// The destination's 事業所番号.
    pub to: String,
    #[serde(default)]
    pub message: String,
    /// The id of this office's draft (下書き) the send comes from: the relay removes the draft in the
    /// same transaction that stores the message, so a draft is never sent twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub from_draft: Option<String>,
}

/// The manifest part of a bulk send (一括送信): an optional メッセージ per destination office.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct BulkManifest {
    /// 事業所番号 → メッセージ.
    #[serde(default)]
    pub messages: std::collections::BTreeMap<String, String>,
    /// A draft of this office switched to 一括送信: removed in the same transaction as the message to
    /// the draft's destination, when that destination succeeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub from_draft: Option<String>,
}

/// What happened to one destination of a bulk send.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct BulkResult {
    /// The destination's 事業所番号; `None` for files whose destination could not be read.
    pub to: Option<String>,
    /// The destination's name, when it is registered.
    pub office_name: Option<String>,
    /// The files meant for this destination.
    pub files: Vec<String>,
    /// 成功: the stored message.
    pub message: Option<MessageSummary>,
    /// The refusal, when this destination failed (the others are not affected).
    pub error: Option<ApiError>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct BulkResponse {
    pub results: Vec<BulkResult>,
}

/// A file kept in a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct DraftFile {
    pub id: String,
    pub name: String,
    pub category: FileCategory,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
}

/// 下書き一覧: a draft saved from 新規作成.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Draft {
    pub id: String,
    /// 保存日時.
    pub saved_at: String,
    /// 端末名: the terminal that saved it (drafts are visible from every terminal of the office).
    pub terminal_name: String,
    /// 送信先事業所: the office when it is registered, else only its number.
    pub to: String,
    pub to_office: Option<Office>,
    pub message: String,
    pub files: Vec<DraftFile>,
    /// 保存者: who saved it (none for drafts saved before the relay recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub saved_by: Option<Person>,
}

/// Confirms a fetched file by its digest; the file becomes 済 exactly once.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct AckRequest {
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct AckResponse {
    pub fetched_at: String,
}

/// An office as a 受領証 names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
// A receipt is read back exactly as signed: a field added to its file is refused, not ignored.
#[serde(deny_unknown_fields)]
pub struct ReceiptOffice {
    /// 事業所番号.
    pub number: String,
    /// 事業所名, as registered when the file was fetched.
    pub name: String,
}

/// 受領証: what the relay states about one file taken by its receiver (signed in [`SignedReceipt`];
/// `careplan-receipts` signs and checks it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
// A receipt is read back exactly as signed: a field added to its file is refused, not ignored.
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// `careplan-receipt/1`.
    pub format: String,
    /// The relay's id of the file (one receipt per file).
    pub file_id: String,
    pub message_id: String,
    /// 送信元.
    pub sender: ReceiptOffice,
    /// 送信先, which fetched it.
    pub receiver: ReceiptOffice,
    pub file_name: String,
    #[ts(type = "number")]
    pub size: u64,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// RFC 3339, Japan time.
    pub sent_at: String,
    /// When the receiver acknowledged it (済), RFC 3339, Japan time.
    pub fetched_at: String,
}

/// A 受領証 with the relay's signature: the file an office keeps and shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
// A receipt is read back exactly as signed: a field added to its file is refused, not ignored.
#[serde(deny_unknown_fields)]
pub struct SignedReceipt {
    pub receipt: Receipt,
    /// Which key signed it: the first 16 hex digits of the SHA-256 of the relay's public key.
    pub key_id: String,
    /// Ed25519 over the receipt's fields (see `careplan-receipts`), base64.
    pub signature: String,
}

/// ライセンス情報.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Licence {
    pub starts_on: String,
    pub expires_on: String,
    /// Yearly fee in yen, tax included.
    pub fee_yen: u32,
    /// フリーパスキャンペーン: the fee is waived.
    pub free_pass: bool,
    /// `paid`, `unpaid` or `waived`.
    pub payment: String,
}

/// 証明書情報: the client certificate this session came with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct CertificateInfo {
    pub subject: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
}

/// お知らせ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Notice {
    pub id: String,
    pub published_at: String,
    pub title: String,
    pub body: String,
}

/// トップページ.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Home {
    pub office: Office,
    pub licence: Option<Licence>,
    pub certificate: CertificateInfo,
    pub notices: Vec<Notice>,
    /// Files received and not yet fetched (未).
    #[ts(type = "number")]
    pub unfetched: u64,
    /// Files this office sent that its partners have not taken and whose content is deleted within
    /// the relay's warning period (7 days by default) unless they are taken.
    #[serde(default)]
    #[ts(type = "number")]
    pub expiring_sent: u64,
}

/// 利用事業所検索: the search asked for (empty fields do not narrow it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema, utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
#[ts(export)]
pub struct DirectorySearch {
    /// 都道府県, e.g. `東京都`.
    #[serde(default)]
    pub prefecture: String,
    /// Part of the 市区町村's name.
    #[serde(default)]
    pub city: String,
    /// Part of the office's name, in kana or kanji as typed (widths and katakana/hiragana fold).
    #[serde(default)]
    pub name: String,
    /// One サービス種類コード.
    #[serde(default)]
    pub service_kind: String,
    /// The 事業所番号 or its first digits.
    #[serde(default)]
    pub number: String,
    /// 1-based, at most 10,000.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 10000))]
    pub page: Option<u32>,
}

/// One office found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct DirectoryEntry {
    /// `uses_system` says whether its licence runs.
    pub office: Office,
    /// 事業所名（カナ）, when the office gave it.
    pub name_kana: String,
}

/// A page of the offices found, by prefecture, municipality and number.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct DirectoryPage {
    pub items: Vec<DirectoryEntry>,
    #[ts(type = "number")]
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// 電子証明書の申請 from the desktop app's 設定 to the portal (`POST /api/v1/certificates` on the
/// portal's listener, which needs no client certificate): the key stays on the PC; the request
/// carries only its public half (a PKCS#10 CSR), proven by the KJ ID and the 証明書発行用パスワード.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CertificateApplication {
    /// 事業所ユーザID (`KJ…`).
    pub office_user_id: String,
    /// 証明書発行用パスワード (from 電子請求登録結果に関するお知らせ).
    pub issuance_password: String,
    /// The PC's name, as the portal's list of certificates shows it (1–50 characters).
    pub pc_name: String,
    /// The certificate signing request, PEM.
    pub csr_pem: String,
}

/// The certificate the portal issued for a CSR.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CertificateIssued {
    /// 事業所番号 the certificate is bound to.
    pub office_number: String,
    pub serial: String,
    pub certificate_pem: String,
    /// The relay's CA certificate, which the client must trust.
    pub ca_pem: String,
    pub not_after: String,
}

/// `POST /v1/outbox/earlier-sends`: which of these contents (hex SHA-256) this office has sent to `to`
/// before, found in its own 送信一覧 only. The desktop app asks before a send, so that the same file
/// is not sent twice by mistake.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct EarlierSendsRequest {
    /// The destination's 事業所番号.
    pub to: String,
    pub sha256: Vec<String>,
}

/// A content sent before to the same office: its latest send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct EarlierSend {
    pub sha256: String,
    pub sent_at: String,
    pub message_id: String,
}

/// `GET /v1/certificate`: the office the connection's certificate belongs to, as the register knows
/// it. Needs the certificate only, no login: 設定 shows the office's name before a certificate is
/// imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct CertificateOffice {
    pub office: Office,
    pub not_after: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialise_without_empty_diagnostics() {
        let error = ApiError {
            code: "auth.locked".into(),
            message: "ロックされています".into(),
            diagnostics: vec![],
            request_id: None,
        };
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(
            json,
            r#"{"code":"auth.locked","message":"ロックされています"}"#
        );
        let back: ApiError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, error);
    }

    #[test]
    fn an_errors_request_id_travels_when_known() {
        let error = ApiError {
            code: "auth.locked".into(),
            message: "ロックされています".into(),
            diagnostics: vec![],
            request_id: Some("0b5c2f9e-6c1d-4a4e-9f0a-3d2b1c0e9f8a".into()),
        };
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(
            json,
            r#"{"code":"auth.locked","message":"ロックされています","request_id":"0b5c2f9e-6c1d-4a4e-9f0a-3d2b1c0e9f8a"}"#
        );
        let back: ApiError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, error);
    }

    #[test]
    fn diagnostics_convert_from_the_spec() {
        let d =
            careplan_spec::Diagnostic::new(careplan_spec::Code::ItemDateInvalid, "日付が違います")
                .in_file("UPPLAN.CSV")
                .at_line(3)
                .at_item(10, "サービス利用日");
        let api = ApiDiagnostic::from(&d);
        assert_eq!(api.code, "item.date.invalid");
        assert_eq!(api.severity, "error");
        assert_eq!(
            (api.line, api.item_no, api.item_name.as_deref()),
            (Some(3), Some(10), Some("サービス利用日"))
        );
    }

    #[test]
    fn categories_use_snake_case() {
        assert_eq!(
            serde_json::to_string(&FileCategory::Attachment).unwrap(),
            "\"attachment\""
        );
    }
}
