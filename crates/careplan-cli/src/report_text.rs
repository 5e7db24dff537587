//! The readable Japanese report of `careplan validate`.

use std::fmt::Write;

use careplan_spec::{Diagnostic, Report};

fn mark(ok: bool) -> &'static str {
    if ok {
        "○"
    } else {
        "×"
    }
}

fn diagnostic_line(out: &mut String, d: &Diagnostic, show_file: bool) {
    let mut location = d.location();
    if show_file {
        if let Some(file) = &d.file {
            location = if location.is_empty() {
                file.clone()
            } else {
                format!("{file} {location}")
            };
        }
    }
    let location = if location.is_empty() {
        String::new()
    } else {
        format!("{location}: ")
    };
    let _ = writeln!(
        out,
        "    [{}] {location}{} ({})",
        d.severity.label(),
        d.message,
        d.code
    );
}

/// Renders the report as plain text, one block per file and per send unit.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ケアプランデータ連携 標準仕様チェック（{} ファイル・送信単位 {} 件）",
        report.files.len(),
        report.units.len()
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "■ ファイル");
    for file in &report.files {
        let version = file
            .csv_version
            .as_deref()
            .map(|v| format!("・CSVバージョン {v}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {}（{}{version}）",
            mark(file.ok),
            file.name,
            file.kind_name
        );
        for d in &file.diagnostics {
            diagnostic_line(&mut out, d, false);
        }
        if file.suppressed > 0 {
            let _ = writeln!(
                out,
                "    （同じ種類の指摘がほかに {} 件あります）",
                file.suppressed
            );
        }
    }
    if !report.units.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "■ 送信単位（連番ごと。相手はこの順に取り込みます）");
        for unit in &report.units {
            let _ = writeln!(
                out,
                "  {} 連番 {}：{}（{} ファイル）",
                mark(unit.ok),
                unit.serial,
                unit.type_name,
                unit.files.len()
            );
            for d in &unit.diagnostics {
                diagnostic_line(&mut out, d, true);
            }
        }
    }
    let _ = writeln!(out);
    let (errors, warnings) = (report.error_count(), report.warning_count());
    if report.ok {
        let note = if warnings > 0 {
            format!("警告 {warnings} 件は内容を確認してください。")
        } else {
            String::new()
        };
        let _ = writeln!(out, "結果：送信できます。{note}");
    } else {
        let _ = writeln!(out, "結果：このままでは送信できません（エラー {errors} 件・警告 {warnings} 件）。各メッセージに従って直してください。");
    }
    out
}
