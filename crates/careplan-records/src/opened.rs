//! Files opened to be read as the paper forms: each standard file with the views its form needs,
//! the send units they make, and the files that are not standard files, each with a Japanese
//! message saying why it is not shown (`careplan show` and the desktop's viewer).

use careplan_spec::attachment::{extension_of, AttachmentType};
use careplan_spec::InputFile;
use serde::Serialize;
use ts_rs::TS;

use careplan_spec::filename::FileKind;
use careplan_spec::layout::{layout, CsvVersion};

use crate::file::{fields_of, read_file, FileContent, StandardFile};
use crate::grid::{use_sheet_grids, UseSheetGrid};
use crate::plan2::{plan2_forms, Plan2Form};
use crate::plan3::{weekly_plans, WeeklyPlan};
use crate::record::Binding;
use crate::unit::{summarize_units, UnitSummary};

/// Why a file given is not shown as a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "records/")]
pub enum OtherKind {
    /// An attachment (pdf, jpeg, png, gif, txt, recognised by its bytes): named, not shown.
    Attachment,
    /// Not a standard file: its name, encoding or CSV version is not the standard's.
    NotStandard,
    /// Its bytes could not be had: a file unreadable on disk, or a received file already fetched
    /// and not found where it was saved.
    Unavailable,
}

/// A file given that is not a standard file, or whose bytes could not be had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct OtherFile {
    pub name: String,
    pub kind: OtherKind,
    /// In Japanese, for the user.
    pub message: String,
}

impl OtherFile {
    /// A file whose bytes could not be had, with the reason in Japanese.
    pub fn unavailable(name: &str, message: impl Into<String>) -> OtherFile {
        OtherFile {
            name: name.to_owned(),
            kind: OtherKind::Unavailable,
            message: message.into(),
        }
    }
}

/// A field of the file's record type and the layout item it reads in the file's CSV version: the
/// forms label items with the layout book's names and place a finding (which names an item by its
/// `No.`) at the field that shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct ItemLabel {
    /// The field's name in the record (`start`, `planner_number` …).
    pub field: String,
    /// The item's `No.` in the layout of the file's CSV version.
    pub no: u16,
    /// The item's name in the layout book (「サービス開始時刻」).
    pub name: String,
}

/// The item labels of a file's record type in its CSV version; none for the family picture.
pub fn item_labels(file: &StandardFile) -> Vec<ItemLabel> {
    let kind = FileKind::ALL
        .iter()
        .copied()
        .find(|k| k.prefix() == file.name_info.kind);
    let version = file.csv_version.as_deref().and_then(CsvVersion::parse);
    let (Some(kind), Some(version)) = (kind, version) else {
        return Vec::new();
    };
    let (Some(fields), Some(layout)) = (fields_of(kind), layout(kind, version)) else {
        return Vec::new();
    };
    let binding = Binding::new(fields, layout);
    fields
        .iter()
        .enumerate()
        .filter_map(|(slot, field)| {
            binding.index(slot).map(|index| ItemLabel {
                field: field.field.to_owned(),
                no: index as u16 + 1,
                name: layout.items[index].name.to_owned(),
            })
        })
        .collect()
}

/// A standard file with the views of its paper form: 第6表's month grid (UPPLAN, UPJSK), 第2表's
/// hierarchy (UP2KYO), 第3表's week (UP3KYO); the views a file kind has no use for are empty.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct OpenedFile {
    pub file: StandardFile,
    pub use_sheets: Vec<UseSheetGrid>,
    pub plan2: Vec<Plan2Form>,
    pub weekly: Vec<WeeklyPlan>,
    /// Each field's layout item: its `No.` and the layout book's name.
    pub items: Vec<ItemLabel>,
}

impl OpenedFile {
    pub fn of(file: StandardFile) -> OpenedFile {
        let (use_sheets, plan2, weekly) = match &file.content {
            FileContent::UsePlan(rows) | FileContent::UseActual(rows) => {
                (use_sheet_grids(rows), Vec::new(), Vec::new())
            }
            FileContent::Plan2(rows) => (Vec::new(), plan2_forms(rows), Vec::new()),
            FileContent::Plan3(rows) => (Vec::new(), Vec::new(), weekly_plans(rows)),
            _ => (Vec::new(), Vec::new(), Vec::new()),
        };
        OpenedFile {
            items: item_labels(&file),
            file,
            use_sheets,
            plan2,
            weekly,
        }
    }
}

/// Files opened together, as one send.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// One per ファイル連番, in serial order.
    pub units: Vec<UnitSummary>,
    /// The standard files, in the order given.
    pub files: Vec<OpenedFile>,
    /// The others, in the order given.
    pub others: Vec<OtherFile>,
}

/// The attachment type of a file whose extension is an attachment's and whose bytes are of that
/// type.
pub fn attachment_type(name: &str, bytes: &[u8]) -> Option<AttachmentType> {
    extension_of(name)
        .and_then(AttachmentType::from_extension)
        .filter(|t| AttachmentType::sniff(bytes) == Some(*t))
}

/// Reads the files given as one send: the standard files with their forms' views, the send units
/// they make, and why each other file is not shown.
pub fn open(inputs: &[InputFile<'_>]) -> Opened {
    let mut files = Vec::new();
    let mut others = Vec::new();
    for input in inputs {
        match read_file(input.name, input.bytes) {
            Ok(standard) => files.push(standard),
            Err(not_standard) => others.push(match attachment_type(input.name, input.bytes) {
                Some(kind) => OtherFile {
                    name: input.name.to_owned(),
                    kind: OtherKind::Attachment,
                    message: format!("添付ファイル（{}）です。内容は表示しません。", kind.label()),
                },
                None => OtherFile {
                    name: input.name.to_owned(),
                    kind: OtherKind::NotStandard,
                    message: format!(
                        "標準仕様のファイルとして読めません。{}",
                        not_standard.message
                    ),
                },
            }),
        }
    }
    Opened {
        units: summarize_units(&files),
        files: files.into_iter().map(OpenedFile::of).collect(),
        others,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RecordType;
    use crate::rows::{Plan2Row, UseSheetRow};

    /// The files of a fixture folder (`fixtures/<case>`), sorted by name.
    fn fixture(case: &str) -> Vec<(String, Vec<u8>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures")
            .join(case);
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| {
                let path = e.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&path).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    fn open_all(files: &[(String, Vec<u8>)]) -> Opened {
        let inputs: Vec<InputFile<'_>> = files
            .iter()
            .map(|(name, bytes)| InputFile { name, bytes })
            .collect();
        open(&inputs)
    }

    fn kinds(opened: &Opened) -> Vec<&str> {
        opened
            .files
            .iter()
            .map(|f| f.file.name_info.kind.as_str())
            .collect()
    }

    #[test]
    fn a_plan_unit_opens_with_table_2_as_its_hierarchy_and_table_3_as_the_week() {
        let opened = open_all(&fixture("valid/v41-plan"));
        assert_eq!(
            kinds(&opened),
            ["UP1KYO", "UP2KYO", "UP3KYO", "UPHOSOKU"],
            "every file of the unit, in the order given"
        );
        assert!(opened.others.is_empty());
        assert_eq!(opened.units.len(), 1);
        assert_eq!(opened.units[0].title, "居宅サービス計画書 第1〜3表");
        for file in &opened.files {
            let kind = file.file.name_info.kind.as_str();
            assert_eq!(!file.plan2.is_empty(), kind == "UP2KYO", "{kind}");
            assert_eq!(!file.weekly.is_empty(), kind == "UP3KYO", "{kind}");
            assert!(file.use_sheets.is_empty(), "{kind}");
        }
        let plan2 = &opened.files[1];
        let FileContent::Plan2(rows) = &plan2.file.content else {
            panic!("UP2KYO reads as 第2表");
        };
        assert_eq!(plan2.plan2, plan2_forms(rows as &[Plan2Row]));
        assert_eq!(plan2.plan2.len(), 2, "one form per person");
        let contents: usize = plan2
            .plan2
            .iter()
            .flat_map(|form| &form.issues)
            .flat_map(|i| &i.goals)
            .map(|g| g.contents.len())
            .sum();
        assert_eq!(contents, rows.len(), "every row is a 援助内容 of the form");
        assert!(!opened.files[2].weekly[0].slots.is_empty());
    }

    #[test]
    fn each_field_is_labelled_with_its_layout_item_in_the_files_own_csv_version() {
        let opened = open_all(&fixture("valid/v41-actual"));
        let labels = &opened.files[0].items;
        let of = |field: &str| labels.iter().find(|l| l.field == field).cloned();
        // The validator's findings name these: 「サービス開始時刻」 is No.12, the planner's office No.6.
        assert_eq!(
            of("start").map(|l| (l.no, l.name)),
            Some((12, "サービス開始時刻".into()))
        );
        assert_eq!(of("planner_number").map(|l| l.no), Some(6));
        assert_eq!(
            labels.len(),
            UseSheetRow::FIELDS.len(),
            "every field has its item in v4.1"
        );
        // v3.2 has no TAISコード: the field has no item, and the items after it come earlier.
        let v32 = open_all(&fixture("valid/v32-actual"));
        let labels = &v32.files[0].items;
        assert!(labels.iter().all(|l| l.field != "tais_code"));
        let provider = labels
            .iter()
            .find(|l| l.field == "provider_number")
            .unwrap();
        assert_eq!(
            provider.no, 17,
            "サービス事業者コード is No.17 in v3.2 (No.20 in v4.1)"
        );
    }

    #[test]
    fn a_use_sheet_unit_opens_with_the_month_grid_of_table_6() {
        let opened = open_all(&fixture("valid/v41-use-sheet"));
        assert_eq!(kinds(&opened), ["UPHOSOKU", "UPPLAN", "UPSIKYU"]);
        assert_eq!(opened.units[0].title, "サービス利用票（予定）2025年4月分");
        assert_eq!(opened.units[0].people[0].label, "山田　花子");
        let plan = &opened.files[1];
        assert_eq!(plan.use_sheets.len(), 1);
        let grid = &plan.use_sheets[0];
        assert_eq!((grid.days, grid.weekdays[0].as_str()), (30, "火"));
        let FileContent::UsePlan(rows) = &plan.file.content else {
            panic!("UPPLAN reads as 第6表");
        };
        let counted: i32 = grid.lines.iter().map(|l| l.total_count).sum();
        assert_eq!(counted, rows.iter().map(|r| r.count).sum::<i32>());
        assert!(opened.files[0].use_sheets.is_empty(), "補足 has no grid");
        assert!(opened.files[2].use_sheets.is_empty(), "第7表 has no grid");
    }

    #[test]
    fn an_attachment_is_named_and_a_file_that_is_not_standard_says_why() {
        let mut files = fixture("valid/v41-plan-with-attachments");
        files.push(("利用者一覧.csv".into(), "氏名,住所\r\n山田,東京\r\n".into()));
        // An attachment's extension with other bytes is not an attachment.
        files.push(("写真.png".into(), b"not a picture".to_vec()));
        let opened = open_all(&files);
        let attachments: Vec<&OtherFile> = opened
            .others
            .iter()
            .filter(|o| o.kind == OtherKind::Attachment)
            .collect();
        assert_eq!(attachments.len(), 3, "{:?}", opened.others);
        assert!(
            attachments
                .iter()
                .any(|a| a.message == "添付ファイル（PDF）です。内容は表示しません。"),
            "{attachments:?}"
        );
        let not_standard: Vec<&OtherFile> = opened
            .others
            .iter()
            .filter(|o| o.kind == OtherKind::NotStandard)
            .collect();
        assert_eq!(
            not_standard
                .iter()
                .map(|o| o.name.as_str())
                .collect::<Vec<_>>(),
            ["利用者一覧.csv", "写真.png"]
        );
        assert!(
            not_standard[0].message.starts_with(
                "標準仕様のファイルとして読めません。標準仕様のファイル名ではありません。"
            ),
            "{}",
            not_standard[0].message
        );
        assert_eq!(opened.units.len(), 1, "the plan is still a unit");
        assert_eq!(opened.files.len(), 4);
    }

    #[test]
    fn a_standard_name_over_bytes_that_are_not_the_standards_is_not_standard() {
        let opened = open_all(&fixture("invalid/csv.header_row"));
        assert!(opened.files.is_empty());
        assert_eq!(opened.others[0].kind, OtherKind::NotStandard);
        assert!(
            opened.others[0].message.contains("見出し行"),
            "{}",
            opened.others[0].message
        );
        assert!(opened.units.is_empty());
    }

    #[test]
    fn the_kinds_serialise_as_the_json_doc_says() {
        let json = serde_json::to_value(OtherFile::unavailable("a.CSV", "読めません。")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"name": "a.CSV", "kind": "unavailable", "message": "読めません。"})
        );
        assert_eq!(
            serde_json::to_value(OtherKind::NotStandard).unwrap(),
            "not_standard"
        );
        assert_eq!(
            serde_json::to_value(OtherKind::Attachment).unwrap(),
            "attachment"
        );
    }
}
