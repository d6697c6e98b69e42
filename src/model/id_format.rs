//! `[audit] id_format`: how `isms new audit` names audits, e.g. `IA-FY{fy}-{n:02}` for
//! organisations that count audits by fiscal year. Checked when read, so a template that
//! cannot give a valid id is a located LOAD002, never a surprise at `isms new audit`.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{AuditId, Date};

/// The default: `IA-2026-01`.
pub const DEFAULT_AUDIT_ID_FORMAT: &str = "IA-{year}-{n:02}";

/// A parsed audit id template. Placeholders: `{year}` (the calendar year of the audit's start),
/// `{fy}` (the fiscal year: the last two digits of the year in which the twelve months from
/// `cycle_start` holding the start end), `{fyyy}` (the same, four digits), and last `{n}` or
/// `{n:0W}` (the sequence number, zero-padded to W digits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdFormat {
    template: String,
    parts: Vec<Part>,
    width: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Year,
    FiscalYear,
    FiscalYearFull,
}

impl Default for IdFormat {
    fn default() -> Self {
        Self::parse(DEFAULT_AUDIT_ID_FORMAT).unwrap_or_else(|_| IdFormat {
            template: DEFAULT_AUDIT_ID_FORMAT.into(),
            parts: vec![Part::Text("IA-".into()), Part::Year, Part::Text("-".into())],
            width: 2,
        })
    }
}

impl IdFormat {
    /// Reads a template; the error is a sentence for the user.
    pub fn parse(template: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = template;
        loop {
            let Some(open) = rest.find('{') else {
                return Err(format!(
                    "`{template}` has no sequence number: end it with `{{n}}` or `{{n:02}}`"
                ));
            };
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(format!("`{template}` has a `{{` without its `}}`"));
            };
            let name = &after[..close];
            rest = &after[close + 1..];
            let width = match name {
                "year" => {
                    parts.push(Part::Year);
                    continue;
                }
                "fy" => {
                    parts.push(Part::FiscalYear);
                    continue;
                }
                "fyyy" => {
                    parts.push(Part::FiscalYearFull);
                    continue;
                }
                "n" => 1,
                _ => match name.strip_prefix("n:0").map(str::parse::<usize>) {
                    Some(Ok(w)) if (1..=6).contains(&w) => w,
                    _ => {
                        return Err(format!(
                            "`{{{name}}}` in `{template}` is not a placeholder: use {{year}}, {{fy}}, {{fyyy}}, and last {{n}} or {{n:02}}"
                        ));
                    }
                },
            };
            if !rest.is_empty() {
                return Err(format!(
                    "`{template}` has text after the sequence number: put `{{n}}` last"
                ));
            }
            let format = IdFormat {
                template: template.to_string(),
                parts,
                width,
            };
            // The id it gives must be a valid audit id.
            let sample = format!("{}1", format.render(2026, 2026));
            AuditId::parse(&sample).map_err(|e| format!("`{template}` gives `{sample}`: {e}"))?;
            return Ok(format);
        }
    }

    /// Everything before the sequence number for an audit starting on `start`; the fiscal year
    /// starts on the day and month of `cycle_start` (1 January without it).
    pub fn prefix(&self, start: Date, cycle_start: Option<Date>) -> String {
        self.render(i32::from(start.year()), fiscal_year(start, cycle_start))
    }

    fn render(&self, year: i32, fy: i32) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Year => year.to_string(),
                Part::FiscalYear => format!("{:02}", fy.rem_euclid(100)),
                Part::FiscalYearFull => fy.to_string(),
            })
            .collect()
    }

    /// Digits of the sequence number.
    pub fn width(&self) -> usize {
        self.width
    }

    pub fn as_str(&self) -> &str {
        &self.template
    }
}

/// The year in which the fiscal year holding `day` ends. A fiscal year runs twelve months from
/// an anniversary of `cycle_start`: from 2025-02-01 it ends on 2026-01-31, so it is 2026.
pub fn fiscal_year(day: Date, cycle_start: Option<Date>) -> i32 {
    let Some(anchor) = cycle_start else {
        return i32::from(day.year());
    };
    // The anniversary of the anchor on or before `day`, counted from the anchor itself so a
    // start on the 31st does not drift.
    let mut k = i64::from(day.year()) - i64::from(anchor.year()) + 1;
    while anchor.add_months(12 * k) > day {
        k -= 1;
    }
    i32::from(anchor.add_months(12 * (k + 1)).add_days(-1).year())
}

impl<'de> Deserialize<'de> for IdFormat {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        IdFormat::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for IdFormat {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.template)
    }
}

impl JsonSchema for IdFormat {
    fn schema_name() -> Cow<'static, str> {
        "IdFormat".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[^{}]*(\\{(year|fy|fyyy)\\}[^{}]*)*\\{n(:0[1-6])?\\}$",
            "description": "Audit ids made by `isms new audit`: {year}, {fy} (two digits), {fyyy}, and last {n} or {n:02}"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn fiscal_years_are_named_by_the_year_they_end_in() {
        let feb = Some(d("2025-02-01"));
        assert_eq!(fiscal_year(d("2025-02-01"), feb), 2026);
        assert_eq!(fiscal_year(d("2026-01-31"), feb), 2026);
        assert_eq!(fiscal_year(d("2026-02-01"), feb), 2027);
        assert_eq!(
            fiscal_year(d("2024-06-30"), feb),
            2025,
            "before the first cycle"
        );
        assert_eq!(fiscal_year(d("2026-06-30"), Some(d("2026-01-01"))), 2026);
        assert_eq!(fiscal_year(d("2026-06-30"), None), 2026);
    }

    #[test]
    fn templates_give_prefixes_and_widths() {
        let f = IdFormat::parse("IA-FY{fy}-{n:02}").unwrap();
        assert_eq!(f.prefix(d("2025-11-03"), Some(d("2025-02-01"))), "IA-FY26-");
        assert_eq!(f.width(), 2);
        let default = IdFormat::default();
        assert_eq!(
            default.prefix(d("2026-03-10"), Some(d("2025-02-01"))),
            "IA-2026-"
        );
    }

    #[test]
    fn bad_templates_are_explained() {
        for (bad, says) in [
            ("IA-{fy}", "no sequence number"),
            ("IA-{n}-{fy}", "put `{n}` last"),
            ("IA-{quarter}-{n}", "not a placeholder"),
            ("IA {fy} {n}", "gives `IA 26 1`"),
            ("IA-{fy-{n}", "not a placeholder"),
        ] {
            let err = IdFormat::parse(bad).unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
