//! IND010-IND012: whether the identities and exemptions the impartiality proof relies on can be
//! trusted. An email belongs to one person only (IND010); exemptions and identities are granted
//! by top management or the programme owner, never by the person they benefit (IND011); and
//! every exemption in effect is listed, per audit (IND012), so none is silent.

use std::collections::BTreeSet;

use crate::diagnostics::Severity;
use crate::diagnostics::{Diagnostic, Exempted};
use crate::history::{Addition, Grant, History, Resolver, Who, listed_hash_spans};
use crate::model::{Isms, KeyId, Origin, Person, Plan, SeverityOverride};
use crate::{grants, independence};

use super::ind::describe;
use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    shared_emails(cx.isms, out);
    let Some(history) = cx.history() else { return };
    let resolver = Resolver::new(cx.isms, Some(history));
    shared_emails_in_history(cx.isms, history, out);
    mailmap_conflicts(cx.isms, history, &resolver, out);
    let granting = Resolver::granting(cx.isms, Some(history));
    for addition in &history.trust.additions {
        wrong_grantor(cx.isms, history, &granting, addition, out);
    }
    for audit in &cx.isms.audits {
        if let Some(plan) = &audit.plan {
            exemptions_in_effect(cx.isms, plan, history, &resolver, out);
        }
    }
}

/// Where identity problems are shown: people.toml (its first person), else isms.toml.
fn people_origin(isms: &Isms) -> Origin {
    isms.people
        .first()
        .map(|p| Origin::in_file(p.origin.file))
        .or_else(|| isms.config_origin.clone())
        .unwrap_or_default()
}

const SHARED_HELP: &str = "an email identifies one person: remove it from all entries but its owner's (a shared mailbox is not an identity; give each person their own email)";

/// IND010: an email listed for two people in people.toml as it is now.
fn shared_emails(isms: &Isms, out: &mut Vec<Diagnostic>) {
    for (i, person) in isms.people.iter().enumerate() {
        for email in &person.emails {
            let Some(first) = isms.people[..i]
                .iter()
                .find(|p| p.id != person.id && p.has_email(email.as_str()))
            else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    Rule::IND010,
                    format!(
                        "the email {} is listed for both {} and {}: commits made with it cannot be attributed to one person",
                        email.as_str(),
                        first.id.as_str(),
                        person.id.as_str()
                    ),
                )
                .at(person.origin.at(email))
                .label(format!("also an email of {}", first.id.as_str()))
                .help(SHARED_HELP),
            );
        }
    }
}

/// IND010: an email that a committed version of people.toml listed for two people, while the
/// checked one does not (that case is [`shared_emails`]'s).
fn shared_emails_in_history(isms: &Isms, history: &History, out: &mut Vec<Diagnostic>) {
    for (email, people) in &history.trust.emails {
        if people.len() < 2 {
            continue;
        }
        let now: BTreeSet<&str> = isms
            .people
            .iter()
            .filter(|p| p.has_email(email))
            .map(|p| p.id.as_str())
            .collect();
        if now.len() > 1 {
            continue;
        }
        let ids: Vec<&str> = people.keys().map(String::as_str).collect();
        let latest = people.values().copied().min().unwrap_or_default();
        out.push(
            Diagnostic::new(
                Rule::IND010,
                format!(
                    "the email {email} was listed for {} in committed versions of people.toml (latest {}): an email belongs to each person who was ever given it, so its commits count for all of them",
                    ids.join(" and "),
                    describe(history, latest, &[]),
                ),
            )
            .at(people_origin(isms))
            .help("an email identifies one person: find who really uses it (`git log --author=EMAIL`), and if an entry was given another's email by mistake, record the decision with top management; history cannot be unlisted"),
        );
    }
}

/// IND010: a `.mailmap` entry of the checked snapshot that maps an identity onto an ignored bot,
/// or one known person's email onto another's.
fn mailmap_conflicts(
    isms: &Isms,
    history: &History,
    resolver: &Resolver<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for (span, grant) in &history.trust.mailmap {
        let Grant::Mailmap {
            line: text,
            proper: Some(proper),
            commit: Some(commit),
        } = grant
        else {
            continue;
        };
        let from = resolver.people_of(commit);
        let onto = resolver.people_of(proper);
        let problem = if onto.is_empty()
            && resolver.is_ignored(proper)
            && !resolver.is_ignored(commit)
        {
            Some(format!(
                "maps {commit} onto {proper}, an ignored author: the work would count for no one"
            ))
        } else {
            match (from.first(), onto.first()) {
                (Some(a), Some(b)) if a.id != b.id => Some(format!(
                    "maps {commit} ({}) onto {proper} ({}): one person's commits would count as another's",
                    a.id.as_str(),
                    b.id.as_str()
                )),
                _ => None,
            }
        };
        if let Some(problem) = problem {
            out.push(
                Diagnostic::new(
                    Rule::IND010,
                    format!("the .mailmap entry `{text}` {problem}"),
                )
                .at(mailmap_origin(isms, history, span))
                .label("identity conflict")
                .help("a .mailmap entry only names the person behind a private or old address: map it onto that person's own email, or remove the entry"),
            );
        }
    }
}

/// A `.mailmap` entry's place in `.mailmap`, when the file is among those diagnostics point
/// into; else people.toml.
fn mailmap_origin(isms: &Isms, history: &History, span: &std::ops::Range<usize>) -> Origin {
    match history.trust.mailmap_file {
        Some(file) => Origin {
            file,
            span: span.clone(),
        },
        None => people_origin(isms),
    }
}

/// Where a grant is shown: the line that holds it now, else the file it is in.
fn grant_origin(isms: &Isms, history: &History, grant: &Grant) -> Origin {
    let config = || isms.config_origin.clone().unwrap_or_default();
    match grant {
        Grant::IgnoredRev(hash) => {
            ignore_revs_origin(history, hash).unwrap_or_else(|| match &isms.config {
                Some(c) => config().at(&c.independence.ignore_revs_file),
                None => config(),
            })
        }
        Grant::IgnoredAuthor(pattern) => isms
            .config
            .as_ref()
            .and_then(|c| {
                c.independence
                    .ignore_authors
                    .iter()
                    .find(|p| p.trim().eq_ignore_ascii_case(pattern))
            })
            .map_or_else(config, |p| config().at(p)),
        Grant::Mailmap { .. } => match history.trust.mailmap.iter().find(|(_, g)| g == grant) {
            Some((span, _)) => mailmap_origin(isms, history, span),
            None => people_origin(isms),
        },
        Grant::Email { person, email } => entry_origin(isms, person, |p| {
            p.emails
                .iter()
                .find(|e| e.trim().eq_ignore_ascii_case(email))
                .map(|e| p.origin.at(e))
        }),
        Grant::SigningKey { person, key } => entry_origin(isms, person, |p| {
            p.signing_keys
                .iter()
                .find(|k| KeyId::parse(k).is_ok_and(|id| id.to_string() == *key))
                .map(|k| p.origin.at(k))
        }),
        Grant::Waiver {
            audit,
            auditor,
            area,
        } => isms
            .audit(audit)
            .and_then(|a| a.plan.as_ref())
            .and_then(|plan| {
                let w = plan
                    .waivers
                    .iter()
                    .find(|w| w.auditor.as_str() == auditor && w.area.as_str() == area)?;
                Some(plan.origin.at(&w.auditor))
            })
            .unwrap_or_else(|| people_origin(isms)),
    }
}

/// The line of the checked snapshot's ignore-revs file that lists `hash`, when the file is
/// among those diagnostics point into.
fn ignore_revs_origin(history: &History, hash: &str) -> Option<Origin> {
    let file = history.trust.ignore_revs_file?;
    let (_, text) = history.trust.ignore_revs.as_ref()?;
    let (span, _) = listed_hash_spans(text)
        .into_iter()
        .find(|(_, listed)| listed == hash)?;
    Some(Origin { file, span })
}

/// Where an entry of a person's people.toml record is shown: its line, else people.toml.
fn entry_origin(isms: &Isms, person: &str, at: impl Fn(&Person) -> Option<Origin>) -> Origin {
    isms.person(person)
        .and_then(at)
        .unwrap_or_else(|| people_origin(isms))
}

/// IND011: a grant added by a known person who may not grant it, or who benefits from it. It
/// is not applied (fail closed) unless another addition of the same grant was made rightly.
fn wrong_grantor<'a>(
    isms: &'a Isms,
    history: &History,
    resolver: &Resolver<'a>,
    addition: &Addition,
    out: &mut Vec<Diagnostic>,
) {
    let Some(wrong) = grants::wrong_grantor(isms, history, resolver, addition) else {
        return;
    };
    let commit = history.commit(addition.commit);
    let grant = &addition.grant;
    let applied = if history.trust.is_refused(grant) {
        "; it is not applied"
    } else {
        "; it is applied only because a later addition of it was made rightly"
    };
    out.push(
        Diagnostic::new(
            Rule::IND011,
            format!(
                "{} was added by {}: {}{applied}",
                grant.describe(),
                describe(history, addition.commit, &[]),
                wrong.why
            ),
        )
        .at(grant_origin(isms, history, grant))
        .label(format!("added by {}", wrong.grantor.id.as_str()))
        .person(wrong.grantor.id.as_str())
        .commits([commit.id.as_str()])
        .help(format!(
            "exemptions and identities are granted by top management (`top_management = true`) or the audit programme owner, never by the person they benefit: have one of them remove it and add it again in a commit of their own if it is right (`git show {}` shows the change)",
            commit.short()
        )),
    );
}

/// IND012: every exemption that lets work on an audit's scope go unjudged.
fn exemptions_in_effect(
    isms: &Isms,
    plan: &Plan,
    history: &History,
    resolver: &Resolver<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let mut listed: Vec<String> = Vec::new();
    let mut exempted: Vec<Exempted> = Vec::new();
    let mut commits: Vec<&str> = Vec::new();
    let units = independence::audit_units(isms, plan, history.prefix());
    let mut touching: BTreeSet<usize> = BTreeSet::new();
    for unit in &units {
        touching.extend(independence::unit_commit_ids(history, unit));
    }
    for &i in &touching {
        let c = history.commit(i);
        if c.ignored || matches!(resolver.author(c), Who::Ignored) {
            commits.push(&c.id);
            exempted.push(Exempted::Commit(c.id.clone()));
        }
        if c.ignored {
            let by = granted_by(history, resolver, &c.id);
            listed.push(format!("ignored commit {}{by}", describe(history, i, &[])));
        } else if matches!(resolver.author(c), Who::Ignored) {
            listed.push(format!(
                "commit {} by ignored author {}",
                describe(history, i, &[]),
                c.author.email
            ));
        }
    }
    for w in &plan.waivers {
        if independence::waiver_counts(isms, plan, w, Some(history)) {
            listed.push(format!(
                "waiver for {} on area `{}` approved by {} on {}",
                w.auditor.as_str(),
                w.area.as_str(),
                w.approved_by.as_str(),
                w.approved_on.get()
            ));
            exempted.push(Exempted::Waiver {
                auditor: w.auditor.as_str().to_string(),
                area: w.area.as_str().to_string(),
            });
        }
    }
    let wildcards: Vec<&str> = resolver
        .ignored_patterns()
        .iter()
        .map(String::as_str)
        .filter(|p| p.contains('*'))
        .collect();
    if !wildcards.is_empty() && !listed.is_empty() {
        listed.push(format!("ignore_authors wildcards {}", wildcards.join(", ")));
        exempted.extend(wildcards.iter().map(|p| Exempted::Wildcard(p.to_string())));
    }
    if let Some(config) = &isms.config {
        for (code, severity) in &config.rules {
            let Some(rule) = Rule::from_code(code) else {
                continue;
            };
            if rule.family() != "IND" {
                continue;
            }
            if let Some(set) = weakened(*severity.get(), rule.info().severity) {
                listed.push(format!("{} set to {set} in [rules]", rule.code()));
                exempted.push(Exempted::Rule {
                    code: rule.code().to_string(),
                    set: set.to_string(),
                });
            }
        }
    }
    if listed.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            Rule::IND012,
            format!(
                "audit {} relies on {} exemption{}: {}",
                plan.id.as_str(),
                listed.len(),
                if listed.len() == 1 { "" } else { "s" },
                listed.join("; ")
            ),
        )
        .at(plan.origin.at(&plan.id))
        .audit(plan.id.as_str())
        .commits(commits)
        .exemptions(listed.iter().cloned())
        .exempted(exempted)
        .help("exemptions are listed so that the audit programme owner and the certification auditor can review them; each must be justified (a bot, a mass reformatting, a waiver with its reason)"),
    );
}

/// ` (listed by PERSON in 1a2b3c4)` for an ignored commit, or nothing when the adder is unknown.
fn granted_by(history: &History, resolver: &Resolver<'_>, id: &str) -> String {
    let addition = history
        .trust
        .additions
        .iter()
        .find(|a| matches!(&a.grant, Grant::IgnoredRev(h) if id.starts_with(h.as_str())));
    let Some(a) = addition else {
        return String::new();
    };
    let c = history.commit(a.commit);
    let mut judged = c.clone();
    judged.ignored = false;
    let who = match resolver.author(&judged) {
        Who::Person(p) => p.id.as_str().to_string(),
        _ => format!("unknown identity {}", c.author.email),
    };
    format!(" (listed by {who} in {})", c.short())
}

/// The override's name when it switches a rule off or below its default severity.
fn weakened(set: SeverityOverride, default: Severity) -> Option<&'static str> {
    let (rank, name) = match set {
        SeverityOverride::Error => (Severity::Error, "error"),
        SeverityOverride::Warning => (Severity::Warning, "warning"),
        SeverityOverride::Info => (Severity::Info, "info"),
        SeverityOverride::Off => return Some("off"),
    };
    (rank > default).then_some(name)
}
