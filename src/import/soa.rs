//! The Statement of Applicability from a sheet: one row per control (2013 rows mapped to the
//! 2022 controls they became), written into soa.toml in catalogue order.

use std::collections::BTreeMap;

use toml_edit::Table;

use super::columns::Header;
use super::edit::{self, Update};
use super::problem::{Cell, Problem};
use super::values::{self, FieldValue};
use super::{Current, Fields, Plan, Reader, counted};
use crate::catalog;

const PATH: &str = "soa.toml";

/// The fields a row sets, in the order a new entry lists them.
const FIELDS: [&str; 8] = [
    "applicable",
    "justification",
    "basis",
    "status",
    "owner",
    "risks",
    "documents",
    "evidence",
];

const STATUS: [&str; 3] = ["planned", "partial", "implemented"];
const STATUS_ALIASES: [(&str, &str); 12] = [
    ("not started", "planned"),
    ("not implemented", "planned"),
    ("to do", "planned"),
    ("todo", "planned"),
    ("in progress", "partial"),
    ("partially implemented", "partial"),
    ("partly implemented", "partial"),
    ("ongoing", "partial"),
    ("done", "implemented"),
    ("complete", "implemented"),
    ("completed", "implemented"),
    ("fully implemented", "implemented"),
];
const BASIS: [&str; 5] = ["risk", "legal", "regulatory", "contractual", "business"];

/// One row's decision for one 2022 control.
struct Decision {
    cell: Cell,
    from_2013: bool,
    fields: Fields,
}

fn read_row(reader: &mut Reader<'_>, header: &Header, row: usize) -> Fields {
    let mut fields = Fields::new();
    let mut put = |name, value| super::put(&mut fields, name, value);
    put(
        "applicable",
        reader.field(header, row, "applicable", |v| {
            Ok(values::yes_no(v)?.map(FieldValue::Bool))
        }),
    );
    put("justification", reader.text(header, row, "justification"));
    put(
        "basis",
        reader.field(header, row, "basis", |v| {
            let mut out = Vec::new();
            for item in values::list(v) {
                let one = values::choice(
                    &super::sheet::Value::Text(item),
                    &BASIS,
                    &[
                        ("legislation", "legal"),
                        ("regulation", "regulatory"),
                        ("contract", "contractual"),
                        ("business requirement", "business"),
                        ("risk assessment", "risk"),
                    ],
                )?;
                out.extend(one.map(str::to_string));
            }
            Ok((!out.is_empty()).then_some(FieldValue::List(out)))
        }),
    );
    put(
        "status",
        reader.field(header, row, "status", |v| {
            if matches!(
                values::text(v).as_deref().map(str::to_lowercase).as_deref(),
                Some("n/a" | "na" | "not applicable" | "-")
            ) {
                return Ok(None);
            }
            Ok(values::choice(v, &STATUS, &STATUS_ALIASES)?.map(|s| FieldValue::Text(s.into())))
        }),
    );
    put("owner", reader.person(header, row, "owner"));
    let isms = reader.isms;
    put(
        "risks",
        reader.references(
            header,
            row,
            "risks",
            "risk",
            isms.risks.iter().map(|r| r.id.as_str()),
        ),
    );
    put(
        "documents",
        reader.references(
            header,
            row,
            "documents",
            "document",
            isms.documents.iter().map(|d| d.front.id.as_str()),
        ),
    );
    put(
        "evidence",
        reader.field(header, row, "evidence", |v| {
            let items = values::list(v);
            Ok((!items.is_empty()).then_some(FieldValue::List(items)))
        }),
    );
    fields
}

fn rank(status: Option<&FieldValue>) -> usize {
    match status {
        Some(FieldValue::Text(s)) => STATUS.iter().position(|x| x == s).unwrap_or(0),
        _ => usize::MAX,
    }
}

/// Several 2013 rows that became one 2022 control: applicable when any is, the least advanced
/// status, the first owner, every justification and list item.
fn merge(id: &str, decisions: Vec<Decision>, problems: &mut Vec<Problem>) -> Decision {
    let mut merged = Decision {
        cell: decisions[0].cell,
        from_2013: true,
        fields: BTreeMap::new(),
    };
    for d in decisions {
        for (name, value) in d.fields {
            let Some(slot) = merged.fields.get_mut(name) else {
                merged.fields.insert(name, value);
                continue;
            };
            match (name, slot.as_mut(), value) {
                (_, _, None) => {}
                (_, None, v) => *slot = v,
                ("applicable", Some(FieldValue::Bool(a)), Some(FieldValue::Bool(b))) => {
                    if *a != b {
                        problems.push(Problem::warning(Some(d.cell), format!("the 2013 rows that became {id} disagree on applicability: {id} is imported as applicable")).help("check the justification of the merged entry in soa.toml"));
                    }
                    *a |= b;
                }
                ("status", Some(current), Some(new)) => {
                    if rank(Some(&new)) < rank(Some(current)) {
                        *current = new;
                    }
                }
                ("justification", Some(FieldValue::Text(a)), Some(FieldValue::Text(b))) => {
                    if !a.contains(b.as_str()) {
                        a.push('\n');
                        a.push_str(&b);
                    }
                }
                (_, Some(FieldValue::List(a)), Some(FieldValue::List(b))) => {
                    for item in b {
                        if !a.contains(&item) {
                            a.push(item);
                        }
                    }
                }
                (_, Some(a), Some(b)) => {
                    if *a != b {
                        problems.push(Problem::warning(Some(d.cell), format!("the 2013 rows that became {id} give different values for `{name}`: the first row's is kept")).help(format!("set `{name}` of {id} in soa.toml")));
                    }
                }
            }
        }
    }
    merged
}

pub(super) fn plan(
    reader: &mut Reader<'_>,
    header: &Header,
    rows: &[usize],
    current: &Current<'_>,
) -> Result<Plan, String> {
    let mut by_id: BTreeMap<String, Vec<Decision>> = BTreeMap::new();
    for &row in rows {
        let Some((cell, value)) = reader.cell(header, row, "id") else {
            continue;
        };
        let raw = value.text();
        if raw.is_empty() {
            reader.problems.push(
                Problem::error(Some(cell), "this row has no control")
                    .help("write the Annex A control, such as A.5.15, or delete the row"),
            );
            continue;
        }
        let control = match values::control(&raw, matches!(value, super::sheet::Value::Number(_))) {
            Ok(c) => c,
            Err(b) => {
                reader.bad(cell, b);
                continue;
            }
        };
        if let Some(note) = control.note() {
            reader.problems.push(Problem::note(Some(cell), note));
        }
        let fields = read_row(reader, header, row);
        for id in &control.ids {
            by_id.entry(id.clone()).or_default().push(Decision {
                cell,
                from_2013: control.from_2013.is_some(),
                fields: fields.clone(),
            });
        }
    }
    let mut decisions: BTreeMap<String, Decision> = BTreeMap::new();
    for (id, list) in by_id {
        if list.len() > 1 && list.iter().any(|d| !d.from_2013) {
            let first = list[0].cell.row;
            for d in &list[1..] {
                reader.problems.push(
                    Problem::error(Some(d.cell), format!("{id} is on row {first} already"))
                        .help("keep one row per control: delete or merge the other"),
                );
            }
            continue;
        }
        let decision = if list.len() > 1 {
            merge(&id, list, &mut reader.problems)
        } else {
            list.into_iter().next().ok_or("no decision")?
        };
        decisions.insert(id, decision);
    }

    let before = (current.read)(PATH)?;
    let mut doc = edit::parse(PATH, before.as_deref())?;
    let entries = edit::tables(&mut doc, "control", PATH)?;

    let catalog = catalog::iso27001();
    let order = |id: &str| catalog.control_index(id).unwrap_or(usize::MAX);
    let (mut changed, mut added) = (0, 0);
    let mut existing: Vec<String> = Vec::new();
    for table in entries.iter_mut() {
        let id = table
            .get("id")
            .and_then(|i| i.as_str())
            .unwrap_or_default()
            .to_string();
        if let Some(d) = decisions.remove(&id) {
            let updates = edit::updates(&FIELDS, &d.fields);
            if edit::apply(table, &updates) {
                changed += 1;
            }
        }
        existing.push(id);
    }
    // New entries go before the first existing entry that comes later in the catalogue.
    let mut new: Vec<(String, Decision)> = decisions.into_iter().collect();
    new.sort_by_key(|(id, _)| order(id));
    // A row that decides nothing (an export's `missing` control) adds no entry.
    new.retain(|(_, d)| d.fields.values().any(Option::is_some));
    for (id, d) in new.into_iter().rev() {
        let at = existing
            .iter()
            .position(|e| order(e) > order(&id))
            .unwrap_or(existing.len());
        let mut table = Table::new();
        let mut updates: Vec<Update> = vec![("id", Some(FieldValue::Text(id.clone())))];
        updates.extend(edit::updates(&FIELDS, &d.fields));
        edit::apply(&mut table, &updates);
        edit::insert_table(entries, at, table);
        existing.insert(at, id);
        added += 1;
    }

    let missing: Vec<&str> = catalog
        .controls
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| !existing.iter().any(|e| e == id))
        .collect();
    if !missing.is_empty() && !rows.is_empty() {
        reader.problems.push(
            Problem::warning(None, format!("{} Annex A control{} in neither the sheet nor soa.toml: {}{}", missing.len(), if missing.len() == 1 { " is" } else { "s are" }, missing.iter().take(10).copied().collect::<Vec<_>>().join(", "), if missing.len() > 10 { format!(" and {} more", missing.len() - 10) } else { String::new() }))
                .help("decide each in soa.toml (applicable, with a justification), or add rows for them to the sheet: `isms check` reports them as SOA001"),
        );
    }

    let summary = counted("control", "controls", changed, added);
    Ok(super::one_file(PATH, before, doc.to_string(), summary))
}
