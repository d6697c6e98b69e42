//! What a cell means: yes/no, numbers, dates, lists, Annex A control ids in their many spellings
//! (2013 ids mapped to 2022), and people and areas by id, name or e-mail.

use super::sheet::Value;
use crate::catalog;
use crate::model::{Date, Isms};

/// A cell that cannot be read: what is wrong and how to write it.
#[derive(Debug)]
pub(crate) struct Bad {
    pub message: String,
    pub help: String,
}

fn bad(message: impl Into<String>, help: impl Into<String>) -> Bad {
    Bad {
        message: message.into(),
        help: help.into(),
    }
}

/// A value to write into a TOML file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum FieldValue {
    Text(String),
    Bool(bool),
    Int(i64),
    Date(Date),
    List(Vec<String>),
}

/// Yes or no: `Yes/No/Y/N/TRUE/FALSE/1/0/X`; empty or `undecided` is not decided.
pub(crate) fn yes_no(value: &Value) -> Result<Option<bool>, Bad> {
    if let Value::Bool(b) = value {
        return Ok(Some(*b));
    }
    let text = value.text().to_lowercase();
    match text.as_str() {
        "" | "undecided" | "missing" | "tbd" | "?" => Ok(None),
        "yes" | "y" | "true" | "1" | "x" | "included" | "applicable" => Ok(Some(true)),
        "no" | "n" | "false" | "0" | "excluded" | "not applicable" | "n/a" | "na" => {
            Ok(Some(false))
        }
        _ => Err(bad(
            format!("`{}` is not yes or no", value.text()),
            "write Yes or No (also Y/N, TRUE/FALSE, 1/0); leave it empty when not decided",
        )),
    }
}

/// A whole number, also from text such as `4` or `4 - Likely`.
pub(crate) fn number(value: &Value) -> Result<Option<i64>, Bad> {
    match value {
        Value::Empty => Ok(None),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Ok(Some(*n as i64)),
        _ => {
            let text = value.text();
            if text.is_empty() {
                return Ok(None);
            }
            let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
            let rest = text[digits.len()..].trim_start();
            match digits.parse::<i64>() {
                Ok(n) if rest.is_empty() || rest.starts_with(['-', '(', ':', ' ', '=']) => {
                    Ok(Some(n))
                }
                _ => Err(bad(
                    format!("`{text}` is not a whole number"),
                    "write a number such as 4 (a leading number, as in `4 - Likely`, is read too)",
                )),
            }
        }
    }
}

/// A date: a spreadsheet date, or text written `YYYY-MM-DD`.
pub(crate) fn date(value: &Value) -> Result<Option<Date>, Bad> {
    match value {
        Value::Date(d) => Ok(Some(*d)),
        _ => {
            let text = value.text();
            if text.is_empty() {
                return Ok(None);
            }
            Date::parse(&text).map(Some).map_err(|_| {
                bad(
                    format!("`{text}` is not a date"),
                    "write it as YYYY-MM-DD (2026-03-12), or format the cell as a date: day/month orders differ between countries",
                )
            })
        }
    }
}

/// Free text, trimmed; formulas made inert by `isms export` (a leading apostrophe) are restored.
pub(crate) fn text(value: &Value) -> Option<String> {
    let text = value.text();
    let text = match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => text,
    };
    (!text.is_empty()).then_some(text)
}

/// Items separated by commas, semicolons or line breaks.
pub(crate) fn list(value: &Value) -> Vec<String> {
    text(value)
        .unwrap_or_default()
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// One of `allowed`, or one of its other spellings in `aliases` (compared in lower case).
pub(crate) fn choice(
    value: &Value,
    allowed: &[&'static str],
    aliases: &[(&str, &'static str)],
) -> Result<Option<&'static str>, Bad> {
    let raw = value.text();
    if raw.is_empty() {
        return Ok(None);
    }
    let key = raw.to_lowercase().replace(['_', ' '], "-");
    allowed
        .iter()
        .copied()
        .find(|a| *a == key)
        .or_else(|| {
            aliases
                .iter()
                .find(|(alias, _)| alias.replace(' ', "-") == key)
                .map(|(_, a)| *a)
        })
        .map(Some)
        .ok_or_else(|| {
            bad(
                format!("`{raw}` is not one of {}", allowed.join(", ")),
                format!("write one of: {}", allowed.join(", ")),
            )
        })
}

/// An Annex A control as written in the sheet, resolved to the 2022 catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Control {
    /// The 2022 controls (`A.5.18`); more than one when a 2013 control was split.
    pub ids: Vec<String>,
    /// For a 2013 id: the id as written, such as `A.9.2.6`.
    pub from_2013: Option<String>,
}

impl Control {
    /// "A.9.2.6 (ISO/IEC 27001:2013) is A.5.18 in the 2022 edition".
    pub fn note(&self) -> Option<String> {
        self.from_2013.as_ref().map(|old| {
            if self.ids.len() == 1 {
                format!(
                    "{old} (ISO/IEC 27001:2013) is {} in the 2022 edition, and is imported as such",
                    self.ids[0]
                )
            } else {
                format!(
                    "{old} (ISO/IEC 27001:2013) became {} in the 2022 edition: the row is imported for each",
                    self.ids.join(" and ")
                )
            }
        })
    }
}

/// Reads `5.15`, `A 5.15`, `A.5.15`, `A5.15`, `A.05.15` or a 2013 id (`A.9.2.6`), optionally
/// followed by the title (`A.5.15 Access control`). `number_cell` says the spreadsheet stored
/// it as a number, where `5.10` reads back as `5.1`.
pub(crate) fn control(raw: &str, number_cell: bool) -> Result<Control, Bad> {
    let catalog = catalog::iso27001();
    let trimmed = raw.trim();
    let rest = trimmed
        .strip_prefix(['A', 'a'])
        .map_or(trimmed, |r| r.trim_start_matches(['.', ' ', '-']));
    let token: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let tail = &rest[token.len()..];
    let parts: Vec<&str> = token.trim_end_matches('.').split('.').collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
    let well_formed =
        !token.is_empty() && (tail.is_empty() || tail.starts_with([' ', '\t', ':', '-', '–']));
    let not_a_control = || {
        let guess = crate::suggest::hint(trimmed, catalog.controls.iter().map(|c| c.id.as_str()))
            .map_or(String::new(), |h| format!("{h} "));
        bad(
            format!("`{trimmed}` is not an Annex A control of ISO/IEC 27001:2022 or :2013"),
            format!(
                "{guess}write the control as A.5.15 (5.1 to 5.37, 6.1 to 6.8, 7.1 to 7.14, 8.1 to 8.34), or a 2013 id such as A.9.2.6"
            ),
        )
    };
    let Some(numbers) = numbers.filter(|_| well_formed) else {
        return Err(not_a_control());
    };
    match numbers.as_slice() {
        [theme, n] => {
            let id = format!("A.{theme}.{n}");
            if catalog.control(&id).is_some() {
                Ok(Control {
                    ids: vec![id],
                    from_2013: None,
                })
            } else if number_cell {
                Err(bad(
                    format!("`{trimmed}` is not an Annex A control of ISO/IEC 27001:2022"),
                    "the cell holds a number, and a spreadsheet shows 5.10 as 5.1: format the column as text and type the ids again",
                ))
            } else {
                Err(not_a_control())
            }
        }
        [a, b, c] => {
            let old = format!("A.{a}.{b}.{c}");
            let successor = catalog.successor_of_2013(&old).ok_or_else(not_a_control)?;
            let ids = successor.controls;
            Ok(Control {
                ids,
                from_2013: Some(old),
            })
        }
        _ => Err(not_a_control()),
    }
}

/// The person of people.toml that `raw` names by id, name or e-mail (any case).
pub(crate) fn person(isms: &Isms, raw: &str) -> Result<String, Bad> {
    let key = raw.trim().to_lowercase();
    let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
    let matches: Vec<&str> = isms
        .people
        .iter()
        .filter(|p| {
            p.id.as_str().to_lowercase() == key
                || p.name
                    .get()
                    .to_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    == key
                || p.emails.iter().any(|e| e.get().to_lowercase() == key)
        })
        .map(|p| p.id.as_str())
        .collect();
    match matches.as_slice() {
        [one] => Ok((*one).to_string()),
        [] => {
            let mut near: Vec<(f64, &str, &str)> = isms
                .people
                .iter()
                .map(|p| {
                    let name = p.name.get().to_lowercase();
                    let score = strsim::jaro_winkler(&key, &name)
                        .max(strsim::jaro_winkler(&key, &p.id.as_str().to_lowercase()));
                    (score, p.id.as_str(), p.name.get().as_str())
                })
                .collect();
            near.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            let listed = near
                .iter()
                .take(3)
                .map(|(_, id, name)| format!("`{id}` ({name})"))
                .collect::<Vec<_>>()
                .join(", ");
            Err(bad(
                format!("`{}` is not a person of people.toml", raw.trim()),
                if listed.is_empty() {
                    "people.toml names nobody yet: add the person there first".to_string()
                } else {
                    format!(
                        "the nearest are {listed}; write a person's id, name or e-mail, or add the person to people.toml"
                    )
                },
            ))
        }
        many => Err(bad(
            format!(
                "`{}` names more than one person: {}",
                raw.trim(),
                many.join(", ")
            ),
            "write the person's id instead",
        )),
    }
}

/// The area of areas.toml that `raw` names by id or name (any case).
pub(crate) fn area(isms: &Isms, raw: &str) -> Result<String, Bad> {
    let key = raw.trim().to_lowercase();
    isms.areas
        .iter()
        .find(|a| a.id.as_str().to_lowercase() == key || a.name.get().to_lowercase() == key)
        .map(|a| a.id.as_str().to_string())
        .ok_or_else(|| {
            let ids = isms.areas.iter().map(|a| a.id.as_str());
            let guess =
                crate::suggest::hint(raw.trim(), ids).map_or(String::new(), |h| format!("{h} "));
            bad(
                format!("`{}` is not an area of areas.toml", raw.trim()),
                format!(
                    "{guess}write an area's id or name ({}), or add the area to areas.toml",
                    isms.areas
                        .iter()
                        .map(|a| a.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(raw: &str) -> Vec<String> {
        control(raw, false).map(|c| c.ids).unwrap_or_default()
    }

    #[test]
    fn controls_in_every_spelling() {
        for raw in [
            "5.15",
            "A 5.15",
            "A.5.15",
            "a.5.15",
            "A5.15",
            "A.05.15",
            "A.5.15 Access control",
            "A.5.15: Access control",
        ] {
            assert_eq!(ids(raw), ["A.5.15"], "{raw}");
        }
        let old = control("A.9.2.6", false)
            .map_err(|b| b.message)
            .unwrap_or_else(|m| panic!("{m}"));
        assert_eq!(old.ids, ["A.5.18"]);
        assert_eq!(old.from_2013.as_deref(), Some("A.9.2.6"));
        assert!(
            old.note()
                .is_some_and(|n| n.contains("A.9.2.6") && n.contains("A.5.18"))
        );
        for raw in [
            "5.38",
            "9.2",
            "A.19.1.1",
            "Access control",
            "",
            "5.15x",
            "A.5",
        ] {
            assert!(control(raw, false).is_err(), "{raw}");
        }
        assert!(control("5.1x", true).is_err());
        assert!(control("5.99", true).is_err_and(|b| b.help.contains("format the column as text")));
    }

    #[test]
    fn yes_and_no_in_every_spelling() {
        for raw in ["Yes", "y", "TRUE", "1", "x"] {
            assert_eq!(
                yes_no(&Value::Text(raw.into())).ok(),
                Some(Some(true)),
                "{raw}"
            );
        }
        for raw in ["No", "N", "false", "0", "N/A"] {
            assert_eq!(
                yes_no(&Value::Text(raw.into())).ok(),
                Some(Some(false)),
                "{raw}"
            );
        }
        assert_eq!(yes_no(&Value::Empty).ok(), Some(None));
        assert_eq!(yes_no(&Value::Number(1.0)).ok(), Some(Some(true)));
        assert!(yes_no(&Value::Text("Maybe".into())).is_err());
    }

    #[test]
    fn numbers_dates_and_text() {
        assert_eq!(
            number(&Value::Text("4 - Likely".into())).ok(),
            Some(Some(4))
        );
        assert_eq!(number(&Value::Number(3.0)).ok(), Some(Some(3)));
        assert!(number(&Value::Number(3.5)).is_err());
        assert!(number(&Value::Text("high".into())).is_err());
        assert!(date(&Value::Text("12/03/2026".into())).is_err());
        assert_eq!(
            date(&Value::Text("2026-03-12".into()))
                .ok()
                .flatten()
                .map(|d| d.to_string())
                .as_deref(),
            Some("2026-03-12")
        );
        assert_eq!(
            text(&Value::Text("'-1 day".into())).as_deref(),
            Some("-1 day")
        );
        assert_eq!(
            text(&Value::Text("'quoted'".into())).as_deref(),
            Some("'quoted'")
        );
        assert_eq!(
            list(&Value::Text("R-1, R-2;R-3\nR-4".into())),
            ["R-1", "R-2", "R-3", "R-4"]
        );
    }
}
