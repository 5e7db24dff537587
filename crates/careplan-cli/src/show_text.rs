//! The readable Japanese text of `careplan show`: each send unit in words, then each file's records
//! item by item (the layout's Japanese names, values with their meanings), with the forms' views
//! where a list of items does not read like the paper form (第2表's hierarchy, 第6表's month grid).

use std::fmt::Write;

use careplan_records::file::{fields_of, FileContent, StandardFile};
use careplan_records::grid::{use_sheet_grids, weekday_japanese};
use careplan_records::plan2::plan2_forms;
use careplan_records::plan3::weekly_plans;
use careplan_records::record::FieldItem;
use careplan_records::rows::{withdrawn_by, UseSheetRow};
use careplan_records::values::{ClockTime, ValueKind};
use careplan_records::UnitSummary;
use careplan_spec::FileKind;
use serde_json::Value;

fn date_japanese(text: &str) -> String {
    let parts: Vec<&str> = text.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!(
            "{y}年{}月{}日",
            m.trim_start_matches('0'),
            d.trim_start_matches('0')
        ),
        [y, m] => format!("{y}年{}月", m.trim_start_matches('0')),
        _ => text.to_owned(),
    }
}

/// A field's value as people read it; `None` when the item is empty.
fn value_text(field: &FieldItem, value: &Value) -> Option<String> {
    let text = match (field.kind, value) {
        (_, Value::Null) => {
            return (field.kind == ValueKind::Time && !field.optional)
                .then(|| "時刻なし（9999）".to_owned());
        }
        (_, Value::String(s)) if s.is_empty() => return None,
        (ValueKind::Date | ValueKind::YearMonth, Value::String(s)) => date_japanese(s),
        (ValueKind::Code | ValueKind::ServiceKind, Value::Object(o)) => format!(
            "{}（{}）",
            o["code"].as_str().unwrap_or_default(),
            o["meaning"].as_str().unwrap_or_default()
        ),
        (ValueKind::ServiceCode | ValueKind::SummaryServiceCode, Value::Object(o)) => {
            let code = o["code"].as_str().unwrap_or_default();
            match o.get("row").and_then(Value::as_str) {
                Some("grand_total") => format!("{code}（全合計）"),
                Some("subtotal")
                | Some("outside_limit_subtotal")
                | Some("over_30_days_subtotal") => {
                    format!(
                        "{code}（{}の小計）",
                        o["kind_name"].as_str().unwrap_or("種類不明")
                    )
                }
                _ => match o["kind_name"].as_str() {
                    Some(name) => format!("{code}（{name}）"),
                    None => code.to_owned(),
                },
            }
        }
        (ValueKind::DayFlags, Value::Array(flags)) => {
            let days: Vec<String> = flags
                .iter()
                .enumerate()
                .filter(|(_, f)| f.as_bool() == Some(true))
                .map(|(i, _)| format!("{}日", i + 1))
                .collect();
            if days.is_empty() {
                "なし".to_owned()
            } else {
                days.join("・")
            }
        }
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    };
    Some(text)
}

fn write_records(out: &mut String, fields: &[FieldItem], rows: &Value) {
    for row in rows.as_array().into_iter().flatten() {
        let _ = writeln!(out, "  ── {}行目", row["line"]);
        if row["continuation"]["issue"] == Value::Bool(true) {
            let _ = writeln!(out, "    （上の行と同じ課題の続き）");
        }
        for field in fields {
            let Some(text) = value_text(field, &row[field.field]) else {
                continue;
            };
            let mut lines = text.lines();
            let _ = writeln!(
                out,
                "    {}：{}",
                field.item,
                lines.next().unwrap_or_default()
            );
            for more in lines {
                let _ = writeln!(out, "      {more}");
            }
        }
    }
}

fn write_grid(out: &mut String, file: &StandardFile) {
    let (FileContent::UsePlan(rows) | FileContent::UseActual(rows)) = &file.content else {
        return;
    };
    for grid in use_sheet_grids(rows) {
        let _ = writeln!(
            out,
            "  【{}分 保険者番号 {}・被保険者番号 {}】（日付ごとの回数）",
            date_japanese(&grid.month.to_string()),
            grid.insurer,
            grid.insured
        );
        let days: String = (1..=grid.days).map(|d| format!("{d:>3}")).collect();
        let weekdays: String = grid.weekdays.iter().map(|w| format!(" {w}")).collect();
        let _ = writeln!(out, "    日付      {days}  合計");
        let _ = writeln!(out, "    曜日      {weekdays}");
        for line in &grid.lines {
            let time = match (line.start, line.end) {
                (Some(s), Some(e)) => format!("{s}～{e}"),
                _ => "時刻なし".to_owned(),
            };
            let _ = writeln!(
                out,
                "    {} {} {}（{}）{time}",
                line.service_code.code,
                line.service_code.kind_name.as_deref().unwrap_or(""),
                line.provider_name,
                line.provider_number
            );
            let counts: String = line.counts[..grid.days as usize]
                .iter()
                .zip(&line.day_rate)
                .map(|(&c, &rate)| match (c, rate) {
                    (0, _) => "  ・".to_owned(),
                    (c, true) => format!("{c:>2}*"),
                    (c, false) => format!("{c:>3}"),
                })
                .collect();
            let _ = writeln!(out, "    回数      {counts}  {:>3}", line.total_count);
        }
        let _ = writeln!(out, "    （* は日割対象日）");
    }
}

fn write_plan2(out: &mut String, file: &StandardFile) {
    let FileContent::Plan2(rows) = &file.content else {
        return;
    };
    for form in plan2_forms(rows) {
        let _ = writeln!(
            out,
            "  【第2表 保険者番号 {}・被保険者番号 {}】",
            form.insurer, form.insured
        );
        for issue in &form.issues {
            let _ = writeln!(out, "    課題{}：{}", no(issue.no), issue.issue);
            for goal in &issue.goals {
                let _ = writeln!(
                    out,
                    "      長期目標{}：{}（{}）",
                    no(goal.no),
                    goal.long_term_goal,
                    goal.long_term_period
                );
                let _ = writeln!(
                    out,
                    "      短期目標：{}（{}）",
                    goal.short_term_goal, goal.short_term_period
                );
                for content in &goal.contents {
                    let covered = content
                        .insurance_covered
                        .as_ref()
                        .map(|c| format!("※1 {}", c.meaning))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "        援助内容{}：{}／{} {covered}／{}／{}／{}",
                        no(content.no),
                        content.service_content,
                        content.service_type,
                        content.provider_name,
                        content.frequency,
                        content.period
                    );
                }
            }
        }
    }
}

/// 第6表's records one line each: the grid above shows the month, these the details.
fn write_use_rows(out: &mut String, rows: &[UseSheetRow]) {
    let Some(first) = rows.first() else {
        return;
    };
    let _ = writeln!(
        out,
        "  作成年月日 {}・プラン担当 {}（{}）",
        date_japanese(&first.created_on.to_string()),
        first.planner_name,
        first.planner_number
    );
    for row in rows {
        let time = match (row.start, row.end) {
            (None, None) => "時刻なし".to_owned(),
            (s, e) => format!(
                "{}～{}",
                s.map(|t| t.to_string()).unwrap_or_default(),
                e.map(|t| t.to_string()).unwrap_or_default()
            ),
        };
        let mut extra = String::new();
        for (label, value) in [
            ("TAISコード", &row.tais_code),
            ("福祉用具届出コード", &row.equipment_code),
            ("用具名称", &row.equipment_name),
            ("明細判別コード", &row.detail_code),
            ("サテライト枝番", &row.satellite),
        ] {
            if !value.is_empty() {
                let _ = write!(extra, "・{label} {value}");
            }
        }
        if let Some(flags) = &row.day_rate_days {
            let days: Vec<String> = (1..=31u32)
                .filter(|&d| flags.is_set(d))
                .map(|d| d.to_string())
                .collect();
            let _ = write!(extra, "・日割対象日 {}", days.join(","));
        }
        let _ = writeln!(
            out,
            "  {}行目 {}（{}） {} {} {time} ×{} {}単位 {}（{}）{}{extra}",
            row.line,
            date_japanese(&row.service_date.to_string()),
            weekday_japanese(row.service_date),
            row.service_code.code,
            row.service_code.kind_name.as_deref().unwrap_or("種類不明"),
            row.count,
            row.units
                .map(|u| u.to_string())
                .unwrap_or_else(|| "－".to_owned()),
            row.provider_name,
            row.provider_number,
            if row.over_30_days.code == "1" {
                "・30日超"
            } else {
                ""
            },
        );
    }
}

fn write_plan3(out: &mut String, file: &StandardFile) {
    let FileContent::Plan3(rows) = &file.content else {
        return;
    };
    let span = |start: Option<ClockTime>, end: Option<ClockTime>| match (start, end) {
        (None, None) => String::new(),
        (s, e) => format!(
            "{}～{} ",
            s.map(|t| t.to_string()).unwrap_or_default(),
            e.map(|t| t.to_string()).unwrap_or_default()
        ),
    };
    for plan in weekly_plans(rows) {
        let _ = writeln!(
            out,
            "  【第3表 保険者番号 {}・被保険者番号 {}】",
            plan.insurer, plan.insured
        );
        for slot in &plan.slots {
            let _ = writeln!(
                out,
                "    {}曜 {}{}",
                slot.weekday_name,
                span(slot.start, slot.end),
                slot.content
            );
        }
        for activity in &plan.activities {
            let _ = writeln!(
                out,
                "    主な日常生活上の活動：{}{}",
                span(activity.start, activity.end),
                activity.activity
            );
        }
        for service in &plan.non_weekly_services {
            let _ = writeln!(out, "    週単位以外のサービス：{service}");
        }
    }
}

fn no(no: Option<i32>) -> String {
    no.map(|n| n.to_string()).unwrap_or_default()
}

/// Renders the units and the files.
pub fn render(units: &[UnitSummary], files: &[StandardFile]) -> String {
    let mut out = String::new();
    if !units.is_empty() {
        let _ = writeln!(out, "■ 送信単位");
        for unit in units {
            let people: Vec<&str> = unit.people.iter().map(|p| p.label.as_str()).collect();
            let _ = writeln!(
                out,
                "  連番 {}：{}（利用者: {}）",
                unit.serial,
                unit.title,
                people.join("、")
            );
        }
        let _ = writeln!(out);
    }
    for file in files {
        let _ = writeln!(
            out,
            "■ {}（{}{}）",
            file.name,
            file.name_info.kind_name,
            file.csv_version
                .as_deref()
                .map(|v| format!("・CSVバージョン {v}"))
                .unwrap_or_default()
        );
        let info = &file.name_info;
        let _ = writeln!(
            out,
            "  送信元 {}{}　送信先 {}{}",
            info.sender.office,
            info.sender
                .service_kind_name
                .as_deref()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default(),
            info.receiver.office,
            info.receiver
                .service_kind_name
                .as_deref()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default()
        );
        if let FileContent::FamilyPicture { bytes } = file.content {
            let _ = writeln!(out, "  家族構成の画像（JPEG、{bytes} バイト）");
            let _ = writeln!(out);
            continue;
        }
        let kind = FileKind::from_prefix(&info.kind).expect("a standard file's prefix");
        if let Some(withdrawn) = withdrawn_by(kind) {
            let _ = writeln!(out, "  削除するもの：{withdrawn}");
        }
        write_grid(&mut out, file);
        write_plan2(&mut out, file);
        write_plan3(&mut out, file);
        if let FileContent::UsePlan(rows) | FileContent::UseActual(rows) = &file.content {
            write_use_rows(&mut out, rows);
        } else if let Some(fields) = fields_of(kind) {
            let json = serde_json::to_value(file).expect("records serialise");
            write_records(&mut out, fields, &json["rows"]);
        }
        for bad in &file.unreadable {
            let _ = writeln!(out, "  ×  {}行目は読めません：{}", bad.line, bad.message);
        }
        let _ = writeln!(out);
    }
    out
}
