//! `isms new exception`: exceptions/EXC-<year>-NNN.toml from its template, the excepted and
//! compensating controls and the approvers checked, so the file it writes loads clean.

use std::path::Path;

use serde_json::json;

use super::new::{Done, unknown};
use super::{NewFile, SchemaRef, next_file_id, render, write_all};
use crate::model::{ControlId, Date, Isms, Kind, ResidualLevel};

pub struct ExceptionOptions {
    pub control: String,
    pub reason: String,
    pub compensating: Vec<String>,
    pub risk: ResidualLevel,
    pub expires: Date,
    pub approved_by: Vec<String>,
    /// The day of the approval; default: today when someone approved.
    pub approved_on: Option<Date>,
    pub today: Date,
}

/// An Annex A control or one of controls.toml.
fn known_control(isms: &Isms, id: &str) -> Result<(), String> {
    ControlId::parse(id)?;
    if crate::catalog::iso27001().control(id).is_some() || isms.internal_control(id).is_some() {
        return Ok(());
    }
    Err(format!(
        "`{id}` is neither an Annex A control nor a control of controls.toml"
    ))
}

pub fn exception(root: &Path, isms: &Isms, options: &ExceptionOptions) -> Result<Done, String> {
    for c in std::iter::once(&options.control).chain(&options.compensating) {
        known_control(isms, c)?;
    }
    for p in &options.approved_by {
        isms.person(p)
            .ok_or_else(|| unknown(isms, Kind::Person, p))?;
    }
    if options.expires < options.today {
        return Err(format!(
            "--expires {} is before today ({}): the exception would have expired already (EXC001)",
            options.expires, options.today
        ));
    }
    let prefix = format!("EXC-{}-", options.today.year());
    let loaded = isms.exceptions.iter().map(|e| e.id.as_str());
    let id = next_file_id(root, "exceptions", &prefix, loaded);
    let approved_on = options.approved_on.unwrap_or(options.today);
    let ctx = json!({
        "id": id, "control": options.control, "reason": options.reason,
        "compensating": options.compensating, "risk": options.risk.as_str(),
        "approved_by": options.approved_by, "approved_on": approved_on.to_string(),
        "expires_on": options.expires.to_string(), "today": options.today.to_string(),
    });
    let text = render(root, "exception.toml", SchemaRef::of(root).as_ref(), 1, ctx)?;
    let path = root.join("exceptions").join(format!("{id}.toml"));
    write_all(&[NewFile {
        path: path.clone(),
        text,
    }])?;
    let mut notes = Vec::new();
    if options.approved_by.is_empty() {
        notes.push(format!(
            "Record its approval (`approved_by`, `approved_on`) by everyone `[risk.acceptance]` asks for at the {} level (EXC002).",
            options.risk.as_str()
        ));
    }
    notes.push(format!(
        "It expires after {}: renew it before then, or apply {} again and delete it (EXC001).",
        options.expires, options.control
    ));
    Ok(Done {
        id,
        written: vec![path],
        changed: Vec::new(),
        notes,
    })
}
