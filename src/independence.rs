//! Who may audit what, and why not: an auditor's conflicts with what an audit examines
//! (ownership, membership, authorship in the lookback window). The IND rules and
//! `isms independence` share this, so the matrix and the check can never disagree.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::history::{History, Resolver};
use crate::model::{Area, Date, Document, Isms, Person, Plan, Spanned, Waiver};

/// The days whose commits count against an auditor: `[from, until)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from: Date,
    pub until: Date,
}

impl Window {
    /// An audit's window: the `months` before its start (`[independence] lookback_months`)
    /// through its last day, so work on an area during its own audit counts.
    pub fn audit(start: Date, end: Date, months: u32) -> Self {
        Self {
            from: start.add_months(-i64::from(months)),
            until: end.add_days(1),
        }
    }

    /// The `months` up to and including `today`: today's commits count.
    pub fn through(today: Date, months: u32) -> Self {
        Self::audit(today, today, months)
    }

    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date < self.until
    }
}

/// What an audit examines of one area: its controls in scope, its documents and its files.
/// The controls in scope that no audited area answers for form a unit without an area.
pub struct Unit<'a> {
    pub area: Option<&'a Area>,
    pub controls: Vec<&'a str>,
    /// The clauses in scope that this unit answers for (an area's `clauses`; the rest for the
    /// unit without an area).
    pub clauses: Vec<&'a str>,
    pub documents: Vec<&'a Document>,
    /// The area's `paths`, resolved to repository paths.
    globs: GlobSet,
    /// The repository globs `globs` was built from, in order: what names it.
    patterns: Vec<String>,
    /// Globs that could not be used, with why.
    pub bad_globs: Vec<(&'a Spanned<String>, String)>,
}

impl Unit<'_> {
    /// Whether a repository path is among the area's `paths`.
    pub fn covers(&self, repo_path: &str) -> bool {
        self.globs.is_match(repo_path)
    }

    /// How the unit is named in messages.
    pub fn name(&self) -> String {
        match self.area {
            Some(a) => format!("area `{}`", a.id.as_str()),
            None if self.controls.is_empty() => "the clauses in scope".into(),
            None if self.clauses.is_empty() => "the controls in scope".into(),
            None => "the clauses and controls in scope".into(),
        }
    }
}

/// The units an audit examines: one per audited area and per area holding a clause in scope
/// (an audit of an area's clauses examines that area), then the rest of the scope.
pub fn audit_units<'a>(isms: &'a Isms, plan: &'a Plan, prefix: &str) -> Vec<Unit<'a>> {
    let scope = crate::coverage::scope(isms, plan);
    let controls: BTreeSet<&str> = scope.controls.into_iter().collect();
    let clauses: BTreeSet<&str> = scope.clauses.into_iter().collect();
    let mut covered = BTreeSet::new();
    let mut held = BTreeSet::new();
    let mut units = Vec::new();
    let audited = plan.areas.iter().filter_map(|a| isms.area(a.as_str()));
    let holding = isms.areas.iter().filter(|a| {
        !plan.areas.iter().any(|p| p.as_str() == a.id.as_str())
            && a.clauses.iter().any(|c| clauses.contains(c.as_str()))
    });
    for area in audited.chain(holding) {
        let mine: Vec<&str> = area
            .controls
            .iter()
            .map(|c| c.as_str())
            .filter(|c| controls.contains(c))
            .collect();
        let its_clauses: Vec<&str> = area
            .clauses
            .iter()
            .map(|c| c.as_str())
            .filter(|c| clauses.contains(c))
            .collect();
        covered.extend(mine.iter().copied());
        held.extend(its_clauses.iter().copied());
        units.push(unit(isms, Some(area), mine, its_clauses, prefix));
    }
    let rest: Vec<&str> = controls
        .iter()
        .copied()
        .filter(|c| !covered.contains(c))
        .collect();
    let rest_clauses: Vec<&str> = clauses
        .iter()
        .copied()
        .filter(|c| !held.contains(c))
        .collect();
    if !rest.is_empty() || !rest_clauses.is_empty() {
        units.push(unit(isms, None, rest, rest_clauses, prefix));
    }
    units
}

/// Whether a clause is the audit programme's own (9.2, 9.2.1, 9.2.2): its owner may not audit it.
fn is_programme_clause(clause: &str) -> bool {
    matches!(clause, "9.2" | "9.2.1" | "9.2.2")
}

/// An area as a whole audit would examine it (all its controls), for the matrix.
pub fn area_unit<'a>(isms: &'a Isms, area: &'a Area, prefix: &str) -> Unit<'a> {
    let controls = area.controls.iter().map(|c| c.as_str()).collect();
    let clauses = area.clauses.iter().map(|c| c.as_str()).collect();
    unit(isms, Some(area), controls, clauses, prefix)
}

fn unit<'a>(
    isms: &'a Isms,
    area: Option<&'a Area>,
    controls: Vec<&'a str>,
    clauses: Vec<&'a str>,
    prefix: &str,
) -> Unit<'a> {
    // The area's documents and those implementing its controls (listed under one in the SoA,
    // or naming one), in file order: one pass over the documents, however many controls.
    let listed: HashSet<&str> = controls
        .iter()
        .filter_map(|c| isms.soa_entry(c))
        .flat_map(|e| e.documents.iter().map(|d| d.as_str()))
        .collect();
    let wanted: HashSet<&str> = controls.iter().copied().collect();
    let documents: Vec<&Document> = isms
        .documents
        .iter()
        .filter(|d| {
            let f = &d.front;
            area.is_some_and(|a| f.area.as_ref().is_some_and(|x| x.as_str() == a.id.as_str()))
                || listed.contains(f.id.as_str())
                || f.controls.iter().any(|c| wanted.contains(c.as_str()))
        })
        .collect();
    let mut builder = GlobSetBuilder::new();
    let mut patterns = Vec::new();
    let mut bad_globs = Vec::new();
    for pattern in area.map(|a| a.paths.as_slice()).unwrap_or_default() {
        match repo_glob(prefix, pattern) {
            Ok(globs) => {
                for g in globs {
                    match GlobBuilder::new(&g).literal_separator(true).build() {
                        Ok(glob) => {
                            builder.add(glob);
                            patterns.push(g);
                        }
                        Err(e) => {
                            bad_globs.push((
                                pattern,
                                format!("`{}` is not a valid glob: {}", pattern.as_str(), e.kind()),
                            ));
                            break;
                        }
                    }
                }
            }
            Err(why) => bad_globs.push((pattern, why)),
        }
    }
    Unit {
        area,
        controls,
        clauses,
        documents,
        globs: builder.build().unwrap_or_else(|_| GlobSet::empty()),
        patterns,
        bad_globs,
    }
}

/// A glob relative to the ISMS root as globs relative to the repository root: `..` resolved,
/// and a folder also standing for everything below it. Errors when it leaves the repository.
pub fn repo_glob(prefix: &str, pattern: &str) -> Result<Vec<String>, String> {
    let pattern = pattern.trim().trim_start_matches("./");
    if pattern.starts_with('/') {
        return Err(format!(
            "`{pattern}` is absolute: write area paths relative to the ISMS root"
        ));
    }
    let mut parts: Vec<&str> = prefix.split('/').filter(|p| !p.is_empty()).collect();
    for part in pattern.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!(
                        "`{pattern}` leaves the repository: area paths must stay inside it"
                    ));
                }
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Ok(vec!["**".into()]);
    }
    let joined = parts.join("/");
    let mut out = vec![joined.clone()];
    if !joined.ends_with("**") {
        out.push(format!("{joined}/**"));
    }
    Ok(out)
}

/// The commits that changed what a unit examines, with the paths they changed of it: by the
/// name a path has now, by its name at the commit, or as the source of a move (moving a file
/// out of an area touches the area, and earlier work on it still counts).
pub fn unit_commits<'h>(history: &'h History, unit: &Unit<'_>) -> BTreeMap<usize, Vec<&'h str>> {
    unit_commits_where(history, unit, |_| true)
}

/// The commits of [`unit_commits`] dated in `window`: all that [`conflicts`] reads, without
/// building the paths of the rest of the history.
pub fn unit_commits_in<'h>(
    history: &'h History,
    unit: &Unit<'_>,
    window: Window,
) -> BTreeMap<usize, Vec<&'h str>> {
    unit_commits_where(history, unit, |i| window.contains(history.commit(i).date))
}

fn unit_commits_where<'h>(
    history: &'h History,
    unit: &Unit<'_>,
    keep: impl Fn(usize) -> bool,
) -> BTreeMap<usize, Vec<&'h str>> {
    let docs = document_paths(history, unit);
    let mut out = history.touching_glob_or_named_where(&unit.patterns, &unit.globs, &docs, &keep);
    if let Some(area) = unit.area {
        past_paths(history, area, &keep, &mut out);
    }
    out
}

/// The commits that changed a file under the ISMS root or a path an area's `paths` match, by
/// any name the path had (IND007's reach). Each area's glob set is matched once per run.
pub fn commits_in_isms_or_areas(history: &History, areas: &[Unit<'_>]) -> BTreeSet<usize> {
    let mut ids = history.touching_in_isms_ids();
    for unit in areas {
        ids.extend(history.touching_glob_or_named_ids(&unit.patterns, &unit.globs, &[]));
    }
    ids
}

/// The repository paths of a unit's documents.
fn document_paths(history: &History, unit: &Unit<'_>) -> Vec<String> {
    unit.documents
        .iter()
        .map(|d| history.repo_path(&d.path))
        .collect()
}

/// The commits of [`unit_commits`] without the paths: what a rule that only counts or lists
/// commits needs, without building the paths of each.
pub fn unit_commit_ids(history: &History, unit: &Unit<'_>) -> BTreeSet<usize> {
    let docs = document_paths(history, unit);
    let mut ids = history.touching_glob_or_named_ids(&unit.patterns, &unit.globs, &docs);
    if let Some(area) = unit.area {
        let mut past = BTreeMap::new();
        past_paths(history, area, &|_| true, &mut past);
        ids.extend(past.into_keys());
    }
    ids
}

/// Adds the commits that changed a path matching the area's `paths` as the areas.toml of their
/// own tree had them (on a side branch, the branch's version): narrowing an area's paths today
/// does not hide earlier edits.
fn past_paths<'h>(
    history: &'h History,
    area: &Area,
    keep: &dyn Fn(usize) -> bool,
    out: &mut BTreeMap<usize, Vec<&'h str>>,
) {
    let current: Vec<&str> = area.paths.iter().map(|p| p.as_str()).collect();
    for (areas, commits) in &history.ownership.areas_in_effect {
        let Some(past) = areas.get(area.id.as_str()) else {
            continue;
        };
        if past
            .paths
            .iter()
            .map(String::as_str)
            .eq(current.iter().copied())
        {
            continue;
        }
        let globs = glob_set(history.prefix(), &past.paths);
        for &i in commits.iter().filter(|&&i| keep(i)) {
            for ch in &history.commit(i).changes {
                let named = std::iter::once(&ch.then).chain(ch.renamed_from.as_ref());
                for name in named.filter(|n| globs.is_match(n.as_str())) {
                    let paths = out.entry(i).or_default();
                    if !paths.contains(&name.as_str()) {
                        paths.push(name.as_str());
                        paths.sort_unstable();
                    }
                }
            }
        }
    }
}

/// The globs of area paths (relative to the ISMS root) as one set of repository globs; a path
/// that cannot be used is left out (the current areas.toml reports its own, LOAD002).
pub(crate) fn glob_set(prefix: &str, patterns: &[String]) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        for g in repo_glob(prefix, pattern).unwrap_or_default() {
            if let Ok(glob) = GlobBuilder::new(&g).literal_separator(true).build() {
                builder.add(glob);
            }
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// Why a person may not audit a unit.
#[derive(Clone, Debug)]
pub enum Conflict<'a> {
    OwnsArea,
    MemberOfArea,
    OwnsControl(&'a str),
    OwnsDocument(&'a Document),
    /// Manages the audit programme, and the unit holds its clause (9.2, 9.2.1 or 9.2.2).
    OwnsProgramme(&'a str),
    /// Commits in the window, newest first, with the unit's paths each changed.
    Authored(Vec<(usize, Vec<&'a str>)>),
    /// A tie (one of the above but authorship) that held at some time in the window and no
    /// longer does, with the commit that ended it (`None`: HEAD still records it, only an
    /// uncommitted change ended it).
    Former(Box<Conflict<'a>>, Option<usize>),
}

impl Conflict<'_> {
    /// Whether this needs the history (IND002) rather than the model (IND001).
    pub fn is_authorship(&self) -> bool {
        matches!(self, Conflict::Authored(_))
    }
}

/// What authorship is judged against: the history, who is who, the commits that changed the
/// unit (from [`unit_commits`]) and the window.
pub struct Authorship<'a, 'b, 'r> {
    pub history: &'a History,
    pub resolver: &'b Resolver<'r>,
    pub commits: &'b BTreeMap<usize, Vec<&'a str>>,
    pub window: Window,
}

impl<'a, 'b, 'r> Authorship<'a, 'b, 'r> {
    /// Authorship to judge, when there is a history (and so the unit's commits).
    pub fn new(
        history: Option<&'a History>,
        resolver: &'b Resolver<'r>,
        commits: Option<&'b BTreeMap<usize, Vec<&'a str>>>,
        window: Window,
    ) -> Option<Self> {
        Some(Self {
            history: history?,
            resolver,
            commits: commits?,
            window,
        })
    }
}

/// The ways `person` is tied to what `unit` examines; authorship only when `authored` is given.
pub fn conflicts<'a>(
    isms: &'a Isms,
    unit: &Unit<'a>,
    person: &str,
    authored: Option<&Authorship<'a, '_, '_>>,
) -> Vec<Conflict<'a>> {
    let mut out = Vec::new();
    if let Some(area) = unit.area {
        if isms.answers_for(area.owner.as_str(), person) {
            out.push(Conflict::OwnsArea);
        }
        if area
            .members
            .iter()
            .any(|m| isms.answers_for(m.as_str(), person))
        {
            out.push(Conflict::MemberOfArea);
        }
    }
    for c in &unit.controls {
        if isms
            .soa_entry(c)
            .and_then(|e| e.owner.as_ref())
            .is_some_and(|o| isms.answers_for(o.as_str(), person))
        {
            out.push(Conflict::OwnsControl(c));
        }
    }
    for d in &unit.documents {
        if d.front
            .owner
            .as_ref()
            .is_some_and(|o| isms.answers_for(o.as_str(), person))
        {
            out.push(Conflict::OwnsDocument(d));
        }
    }
    let programme_owner = isms.programme.as_ref().map(|p| p.owner.as_str());
    if programme_owner == Some(person) {
        if let Some(c) = unit.clauses.iter().find(|c| is_programme_clause(c)) {
            out.push(Conflict::OwnsProgramme(c));
        }
    }
    if let Some(a) = authored {
        let former = former_ties(isms, a.history, unit, person, a.window, &out);
        out.extend(former);
    }
    if let Some(a) = authored {
        let mine: Vec<(usize, Vec<&str>)> = a
            .commits
            .iter()
            .filter(|(c, _)| {
                let commit = a.history.commit(**c);
                a.window.contains(commit.date) && a.resolver.involves(commit, person)
            })
            .map(|(c, p)| (*c, p.clone()))
            .collect();
        if !mine.is_empty() {
            out.push(Conflict::Authored(mine));
        }
    }
    out
}

/// The ties `person` had to what `unit` examines at some time in `window` that the current
/// model no longer shows (`now`), from the committed versions of areas.toml, soa.toml and the
/// documents: stepping down before an audit does not make one independent of the past.
fn former_ties<'a>(
    isms: &Isms,
    history: &History,
    unit: &Unit<'a>,
    person: &str,
    window: Window,
    now: &[Conflict<'a>],
) -> Vec<Conflict<'a>> {
    use crate::history::Ownership;
    let own = &history.ownership;
    let (from, until) = (window.from, window.until);
    let mut out = Vec::new();
    if let Some(area) = unit.area {
        let id = area.id.as_str();
        let owned = |v: Option<&BTreeMap<String, crate::history::PastArea>>| {
            v.and_then(|a| a.get(id))
                .and_then(|a| a.owner.as_deref())
                .is_some_and(|o| isms.answers_for(o, person))
        };
        let member = |v: Option<&BTreeMap<String, crate::history::PastArea>>| {
            v.and_then(|a| a.get(id))
                .is_some_and(|a| a.members.iter().any(|m| isms.answers_for(m, person)))
        };
        if !now.iter().any(|c| matches!(c, Conflict::OwnsArea)) {
            if let Some(c) = Ownership::ended(&own.areas, from, until, owned).map(|e| e.commit) {
                out.push(Conflict::Former(Box::new(Conflict::OwnsArea), c));
            }
        }
        if !now.iter().any(|c| matches!(c, Conflict::MemberOfArea)) {
            if let Some(c) = Ownership::ended(&own.areas, from, until, member).map(|e| e.commit) {
                out.push(Conflict::Former(Box::new(Conflict::MemberOfArea), c));
            }
        }
    }
    for control in &unit.controls {
        if now
            .iter()
            .any(|c| matches!(c, Conflict::OwnsControl(x) if x == control))
        {
            continue;
        }
        let owned = |v: Option<&BTreeMap<String, String>>| {
            v.and_then(|m| m.get(*control))
                .is_some_and(|o| isms.answers_for(o, person))
        };
        if let Some(c) = Ownership::ended(&own.controls, from, until, owned).map(|e| e.commit) {
            out.push(Conflict::Former(
                Box::new(Conflict::OwnsControl(control)),
                c,
            ));
        }
    }
    for doc in &unit.documents {
        if now
            .iter()
            .any(|c| matches!(c, Conflict::OwnsDocument(d) if d.path == doc.path))
        {
            continue;
        }
        let Some(versions) = own.documents.get(&doc.path) else {
            continue;
        };
        let owned = |v: Option<&String>| v.is_some_and(|o| isms.answers_for(o, person));
        if let Some(c) = Ownership::ended(versions, from, until, owned).map(|e| e.commit) {
            out.push(Conflict::Former(Box::new(Conflict::OwnsDocument(doc)), c));
        }
    }
    out
}

/// Why a waiver does not count, if it does not: it must be approved by top management, and
/// not by the auditor it waives.
pub fn waiver_problem(isms: &Isms, waiver: &Waiver) -> Option<String> {
    let by = waiver.approved_by.as_str();
    if by == waiver.auditor.as_str() {
        return Some(format!("it is approved by {by}, the waived auditor"));
    }
    match isms.person(by) {
        Some(p) if !*p.top_management.get() => {
            Some(format!("it is approved by {by}, who is not top management"))
        }
        // An unknown approver is REF001's to report; the waiver does not count either way.
        None => Some(format!("its approver {by} is not in people.toml")),
        Some(_) => None,
    }
}

/// Whether a waiver of `plan` counts: approved by top management, not by the auditor it waives,
/// and, where the history is read, in the checked snapshot (an uncommitted waiver does not).
pub fn waiver_counts(isms: &Isms, plan: &Plan, waiver: &Waiver, history: Option<&History>) -> bool {
    waiver_problem(isms, waiver).is_none()
        && history.is_none_or(|h| {
            h.trust.has_waiver(
                plan.id.as_str(),
                waiver.auditor.as_str(),
                waiver.area.as_str(),
            )
        })
}

/// The waiver of a plan that counts for an auditor on a unit's area, if any.
pub fn waiver_for<'p>(
    isms: &Isms,
    plan: &'p Plan,
    auditor: &str,
    unit: &Unit<'_>,
    history: Option<&History>,
) -> Option<&'p Waiver> {
    let area = unit.area?;
    plan.waivers.iter().find(|w| {
        w.auditor.as_str() == auditor
            && w.area.as_str() == area.id.as_str()
            && waiver_counts(isms, plan, w, history)
    })
}

/// One line of why a person may not audit a unit: `owner; 2 commits (latest 1a2b3c4 2026-01-05)`.
pub fn reasons(history: Option<&History>, conflicts: &[Conflict<'_>]) -> String {
    let out: Vec<String> = conflicts.iter().map(|c| reason(history, c)).collect();
    out.join("; ")
}

fn reason(history: Option<&History>, c: &Conflict<'_>) -> String {
    match c {
        Conflict::OwnsArea => "owner".into(),
        Conflict::MemberOfArea => "member".into(),
        Conflict::OwnsControl(c) => format!("owns {c}"),
        Conflict::OwnsDocument(d) => format!("owns {}", d.front.id.as_str()),
        Conflict::OwnsProgramme(c) => format!("programme owner ({c})"),
        Conflict::Authored(list) => {
            let n = list.len();
            let latest = match (history, list.first()) {
                (Some(h), Some((i, _))) => {
                    format!(" (latest {} {})", h.commit(*i).short(), h.commit(*i).date)
                }
                _ => String::new(),
            };
            format!("{n} commit{}{latest}", if n == 1 { "" } else { "s" })
        }
        Conflict::Former(tie, ended) => {
            let until = match (history, ended) {
                (Some(h), Some(c)) => {
                    format!(" until {} {}", h.commit(*c).short(), h.commit(*c).date)
                }
                (_, None) => " (still so at HEAD: the change is not committed)".to_string(),
                (None, _) => String::new(),
            };
            format!("formerly {}{until}", reason(history, tie))
        }
    }
}

/// Whether each person could audit each unit of `plan` at its start: the reasons against,
/// per unit, with the waiver that lifts them. Used by `isms independence --audit` and by
/// `isms new audit` to propose auditors.
pub struct Candidate<'a> {
    pub person: &'a Person,
    /// Each unit with a conflict.
    pub conflicts: Vec<UnitVerdict<'a>>,
}

/// Why a person may not audit one unit of an audit.
pub struct UnitVerdict<'a> {
    /// The unit's name (`area `access-control``, `the controls in scope`).
    pub unit: String,
    /// The area, when the unit is one.
    pub area: Option<&'a str>,
    /// The reasons in one line ([`reasons`]).
    pub why: String,
    pub conflicts: Vec<Conflict<'a>>,
    /// The waiver that lifts them, if one counts.
    pub waiver: Option<&'a Waiver>,
}

impl Candidate<'_> {
    /// No conflict, or every conflict waived.
    pub fn eligible(&self) -> bool {
        self.conflicts.iter().all(|v| v.waiver.is_some())
    }
}

/// Every person with `auditor = true`, judged against the scope of `plan`.
pub fn candidates<'a>(
    isms: &'a Isms,
    plan: &'a Plan,
    history: Option<&'a History>,
    resolver: &Resolver<'_>,
    lookback_months: u32,
) -> Vec<Candidate<'a>> {
    let prefix = history.map_or("", History::prefix);
    let window = Window::audit(*plan.start.get(), *plan.end.get(), lookback_months);
    let units = audit_units(isms, plan, prefix);
    let commits: Vec<Option<BTreeMap<usize, Vec<&str>>>> = units
        .iter()
        .map(|u| history.map(|h| unit_commits(h, u)))
        .collect();
    let mut out = Vec::new();
    for person in isms.people.iter().filter(|p| *p.auditor.get()) {
        let mut found = Vec::new();
        for (unit, commits) in units.iter().zip(&commits) {
            let authored = Authorship::new(history, resolver, commits.as_ref(), window);
            let conflicts = conflicts(isms, unit, person.id.as_str(), authored.as_ref());
            if !conflicts.is_empty() {
                found.push(UnitVerdict {
                    unit: unit.name(),
                    area: unit.area.map(|a| a.id.as_str()),
                    why: reasons(history, &conflicts),
                    waiver: waiver_for(isms, plan, person.id.as_str(), unit, history),
                    conflicts,
                });
            }
        }
        out.push(Candidate {
            person,
            conflicts: found,
        });
    }
    out
}

/// Each area, with each auditor's conflicts with it (none: eligible), in file order.
pub type Cells<'a> = Vec<(&'a Area, Vec<(&'a Person, Vec<Conflict<'a>>)>)>;

/// The matrix of areas against auditors over `window`: what `isms independence` reports and
/// the site's people page shows.
pub fn matrix<'a>(
    isms: &'a Isms,
    history: Option<&'a History>,
    resolver: &Resolver<'_>,
    window: Window,
) -> Cells<'a> {
    let prefix = history.map_or("", History::prefix);
    let auditors: Vec<&Person> = isms.people.iter().filter(|p| *p.auditor.get()).collect();
    let mut out = Vec::new();
    for area in &isms.areas {
        let unit = area_unit(isms, area, prefix);
        let commits = history.map(|h| unit_commits(h, &unit));
        let cells = auditors
            .iter()
            .map(|person| {
                let authored = Authorship::new(history, resolver, commits.as_ref(), window);
                let conflicts = conflicts(isms, &unit, person.id.as_str(), authored.as_ref());
                (*person, conflicts)
            })
            .collect();
        out.push((area, cells));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_resolve_against_the_isms_root() {
        assert_eq!(
            repo_glob("", "documents/access/**").unwrap(),
            vec!["documents/access/**"]
        );
        assert_eq!(
            repo_glob("isms/", "../infra/iam/**").unwrap(),
            vec!["infra/iam/**"]
        );
        assert_eq!(
            repo_glob("isms/", "documents/a").unwrap(),
            vec!["isms/documents/a", "isms/documents/a/**"]
        );
        assert!(repo_glob("isms/", "../../etc/**").is_err());
        assert!(repo_glob("", "/etc/**").is_err());
    }

    #[test]
    fn the_window_runs_through_the_audits_last_day() {
        let d = |s| Date::parse(s).unwrap();
        let w = Window::audit(d("2026-03-10"), d("2026-03-12"), 24);
        assert_eq!(w.from, d("2024-03-10"));
        assert!(w.contains(d("2024-03-10")));
        assert!(w.contains(d("2026-03-10")));
        assert!(w.contains(d("2026-03-12")));
        assert!(!w.contains(d("2026-03-13")));
        assert!(!w.contains(d("2024-03-09")));
        assert!(Window::through(d("2026-03-10"), 1).contains(d("2026-03-10")));
    }
}
