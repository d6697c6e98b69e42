//! `isms frameworks [NAME]` and `isms export framework [NAME]`: the regulatory overlays
//! isms.toml enables, requirement by requirement.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use super::check::today;
use super::{Fatal, SUCCESS, print};
use crate::catalog;
use crate::check::{self, Outcome};
use crate::cli::{ExportFormat, FrameworkExportArgs, FrameworksArgs, FrameworksFormat};
use crate::export::{self, Format, Register, Table};
use crate::frameworks::{self, Assessor, FrameworkStatus, Status};
use crate::workspace::Workspace;

pub fn run(args: &FrameworksArgs) -> Result<u8, Fatal> {
    let today = today(args.today.as_deref())?;
    let (name, path) = name_and_path(args.name.as_deref(), args.path.as_ref());
    let workspace = Workspace::find(path.as_deref())?;
    let outcome = check::run(&workspace, today);
    let assessor = Assessor::new(&outcome.isms, catalog::iso27001(), today);
    let statuses: Vec<FrameworkStatus> = match name {
        Some(name) => vec![one(&outcome, &assessor, name)?],
        None => outcome
            .isms
            .frameworks
            .iter()
            .map(|p| assessor.framework(p, pack_file(&outcome, p)))
            .collect(),
    };
    let text = match args.format {
        FrameworksFormat::Json => {
            let mut text = serde_json::to_string_pretty(&serde_json::json!({
                "version": 1,
                "date": today.to_string(),
                "frameworks": statuses,
            }))
            .map_err(|e| Fatal(format!("cannot write JSON: {e}")))?;
            text.push('\n');
            text
        }
        FrameworksFormat::Human if statuses.is_empty() => format!(
            "No framework is enabled. Add the ones the ISMS must answer to the top of isms.toml, for example:\n  frameworks = [\"gdpr\", \"nis2\"]\nBuilt-in: {}; a pack of your own goes in .isms/frameworks/NAME.toml.\n",
            frameworks::builtin_names().collect::<Vec<_>>().join(", ")
        ),
        FrameworksFormat::Human if name.is_some() => statuses.iter().map(detail).collect(),
        FrameworksFormat::Human => summary(&statuses),
    };
    print(&text)?;
    warn_errors(&outcome);
    Ok(SUCCESS)
}

/// `NAME` may be a folder when no PATH follows and no framework has that name.
fn name_and_path<'a>(
    name: Option<&'a str>,
    path: Option<&PathBuf>,
) -> (Option<&'a str>, Option<PathBuf>) {
    match (name, path) {
        (Some(n), None)
            if frameworks::builtin(n).is_none()
                && !n.is_empty()
                && std::path::Path::new(n).is_dir() =>
        {
            (None, Some(PathBuf::from(n)))
        }
        (n, p) => (n, p.cloned()),
    }
}

fn pack_file<'a>(outcome: &'a Outcome, pack: &frameworks::Pack) -> Option<&'a str> {
    pack.origin
        .as_ref()
        .map(|o| outcome.files.get(o.file).path.as_str())
}

/// One framework: enabled, or a built-in one previewed.
fn one(outcome: &Outcome, assessor: &Assessor<'_>, name: &str) -> Result<FrameworkStatus, Fatal> {
    let isms = &outcome.isms;
    if let Some(pack) = isms.frameworks.iter().find(|p| p.name.as_str() == name) {
        return Ok(assessor.framework(pack, pack_file(outcome, pack)));
    }
    match frameworks::builtin(name) {
        Some(pack) => {
            eprintln!(
                "note: `{name}` is not enabled in isms.toml; this is a preview (enable it with `frameworks = [\"{name}\"]` to have it checked)"
            );
            Ok(assessor.framework(pack, None))
        }
        None => {
            let mut known: Vec<String> =
                isms.frameworks.iter().map(|p| p.name.to_string()).collect();
            known.extend(frameworks::builtin_names().map(String::from));
            known.sort_unstable();
            known.dedup();
            let hint = crate::suggest::did_you_mean(name, known.iter().map(String::as_str))
                .map(|b| format!(" (did you mean `{b}`?)"))
                .unwrap_or_default();
            Err(Fatal(format!(
                "no framework `{name}`{hint}: the known frameworks are {}",
                known.join(", ")
            )))
        }
    }
}

fn summary(statuses: &[FrameworkStatus]) -> String {
    let mut out = String::new();
    for f in statuses {
        let _ = writeln!(
            out,
            "{} ({}), cycle {}: {} requirements, {} covered, {} partial, {} gap",
            f.name,
            f.title,
            f.cycle,
            f.requirements.len(),
            f.counts.covered,
            f.counts.partial,
            f.counts.gap
        );
        let open: Vec<_> = f
            .requirements
            .iter()
            .filter(|r| r.status != Status::Covered)
            .collect();
        let width = open
            .iter()
            .map(|r| r.citation.chars().count())
            .max()
            .unwrap_or(0);
        for r in open {
            let _ = writeln!(
                out,
                "  {:<8} {:<width$}  {}",
                r.status.as_str(),
                r.citation,
                r.reasons.first().map_or("", String::as_str)
            );
        }
    }
    out.push_str(
        "`isms frameworks NAME` shows every requirement with its controls, audits and findings.\n",
    );
    out
}

fn detail(f: &FrameworkStatus) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", f.name, f.title);
    if let Some(source) = &f.source {
        let _ = writeln!(out, "Source: {source}");
    }
    let _ = writeln!(
        out,
        "Pack: {}. Cycle {}: {} covered, {} partial, {} gap.\n",
        f.pack, f.cycle, f.counts.covered, f.counts.partial, f.counts.gap
    );
    for r in &f.requirements {
        let obligation = r
            .obligation
            .map(|o| format!(" [{}]", o.as_str()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<8} {}{obligation}  {}",
            r.status.as_str(),
            r.citation,
            r.id
        );
        let _ = writeln!(out, "         {}", r.title);
        for c in &r.controls {
            let state = match (c.applicability, c.implementation) {
                (_, Some(i)) => i.as_str(),
                (frameworks::Applicability::Excluded, _) => "excluded",
                (frameworks::Applicability::Undecided, _) => "undecided",
                (frameworks::Applicability::Missing, _) => "not in the SoA",
                (frameworks::Applicability::Applicable, None) => "no status",
            };
            let mut line = format!("         {} {} ({state})", c.id, c.title);
            if !c.audited_by.is_empty() {
                let _ = write!(line, ", audited by {}", c.audited_by.join(", "));
            }
            if !c.open_findings.is_empty() {
                let _ = write!(line, ", open: {}", c.open_findings.join(", "));
            }
            let _ = writeln!(out, "{line}");
        }
        if !r.internal_controls.is_empty() {
            let _ = writeln!(
                out,
                "         through internal controls {}",
                r.internal_controls.join(", ")
            );
        }
        for c in &r.clauses {
            let audits = if c.audited_by.is_empty() {
                "not audited".to_string()
            } else {
                format!("audited by {}", c.audited_by.join(", "))
            };
            let _ = writeln!(out, "         clause {} ({audits})", c.id);
        }
        for reason in &r.reasons {
            let _ = writeln!(out, "         - {reason}");
        }
        if let Some(note) = &r.note {
            let _ = writeln!(out, "         Note: {note}");
        }
    }
    out
}

fn warn_errors(outcome: &Outcome) {
    let errors = outcome.summary().errors;
    if errors > 0 {
        eprintln!(
            "warning: the ISMS has {errors} error{}: the status shows the files as they stand; run `isms check` to list and fix them",
            if errors == 1 { "" } else { "s" }
        );
    }
}

/// `isms export framework [NAME]`: the framework register as CSV, XLSX or JSON.
pub fn export(args: &FrameworkExportArgs) -> Result<u8, Fatal> {
    let format = match args.format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Xlsx => Format::Xlsx,
        ExportFormat::Json => Format::Json,
    };
    if format == Format::Xlsx && args.out.is_none() {
        return Err(Fatal(
            "XLSX is a binary format: name the file with --out, for example `--out gdpr.xlsx`"
                .into(),
        ));
    }
    let today = today(args.today.as_deref())?;
    let (name, path) = name_and_path(args.name.as_deref(), args.path.as_ref());
    let workspace = Workspace::find(path.as_deref())?;
    let outcome = check::run(&workspace, today);
    let isms = &outcome.isms;
    if let Some(name) = name {
        if !isms.frameworks.iter().any(|p| p.name.as_str() == name) {
            let enabled: Vec<&str> = isms.frameworks.iter().map(|p| p.name.as_str()).collect();
            return Err(Fatal(if enabled.is_empty() {
                format!(
                    "`{name}` is not enabled: isms.toml enables no framework; add `frameworks = [\"{name}\"]` at its top"
                )
            } else {
                format!(
                    "`{name}` is not enabled in isms.toml; the enabled frameworks are {}",
                    enabled.join(", ")
                )
            }));
        }
    }
    let mut table: Table = export::table(Register::Framework, isms, today);
    if let Some(name) = name {
        table.rows = frameworks::register::rows(isms, today, Some(name));
    }
    let bytes = export::write(&table, format).map_err(Fatal)?;
    match &args.out {
        Some(path) => crate::scaffold::replace(path, &bytes).map_err(Fatal),
        None => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| Fatal(format!("cannot write to standard output: {e}"))),
    }?;
    warn_errors(&outcome);
    Ok(SUCCESS)
}
