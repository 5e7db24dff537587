//! Diagnostics: what is wrong with a file or a send unit, for machines (a stable code) and for people
//! (a Japanese message that says what to do).

use serde::{Serialize, Serializer};

/// How bad a finding is. Errors make a file or unit unsendable; warnings are shown but do not block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    /// The Japanese label used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "エラー",
            Severity::Warning => "警告",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $text:literal, $severity:ident, $summary:literal;)*) => {
        /// Every rule the validator knows, with a stable machine code.
        ///
        /// The string form (`as_str`) is part of the public contract: the CLI's JSON, the relay's error
        /// bodies and the fixtures' folder names use it. Never rename one; add a new code instead.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// All codes, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable machine code, e.g. `csv.encoding.not_cp932`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// The severity a finding of this rule always has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// A one-line Japanese summary of the rule, for catalogues and documentation.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }

            /// Looks a code up by its machine string.
            pub fn from_str_code(text: &str) -> Option<Code> {
                match text { $($text => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    // File names (standard §1).
    NameUnknownPrefix = "name.unknown_prefix", Error, "ファイル名の先頭（種類を表す部分）が標準仕様にありません";
    NameMalformed = "name.malformed", Error, "ファイル名の形が標準仕様と違います";
    NameExtension = "name.extension", Error, "ファイルの拡張子が違います";
    NameMonthInvalid = "name.month.invalid", Error, "ファイル名の年月が正しくありません";
    NameSerialInvalid = "name.serial.invalid", Error, "ファイル名の連番（年月日時分秒）が正しくありません";
    NameOfficeInvalid = "name.office.invalid", Error, "ファイル名の事業所番号が正しくありません";
    NameOfficeCheckDigit = "name.office.check_digit", Warning, "ファイル名の事業所番号の検証番号が合いません";
    NameServiceKindUnknown = "name.service_kind.unknown", Error, "ファイル名のサービス種類コードが正しくありません";
    NameServiceKindOutOfScope = "name.service_kind.out_of_scope", Warning, "ファイル名のサービス種類は連携対象外です";
    NameSameOffice = "name.same_office", Error, "送信元と送信先が同じ事業所番号です";
    NameVersionMismatch = "name.version_mismatch", Warning, "ファイル名の形とCSVバージョンが合っていません";
    NameDuplicate = "name.duplicate", Error, "同じ名前のファイルが複数あります";
    NameDirection = "name.direction", Error, "ファイルの種類と送信元・送信先のサービス種類（送る向き）が合いません";
    NameWindowsInvalid = "name.windows_invalid", Error, "受け取る事業所のWindowsで正しく扱えないファイル名です";
    // Reading the CSV bytes (standard §2.1).
    CsvEmpty = "csv.empty", Error, "ファイルにデータがありません";
    CsvBinary = "csv.binary", Error, "CSVではないデータ（制御文字など）が含まれています";
    CsvEncodingBom = "csv.encoding.bom", Error, "ファイルの先頭にBOMがあります";
    CsvEncodingUtf8 = "csv.encoding.utf8", Error, "文字コードがUTF-8です（Shift-JISが必要です）";
    CsvEncodingNotCp932 = "csv.encoding.not_cp932", Error, "Shift-JIS（MS932）として読めない文字があります";
    CsvEncodingGaiji = "csv.encoding.gaiji", Error, "外字が含まれています";
    CsvQuoteUnterminated = "csv.quote.unterminated", Error, "ダブルクォート（\"）が閉じられていません";
    CsvQuoteStray = "csv.quote.stray", Error, "ダブルクォート（\"）の位置が正しくありません";
    CsvQuoteFreeTextBare = "csv.quote.free_text_bare", Warning, "フリーテキストがダブルクォート（\"）で囲まれていません";
    CsvHeaderRow = "csv.header_row", Error, "見出し行があります";
    CsvVersionUnsupported = "csv.version.unsupported", Error, "CSVバージョンが対応していない値です";
    CsvVersionMixed = "csv.version.mixed", Error, "1つのファイルに複数のCSVバージョンがあります";
    // Records and items (standard §2.4).
    RecordItemCount = "record.item_count", Error, "項目の数がレイアウトと違います";
    RecordDayGrid = "record.day_grid", Error, "第6表が日付ごとの列（31日分）の形になっています";
    RecordKindMismatch = "record.kind_mismatch", Error, "ファイル名の種類と内容の形が違います";
    RecordEquipmentCodeMissing = "record.equipment_code.missing", Error, "福祉用具貸与の行にTAISコードも福祉用具届出コードもありません";
    RecordDetailCodeUnexpected = "record.detail_code.unexpected", Warning, "福祉用具貸与以外の行に明細判別コードがあります";
    RecordUpdaterDiffers = "record.updater.differs", Warning, "更新業者コードが送信元の事業所と違います";
    RecordPlan2HeadingBlank = "record.plan2.heading_blank", Warning, "第2表・介護予防別表で新しい課題・目標の最初の行の文が空です";
    RecordSupplementTotalOffice = "record.sikyu.total_office", Error, "第7表の全合計の行と事業所コード 9999999999 が対応していません";
    RecordSupplementSummaryValues = "record.sikyu.summary_values", Error, "第7表の小計・全合計の行の単位数・割引後単位数が決まりと違います";
    RecordServiceKindOutOfScope = "record.service_kind.out_of_scope", Warning, "連携対象外のサービス種類のレコードがあります";
    RecordServiceKindUnknown = "record.service_kind.unknown", Warning, "サービスコードのサービス種類が分かりません";
    ItemRequired = "item.required", Error, "必須の項目が空です";
    ItemTooLong = "item.too_long", Error, "項目の文字数が多すぎます";
    ItemDateInvalid = "item.date.invalid", Error, "日付（YYYYMMDD）が正しくありません";
    ItemMonthInvalid = "item.month.invalid", Error, "年月（YYYYMM）が正しくありません";
    ItemTimeInvalid = "item.time.invalid", Error, "時刻（HHMM）が正しくありません";
    ItemNumberInvalid = "item.number.invalid", Error, "数字の項目に数字以外があります";
    ItemDecimalInvalid = "item.decimal.invalid", Error, "小数（99.99形式）が正しくありません";
    ItemCodeInvalid = "item.code.invalid", Error, "コード表にない値です";
    ItemOfficeInvalid = "item.office.invalid", Error, "事業所番号が正しくありません";
    ItemOfficeCheckDigit = "item.office.check_digit", Warning, "事業所番号の検証番号が合いません";
    ItemInsurerInvalid = "item.insurer.invalid", Error, "保険者番号が正しくありません";
    ItemInsuredInvalid = "item.insured.invalid", Error, "被保険者番号が正しくありません";
    ItemServiceCodeInvalid = "item.service_code.invalid", Error, "サービスコードが正しくありません";
    ItemServiceKindInvalid = "item.service_kind.invalid", Error, "サービス種類コードが正しくありません";
    ItemFlagsInvalid = "item.flags.invalid", Error, "日割対象日（31桁の0/1）が正しくありません";
    ItemPostalInvalid = "item.postal.invalid", Error, "郵便番号（XXX-XXXX）が正しくありません";
    // Rules over a whole file (standard §2.1, §2.4).
    FileMonthMismatch = "file.month_mismatch", Error, "ファイル名の年月と内容の年月が違います";
    FileUseDateOutsideMonth = "file.use_date_outside_month", Error, "サービス利用日が対象年月の外です";
    FileHosokuLink = "file.hosoku.link", Error, "利用者補足情報の紐づけ（000000／00000000）が正しくありません";
    FileVersionMonth = "file.version_month", Warning, "CSVバージョンが対象年月に適用される版と違います";
    FileSupplementTotalRow = "file.sikyu.total_row", Error, "第7表に利用者ごとの全合計（999999）の行が1行ありません";
    FileSupplementSubtotalMissing = "file.sikyu.subtotal_missing", Error, "第7表に必要な種類別小計（AAAA）の行がありません";
    FileDetailCodeDuplicate = "file.detail_code.duplicate", Error, "同じサービスコード・単位数の別の福祉用具が明細判別コードで分けられていません";
    FileRowNumbersDuplicate = "file.row_numbers.duplicate", Error, "第2表・介護予防別表で同じＮＯの組の行が重複しています";
    FileActualOfficeDiffers = "file.actual.office_differs", Warning, "実績の事業所・サービス種類が送信元と違います";
    // Attachments (seed 001, 003).
    AttachmentTypeNotAllowed = "attachment.type_not_allowed", Error, "送れない種類のファイルです";
    AttachmentContentMismatch = "attachment.content_mismatch", Error, "拡張子とファイルの中身が合いません";
    // Send units (standard §3).
    UnitIncomplete = "unit.incomplete", Error, "送信単位に必要なファイルが足りません";
    UnitMixed = "unit.mixed", Error, "同じ連番に組み合わせられないファイルがあります";
    UnitPartiesDiffer = "unit.parties_differ", Error, "同じ連番のファイルで送信元・送信先が違います";
    UnitMonthDiffers = "unit.month_differs", Error, "同じ連番のファイルで年月が違います";
    UnitKeyMissing = "unit.key.missing", Error, "紐づくファイルに利用者のレコードがありません";
    UnitKeyOrphan = "unit.key.orphan", Error, "親となるファイルにない利用者のレコードがあります";
    UnitImageMissing = "unit.image.missing", Error, "利用者基本情報が指す家族構成の画像ファイルがありません";
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The item a finding is about: its 1-based number in the layout (`No.`) and its Japanese name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRef {
    pub no: u16,
    pub name: &'static str,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// The file the finding is in; `None` for findings about a whole send unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The 1-based physical line where the record starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemRef>,
    /// Japanese: what is wrong and what to do.
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: None,
            line: None,
            item: None,
            message: message.into(),
        }
    }

    pub fn in_file(mut self, file: &str) -> Self {
        self.file = Some(file.to_owned());
        self
    }

    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_item(mut self, no: u16, name: &'static str) -> Self {
        self.item = Some(ItemRef { no, name });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where the finding is, in Japanese (`3行目 項目10「サービス利用日」`), or empty.
    pub fn location(&self) -> String {
        let mut parts = Vec::new();
        if let Some(line) = self.line {
            parts.push(format!("{line}行目"));
        }
        if let Some(item) = &self.item {
            parts.push(format!("項目{}「{}」", item.no, item.name));
        }
        parts.join(" ")
    }
}

/// True when none of the diagnostics is an error.
pub fn all_pass(diagnostics: &[Diagnostic]) -> bool {
    !diagnostics.iter().any(Diagnostic::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert_eq!(Code::from_str_code(code.as_str()), Some(*code));
            assert!(!code.summary().is_empty());
        }
        assert_eq!(Code::from_str_code("no.such.code"), None);
    }

    #[test]
    fn location_reads_naturally() {
        let d = Diagnostic::new(Code::ItemDateInvalid, "x")
            .at_line(3)
            .at_item(10, "サービス利用日");
        assert_eq!(d.location(), "3行目 項目10「サービス利用日」");
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(
            Diagnostic::new(Code::NameOfficeCheckDigit, "x").severity,
            Severity::Warning
        );
    }
}
