//! The findings register from a sheet: one row per finding, each written into its own
//! findings/<ID>.toml. Root causes, corrective actions and verification are read in the form
//! `isms export` writes them; what a sheet cannot say (who analysed a root cause, and when) is
//! left to the finding's file.

use toml_edit::{DocumentMut, Item, Table};

use super::columns::Header;
use super::edit::{self, Update};
use super::problem::{Cell, Problem};
use super::values::{self, Bad, FieldValue};
use super::{Current, Fields, FileChange, Plan, Reader, counted};
use crate::catalog;
use crate::model::{Date, Isms};

/// Top-level fields in the order a new finding lists them; the first four are required.
const FIELDS: [&str; 7] = [
    "audit",
    "type",
    "refs",
    "area",
    "raised_by",
    "raised_on",
    "statement",
];
const REQUIRED: [&str; 4] = ["audit", "type", "raised_by", "raised_on"];

const ID: super::IdRule = super::IdRule {
    valid: file_id_ok,
    invalid: "it names the finding's file, so it is letters, digits and dashes",
    example: "F-2026-003",
};

const TYPES: [&str; 4] = ["major-nc", "minor-nc", "observation", "opportunity"];
const TYPE_ALIASES: [(&str, &str); 12] = [
    ("major", "major-nc"),
    ("major nonconformity", "major-nc"),
    ("major non-conformity", "major-nc"),
    ("major nc", "major-nc"),
    ("minor", "minor-nc"),
    ("minor nonconformity", "minor-nc"),
    ("minor non-conformity", "minor-nc"),
    ("minor nc", "minor-nc"),
    ("obs", "observation"),
    ("ofi", "opportunity"),
    ("opportunity for improvement", "opportunity"),
    ("improvement", "opportunity"),
];

/// A requirement: `A.5.15` (or a 2013 id) is a control, `9.2.2` a clause.
fn requirement(raw: &str, notes: &mut Vec<String>) -> Result<Vec<String>, Bad> {
    let catalog = catalog::iso27001();
    let trimmed = raw.trim();
    if !trimmed.starts_with(['A', 'a']) && catalog.clause(trimmed).is_some() {
        return Ok(vec![trimmed.to_string()]);
    }
    let control = values::control(trimmed, false).map_err(|b| Bad {
        help: format!("{}; a clause is written 9.2.2", b.help),
        ..b
    })?;
    notes.extend(control.note());
    Ok(control.ids)
}

/// An action as `isms export` writes it: `description (owner; due DATE; completed DATE|open)`.
struct ActionRow {
    description: String,
    /// `None` for a line with only a description: the other fields are left as they are.
    details: Option<[Option<FieldValue>; 3]>,
}

fn action(isms: &Isms, line: &str) -> Result<ActionRow, Bad> {
    let plain = ActionRow {
        description: line.trim().to_string(),
        details: None,
    };
    let Some((description, rest)) = line
        .trim()
        .strip_suffix(')')
        .and_then(|l| l.rsplit_once(" ("))
    else {
        return Ok(plain);
    };
    let parts: Vec<&str> = rest.split("; ").collect();
    let [owner, due, done] = parts.as_slice() else {
        return Ok(plain);
    };
    let date_after = |text: &str, prefix: &str| {
        text.strip_prefix(prefix)
            .map(|d| Date::parse(d).map_err(|_| ()))
    };
    let due = match (*due, date_after(due, "due ")) {
        ("no due date", _) => None,
        (_, Some(Ok(d))) => Some(FieldValue::Date(d)),
        _ => return Ok(plain),
    };
    let done = match (*done, date_after(done, "completed ")) {
        ("open", _) => None,
        (_, Some(Ok(d))) => Some(FieldValue::Date(d)),
        _ => return Ok(plain),
    };
    let owner = match *owner {
        "no owner" => None,
        name => Some(FieldValue::Text(values::person(isms, name)?)),
    };
    Ok(ActionRow {
        description: description.trim().to_string(),
        details: Some([owner, due, done]),
    })
}

/// Verification as `isms export` writes it: `Name on DATE: effective. notes`.
fn verification(isms: &Isms, text: &str) -> Option<Result<Vec<Update>, Bad>> {
    let (who, rest) = text.split_once(" on ")?;
    let (on, rest) = rest.split_once(": ")?;
    let on = Date::parse(on).ok()?;
    let (effective, notes) = if let Some(n) = rest.strip_prefix("not effective") {
        (false, n)
    } else {
        (true, rest.strip_prefix("effective")?)
    };
    let notes = match notes.strip_prefix(". ") {
        Some(n) => Some(FieldValue::Text(n.trim().to_string())),
        None if notes.trim().is_empty() => None,
        None => return None,
    };
    Some(values::person(isms, who).map(|by| {
        vec![
            ("by", Some(FieldValue::Text(by))),
            ("on", Some(FieldValue::Date(on))),
            ("effective", Some(FieldValue::Bool(effective))),
            ("notes", notes),
        ]
    }))
}

/// What a row says beyond its top-level fields.
#[derive(Default)]
struct Parts {
    root_cause: Option<(Cell, String)>,
    actions: Option<Vec<ActionRow>>,
    verification: Option<(Cell, String)>,
}

struct Row {
    id: String,
    fields: Fields,
    parts: Parts,
}

fn read_row(reader: &mut Reader<'_>, header: &Header, row: usize) -> (Fields, Parts) {
    let isms = reader.isms;
    let mut fields = Fields::new();
    let mut put = |name, value| super::put(&mut fields, name, value);
    put(
        "audit",
        reader
            .references(
                header,
                row,
                "audit",
                "audit",
                isms.audits.iter().map(|a| a.id.as_str()),
            )
            .map(|v| {
                v.and_then(|l| match l {
                    FieldValue::List(mut items) if items.len() == 1 => {
                        items.pop().map(FieldValue::Text)
                    }
                    _ => None,
                })
            }),
    );
    put(
        "type",
        reader.choice(header, row, "type", &TYPES, &TYPE_ALIASES),
    );
    if let Some((cell, value)) = reader.cell(header, row, "refs") {
        let mut notes = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        let mut ok = true;
        for item in values::list(value) {
            match requirement(&item, &mut notes) {
                Ok(found) => ids.extend(
                    found
                        .into_iter()
                        .filter(|i| !ids.contains(i))
                        .collect::<Vec<_>>(),
                ),
                Err(b) => {
                    reader.bad(cell, b);
                    ok = false;
                }
            }
        }
        reader
            .problems
            .extend(notes.into_iter().map(|n| Problem::note(Some(cell), n)));
        if ok {
            put(
                "refs",
                Some((!ids.is_empty()).then_some(FieldValue::List(ids))),
            );
        }
    }
    put("area", reader.area(header, row, "area"));
    put("raised_by", reader.person(header, row, "raised_by"));
    put("raised_on", reader.date(header, row, "raised_on"));
    put("statement", reader.text(header, row, "statement"));
    let mut parts = Parts::default();
    let text_of = |reader: &Reader<'_>, field: &str| {
        reader
            .cell(header, row, field)
            .and_then(|(cell, v)| values::text(v).map(|t| (cell, t)))
    };
    parts.root_cause = text_of(reader, "root_cause");
    parts.verification = text_of(reader, "verification");
    if let Some((cell, text)) = text_of(reader, "actions") {
        let mut list = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match action(isms, line) {
                Ok(a) => list.push(a),
                Err(b) => reader.bad(cell, b),
            }
        }
        parts.actions = Some(list);
    }
    (fields, parts)
}

fn file_id_ok(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

pub(super) fn plan(
    reader: &mut Reader<'_>,
    header: &Header,
    rows: &[usize],
    current: &Current<'_>,
) -> Result<Plan, String> {
    let mut seen: Vec<(String, Cell)> = Vec::new();
    let mut imported: Vec<Row> = Vec::new();
    for &row in rows {
        let Some(at) = reader.cell(header, row, "id") else {
            continue;
        };
        let Some(id) = super::row_id(reader, at, "finding", &ID, &seen) else {
            continue;
        };
        let cell = at.0;
        let (fields, parts) = read_row(reader, header, row);
        let exists = current.finding_files.contains_key(&id);
        super::require(
            reader,
            header,
            (cell, &format!("finding {id}")),
            (&fields, exists),
            &REQUIRED,
            "every finding names its audit, type (major-nc, minor-nc, observation, opportunity), who raised it and when",
        );
        seen.push((id.clone(), cell));
        imported.push(Row { id, fields, parts });
    }

    let mut plan = Plan::default();
    let (mut changed, mut added) = (0, 0);
    for row in imported {
        let path = current
            .finding_files
            .get(&row.id)
            .cloned()
            .unwrap_or_else(|| format!("findings/{}.toml", row.id));
        let before = (current.read)(&path)?;
        let mut doc = edit::parse(&path, before.as_deref())?;
        let mut updates: Vec<Update> = vec![("id", Some(FieldValue::Text(row.id.clone())))];
        updates.extend(edit::updates(&FIELDS, &row.fields));
        edit::apply(doc.as_table_mut(), &updates);
        parts(reader, &mut doc, &row, &path)?;
        let after = doc.to_string();
        if before.as_deref() != Some(after.as_str()) {
            if before.is_some() {
                changed += 1;
            } else {
                added += 1;
            }
            plan.changes.push(FileChange {
                path,
                before,
                after,
            });
        }
    }
    plan.summary = format!(
        "findings/: {}",
        counted("finding", "findings", changed, added)
    );
    Ok(plan)
}

/// Writes the root cause, actions and verification of `row` into `doc`.
fn parts(
    reader: &mut Reader<'_>,
    doc: &mut DocumentMut,
    row: &Row,
    path: &str,
) -> Result<(), String> {
    let isms = reader.isms;
    if let Some((cell, analysis)) = &row.parts.root_cause {
        match doc.get_mut("root_cause").and_then(Item::as_table_mut) {
            Some(table) => {
                edit::apply(table, &[("analysis", Some(FieldValue::Text(analysis.clone())))]);
            }
            None => reader.problems.push(
                Problem::warning(Some(*cell), format!("the root cause of {} is not imported: the sheet does not say who analysed it and when", row.id))
                    .help(format!("add it to {path} as [root_cause] with analysis, by and on (`isms explain FIND002`)")),
            ),
        }
    }
    if let Some(actions) = row.parts.actions.as_ref().filter(|a| !a.is_empty()) {
        let tables = edit::tables(doc, "action", path)?;
        for (i, a) in actions.iter().enumerate() {
            let mut updates: Vec<Update> =
                vec![("description", Some(FieldValue::Text(a.description.clone())))];
            if let Some([owner, due, done]) = &a.details {
                updates.extend([
                    ("owner", owner.clone()),
                    ("due", due.clone()),
                    ("completed_on", done.clone()),
                ]);
            }
            match tables.get_mut(i) {
                Some(table) => {
                    edit::apply(table, &updates);
                }
                None => {
                    let mut table = Table::new();
                    edit::apply(&mut table, &updates);
                    edit::insert_table(tables, tables.len(), table);
                }
            }
        }
        while tables.len() > actions.len() {
            tables.remove(tables.len() - 1);
        }
    }
    if let Some((cell, text)) = &row.parts.verification {
        match verification(isms, text) {
            Some(Ok(updates)) => {
                if doc.get("verification").is_none() {
                    doc.insert("verification", Item::Table(Table::new()));
                }
                if let Some(table) = doc.get_mut("verification").and_then(Item::as_table_mut) {
                    edit::apply(table, &updates);
                }
            }
            Some(Err(b)) => reader.bad(*cell, b),
            None => reader.problems.push(
                Problem::warning(Some(*cell), format!("the verification of {} is not imported: it is not written as `Name on YYYY-MM-DD: effective. notes`", row.id))
                    .help(format!("write it so, or record it in {path} as [verification] with by, on, effective and notes")),
            ),
        }
    }
    Ok(())
}
