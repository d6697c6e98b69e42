//! `isms import soa|risks|findings FILE`: reads a spreadsheet, reports every problem at its
//! cell, and writes the ISMS files only when there is none (or, with `--dry-run`, shows the
//! change as `isms diff` does and writes nothing).

use std::collections::BTreeMap;
use std::path::Path;

use super::{FAILURE, Fatal, SUCCESS, print};
use crate::cli::{ImportArgs, ImportRegisterArg};
use crate::diagnostics::Severity;
use crate::diff::{self, Report, Revision, Side, Verdict};
use crate::import::{self, Current, FileChange, Overlay, Register, problem, sheet};
use crate::load::{self, Loaded};
use crate::source::{Source, WorkTree};
use crate::workspace::Workspace;

pub fn run(args: &ImportArgs) -> Result<u8, Fatal> {
    let register = match args.register {
        ImportRegisterArg::Soa => Register::Soa,
        ImportRegisterArg::Risks => Register::Risks,
        ImportRegisterArg::Findings => Register::Findings,
    };
    let workspace = Workspace::find(args.path.as_deref())?;
    let prefix = workspace.display_prefix();
    let tree = WorkTree::new(&workspace.root);
    let loaded = load::load(&tree, &prefix);
    let sheet = sheet::read(&args.file, args.sheet.as_deref(), register.likely_sheets())?;
    let read = |path: &str| -> Result<Option<String>, String> {
        match tree.read(path) {
            Ok(bytes) => String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| format!("{prefix}{path} is not UTF-8 text, so it cannot be edited")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {prefix}{path}: {e}")),
        }
    };
    let current = Current {
        isms: &loaded.isms,
        read: &read,
        finding_files: loaded
            .isms
            .findings
            .iter()
            .map(|f| {
                (
                    f.id.to_string(),
                    loaded.files.get(f.origin.file).path.clone(),
                )
            })
            .collect(),
    };
    let plan = import::plan(register, &sheet, &args.maps, &current)?;
    let file = args.file.display().to_string();
    let report = problem::Report {
        file: &file,
        sheet: &sheet.name,
        problems: &plan.problems,
    };
    anstream::eprint!("{report}");
    if plan.has_errors() {
        let errors = plan
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        anstream::eprintln!(
            "error: nothing imported: {errors} problem{} in {file} (sheet {}); fix the cells and import again",
            if errors == 1 { "" } else { "s" },
            sheet.name
        );
        return Ok(FAILURE);
    }
    let overlay = Overlay::new(
        &tree,
        plan.changes
            .iter()
            .map(|c| (c.path.clone(), c.after.clone().into_bytes())),
    );
    let after = load::load(&overlay, &prefix);
    refuse_unreadable(&loaded, &after, &plan.changes)?;
    if args.dry_run {
        print(&dry_run(&loaded, &after))?;
        anstream::eprintln!(
            "dry run: {} row{} read from {file} (sheet {}); {}; nothing written",
            plan.rows,
            if plan.rows == 1 { "" } else { "s" },
            sheet.name,
            plan.summary
        );
        return Ok(SUCCESS);
    }
    write(&workspace.root, &plan.changes)?;
    print(&format!(
        "imported {} row{} from {file} (sheet {}): {}\n",
        plan.rows,
        if plan.rows == 1 { "" } else { "s" },
        sheet.name,
        plan.summary
    ))?;
    if !plan.changes.is_empty() {
        print(
            "run `isms check` to see what the ISMS says now, and `isms diff` before committing\n",
        )?;
    }
    Ok(SUCCESS)
}

/// Refuses an import that would leave a file the loader cannot read (a defect of the import,
/// never of the user's sheet), so the ISMS is never left worse than it was.
fn refuse_unreadable(before: &Loaded, after: &Loaded, changes: &[FileChange]) -> Result<(), Fatal> {
    let errors = |loaded: &Loaded, path: &str| -> Vec<String> {
        loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .filter(|d| {
                d.origin
                    .as_ref()
                    .is_some_and(|o| loaded.files.get(o.file).path == path)
            })
            .map(|d| d.message.clone())
            .collect()
    };
    let mut new: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for change in changes {
        let old = errors(before, &change.path);
        let introduced: Vec<String> = errors(after, &change.path)
            .into_iter()
            .filter(|m| !old.contains(m))
            .collect();
        if !introduced.is_empty() {
            new.insert(&change.path, introduced);
        }
    }
    if new.is_empty() {
        return Ok(());
    }
    let list = new
        .iter()
        .map(|(path, messages)| format!("{path}: {}", messages.join("; ")))
        .collect::<Vec<_>>()
        .join("\n  ");
    Err(Fatal(format!(
        "nothing imported: the result would not load:\n  {list}\n  help: this is a defect of isms import; please report it with the sheet's headings"
    )))
}

/// The change in ISMS terms, as `isms diff` prints it.
fn dry_run(before: &Loaded, after: &Loaded) -> String {
    let changes = diff::diff(
        Side {
            isms: &before.isms,
            files: &before.files,
        },
        Side {
            isms: &after.isms,
            files: &after.files,
        },
    );
    Report {
        version: 1,
        base: Revision {
            rev: "working tree".into(),
            commit: None,
        },
        head: Revision {
            rev: "after import".into(),
            commit: None,
        },
        changes,
        impartiality: Verdict {
            unavailable: Some(
                "a dry run commits nothing; the authors are judged when the import is committed"
                    .into(),
            ),
            ..Verdict::default()
        },
    }
    .markdown()
}

/// Writes every change: each file replaced atomically (a temporary file renamed over it).
fn write(root: &Path, changes: &[FileChange]) -> Result<(), Fatal> {
    for (i, change) in changes.iter().enumerate() {
        let path = root.join(&change.path);
        let written = match change.before {
            Some(_) => crate::scaffold::replace(&path, &change.after),
            None => crate::scaffold::write_new(&path, &change.after),
        };
        if let Err(e) = written {
            let done: Vec<&str> = changes[..i].iter().map(|c| c.path.as_str()).collect();
            return Err(Fatal(if done.is_empty() {
                e
            } else {
                format!(
                    "{e}\n  note: written before the failure: {}",
                    done.join(", ")
                )
            }));
        }
    }
    Ok(())
}
