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
    LOAD005: Error, "7.5.2", "A date recording something done (an approval, a completion, a verification) is after today";
    REF001: Error, "7.5.2", "A reference names a person, area, control, clause, risk, document, audit, finding or evidence file that does not exist";
    REF002: Error, "6.1.3 d)", "An area or document relies on a control the SoA excludes";
    REF003: Warning, "9.2.2 b)", "A document lies outside its area's paths, or cited evidence outside every area's: its authorship is not judged";
    SOA001: Error, "6.1.3 d)", "An Annex A control is missing from the Statement of Applicability";
    SOA002: Error, "6.1.3 d)", "A SoA entry names a control that is not in Annex A";
    SOA003: Error, "6.1.3 d)", "A control is included or excluded without a justification";
    SOA004: Error, "6.1.3 d)", "An applicable control has no implementation status or no owner";
    SOA005: Error, "6.1.3 b)", "A risk treatment relies on a control the SoA excludes or lacks";
    SOA006: Warning, "6.1.3 d)", "A control included because of risk names no risk it treats";
    SOA007: Warning, "6.1.3 d)", "An implemented control has neither documents nor evidence";
    SOA008: Warning, "6.1.3 d)", "A control is listed in the SoA without a decision on its applicability";
    SOA009: Warning, "9.1", "The SoA claims a control maturity above the one its latest audit assessed";
    SOA010: Error, "6.1.3 d)", "An internal control of controls.toml has the id of an Annex A control";
    SOA011: Error, "6.1.3 d)", "An internal control maps to an Annex A control the SoA excludes, or implements a SoA entry it does not map to";
    RISK001: Error, "6.1.2 d)", "A likelihood or impact is outside the risk scale";
    RISK002: Error, "6.1.3 b)", "A risk treated by \"modify\" names no controls";
    RISK003: Error, "6.1.3 f)", "A residual risk above the acceptance threshold has not been accepted";
    RISK004: Error, "6.1.3 f)", "A residual risk was accepted by someone other than the risk owner";
    RISK005: Warning, "8.2", "A risk has not been reviewed within the review period";
    DOC001: Error, "7.5.2", "A document has no owner or approval, or an empty version";
    DOC002: Warning, "7.5.2", "A document is overdue for review";
    DOC003: Error, "5.2", "There is no information security policy, or it is still a draft";
    DOC004: Error, "7.5.3", "A document was changed in git after its approval without a new approval";
    DOC005: Error, "7.5.2", "A document was approved by the only author of the changes since its previous approval";
    DOC006: Error, "7.5.2", "Template text (TODO, TBD, <describe ...>) left in a required field, a required report section or a document (a warning in drafts)";
    DOC007: Error, "7.5.1 a)", "A clause that requires documented information has no approved document or ISMS record carrying it";
    DOC008: Error, "7.5.2", "A document approved by a team does not name a member of it as the person who approved, or names one beside a person";
    PROG001: Error, "9.2.2", "There is no audit programme";
    PROG002: Error, "9.2.2", "An area is overdue for audit by its risk frequency (a warning when due within 30 days and not planned)";
    PROG003: Error, "9.2.2", "A requirement clause is not covered by the audits of the cycle (a warning while the cycle runs)";
    PROG004: Error, "9.2.2", "An applicable Annex A control is not covered by the audits of the cycle (a warning while the cycle runs)";
    PROG005: Error, "10.2", "An area with an open nonconformity is not re-audited within nc_followup_months";
    PROG006: Error, "9.2.2", "An area whose previous audits raised a major or repeated nonconformity, or that had a high or critical incident since, is overdue at the high frequency (a warning when due within 30 days)";
    PROG007: Warning, "9.2.2", "An area's `risk` is lower than the level of the highest residual risk assigned to it";
    PROG008: Warning, "9.2.2", "An internal control of controls.toml has not been tested within its `frequency_months`";
    PLAN001: Error, "9.2.2", "An audit's dates are inconsistent: it ends before it starts, or its report predates its end";
    PLAN002: Error, "9.2.2", "An audit's stakeholders were not notified notice_days before it starts";
    PLAN003: Error, "7.2", "An auditor has no `auditor = true` or no current auditing competence record (a warning for plain-text competence)";
    PLAN004: Error, "9.2.2 a)", "An audit's scope names no area, clause or control";
    PLAN005: Error, "9.2.2 a)", "An audit plan has no criteria or no objectives";
    AUD001: Warning, "9.2.1 b)", "Superficial audit: an implemented control judged by document review only, or too many document reviews";
    AUD002: Error, "9.2.2", "A control or clause in an audit's scope has no checklist item";
    AUD003: Error, "10.2", "A nonconformity or observation in a checklist has no finding";
    AUD004: Error, "9.2.2", "An assessed checklist item has no objective evidence";
    AUD005: Error, "9.2.2", "An audit ended without a report";
    AUD006: Error, "9.2.2", "An audit report lacks a required section";
    AUD007: Error, "9.2.2 c)", "An audit report was not distributed to top management and the audited areas' owners";
    AUD008: Error, "9.2.2", "A completed audit left a control or clause of its scope unassessed without a reason";
    AUD009: Error, "9.2.2 c)", "An audit report concludes `effective` despite nonconformities (an error for a major one)";
    FIND001: Error, "10.2 f)", "A nonconformity has no statement, evidence or requirement reference";
    FIND002: Warning, "10.2 b)", "A nonconformity has no root cause analysis after analysis_days";
    FIND003: Error, "10.2 c)", "An analysed nonconformity has no corrective action with an owner and a due date";
    FIND004: Warning, "10.2 c)", "A corrective action is overdue";
    FIND005: Error, "10.2 d)", "A finding was closed without an effective verification";
    FIND006: Error, "10.2 d)", "A finding was verified before all its actions were completed";
    FIND007: Error, "10.2 d)", "A finding was verified by an action owner, the root-cause author, or the owner or a member of its area";
    FIND008: Error, "10.2", "A major nonconformity is open longer than major_max_days, or a rated finding past its rating's deadline";
    FIND009: Error, "10.2 b)", "A nonconformity was verified or closed without a root cause and a completed action";
    FIND010: Warning, "10.2 a)", "An analysed nonconformity records no correction or no search for similar nonconformities";
    FIND011: Error, "10.2 c)", "A nonconformity has no assessed risk (a warning when an action is due later than action_days allow)";
    FIND012: Error, "9.2.2 a)", "A finding is outside its audit: a reference not in the audit's scope, or raised after the report";
    FIND013: Error, "10.2", "A finding's rating is not in [findings.ratings], or maps to another type than the finding's";
    FIND014: Error, "10.2 b)", "A finding closed by accepting its risk is a major nonconformity, names no risk entry, or lacks an acceptance its risk's level asks for";
    IND001: Error, "9.2.2 b)", "An auditor owns or is a member of an audited area, or owns a control or document in scope, at any time in the lookback window";
    IND002: Error, "9.2.2 b)", "An auditor authored commits touching an audited area's files from the lookback window through the audit's last day";
    IND003: Error, "9.2.2 b)", "An audit record (checklist or report) was changed by someone outside the audit team";
    IND004: Error, "9.2.2 b)", "A finding was introduced in a commit not authored by an auditor of its audit";
    IND005: Error, "10.2 d)", "A verification was recorded in a commit not authored by the verifier";
    IND006: Error, "9.2.2 b)", "The git history is shallow, absent, unreadable, without a commit, or does not hold the ISMS, so impartiality cannot be verified";
    IND007: Warning, "9.2.2 b)", "Commits touching ISMS files or area paths are by identities not in people.toml";
    IND008: Error, "9.2.2 b)", "An impartiality waiver was approved by the waived auditor or by someone outside top management";
    IND009: Warning, "9.2.2 b)", "Git history was not read (--no-git): impartiality and document control were not verified";
    IND010: Error, "9.2.2 b)", "An identity conflict: an email listed for two people, or a .mailmap entry mapping onto a bot or another person";
    IND011: Error, "9.2.2 b)", "An exemption or identity was added by someone other than top management or the programme owner, or by the person it benefits: it is not applied";
    IND012: Info, "9.2.2 b)", "The exemptions an audit relies on: ignored commits and authors, waivers, weakened impartiality rules";
    IND013: Error, "9.2.2 b)", "A commit is dated more than a day after the system clock: a wrong clock or a forged date";
    FW001: Error, "6.1.3 d)", "A requirement of an enabled framework maps only to controls the SoA excludes";
    FW002: Warning, "A.5.31", "A requirement of an enabled framework has no implemented mapped control";
    IND014: Error, "7.5.3", "A commit that must be signed (`[independence] signatures`) is not signed";
    IND015: Error, "7.5.3", "A commit's signature does not verify, or verifies with a key that is not the attributed person's";
    IND016: Warning, "7.5.3", "A commit is signed in a format isms cannot verify (X.509, gitsign)";
    IND017: Warning, "9.2.2 b)", "An area path reaches into a git submodule, whose commits are not read";
    IND018: Info, "7.5.3", "The working tree changes trust settings or keys that count only once committed";
    MR001: Error, "9.3.1", "No management review was held within interval_months";
    MR002: Error, "9.3.2", "A management review lacks one of the inputs 9.3.2 a) to g)";
    MR003: Error, "9.3.2 d)", "An audit report distributed before a management review, and after the previous one, was not reviewed";
    MR004: Error, "9.3.1", "A management review had no top management attendee";
    MR005: Warning, "9.3.3", "A management review decision has no owner or due date, or is overdue";
    MR006: Warning, "9.3.2 a)", "A decision of the previous management review is not mentioned in previous_actions";
    OBJ001: Error, "6.2", "An objective has no measure, target, owner, method or due date";
    OBJ002: Warning, "9.1", "An objective was not evaluated within its frequency";
    OBJ003: Warning, "9.1", "An objective missed its target and no finding or management review decision refers to it";
    INC001: Error, "A.5.27", "A serious incident has no post-incident review within review_days of its resolution";
    INC002: Error, "9.2.1", "No completed audit validated the changes after a high or critical incident within audit_months";
    EXC001: Error, "8.3", "An exception to a control has expired and was not renewed";
    EXC002: Error, "6.1.3 f)", "An exception to a control is not approved by everyone [risk.acceptance] asks for at its risk level";
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
