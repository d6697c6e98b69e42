//! The parts of the OSCAL 1.1.2 assessment layer (assessment plan, assessment results, plan of
//! action and milestones) that the exports fill, as typed structs serialized to OSCAL JSON.
//!
//! Field names follow the OSCAL JSON format (kebab-case); optional and empty fields are left
//! out, as OSCAL forbids empty arrays.

use serde::Serialize;
use uuid::Uuid;

pub const OSCAL_VERSION: &str = "1.1.2";

fn is_empty<T>(v: &[T]) -> bool {
    v.is_empty()
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Metadata {
    pub title: String,
    /// date-time with a time zone.
    pub last_modified: String,
    pub version: String,
    pub oscal_version: &'static str,
    #[serde(skip_serializing_if = "is_empty")]
    pub roles: Vec<Role>,
    #[serde(skip_serializing_if = "is_empty")]
    pub parties: Vec<Party>,
    #[serde(skip_serializing_if = "is_empty")]
    pub responsible_parties: Vec<ResponsibleParty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Role {
    pub id: &'static str,
    pub title: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Party {
    pub uuid: Uuid,
    /// `person` or `organization`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "is_empty")]
    pub email_addresses: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ResponsibleParty {
    pub role_id: &'static str,
    pub party_uuids: Vec<Uuid>,
}

#[derive(Debug, Serialize)]
pub struct Href {
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ReviewedControls {
    pub control_selections: Vec<ControlSelection>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ControlSelection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "is_empty")]
    pub include_controls: Vec<SelectControl>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SelectControl {
    pub control_id: String,
}

#[derive(Debug, Serialize)]
pub struct Component {
    pub uuid: Uuid,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub status: ComponentStatus,
}

#[derive(Debug, Serialize)]
pub struct ComponentStatus {
    pub state: &'static str,
}

#[derive(Debug, Default, Serialize)]
pub struct LocalDefinitions {
    #[serde(skip_serializing_if = "is_empty")]
    pub components: Vec<Component>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Task {
    pub uuid: Uuid,
    /// `action` or `milestone`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timing: Option<Timing>,
    #[serde(skip_serializing_if = "is_empty")]
    pub subjects: Vec<AssessmentSubject>,
    #[serde(skip_serializing_if = "is_empty")]
    pub responsible_roles: Vec<ResponsibleRole>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Timing {
    WithinDateRange { start: String, end: String },
    OnDate { date: String },
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ResponsibleRole {
    pub role_id: &'static str,
    pub party_uuids: Vec<Uuid>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct AssessmentSubject {
    /// `component`, `party`, ...
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "is_empty")]
    pub include_subjects: Vec<SelectSubject>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SelectSubject {
    pub subject_uuid: Uuid,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Part {
    pub name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub prose: String,
}

#[derive(Debug, Serialize)]
pub struct TermsAndConditions {
    pub parts: Vec<Part>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct AssessmentPlan {
    pub uuid: Uuid,
    pub metadata: Metadata,
    pub import_ssp: Href,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_definitions: Option<LocalDefinitions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_and_conditions: Option<TermsAndConditions>,
    pub reviewed_controls: ReviewedControls,
    #[serde(skip_serializing_if = "is_empty")]
    pub assessment_subjects: Vec<AssessmentSubject>,
    #[serde(skip_serializing_if = "is_empty")]
    pub tasks: Vec<Task>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct AssessmentResults {
    pub uuid: Uuid,
    pub metadata: Metadata,
    pub import_ap: Href,
    pub results: Vec<AssessmentResult>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct AssessmentResult {
    pub uuid: Uuid,
    pub title: String,
    pub description: String,
    pub start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// The audited areas as components, for the observations' subjects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_definitions: Option<LocalDefinitions>,
    pub reviewed_controls: ReviewedControls,
    #[serde(skip_serializing_if = "is_empty")]
    pub observations: Vec<Observation>,
    #[serde(skip_serializing_if = "is_empty")]
    pub risks: Vec<Risk>,
    #[serde(skip_serializing_if = "is_empty")]
    pub findings: Vec<OscalFinding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Observation {
    pub uuid: Uuid,
    pub title: String,
    pub description: String,
    /// `EXAMINE`, `INTERVIEW`, `TEST` or `UNKNOWN`.
    pub methods: Vec<&'static str>,
    #[serde(skip_serializing_if = "is_empty")]
    pub subjects: Vec<SubjectReference>,
    #[serde(skip_serializing_if = "is_empty")]
    pub relevant_evidence: Vec<Evidence>,
    pub collected: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SubjectReference {
    pub subject_uuid: Uuid,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Evidence {
    pub description: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct OscalFinding {
    pub uuid: Uuid,
    pub title: String,
    pub description: String,
    pub target: FindingTarget,
    #[serde(skip_serializing_if = "is_empty")]
    pub related_observations: Vec<RelatedObservation>,
    #[serde(skip_serializing_if = "is_empty")]
    pub related_risks: Vec<RelatedRisk>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct FindingTarget {
    /// `objective-id` or `statement-id`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub target_id: String,
    pub status: ObjectiveStatus,
}

#[derive(Debug, Serialize)]
pub struct ObjectiveStatus {
    /// `satisfied` or `not-satisfied`.
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RelatedObservation {
    pub observation_uuid: Uuid,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RelatedRisk {
    pub risk_uuid: Uuid,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Risk {
    pub uuid: Uuid,
    pub title: String,
    pub description: String,
    pub statement: String,
    /// `open`, `investigating`, `remediating`, `closed`, ...
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(skip_serializing_if = "is_empty")]
    pub remediations: Vec<Response>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Response {
    pub uuid: Uuid,
    /// `recommendation`, `planned` or `completed`.
    pub lifecycle: &'static str,
    pub title: String,
    pub description: String,
    #[serde(skip_serializing_if = "is_empty")]
    pub tasks: Vec<Task>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Poam {
    pub uuid: Uuid,
    pub metadata: Metadata,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_definitions: Option<LocalDefinitions>,
    #[serde(skip_serializing_if = "is_empty")]
    pub observations: Vec<Observation>,
    #[serde(skip_serializing_if = "is_empty")]
    pub risks: Vec<Risk>,
    #[serde(skip_serializing_if = "is_empty")]
    pub findings: Vec<OscalFinding>,
    pub poam_items: Vec<PoamItem>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PoamItem {
    pub uuid: Uuid,
    pub title: String,
    pub description: String,
    #[serde(skip_serializing_if = "is_empty")]
    pub related_findings: Vec<RelatedFinding>,
    #[serde(skip_serializing_if = "is_empty")]
    pub related_risks: Vec<RelatedRisk>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RelatedFinding {
    pub finding_uuid: Uuid,
}

/// The root object of each model.
#[derive(Debug, Serialize)]
pub enum Document {
    #[serde(rename = "assessment-plan")]
    AssessmentPlan(AssessmentPlan),
    #[serde(rename = "assessment-results")]
    AssessmentResults(AssessmentResults),
    #[serde(rename = "plan-of-action-and-milestones")]
    Poam(Poam),
}
