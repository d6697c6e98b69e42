//! `isms rules --documented-information [PATH]`: the clauses whose documented information
//! ISO/IEC 27001:2022 requires (DOC007's list), what may carry each, and what carries it in an
//! ISMS.

use std::fmt::Write as _;
use std::path::Path;

use super::{Fatal, SUCCESS, print};
use crate::load;
use crate::model::Isms;
use crate::rules::{MANDATORY, carriers};
use crate::source::WorkTree;
use crate::workspace::Workspace;

pub fn run(path: Option<&Path>) -> Result<u8, Fatal> {
    // An explicit folder must be an ISMS; without one, the nearest ISMS is shown if there is one.
    let workspace = match path {
        Some(p) => Some(Workspace::find(Some(p))?),
        None => Workspace::find(None).ok(),
    };
    let loaded = workspace
        .as_ref()
        .map(|w| load::load(&WorkTree::new(&w.root), &w.display_prefix()));
    print(&render(loaded.as_ref().map(|l| &l.isms)))?;
    Ok(SUCCESS)
}

/// The list, with each clause's carriers when an ISMS is given.
fn render(isms: Option<&Isms>) -> String {
    let mut text = String::from(
        "Documented information required by ISO/IEC 27001:2022 (7.5.1 a), checked by DOC007.\n\
         Each clause is carried by an approved, non-draft document with the clause in its\n\
         `clauses`, or by the records named.\n",
    );
    let mut missing = 0;
    for m in MANDATORY {
        let _ = write!(text, "\n{:<7}{}\n", m.clause, m.what);
        let records: Vec<&str> = m.records.iter().map(|r| r.describe()).collect();
        let records = if records.is_empty() {
            "a document only".to_string()
        } else {
            format!("a document, or {}", records.join(", or "))
        };
        let _ = writeln!(text, "       may be: {records}");
        if let Some(isms) = isms {
            let found = carriers(isms, m);
            if found.is_empty() {
                missing += 1;
                let rule = m.reported_by.map_or("DOC007", |r| r.code());
                let _ = writeln!(text, "       here:   nothing ({rule})");
            } else {
                let _ = writeln!(text, "       here:   {}", found.join(", "));
            }
        }
    }
    match isms {
        Some(_) => {
            let _ = write!(
                text,
                "\n{} of {} clauses carried.\n",
                MANDATORY.len() - missing,
                MANDATORY.len()
            );
        }
        None => text.push_str("\nGive an ISMS folder to see what carries each clause there.\n"),
    }
    text
}
