//! Reads a spreadsheet (an XLSX worksheet or a CSV file) into a grid of typed cells that keeps
//! each cell's place, so every problem can name it (`SoA!C12`).

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

use super::problem::Cell;
use crate::model::Date;

/// A cell's value, as the spreadsheet holds it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(Date),
    /// A formula error such as `#REF!`.
    Error(String),
}

impl Value {
    /// The value as text, as the user sees it (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) | Value::Error(s) => s.trim().to_string(),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Value::Date(d) => d.to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// One sheet: its name and its used range of cells.
#[derive(Clone, Debug)]
pub(crate) struct Sheet {
    /// The worksheet's name; for a CSV file, its name without the extension.
    pub name: String,
    /// Row number (1-based) of `cells[0]`.
    first_row: u32,
    /// Column (0-based) of `cells[_][0]`.
    first_col: u32,
    cells: Vec<Vec<Value>>,
}

impl Sheet {
    /// Rows as (row index into the grid, values).
    pub fn rows(&self) -> impl Iterator<Item = (usize, &[Value])> {
        self.cells
            .iter()
            .enumerate()
            .map(|(i, r)| (i, r.as_slice()))
    }

    pub fn row(&self, index: usize) -> &[Value] {
        self.cells.get(index).map_or(&[], Vec::as_slice)
    }

    /// Where the value at (`row`, `col`) of the grid is in the spreadsheet.
    pub fn cell(&self, row: usize, col: usize) -> Cell {
        Cell {
            row: self.first_row + row as u32,
            col: self.first_col + col as u32,
        }
    }
}

/// Reads `path`: XLSX (also XLSM, XLS, ODS) by its extension, otherwise CSV. `wanted` names the
/// worksheet; without it, the first sheet whose name is one of `likely` (any case), else the
/// first sheet.
pub(crate) fn read(path: &Path, wanted: Option<&str>, likely: &[&str]) -> Result<Sheet, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => workbook(path, bytes, wanted, likely),
        _ => {
            if let Some(name) = wanted {
                return Err(format!(
                    "--sheet {name}: {} is a CSV file, which has one sheet only\n  help: leave out --sheet",
                    path.display()
                ));
            }
            csv(path, &bytes)
        }
    }
}

fn workbook(
    path: &Path,
    bytes: Vec<u8>,
    wanted: Option<&str>,
    likely: &[&str],
) -> Result<Sheet, String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        format!(
            "cannot read {} as a spreadsheet: {e}\n  help: save it from your spreadsheet program as .xlsx, or as CSV (UTF-8)",
            path.display()
        )
    })?;
    let names = book.sheet_names();
    let name = match wanted {
        Some(w) => names
            .iter()
            .find(|n| n.as_str() == w)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(w)))
            .cloned()
            .ok_or_else(|| {
                let hint = crate::suggest::hint(w, names.iter().map(String::as_str))
                    .map_or(String::new(), |h| format!("{h} "));
                format!(
                    "{} has no sheet `{w}`\n  help: {hint}its sheets are: {}",
                    path.display(),
                    names.join(", ")
                )
            })?,
        None => names
            .iter()
            .find(|n| likely.iter().any(|l| n.trim().eq_ignore_ascii_case(l)))
            .or(names.first())
            .cloned()
            .ok_or_else(|| format!("{} has no worksheet", path.display()))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("cannot read sheet `{name}` of {}: {e}", path.display()))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let cells = range
        .rows()
        .map(|row| row.iter().map(value).collect())
        .collect();
    Ok(Sheet {
        name,
        first_row: first_row + 1,
        first_col,
        cells,
    })
}

fn value(data: &Data) -> Value {
    match data {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s.clone()),
        Data::Int(n) => Value::Number(*n as f64),
        Data::Float(n) => Value::Number(*n),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            i16::try_from(y)
                .ok()
                .and_then(|y| Date::new(y, m as i8, day as i8))
                .map_or(Value::Error(format!("{}", d.as_f64())), Value::Date)
        }
        Data::DateTime(d) => Value::Number(d.as_f64()),
        Data::DateTimeIso(s) => Date::parse(s.get(..10).unwrap_or(s))
            .map_or_else(|_| Value::Text(s.clone()), Value::Date),
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
    }
}

fn csv(path: &Path, bytes: &[u8]) -> Result<Sheet, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text ({e})\n  help: save it as \"CSV UTF-8\", or import the .xlsx workbook itself",
            path.display()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Spreadsheets in locales with a decimal comma write CSV with semicolons.
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            format!(
                "{}: cannot read row {}: {e}\n  help: check the quotes on that line",
                path.display(),
                i + 1
            )
        })?;
        cells.push(
            record
                .iter()
                .map(|s| {
                    if s.trim().is_empty() {
                        Value::Empty
                    } else {
                        Value::Text(s.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Sheet {
        name: path
            .file_stem()
            .map_or("sheet".into(), |s| s.to_string_lossy().into_owned()),
        first_row: 1,
        first_col: 0,
        cells,
    })
}
