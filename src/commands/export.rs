//! `isms export soa|risks|findings|rcm`: a register as CSV, XLSX or JSON.

use std::io::Write;
use std::path::Path;

use super::check::today;
use super::{Fatal, SUCCESS};
use crate::check;
use crate::cli::{ExportArgs, ExportFormat, RegisterArg};
use crate::export::{self, Format, Register};
use crate::workspace::Workspace;

pub fn run(args: &ExportArgs) -> Result<u8, Fatal> {
    let format = match args.format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Xlsx => Format::Xlsx,
        ExportFormat::Json => Format::Json,
    };
    if format == Format::Xlsx && args.out.is_none() {
        return Err(Fatal(
            "XLSX is a binary format: name the file with --out, for example `--out soa.xlsx`"
                .into(),
        ));
    }
    let register = match args.register {
        RegisterArg::Soa => Register::Soa,
        RegisterArg::Risks => Register::Risks,
        RegisterArg::Findings => Register::Findings,
        RegisterArg::Rcm => Register::Rcm,
    };
    let today = today(args.today.as_deref())?;
    let workspace = Workspace::find(args.path.as_deref())?;
    let outcome = check::run(&workspace, today);
    let table = export::table(register, &outcome.isms, today);
    let bytes = export::write(&table, format).map_err(Fatal)?;
    match &args.out {
        Some(path) => write_new(path, &bytes),
        None => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| Fatal(format!("cannot write to standard output: {e}"))),
    }?;
    let errors = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .count();
    if errors > 0 {
        eprintln!(
            "warning: the ISMS has {errors} errors (`isms check` lists them); the export shows it as it is"
        );
    }
    Ok(SUCCESS)
}

/// Writes the export through a temporary file in the same folder, so a reader never sees half a file.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.isms-tmp"));
    std::fs::write(&temp, bytes)
        .and_then(|()| std::fs::rename(&temp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            Fatal(format!("cannot write {}: {e}", path.display()))
        })
}
