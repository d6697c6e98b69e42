//! `isms schema [KIND]`: the JSON Schema of a file kind, for editors.

use super::{Fatal, SUCCESS};
use crate::schema::{KINDS, schema_text};
use crate::suggest;

pub fn run(kind: Option<&str>) -> Result<u8, Fatal> {
    let Some(kind) = kind else {
        let mut text = String::from("Kinds with a JSON Schema (`isms schema KIND` prints one):\n");
        for (kind, file) in KINDS {
            text.push_str(&format!("  {kind:<10} {file}\n"));
        }
        super::print(&text)?;
        return Ok(SUCCESS);
    };
    match schema_text(kind) {
        Some(text) => {
            super::print(&text)?;
            Ok(SUCCESS)
        }
        None => {
            let hint = suggest::hint(kind, KINDS.iter().map(|(k, _)| *k))
                .map_or(String::new(), |h| format!(" ({h})"));
            Err(Fatal(format!(
                "`{kind}` is not a file kind{hint}\n  help: `isms schema` lists the kinds"
            )))
        }
    }
}
