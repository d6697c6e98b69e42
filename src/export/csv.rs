//! CSV per RFC 4180: UTF-8, a header row, CRLF line ends, formulas made inert.

use super::{Table, neutralise};

pub fn write(table: &Table) -> Result<Vec<u8>, String> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(table.columns.iter().map(|c| c.title))
        .map_err(|e| e.to_string())?;
    for (row, _) in &table.rows {
        out.write_record(
            row.iter()
                .map(|cell| neutralise(&cell.display()).into_owned()),
        )
        .map_err(|e| e.to_string())?;
    }
    out.into_inner().map_err(|e| e.to_string())
}
