//! 第2表's rows as the form's hierarchy: 課題 → 目標 (長期・短期) → 援助内容, with the values that
//! continuation rows leave blank carried forward (standard §2.4, 第2表 row rules).

use serde::Serialize;
use ts_rs::TS;

use crate::rows::{Plan2Row, PreventionPlanDetailRow};

fn same_person(a: &Plan2Row, b: &Plan2Row) -> bool {
    a.insurer == b.insurer && a.insured == b.insured && a.plan_date == b.plan_date
}

/// The same number, or no number on this row.
fn same_no(this: Option<i32>, above: Option<i32>) -> bool {
    this.is_none() || this == above
}

/// Marks the rows that leave the row above's 課題 or 目標 blank to repeat it.
pub fn mark_continuations(rows: &mut [Plan2Row]) {
    for i in 1..rows.len() {
        let (above, this) = (&rows[i - 1], &rows[i]);
        let person = same_person(above, this);
        let issue = person && this.issue.is_empty() && same_no(this.issue_no, above.issue_no);
        let goal = issue
            && this.long_term_goal.is_empty()
            && this.short_term_goal.is_empty()
            && this.long_term_period.is_empty()
            && this.short_term_period.is_empty()
            && same_no(this.goal_no, above.goal_no);
        rows[i].continuation.issue = issue;
        rows[i].continuation.goal = goal;
    }
}

/// The same for 介護予防サービス・支援計画書 別表: 総合的課題 … 目標 left blank repeat the row above.
pub fn mark_detail_continuations(rows: &mut [PreventionPlanDetailRow]) {
    for i in 1..rows.len() {
        let (above, this) = (&rows[i - 1], &rows[i]);
        let person = above.insurer == this.insurer
            && above.insured == this.insured
            && above.plan_date == this.plan_date;
        let issue = person
            && this.overall_issue.is_empty()
            && this.proposal.is_empty()
            && this.wishes.is_empty()
            && same_no(this.issue_no, above.issue_no);
        let goal = issue && this.goal.is_empty();
        rows[i].continuation.issue = issue;
        rows[i].continuation.goal = goal;
    }
}

/// One 援助内容 line of 第2表.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct Plan2Content {
    pub line: u32,
    pub no: Option<i32>,
    pub service_content: String,
    /// ※1: `Y` 対象, `N` 対象外.
    pub insurance_covered: Option<crate::values::Coded>,
    pub service_type: String,
    pub provider_number: String,
    pub provider_name: String,
    pub frequency: String,
    pub period: String,
}

/// A 目標 (長期・短期 with their periods) and its 援助内容.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct Plan2Goal {
    pub no: Option<i32>,
    pub long_term_goal: String,
    pub long_term_period: String,
    pub short_term_goal: String,
    pub short_term_period: String,
    pub contents: Vec<Plan2Content>,
}

/// A 課題 (生活全般の解決すべき課題（ニーズ）) and its goals.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct Plan2Issue {
    pub no: Option<i32>,
    pub issue: String,
    pub goals: Vec<Plan2Goal>,
}

/// 第2表 of one person's plan as the form's table.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "records/")]
pub struct Plan2Form {
    pub insurer: String,
    pub insured: String,
    pub plan_date: chrono::NaiveDate,
    pub issues: Vec<Plan2Issue>,
}

/// Builds each person's 第2表 form from rows marked by [`mark_continuations`], in file order.
pub fn plan2_forms(rows: &[Plan2Row]) -> Vec<Plan2Form> {
    let mut forms: Vec<Plan2Form> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let new_person = i == 0 || !same_person(&rows[i - 1], row);
        if new_person {
            forms.push(Plan2Form {
                insurer: row.insurer.clone(),
                insured: row.insured.clone(),
                plan_date: row.plan_date,
                issues: Vec::new(),
            });
        }
        let form = forms
            .last_mut()
            .expect("a form was pushed for the first row");
        if new_person || !row.continuation.issue || form.issues.is_empty() {
            form.issues.push(Plan2Issue {
                no: row.issue_no,
                issue: row.issue.clone(),
                goals: Vec::new(),
            });
        }
        let issue = form.issues.last_mut().expect("an issue was pushed");
        if !row.continuation.goal || issue.goals.is_empty() {
            issue.goals.push(Plan2Goal {
                no: row.goal_no,
                long_term_goal: row.long_term_goal.clone(),
                long_term_period: row.long_term_period.clone(),
                short_term_goal: row.short_term_goal.clone(),
                short_term_period: row.short_term_period.clone(),
                contents: Vec::new(),
            });
        }
        let goal = issue.goals.last_mut().expect("a goal was pushed");
        goal.contents.push(Plan2Content {
            line: row.line,
            no: row.content_no,
            service_content: row.service_content.clone(),
            insurance_covered: row.insurance_covered.clone(),
            service_type: row.service_type.clone(),
            provider_number: row.provider_number.clone(),
            provider_name: row.provider_name.clone(),
            frequency: row.frequency.clone(),
            period: row.period.clone(),
        });
    }
    forms
}
