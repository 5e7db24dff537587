//! What a send unit is, in words, and whom it is about: for lists people read (受信一覧, 送信一覧,
//! 下書き一覧) and for `careplan show`.

use std::collections::BTreeMap;

use careplan_spec::units::unit_type_of;
use careplan_spec::{FileName, UnitType};
use serde::Serialize;
use ts_rs::TS;

use crate::file::{FileContent, StandardFile};
use crate::values::Month;

/// A person a unit is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct Person {
    pub insurer: String,
    pub insured: String,
    /// 利用者氏名 from the unit's 利用者補足情報 (or 利用者基本情報 / 介護予防サービス・支援計画書).
    pub name: Option<String>,
    /// What to show: the name, or 保険者番号 and 被保険者番号.
    pub label: String,
}

/// One send unit in words.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct UnitSummary {
    pub serial: String,
    /// As `careplan validate --json` names unit types (`use_sheet` …); `None` when the files form no
    /// unit of the standard.
    #[ts(type = "string | null")]
    pub unit_type: Option<UnitType>,
    /// `サービス利用票（予定）2025年4月分`, `居宅サービス計画書 第1〜3表`, `実績 2025年4月分` …
    pub title: String,
    pub month: Option<Month>,
    pub people: Vec<Person>,
    pub files: Vec<String>,
}

impl Person {
    pub fn new(insurer: &str, insured: &str, name: Option<&str>) -> Person {
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        Person {
            label: name
                .clone()
                .unwrap_or_else(|| format!("保険者番号 {insurer}・被保険者番号 {insured}")),
            insurer: insurer.to_owned(),
            insured: insured.to_owned(),
            name,
        }
    }
}

/// The people of a file, in order of appearance, with a name where the file carries one.
pub fn people_of(file: &StandardFile) -> Vec<(String, String, Option<String>)> {
    fn keys<'a, T: 'a>(
        rows: &'a [T],
        key: impl Fn(&'a T) -> (&'a str, &'a str, Option<&'a str>),
    ) -> Vec<(String, String, Option<String>)> {
        rows.iter()
            .map(|r| {
                let (a, b, name) = key(r);
                (a.to_owned(), b.to_owned(), name.map(str::to_owned))
            })
            .collect()
    }
    use FileContent as C;
    match &file.content {
        C::SupplementInfo(r) => keys(r, |r| (&r.insurer, &r.insured, Some(&r.name))),
        C::BasicInfo(r) => keys(r, |r| (&r.insurer, &r.insured, Some(&r.name))),
        C::PreventionPlan(r) => keys(r, |r| (&r.insurer, &r.insured, Some(&r.name))),
        C::Plan1(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::Plan2(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::Plan3(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::Plan1Delete(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::UsePlan(r) | C::UseActual(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::UsePlanDelete(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::UseActualDelete(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::Supplement(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::BasicInfoSchedule(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::BasicInfoHistory(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::BasicInfoDelete(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::PreventionPlanDetail(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::PreventionPlanDelete(r) => keys(r, |r| (&r.insurer, &r.insured, None)),
        C::FamilyPicture { .. } => Vec::new(),
    }
}

fn title(unit: Option<UnitType>, prefixes: &[&str], month: Option<Month>) -> String {
    let month = month.map(|m| format!("{}分", m.japanese()));
    let with_month = |what: &str| match &month {
        Some(m) => format!("{what} {m}"),
        None => what.to_owned(),
    };
    match unit {
        Some(UnitType::Plan) if prefixes.contains(&"UP3KYO") => {
            "居宅サービス計画書 第1〜3表".to_owned()
        }
        Some(UnitType::Plan) => "居宅サービス計画書 第1・2表".to_owned(),
        Some(UnitType::UseSheet) => match &month {
            Some(m) => format!("サービス利用票（予定）{m}"),
            None => "サービス利用票（予定）".to_owned(),
        },
        Some(UnitType::Actual) => with_month("実績"),
        Some(UnitType::PlanDelete) => "居宅サービス計画書の削除".to_owned(),
        Some(UnitType::UseSheetDelete) => with_month("サービス利用票の削除"),
        Some(UnitType::ActualDelete) => with_month("実績の削除"),
        Some(UnitType::Prevention) => {
            let mut parts = Vec::new();
            if prefixes.iter().any(|p| p.starts_with("UPKIHON")) {
                parts.push("利用者基本情報");
            }
            if prefixes.iter().any(|p| p.starts_with("UPYOBO")) {
                parts.push("介護予防サービス・支援計画書");
            }
            parts.join("・")
        }
        Some(UnitType::BasicInfoDelete) => "利用者基本情報の削除".to_owned(),
        Some(UnitType::PreventionPlanDelete) => "介護予防サービス・支援計画書の削除".to_owned(),
        None => "（標準仕様の送信単位になっていません）".to_owned(),
    }
}

/// Groups files by ファイル連番 and says what each unit is, in serial order.
pub fn summarize_units(files: &[StandardFile]) -> Vec<UnitSummary> {
    let mut by_serial: BTreeMap<&str, Vec<&StandardFile>> = BTreeMap::new();
    for file in files {
        by_serial
            .entry(file.name_info.serial.as_str())
            .or_default()
            .push(file);
    }
    by_serial
        .into_iter()
        .map(|(serial, group)| summarize_unit(serial, &group))
        .collect()
}

fn summarize_unit(serial: &str, group: &[&StandardFile]) -> UnitSummary {
    let names: Vec<FileName> = group
        .iter()
        .filter_map(|f| FileName::parse(&f.name).ok())
        .collect();
    let name_refs: Vec<&FileName> = names.iter().collect();
    let unit_type = unit_type_of(&name_refs);
    let prefixes: Vec<&str> = group.iter().map(|f| f.name_info.kind.as_str()).collect();
    let month = group.iter().find_map(|f| f.name_info.month);
    let mut people: Vec<Person> = Vec::new();
    let mut named: BTreeMap<(String, String), String> = BTreeMap::new();
    for file in group {
        for (insurer, insured, name) in people_of(file) {
            if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
                named
                    .entry((insurer.clone(), insured.clone()))
                    .or_insert(name);
            }
            if !people
                .iter()
                .any(|p| p.insurer == insurer && p.insured == insured)
            {
                people.push(Person::new(&insurer, &insured, None));
            }
        }
    }
    let people = people
        .into_iter()
        .map(|p| {
            let name = named.get(&(p.insurer.clone(), p.insured.clone()));
            Person::new(&p.insurer, &p.insured, name.map(String::as_str))
        })
        .collect();
    UnitSummary {
        serial: serial.to_owned(),
        unit_type,
        title: title(unit_type, &prefixes, month),
        month,
        people,
        files: group.iter().map(|f| f.name.clone()).collect(),
    }
}
