//! `isms export`: the registers auditors ask for (SoA, risks, findings, risk and control matrix,
//! incidents, objectives, management reviews, teams, the organisation's own controls)
//! as one table model, written as CSV, XLSX or JSON so every format says the same.

mod csv;
mod exception_table;
mod json;
mod loop_tables;
mod org_tables;
pub mod oscal;
mod tables;
mod xlsx;

use crate::model::{Date, Isms};

pub use tables::{Register, build};

/// A value in a cell, typed so each format writes it natively (XLSX dates as dates).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(i64),
    Date(Date),
    Bool(bool),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    pub fn opt_date(d: Option<Date>) -> Self {
        d.map_or(Cell::Empty, Cell::Date)
    }

    /// The cell as plain text, as CSV writes it.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        }
    }
}

/// How a row should stand out: overdue or failing items are red, open ones amber.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mark {
    #[default]
    None,
    Attention,
    Overdue,
}

#[derive(Clone, Debug)]
pub struct Column {
    /// The key in JSON: stable, snake_case.
    pub id: &'static str,
    /// The header in CSV and XLSX.
    pub title: &'static str,
    /// Column width in characters in XLSX.
    pub width: f64,
}

/// One register as a table.
#[derive(Clone, Debug)]
pub struct Table {
    pub register: Register,
    /// "Statement of Applicability", shown in the XLSX title row.
    pub title: &'static str,
    pub organisation: String,
    /// The day of the export (`--today`).
    pub date: Date,
    pub columns: Vec<Column>,
    pub rows: Vec<(Vec<Cell>, Mark)>,
}

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

/// Writes `table` in `format`.
pub fn write(table: &Table, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Csv => csv::write(table),
        Format::Xlsx => xlsx::write(table),
        Format::Json => Ok(json::write(table).into_bytes()),
    }
}

/// Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a leading tab or
/// carriage return) is made inert with a leading apostrophe, as OWASP recommends for CSV.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The register of `isms` as of `today`.
pub fn table(register: Register, isms: &Isms, today: Date) -> Table {
    build(register, isms, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_inert() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("Access control"), "Access control");
        assert_eq!(neutralise("R-004"), "R-004");
    }
}
