//! 第3表 週間サービス計画表 as the form: the week's services by 曜日 and time, the day's main
//! activities, and the services that are not weekly. A record of 第3表 holds any of the three.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::rows::Plan3Row;
use crate::values::ClockTime;

/// A service on one weekday.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct WeeklySlot {
    pub line: u32,
    /// 1 月 … 7 日.
    pub weekday: u8,
    pub weekday_name: String,
    pub start: Option<ClockTime>,
    pub end: Option<ClockTime>,
    pub content: String,
}

/// 主な日常生活上の活動.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct DailyActivity {
    pub line: u32,
    pub start: Option<ClockTime>,
    pub end: Option<ClockTime>,
    pub activity: String,
}

/// One person's 第3表.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct WeeklyPlan {
    pub insurer: String,
    pub insured: String,
    pub plan_date: NaiveDate,
    /// By weekday, then start time.
    pub slots: Vec<WeeklySlot>,
    /// By start time.
    pub activities: Vec<DailyActivity>,
    /// 週単位以外のサービス, in file order.
    pub non_weekly_services: Vec<String>,
}

/// Builds each person's 第3表, in the order people first appear.
pub fn weekly_plans(rows: &[Plan3Row]) -> Vec<WeeklyPlan> {
    let mut plans: Vec<WeeklyPlan> = Vec::new();
    for row in rows {
        let at = plans
            .iter()
            .position(|p| {
                p.insurer == row.insurer && p.insured == row.insured && p.plan_date == row.plan_date
            })
            .unwrap_or_else(|| {
                plans.push(WeeklyPlan {
                    insurer: row.insurer.clone(),
                    insured: row.insured.clone(),
                    plan_date: row.plan_date,
                    slots: Vec::new(),
                    activities: Vec::new(),
                    non_weekly_services: Vec::new(),
                });
                plans.len() - 1
            });
        let plan = &mut plans[at];
        if let Some(weekday) = &row.weekday {
            plan.slots.push(WeeklySlot {
                line: row.line,
                weekday: weekday.code.parse().unwrap_or(0),
                weekday_name: weekday.meaning.clone(),
                start: row.start,
                end: row.end,
                content: row.service_content.clone(),
            });
        }
        if !row.activity.is_empty() {
            plan.activities.push(DailyActivity {
                line: row.line,
                start: row.activity_start,
                end: row.activity_end,
                activity: row.activity.clone(),
            });
        }
        if !row.non_weekly_services.is_empty() {
            plan.non_weekly_services
                .push(row.non_weekly_services.clone());
        }
    }
    for plan in &mut plans {
        plan.slots.sort_by_key(|s| (s.weekday, s.start, s.line));
        plan.activities.sort_by_key(|a| (a.start, a.line));
    }
    plans
}
