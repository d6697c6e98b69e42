//! The risk register from a sheet: one row per risk, written into risks.toml; new risks are
//! added at the end, in the sheet's order.

use toml_edit::Table;

use super::columns::Header;
use super::edit;
use super::problem::Cell;
use super::values::{self, FieldValue};
use super::{Current, Fields, Plan, Reader, counted};

const PATH: &str = "risks.toml";

const ID: super::IdRule = super::IdRule {
    valid: |id| !id.contains(char::is_whitespace),
    invalid: "ids have no spaces",
    example: "R-004",
};

/// The fields every risk has.
const REQUIRED: [&str; 5] = ["title", "owner", "likelihood", "impact", "treatment"];
/// The order risks.toml lists them in, as `isms new risk` writes them.
const ORDER: [&str; 12] = [
    "title",
    "owner",
    "area",
    "likelihood",
    "impact",
    "treatment",
    "controls",
    "residual_likelihood",
    "residual_impact",
    "accepted_by",
    "accepted_on",
    "reviewed_on",
];

const TREATMENTS: [&str; 4] = ["modify", "retain", "avoid", "share"];
const TREATMENT_ALIASES: [(&str, &str); 10] = [
    ("mitigate", "modify"),
    ("reduce", "modify"),
    ("treat", "modify"),
    ("modification", "modify"),
    ("accept", "retain"),
    ("tolerate", "retain"),
    ("retention", "retain"),
    ("transfer", "share"),
    ("sharing", "share"),
    ("terminate", "avoid"),
];

fn read_row(reader: &mut Reader<'_>, header: &Header, row: usize, scale: i64) -> Fields {
    let mut fields = Fields::new();
    let mut put = |name, value| super::put(&mut fields, name, value);
    put("title", reader.text(header, row, "title"));
    put("owner", reader.person(header, row, "owner"));
    put("area", reader.area(header, row, "area"));
    for name in [
        "likelihood",
        "impact",
        "residual_likelihood",
        "residual_impact",
    ] {
        put(
            name,
            reader.field(header, row, name, |v| match values::number(v)? {
                Some(n) if !(1..=scale).contains(&n) => Err(values::Bad {
                    message: format!("{n} is outside the risk scale of 1 to {scale}"),
                    help: format!("write a number from 1 to {scale}, or change `scale` under [risk] in isms.toml"),
                }),
                n => Ok(n.map(FieldValue::Int)),
            }),
        );
    }
    put(
        "treatment",
        reader.choice(header, row, "treatment", &TREATMENTS, &TREATMENT_ALIASES),
    );
    put("controls", reader.controls(header, row, "controls"));
    put("accepted_by", reader.person(header, row, "accepted_by"));
    put("accepted_on", reader.date(header, row, "accepted_on"));
    put("reviewed_on", reader.date(header, row, "reviewed_on"));
    fields
}

pub(super) fn plan(
    reader: &mut Reader<'_>,
    header: &Header,
    rows: &[usize],
    current: &Current<'_>,
) -> Result<Plan, String> {
    let scale = i64::from(*current.isms.config_or_default().risk.scale.get());
    let mut seen: Vec<(String, Cell)> = Vec::new();
    let mut imported: Vec<(String, Fields)> = Vec::new();
    for &row in rows {
        let Some(at) = reader.cell(header, row, "id") else {
            continue;
        };
        let Some(id) = super::row_id(reader, at, "risk", &ID, &seen) else {
            continue;
        };
        let fields = read_row(reader, header, row, scale);
        let exists = current.isms.risk(&id).is_some();
        super::require(
            reader,
            header,
            (at.0, &format!("risk {id}")),
            (&fields, exists),
            &REQUIRED,
            "every risk has a title, an owner, a likelihood, an impact and a treatment: fill the cells (or add the columns)",
        );
        seen.push((id.clone(), at.0));
        imported.push((id, fields));
    }

    let before = (current.read)(PATH)?;
    let mut doc = edit::parse(PATH, before.as_deref())?;
    let entries = edit::tables(&mut doc, "risk", PATH)?;
    let (mut changed, mut added) = (0, 0);
    for (id, fields) in imported {
        let updates = edit::updates(&ORDER, &fields);
        let found = entries
            .iter_mut()
            .find(|t| t.get("id").and_then(|i| i.as_str()) == Some(id.as_str()));
        match found {
            Some(table) => {
                if edit::apply(table, &updates) {
                    changed += 1;
                }
            }
            None => {
                let mut table = Table::new();
                edit::apply(&mut table, &[("id", Some(FieldValue::Text(id)))]);
                edit::apply(&mut table, &updates);
                edit::insert_table(entries, entries.len(), table);
                added += 1;
            }
        }
    }
    let summary = counted("risk", "risks", changed, added);
    Ok(super::one_file(PATH, before, doc.to_string(), summary))
}
