//! IND: auditors are objective and impartial (9.2.2 b), proven from the model (ownership) and
//! from git history (authorship of the audited areas, of audit records, findings and
//! verifications). Identities not in people.toml are reported (IND007), never judged.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Severity};
use crate::history::{History, Resolver, Who};
use crate::independence::{self, Authorship, Conflict, Window};
use crate::model::{Audit, Isms, Origin, Person, PersonId, Plan, Spanned, Waiver};

use super::{Context, Git, Rule};

/// At most this many commits are listed in one diagnostic.
const MAX_LISTED: usize = 20;

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let config_origin = cx.isms.config_origin.clone().unwrap_or_default();
    match cx.git {
        Git::Unavailable(why) => out.push(
            Diagnostic::new(Rule::IND006, why.message())
                .at(config_origin)
                .help(why.help()),
        ),
        Git::Off => out.push(
            Diagnostic::new(Rule::IND009, "git history was not read (--no-git): auditor impartiality (IND002-IND005) and document change control (DOC004, DOC005) were not verified")
                .at(config_origin)
                .help("run `isms check` without --no-git in a clone with full history before relying on this result"),
        ),
        Git::NotRead | Git::Read(_) => {}
    }
    let history = cx.history();
    let resolver = Resolver::new(cx.isms, cx.history());
    for audit in &cx.isms.audits {
        let Some(plan) = &audit.plan else { continue };
        waivers(cx.isms, plan, out);
        auditors(cx, plan, history, &resolver, out);
        // An external audit's records are transcribed by the ISMS team (`transcribed_by`).
        if let Some(h) = history
            && plan.is_internal()
        {
            let owner = cx.isms.programme.as_ref().map(|p| p.owner.as_str());
            records(audit, plan, owner, h, &resolver, out);
        }
    }
    if let Some(h) = history {
        findings(cx.isms, h, &resolver, out);
        unknown_identities(cx.isms, h, &resolver, out);
    }
}

/// A short account of a commit for messages: `1a2b3c4 2026-01-05 "subject" (files)`.
pub(super) fn describe(history: &History, index: usize, paths: &[&str]) -> String {
    let c = history.commit(index);
    let mut s = format!("{} {} \"{}\"", c.short(), c.date, c.subject);
    if !paths.is_empty() {
        let shown: Vec<&str> = paths.iter().take(3).copied().collect();
        let more = paths.len().saturating_sub(shown.len());
        let extra = if more > 0 {
            format!(", +{more} more")
        } else {
            String::new()
        };
        s.push_str(&format!(" ({}{extra})", shown.join(", ")));
    }
    s
}

/// Several commits, `; `-separated, at most [`MAX_LISTED`] of them.
pub(super) fn describe_all<'p>(
    history: &History,
    commits: impl IntoIterator<Item = (usize, &'p [&'p str])>,
) -> String {
    let all: Vec<(usize, &[&str])> = commits.into_iter().collect();
    let mut parts: Vec<String> = all
        .iter()
        .take(MAX_LISTED)
        .map(|(c, p)| describe(history, *c, p))
        .collect();
    if all.len() > MAX_LISTED {
        parts.push(format!("and {} more", all.len() - MAX_LISTED));
    }
    parts.join("; ")
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// IND008: every waiver approved by the waived auditor or by someone outside top management.
fn waivers(isms: &Isms, plan: &Plan, out: &mut Vec<Diagnostic>) {
    for w in &plan.waivers {
        if isms.person(w.approved_by.as_str()).is_none()
            && w.approved_by.as_str() != w.auditor.as_str()
        {
            continue;
        }
        if let Some(problem) = independence::waiver_problem(isms, w) {
            out.push(
                Diagnostic::new(
                    Rule::IND008,
                    format!(
                        "the waiver for {} on area `{}` in audit {} does not count: {problem}",
                        w.auditor.as_str(),
                        w.area.as_str(),
                        plan.id.as_str()
                    ),
                )
                .at(plan.origin.at(&w.approved_by))
                .label("approver")
                .help("a waiver of impartiality is approved by top management (`top_management = true` in people.toml), never by the auditor it waives"),
            );
        }
    }
}

/// The lead and the team, each once, with where they are named.
fn team(plan: &Plan) -> Vec<&Spanned<PersonId>> {
    let mut seen: Vec<&Spanned<PersonId>> = Vec::new();
    for a in plan.auditors() {
        if !seen.iter().any(|s| s.as_str() == a.as_str()) {
            seen.push(a);
        }
    }
    seen
}

/// IND001 and IND002: each auditor against each unit the audit examines.
fn auditors(
    cx: &Context<'_>,
    plan: &Plan,
    history: Option<&History>,
    resolver: &Resolver<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let isms = cx.isms;
    let prefix = history.map_or("", History::prefix);
    let months = *cx.config().independence.lookback_months.get();
    let window = Window::audit(*plan.start.get(), *plan.end.get(), months);
    let audit = plan.id.as_str();
    for unit in independence::audit_units(isms, plan, prefix) {
        // Where the repository root is unknown, `..` cannot be judged.
        for (pattern, why) in unit.bad_globs.iter().filter(|_| history.is_some()) {
            if let Some(area) = unit.area {
                out.push(
                    // A configuration error, not a finding about an auditor.
                    Diagnostic::new(Rule::LOAD002, format!("invalid value in areas.toml: a path of area `{}` cannot be checked: {why}", area.id.as_str()))
                        .at(area.origin.at(pattern))
                        .area(area.id.as_str())
                        .help("area paths are globs relative to the ISMS root, inside the repository, such as `documents/access/**` or `../infra/iam/**`"),
                );
            }
        }
        let commits = history.map(|h| independence::unit_commits_in(h, &unit, window));
        for auditor in team(plan) {
            let name = auditor.as_str();
            let authored = Authorship::new(history, resolver, commits.as_ref(), window);
            let conflicts = independence::conflicts(isms, &unit, name, authored.as_ref());
            if conflicts.is_empty() {
                continue;
            }
            let waiver = independence::waiver_for(isms, plan, name, &unit, history);
            let at = plan.origin.at(auditor);
            let related = unit.area.map(|a| {
                (
                    a.origin.at(&a.id),
                    format!("area `{}`", a.id.as_str()),
                    a.id.as_str(),
                )
            });
            let ties: Vec<String> = conflicts
                .iter()
                .filter(|c| !c.is_authorship())
                .map(|c| tie(history, c))
                .collect();
            if !ties.is_empty() {
                let d = Diagnostic::new(
                    Rule::IND001,
                    format!("auditor {name} of {audit} is not independent of {}: {}", unit.name(), ties.join(", ")),
                )
                .at(at.clone())
                .label(format!("auditor of {audit}"))
                .person(name)
                .audit(audit)
                .help(format!(
                    "no one audits their own work (9.2.2 b): choose another auditor (`isms independence --audit {audit}` lists the eligible ones), or record a [[waiver]] approved by top management"
                ));
                out.push(waived(with_related(d, &related), waiver));
            }
            for c in &conflicts {
                let (Conflict::Authored(list), Some(h)) = (c, history) else {
                    continue;
                };
                let mut listed = describe_all(h, list.iter().map(|(i, p)| (*i, p.as_slice())));
                listed.push_str(&committed_by_others(
                    h,
                    resolver,
                    list.iter().map(|(i, _)| *i),
                ));
                let d = Diagnostic::new(
                    Rule::IND002,
                    format!(
                        "auditor {name} of {audit} authored {} touching {} in the {months} months before the audit and during it ({} to {}): {listed}",
                        plural(list.len(), "commit"),
                        unit.name(),
                        window.from,
                        window.until.add_days(-1),
                    ),
                )
                .at(at.clone())
                .label(format!("auditor of {audit}"))
                .person(name)
                .audit(audit)
                .commits(list.iter().map(|(i, _)| h.commit(*i).id.as_str()))
                .help(format!(
                    "no one audits their own work (9.2.2 b): choose another auditor (`isms independence --audit {audit}` lists the eligible ones), or record a [[waiver]] approved by top management; `git show {}` shows the latest commit",
                    h.commit(list[0].0).short()
                ));
                out.push(waived(with_related(d, &related), waiver));
            }
        }
    }
}

/// `" (committed by carol: 1a2b3c4, ...)"` for the commits whose committer is another known
/// person than their author (a rebase or a cherry-pick): the author counts, the committer is
/// named too. Empty when there are none.
fn committed_by_others(
    history: &History,
    resolver: &Resolver<'_>,
    commits: impl Iterator<Item = usize>,
) -> String {
    let mut by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for i in commits {
        let c = history.commit(i);
        if let Some(p) = resolver.other_committer(c) {
            by.entry(p.id.as_str()).or_default().push(c.short());
        }
    }
    let parts: Vec<String> = by
        .iter()
        .map(|(who, shorts)| format!("committed by {who}: {}", shorts.join(", ")))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

fn with_related(d: Diagnostic, related: &Option<(Origin, String, &str)>) -> Diagnostic {
    match related {
        Some((o, m, area)) => d.related(o.clone(), m.clone()).area(area),
        None => d,
    }
}

/// A conflict waived by an approved waiver is reported as info, with the waiver.
fn waived(d: Diagnostic, waiver: Option<&Waiver>) -> Diagnostic {
    match waiver {
        None => d,
        Some(w) => {
            let mut d = d;
            d.severity = Severity::Info;
            d.subject.waiver = Some(crate::diagnostics::Waived {
                approved_by: w.approved_by.as_str().to_string(),
                approved_on: w.approved_on.get().to_string(),
                reason: w.reason.as_str().to_string(),
            });
            d
        }
    }
}

fn tie(history: Option<&History>, c: &Conflict<'_>) -> String {
    match c {
        Conflict::Former(was, ended) => {
            let until = match (history, ended) {
                (Some(h), Some(c)) => format!(" (until {})", describe(h, *c, &[])),
                (_, None) => " (still so in HEAD's committed version: the change that ends it is not committed)".to_string(),
                (None, _) => String::new(),
            };
            let was = match &**was {
                Conflict::OwnsArea => "owned the area".into(),
                Conflict::MemberOfArea => "was a member of the area".into(),
                Conflict::OwnsControl(c) => format!("owned control {c}"),
                Conflict::OwnsDocument(d) => format!("owned document {}", d.front.id.as_str()),
                other => tie(history, other),
            };
            format!("{was} in the lookback window{until}")
        }
        Conflict::OwnsArea => "owns the area".into(),
        Conflict::MemberOfArea => "is a member of the area".into(),
        Conflict::OwnsControl(c) => format!("owns control {c}"),
        Conflict::OwnsDocument(d) => format!("owns document {}", d.front.id.as_str()),
        Conflict::OwnsProgramme(c) => {
            format!("manages the audit programme, which clause {c} in scope examines")
        }
        Conflict::Authored(list) => format!("authored {}", plural(list.len(), "commit")),
    }
}

/// The checklist keys whose lines record the audit's judgement: written by the team alone.
const JUDGEMENT_KEYS: [&str; 4] = ["result", "evidence", "finding", "maturity"];

/// The checklist keys of its skeleton: prepared by the team or the audit programme owner.
const SKELETON_KEYS: [&str; 3] = ["ref", "question", "method"];

/// Who may have written a line of an audit record.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Writers {
    /// The lead and the team alone: every non-blank line of the report, and the judgement lines
    /// of the checklist, except what the scaffold left unassessed (`result = "not-assessed"`,
    /// an empty value).
    Team,
    /// The team or the audit programme owner: the checklist's skeleton (ref, question, method).
    TeamOrProgrammeOwner,
}

/// Who may have written a line of a record; `None` when anyone may (headers, blank lines).
fn writers(checklist: bool, line: &str) -> Option<Writers> {
    let line = line.trim();
    if !checklist {
        return (!line.is_empty()).then_some(Writers::Team);
    }
    let (key, value) = line.split_once('=')?;
    let (key, value) = (key.trim(), value.trim());
    if SKELETON_KEYS.contains(&key) {
        return Some(Writers::TeamOrProgrammeOwner);
    }
    (JUDGEMENT_KEYS.contains(&key)
        && value != "\"not-assessed\""
        && value != "\"\""
        && value != "[]")
        .then_some(Writers::Team)
}

/// IND003: lines of the audit's checklist and report, as they are now, written by someone
/// outside its team.
fn records(
    audit: &Audit,
    plan: &Plan,
    programme_owner: Option<&str>,
    history: &History,
    resolver: &Resolver<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let team: Vec<&str> = plan.auditors().map(|a| a.as_str()).collect();
    let programme_owner = programme_owner.unwrap_or_default();
    let parts = [
        (
            "checklist.toml",
            audit.checklist.as_ref().map(|c| c.origin.file),
        ),
        ("report.md", audit.report.as_ref().map(|r| r.origin.file)),
    ];
    for (file, record) in parts {
        let Some(record) = record else { continue };
        let checklist = file == "checklist.toml";
        let Some(lines) = history.records.get(&format!("audits/{}/{file}", audit.id)) else {
            continue;
        };
        // commit -> (line numbers, outsiders), newest commit first.
        let mut offending: BTreeMap<usize, (Vec<usize>, Vec<&Person>)> = BTreeMap::new();
        for (n, line) in lines.iter().enumerate() {
            let (Some(c), Some(may)) = (line.commit, writers(checklist, &line.text)) else {
                continue;
            };
            let allowed = |p: &Person| {
                team.contains(&p.id.as_str())
                    || (may == Writers::TeamOrProgrammeOwner && p.id.as_str() == programme_owner)
            };
            let outsiders: Vec<&Person> = resolver
                .people(history.commit(c))
                .into_iter()
                .filter(|p| !allowed(p))
                .collect();
            if !outsiders.is_empty() {
                let entry = offending
                    .entry(c)
                    .or_insert_with(|| (Vec::new(), outsiders));
                entry.0.push(n + 1);
            }
        }
        if offending.is_empty() {
            continue;
        }
        let mut who: Vec<&str> = offending
            .values()
            .flat_map(|(_, p)| p.iter().map(|p| p.id.as_str()))
            .collect();
        who.sort_unstable();
        who.dedup();
        let spans: Vec<(usize, [String; 1])> = offending
            .iter()
            .map(|(c, (numbers, _))| {
                let shown: Vec<String> = numbers.iter().map(usize::to_string).collect();
                let word = if numbers.len() == 1 { "line" } else { "lines" };
                (*c, [format!("{word} {}", shown.join(", "))])
            })
            .collect();
        let refs: Vec<[&str; 1]> = spans.iter().map(|(_, l)| [l[0].as_str()]).collect();
        let listed = describe_all(
            history,
            spans.iter().zip(&refs).map(|((c, _), l)| (*c, &l[..])),
        );
        out.push(
            Diagnostic::new(
                Rule::IND003,
                format!(
                    "the {} of audit {} was changed by {}, outside the audit team ({}): {listed}",
                    if checklist { "checklist" } else { "report" },
                    audit.id,
                    who.join(", "),
                    team.join(", "),
                ),
            )
            .in_file(record)
            .audit(audit.id.as_str())
            .commits(offending.keys().map(|c| history.commit(*c).id.as_str()))
            .help("audit records say what the auditors found: an auditor of the team rewrites the lines named (`git revert` of the commit, committed by an auditor, does it) after checking them, or the person is added to the team if they audit and are independent"),
        );
    }
}

/// IND004 and IND005: who introduced each finding, and who recorded its verification.
fn findings(isms: &Isms, history: &History, resolver: &Resolver<'_>, out: &mut Vec<Diagnostic>) {
    for finding in &isms.findings {
        let id = finding.id.as_str();
        let Some(path) = history.provenance.finding_paths.get(id) else {
            continue;
        };
        let plan = isms
            .audit(finding.audit.as_str())
            .and_then(|a| a.plan.as_ref());
        if let (Some(plan), Some(&first)) = (
            plan.filter(|p| p.is_internal()),
            history.touching(&history.repo_path(path)).last(),
        ) {
            let commit = history.commit(first);
            if let Who::Person(p) = resolver.author(commit) {
                if !plan.auditors().any(|a| a.as_str() == p.id.as_str()) {
                    let team: Vec<&str> = plan.auditors().map(|a| a.as_str()).collect();
                    out.push(
                        Diagnostic::new(
                            Rule::IND004,
                            format!(
                                "finding {id} was introduced by {}, who is not an auditor of {} ({}): {}",
                                p.id.as_str(),
                                plan.id.as_str(),
                                team.join(", "),
                                describe(history, first, &[])
                            ),
                        )
                        .at(finding.origin.at(&finding.id))
                        .person(p.id.as_str())
                        .audit(plan.id.as_str())
                        .commits([commit.id.as_str()])
                        .help("findings are raised by the auditors of their audit: an auditor of the team commits the finding (the area's people answer it afterwards with root cause and actions)"),
                    );
                }
            }
        }
        let Some(v) = &finding.verification else {
            continue;
        };
        let Some(versions) = history.provenance.verifications.get(id) else {
            continue;
        };
        let Some(current) = versions.first().and_then(|v| v.value.as_ref()) else {
            continue;
        };
        if current.by != v.by.as_str()
            || current.on != v.on.get().to_string()
            || current.effective != *v.effective.get()
        {
            continue; // not committed yet: the staged check sees it
        }
        let recorded = versions
            .iter()
            .take_while(|x| x.value.as_ref() == Some(current))
            .last()
            .map(|x| x.commit);
        let Some(recorded) = recorded else { continue };
        let commit = history.commit(recorded);
        if let Who::Person(p) = resolver.author(commit) {
            if p.id.as_str() != v.by.as_str() {
                out.push(
                    Diagnostic::new(
                        Rule::IND005,
                        format!(
                            "the verification of finding {id} by {} was recorded by {}: {}",
                            v.by.as_str(),
                            p.id.as_str(),
                            describe(history, recorded, &[])
                        ),
                    )
                    .at(finding.origin.at(&v.by))
                    .label("verifier")
                    .person(p.id.as_str())
                    .commits([commit.id.as_str()])
                    .help(format!(
                        "the effectiveness of a corrective action is verified independently (10.2 d): {} records the verification in a commit of their own",
                        v.by.as_str()
                    )),
                );
            }
        }
    }
}

/// IND007: identities that changed ISMS files but are not in people.toml, one warning each.
fn unknown_identities(
    isms: &Isms,
    history: &History,
    resolver: &Resolver<'_>,
    out: &mut Vec<Diagnostic>,
) {
    // Area paths count as much as ISMS files, also outside the ISMS root (`../infra/**`).
    let areas: Vec<independence::Unit<'_>> = isms
        .areas
        .iter()
        .map(|a| independence::area_unit(isms, a, history.prefix()))
        .collect();
    let touched = independence::commits_in_isms_or_areas(history, &areas);
    // email (lowercase) -> (name, commits newest first)
    let mut unknown: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for &i in &touched {
        let c = history.commit(i);
        for ident in resolver.unknown(c) {
            let entry = unknown
                .entry(ident.email.to_lowercase())
                .or_insert_with(|| (ident.name.clone(), Vec::new()));
            if entry.1.last() != Some(&i) {
                entry.1.push(i);
            }
        }
    }
    let origin = isms
        .people
        .first()
        .map(|p| Origin::in_file(p.origin.file))
        .or_else(|| isms.config_origin.clone())
        .unwrap_or_default();
    for (email, (name, commits)) in unknown {
        let who = if name.is_empty() {
            format!("<{email}>")
        } else {
            format!("{name} <{email}>")
        };
        let shown = if email.is_empty() {
            "(no email)".to_string()
        } else {
            who
        };
        out.push(
            Diagnostic::new(
                Rule::IND007,
                format!(
                    "{} touching ISMS files or area paths {} by {shown}, who is not in people.toml (latest: {})",
                    plural(commits.len(), "commit"),
                    if commits.len() == 1 { "is" } else { "are" },
                    describe(history, commits[0], &[])
                ),
            )
            .at(origin.clone())
            .commits(commits.iter().map(|&i| history.commit(i).id.as_str()))
            .help("these commits cannot be checked for impartiality: add the email to the person's `emails` in people.toml, map it to a known identity in .mailmap, or list it under `[independence] ignore_authors` if it is a bot"),
        );
    }
}
