//! Send units (送信単位, standard §3): the files that share one ファイル連番 and travel together, the
//! combinations that make a complete unit, and the keys that join their records.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::file_check::{CsvFileFindings, PersonKey};
use crate::filename::{FileKind, FileName, MonthSegment};
use crate::layout::CsvVersion;
use crate::time::Serial;

/// The kinds of send unit the standard defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitType {
    /// 第1表・第2表・第3表・利用者補足情報 (居宅 → サービス).
    Plan,
    /// 第6表・第7表・利用者補足情報 (居宅 → サービス).
    UseSheet,
    /// 第1表の削除.
    PlanDelete,
    /// 第6表の削除.
    UseSheetDelete,
    /// 実績情報 (サービス → 居宅).
    Actual,
    /// 実績情報の削除.
    ActualDelete,
    /// 利用者基本情報 (+ 別表・画像) and / or 介護予防サービス・支援計画書 (+ 別表).
    Prevention,
    /// 利用者基本情報の削除.
    BasicInfoDelete,
    /// 介護予防サービス・支援計画書の削除.
    PreventionPlanDelete,
}

impl UnitType {
    pub fn japanese_name(self) -> &'static str {
        match self {
            UnitType::Plan => "居宅サービス計画（第1表・第2表・第3表・利用者補足情報）",
            UnitType::UseSheet => "サービス利用票（第6表・第7表・利用者補足情報）",
            UnitType::PlanDelete => "居宅サービス計画の削除",
            UnitType::UseSheetDelete => "サービス利用票の削除",
            UnitType::Actual => "実績情報",
            UnitType::ActualDelete => "実績情報の削除",
            UnitType::Prevention => "介護予防（利用者基本情報・介護予防サービス・支援計画書）",
            UnitType::BasicInfoDelete => "利用者基本情報の削除",
            UnitType::PreventionPlanDelete => "介護予防サービス・支援計画書の削除",
        }
    }
}

struct UnitRule {
    unit: UnitType,
    /// Any of these makes a group this kind of unit.
    anchors: &'static [FileKind],
    /// Everything that may travel in it.
    allowed: &'static [FileKind],
}

const PREVENTION_KINDS: &[FileKind] = &[
    FileKind::Kihon,
    FileKind::KihonSub1,
    FileKind::KihonSub2,
    FileKind::KihonImage,
    FileKind::Yobo,
    FileKind::YoboSub,
];

const RULES: &[UnitRule] = &[
    UnitRule {
        unit: UnitType::Plan,
        anchors: &[FileKind::Plan1, FileKind::Plan2, FileKind::Plan3],
        allowed: &[
            FileKind::Plan1,
            FileKind::Plan2,
            FileKind::Plan3,
            FileKind::Hosoku,
        ],
    },
    UnitRule {
        unit: UnitType::UseSheet,
        anchors: &[FileKind::UsePlan, FileKind::UseSupplement],
        allowed: &[FileKind::UsePlan, FileKind::UseSupplement, FileKind::Hosoku],
    },
    UnitRule {
        unit: UnitType::PlanDelete,
        anchors: &[FileKind::Plan1Delete],
        allowed: &[FileKind::Plan1Delete],
    },
    UnitRule {
        unit: UnitType::UseSheetDelete,
        anchors: &[FileKind::UsePlanDelete],
        allowed: &[FileKind::UsePlanDelete],
    },
    UnitRule {
        unit: UnitType::Actual,
        anchors: &[FileKind::UseActual],
        allowed: &[FileKind::UseActual],
    },
    UnitRule {
        unit: UnitType::ActualDelete,
        anchors: &[FileKind::UseActualDelete],
        allowed: &[FileKind::UseActualDelete],
    },
    UnitRule {
        unit: UnitType::Prevention,
        anchors: PREVENTION_KINDS,
        allowed: PREVENTION_KINDS,
    },
    UnitRule {
        unit: UnitType::BasicInfoDelete,
        anchors: &[FileKind::KihonDelete],
        allowed: &[FileKind::KihonDelete],
    },
    UnitRule {
        unit: UnitType::PreventionPlanDelete,
        anchors: &[FileKind::YoboDelete],
        allowed: &[FileKind::YoboDelete],
    },
];

/// The rule of the unit these files form, or every rule they anchor when they anchor several.
fn anchored_rules(names: &[&FileName]) -> Result<&'static UnitRule, Vec<&'static UnitRule>> {
    let anchored: Vec<&'static UnitRule> = RULES
        .iter()
        .filter(|r| r.anchors.iter().any(|a| names.iter().any(|n| n.kind == *a)))
        .collect();
    match anchored.as_slice() {
        [rule] => Ok(*rule),
        [] => {
            // Only 補足 files: their month says which unit they were meant for.
            let tied_to_plan = names.iter().any(|n| n.month == Some(MonthSegment::Zero));
            let unit = if tied_to_plan {
                UnitType::Plan
            } else {
                UnitType::UseSheet
            };
            Ok(RULES
                .iter()
                .find(|r| r.unit == unit)
                .expect("every unit type has a rule"))
        }
        _ => Err(anchored),
    }
}

/// The type of send unit that files of one ファイル連番 form, or `None` when they mix units.
pub fn unit_type_of(names: &[&FileName]) -> Option<UnitType> {
    if names.is_empty() {
        return None;
    }
    anchored_rules(names).ok().map(|rule| rule.unit)
}

/// One standard file as the unit rules see it.
pub struct UnitMember<'a> {
    pub name: &'a FileName,
    /// `None` for the JPEG image, which has no records.
    pub findings: Option<&'a CsvFileFindings>,
}

/// The verdict on one send unit.
#[derive(Debug, Clone, Serialize)]
pub struct UnitReport {
    pub serial: String,
    /// `None` when the files do not form any unit of the standard.
    #[serde(rename = "type")]
    pub unit_type: Option<UnitType>,
    /// Japanese name of the unit type.
    pub type_name: String,
    pub files: Vec<String>,
    /// True when the unit's own rules pass and every one of its files is valid.
    pub ok: bool,
    /// Findings about the unit as a whole (file findings are on the files).
    pub diagnostics: Vec<Diagnostic>,
}

fn names(kinds: impl IntoIterator<Item = FileKind>) -> String {
    kinds
        .into_iter()
        .map(|k| format!("「{}」", k.japanese_name()))
        .collect::<Vec<_>>()
        .join("・")
}

/// Groups standard files by serial and checks each group. Units come out in serial order, the order
/// a receiver must import them in.
pub fn check_units(members: &[UnitMember<'_>]) -> Vec<UnitReport> {
    let mut groups: BTreeMap<Serial, Vec<&UnitMember<'_>>> = BTreeMap::new();
    for member in members {
        groups.entry(member.name.serial).or_default().push(member);
    }
    groups
        .into_iter()
        .map(|(serial, group)| check_unit(serial, &group))
        .collect()
}

fn check_unit(serial: Serial, group: &[&UnitMember<'_>]) -> UnitReport {
    let mut diagnostics = Vec::new();
    let kinds: BTreeSet<FileKind> = group.iter().map(|m| m.name.kind).collect();
    let files: Vec<String> = group.iter().map(|m| m.name.to_string()).collect();

    // Every file of a unit goes from the same office to the same office.
    let first = group[0].name;
    if let Some(other) = group
        .iter()
        .find(|m| m.name.sender != first.sender || m.name.receiver != first.receiver)
    {
        diagnostics.push(Diagnostic::new(
            Code::UnitPartiesDiffer,
            format!("連番 {serial} のファイルで送信元・送信先が違います（「{first}」と「{}」）。1つの送信単位は同じ相手に送る同じ連番のファイルです。介護ソフトから出力し直してください。", other.name),
        ));
    }

    let file_names: Vec<&FileName> = group.iter().map(|m| m.name).collect();
    let rule = match anchored_rules(&file_names) {
        Ok(rule) => Some(rule),
        Err(several) => {
            diagnostics.push(Diagnostic::new(
                Code::UnitMixed,
                format!("連番 {serial} に、別々の送信単位になるファイルが混ざっています（{}）。送信単位ごとに連番を分けて、介護ソフトから出力し直してください。", several.iter().map(|r| r.unit.japanese_name()).collect::<Vec<_>>().join("／")),
            ));
            None
        }
    };
    let Some(rule) = rule else {
        return finish(serial, None, files, diagnostics);
    };

    let foreign: Vec<FileKind> = kinds
        .iter()
        .copied()
        .filter(|k| !rule.allowed.contains(k))
        .collect();
    if !foreign.is_empty() {
        diagnostics.push(Diagnostic::new(
            Code::UnitMixed,
            format!("連番 {serial} の{}に、一緒に送れないファイル（{}）が入っています。送信単位ごとに連番を分けて出力し直してください。", rule.unit.japanese_name(), names(foreign)),
        ));
    }

    let versions: BTreeSet<CsvVersion> = group
        .iter()
        .filter_map(|m| m.findings.and_then(|f| f.version))
        .collect();
    if versions.len() > 1 {
        diagnostics.push(Diagnostic::new(
            Code::UnitMixed,
            format!("連番 {serial} のファイルでCSVバージョンが違います（{}）。1つの送信単位は同じCSVバージョンで出力します。", versions.iter().map(|v| v.as_str()).collect::<Vec<_>>().join("・")),
        ));
    }

    let missing: Vec<FileKind> = required_kinds(rule.unit, &kinds, &versions)
        .into_iter()
        .filter(|k| !kinds.contains(k))
        .collect();
    if !missing.is_empty() {
        diagnostics.push(Diagnostic::new(
            Code::UnitIncomplete,
            format!("連番 {serial} の{}に、{}がありません。同じ連番のファイルをすべて選んで一緒に送ってください。", rule.unit.japanese_name(), names(missing)),
        ));
    }

    check_months(serial, rule.unit, group, &mut diagnostics);
    check_keys(rule.unit, group, &mut diagnostics);
    check_images(group, &mut diagnostics);
    finish(serial, Some(rule.unit), files, diagnostics)
}

fn finish(
    serial: Serial,
    unit: Option<UnitType>,
    files: Vec<String>,
    diagnostics: Vec<Diagnostic>,
) -> UnitReport {
    UnitReport {
        serial: serial.to_string(),
        unit_type: unit,
        type_name: unit
            .map(UnitType::japanese_name)
            .unwrap_or("（標準仕様の送信単位になっていません）")
            .to_owned(),
        files,
        ok: crate::diagnostic::all_pass(&diagnostics),
        diagnostics,
    }
}

fn required_kinds(
    unit: UnitType,
    present: &BTreeSet<FileKind>,
    versions: &BTreeSet<CsvVersion>,
) -> Vec<FileKind> {
    match unit {
        UnitType::Plan => {
            let mut required = vec![FileKind::Plan1, FileKind::Plan2, FileKind::Hosoku];
            // 第3表 joined the plan unit in v4.0; v3.2 units are 第1表・第2表・補足.
            if !versions.contains(&CsvVersion::V202208) {
                required.push(FileKind::Plan3);
            }
            required
        }
        UnitType::UseSheet => vec![FileKind::UsePlan, FileKind::UseSupplement, FileKind::Hosoku],
        UnitType::Prevention => {
            let mut required = Vec::new();
            if [
                FileKind::Kihon,
                FileKind::KihonSub1,
                FileKind::KihonSub2,
                FileKind::KihonImage,
            ]
            .iter()
            .any(|k| present.contains(k))
            {
                required.push(FileKind::Kihon);
            }
            if present.contains(&FileKind::YoboSub) {
                required.push(FileKind::Yobo);
            }
            required
        }
        _ => Vec::new(),
    }
}

/// 補足 tied to 第1/2表 carries `000000`; tied to 第6/7表, the same month as the 6/7表.
fn check_months(
    serial: Serial,
    unit: UnitType,
    group: &[&UnitMember<'_>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let months: BTreeSet<String> = group
        .iter()
        .filter_map(|m| m.name.month.map(|s| s.to_string()))
        .collect();
    let problem = match unit {
        UnitType::Plan if months.iter().any(|m| m != "000000") => {
            Some("第1・2表と一緒に送る利用者補足情報は、ファイル名の年月を 000000 にします。")
        }
        UnitType::UseSheet if months.len() > 1 => {
            Some("第6表・第7表・利用者補足情報は同じ月（ファイル名の年月）でなければなりません。")
        }
        _ => None,
    };
    if let Some(rule) = problem {
        diagnostics.push(Diagnostic::new(
            Code::UnitMonthDiffers,
            format!("連番 {serial} のファイル名の年月が合っていません（{}）。{rule}介護ソフトから出力し直してください。", months.into_iter().collect::<Vec<_>>().join("・")),
        ));
    }
}

fn keys_of<'a>(
    group: &'a [&UnitMember<'_>],
    kind: FileKind,
) -> Option<(&'a FileName, &'a BTreeMap<PersonKey, u32>)> {
    group.iter().find(|m| m.name.kind == kind).and_then(|m| {
        m.findings
            .and_then(|f| f.keys.as_ref())
            .map(|k| (m.name, k))
    })
}

/// Every record of a dependant file belongs to a person and document of the parent file; every
/// person of the parent appears in each file the unit requires.
fn check_keys(unit: UnitType, group: &[&UnitMember<'_>], diagnostics: &mut Vec<Diagnostic>) {
    let (parent, required, optional): (FileKind, &[FileKind], &[FileKind]) = match unit {
        UnitType::Plan => (
            FileKind::Plan1,
            &[FileKind::Plan2, FileKind::Plan3, FileKind::Hosoku],
            &[],
        ),
        UnitType::UseSheet => (
            FileKind::UsePlan,
            &[FileKind::UseSupplement, FileKind::Hosoku],
            &[],
        ),
        UnitType::Prevention => {
            check_prevention_keys(group, diagnostics);
            return;
        }
        _ => return,
    };
    let Some((parent_name, parent_keys)) = keys_of(group, parent) else {
        return;
    };
    for &dependant in required.iter().chain(optional) {
        let Some((name, keys)) = keys_of(group, dependant) else {
            continue;
        };
        report_orphans(parent_name, parent_keys, name, keys, diagnostics);
        if required.contains(&dependant) {
            for (key, line) in parent_keys {
                if !keys.contains_key(key) {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::UnitKeyMissing,
                            format!("「{parent_name}」の{line}行目の利用者（{}）のレコードが、「{name}」にありません。{}にも同じ利用者・同じ日付（年月）のレコードを入れて出力し直してください。", key.describe(), dependant.japanese_name()),
                        )
                        .in_file(&name.to_string()),
                    );
                }
            }
        }
    }
}

fn check_prevention_keys(group: &[&UnitMember<'_>], diagnostics: &mut Vec<Diagnostic>) {
    for (parent, dependants) in [
        (
            FileKind::Kihon,
            &[FileKind::KihonSub1, FileKind::KihonSub2][..],
        ),
        (FileKind::Yobo, &[FileKind::YoboSub][..]),
    ] {
        let Some((parent_name, parent_keys)) = keys_of(group, parent) else {
            continue;
        };
        for &dependant in dependants {
            if let Some((name, keys)) = keys_of(group, dependant) {
                report_orphans(parent_name, parent_keys, name, keys, diagnostics);
            }
        }
    }
}

fn report_orphans(
    parent_name: &FileName,
    parent_keys: &BTreeMap<PersonKey, u32>,
    name: &FileName,
    keys: &BTreeMap<PersonKey, u32>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (key, line) in keys {
        if !parent_keys.contains_key(key) {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnitKeyOrphan,
                    format!("この行の利用者（{}）は、親となる「{parent_name}」にありません。保険者番号・被保険者番号・日付（年月）が{}と同じか確認してください。", key.describe(), parent_name.kind.japanese_name()),
                )
                .in_file(&name.to_string())
                .at_line(*line),
            );
        }
    }
}

/// 利用者基本情報's 家族構成 画像ファイル名 names an UPKIHON_IMAGE file of the same unit.
fn check_images(group: &[&UnitMember<'_>], diagnostics: &mut Vec<Diagnostic>) {
    let images: BTreeSet<String> = group
        .iter()
        .filter(|m| m.name.kind == FileKind::KihonImage)
        .map(|m| m.name.to_string().to_ascii_uppercase())
        .collect();
    for member in group.iter().filter(|m| m.name.kind == FileKind::Kihon) {
        let Some(findings) = member.findings else {
            continue;
        };
        for (image, line) in &findings.image_references {
            if !images.contains(&image.to_ascii_uppercase()) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnitImageMissing,
                        format!("「家族構成 画像ファイル名」の「{image}」が、一緒に送るファイルの中にありません。画像ファイルも選んで一緒に送ってください。"),
                    )
                    .in_file(&member.name.to_string())
                    .at_line(*line)
                    .at_item(62, "家族構成 画像ファイル名"),
                );
            }
        }
    }
}
