//! `careplan reconcile PLAN ACTUAL`: 予実突合 of the 予定 (UPPLAN) against the 実績 (UPJSK).
//! Exit codes: 0 compared (the differences are in the output), 1 the files cannot be compared,
//! 2 usage.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use careplan_records::reconcile::{
    read_side, reconcile, to_csv, DayStatus, PersonStatus, Reconciliation,
};
use careplan_records::StandardFile;
use careplan_spec::InputFile;

use crate::input;
use crate::outcome::{print_json, EXIT_INVALID, EXIT_USAGE};

enum Refusal {
    Usage(String),
    Input(String),
}

/// Reads the standard files of one side (careplan_records::read_side); attachments in a folder are
/// passed over.
fn side(path: &Path, role: &str) -> Result<Vec<StandardFile>, Refusal> {
    let loaded =
        input::load_files(&[path.to_path_buf()], &format!("{role}の")).map_err(Refusal::Usage)?;
    let inputs: Vec<InputFile<'_>> = loaded
        .iter()
        .map(|f| InputFile {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    read_side(role, &inputs, path.is_dir()).map_err(|e| Refusal::Input(e.0))
}

fn compare(plan: &Path, actual: &Path) -> Result<Reconciliation, Refusal> {
    let plans = side(plan, "予定")?;
    let actuals = side(actual, "実績")?;
    reconcile(&plans, &actuals).map_err(|e| Refusal::Input(e.0))
}

pub fn run(plan: &Path, actual: &Path, json: bool, csv: Option<&PathBuf>) -> ExitCode {
    let result = match compare(plan, actual) {
        Ok(result) => result,
        Err(Refusal::Usage(message)) => {
            eprintln!("careplan reconcile: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
        Err(Refusal::Input(message)) => {
            if json {
                print_json(&serde_json::json!({
                    "error": { "code": "reconcile.not_comparable", "message": message }
                }));
            } else {
                eprintln!("careplan reconcile: {message}");
            }
            return ExitCode::from(EXIT_INVALID);
        }
    };
    if let Some(path) = csv {
        if let Err(e) = std::fs::write(path, to_csv(&result)) {
            eprintln!(
                "careplan reconcile: 「{}」に書き込めません: {e}",
                path.display()
            );
            return ExitCode::from(EXIT_USAGE);
        }
    }
    if json {
        print_json(&result);
    } else {
        print!("{}", render(&result));
    }
    ExitCode::SUCCESS
}

fn day_japanese(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{}月{}日（{}）",
        date.month(),
        date.day(),
        careplan_records::grid::weekday_japanese(date)
    )
}

/// The readable report: a summary, then each person with the differences day by day.
pub fn render(result: &Reconciliation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "予実突合（利用者・月 {} 件：突合 {} 件、うち差異あり {} 件／実績なし {} 件／予定なし {} 件）",
        result.people.len(),
        result.compared,
        result.with_differences,
        result.actual_missing,
        result.plan_missing
    );
    for person in &result.people {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "■ {}（保険者番号 {}・被保険者番号 {}）{}分：{}",
            person.person.label,
            person.person.insurer,
            person.person.insured,
            person.month.japanese(),
            person.status.japanese()
        );
        if matches!(
            person.status,
            PersonStatus::ActualMissing | PersonStatus::PlanMissing
        ) {
            continue;
        }
        for service in &person.services {
            let t = service.totals;
            let _ = writeln!(
                out,
                "  {} {}／{}（{}）：予定 {}回・実績 {}回（一致 {}・予定のみ {}・実績のみ {}・変更 {}）",
                service.service_code.code,
                service.service_code.kind_name.as_deref().unwrap_or("種類不明"),
                service.provider_name,
                service.provider_number,
                t.planned_count,
                t.actual_count,
                t.matching,
                t.planned_not_done,
                t.done_not_planned,
                t.changed
            );
            if !service.provider_reported {
                let _ = writeln!(
                    out,
                    "    この事業所の実績がありません（まだ届いていないか、指定したファイルにありません）。"
                );
            }
            for day in service
                .days
                .iter()
                .filter(|d| d.status != DayStatus::Matching)
            {
                let side = |d: &Option<careplan_records::reconcile::DayService>| match d {
                    Some(d) => format!("{} ×{}", d.times_japanese(), d.count),
                    None => "なし".to_owned(),
                };
                let _ = writeln!(
                    out,
                    "    {} {}：予定 {}／実績 {}",
                    day_japanese(day.date),
                    day.status_japanese(),
                    side(&day.planned),
                    side(&day.actual)
                );
            }
        }
    }
    out
}
