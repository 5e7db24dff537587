//! docs/records-json.md lists every field of every record type with its item and JSON type; this
//! keeps the list and the types in step. `CAREPLAN_UPDATE_DOCS=1 cargo test -p careplan-records
//! --test json_doc` rewrites the list from the types.

use std::path::Path;

use careplan_records::file::fields_of;
use careplan_records::record::FieldItem;
use careplan_records::values::ValueKind;
use careplan_spec::layout::{layout, CsvVersion};
use careplan_spec::FileKind;

const BEGIN: &str = "<!-- fields: generated from the record types; see crates/careplan-records/tests/json_doc.rs -->";
const END: &str = "<!-- end of fields -->";

fn json_type(field: &FieldItem) -> String {
    let base = match field.kind {
        ValueKind::Text => return "string".to_owned(),
        ValueKind::Date => "`\"YYYY-MM-DD\"`",
        ValueKind::YearMonth => "`\"YYYY-MM\"`",
        ValueKind::Time => return "`\"HH:MM\"` or null (`9999` / empty)".to_owned(),
        ValueKind::Integer => "number",
        ValueKind::Decimal => "number",
        ValueKind::Code | ValueKind::ServiceKind => "Coded",
        ValueKind::ServiceCode => "ServiceCode",
        ValueKind::SummaryServiceCode => "SupplementCode",
        ValueKind::DayFlags => "boolean[]",
    };
    if field.optional {
        format!("{base} or null")
    } else {
        base.to_owned()
    }
}

fn generated() -> String {
    let mut out = String::new();
    for &kind in FileKind::ALL {
        let Some(fields) = fields_of(kind) else {
            continue;
        };
        if kind == FileKind::UseActual {
            continue; // the same record type as UPPLAN
        }
        let layout = layout(kind, CsvVersion::V202407).expect("every CSV kind has a v4.1 layout");
        let title = if kind == FileKind::UsePlan {
            "`UPPLAN` and `UPJSK` サービス利用票（第6表）予定 and 実績情報".to_owned()
        } else {
            format!("`{}` {}", kind.prefix(), kind.japanese_name())
        };
        out.push_str(&format!(
            "\n#### {title}\n\n| field | No. | item | JSON |\n|---|---|---|---|\n"
        ));
        out.push_str("| `line` | | (the record's first line in the file) | number |\n");
        for field in fields {
            let no = layout
                .items
                .iter()
                .enumerate()
                .filter(|(_, i)| i.name == field.item)
                .nth(field.nth - 1)
                .map(|(n, _)| (n + 1).to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "| `{}` | {no} | {} | {} |\n",
                field.field,
                field.item,
                json_type(field)
            ));
        }
        if matches!(kind, FileKind::Plan2 | FileKind::YoboSub) {
            out.push_str("| `continuation` | | (derived) the row repeats the row above's 課題 / 目標 | `{issue, goal}` booleans |\n");
        }
    }
    out
}

#[test]
fn the_json_doc_lists_every_field_of_every_record_type() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/records-json.md");
    let doc = std::fs::read_to_string(&path).expect("docs/records-json.md exists");
    let (head, rest) = doc
        .split_once(BEGIN)
        .expect("the doc has the fields marker");
    let (current, tail) = rest.split_once(END).expect("the doc has the end marker");
    let expected = generated();
    if std::env::var_os("CAREPLAN_UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{head}{BEGIN}\n{expected}\n{END}{tail}")).unwrap();
        return;
    }
    assert!(
        current.trim() == expected.trim(),
        "docs/records-json.md's field list differs from the record types; run CAREPLAN_UPDATE_DOCS=1 cargo test -p careplan-records --test json_doc and review the diff"
    );
}
