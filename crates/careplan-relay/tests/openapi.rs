//! The OpenAPI document: generated from the code, served by the relay, committed as
//! `docs/openapi.json`, and in agreement with the TypeScript bindings the desktop app uses.
//!
//! After a change to the API: `CAREPLAN_WRITE_OPENAPI=1 cargo test -p careplan-relay --test openapi`
//! writes the document, to be committed with the change.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::*;

fn repository(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// The document as the code makes it, pretty-printed as committed.
async fn generated() -> (TestRelay, serde_json::Value) {
    let relay = TestRelay::start().await;
    let document = careplan_relay::api::openapi_document(&relay.relay.state);
    (relay, document)
}

#[tokio::test]
async fn the_committed_document_is_what_the_code_generates_and_what_the_relay_serves() {
    let (relay, document) = generated().await;
    let text = serde_json::to_string_pretty(&document).unwrap() + "\n";
    let committed_path = repository("docs/openapi.json");
    if std::env::var_os("CAREPLAN_WRITE_OPENAPI").is_some() {
        std::fs::write(&committed_path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == text,
        "docs/openapi.json differs from the code: run CAREPLAN_WRITE_OPENAPI=1 cargo test -p careplan-relay --test openapi and commit it"
    );
    assert_eq!(document["openapi"], "3.1.0");
    // Served without a login, on the mutual TLS listener.
    let served: serde_json::Value = ok_json(
        relay
            .https(CARE_MANAGER)
            .get(relay.api_url("/v1/openapi.json"))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(served, document);
    // Every route the router has is described (and nothing else).
    let paths: BTreeSet<&str> = document["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for path in [
        "/v1/login/personal",
        "/v1/login/office",
        "/v1/logout",
        "/v1/home",
        "/v1/offices/{number}",
        "/v1/directory",
        "/v1/messages",
        "/v1/bulk",
        "/v1/inbox",
        "/v1/outbox",
        "/v1/outbox/earlier-sends",
        "/v1/certificate",
        "/v1/files/{id}/content",
        "/v1/files/{id}/ack",
        "/v1/files/{id}/receipt",
        "/v1/receipt-key",
        "/v1/drafts",
        "/v1/drafts/{id}",
        "/v1/drafts/{id}/files/{file_id}/content",
        "/v1/drafts/{id}/send",
        "/v1/openapi.json",
    ] {
        assert!(paths.contains(path), "{path} is not described");
    }
    assert_eq!(paths.len(), 25, "{paths:?}");
}

/// The top-level property names of `export type X = { a: …, b?: … };`, or the string literals of
/// `export type X = "a" | "b";`.
fn binding_names(source: &str) -> BTreeSet<String> {
    // Drop the doc comments, which may contain anything.
    let mut text = String::new();
    let mut rest = source;
    while let Some(start) = rest.find("/**") {
        text.push_str(&rest[..start]);
        rest = &rest[start + 3..];
        rest = &rest[rest.find("*/").map_or(rest.len(), |end| end + 2)..];
    }
    text.push_str(rest);
    let definition = &text[text.find("export type").expect("a type")..];
    let body = &definition[definition.find('=').unwrap() + 1..];
    let mut names = BTreeSet::new();
    if body.trim_start().starts_with('"') {
        for literal in body.split('|') {
            names.insert(
                literal
                    .trim()
                    .trim_end_matches(';')
                    .trim_matches('"')
                    .to_owned(),
            );
        }
        return names;
    }
    let (mut depth, mut word) = (0, String::new());
    for c in body.chars() {
        match c {
            '{' | '<' | '[' | '(' => depth += 1,
            '}' | '>' | ']' | ')' => depth -= 1,
            _ => {}
        }
        if depth == 1 && (c.is_alphanumeric() || c == '_') {
            word.push(c);
            continue;
        }
        if depth == 1 && (c == ':' || c == '?') && !word.is_empty() {
            names.insert(std::mem::take(&mut word));
            continue;
        }
        word.clear();
    }
    names
}

#[tokio::test]
async fn the_typescript_bindings_and_the_document_agree_on_every_wire_type() {
    let (_relay, document) = generated().await;
    let schemas = document["components"]["schemas"].as_object().unwrap();
    // The multipart bodies are the relay's own description of a form, not a wire type.
    let forms = ["SendForm", "BulkForm"];
    let mut compared = 0;
    for (name, schema) in schemas {
        if forms.contains(&name.as_str()) {
            continue;
        }
        let path = repository(&format!("ui/src/bindings/{name}.ts"));
        let binding = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{name} has no binding {}: {e}", path.display()));
        if let Some(variants) = schema.get("oneOf") {
            // A tagged union (the feed's events): the same variants, by their `kind`.
            assert_eq!(
                union_tags(variants),
                binding_tags(&binding),
                "{name}: document vs ui/src/bindings/{name}.ts"
            );
            compared += 1;
            continue;
        }
        let in_binding = binding_names(&binding);
        let in_document: BTreeSet<String> = match (schema.get("properties"), schema.get("enum")) {
            (Some(properties), _) => properties.as_object().unwrap().keys().cloned().collect(),
            (None, Some(values)) => values
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect(),
            _ => panic!("{name}: neither an object nor an enum: {schema}"),
        };
        assert_eq!(
            in_document, in_binding,
            "{name}: document vs ui/src/bindings/{name}.ts"
        );
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} wire types compared");
}

/// The `kind` of each variant of a tagged union in the document (inline, or beside a `$ref`).
fn union_tags(variants: &serde_json::Value) -> BTreeSet<String> {
    variants
        .as_array()
        .unwrap()
        .iter()
        .map(|variant| {
            let own =
                std::iter::once(variant).chain(variant["allOf"].as_array().into_iter().flatten());
            own.filter_map(|part| part["properties"]["kind"]["enum"][0].as_str())
                .next()
                .unwrap_or_else(|| panic!("a variant without its kind: {variant}"))
                .to_owned()
        })
        .collect()
}

/// The `"kind": "…"` values of a union binding.
fn binding_tags(binding: &str) -> BTreeSet<String> {
    binding
        .split("\"kind\": \"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

#[test]
fn binding_names_are_read_at_the_top_level_only() {
    let names = binding_names(
        "/** a: b */\nexport type X = { a: string, /** c: d */ b?: { [key in string]?: string }, e: Array<{ f: number }>, };",
    );
    assert_eq!(names, BTreeSet::from(["a".into(), "b".into(), "e".into()]));
    assert_eq!(
        binding_names("export type C = \"register\" | \"delete\";"),
        BTreeSet::from(["register".into(), "delete".into()])
    );
}
