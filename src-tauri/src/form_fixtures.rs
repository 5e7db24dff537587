//! The data of the forms' screen tests, written the way ts-rs writes the bindings: what
//! `open_files` answers for fixture folders, and what `reconcile_files` answers for a pair with
//! every kind of difference, as pretty JSON in `ui/src/forms/fixtures/`. scripts/run-tests.sh
//! checks that the committed files are what this writes.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::commands::reading::{compare, load_from_disk, opened_files};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A fixture folder's files, as the paths the UI passes, in name order.
fn paths(case: &str) -> Vec<String> {
    careplan_test_support::fixtures::fixture_paths(case)
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

fn write(name: &str, value: &impl Serialize) -> String {
    let folder = repository().join("ui/src/forms/fixtures");
    std::fs::create_dir_all(&folder).unwrap();
    let json = serde_json::to_string_pretty(value).unwrap() + "\n";
    std::fs::write(folder.join(format!("{name}.json")), &json).unwrap();
    json
}

/// The valid cases the forms are tested on, by their folder under fixtures/valid.
const VALID: &[&str] = &[
    "v41-plan",
    "v41-plan-long",
    "v41-use-sheet",
    "v41-use-sheet-subtotal",
    "v41-use-sheet-day-rate",
    "v41-actual",
    "v41-actual-welfare-equipment",
    "v41-prevention",
    "v41-plan-delete",
    "v41-use-sheet-delete",
    "v41-actual-delete",
    "v41-basic-info-delete",
    "v41-prevention-plan-delete",
    "v32-plan",
];

#[test]
fn write_form_fixtures() {
    let machine_path = repository().canonicalize().unwrap().display().to_string();
    for case in VALID {
        let opened = opened_files(load_from_disk(&paths(&format!("valid/{case}"))));
        assert!(opened.ok, "{case}: {:?}", opened.diagnostics);
        assert!(opened.others.is_empty(), "{case}: {:?}", opened.others);
        assert!(!opened.units.is_empty(), "{case}");
        let json = write(case, &opened);
        assert!(!json.contains(&machine_path), "{case}: file names only");
    }

    let opened = opened_files(load_from_disk(&paths("invalid/item.time.invalid")));
    assert!(!opened.ok);
    let finding = opened
        .diagnostics
        .iter()
        .find(|d| d.code == "item.time.invalid")
        .expect("the broken time's finding");
    assert!(
        finding.line.is_some() && finding.item_no.is_some(),
        "{finding:?}"
    );
    assert!(finding.file.is_some());
    assert!(!write("invalid-time", &opened).contains(&machine_path));

    // A send unit without the files it needs: a finding about the send, not one file's items.
    let opened = opened_files(load_from_disk(&paths("invalid/unit.incomplete")));
    assert!(opened
        .diagnostics
        .iter()
        .any(|d| d.code == "unit.incomplete"));
    assert!(!write("invalid-unit-incomplete", &opened).contains(&machine_path));

    // Findings on records that read: shown on the form at their item (a warning) or line (an error).
    for (case, name, code) in [
        (
            "warning/item.office.check_digit",
            "warning-check-digit",
            "item.office.check_digit",
        ),
        (
            "invalid/file.use_date_outside_month",
            "invalid-outside-month",
            "file.use_date_outside_month",
        ),
    ] {
        let opened = opened_files(load_from_disk(&paths(case)));
        assert!(
            opened.files.iter().all(|f| f.file.unreadable.is_empty()),
            "{case}"
        );
        assert!(
            opened
                .diagnostics
                .iter()
                .any(|d| d.code == code && d.line.is_some()),
            "{case}"
        );
        assert!(!write(name, &opened).contains(&machine_path));
    }

    let result = compare(
        load_from_disk(&paths("reconcile/plan-differences")),
        load_from_disk(&paths("reconcile/actual-differences")),
    )
    .unwrap();
    use careplan_records::reconcile::{DayStatus, PersonStatus};
    let first = &result.people[0];
    assert_eq!(first.status, PersonStatus::Differences);
    let days: Vec<_> = first.services.iter().flat_map(|s| &s.days).collect();
    for status in [
        DayStatus::Matching,
        DayStatus::PlannedNotDone,
        DayStatus::DoneNotPlanned,
        DayStatus::Changed,
    ] {
        assert!(days.iter().any(|d| d.status == status), "{status:?}");
    }
    assert!(days.iter().any(|d| d.time_changed && !d.count_changed));
    assert!(days.iter().any(|d| d.count_changed && !d.time_changed));
    assert!(days.iter().any(|d| d.count_changed && d.time_changed));
    let offices: std::collections::BTreeSet<&str> = first
        .services
        .iter()
        .map(|s| s.provider_number.as_str())
        .collect();
    assert_eq!(offices.len(), 2, "two 事業所");
    assert_eq!(first.person.name.as_deref(), Some("山田　花子"));
    assert_eq!(result.people[1].status, PersonStatus::Matching);
    assert!(!write("reconcile-differences", &result).contains(&machine_path));
}
