//! 第6表 as the paper サービス利用票: per person and month, one line per サービス × 事業所 × 時間帯
//! with the count of each day 1–31 (the file has one record per service and day instead).

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use ts_rs::TS;

use crate::rows::UseSheetRow;
use crate::values::{ClockTime, Month, ServiceCode};

/// One line of the form.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct GridLine {
    pub service_code: ServiceCode,
    pub provider_number: String,
    pub provider_name: String,
    pub satellite: String,
    /// `None`: no time (`9999`).
    pub start: Option<ClockTime>,
    pub end: Option<ClockTime>,
    /// 明細判別コード (福祉用具貸与 items with the same code).
    pub detail_code: String,
    /// サービス回数 of each day; index 0 is the 1st. Always 31 entries; days past the month's end are 0.
    pub counts: Vec<i32>,
    /// 日割対象日, per day as `counts`.
    pub day_rate: Vec<bool>,
    /// 合計回数.
    pub total_count: i32,
    /// Σ 単位数 × サービス回数.
    #[ts(type = "number")]
    pub total_units: i64,
    /// The file's lines this form line was built from.
    pub lines: Vec<u32>,
}

/// One person's month.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct UseSheetGrid {
    pub insurer: String,
    pub insured: String,
    pub month: Month,
    /// The number of days of the month (28–31).
    pub days: u32,
    /// 曜日 of each day of the month (`月` … `日`).
    pub weekdays: Vec<String>,
    pub lines: Vec<GridLine>,
}

pub fn weekday_japanese(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "月",
        Weekday::Tue => "火",
        Weekday::Wed => "水",
        Weekday::Thu => "木",
        Weekday::Fri => "金",
        Weekday::Sat => "土",
        Weekday::Sun => "日",
    }
}

type LineKey<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Option<ClockTime>,
    Option<ClockTime>,
    &'a str,
);

/// Builds the form of each person and month, in the order they first appear in the file.
pub fn use_sheet_grids(rows: &[UseSheetRow]) -> Vec<UseSheetGrid> {
    let mut grids: Vec<UseSheetGrid> = Vec::new();
    let mut keys: Vec<Vec<LineKey<'_>>> = Vec::new();
    for row in rows {
        let at = grids.iter().position(|g| {
            g.insurer == row.insurer && g.insured == row.insured && g.month == row.month
        });
        let at = at.unwrap_or_else(|| {
            let days = row.month.days();
            grids.push(UseSheetGrid {
                insurer: row.insurer.clone(),
                insured: row.insured.clone(),
                month: row.month,
                days,
                weekdays: (1..=days)
                    .filter_map(|d| {
                        NaiveDate::from_ymd_opt(
                            i32::from(row.month.year),
                            u32::from(row.month.month),
                            d,
                        )
                    })
                    .map(|d| weekday_japanese(d).to_owned())
                    .collect(),
                lines: Vec::new(),
            });
            keys.push(Vec::new());
            grids.len() - 1
        });
        let key: LineKey<'_> = (
            &row.service_code.code,
            &row.provider_number,
            &row.satellite,
            row.start,
            row.end,
            &row.detail_code,
        );
        let grid = &mut grids[at];
        let line_at = match keys[at].iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                keys[at].push(key);
                grid.lines.push(GridLine {
                    service_code: row.service_code.clone(),
                    provider_number: row.provider_number.clone(),
                    provider_name: row.provider_name.clone(),
                    satellite: row.satellite.clone(),
                    start: row.start,
                    end: row.end,
                    detail_code: row.detail_code.clone(),
                    counts: vec![0; 31],
                    day_rate: vec![false; 31],
                    total_count: 0,
                    total_units: 0,
                    lines: Vec::new(),
                });
                grid.lines.len() - 1
            }
        };
        let line = &mut grid.lines[line_at];
        let day = row.service_date.day() as usize;
        if row.month.contains(row.service_date) {
            line.counts[day - 1] += row.count;
        }
        if let Some(flags) = &row.day_rate_days {
            for (i, &flag) in flags.0.iter().enumerate().take(31) {
                line.day_rate[i] |= flag;
            }
        }
        line.total_count += row.count;
        line.total_units += i64::from(row.units.unwrap_or(0)) * i64::from(row.count);
        line.lines.push(row.line);
    }
    grids
}
