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
