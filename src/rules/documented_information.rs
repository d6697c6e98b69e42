//! DOC007: the documented information ISO/IEC 27001:2022 requires (7.5.1 a), as one list of
//! clauses, each with the ISMS objects that may carry it. The same list feeds the rule and
//! `isms rules --documented-information`, so a user sees what satisfies which clause.

use crate::diagnostics::Diagnostic;
use crate::model::{Competence, Isms, Kind};

use super::doc::APPROVE_HELP;
use super::{Context, Rule};

/// A clause that requires documented information, and what may carry it besides an approved
/// document naming the clause in its `clauses`.
#[derive(Debug)]
pub struct Mandatory {
    pub clause: &'static str,
    /// What the standard asks to be documented.
    pub what: &'static str,
    /// ISMS objects that are this information.
    pub records: &'static [Record],
    /// Another rule that already reports the clause's absence, so DOC007 does not repeat it.
    pub reported_by: Option<Rule>,
}

/// An ISMS object that is documented information in its own right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Record {
    /// `[organisation] scope` in isms.toml, not empty.
    Scope,
    /// soa.toml with its entries, and risks.toml with the treatment of each risk.
    SoaAndTreatment,
    /// risks.toml with at least one risk assessed.
    RiskRegister,
    /// risks.toml with at least one risk's treatment decided (every risk records one).
    RiskTreatment,
    /// `[[person.competence]]` records in people.toml.
    Competence,
    /// objectives.toml with at least one objective.
    Objectives,
    /// Evaluated results of objectives in objectives.toml.
    ObjectiveResults,
    /// audits/programme.toml and the report of a completed audit.
    AuditResults,
    /// management-reviews/ with at least one review.
    ManagementReviews,
    /// findings/ with at least one finding.
    Findings,
}

/// Every clause of 4 to 10 whose text requires documented information, in clause order.
pub const MANDATORY: &[Mandatory] = &[
    mandatory("4.3", "the scope of the ISMS", &[Record::Scope]),
    Mandatory {
        reported_by: Some(Rule::DOC003),
        ..mandatory("5.2", "the information security policy", &[])
    },
    mandatory(
        "6.1.2",
        "the information security risk assessment process",
        &[],
    ),
    mandatory(
        "6.1.3",
        "the risk treatment process, the Statement of Applicability and the risk treatment plan",
        &[Record::SoaAndTreatment],
    ),
    mandatory(
        "6.2",
        "the information security objectives",
        &[Record::Objectives],
    ),
    mandatory("7.2", "evidence of competence", &[Record::Competence]),
    mandatory(
        "8.1",
        "operational planning and control: evidence that processes are carried out as planned",
        &[],
    ),
    mandatory(
        "8.2",
        "the results of the information security risk assessments",
        &[Record::RiskRegister],
    ),
    mandatory(
        "8.3",
        "the results of the information security risk treatment",
        &[Record::RiskTreatment],
    ),
    mandatory(
        "9.1",
        "evidence of the monitoring and measurement results",
        &[Record::ObjectiveResults],
    ),
    mandatory(
        "9.2.2",
        "evidence of the audit programme and the audit results",
        &[Record::AuditResults],
    ),
    mandatory(
        "9.3.3",
        "evidence of the results of management reviews",
        &[Record::ManagementReviews],
    ),
    mandatory(
        "10.2",
        "the nature of nonconformities, the actions taken and the results of corrective action",
        &[Record::Findings],
    ),
];

const fn mandatory(
    clause: &'static str,
    what: &'static str,
    records: &'static [Record],
) -> Mandatory {
    Mandatory {
        clause,
        what,
        records,
        reported_by: None,
    }
}

impl Record {
    /// What the object is, for `isms rules --documented-information` and the hints.
    pub fn describe(self) -> &'static str {
        match self {
            Record::Scope => "isms.toml `[organisation] scope`",
            Record::SoaAndTreatment => "soa.toml with the risk treatments of risks.toml",
            Record::RiskRegister => "the risks of risks.toml",
            Record::RiskTreatment => "the risk treatments of risks.toml",
            Record::Competence => "`[[person.competence]]` records in people.toml",
            Record::Objectives => "objectives.toml",
            Record::ObjectiveResults => "results of objectives in objectives.toml",
            Record::AuditResults => "audits/programme.toml with a completed audit's report",
            Record::ManagementReviews => "management-reviews/",
            Record::Findings => "findings/",
        }
    }

    /// Whether the ISMS holds this object, filled in.
    fn present(self, isms: &Isms) -> bool {
        match self {
            // A scope still holding template text is DOC006's to report, at the placeholder.
            Record::Scope => isms
                .config
                .as_ref()
                .is_some_and(|c| !c.organisation.scope.trim().is_empty()),
            Record::SoaAndTreatment => !isms.soa.is_empty() && !isms.risks.is_empty(),
            Record::RiskRegister | Record::RiskTreatment => !isms.risks.is_empty(),
            Record::Competence => isms.people.iter().any(|p| {
                p.competence
                    .iter()
                    .any(|c| matches!(c.get(), Competence::Record(_)))
            }),
            Record::Objectives => !isms.objectives.is_empty(),
            Record::ObjectiveResults => isms.objectives.iter().any(|o| !o.results.is_empty()),
            Record::AuditResults => {
                isms.programme.is_some() && isms.audits.iter().any(|a| a.report.is_some())
            }
            Record::ManagementReviews => !isms.management_reviews.is_empty(),
            Record::Findings => !isms.findings.is_empty(),
        }
    }
}

impl Record {
    /// Whether the ISMS could not tell: a file of this record could not be read, or its absence
    /// is another rule's (a missing soa.toml is SOA001's). DOC007 then stays silent.
    fn unknown(self, isms: &Isms) -> bool {
        let kinds: &[Kind] = match self {
            Record::Scope => &[],
            Record::SoaAndTreatment => &[Kind::Control, Kind::Risk],
            Record::RiskRegister | Record::RiskTreatment => &[Kind::Risk],
            Record::Competence => &[Kind::Person],
            Record::Objectives | Record::ObjectiveResults => &[Kind::Objective],
            Record::AuditResults => &[Kind::Audit],
            Record::ManagementReviews => &[Kind::ManagementReview],
            Record::Findings => &[Kind::Finding],
        };
        let missing_soa = self == Record::SoaAndTreatment && isms.soa_origin.is_none();
        missing_soa
            || kinds.iter().any(|kind| {
                isms.incomplete.contains(kind) || isms.unreadable.iter().any(|(k, _)| k == kind)
            })
    }
}

/// What carries one clause in an ISMS: its approved, non-draft documents naming the clause,
/// then the objects that are this information.
pub fn carriers(isms: &Isms, m: &Mandatory) -> Vec<String> {
    let mut found: Vec<String> = isms
        .documents
        .iter()
        .filter(|d| d.is_controlled() && d.front.clauses.iter().any(|c| c.as_str() == m.clause))
        .map(|d| format!("document {}", d.front.id.as_str()))
        .collect();
    found.sort();
    found.extend(
        m.records
            .iter()
            .filter(|r| r.present(isms))
            .map(|r| r.describe().to_string()),
    );
    found
}

/// The drafts that name a clause: they will carry it once approved.
fn drafts<'a>(isms: &'a Isms, clause: &str) -> Vec<&'a str> {
    isms.documents
        .iter()
        .filter(|d| !d.is_controlled() && d.front.clauses.iter().any(|c| c.as_str() == clause))
        .map(|d| d.front.id.as_str())
        .collect()
}

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let isms = cx.isms;
    // A document or isms.toml that could not be read may be the carrier: stay silent.
    let unreadable = isms.unreadable.iter().any(|(k, _)| *k == Kind::Document);
    if isms.config.is_none() || isms.incomplete.contains(&Kind::Document) || unreadable {
        return;
    }
    let origin = isms.config_origin.clone().unwrap_or_default();
    for m in MANDATORY {
        let unknown = m.records.iter().any(|r| r.unknown(isms));
        if m.reported_by.is_some() || unknown || !carriers(isms, m).is_empty() {
            continue;
        }
        let drafts = drafts(isms, m.clause);
        let d = Diagnostic::new(
            Rule::DOC007,
            format!(
                "no approved documented information for clause {} ({})",
                m.clause, m.what
            ),
        )
        .at(origin.clone());
        out.push(if let Some(first) = drafts.first() {
            d.label(format!(
                "{} names {} but is not approved yet",
                drafts.join(", "),
                m.clause
            ))
            .help(format!("for {first}: {APPROVE_HELP}"))
        } else {
            let objects = m
                .records
                .iter()
                .map(|r| r.describe())
                .collect::<Vec<_>>()
                .join(", or ");
            let or_objects = if objects.is_empty() {
                String::new()
            } else {
                format!("; or keep it as {objects}")
            };
            d.label("required by 7.5.1 a)").help(format!(
                "write and approve a document with `clauses = [\"{}\"]` in its front matter{or_objects}; `isms rules --documented-information` shows what carries each clause",
                m.clause
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_in_clause_order_and_names_real_clauses() {
        let catalog = crate::catalog::iso27001();
        let clauses: Vec<&str> = MANDATORY.iter().map(|m| m.clause).collect();
        assert_eq!(
            clauses,
            [
                "4.3", "5.2", "6.1.2", "6.1.3", "6.2", "7.2", "8.1", "8.2", "8.3", "9.1", "9.2.2",
                "9.3.3", "10.2"
            ]
        );
        for clause in clauses {
            assert!(catalog.clause(clause).is_some(), "{clause}");
        }
    }
}
