//! JSON: one object with the register's name, the organisation, the date, the columns and one
//! object per row keyed by column id. Values keep their types: numbers, booleans, ISO dates.

use serde_json::{Map, Value, json};

use super::{Cell, Mark, Register, Table};

fn register_name(r: Register) -> &'static str {
    match r {
        Register::Soa => "soa",
        Register::Risks => "risks",
        Register::Findings => "findings",
        Register::Rcm => "rcm",
        Register::Framework => "framework",
        Register::Incidents => "incidents",
        Register::Objectives => "objectives",
        Register::ManagementReviews => "management-reviews",
        Register::Teams => "teams",
        Register::Controls => "controls",
        Register::Exceptions => "exceptions",
    }
}

fn value(cell: &Cell) -> Value {
    match cell {
        Cell::Empty => Value::Null,
        Cell::Text(s) => Value::String(s.clone()),
        Cell::Number(n) => json!(n),
        Cell::Date(d) => Value::String(d.to_string()),
        Cell::Bool(b) => Value::Bool(*b),
    }
}

pub fn write(table: &Table) -> String {
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|(row, mark)| {
            let mut object = Map::new();
            for (column, cell) in table.columns.iter().zip(row) {
                object.insert(column.id.to_string(), value(cell));
            }
            let flag = match mark {
                Mark::None => Value::Null,
                Mark::Attention => Value::String("attention".into()),
                Mark::Overdue => Value::String("overdue".into()),
            };
            object.insert("flag".into(), flag);
            Value::Object(object)
        })
        .collect();
    let doc = json!({
        "version": 1,
        "register": register_name(table.register),
        "title": table.title,
        "organisation": table.organisation,
        "date": table.date.to_string(),
        "columns": table.columns.iter().map(|c| json!({"id": c.id, "title": c.title})).collect::<Vec<_>>(),
        "rows": rows,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
