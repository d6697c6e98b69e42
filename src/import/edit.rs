//! Edits TOML in place with `toml_edit`: a field changes only when its value does, keeping its
//! comments; a removed field goes; a new one is added. Unchanged files stay byte for byte.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use super::Fields;
use super::values::FieldValue;

/// A field to set (`Some`) or remove (`None`).
pub(crate) type Update = (&'static str, Option<FieldValue>);

fn to_value(v: &FieldValue) -> Value {
    match v {
        FieldValue::Text(s) => Value::from(s.as_str()),
        FieldValue::Bool(b) => Value::from(*b),
        FieldValue::Int(n) => Value::from(*n),
        FieldValue::Date(d) => d
            .to_string()
            .parse::<toml_edit::Datetime>()
            .map_or_else(|_| Value::from(d.to_string()), Value::from),
        FieldValue::List(items) => {
            let mut array = Array::new();
            for i in items {
                array.push(i.as_str());
            }
            Value::Array(array)
        }
    }
}

/// Whether the file's value already says `new`. Text is compared without the blanks around it
/// (a multi-line justification ends with a line break the sheet does not keep).
fn same(existing: &Item, new: &FieldValue) -> bool {
    let Some(value) = existing.as_value() else {
        return false;
    };
    match (value, new) {
        (Value::String(s), FieldValue::Text(t)) => s.value().trim() == t.trim(),
        (Value::Boolean(b), FieldValue::Bool(n)) => b.value() == n,
        (Value::Integer(i), FieldValue::Int(n)) => i.value() == n,
        (Value::Datetime(d), FieldValue::Date(n)) => d.value().to_string() == n.to_string(),
        (Value::Array(a), FieldValue::List(items)) => {
            a.len() == items.len()
                && a.iter()
                    .zip(items)
                    .all(|(v, i)| v.as_str().is_some_and(|s| s.trim() == i))
        }
        _ => false,
    }
}

/// Applies `updates` to `table`; returns whether anything changed. An empty list removes the
/// field, as an empty cell does.
pub(crate) fn apply(table: &mut Table, updates: &[Update]) -> bool {
    let mut changed = false;
    for (key, update) in updates {
        let update = update
            .as_ref()
            .filter(|v| !matches!(v, FieldValue::List(l) if l.is_empty()));
        match (table.get_mut(key), update) {
            (None, None) => {}
            // An empty cell and an empty list say the same.
            (Some(item), None) if item.as_array().is_some_and(|a| a.is_empty()) => {}
            (Some(_), None) => {
                table.remove(key);
                changed = true;
            }
            (Some(item), Some(new)) if same(item, new) => {}
            (Some(item), Some(new)) => {
                let mut value = to_value(new);
                if let Some(old) = item.as_value() {
                    *value.decor_mut() = old.decor().clone();
                }
                *item = Item::Value(value);
                changed = true;
            }
            (None, Some(new)) => {
                table.insert(key, Item::Value(to_value(new)));
                changed = true;
            }
        }
    }
    changed
}

/// Parses the file at `path` (empty when it does not exist yet) for editing.
pub(crate) fn parse(path: &str, text: Option<&str>) -> Result<DocumentMut, String> {
    text.unwrap_or("").parse().map_err(|e| {
        format!("{path} is not valid TOML, so it cannot be edited: {e}\n  help: run `isms check` and fix it first")
    })
}

/// The `[[key]]` tables of `doc`, created when there are none.
pub(crate) fn tables<'d>(
    doc: &'d mut DocumentMut,
    key: &str,
    path: &str,
) -> Result<&'d mut ArrayOfTables, String> {
    if doc.get(key).is_none() {
        doc.insert(key, Item::ArrayOfTables(ArrayOfTables::new()));
    }
    doc.get_mut(key).and_then(Item::as_array_of_tables_mut).ok_or(format!(
        "{path}: `{key}` is not a list of [[{key}]] tables, so it cannot be edited\n  help: write each entry as a [[{key}]] table"
    ))
}

/// The updates of `fields` in the order of `order` (fields the sheet lacks left out).
pub(crate) fn updates(order: &[&'static str], fields: &Fields) -> Vec<Update> {
    order
        .iter()
        .filter_map(|f| fields.get(f).map(|v| (*f, v.clone())))
        .collect()
}

/// Puts `table` into `tables` at `index`, set apart by a blank line. A table that becomes the
/// first takes over the comment at the head of the file.
pub(crate) fn insert_table(tables: &mut toml_edit::ArrayOfTables, index: usize, mut table: Table) {
    let index = index.min(tables.len());
    let others = !tables.is_empty();
    match tables.get_mut(index).filter(|_| index == 0) {
        Some(first) => {
            *table.decor_mut() = first.decor().clone();
            first.decor_mut().set_prefix("\n");
        }
        None if others => table.decor_mut().set_prefix("\n"),
        None => {}
    }
    tables.insert(index, table);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_written() {
        let text = "# the SoA\n[[control]]\nid = \"A.5.1\"   # first\napplicable = true\njustification = \"\"\"\nPolicies.\n\"\"\"\nrisks = [\"R-1\"]\n";
        let mut doc: toml_edit::DocumentMut = text.parse().unwrap_or_default();
        let Some(table) = doc["control"]
            .as_array_of_tables_mut()
            .and_then(|a| a.get_mut(0))
        else {
            panic!("no control table");
        };
        let unchanged: Vec<Update> = vec![
            ("id", Some(FieldValue::Text("A.5.1".into()))),
            ("applicable", Some(FieldValue::Bool(true))),
            ("justification", Some(FieldValue::Text("Policies.".into()))),
            ("risks", Some(FieldValue::List(vec!["R-1".into()]))),
            ("owner", None),
        ];
        assert!(!apply(table, &unchanged));
        assert_eq!(doc.to_string(), text);
        let Some(table) = doc["control"]
            .as_array_of_tables_mut()
            .and_then(|a| a.get_mut(0))
        else {
            panic!("no control table");
        };
        assert!(apply(
            table,
            &[
                ("id", Some(FieldValue::Text("A.5.2".into()))),
                ("risks", Some(FieldValue::List(vec![]))),
                ("owner", Some(FieldValue::Text("bob".into()))),
            ]
        ));
        assert_eq!(
            doc.to_string(),
            "# the SoA\n[[control]]\nid = \"A.5.2\"   # first\napplicable = true\njustification = \"\"\"\nPolicies.\n\"\"\"\nowner = \"bob\"\n"
        );
    }
}
