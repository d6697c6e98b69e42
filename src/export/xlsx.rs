//! XLSX for spreadsheet users: a title row, a frozen header with autofilter, fitted and wrapped
//! columns, real dates, and a fill for rows that need attention (amber) or are overdue (red).

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use super::{Cell, Mark, Table, neutralise};

const AMBER: u32 = 0xFFF2CC;
const RED: u32 = 0xF8CBAD;

fn date(d: crate::model::Date) -> Result<ExcelDateTime, XlsxError> {
    let text = d.to_string();
    let mut parts = text.split('-').map(|p| p.parse::<u16>().unwrap_or(1));
    let (y, m, day) = (
        parts.next().unwrap_or(1900),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    );
    ExcelDateTime::from_ymd(y, m as u8, day as u8)
}

pub fn write(table: &Table) -> Result<Vec<u8>, String> {
    build(table).map_err(|e| format!("cannot write the XLSX file: {e}"))
}

fn build(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    // A fixed creation date (the export date) keeps the file byte-for-byte reproducible.
    workbook.set_properties(
        &DocProperties::new()
            .set_title(table.title)
            .set_company(&table.organisation)
            .set_creation_datetime(&date(table.date)?),
    );
    let sheet = workbook.add_worksheet();
    sheet.set_name(table.title.chars().take(31).collect::<String>())?;

    let last_col = table.columns.len().saturating_sub(1) as u16;
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border_bottom(FormatBorder::Thin);
    let heading = if table.organisation.is_empty() {
        format!("{} as of {}", table.title, table.date)
    } else {
        format!(
            "{}: {} as of {}",
            table.organisation, table.title, table.date
        )
    };
    sheet.merge_range(0, 0, 0, last_col, &heading, &title)?;
    for (c, column) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, column.title, &header)?;
        sheet.set_column_width(c as u16, column.width)?;
    }

    let base = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (r, (row, mark)) in table.rows.iter().enumerate() {
        let row_no = (r + 2) as u32;
        let format = match mark {
            Mark::None => base.clone(),
            Mark::Attention => base.clone().set_background_color(Color::RGB(AMBER)),
            Mark::Overdue => base.clone().set_background_color(Color::RGB(RED)),
        };
        let date_format = format.clone().set_num_format("yyyy-mm-dd");
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            match cell {
                Cell::Empty => {
                    sheet.write_blank(row_no, col, &format)?;
                }
                // Strings are never formulas in XLSX; the apostrophe also keeps a copied value inert.
                Cell::Text(s) => {
                    sheet.write_string_with_format(row_no, col, neutralise(s).as_ref(), &format)?;
                }
                Cell::Number(n) => {
                    sheet.write_number_with_format(row_no, col, *n as f64, &format)?;
                }
                Cell::Date(d) => {
                    sheet.write_datetime_with_format(row_no, col, &date(*d)?, &date_format)?;
                }
                Cell::Bool(b) => {
                    sheet.write_string_with_format(
                        row_no,
                        col,
                        if *b { "yes" } else { "no" },
                        &format,
                    )?;
                }
            }
        }
    }
    sheet.set_freeze_panes(2, 0)?;
    let last_row = (table.rows.len() + 1) as u32;
    sheet.autofilter(1, 0, last_row, last_col)?;
    workbook.save_to_buffer()
}
