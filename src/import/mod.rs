//! `isms import`: a spreadsheet SoA, risk register or findings tracker turned into edits of the
//! ISMS files. Pure: the command reads the sheet and the files and writes the result; this
//! module only decides what the files should say, and every problem names its cell.

mod columns;
mod edit;
mod findings;
mod overlay;
pub(crate) mod problem;
mod risks;
pub(crate) mod sheet;
mod soa;
mod values;

use std::collections::BTreeMap;

pub(crate) use overlay::Overlay;
use problem::{Cell, Problem};
use sheet::{Sheet, Value};
use values::{Bad, FieldValue};

use crate::diagnostics::Severity;
use crate::model::Isms;

/// What a row sets: a field and its value, `None` for an empty cell (the field is removed).
/// A field whose column the sheet lacks is not in the map, and is left as it is.
pub(crate) type Fields = BTreeMap<&'static str, Option<FieldValue>>;

/// Records a field read from a row: nothing when the sheet lacks the column or the cell is bad.
fn put(fields: &mut Fields, name: &'static str, value: Option<Option<FieldValue>>) {
    if let Some(v) = value {
        fields.insert(name, v);
    }
}

/// The registers a sheet can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Register {
    Soa,
    Risks,
    Findings,
}

impl Register {
    fn layout(self) -> &'static columns::Layout {
        match self {
            Register::Soa => &columns::SOA,
            Register::Risks => &columns::RISKS,
            Register::Findings => &columns::FINDINGS,
        }
    }

    /// Sheet names to look for in a workbook when `--sheet` is not given.
    pub fn likely_sheets(self) -> &'static [&'static str] {
        self.layout().sheets
    }
}

/// The ISMS as the import sees it: the model, and the text of its files by path.
pub(crate) struct Current<'a> {
    pub isms: &'a Isms,
    /// The text of an ISMS file (relative to the ISMS root), `None` when it does not exist.
    pub read: &'a dyn Fn(&str) -> Result<Option<String>, String>,
    /// The file (relative to the ISMS root) each finding was read from.
    pub finding_files: BTreeMap<String, String>,
}

/// A file the import writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileChange {
    /// Relative to the ISMS root.
    pub path: String,
    /// `None` for a new file.
    pub before: Option<String>,
    pub after: String,
}

/// What an import does.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Files whose text changes, by path.
    pub changes: Vec<FileChange>,
    /// Problems, notes and warnings, by cell.
    pub problems: Vec<Problem>,
    /// Rows read.
    pub rows: usize,
    /// "3 controls changed, 90 added".
    pub summary: String,
}

impl Plan {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// Decides what importing `sheet` as `register` changes. `maps` are the `--map` arguments.
pub(crate) fn plan(
    register: Register,
    sheet: &Sheet,
    maps: &[String],
    current: &Current<'_>,
) -> Result<Plan, String> {
    let layout = register.layout();
    let maps = columns::mappings(maps, layout)?;
    let mut reader = Reader {
        sheet,
        isms: current.isms,
        problems: Vec::new(),
    };
    let Some(header) = columns::header(sheet, layout, &maps, &mut reader.problems) else {
        return Ok(Plan {
            problems: reader.problems,
            ..Plan::default()
        });
    };
    let rows = data_rows(sheet, &header);
    let mut plan = match register {
        Register::Soa => soa::plan(&mut reader, &header, &rows, current)?,
        Register::Risks => risks::plan(&mut reader, &header, &rows, current)?,
        Register::Findings => findings::plan(&mut reader, &header, &rows, current)?,
    };
    plan.rows = rows.len();
    plan.problems.extend(reader.problems);
    plan.problems
        .sort_by_key(|p| (p.cell.map(|c| (c.row, c.col)), p.severity));
    plan.problems.dedup();
    Ok(plan)
}

/// The grid rows below the header that hold anything in an imported column.
fn data_rows(sheet: &Sheet, header: &columns::Header) -> Vec<usize> {
    sheet
        .rows()
        .skip(header.row + 1)
        .filter(|(_, row)| {
            header
                .columns
                .iter()
                .any(|(c, _)| row.get(*c).is_some_and(|v| !v.is_empty()))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Reads the cells of rows, collecting problems.
pub(crate) struct Reader<'a> {
    sheet: &'a Sheet,
    isms: &'a Isms,
    problems: Vec<Problem>,
}

const EMPTY: Value = Value::Empty;

impl<'a> Reader<'a> {
    /// The cell of `field` in grid row `row`, if the sheet has that column.
    fn cell(&self, header: &columns::Header, row: usize, field: &str) -> Option<(Cell, &'a Value)> {
        let col = header.column_of(field)?;
        let value = self.sheet.row(row).get(col).unwrap_or(&EMPTY);
        Some((self.sheet.cell(row, col), value))
    }

    fn bad(&mut self, cell: Cell, bad: Bad) {
        self.problems
            .push(Problem::error(Some(cell), bad.message).help(bad.help));
    }

    /// The field's value: `None` when the sheet has no such column or the cell is bad (then a
    /// problem is recorded); `Some(None)` for an empty cell.
    fn field<T>(
        &mut self,
        header: &columns::Header,
        row: usize,
        field: &str,
        parse: impl FnOnce(&Value) -> Result<Option<T>, Bad>,
    ) -> Option<Option<T>> {
        let (cell, value) = self.cell(header, row, field)?;
        if let Value::Error(shown) = value {
            self.problems.push(
                Problem::error(
                    Some(cell),
                    format!("the cell shows a formula error ({shown})"),
                )
                .help("fix the formula, or type the value"),
            );
            return None;
        }
        match parse(value) {
            Ok(v) => Some(v),
            Err(b) => {
                self.bad(cell, b);
                None
            }
        }
    }

    fn text(
        &mut self,
        header: &columns::Header,
        row: usize,
        field: &str,
    ) -> Option<Option<FieldValue>> {
        self.field(header, row, field, |v| {
            Ok(values::text(v).map(FieldValue::Text))
        })
    }

    /// A person (by id, name or e-mail) as their id.
    fn person(
        &mut self,
        header: &columns::Header,
        row: usize,
        field: &str,
    ) -> Option<Option<FieldValue>> {
        self.named(header, row, field, values::person)
    }

    /// An area (by id or name) as its id.
    fn area(
        &mut self,
        header: &columns::Header,
        row: usize,
        field: &str,
    ) -> Option<Option<FieldValue>> {
        self.named(header, row, field, values::area)
    }

    /// An object the cell names, resolved to its id by `resolve`.
    fn named(
        &mut self,
        header: &columns::Header,
        row: usize,
        field: &str,
        resolve: fn(&Isms, &str) -> Result<String, Bad>,
    ) -> Option<Option<FieldValue>> {
        let isms = self.isms;
        self.field(header, row, field, |v| {
            values::text(v)
                .map(|t| resolve(isms, &t).map(FieldValue::Text))
                .transpose()
        })
    }

    fn date(
        &mut self,
        header: &columns::Header,
        row: usize,
        field: &str,
    ) -> Option<Option<FieldValue>> {
        self.field(header, row, field, |v| {
            Ok(values::date(v)?.map(FieldValue::Date))
        })
    }

    fn choice(
        &mut self,
        header: &columns::Header,
        row: usize,
        field: &str,
        allowed: &[&'static str],
        aliases: &[(&str, &'static str)],
    ) -> Option<Option<FieldValue>> {
        self.field(header, row, field, |v| {
            Ok(values::choice(v, allowed, aliases)?.map(|s| FieldValue::Text(s.to_string())))
        })
    }

    /// A list of Annex A controls, 2013 ids mapped with a note.
    fn controls(
        &mut self,
        header: &columns::Header,
        row: usize,
        field: &str,
    ) -> Option<Option<FieldValue>> {
        let (cell, value) = self.cell(header, row, field)?;
        let mut ids: Vec<String> = Vec::new();
        let mut ok = true;
        for item in values::list(value) {
            match values::control(&item, matches!(value, Value::Number(_))) {
                Ok(control) => {
                    if let Some(note) = control.note() {
                        self.problems.push(Problem::note(Some(cell), note));
                    }
                    for id in control.ids {
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                }
                Err(b) => {
                    self.bad(cell, b);
                    ok = false;
                }
            }
        }
        ok.then(|| (!ids.is_empty()).then_some(FieldValue::List(ids)))
    }

    /// A list of ids that must name existing objects (`known`).
    fn references<'k>(
        &mut self,
        header: &columns::Header,
        row: usize,
        field: &str,
        what: &str,
        known: impl Iterator<Item = &'k str> + Clone,
    ) -> Option<Option<FieldValue>> {
        let (cell, value) = self.cell(header, row, field)?;
        let items = values::list(value);
        let mut ok = true;
        for item in &items {
            if !known.clone().any(|k| k == item) {
                let guess = crate::suggest::hint(item, known.clone())
                    .map_or(String::new(), |h| format!("{h} "));
                self.bad(
                    cell,
                    Bad {
                        message: format!("`{item}` is not a {what} of the ISMS"),
                        help: format!(
                            "{guess}write the ids of existing {what}s, separated by commas"
                        ),
                    },
                );
                ok = false;
            }
        }
        ok.then(|| (!items.is_empty()).then_some(FieldValue::List(items)))
    }
}

/// What makes a register's ids: which are valid, why others are not, and an example.
pub(crate) struct IdRule {
    pub valid: fn(&str) -> bool,
    pub invalid: &'static str,
    pub example: &'static str,
}

/// An object's id from its row: `None` (with a problem) when it is empty, not valid by `rule`,
/// or on an earlier row (`seen`).
fn row_id(
    reader: &mut Reader<'_>,
    at: (Cell, &Value),
    noun: &str,
    rule: &IdRule,
    seen: &[(String, Cell)],
) -> Option<String> {
    let (cell, value) = at;
    let id = value.text();
    let problem = if id.is_empty() {
        Some(format!("this row has no {noun} id"))
    } else if !(rule.valid)(&id) {
        Some(format!("`{id}` cannot be a {noun} id: {}", rule.invalid))
    } else {
        seen.iter()
            .find(|(i, _)| *i == id)
            .map(|(_, first)| format!("{id} is on row {} already", first.row))
    };
    match problem {
        Some(message) => {
            reader
                .problems
                .push(Problem::error(Some(cell), message).help(format!(
                    "give each {noun} its own id, such as {}, or delete the row",
                    rule.example
                )));
            None
        }
        None => Some(id),
    }
}

/// Reports the `required` fields a row leaves empty, or a new object's sheet has no column for.
fn require(
    reader: &mut Reader<'_>,
    header: &columns::Header,
    (cell, what): (Cell, &str),
    (fields, exists): (&Fields, bool),
    required: &[&str],
    help: &str,
) {
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|f| match fields.get(f) {
            Some(v) => v.is_none(),
            None => !exists && !header.has(f),
        })
        .collect();
    if !missing.is_empty() {
        reader.problems.push(
            Problem::error(Some(cell), format!("{what} needs {}", missing.join(", "))).help(help),
        );
    }
}

/// The plan of a register kept in one file, from its text before and after.
fn one_file(path: &str, before: Option<String>, after: String, summary: String) -> Plan {
    let mut plan = Plan {
        summary: format!("{path}: {summary}"),
        ..Plan::default()
    };
    if before.as_deref() != Some(after.as_str()) {
        plan.changes.push(FileChange {
            path: path.to_string(),
            before,
            after,
        });
    }
    plan
}

/// "1 control changed, 2 added" from counts, leaving out zeros.
fn counted(noun: &str, plural: &str, changed: usize, added: usize) -> String {
    let name = |n: usize| if n == 1 { noun } else { plural };
    match (changed, added) {
        (0, 0) => format!("no {plural} changed"),
        (c, 0) => format!("{c} {} changed", name(c)),
        (0, a) => format!("{a} {} added", name(a)),
        (c, a) => format!("{c} {} changed, {a} added", name(c)),
    }
}
