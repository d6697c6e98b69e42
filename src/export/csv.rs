//! CSV per RFC 4180: UTF-8, a header row, CRLF line ends, formulas made inert.

use super::{Cell, Table, neutralise};

pub fn write(table: &Table) -> Result<Vec<u8>, String> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(table.columns.iter().map(|c| c.title))
        .map_err(|e| e.to_string())?;
    for (row, _) in &table.rows {
        out.write_record(row.iter().map(|cell| match cell {
            // Only text can carry a formula; a number such as -5 days left stays a number.
            Cell::Text(text) => neutralise(text).into_owned(),
            other => other.display(),
        }))
        .map_err(|e| e.to_string())?;
    }
    out.into_inner().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Column, Mark};

    #[test]
    fn negative_numbers_stay_numbers_and_text_formulas_are_made_inert() {
        let table = Table {
            register: crate::export::Register::Exceptions,
            title: "t",
            organisation: String::new(),
            date: crate::model::Date::parse("2026-11-27").unwrap(),
            columns: vec![Column {
                id: "a",
                title: "A",
                width: 1.0,
            }],
            rows: vec![
                (vec![Cell::Number(-5)], Mark::None),
                (vec![Cell::Text("-5".into())], Mark::None),
                (vec![Cell::Text("=1+1".into())], Mark::None),
            ],
        };
        let out = String::from_utf8(write(&table).unwrap()).unwrap();
        assert_eq!(out, "A\r\n-5\r\n'-5\r\n'=1+1\r\n");
    }
}
