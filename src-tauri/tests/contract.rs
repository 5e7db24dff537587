//! The contract between the real commands and the fake backend of the screen tests: every case of
//! `ui/src/backend/contract-cases.json`, run here against the commands on the mock runtime with a
//! demo relay; `ui/src/backend/contract.test.ts` runs the same cases against the fake. A rule that
//! differs fails one side.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct Contract {
    givens: BTreeMap<String, Vec<GivenItem>>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum GivenItem {
    Given(String),
    Step(Step),
}

#[derive(Deserialize)]
struct Case {
    name: String,
    given: String,
    steps: Vec<Step>,
}

#[derive(Deserialize)]
struct Step {
    command: String,
    args: Value,
    expect: Value,
    save_as: Option<String>,
}

fn contract() -> Contract {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../ui/src/backend/contract-cases.json");
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

/// The real side's world: the demo relay's office (the fake's is the same office), real files.
fn world(demo: &DemoRelay) -> BTreeMap<&'static str, Value> {
    let office = demo.office(HOME_HELP);
    let file_name =
        |path: &std::path::Path| path.file_name().unwrap().to_string_lossy().into_owned();
    let actual = fixture_paths("v41-actual");
    let broken = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/invalid/csv.encoding.bom/UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV");
    // A 実績 deletion for an office the register does not know: the fake's name, real content.
    let stray =
        temp_dir("contract").join("DLTJSK_202504_1370000026_11_1390000095_43_20250501110000.CSV");
    std::fs::copy(&fixture_paths("v41-actual-delete")[0], &stray).unwrap();
    BTreeMap::from([
        ("relay_url", json!(demo.url())),
        // The relay's host on the portal's port (the contract's relay serves no portal).
        (
            "portal_url",
            json!(demo.url().rsplit_once(':').unwrap().0.to_owned() + ":8444"),
        ),
        ("ca", json!(demo.info.ca_certificate)),
        ("p12", json!(office.pkcs12)),
        ("p12_name", json!(file_name(&office.pkcs12))),
        ("p12_password", json!(office.pkcs12_password)),
        ("personal_id", json!(office.personal_user_id)),
        ("personal_password", json!(office.personal_password)),
        ("office_user_id", json!(office.office_user_id)),
        ("office_password", json!(office.office_password)),
        ("own_office", json!(office.number)),
        ("valid_files", json!(actual)),
        ("broken_files", json!([broken])),
        ("bulk_files", json!([actual[0], stray])),
        ("fetch_folder", json!(temp_dir("contract-fetch"))),
    ])
}

struct Run<'a> {
    app: DesktopApp,
    world: &'a BTreeMap<&'static str, Value>,
    saved: BTreeMap<String, Value>,
}

impl Run<'_> {
    fn resolve(&self, value: &Value, settings: &Value) -> Value {
        match value {
            Value::String(text) if text.starts_with('$') => {
                let name = &text[1..];
                // `$name` (a path of the world), `$settings.field`, or `$saved.field.field…` (an
                // earlier answer).
                let found = match name.split_once('.') {
                    Some(("settings", fields)) => Some(settings).and_then(|s| walk(s, fields)),
                    Some((saved, fields)) => self.saved.get(saved).and_then(|s| walk(s, fields)),
                    None => self.world.get(name),
                };
                found
                    .cloned()
                    .unwrap_or_else(|| panic!("{text} is not known"))
            }
            Value::Array(items) => items.iter().map(|v| self.resolve(v, settings)).collect(),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.resolve(v, settings)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// Runs one step; what differs from the contract, if anything.
    fn step(&mut self, step: &Step) -> Result<(), String> {
        let settings: Value = self.app.invoke("get_settings", json!({})).unwrap();
        let args = self.resolve(&step.args, &settings);
        let expect = self.resolve(&step.expect, &settings);
        let label = format!("{}({args})", step.command);
        let answer = self.app.invoke::<Value>(&step.command, args.clone());
        match (&answer, expect.get("error"), expect.get("ok")) {
            (Err(error), Some(code), None) if error.code != code.as_str().unwrap() => {
                return Err(format!(
                    "{label}: expected the error {code}, got {}: {}",
                    error.code, error.message
                ));
            }
            (Err(error), Some(_), None) if error.message.is_ascii() => {
                return Err(format!(
                    "{label}: not a Japanese message: {}",
                    error.message
                ));
            }
            (Err(_), Some(_), None) => {}
            (Ok(value), None, Some(ok)) => {
                if let Some(difference) = mismatch(ok, value, "answer") {
                    return Err(format!("{label}: {difference}"));
                }
            }
            (answer, _, _) => return Err(format!("{label}: expected {expect}, got {answer:?}")),
        }
        if let (Some(name), Ok(value)) = (&step.save_as, answer) {
            self.saved.insert(name.clone(), value);
        }
        Ok(())
    }

    fn given(
        &mut self,
        givens: &BTreeMap<String, Vec<GivenItem>>,
        name: &str,
    ) -> Result<(), String> {
        for item in givens
            .get(name)
            .unwrap_or_else(|| panic!("no given {name}"))
        {
            match item {
                GivenItem::Given(other) => self.given(givens, other)?,
                GivenItem::Step(step) => {
                    self.step(step).map_err(|e| format!("given {name}: {e}"))?
                }
            }
        }
        Ok(())
    }
}

/// Where `actual` differs from what `expected` says: objects by key, arrays item by item with
/// the same length, null also for a command that answers nothing.
fn mismatch(expected: &Value, actual: &Value, at: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(wanted), Value::Object(got)) => wanted.iter().find_map(|(key, item)| {
            mismatch(
                item,
                got.get(key).unwrap_or(&Value::Null),
                &format!("{at}.{key}"),
            )
        }),
        (Value::Array(wanted), Value::Array(got)) if wanted.len() == got.len() => wanted
            .iter()
            .zip(got)
            .enumerate()
            .find_map(|(i, (w, g))| mismatch(w, g, &format!("{at}[{i}]"))),
        (wanted, got) if wanted == got => None,
        (wanted, got) => Some(format!("{at}: expected {wanted}, got {got}")),
    }
}

#[test]
fn the_real_commands_keep_the_contract_of_the_fake_backend() {
    let demo = demo_relay();
    let world = world(&demo);
    let contract = contract();
    let mut broken = Vec::new();
    for case in &contract.cases {
        let mut run = Run {
            app: DesktopApp::start(),
            world: &world,
            saved: BTreeMap::new(),
        };
        let result = run
            .given(&contract.givens, &case.given)
            .and_then(|()| case.steps.iter().try_for_each(|step| run.step(step)));
        if let Err(difference) = result {
            broken.push(format!("{}: {difference}", case.name));
        }
        // A practice relay stops with its app.
        run.app.invoke::<Value>("stop_practice", json!({})).unwrap();
    }
    assert!(
        broken.is_empty(),
        "{} of {} cases differ from the contract:\n{}",
        broken.len(),
        contract.cases.len(),
        broken.join("\n")
    );
}

/// The value at a dotted path of fields.
fn walk<'v>(value: &'v Value, fields: &str) -> Option<&'v Value> {
    fields.split('.').try_fold(value, |at, field| at.get(field))
}
