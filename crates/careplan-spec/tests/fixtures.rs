//! Runs the validator over every fixture folder and checks the verdict the folder promises:
//! `valid/<case>` passes without a single finding, `invalid/<rule>` fails with that rule's code,
//! `warning/<rule>` passes with that rule's warning. Every rule of the catalogue has a folder.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use careplan_spec::{validate, Code, InputFile, Report, Severity};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn files_under(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, fs::read(&path).unwrap()));
        }
    }
}

fn validate_folder(dir: &Path) -> Report {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    assert!(!files.is_empty(), "{} is empty", dir.display());
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    validate(&inputs)
}

fn cases(group: &str) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = fs::read_dir(fixtures_dir().join(group))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// `unit.incomplete--v41-plan-without-table-3` → `unit.incomplete`.
fn rule_of(case: &str) -> Code {
    let code = case.split("--").next().unwrap();
    Code::from_str_code(code).unwrap_or_else(|| panic!("folder {case} names no rule"))
}

/// Rules whose fixture cannot break them alone: the other errors that necessarily follow.
fn cascades(code: Code) -> &'static [Code] {
    match code {
        // A 補足 of another month is also a 補足 whose records join no 第6表 record, and the reverse.
        Code::UnitMonthDiffers => &[Code::UnitKeyMissing, Code::UnitKeyOrphan],
        _ => &[],
    }
}

fn codes(report: &Report, severity: Severity) -> BTreeSet<Code> {
    report
        .diagnostics()
        .filter(|d| d.severity == severity)
        .map(|d| d.code)
        .collect()
}

fn describe(report: &Report) -> String {
    report
        .diagnostics()
        .map(|d| format!("{} {:?} {}", d.code, d.file, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn valid_fixtures_pass_without_findings() {
    let cases = cases("valid");
    assert!(cases.len() >= 18);
    for (case, dir) in cases {
        let report = validate_folder(&dir);
        assert!(report.ok, "{case} should be valid:\n{}", describe(&report));
        assert_eq!(
            report.diagnostics().count(),
            0,
            "{case} should have no findings:\n{}",
            describe(&report)
        );
        assert!(!report.units.is_empty(), "{case} forms at least one unit");
        assert!(report.units.iter().all(|u| u.unit_type.is_some()), "{case}");
    }
}

#[test]
fn invalid_fixtures_fail_with_their_rule_and_only_that() {
    for (case, dir) in cases("invalid") {
        let rule = rule_of(&case);
        assert_eq!(
            rule.severity(),
            Severity::Error,
            "{case} is in invalid/ but its rule only warns"
        );
        let report = validate_folder(&dir);
        assert!(!report.ok, "{case} should be invalid");
        let errors = codes(&report, Severity::Error);
        assert!(
            errors.contains(&rule),
            "{case}: expected {rule}, got:\n{}",
            describe(&report)
        );
        let unexpected: Vec<Code> = errors
            .iter()
            .copied()
            .filter(|c| *c != rule && !cascades(rule).contains(c))
            .collect();
        assert!(
            unexpected.is_empty(),
            "{case}: unexpected {unexpected:?}:\n{}",
            describe(&report)
        );
        for d in report.diagnostics() {
            assert!(
                !d.message.is_empty() && !d.message.is_ascii(),
                "{case}: messages are Japanese: {}",
                d.message
            );
        }
    }
}

#[test]
fn warning_fixtures_pass_with_their_warning() {
    for (case, dir) in cases("warning") {
        let rule = rule_of(&case);
        assert_eq!(rule.severity(), Severity::Warning, "{case}");
        let report = validate_folder(&dir);
        assert!(
            report.ok,
            "{case} should still be sendable:\n{}",
            describe(&report)
        );
        assert_eq!(
            codes(&report, Severity::Warning),
            BTreeSet::from([rule]),
            "{case}:\n{}",
            describe(&report)
        );
        assert!(codes(&report, Severity::Error).is_empty());
    }
}

#[test]
fn every_rule_has_a_fixture() {
    let covered: BTreeSet<Code> = cases("invalid")
        .iter()
        .chain(cases("warning").iter())
        .map(|(case, _)| rule_of(case))
        .collect();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !covered.contains(c))
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture folder: {missing:?}"
    );
}

#[test]
fn real_world_traps_are_explained() {
    let message = |case: &str| {
        let report = validate_folder(&fixtures_dir().join("invalid").join(case));
        report
            .diagnostics()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        message("name.unknown_prefix").contains("「UPKIHON」"),
        "suggests the right prefix"
    );
    assert!(
        message("record.day_grid").contains("1行"),
        "explains one row per day"
    );
    assert!(
        message("record.kind_mismatch").contains("実績情報（第6表）の形"),
        "names the content's real type"
    );
    assert!(message("csv.encoding.bom").contains("BOM"));
    assert!(message("csv.header_row").contains("見出し"));
}

#[test]
fn findings_point_at_lines_and_items() {
    let report = validate_folder(&fixtures_dir().join("invalid/item.date.invalid"));
    let d = report
        .diagnostics()
        .find(|d| d.code == Code::ItemDateInvalid)
        .unwrap();
    assert_eq!(d.line, Some(2));
    assert_eq!(
        d.item.as_ref().map(|i| (i.no, i.name)),
        Some((10, "サービス利用日"))
    );
    assert!(d.file.as_deref().unwrap().starts_with("UPJSK_202504_"));
}

#[test]
fn the_rule_catalogue_in_docs_lists_every_rule() {
    let doc = fs::read_to_string(fixtures_dir().join("../docs/validation-rules.md")).unwrap();
    for code in Code::ALL {
        let severity = match code.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let row = format!("| `{}` | {severity} | {} |", code.as_str(), code.summary());
        assert!(
            doc.contains(&row),
            "docs/validation-rules.md lacks or misstates: {row}"
        );
    }
}
