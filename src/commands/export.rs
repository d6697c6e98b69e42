//! `isms export soa|risks|findings|rcm|incidents|objectives|management-reviews|teams|controls|exceptions`:
//! a register as CSV, XLSX or JSON.

use super::check::today;
use super::{Fatal, SUCCESS};
use crate::check;
use crate::cli::{ExportArgs, ExportCommand, ExportFormat, RegisterArg};
use crate::export::{self, Format, Register};
use crate::workspace::Workspace;

pub fn run(args: &ExportArgs) -> Result<u8, Fatal> {
    match &args.what {
        Some(ExportCommand::Framework(a)) => return super::frameworks::export(a),
        Some(ExportCommand::Oscal(a)) => return super::oscal::run(a),
        None => {}
    }
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
    let register = match args.register.unwrap_or(RegisterArg::Soa) {
        RegisterArg::Soa => Register::Soa,
        RegisterArg::Risks => Register::Risks,
        RegisterArg::Findings => Register::Findings,
        RegisterArg::Rcm => Register::Rcm,
        RegisterArg::Incidents => Register::Incidents,
        RegisterArg::Objectives => Register::Objectives,
        RegisterArg::ManagementReviews => Register::ManagementReviews,
        RegisterArg::Teams => Register::Teams,
        RegisterArg::Controls => Register::Controls,
        RegisterArg::Exceptions => Register::Exceptions,
    };
    let today = today(args.today.as_deref())?;
    let workspace = Workspace::find(args.path.as_deref())?;
    let outcome = check::run(&workspace, today);
    let table = export::table(register, &outcome.isms, today);
    let bytes = export::write(&table, format).map_err(Fatal)?;
    match &args.out {
        Some(path) => crate::scaffold::replace(path, &bytes).map_err(Fatal),
        None => super::print_bytes(&bytes),
    }?;
    let errors = outcome.summary().errors;
    if errors > 0 {
        super::tell(&format!(
            "warning: the ISMS has {errors} error{}: this register shows the files as they stand; run `isms check` to list and fix them",
            if errors == 1 { "" } else { "s" }
        ));
    }
    Ok(SUCCESS)
}
