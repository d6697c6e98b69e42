//! What goes wrong in a spreadsheet, said at its cell (`SoA!C12`) with a hint, the way a
//! spreadsheet user finds it again.

use std::fmt;

use crate::diagnostics::Severity;

/// A cell of the sheet: its row (1-based, as the spreadsheet shows it) and column (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Cell {
    pub row: u32,
    pub col: u32,
}

/// The spreadsheet's letters for a 0-based column: 0 is A, 26 is AA.
pub(crate) fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// The 0-based column that letters name (`C` is 2), if they are letters only.
pub(crate) fn column_index(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let n = letters
        .to_ascii_uppercase()
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
    Some(n - 1)
}

/// One problem with the sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub severity: Severity,
    pub cell: Option<Cell>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn error(cell: Option<Cell>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            cell,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(cell: Option<Cell>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(cell, message)
        }
    }

    pub fn note(cell: Option<Cell>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Info,
            ..Self::error(cell, message)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Problems of one sheet, printed as `error: SoA!C12: message`, with the file, row and column
/// underneath and the hint.
pub(crate) struct Report<'a> {
    /// The spreadsheet as the user named it.
    pub file: &'a str,
    /// The sheet's name (a CSV file's stem).
    pub sheet: &'a str,
    pub problems: &'a [Problem],
}

/// A sheet's name as a spreadsheet's formula bar writes it: quoted when it holds more than
/// letters, digits and underscores (`'SoA 2024'!C12`).
fn quoted(sheet: &str) -> String {
    if sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sheet = quoted(self.sheet);
        for p in self.problems {
            match p.cell {
                Some(c) => {
                    let letters = column_letters(c.col);
                    writeln!(
                        f,
                        "{}: {sheet}!{letters}{}: {}",
                        p.severity, c.row, p.message
                    )?;
                    writeln!(
                        f,
                        "  --> {}:{}:{} (sheet {}, row {}, column {letters})",
                        self.file,
                        c.row,
                        c.col + 1,
                        self.sheet,
                        c.row
                    )?;
                }
                None => {
                    writeln!(f, "{}: {sheet}: {}", p.severity, p.message)?;
                    writeln!(f, "  --> {}", self.file)?;
                }
            }
            if let Some(help) = &p.help {
                writeln!(f, "  = help: {help}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        for col in [0, 2, 25, 26, 701, 702] {
            assert_eq!(column_index(&column_letters(col)), Some(col));
        }
        assert_eq!(column_index("c"), Some(2));
        assert_eq!(column_index("Owner"), None);
        assert_eq!(column_index("C1"), None);
    }

    #[test]
    fn sheet_names_are_quoted_as_formulas_quote_them() {
        assert_eq!(quoted("SoA"), "SoA");
        assert_eq!(quoted("SoA 2024"), "'SoA 2024'");
        assert_eq!(quoted("Bob's"), "'Bob''s'");
    }
}
