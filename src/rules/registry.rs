//! The one list of rule codes: severity, the requirement each enforces, a summary, and its
//! documentation (which feeds `isms explain`, `isms rules`, SARIF and the site).

use crate::diagnostics::Severity;

/// What is known of a rule.
#[derive(Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    /// The default severity; `[rules]` in isms.toml overrides it.
    pub severity: Severity,
    /// The clause or control of ISO/IEC 27001:2022 it enforces.
    pub requirement: &'static str,
    pub summary: &'static str,
    /// Markdown: what it checks, why, an example, how to fix.
    pub docs: &'static str,
}

macro_rules! rules {
    ($($code:ident: $severity:ident, $requirement:literal, $summary:literal;)*) => {
        /// A rule, by its stable code. A code never changes meaning once released.
        #[allow(clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($code,)*
        }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$code,)*];

            pub fn info(self) -> &'static RuleInfo {
                match self {
                    $(Rule::$code => &RuleInfo {
                        code: stringify!($code),
                        severity: Severity::$severity,
                        requirement: $requirement,
                        summary: $summary,
                        docs: include_str!(concat!("docs/", stringify!($code), ".md")),
                    },)*
                }
            }
        }
    };
}

rules! {
    LOAD001: Error, "7.5.3", "A file cannot be read: invalid TOML, front matter, encoding or file type";
    LOAD002: Error, "7.5.2", "A field breaks the format: unknown, missing, of the wrong type, or an invalid value";
    LOAD003: Error, "7.5.2", "Two objects of one kind share an id";
    LOAD004: Warning, "7.5.3", "A file in an ISMS folder is not part of the format and is not read";
    REF001: Error, "7.5.2", "A reference names a person, area, control, clause, risk, document, audit, finding or evidence file that does not exist";
    REF002: Error, "6.1.3 d)", "An area or document relies on a control the SoA excludes";
    REF003: Warning, "9.2.2 c)", "A document lies outside its area's paths, or cited evidence outside every area's: its authorship is not judged";
    SOA001: Error, "6.1.3 d)", "An Annex A control is missing from the Statement of Applicability";
    SOA002: Error, "6.1.3 d)", "A SoA entry names a control that is not in Annex A";
    SOA003: Error, "6.1.3 d)", "A control is included or excluded without a justification";
    SOA004: Error, "6.1.3 d)", "An applicable control has no implementation status or no owner";
    SOA005: Error, "6.1.3 b)", "A risk treatment relies on a control the SoA excludes or lacks";
    SOA006: Warning, "6.1.3 d)", "A control included because of risk names no risk it treats";
    SOA007: Warning, "6.1.3 d)", "An implemented control has neither documents nor evidence";
    SOA008: Warning, "6.1.3 d)", "A control is listed in the SoA without a decision on its applicability";
    RISK001: Error, "6.1.2 d)", "A likelihood or impact is outside the risk scale";
    RISK002: Error, "6.1.3 b)", "A risk treated by \"modify\" names no controls";
    RISK003: Error, "6.1.3 f)", "A residual risk above the acceptance threshold has not been accepted";
    RISK004: Error, "6.1.3 f)", "A residual risk was accepted by someone other than the risk owner";
    RISK005: Warning, "8.2", "A risk has not been reviewed within the review period";
    DOC001: Error, "7.5.2", "A document has no owner, version or approval";
    DOC002: Warning, "7.5.2", "A document is overdue for review";
    DOC003: Error, "5.2", "There is no information security policy";
    DOC004: Error, "7.5.3", "A document was changed in git after its approval without a new approval";
    DOC005: Error, "7.5.2", "A document was approved by the only author of the changes since its previous approval";
    PROG001: Error, "9.2.2", "There is no audit programme";
    PROG002: Error, "9.2.2", "An area is overdue for audit by its risk frequency (a warning when due within 30 days and not planned)";
    PROG003: Error, "9.2.2", "A requirement clause is not covered by the audits of the cycle (a warning while the cycle runs)";
    PROG004: Error, "9.2.2", "An applicable Annex A control is not covered by the audits of the cycle (a warning while the cycle runs)";
    PROG005: Error, "10.2", "An area with an open nonconformity is not re-audited within nc_followup_months";
    PLAN001: Error, "9.2.2", "An audit's dates are inconsistent: it ends before it starts, or its report predates its end";
    PLAN002: Error, "9.2.2", "An audit's stakeholders were not notified notice_days before it starts";
    PLAN003: Error, "7.2", "An auditor has no `auditor = true` or no competence record";
    PLAN004: Error, "9.2.2", "An audit's scope names no area, clause or control";
    AUD001: Warning, "9.2.1 b)", "Superficial audit: every checklist item of a completed audit is a document review";
    AUD002: Error, "9.2.2", "A control or clause in an audit's scope has no checklist item";
    AUD003: Error, "10.2", "A nonconformity or observation in a checklist has no finding";
    AUD004: Error, "9.2.2 f)", "An assessed checklist item has no objective evidence";
    AUD005: Error, "9.2.2 f)", "An audit ended without a report";
    AUD006: Error, "9.2.2 e)", "An audit report lacks a required section";
    AUD007: Error, "9.2.2 e)", "An audit report was not distributed to top management and the audited areas' owners";
    FIND001: Error, "10.2 a)", "A nonconformity has no statement, evidence or requirement reference";
    FIND002: Warning, "10.2 b)", "A nonconformity has no root cause analysis after analysis_days";
    FIND003: Error, "10.2 c)", "An analysed nonconformity has no corrective action with an owner and a due date";
    FIND004: Warning, "10.2 c)", "A corrective action is overdue";
    FIND005: Error, "10.2 d)", "A finding was closed without an effective verification";
    FIND006: Error, "10.2 d)", "A finding was verified before all its actions were completed";
    FIND007: Error, "10.2 d)", "A finding was verified by an action owner or the owner of its area";
    FIND008: Error, "10.2", "A major nonconformity is open longer than major_max_days";
    IND001: Error, "9.2.2 c)", "An auditor owns or is a member of an audited area, or owns a control or document in scope";
    IND002: Error, "9.2.2 c)", "An auditor authored commits touching an audited area's files within the lookback window";
    IND003: Error, "9.2.2 c)", "An audit record (checklist or report) was changed by someone outside the audit team";
    IND004: Error, "9.2.2 c)", "A finding was introduced in a commit not authored by an auditor of its audit";
    IND005: Error, "10.2 d)", "A verification was recorded in a commit not authored by the verifier";
    IND006: Error, "9.2.2 c)", "The git history is shallow, absent or unreadable, so impartiality cannot be verified";
    IND007: Warning, "9.2.2 c)", "Commits touching ISMS files are by identities not in people.toml";
    IND008: Error, "9.2.2 c)", "An impartiality waiver was approved by the waived auditor or by someone outside top management";
    IND009: Warning, "9.2.2 c)", "Git history was not read (--no-git): impartiality and document control were not verified";
    IND010: Error, "9.2.2 c)", "An identity conflict: an email listed for two people, or a .mailmap entry mapping onto a bot or another person";
    IND011: Error, "9.2.2 c)", "An exemption or identity was added by someone other than top management or the programme owner, or by the person it benefits";
    IND012: Info, "9.2.2 c)", "The exemptions an audit relies on: ignored commits and authors, waivers, weakened impartiality rules";
    FW001: Error, "6.1.3 d)", "A requirement of an enabled framework maps only to controls the SoA excludes";
    FW002: Warning, "A.5.31", "A requirement of an enabled framework has no implemented mapped control";
}

impl Rule {
    pub fn code(self) -> &'static str {
        self.info().code
    }

    /// Looks a rule up by its code, ignoring case.
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.code().eq_ignore_ascii_case(code))
    }

    /// The family a rule belongs to: `SOA` for `SOA003`.
    pub fn family(self) -> &'static str {
        self.code().trim_end_matches(|c: char| c.is_ascii_digit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_in_four_parts() {
        for rule in Rule::ALL {
            let docs = rule.info().docs;
            for section in ["## What it checks", "## Why", "## Example", "## How to fix"] {
                assert!(docs.contains(section), "{} lacks `{section}`", rule.code());
            }
            assert!(
                docs.starts_with(&format!("# {}", rule.code())),
                "{} title",
                rule.code()
            );
        }
    }

    #[test]
    fn codes_are_found_by_name() {
        assert_eq!(Rule::from_code("soa003"), Some(Rule::SOA003));
        assert_eq!(Rule::from_code("XYZ001"), None);
        assert_eq!(Rule::RISK004.family(), "RISK");
    }
}
