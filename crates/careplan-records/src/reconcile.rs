//! 予実突合: the 予定 (第6表 UPPLAN, from the 居宅) against the 実績 (UPJSK, from the service
//! offices) of the same person and month (standard §3.2: 保険者番号 + 被保険者番号 + 対象年月), per
//! サービス × 事業所 × day.
//!
//! A day of one service at one office is:
//! - 一致: planned and done, with the same サービス回数 and the same times;
//! - 予定のみ: planned, not in the 実績;
//! - 実績のみ: in the 実績, not planned;
//! - 変更: in both, with other times or another count (both may change).
//!
//! Times are compared as written (start and end of each visit of the day, sorted); a service without
//! a time (`9999`, most 加算) is compared by count alone. A 実績 comes from each service office for its
//! own services only, so a planned office with no 実績 at all for the person is marked, not silently
//! counted as "not done".

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::file::{FileContent, StandardFile};
use crate::rows::UseSheetRow;
use crate::unit::{people_of, Person};
use crate::values::{ClockTime, Month, ServiceCode};

/// One visit's times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct Visit {
    pub start: Option<ClockTime>,
    pub end: Option<ClockTime>,
}

impl Visit {
    /// `09:30～10:30`, or `時刻なし`.
    pub fn japanese(&self) -> String {
        match (self.start, self.end) {
            (None, None) => "時刻なし".to_owned(),
            (start, end) => format!(
                "{}～{}",
                start.map(|t| t.to_string()).unwrap_or_default(),
                end.map(|t| t.to_string()).unwrap_or_default()
            ),
        }
    }
}

/// What was planned or done on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct DayService {
    /// Σ サービス回数 of the day.
    pub count: i32,
    /// The day's visits, sorted.
    pub visits: Vec<Visit>,
}

impl DayService {
    pub fn times_japanese(&self) -> String {
        self.visits
            .iter()
            .map(Visit::japanese)
            .collect::<Vec<_>>()
            .join("、")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "records/")]
pub enum DayStatus {
    Matching,
    PlannedNotDone,
    DoneNotPlanned,
    Changed,
}

impl DayStatus {
    pub fn japanese(self) -> &'static str {
        match self {
            DayStatus::Matching => "一致",
            DayStatus::PlannedNotDone => "予定のみ（実績なし）",
            DayStatus::DoneNotPlanned => "実績のみ（予定外）",
            DayStatus::Changed => "変更",
        }
    }
}

/// One day of one service at one office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct DayComparison {
    pub date: NaiveDate,
    pub status: DayStatus,
    pub planned: Option<DayService>,
    pub actual: Option<DayService>,
    pub time_changed: bool,
    pub count_changed: bool,
}

impl DayComparison {
    /// `一致`, `変更（時刻・回数）` …
    pub fn status_japanese(&self) -> String {
        if self.status != DayStatus::Changed {
            return self.status.japanese().to_owned();
        }
        let what: Vec<&str> = [(self.time_changed, "時刻"), (self.count_changed, "回数")]
            .iter()
            .filter(|(changed, _)| *changed)
            .map(|(_, what)| *what)
            .collect();
        format!("変更（{}）", what.join("・"))
    }
}

/// How many days of each kind, and the totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct Totals {
    pub matching: u32,
    pub planned_not_done: u32,
    pub done_not_planned: u32,
    pub changed: u32,
    /// Σ サービス回数.
    pub planned_count: i32,
    pub actual_count: i32,
    /// Σ 単位数 × サービス回数.
    #[ts(type = "number")]
    pub planned_units: i64,
    #[ts(type = "number")]
    pub actual_units: i64,
}

impl Totals {
    pub fn differences(&self) -> u32 {
        self.planned_not_done + self.done_not_planned + self.changed
    }

    fn add(&mut self, other: &Totals) {
        self.matching += other.matching;
        self.planned_not_done += other.planned_not_done;
        self.done_not_planned += other.done_not_planned;
        self.changed += other.changed;
        self.planned_count += other.planned_count;
        self.actual_count += other.actual_count;
        self.planned_units += other.planned_units;
        self.actual_units += other.actual_units;
    }
}

/// One サービス at one 事業所, day by day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct ServiceComparison {
    pub service_code: ServiceCode,
    pub provider_number: String,
    pub provider_name: String,
    /// Whether the 実績 holds anything of this office for the person. When not, the office has not
    /// sent its 実績 (or it was not given), and "予定のみ" days mean just that.
    pub provider_reported: bool,
    pub days: Vec<DayComparison>,
    pub totals: Totals,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "records/")]
pub enum PersonStatus {
    /// Every day of every service matches.
    Matching,
    Differences,
    /// A 予定 with no 実績 for this person and month: not compared.
    ActualMissing,
    /// A 実績 with no 予定 for this person and month: not compared.
    PlanMissing,
}

impl PersonStatus {
    pub fn japanese(self) -> &'static str {
        match self {
            PersonStatus::Matching => "一致",
            PersonStatus::Differences => "差異あり",
            PersonStatus::ActualMissing => "実績がありません（突合していません）",
            PersonStatus::PlanMissing => "予定がありません（突合していません）",
        }
    }
}

/// One person's month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct PersonReconciliation {
    pub person: Person,
    pub month: Month,
    pub status: PersonStatus,
    pub services: Vec<ServiceComparison>,
    pub totals: Totals,
}

/// The result over all people given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct Reconciliation {
    pub people: Vec<PersonReconciliation>,
    /// People and months compared (both 予定 and 実績 present).
    pub compared: u32,
    /// Of those, the ones with differences.
    pub with_differences: u32,
    pub actual_missing: u32,
    pub plan_missing: u32,
    pub totals: Totals,
}

/// Why a reconciliation cannot be done, in Japanese; nothing is compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconcileError(pub String);

impl std::fmt::Display for ReconcileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Keys borrow from the records, so grouping a month of many people allocates per group, not per
/// record.
type PersonMonth<'a> = (&'a str, &'a str, Month);
type ServiceKey<'a> = (&'a str, &'a str);

#[derive(Default)]
struct Side<'a> {
    /// Per person and month, per (サービスコード, 事業所), per date: the records.
    records: BTreeMap<PersonMonth<'a>, BTreeMap<ServiceKey<'a>, Days<'a>>>,
}

impl<'a> Side<'a> {
    fn add(&mut self, rows: &'a [UseSheetRow]) {
        for row in rows {
            self.records
                .entry((&row.insurer, &row.insured, row.month))
                .or_default()
                .entry((&row.service_code.code, &row.provider_number))
                .or_default()
                .entry(row.service_date)
                .or_default()
                .push(row);
        }
    }
}

fn day_service(rows: &[&UseSheetRow]) -> DayService {
    let mut visits: Vec<Visit> = rows
        .iter()
        .map(|r| Visit {
            start: r.start,
            end: r.end,
        })
        .collect();
    visits.sort();
    DayService {
        count: rows.iter().map(|r| r.count).sum(),
        visits,
    }
}

fn units(rows: &[&UseSheetRow]) -> i64 {
    rows.iter()
        .map(|r| i64::from(r.units.unwrap_or(0)) * i64::from(r.count))
        .sum()
}

fn compare_day(
    date: NaiveDate,
    planned: Option<DayService>,
    actual: Option<DayService>,
) -> DayComparison {
    let (status, time_changed, count_changed) = match (&planned, &actual) {
        (Some(p), Some(a)) => {
            let time_changed = p.visits != a.visits;
            let count_changed = p.count != a.count;
            let status = if time_changed || count_changed {
                DayStatus::Changed
            } else {
                DayStatus::Matching
            };
            (status, time_changed, count_changed)
        }
        (Some(_), None) => (DayStatus::PlannedNotDone, false, false),
        (None, _) => (DayStatus::DoneNotPlanned, false, false),
    };
    DayComparison {
        date,
        status,
        planned,
        actual,
        time_changed,
        count_changed,
    }
}

type Days<'a> = BTreeMap<NaiveDate, Vec<&'a UseSheetRow>>;

fn compare_service(
    key: &ServiceKey<'_>,
    planned: Option<&Days<'_>>,
    actual: Option<&Days<'_>>,
    provider_reported: bool,
) -> ServiceComparison {
    let empty = BTreeMap::new();
    let (planned, actual) = (planned.unwrap_or(&empty), actual.unwrap_or(&empty));
    let any = planned
        .values()
        .chain(actual.values())
        .flatten()
        .next()
        .expect("a service is compared only when one side has it");
    let mut dates: Vec<NaiveDate> = planned.keys().chain(actual.keys()).copied().collect();
    dates.sort();
    dates.dedup();
    let mut totals = Totals::default();
    let days = dates
        .into_iter()
        .map(|date| {
            let p = planned.get(&date);
            let a = actual.get(&date);
            totals.planned_units += p.map(|r| units(r)).unwrap_or(0);
            totals.actual_units += a.map(|r| units(r)).unwrap_or(0);
            let (p, a) = (p.map(|r| day_service(r)), a.map(|r| day_service(r)));
            totals.planned_count += p.as_ref().map(|d| d.count).unwrap_or(0);
            totals.actual_count += a.as_ref().map(|d| d.count).unwrap_or(0);
            let day = compare_day(date, p, a);
            match day.status {
                DayStatus::Matching => totals.matching += 1,
                DayStatus::PlannedNotDone => totals.planned_not_done += 1,
                DayStatus::DoneNotPlanned => totals.done_not_planned += 1,
                DayStatus::Changed => totals.changed += 1,
            }
            day
        })
        .collect();
    ServiceComparison {
        service_code: any.service_code.clone(),
        provider_number: key.1.to_owned(),
        provider_name: any.provider_name.clone(),
        provider_reported,
        days,
        totals,
    }
}

fn use_rows(files: &[StandardFile], want_actual: bool) -> Vec<&[UseSheetRow]> {
    files
        .iter()
        .filter_map(|f| match (&f.content, want_actual) {
            (FileContent::UsePlan(rows), false) | (FileContent::UseActual(rows), true) => {
                Some(rows.as_slice())
            }
            _ => None,
        })
        .collect()
}

/// Reads the files given as one side of a comparison (`role`: 予定 or 実績, as the messages name it).
/// A file with records that cannot be read, or that is not a standard file, refuses the side: a
/// comparison over part of a month would show the rest as differences. Attachments (named so by
/// their extension) are passed over when `skip_attachments` (a folder, a message's files); given
/// alone they refuse the side like any other file that is not standard.
pub fn read_side(
    role: &str,
    inputs: &[careplan_spec::InputFile<'_>],
    skip_attachments: bool,
) -> Result<Vec<StandardFile>, ReconcileError> {
    let mut files = Vec::with_capacity(inputs.len());
    for input in inputs {
        match crate::file::read_file(input.name, input.bytes) {
            Ok(standard) if standard.unreadable.is_empty() => files.push(standard),
            Ok(standard) => {
                let bad = &standard.unreadable[0];
                return Err(ReconcileError(format!(
                    "{role}の「{}」の{}行目が読めません（{}）。突合の前にファイルを確かめ、介護ソフトから出力し直してください。",
                    standard.name, bad.line, bad.message
                )));
            }
            Err(_) if skip_attachments && is_attachment_name(input.name) => {}
            Err(e) => {
                return Err(ReconcileError(format!(
                    "{role}の「{}」は標準仕様のファイルとして読めません。{}",
                    input.name, e.message
                )))
            }
        }
    }
    Ok(files)
}

fn is_attachment_name(name: &str) -> bool {
    careplan_spec::attachment::extension_of(name)
        .and_then(careplan_spec::attachment::AttachmentType::from_extension)
        .is_some()
}

/// Compares 予定 with 実績. `plans` are the files given as the 予定 (UPPLAN files, with the unit's
/// 利用者補足情報 for the names; other files are ignored), `actuals` the files given as the 実績
/// (UPJSK). Fails, comparing nothing, when a side has no file of its kind or when no person and
/// month is on both sides.
pub fn reconcile(
    plans: &[StandardFile],
    actuals: &[StandardFile],
) -> Result<Reconciliation, ReconcileError> {
    let plan_rows = use_rows(plans, false);
    let actual_rows = use_rows(actuals, true);
    if plan_rows.is_empty() {
        let swapped = !use_rows(plans, true).is_empty();
        return Err(ReconcileError(if swapped {
            "予定として指定したファイルは実績（UPJSK）です。予定（UPPLAN）、実績（UPJSK）の順に指定してください。".to_owned()
        } else {
            "予定として指定したファイルに、サービス利用票（第6表）の予定（UPPLAN）がありません。居宅介護支援事業所から届いた予定のファイルを指定してください。".to_owned()
        }));
    }
    if actual_rows.is_empty() {
        let swapped = !use_rows(actuals, false).is_empty();
        return Err(ReconcileError(if swapped {
            "実績として指定したファイルは予定（UPPLAN）です。予定（UPPLAN）、実績（UPJSK）の順に指定してください。".to_owned()
        } else {
            "実績として指定したファイルに、実績情報（UPJSK）がありません。サービス事業所から届いた実績のファイルを指定してください。".to_owned()
        }));
    }
    let mut plan = Side::default();
    for rows in &plan_rows {
        plan.add(rows);
    }
    let mut actual = Side::default();
    for rows in &actual_rows {
        actual.add(rows);
    }
    if !plan.records.keys().any(|k| actual.records.contains_key(k)) {
        let describe = |side: &Side<'_>| {
            side.records
                .keys()
                .take(3)
                .map(|(insurer, insured, month)| {
                    format!(
                        "保険者番号 {insurer}・被保険者番号 {insured}・{}分",
                        month.japanese()
                    )
                })
                .collect::<Vec<_>>()
                .join("、")
        };
        return Err(ReconcileError(format!(
            "予定と実績に、同じ利用者・同じ対象年月の組がありません（予定: {}／実績: {}）。保険者番号・被保険者番号・対象年月が同じ予定と実績を指定してください。",
            describe(&plan),
            describe(&actual)
        )));
    }

    let mut names: BTreeMap<(String, String), String> = BTreeMap::new();
    for file in plans.iter().chain(actuals) {
        for (insurer, insured, name) in people_of(file) {
            if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
                names.entry((insurer, insured)).or_insert(name);
            }
        }
    }
    let person = |insurer: &str, insured: &str| {
        Person::new(
            insurer,
            insured,
            names
                .get(&(insurer.to_owned(), insured.to_owned()))
                .map(String::as_str),
        )
    };

    let mut keys: Vec<&PersonMonth<'_>> =
        plan.records.keys().chain(actual.records.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut result = Reconciliation {
        people: Vec::new(),
        compared: 0,
        with_differences: 0,
        actual_missing: 0,
        plan_missing: 0,
        totals: Totals::default(),
    };
    for key in keys {
        let (insurer, insured, month) = key;
        let (p, a) = (plan.records.get(key), actual.records.get(key));
        let (status, services, totals) = match (p, a) {
            (Some(p), Some(a)) => {
                let mut service_keys: Vec<&ServiceKey<'_>> = p.keys().chain(a.keys()).collect();
                service_keys.sort();
                service_keys.dedup();
                let services: Vec<ServiceComparison> = service_keys
                    .into_iter()
                    .map(|sk| {
                        let reported = a.keys().any(|(_, office)| *office == sk.1);
                        compare_service(sk, p.get(sk), a.get(sk), reported)
                    })
                    .collect();
                let mut totals = Totals::default();
                for service in &services {
                    totals.add(&service.totals);
                }
                let status = if totals.differences() == 0 {
                    PersonStatus::Matching
                } else {
                    PersonStatus::Differences
                };
                result.compared += 1;
                if status == PersonStatus::Differences {
                    result.with_differences += 1;
                }
                result.totals.add(&totals);
                (status, services, totals)
            }
            (Some(_), None) => {
                result.actual_missing += 1;
                (PersonStatus::ActualMissing, Vec::new(), Totals::default())
            }
            _ => {
                result.plan_missing += 1;
                (PersonStatus::PlanMissing, Vec::new(), Totals::default())
            }
        };
        result.people.push(PersonReconciliation {
            person: person(insurer, insured),
            month: *month,
            status,
            services,
            totals,
        });
    }
    Ok(result)
}

/// The result as CSV for Excel: CP932, CRLF, a header row, one row per person × サービス × 事業所 ×
/// day (people not compared get one row saying so).
pub fn to_csv(result: &Reconciliation) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = [
        "保険者番号",
        "被保険者番号",
        "利用者名",
        "対象年月",
        "サービスコード",
        "サービス種類",
        "事業所番号",
        "事業所名",
        "日付",
        "曜日",
        "判定",
        "予定回数",
        "実績回数",
        "予定時刻",
        "実績時刻",
    ];
    writer.write_record(header).expect("writing to memory");
    for person in &result.people {
        let month = format!("{}", person.month).replace('-', "");
        let name = person.person.name.clone().unwrap_or_default();
        if person.services.is_empty() {
            let row = [
                person.person.insurer.as_str(),
                &person.person.insured,
                &name,
                &month,
                "",
                "",
                "",
                "",
                "",
                "",
                person.status.japanese(),
                "",
                "",
                "",
                "",
            ];
            writer.write_record(row).expect("writing to memory");
            continue;
        }
        for service in &person.services {
            for day in &service.days {
                let count = |d: &Option<DayService>| {
                    d.as_ref().map(|d| d.count.to_string()).unwrap_or_default()
                };
                let times = |d: &Option<DayService>| {
                    d.as_ref()
                        .map(DayService::times_japanese)
                        .unwrap_or_default()
                };
                let row = [
                    person.person.insurer.clone(),
                    person.person.insured.clone(),
                    name.clone(),
                    month.clone(),
                    service.service_code.code.clone(),
                    service.service_code.kind_name.clone().unwrap_or_default(),
                    service.provider_number.clone(),
                    service.provider_name.clone(),
                    format!(
                        "{:04}/{:02}/{:02}",
                        day.date.year(),
                        day.date.month(),
                        day.date.day()
                    ),
                    crate::grid::weekday_japanese(day.date).to_owned(),
                    day.status_japanese(),
                    count(&day.planned),
                    count(&day.actual),
                    times(&day.planned),
                    times(&day.actual),
                ];
                writer.write_record(row).expect("writing to memory");
            }
        }
    }
    let text = String::from_utf8(writer.into_inner().expect("writing to memory"))
        .expect("the CSV is built from strings");
    // The values come from CP932 files; a character outside CP932 (only possible from records built
    // by hand) becomes a numeric character reference rather than failing the export.
    encoding_rs::SHIFT_JIS.encode(&text).0.into_owned()
}
