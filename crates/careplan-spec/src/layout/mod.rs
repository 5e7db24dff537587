//! Record layouts of every file type, per CSV version (standard §2.4, the layout book S2).
//!
//! Items are positional; item `No.` n is field n − 1. Lengths are maxima in characters (every
//! length-limited item is half-width). Where the layout book's text copy is misaligned and a length
//! or a required flag is uncertain, the table is lenient and says so in a comment.

pub mod codes;
mod v41;

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::filename::FileKind;
use codes::CodeTable;

/// The CSV versions (column 1 of every record) this library knows the layouts of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CsvVersion {
    /// `202208`: standard v3.x (第2版 and 第3版), used for service months 2023-01 to 2025-03.
    V202208,
    /// `202407`: standard v4.1, for service months from 2025-04.
    V202407,
}

impl CsvVersion {
    pub const ALL: &'static [CsvVersion] = &[CsvVersion::V202407, CsvVersion::V202208];

    pub fn parse(text: &str) -> Option<CsvVersion> {
        match text {
            "202407" => Some(CsvVersion::V202407),
            "202208" => Some(CsvVersion::V202208),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CsvVersion::V202208 => "202208",
            CsvVersion::V202407 => "202407",
        }
    }

    /// The standard's edition, for messages.
    pub fn edition(self) -> &'static str {
        match self {
            CsvVersion::V202208 => "標準仕様 第3版（v3.2）",
            CsvVersion::V202407 => "標準仕様 第4.1版（v4.1）",
        }
    }
}

impl fmt::Display for CsvVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the characters of an item must look like.
#[derive(Debug, Clone, Copy)]
pub enum Format {
    /// CSVバージョン (`YYYYMM`); checked once per file, against the known versions.
    Version,
    /// `YYYYMM`.
    YearMonth,
    /// `YYYYMM`, or `000000` (利用者補足情報 tied to 第1/2表).
    YearMonthOrZero,
    /// `YYYYMMDD`, a real date.
    Date,
    /// `YYYYMMDD`, or `00000000` (利用者補足情報 tied to 第6/7表).
    DateOrZero,
    /// `HHMM`, or `9999` for services without a time.
    Time,
    /// Digits only (numbers such as 課題ＮＯ, サテライト枝番).
    Digits,
    /// An integer, possibly negative (減算 units).
    Integer,
    /// `99.99` (単位数単価).
    Decimal,
    /// A value of a code table.
    Code(&'static CodeTable),
    /// 事業所番号.
    Office,
    /// 事業所番号, or `9999999999` on 第7表's 全合計 row.
    OfficeOrAllNines,
    /// 保険者番号 (6 digits).
    Insurer,
    /// 被保険者番号 (10 digits, or `H` + 9 digits).
    Insured,
    /// サービスコード: 6 half-width letters or digits (種類 2 + 項目 4).
    ServiceCode,
    /// 第7表's サービスコード: a サービスコード, or a subtotal `<種類>AAAA` / `EEEE` / `ZZZZ`, or the
    /// grand total `999999`. (Subtotal codes are plain alphanumerics, so the shape check is shared.)
    SummaryServiceCode,
    /// サービス種類コード (2 characters).
    ServiceKind,
    /// 日割対象日: up to 31 characters of `0` / `1`.
    DayFlags,
    /// 郵便番号 `XXX-XXXX`.
    Postal,
    /// Text with a length limit (telephone numbers, TAIS codes, vendor codes).
    Text,
    /// フリーテキスト: any text, no limit, quoted in the file.
    FreeText,
}

/// One item of a layout.
#[derive(Debug, Clone, Copy)]
pub struct ItemSpec {
    /// The Japanese name in the layout book.
    pub name: &'static str,
    pub format: Format,
    /// Maximum length in characters, when the layout gives one.
    pub max_len: Option<u16>,
    /// ○ 必須 in the layout book.
    pub required: bool,
}

pub(crate) const fn req(name: &'static str, format: Format, len: u16) -> ItemSpec {
    ItemSpec {
        name,
        format,
        max_len: Some(len),
        required: true,
    }
}

pub(crate) const fn opt(name: &'static str, format: Format, len: u16) -> ItemSpec {
    ItemSpec {
        name,
        format,
        max_len: Some(len),
        required: false,
    }
}

pub(crate) const fn free(name: &'static str) -> ItemSpec {
    ItemSpec {
        name,
        format: Format::FreeText,
        max_len: None,
        required: false,
    }
}

/// The layout of one file type in one CSV version.
#[derive(Debug)]
pub struct Layout {
    pub kind: FileKind,
    pub version: CsvVersion,
    pub items: Vec<ItemSpec>,
}

impl Layout {
    /// The 0-based index of the item with this name, for rules that address items by meaning.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.items.iter().position(|item| item.name == name)
    }
}

/// Items that the v4.0 revision added to 第6表 and 第7表 (CSVバージョン履歴: 「第6表、第７表に
/// 『TAISコード』『福祉用具届出コード』『用具名称（機種名）』を追加」). The v3.2 layouts are the v4.1
/// ones without them; this also puts 第7表's 前月までの利用日数 at No.27, as v3.2 itself numbers it.
const ADDED_IN_V4: &[&str] = &["TAISコード", "福祉用具届出コード", "用具名称（機種名）"];

fn v32_from_v41(kind: FileKind, items: &[ItemSpec]) -> Vec<ItemSpec> {
    items
        .iter()
        .filter(|item| {
            !(matches!(
                kind,
                FileKind::UsePlan | FileKind::UseActual | FileKind::UseSupplement
            ) && ADDED_IN_V4.contains(&item.name))
        })
        .map(|item| {
            let mut item = *item;
            // v4.0 widened 第7表's 回数／日数 from 2 to 3 digits.
            if kind == FileKind::UseSupplement && item.name == "回数／日数" {
                item.max_len = Some(2);
            }
            item
        })
        .collect()
}

fn all_layouts() -> &'static HashMap<(FileKind, CsvVersion), Layout> {
    static LAYOUTS: OnceLock<HashMap<(FileKind, CsvVersion), Layout>> = OnceLock::new();
    LAYOUTS.get_or_init(|| {
        let mut map = HashMap::new();
        for &kind in FileKind::ALL {
            let Some(items) = v41::items(kind) else {
                continue;
            };
            map.insert(
                (kind, CsvVersion::V202407),
                Layout {
                    kind,
                    version: CsvVersion::V202407,
                    items: items.to_vec(),
                },
            );
            if !kind.is_v4_only() {
                map.insert(
                    (kind, CsvVersion::V202208),
                    Layout {
                        kind,
                        version: CsvVersion::V202208,
                        items: v32_from_v41(kind, items),
                    },
                );
            }
        }
        map
    })
}

/// The layout of a CSV file type in a CSV version; `None` for the JPEG image and for types that did
/// not exist in that version.
pub fn layout(kind: FileKind, version: CsvVersion) -> Option<&'static Layout> {
    all_layouts().get(&(kind, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_counts_match_the_layout_book() {
        let expected = [
            (FileKind::Hosoku, 63),
            (FileKind::Plan1, 28),
            (FileKind::Plan2, 22),
            (FileKind::Plan3, 13),
            (FileKind::Plan1Delete, 4),
            (FileKind::UsePlan, 25),
            (FileKind::UseActual, 25),
            (FileKind::UsePlanDelete, 4),
            (FileKind::UseActualDelete, 6),
            (FileKind::UseSupplement, 37),
            (FileKind::Kihon, 71),
            (FileKind::KihonSub1, 7),
            (FileKind::KihonSub2, 11),
            (FileKind::KihonDelete, 4),
            (FileKind::Yobo, 57),
            (FileKind::YoboSub, 17),
            (FileKind::YoboDelete, 4),
        ];
        for (kind, count) in expected {
            assert_eq!(
                layout(kind, CsvVersion::V202407).unwrap().items.len(),
                count,
                "{kind}"
            );
        }
        assert!(layout(FileKind::KihonImage, CsvVersion::V202407).is_none());
    }

    #[test]
    fn v32_layouts_lack_the_v4_additions() {
        assert_eq!(
            layout(FileKind::UsePlan, CsvVersion::V202208)
                .unwrap()
                .items
                .len(),
            22
        );
        let sikyu = layout(FileKind::UseSupplement, CsvVersion::V202208).unwrap();
        assert_eq!(sikyu.items.len(), 34);
        assert_eq!(
            sikyu.index_of("前月までの利用日数"),
            Some(26),
            "No.27 in v3.2"
        );
        assert_eq!(
            sikyu.items[sikyu.index_of("回数／日数").unwrap()].max_len,
            Some(2)
        );
        assert_eq!(
            layout(FileKind::Hosoku, CsvVersion::V202208)
                .unwrap()
                .items
                .len(),
            63
        );
        assert!(
            layout(FileKind::Plan3, CsvVersion::V202208).is_none(),
            "第3表 is new in v4"
        );
        assert!(layout(FileKind::Kihon, CsvVersion::V202208).is_none());
    }

    #[test]
    fn every_layout_starts_with_the_common_keys() {
        for ((kind, _), layout) in all_layouts() {
            let names: Vec<&str> = layout.items.iter().take(3).map(|i| i.name).collect();
            assert_eq!(
                names,
                ["CSVバージョン", "保険者番号", "被保険者番号"],
                "{kind}"
            );
            assert!(layout.items.iter().take(3).all(|i| i.required));
        }
    }
}
