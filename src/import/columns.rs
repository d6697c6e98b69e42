//! Which column holds which field: the headings `isms export` writes, the headings real trackers
//! use, and the user's `--map`. Also finds the header row, which need not be row 1.

use super::problem::{Problem, column_index, column_letters};
use super::sheet::{Sheet, Value};
use crate::suggest;

/// A field a register's rows can set, with the headings that name it (normalised: lower case,
/// words only, without any parenthesised part).
pub(crate) struct Field {
    pub name: &'static str,
    pub headings: &'static [&'static str],
}

/// What a register reads.
pub(crate) struct Layout {
    /// Sheet names tried when `--sheet` is not given.
    pub sheets: &'static [&'static str],
    /// The first field identifies a row.
    pub fields: &'static [Field],
    /// Columns `isms export` computes (scores, audit dates): read by nobody, reported once.
    pub computed: &'static [&'static str],
}

const fn field(name: &'static str, headings: &'static [&'static str]) -> Field {
    Field { name, headings }
}

pub(crate) const SOA: Layout = Layout {
    sheets: &[
        "Statement of Applicability",
        "SoA",
        "Statement of applicability",
    ],
    fields: &[
        field(
            "id",
            &[
                "control",
                "control id",
                "control no",
                "control number",
                "control ref",
                "control reference",
                "annex a control",
                "annex a",
                "annex a ref",
                "annex a reference",
                "ref",
                "reference",
                "id",
                "iso 27001 control",
            ],
        ),
        field(
            "applicable",
            &[
                "applicable",
                "applicability",
                "is applicable",
                "included",
                "selected",
                "in scope",
                "control applicable",
            ],
        ),
        field(
            "justification",
            &[
                "justification",
                "justification for inclusion exclusion",
                "justification for inclusion or exclusion",
                "reason",
                "reason for inclusion exclusion",
                "reason for selection",
                "rationale",
                "justification for exclusion",
            ],
        ),
        field(
            "basis",
            &["basis", "selection basis", "basis for selection"],
        ),
        field(
            "status",
            &[
                "status",
                "implementation status",
                "implementation",
                "implemented",
                "control status",
            ],
        ),
        field(
            "owner",
            &[
                "owner",
                "control owner",
                "responsible",
                "responsible person",
                "accountable",
            ],
        ),
        field(
            "risks",
            &["risks", "related risks", "risk ids", "risk references"],
        ),
        field(
            "documents",
            &["documents", "document ids", "related documents"],
        ),
        field("evidence", &["evidence", "evidence files"]),
    ],
    computed: &[
        "title",
        "control title",
        "control name",
        "name",
        "description",
        "control description",
        "theme",
        "category",
        "last audit",
        "last audited on",
        "open findings",
    ],
};

pub(crate) const RISKS: Layout = Layout {
    sheets: &["Risk register", "Risks", "Risk Register"],
    fields: &[
        field(
            "id",
            &[
                "risk",
                "risk id",
                "risk no",
                "risk number",
                "risk ref",
                "id",
                "ref",
                "reference",
            ],
        ),
        field(
            "title",
            &[
                "title",
                "risk title",
                "risk description",
                "description",
                "risk name",
                "name",
            ],
        ),
        field("owner", &["owner", "risk owner"]),
        field("area", &["area", "process", "department", "business area"]),
        field(
            "likelihood",
            &[
                "likelihood",
                "probability",
                "inherent likelihood",
                "likelihood before treatment",
            ],
        ),
        field(
            "impact",
            &[
                "impact",
                "consequence",
                "inherent impact",
                "impact before treatment",
            ],
        ),
        field(
            "treatment",
            &[
                "treatment",
                "treatment option",
                "risk treatment",
                "treatment decision",
                "decision",
                "response",
                "risk response",
            ],
        ),
        field(
            "controls",
            &[
                "controls",
                "annex a controls",
                "treatment controls",
                "related controls",
                "controls applied",
            ],
        ),
        field(
            "residual_likelihood",
            &[
                "residual likelihood",
                "likelihood after treatment",
                "target likelihood",
            ],
        ),
        field(
            "residual_impact",
            &["residual impact", "impact after treatment", "target impact"],
        ),
        field(
            "accepted_by",
            &[
                "accepted by",
                "risk accepted by",
                "acceptance by",
                "approved by",
            ],
        ),
        field(
            "accepted_on",
            &[
                "accepted on",
                "acceptance date",
                "date accepted",
                "approved on",
            ],
        ),
        field(
            "reviewed_on",
            &[
                "reviewed on",
                "last review",
                "last reviewed",
                "review date",
                "date reviewed",
            ],
        ),
    ],
    computed: &[
        "inherent score",
        "residual score",
        "above acceptance threshold",
        "review due",
        "risk score",
        "risk rating",
        "score",
        "residual risk",
        "inherent risk",
        "rating",
    ],
};

pub(crate) const FINDINGS: Layout = Layout {
    sheets: &[
        "Findings register",
        "Findings",
        "Findings Register",
        "Nonconformities",
    ],
    fields: &[
        field(
            "id",
            &[
                "finding",
                "finding id",
                "finding no",
                "finding number",
                "finding ref",
                "nc id",
                "nc no",
                "nc number",
                "id",
                "ref",
                "reference",
            ],
        ),
        field("audit", &["audit", "audit id", "audit ref"]),
        field(
            "type",
            &[
                "type",
                "finding type",
                "category",
                "classification",
                "grade",
                "grading",
            ],
        ),
        field(
            "refs",
            &[
                "requirements",
                "requirement",
                "clause",
                "clauses",
                "refs",
                "clause control",
                "control",
                "controls",
                "iso clause",
            ],
        ),
        field("area", &["area", "process", "department", "auditee area"]),
        field(
            "raised_by",
            &["raised by", "auditor", "reported by", "identified by"],
        ),
        field(
            "raised_on",
            &[
                "raised on",
                "date raised",
                "date",
                "date found",
                "date identified",
                "raised",
            ],
        ),
        field(
            "statement",
            &[
                "statement",
                "finding statement",
                "description",
                "nonconformity",
                "finding description",
                "details",
            ],
        ),
        field(
            "root_cause",
            &["root cause", "root cause analysis", "cause"],
        ),
        field(
            "actions",
            &[
                "corrective actions",
                "corrective action",
                "actions",
                "action",
                "action plan",
            ],
        ),
        field(
            "verification",
            &[
                "verification",
                "effectiveness",
                "effectiveness review",
                "verification of effectiveness",
            ],
        ),
    ],
    computed: &["status", "closed on", "age", "overdue action", "days open"],
};

/// A heading reduced to its words: `Applicable (Y/N)` and `applicable` are one heading.
pub(crate) fn normalise(heading: &str) -> String {
    let mut out = String::new();
    let mut depth = 0u32;
    for c in heading.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ if depth == 0 => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A user's `--map COLUMN=field`.
pub(crate) struct Mapping {
    column: String,
    /// `None`: leave the column out.
    field: Option<&'static str>,
}

/// Parses the `--map` arguments against `layout`.
pub(crate) fn mappings(args: &[String], layout: &Layout) -> Result<Vec<Mapping>, String> {
    let names: Vec<&str> = layout.fields.iter().map(|f| f.name).collect();
    args.iter()
        .map(|arg| {
            let (column, field) = arg.rsplit_once('=').ok_or_else(|| {
                format!("--map {arg}: write COLUMN=FIELD, such as `--map \"Ctrl ref=id\"`")
            })?;
            let field = field.trim();
            let field = if matches!(field, "ignore" | "-" | "") {
                None
            } else {
                Some(names.iter().copied().find(|n| *n == field).ok_or_else(|| {
                    let hint = suggest::hint(field, names.iter().copied())
                        .map_or(String::new(), |h| format!("{h} "));
                    format!(
                        "--map {arg}: `{field}` is not a field of this register\n  help: {hint}the fields are: {}, or `ignore`",
                        names.join(", ")
                    )
                })?)
            };
            Ok(Mapping {
                column: column.trim().to_string(),
                field,
            })
        })
        .collect()
}

/// The columns of the sheet that hold fields.
pub(crate) struct Header {
    /// Grid index of the header row; data follows it.
    pub row: usize,
    /// (grid column, field name) for every imported column.
    pub columns: Vec<(usize, &'static str)>,
}

impl Header {
    pub fn column_of(&self, field: &str) -> Option<usize> {
        self.columns
            .iter()
            .find(|(_, f)| *f == field)
            .map(|(c, _)| *c)
    }

    pub fn has(&self, field: &str) -> bool {
        self.column_of(field).is_some()
    }
}

/// How many rows from the top may hold titles before the header.
const HEADER_SEARCH_ROWS: usize = 20;

fn field_of(
    layout: &Layout,
    maps: &[Mapping],
    heading: &str,
    col: u32,
) -> Option<Option<&'static str>> {
    let by_heading = maps.iter().find(|m| {
        m.column.eq_ignore_ascii_case(heading.trim()) || normalise(&m.column) == normalise(heading)
    });
    let by_letter = || maps.iter().find(|m| column_index(&m.column) == Some(col));
    if let Some(m) = by_heading.or_else(by_letter) {
        return Some(m.field);
    }
    let key = normalise(heading);
    layout
        .fields
        .iter()
        .find(|f| f.headings.contains(&key.as_str()))
        .map(|f| Some(f.name))
}

/// Finds the header: the first of the top rows that names the identifying field and one more.
pub(crate) fn header(
    sheet: &Sheet,
    layout: &Layout,
    maps: &[Mapping],
    problems: &mut Vec<Problem>,
) -> Option<Header> {
    let id_field = layout.fields[0].name;
    for (index, row) in sheet.rows().take(HEADER_SEARCH_ROWS) {
        let mut columns: Vec<(usize, &'static str)> = Vec::new();
        let mut left_out = Vec::new();
        let mut duplicate = Vec::new();
        for (c, value) in row.iter().enumerate() {
            let Value::Text(heading) = value else {
                continue;
            };
            let col = sheet.cell(index, c).col;
            match field_of(layout, maps, heading, col) {
                Some(Some(field)) => {
                    if let Some((first, _)) = columns.iter().find(|(_, f)| *f == field) {
                        duplicate.push((c, *first, field, heading.trim().to_string()));
                    } else {
                        columns.push((c, field));
                    }
                }
                Some(None) => {}
                None => {
                    let key = normalise(heading);
                    if !key.is_empty() && !layout.computed.contains(&key.as_str()) {
                        left_out.push((c, heading.trim().to_string()));
                    }
                }
            }
        }
        if !(columns.iter().any(|(_, f)| *f == id_field) && columns.len() >= 2) {
            continue;
        }
        for (c, first, field, heading) in duplicate {
            problems.push(
                Problem::error(
                    Some(sheet.cell(index, c)),
                    format!(
                        "column `{heading}` is read as `{field}`, as is column {} already",
                        column_letters(sheet.cell(index, first).col)
                    ),
                )
                .help(format!(
                    "say which one holds `{field}`: `--map \"{heading}=ignore\"` leaves this one out"
                )),
            );
        }
        for (c, heading) in left_out {
            let names = layout.fields.iter().map(|f| f.name);
            let guess = suggest::did_you_mean(&normalise(&heading), names)
                .map_or(String::new(), |f| format!(" (`--map \"{heading}={f}\"`)"));
            problems.push(
                Problem::warning(
                    Some(sheet.cell(index, c)),
                    format!("column `{heading}` is not imported: no field of this register is named like it"),
                )
                .help(format!(
                    "to import it, name its field with --map{guess}; the fields are: {}",
                    layout.fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                )),
            );
        }
        columns.sort_unstable();
        return Some(Header {
            row: index,
            columns,
        });
    }
    problems.push(
        Problem::error(
            None,
            format!(
                "no header row in the first {HEADER_SEARCH_ROWS} rows: no row names the `{id_field}` column and another field"
            ),
        )
        .help(format!(
            "name the columns with --map, such as `--map \"Ref={id_field}\"`; headings read as `{id_field}`: {}",
            layout.fields[0].headings.join(", ")
        )),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_compared_by_their_words() {
        assert_eq!(normalise("Applicable (Y/N)"), "applicable");
        assert_eq!(normalise("  Control  ID "), "control id");
        assert_eq!(
            normalise("Justification for inclusion/exclusion"),
            "justification for inclusion exclusion"
        );
        assert_eq!(normalise("Annex A.Control"), "annex a control");
    }

    #[test]
    fn every_export_heading_is_read() {
        use crate::export::{Register, build};
        let isms = crate::model::Isms::default();
        let Some(today) = crate::model::Date::new(2026, 1, 1) else {
            panic!("a valid date")
        };
        for (register, layout) in [
            (Register::Soa, &SOA),
            (Register::Risks, &RISKS),
            (Register::Findings, &FINDINGS),
        ] {
            for column in build(register, &isms, today).columns {
                let key = normalise(column.title);
                let read = layout
                    .fields
                    .iter()
                    .any(|f| f.headings.contains(&key.as_str()));
                assert!(
                    read || layout.computed.contains(&key.as_str()),
                    "{}",
                    column.title
                );
            }
        }
    }
}
