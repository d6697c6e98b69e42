//! `isms export oscal assessment-plan|assessment-results|poam`: OSCAL 1.1.2 JSON.

use std::io::Write;

use super::check::today;
use super::{Fatal, SUCCESS};
use crate::check;
use crate::cli::{OscalArgs, OscalModel};
use crate::export::oscal::{self, Model};
use crate::workspace::Workspace;

pub fn run(args: &OscalArgs) -> Result<u8, Fatal> {
    let model = match args.model {
        OscalModel::AssessmentPlan => Model::AssessmentPlan,
        OscalModel::AssessmentResults => Model::AssessmentResults,
        OscalModel::Poam => Model::Poam,
    };
    let today = today(args.today.as_deref())?;
    let workspace = Workspace::find(args.path.as_deref())?;
    let outcome = check::run(&workspace, today);
    let text = oscal::write(&outcome.isms, model, args.audit.as_deref(), today).map_err(Fatal)?;
    match &args.out {
        Some(path) => crate::scaffold::replace(path, text.as_bytes()).map_err(Fatal),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| Fatal(format!("cannot write to standard output: {e}"))),
    }?;
    let errors = outcome.summary().errors;
    if errors > 0 {
        eprintln!(
            "warning: the ISMS has {errors} error{}: the {model} shows the files as they stand; run `isms check` to list and fix them",
            if errors == 1 { "" } else { "s" }
        );
    }
    Ok(SUCCESS)
}
