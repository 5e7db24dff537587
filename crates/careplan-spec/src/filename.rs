//! Standard file names (standard §1):
//!
//! ```text
//! v4.1: PREFIX[_YYYYMM]_送信元(10)_種類(2)_送信先(10)_種類(2)_YYYYMMDDHHMMSS[_枝番(4)].CSV
//! v3.2: PREFIX[_YYYYMM]_送信元(10)_送信先(10)_YYYYMMDDHHMMSS.CSV
//! ```

use std::fmt;

use crate::diagnostic::{Code, Diagnostic};
use crate::numbers::{is_care_management_kind, service_kind, OfficeNumber, ServiceKindScope};
use crate::time::{Serial, YearMonth};

/// The type of a standard file, named by its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// `UPHOSOKU` 利用者補足情報.
    Hosoku,
    /// `UP1KYO` 居宅サービス計画書 第1表.
    Plan1,
    /// `UP2KYO` 居宅サービス計画書 第2表.
    Plan2,
    /// `UP3KYO` 居宅サービス計画書 第3表 (週間サービス計画表; v4 only).
    Plan3,
    /// `DLT1KYO` 第1表の削除 (also withdraws 第2表 and 第3表).
    Plan1Delete,
    /// `UPPLAN` 第6表 サービス利用票 (予定).
    UsePlan,
    /// `UPJSK` 第6表の形の実績情報.
    UseActual,
    /// `DLTPLAN` 第6表の削除 (also withdraws 第7表).
    UsePlanDelete,
    /// `DLTJSK` 実績情報の削除.
    UseActualDelete,
    /// `UPSIKYU` 第7表 サービス利用票別表.
    UseSupplement,
    /// `UPKIHON` 利用者基本情報 (介護予防; v4 only).
    Kihon,
    /// `UPKIHON_SUB1` 利用者基本情報 別表1 (1日の生活・すごし方).
    KihonSub1,
    /// `UPKIHON_SUB2` 利用者基本情報 別表2 (現病歴・既往歴).
    KihonSub2,
    /// `UPKIHON_IMAGE` 家族構成の画像 (JPEG, not CSV).
    KihonImage,
    /// `DLTKIHON` 利用者基本情報の削除.
    KihonDelete,
    /// `UPYOBO` 介護予防サービス・支援計画書.
    Yobo,
    /// `UPYOBO_SUB` 介護予防サービス・支援計画書 別表 (支援計画).
    YoboSub,
    /// `DLTYOBO` 介護予防サービス・支援計画書の削除.
    YoboDelete,
}

impl FileKind {
    pub const ALL: &'static [FileKind] = &[
        FileKind::Hosoku,
        FileKind::Plan1,
        FileKind::Plan2,
        FileKind::Plan3,
        FileKind::Plan1Delete,
        FileKind::UsePlan,
        FileKind::UseActual,
        FileKind::UsePlanDelete,
        FileKind::UseActualDelete,
        FileKind::UseSupplement,
        FileKind::Kihon,
        FileKind::KihonSub1,
        FileKind::KihonSub2,
        FileKind::KihonImage,
        FileKind::KihonDelete,
        FileKind::Yobo,
        FileKind::YoboSub,
        FileKind::YoboDelete,
    ];

    pub fn prefix(self) -> &'static str {
        match self {
            FileKind::Hosoku => "UPHOSOKU",
            FileKind::Plan1 => "UP1KYO",
            FileKind::Plan2 => "UP2KYO",
            FileKind::Plan3 => "UP3KYO",
            FileKind::Plan1Delete => "DLT1KYO",
            FileKind::UsePlan => "UPPLAN",
            FileKind::UseActual => "UPJSK",
            FileKind::UsePlanDelete => "DLTPLAN",
            FileKind::UseActualDelete => "DLTJSK",
            FileKind::UseSupplement => "UPSIKYU",
            FileKind::Kihon => "UPKIHON",
            FileKind::KihonSub1 => "UPKIHON_SUB1",
            FileKind::KihonSub2 => "UPKIHON_SUB2",
            FileKind::KihonImage => "UPKIHON_IMAGE",
            FileKind::KihonDelete => "DLTKIHON",
            FileKind::Yobo => "UPYOBO",
            FileKind::YoboSub => "UPYOBO_SUB",
            FileKind::YoboDelete => "DLTYOBO",
        }
    }

    /// The Japanese name used in the standard and shown to users.
    pub fn japanese_name(self) -> &'static str {
        match self {
            FileKind::Hosoku => "利用者補足情報",
            FileKind::Plan1 => "居宅サービス計画書（第1表）",
            FileKind::Plan2 => "居宅サービス計画書（第2表）",
            FileKind::Plan3 => "週間サービス計画表（第3表）",
            FileKind::Plan1Delete => "居宅サービス計画書（第1表）の削除",
            FileKind::UsePlan => "サービス利用票（第6表）予定",
            FileKind::UseActual => "実績情報（第6表）",
            FileKind::UsePlanDelete => "サービス利用票（第6表）の削除",
            FileKind::UseActualDelete => "実績情報の削除",
            FileKind::UseSupplement => "サービス利用票別表（第7表）",
            FileKind::Kihon => "利用者基本情報",
            FileKind::KihonSub1 => "利用者基本情報 別表1（1日の生活・すごし方）",
            FileKind::KihonSub2 => "利用者基本情報 別表2（現病歴・既往歴）",
            FileKind::KihonImage => "家族構成の画像",
            FileKind::KihonDelete => "利用者基本情報の削除",
            FileKind::Yobo => "介護予防サービス・支援計画書",
            FileKind::YoboSub => "介護予防サービス・支援計画書 別表（支援計画）",
            FileKind::YoboDelete => "介護予防サービス・支援計画書の削除",
        }
    }

    /// Whether the name carries a month segment after the prefix (提供年月 / 対象年月).
    pub fn has_month(self) -> bool {
        matches!(
            self,
            FileKind::Hosoku
                | FileKind::UsePlan
                | FileKind::UseActual
                | FileKind::UsePlanDelete
                | FileKind::UseActualDelete
                | FileKind::UseSupplement
        )
    }

    /// The only non-CSV standard file: the JPEG family picture of 利用者基本情報.
    pub fn is_image(self) -> bool {
        self == FileKind::KihonImage
    }

    /// Deletion files (`DLT…`).
    pub fn is_deletion(self) -> bool {
        self.prefix().starts_with("DLT")
    }

    /// Types that appeared with v4.0 and so have no v3.2 (CSV version 202208) layout or name.
    pub fn is_v4_only(self) -> bool {
        matches!(
            self,
            FileKind::Plan3
                | FileKind::Kihon
                | FileKind::KihonSub1
                | FileKind::KihonSub2
                | FileKind::KihonImage
                | FileKind::KihonDelete
                | FileKind::Yobo
                | FileKind::YoboSub
                | FileKind::YoboDelete
        )
    }

    pub fn from_prefix(prefix: &str) -> Option<FileKind> {
        FileKind::ALL.iter().copied().find(|k| k.prefix() == prefix)
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

/// Which shape of file name: v4.x with service kinds, or v3.x without.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameShape {
    V4,
    V3,
}

/// The month segment of a name: a real month, or `000000` (UPHOSOKU tied to 第1/2表; also tolerated
/// on UPKIHON, whose own example in the standard carries it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MonthSegment {
    Zero,
    Month(YearMonth),
}

impl fmt::Display for MonthSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MonthSegment::Zero => f.write_str("000000"),
            MonthSegment::Month(m) => m.fmt(f),
        }
    }
}

/// One end of a transfer: an office number and, in v4 names, its サービス種類コード.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Party {
    pub office: OfficeNumber,
    pub service_kind: Option<String>,
}

/// A parsed standard file name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileName {
    pub kind: FileKind,
    pub month: Option<MonthSegment>,
    pub sender: Party,
    pub receiver: Party,
    /// ファイル連番: every file of one send unit carries the same one.
    pub serial: Serial,
    /// 枝番 of UPKIHON_IMAGE (1–9999).
    pub branch: Option<u16>,
    /// The extension as written (`CSV`, `csv`, `jpg` …), kept so that a name round-trips.
    pub extension: String,
}

impl FileName {
    pub fn shape(&self) -> NameShape {
        if self.sender.service_kind.is_some() {
            NameShape::V4
        } else {
            NameShape::V3
        }
    }

    /// The month of the name, when it is a real month.
    pub fn year_month(&self) -> Option<YearMonth> {
        match self.month {
            Some(MonthSegment::Month(m)) => Some(m),
            _ => None,
        }
    }

    /// Parses a file name (without any folder). Warnings about a well-formed name are in
    /// [`FileName::warnings`].
    pub fn parse(name: &str) -> Result<FileName, Diagnostic> {
        let (stem, extension) = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem, ext),
            _ => {
                return Err(Diagnostic::new(
                    Code::NameMalformed,
                    format!("ファイル名「{name}」に拡張子がありません。介護ソフトが出力した標準仕様のファイル（.CSV）を選んでください。"),
                ))
            }
        };
        let segments: Vec<&str> = stem.split('_').collect();
        let (kind, rest) =
            split_prefix(&segments).ok_or_else(|| unknown_prefix(name, segments[0]))?;

        let extension_ok = if kind.is_image() {
            extension.eq_ignore_ascii_case("jpg") || extension.eq_ignore_ascii_case("jpeg")
        } else {
            extension.eq_ignore_ascii_case("csv")
        };
        if !extension_ok {
            let wanted = if kind.is_image() { ".jpg" } else { ".CSV" };
            return Err(Diagnostic::new(
                Code::NameExtension,
                format!("「{name}」の拡張子は「.{extension}」ですが、{}は「{wanted}」でなければなりません。介護ソフトから出力し直してください。", kind.japanese_name()),
            ));
        }

        let mut rest = rest;
        let month = if kind.has_month()
            || (kind == FileKind::Kihon && rest.len() == 6 && rest[0] == "000000")
        {
            let (first, tail) = rest.split_first().ok_or_else(|| malformed(name, kind))?;
            rest = tail;
            Some(parse_month_segment(name, kind, first)?)
        } else {
            None
        };
        let (rest, branch) = if kind.is_image() {
            let (last, head) = rest.split_last().ok_or_else(|| malformed(name, kind))?;
            let branch = parse_branch(last).ok_or_else(|| {
                Diagnostic::new(
                    Code::NameMalformed,
                    format!("「{name}」の最後の枝番「{last}」は0001～9999の4桁の数字でなければなりません。"),
                )
            })?;
            (head, Some(branch))
        } else {
            (rest, None)
        };
        let (sender, receiver, serial) = match rest {
            [from, from_kind, to, to_kind, serial] => (
                party(name, from, Some(from_kind), "送信元")?,
                party(name, to, Some(to_kind), "送信先")?,
                *serial,
            ),
            [from, to, serial] => (
                party(name, from, None, "送信元")?,
                party(name, to, None, "送信先")?,
                *serial,
            ),
            _ => return Err(malformed(name, kind)),
        };
        let serial = Serial::parse(serial).ok_or_else(|| {
            Diagnostic::new(
                Code::NameSerialInvalid,
                format!("「{name}」の連番「{serial}」は、実在する日時を表す14桁の数字（YYYYMMDDHHMMSS）でなければなりません。介護ソフトから出力し直してください。"),
            )
        })?;
        if sender.office == receiver.office {
            return Err(Diagnostic::new(
                Code::NameSameOffice,
                format!("「{name}」は送信元と送信先が同じ事業所番号（{}）です。自分の事業所には送れません。送信先の事業所番号を確認してください。", sender.office),
            ));
        }
        Ok(FileName {
            kind,
            month,
            sender,
            receiver,
            serial,
            branch,
            extension: extension.to_owned(),
        })
    }

    /// Warnings about a name that parsed: check digits that do not match, service kinds outside the
    /// exchange.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (party, role) in [(&self.sender, "送信元"), (&self.receiver, "送信先")] {
            if !party.office.check_digit_ok() {
                out.push(Diagnostic::new(
                    Code::NameOfficeCheckDigit,
                    format!(
                        "{role}の事業所番号「{}」の最後の桁（検証番号）は計算上「{}」になるはずです。番号に誤りがないか確認してください（正しい番号であればこのまま送れます）。",
                        party.office,
                        party.office.expected_check_digit()
                    ),
                ));
            }
            if let Some(kind) = &party.service_kind {
                if let Some((ServiceKindScope::OutOfScope, kind_name)) = service_kind(kind) {
                    out.push(Diagnostic::new(
                        Code::NameServiceKindOutOfScope,
                        format!("{role}のサービス種類「{kind}」（{kind_name}）は、ケアプランデータ連携の対象外のサービスです。相手の事業所とサービス種類を確認してください。"),
                    ));
                }
            }
        }
        out
    }
}

/// Which side sends a file type (standard §1.1's direction column, §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Plans, use sheets, 補足, 介護予防 files and their deletions: from 居宅介護支援 (43) or
    /// 介護予防支援・地域包括支援センター (46) to the service offices.
    FromCareManagement,
    /// 実績 and its deletion: from a service office to 居宅介護支援 or 介護予防支援.
    ToCareManagement,
}

impl FileKind {
    pub fn direction(self) -> Direction {
        match self {
            FileKind::UseActual | FileKind::UseActualDelete => Direction::ToCareManagement,
            _ => Direction::FromCareManagement,
        }
    }
}

pub(crate) fn describe_kind(kind: &str) -> String {
    match service_kind(kind) {
        Some((_, name)) => format!("「{kind}」（{name}）"),
        None => format!("「{kind}」"),
    }
}

impl FileName {
    /// The file type against the service kinds of its sender and receiver (v4 names only; v3 names
    /// carry no kinds). One exception is allowed: a 居宅 consigned by a 地域包括支援センター (委託)
    /// forwards the service offices' 実績 to it (43 → 46).
    pub fn direction_finding(&self) -> Option<Diagnostic> {
        let (Some(from), Some(to)) = (
            self.sender.service_kind.as_deref(),
            self.receiver.service_kind.as_deref(),
        ) else {
            return None;
        };
        let what = self.kind.japanese_name();
        let message = match self.kind.direction() {
            Direction::FromCareManagement if !is_care_management_kind(from) => format!(
                "{what}は居宅介護支援事業所（43）または介護予防支援・地域包括支援センター（46）が送るファイルですが、送信元のサービス種類が{}です。ファイルの種類か送信元のサービス種類の誤りです。介護ソフトから出力し直してください。",
                describe_kind(from)
            ),
            Direction::ToCareManagement if !is_care_management_kind(to) => {
                let swapped = if is_care_management_kind(from) {
                    "送信元と送信先のサービス種類が入れ替わっていませんか（標準仕様書の記載例にも同じ誤りがあります）。"
                } else {
                    ""
                };
                format!(
                    "{what}はサービス事業所から居宅介護支援事業所（43）・介護予防支援（46）へ送るファイルですが、送信先のサービス種類が{}です。{swapped}ファイル名のサービス種類は送信元・送信先それぞれの事業所のものにします。",
                    describe_kind(to)
                )
            }
            Direction::ToCareManagement if is_care_management_kind(from) && !(from == "43" && to == "46") => format!(
                "{what}はサービス事業所が送るファイルですが、送信元のサービス種類が{}です（居宅介護支援事業所から地域包括支援センターへの委託分の転送〔43→46〕だけは例外です）。ファイルの種類か送信元のサービス種類の誤りです。",
                describe_kind(from)
            ),
            _ => return None,
        };
        Some(Diagnostic::new(Code::NameDirection, message))
    }
}

impl fmt::Display for FileName {
    /// Builds the standard name; `parse(name.to_string())` gives the same value back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.prefix())?;
        if let Some(month) = &self.month {
            write!(f, "_{month}")?;
        }
        for party in [&self.sender, &self.receiver] {
            write!(f, "_{}", party.office)?;
            if let Some(kind) = &party.service_kind {
                write!(f, "_{kind}")?;
            }
        }
        write!(f, "_{}", self.serial)?;
        if let Some(branch) = self.branch {
            write!(f, "_{branch:04}")?;
        }
        write!(f, ".{}", self.extension)
    }
}

/// Finds the prefix: two-part prefixes (`UPKIHON_SUB1`, `UPYOBO_SUB` …) win over one-part ones.
fn split_prefix<'a, 'b>(segments: &'b [&'a str]) -> Option<(FileKind, &'b [&'a str])> {
    if segments.len() >= 2 {
        let two = format!("{}_{}", segments[0], segments[1]);
        if let Some(kind) = FileKind::from_prefix(&two) {
            return Some((kind, &segments[2..]));
        }
    }
    FileKind::from_prefix(segments[0]).map(|kind| (kind, &segments[1..]))
}

fn unknown_prefix(name: &str, prefix: &str) -> Diagnostic {
    let closest = FileKind::ALL
        .iter()
        .map(|k| (edit_distance(prefix, k.prefix()), *k))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance);
    let hint = match closest {
        Some((_, kind)) => format!(
            "「{}」（{}）の誤りではありませんか。",
            kind.prefix(),
            kind.japanese_name()
        ),
        None => "標準仕様のファイルは UPHOSOKU・UP1KYO・UP2KYO・UP3KYO・UPPLAN・UPJSK・UPSIKYU・UPKIHON・UPYOBO・DLT… で始まります。".to_owned(),
    };
    Diagnostic::new(
        Code::NameUnknownPrefix,
        format!("「{name}」の先頭「{prefix}」は標準仕様のファイルの種類にありません。{hint}介護ソフトから出力したファイル名を変えずに使ってください。"),
    )
}

fn malformed(name: &str, kind: FileKind) -> Diagnostic {
    let month = if kind.has_month() {
        "_年月(6桁)"
    } else {
        ""
    };
    let branch = if kind.is_image() { "_枝番(4桁)" } else { "" };
    let extension = if kind.is_image() { ".jpg" } else { ".CSV" };
    Diagnostic::new(
        Code::NameMalformed,
        format!(
            "「{name}」は{}のファイル名の形になっていません。正しい形は「{}{month}_送信元事業所番号(10桁)_サービス種類(2桁)_送信先事業所番号(10桁)_サービス種類(2桁)_年月日時分秒(14桁){branch}{extension}」です。介護ソフトが付けた名前のまま送ってください。",
            kind.japanese_name(),
            kind.prefix()
        ),
    )
}

fn parse_month_segment(name: &str, kind: FileKind, text: &str) -> Result<MonthSegment, Diagnostic> {
    if text == "000000" && matches!(kind, FileKind::Hosoku | FileKind::Kihon) {
        return Ok(MonthSegment::Zero);
    }
    if text.len() != 6 {
        return Err(malformed(name, kind));
    }
    YearMonth::parse(text).map(MonthSegment::Month).ok_or_else(|| {
        Diagnostic::new(
            Code::NameMonthInvalid,
            format!("「{name}」の年月「{text}」は正しい年月（YYYYMM）ではありません。対象年月を確認して、介護ソフトから出力し直してください。"),
        )
    })
}

fn parse_branch(text: &str) -> Option<u16> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|&n| n > 0)
}

fn party(name: &str, office: &str, kind: Option<&&str>, role: &str) -> Result<Party, Diagnostic> {
    let office = OfficeNumber::parse(office).map_err(|e| {
        Diagnostic::new(Code::NameOfficeInvalid, format!("「{name}」の{role}の{e}"))
    })?;
    let service_kind = match kind {
        None => None,
        Some(kind) => {
            if service_kind(kind).is_none() {
                return Err(Diagnostic::new(
                    Code::NameServiceKindUnknown,
                    format!("「{name}」の{role}のサービス種類コード「{kind}」は存在しません。サービス種類コード（2桁。居宅介護支援は43、訪問介護は11 など）を確認してください。"),
                ));
            }
            Some((*kind).to_owned())
        }
    };
    Ok(Party {
        office,
        service_kind,
    })
}

/// Levenshtein distance, for "did you mean" hints on mistyped prefixes (UPKHON → UPKIHON).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const CM: &str = "1310000003"; // 居宅介護支援 office, valid check digit
    const SV: &str = "1370000018"; // service office, valid check digit

    #[test]
    fn check_digits_of_test_offices() {
        assert!(OfficeNumber::parse(CM).unwrap().check_digit_ok());
        assert!(OfficeNumber::parse(SV).unwrap().check_digit_ok());
    }

    #[test]
    fn parses_a_v4_plan_name() {
        let name = format!("UP1KYO_{CM}_43_{SV}_11_20250401093000.CSV");
        let parsed = FileName::parse(&name).unwrap();
        assert_eq!(parsed.kind, FileKind::Plan1);
        assert_eq!(parsed.shape(), NameShape::V4);
        assert_eq!(parsed.sender.office.as_str(), CM);
        assert_eq!(parsed.sender.service_kind.as_deref(), Some("43"));
        assert_eq!(parsed.receiver.service_kind.as_deref(), Some("11"));
        assert_eq!(parsed.serial.to_string(), "20250401093000");
        assert_eq!(parsed.month, None);
        assert_eq!(parsed.to_string(), name);
    }

    #[test]
    fn parses_months_zero_months_and_v3_names() {
        let plan =
            FileName::parse(&format!("UPPLAN_202504_{CM}_43_{SV}_11_20250325120000.CSV")).unwrap();
        assert_eq!(plan.year_month().unwrap().to_string(), "202504");
        let hosoku = FileName::parse(&format!(
            "UPHOSOKU_000000_{CM}_43_{SV}_11_20250325120000.CSV"
        ))
        .unwrap();
        assert_eq!(hosoku.month, Some(MonthSegment::Zero));
        let v3 = FileName::parse(&format!("UPPLAN_202212_{CM}_{SV}_20221125120000.csv")).unwrap();
        assert_eq!(v3.shape(), NameShape::V3);
        assert_eq!(v3.sender.service_kind, None);
        assert_eq!(v3.extension, "csv");
        let err = FileName::parse(&format!("UPPLAN_000000_{CM}_43_{SV}_11_20250325120000.CSV"))
            .unwrap_err();
        assert_eq!(err.code, Code::NameMonthInvalid, "000000 is only for 補足");
    }

    #[test]
    fn parses_two_part_prefixes_and_images() {
        let sub =
            FileName::parse(&format!("UPKIHON_SUB1_{CM}_46_{SV}_A5_20250401093000.CSV")).unwrap();
        assert_eq!(sub.kind, FileKind::KihonSub1);
        let yobo_sub =
            FileName::parse(&format!("UPYOBO_SUB_{CM}_46_{SV}_A5_20250401093000.CSV")).unwrap();
        assert_eq!(yobo_sub.kind, FileKind::YoboSub);
        let image = FileName::parse(&format!(
            "UPKIHON_IMAGE_{CM}_46_{SV}_A5_20250401093000_0001.jpg"
        ))
        .unwrap();
        assert_eq!(image.kind, FileKind::KihonImage);
        assert_eq!(image.branch, Some(1));
        assert_eq!(
            FileName::parse(&format!(
                "UPKIHON_IMAGE_{CM}_46_{SV}_A5_20250401093000_0001.CSV"
            ))
            .unwrap_err()
            .code,
            Code::NameExtension
        );
        assert_eq!(
            FileName::parse(&format!(
                "UPKIHON_IMAGE_{CM}_46_{SV}_A5_20250401093000_0000.jpg"
            ))
            .unwrap_err()
            .code,
            Code::NameMalformed
        );
        // The standard's own UPKIHON example carries a 000000 month: tolerated, and it round-trips.
        let kihon = format!("UPKIHON_000000_{CM}_46_{SV}_A5_20250401093000.CSV");
        assert_eq!(FileName::parse(&kihon).unwrap().to_string(), kihon);
    }

    #[test]
    fn deletion_prefixes() {
        for prefix in ["DLT1KYO", "DLTKIHON", "DLTYOBO"] {
            let kind = FileName::parse(&format!("{prefix}_{CM}_43_{SV}_11_20250401093000.CSV"))
                .unwrap()
                .kind;
            assert!(kind.is_deletion());
        }
        for prefix in ["DLTPLAN", "DLTJSK"] {
            let kind = FileName::parse(&format!(
                "{prefix}_202504_{CM}_43_{SV}_11_20250401093000.CSV"
            ))
            .unwrap()
            .kind;
            assert!(kind.is_deletion());
        }
    }

    #[test]
    fn a_typo_in_the_prefix_gets_a_suggestion() {
        let err =
            FileName::parse(&format!("UPKHON_{CM}_46_{SV}_A5_20250401093000.CSV")).unwrap_err();
        assert_eq!(err.code, Code::NameUnknownPrefix);
        assert!(err.message.contains("「UPKIHON」"), "{}", err.message);
        let far = FileName::parse("REPORT_2025.CSV").unwrap_err();
        assert_eq!(far.code, Code::NameUnknownPrefix);
        assert!(!far.message.contains("誤りではありませんか"));
    }

    #[test]
    fn refuses_bad_parts() {
        let cases = [
            (
                format!("UP1KYO_{CM}_43_{SV}_11_20250231093000.CSV"),
                Code::NameSerialInvalid,
            ),
            (
                format!("UP1KYO_{CM}_43_{SV}_11_2025040109300.CSV"),
                Code::NameSerialInvalid,
            ),
            (
                format!("UP1KYO_{CM}_43_{SV}_11_20250401253000.CSV"),
                Code::NameSerialInvalid,
            ),
            (
                format!("UP1KYO_123456789_43_{SV}_11_20250401093000.CSV"),
                Code::NameOfficeInvalid,
            ),
            (
                format!("UP1KYO_{CM}_99_{SV}_11_20250401093000.CSV"),
                Code::NameServiceKindUnknown,
            ),
            (
                format!("UP1KYO_{CM}_43_{CM}_11_20250401093000.CSV"),
                Code::NameSameOffice,
            ),
            (
                format!("UP1KYO_{CM}_43_{SV}_20250401093000.CSV"),
                Code::NameMalformed,
            ),
            (
                format!("UPPLAN_{CM}_43_{SV}_11_20250401093000.CSV"),
                Code::NameMalformed,
            ),
            (
                format!("UPPLAN_202513_{CM}_43_{SV}_11_20250401093000.CSV"),
                Code::NameMonthInvalid,
            ),
            (
                format!("UP1KYO_{CM}_43_{SV}_11_20250401093000.xlsx"),
                Code::NameExtension,
            ),
            ("UP1KYO".to_owned(), Code::NameMalformed),
        ];
        for (name, code) in cases {
            assert_eq!(
                FileName::parse(&name).map(|_| ()).unwrap_err().code,
                code,
                "{name}"
            );
        }
    }

    #[test]
    fn warnings_for_check_digits_and_out_of_scope_kinds() {
        let parsed =
            FileName::parse(&format!("UP1KYO_1310000004_43_{SV}_33_20250401093000.CSV")).unwrap();
        let codes: Vec<Code> = parsed.warnings().iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            vec![Code::NameOfficeCheckDigit, Code::NameServiceKindOutOfScope]
        );
        let clean = FileName::parse(&format!("UP1KYO_{CM}_43_{SV}_11_20250401093000.CSV")).unwrap();
        assert!(clean.warnings().is_empty());
    }

    #[test]
    fn the_direction_of_each_file_type_follows_the_office_kinds() {
        let finding = |prefix: &str, from: &str, to: &str| {
            let month = if FileKind::from_prefix(prefix).unwrap().has_month() {
                "_202504"
            } else {
                ""
            };
            FileName::parse(&format!(
                "{prefix}{month}_{CM}_{from}_{SV}_{to}_20250401093000.CSV"
            ))
            .unwrap()
            .direction_finding()
            .map(|d| d.message)
        };
        assert_eq!(finding("UP1KYO", "43", "11"), None);
        assert_eq!(
            finding("UPPLAN", "46", "A5"),
            None,
            "介護予防支援 sends use sheets"
        );
        assert_eq!(
            finding("UPYOBO", "43", "A5"),
            None,
            "a consigned 居宅 sends 予防 plans"
        );
        assert!(finding("UP1KYO", "11", "43")
            .unwrap()
            .contains("送信元のサービス種類が「11」（訪問介護）"));
        assert!(finding("DLTPLAN", "15", "11").is_some());
        assert_eq!(finding("UPJSK", "11", "43"), None);
        assert_eq!(finding("DLTJSK", "15", "46"), None);
        assert_eq!(
            finding("UPJSK", "43", "46"),
            None,
            "委託: the 居宅 forwards 実績"
        );
        assert!(finding("UPJSK", "11", "15")
            .unwrap()
            .contains("送信先のサービス種類が「15」"));
        assert!(finding("UPJSK", "43", "11")
            .unwrap()
            .contains("入れ替わっていませんか"));
        assert!(finding("UPJSK", "46", "43").unwrap().contains("43→46"));
        let v3 = FileName::parse(&format!("UPJSK_202504_{CM}_{SV}_20250401093000.CSV")).unwrap();
        assert_eq!(v3.direction_finding(), None, "v3 names carry no kinds");
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("UPKHON", "UPKIHON"), 1);
        assert_eq!(edit_distance("UPPLAN", "UPPLAN"), 0);
        assert_eq!(edit_distance("", "ABC"), 3);
    }
}
