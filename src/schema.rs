//! JSON Schemas (draft-07) of every file kind, generated from the model, for editors (Taplo).

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use crate::model::{
    Area, ChecklistItem, Config, DocumentFront, Finding, Incident, InternalControl,
    ManagementReview, Objective, Person, Plan, ProgrammeFile, ReportFront, Risk, SoaEntry, Team,
};

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
/// people.toml: everyone who owns, approves, audits or commits to the ISMS.
struct PeopleFile {
    #[serde(default)]
    person: Vec<Person>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
/// controls.toml: the organisation's own controls, mapped to Annex A and other frameworks.
struct ControlsFile {
    #[serde(default)]
    control: Vec<InternalControl>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
/// teams.toml: teams that own and approve, each with a lead and members.
struct TeamsFile {
    #[serde(default)]
    team: Vec<Team>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
/// areas.toml: the processes and departments in scope.
struct AreasFile {
    #[serde(default)]
    area: Vec<Area>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
/// soa.toml: the Statement of Applicability, one entry per Annex A control.
struct SoaFile {
    #[serde(default)]
    control: Vec<SoaEntry>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
/// risks.toml: the risk register.
struct RisksFile {
    #[serde(default)]
    risk: Vec<Risk>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
/// audits/<ID>/checklist.toml: what the audit examined, with results and objective evidence.
struct ChecklistFile {
    #[serde(default)]
    item: Vec<ChecklistItem>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
/// objectives.toml: the information security objectives with their results.
struct ObjectivesFile {
    #[serde(default)]
    objective: Vec<Objective>,
}

/// Every kind with a schema, and the file it describes.
pub const KINDS: [(&str, &str); 18] = [
    ("isms", "isms.toml"),
    ("people", "people.toml"),
    ("teams", "teams.toml"),
    ("areas", "areas.toml"),
    ("soa", "soa.toml"),
    ("controls", "controls.toml"),
    ("risks", "risks.toml"),
    ("document", "documents/**/*.md (front matter)"),
    ("programme", "audits/programme.toml"),
    ("plan", "audits/<ID>/plan.toml"),
    ("checklist", "audits/<ID>/checklist.toml"),
    ("report", "audits/<ID>/report.md (front matter)"),
    ("finding", "findings/<ID>.toml"),
    ("framework", ".isms/frameworks/<NAME>.toml"),
    ("management-review", "management-reviews/<ID>.toml"),
    ("objectives", "objectives.toml"),
    ("incident", "incidents/<ID>.toml"),
    ("exception", "exceptions/<ID>.toml"),
];

fn generate<T: JsonSchema>(title: &str) -> Schema {
    let mut schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    schema
}

/// FIND011: a nonconformity (major or minor) records its assessed `risk`.
fn nonconformities_need_risk(mut schema: Schema) -> Schema {
    schema.insert(
        "if".into(),
        serde_json::json!({
            "properties": {"type": {"enum": ["major-nc", "minor-nc"]}},
            "required": ["type"]
        }),
    );
    schema.insert("then".into(), serde_json::json!({"required": ["risk"]}));
    schema
}

/// `[audits]` is read as another name for `[audit]`; the two may not both be written.
fn audits_alias(mut schema: Schema) -> Schema {
    let audit = schema
        .get("properties")
        .and_then(|p| p.get("audit"))
        .cloned();
    if let (Some(mut audit), Some(properties)) = (
        audit,
        schema.get_mut("properties").and_then(|p| p.as_object_mut()),
    ) {
        if let Some(object) = audit.as_object_mut() {
            object.insert(
                "description".into(),
                "Another name for [audit]; write one of the two.".into(),
            );
        }
        properties.insert("audits".into(), audit);
    }
    schema.insert(
        "not".into(),
        serde_json::json!({"required": ["audit", "audits"]}),
    );
    schema
}

/// The schema of one kind, or `None` for an unknown kind.
pub fn schema(kind: &str) -> Option<Schema> {
    let file = KINDS.iter().find(|(k, _)| *k == kind)?.1;
    Some(match kind {
        "isms" => audits_alias(generate::<Config>(file)),
        "people" => generate::<PeopleFile>(file),
        "teams" => generate::<TeamsFile>(file),
        "areas" => generate::<AreasFile>(file),
        "soa" => generate::<SoaFile>(file),
        "controls" => generate::<ControlsFile>(file),
        "risks" => generate::<RisksFile>(file),
        "document" => generate::<DocumentFront>(file),
        "programme" => generate::<ProgrammeFile>(file),
        "plan" => generate::<Plan>(file),
        "checklist" => generate::<ChecklistFile>(file),
        "report" => generate::<ReportFront>(file),
        "finding" => nonconformities_need_risk(generate::<Finding>(file)),
        "framework" => generate::<crate::frameworks::Pack>(file),
        "management-review" => generate::<ManagementReview>(file),
        "objectives" => generate::<ObjectivesFile>(file),
        "incident" => generate::<Incident>(file),
        "exception" => generate::<crate::model::Exception>(file),
        _ => return None,
    })
}

/// The schema as committed under schema/: pretty JSON ending in a newline.
pub fn schema_text(kind: &str) -> Option<String> {
    schema(kind).map(|s| {
        let mut text = serde_json::to_string_pretty(&s).unwrap_or_default();
        text.push('\n');
        text
    })
}
