//! The committed JSON Schemas under schema/ match the Rust types.
//! Regenerate them with `UPDATE_SCHEMAS=1 cargo test --test schema`.

use std::path::Path;

use isms::schema::{KINDS, schema_text};

#[test]
fn committed_schemas_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (kind, _) in KINDS {
        let path = dir.join(format!("{kind}.schema.json"));
        let expected = schema_text(kind).unwrap();
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &expected).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(expected.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date (run `UPDATE_SCHEMAS=1 cargo test --test schema`): {stale:?}"
    );
}

#[test]
fn schemas_are_draft_07_and_strict() {
    for (kind, _) in KINDS {
        let schema: serde_json::Value = serde_json::from_str(&schema_text(kind).unwrap()).unwrap();
        assert_eq!(
            schema["$schema"], "http://json-schema.org/draft-07/schema#",
            "{kind}"
        );
        assert_eq!(
            schema["additionalProperties"], false,
            "{kind} rejects unknown fields"
        );
    }
    let risks: serde_json::Value = serde_json::from_str(&schema_text("risks").unwrap()).unwrap();
    let text = risks.to_string();
    assert!(text.contains("\"residual_likelihood\""), "{text}");
    assert!(text.contains("\"format\":\"date\""), "{text}");
}

/// Whether `value` (TOML read as JSON) is valid against the committed schema of `kind`.
fn valid(kind: &str, toml_text: &str) -> bool {
    let schema: serde_json::Value =
        serde_json::from_str(&isms::schema::schema_text(kind).unwrap()).unwrap();
    let value: toml::Value = toml::from_str(toml_text).unwrap();
    let value = serde_json::to_value(value).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("schema.json", schema).unwrap();
    let index = compiler.compile("schema.json", &mut schemas).unwrap();
    schemas.validate(&value, index).is_ok()
}

#[test]
fn a_nonconformity_without_risk_breaks_the_finding_schema() {
    let finding = "id = \"F-1\"\naudit = \"IA-1\"\ntype = \"minor-nc\"\nraised_by = \"dave\"\nraised_on = \"2026-03-12\"\n";
    assert!(!valid("finding", finding));
    assert!(valid("finding", &format!("{finding}risk = \"low\"\n")));
    // An observation needs no risk.
    assert!(valid(
        "finding",
        &finding.replace("minor-nc", "observation")
    ));
}

#[test]
fn isms_schema_takes_audits_as_audit_once_and_bounds_the_share() {
    let head = "[organisation]\nname = \"A\"\nscope = \"B\"\n";
    assert!(valid("isms", &format!("{head}[audits]\nnotice_days = 7\n")));
    assert!(!valid(
        "isms",
        &format!("{head}[audit]\nnotice_days = 7\n[audits]\nnotice_days = 7\n")
    ));
    assert!(valid(
        "isms",
        &format!("{head}[audit]\nmax_document_review_share = 0.5\n")
    ));
    assert!(!valid(
        "isms",
        &format!("{head}[audit]\nmax_document_review_share = 1.5\n")
    ));
}
