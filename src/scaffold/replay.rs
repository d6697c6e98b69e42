//! A history for an ISMS that has none: its files committed into a new git repository by its
//! own people on the dates its records give, so that the impartiality rules have real
//! authorship to judge. `isms init --example` replays the embedded example ISMS this way.
//!
//! The script is read from the records: the ISMS manager sets the ISMS up, each document is
//! drafted by its owner (or a member of its area) and approved in a commit of its approver,
//! evidence is added by the owner of the control or area it belongs to, plans by the programme
//! owner, checklists and reports by the audit lead, findings by whoever raised them, answered
//! by the root-cause owner, verified and closed by the people named; management reviews by their
//! chair, objectives as their results come in, incidents by their reviewer (`loop_records`), and the SoA's
//! maturity claims as the audits found them (`maturity`). Every commit is signed by
//! its person's SSH key (made from a published seed, see `example_key`), as the example's
//! people.toml lists them and its `signatures = "records"` asks. The working tree ends as the
//! files given: the last version of each file is the real one.
//!
//! A planted conflict (`--plant`) is one more commit: the lead of the first audit edits a
//! document of an audited area 30 days before the audit starts, which IND002 must catch.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{Repository, Signature, Time};

use crate::model::{Date, Isms};

mod loop_records;
mod maturity;

/// One scripted commit: when, by whom, which files (ISMS-relative, or `../` outside it) get
/// which content.
struct Event {
    date: Date,
    /// Orders events of one day: setup, documents, evidence, plans, records, findings.
    order: u8,
    who: String,
    message: String,
    files: Vec<(String, String)>,
}

struct Script<'a> {
    isms: &'a Isms,
    files: &'a BTreeMap<String, String>,
    /// How many folders the ISMS root lies below the repository root: how far up (`../`) an
    /// area's paths may reach inside the repository.
    depth: usize,
    events: Vec<Event>,
}

/// The final text of a file of the ISMS.
fn read(files: &BTreeMap<String, String>, path: &str) -> String {
    files.get(path).cloned().unwrap_or_default()
}

/// The text without the lines of the given top-level keys (front matter or TOML).
fn without_keys(text: &str, keys: &[&str]) -> String {
    text.lines()
        .filter(|l| !keys.contains(&l.split('=').next().unwrap_or("").trim()))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// A finding file cut at its table headers: the part before the first header, then each
/// `[header]` section with its name.
fn sections(text: &str) -> (String, Vec<(String, String)>) {
    let mut base = String::new();
    let mut parts: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') && !t.starts_with("[\"") {
            parts.push((t.trim_matches(['[', ']']).to_string(), String::new()));
        }
        match parts.last_mut() {
            Some((_, s)) => s.push_str(&format!("{line}\n")),
            None => base.push_str(&format!("{line}\n")),
        }
    }
    (base, parts)
}

/// A date in a file name (`2026-08-14`, `2026-08`, `2026-q3`), for evidence.
fn date_in_name(name: &str) -> Option<Date> {
    let bytes = name.as_bytes();
    for i in 0..bytes.len().saturating_sub(6) {
        let s = &name[i..];
        if !(s.starts_with("20") && s.as_bytes().get(4) == Some(&b'-')) {
            continue;
        }
        if let Some(d) = s.get(..10).and_then(|d| Date::parse(d).ok()) {
            return Some(d);
        }
        let year: i16 = s[..4].parse().ok()?;
        let rest = &s[5..];
        if let Some(q) = rest
            .strip_prefix('q')
            .and_then(|q| q.chars().next())
            .and_then(|c| c.to_digit(10))
        {
            return Date::new(year, (q * 3) as i8, 28);
        }
        if let Ok(m) = rest.get(..2).unwrap_or("").parse::<i8>() {
            return Date::new(year, m, 28);
        }
        return Date::new(year, 6, 30);
    }
    None
}

impl Script<'_> {
    fn push(
        &mut self,
        date: Date,
        order: u8,
        who: &str,
        message: String,
        files: Vec<(String, String)>,
    ) {
        self.events.push(Event {
            date,
            order,
            who: who.to_string(),
            message,
            files,
        });
    }

    fn manager(&self) -> String {
        self.isms
            .programme
            .as_ref()
            .map(|p| p.owner.to_string())
            .or_else(|| self.isms.top_management().next().map(|p| p.id.to_string()))
            .unwrap_or_else(|| "isms".into())
    }

    /// The owner of the area whose `paths` hold `path`.
    fn area_owner_of(&self, path: &str) -> Option<String> {
        self.isms
            .areas
            .iter()
            .find(|a| {
                a.paths.iter().any(|g| {
                    g.as_str() == path
                        || glob_prefix(g.as_str()).is_some_and(|pre| path.starts_with(pre))
                })
            })
            .map(|a| a.owner.to_string())
    }

    /// Everyone tied to an area, owner first.
    fn area_people(&self, area: &str) -> Vec<String> {
        self.isms
            .area(area)
            .map(|a| {
                std::iter::once(a.owner.to_string())
                    .chain(a.members.iter().map(|m| m.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn build(&mut self, setup: Date) {
        let isms = self.isms;
        let manager = self.manager();
        let mut taken: Vec<String> = Vec::new();
        // The skeleton: configuration, registers, programme, and anything not scripted below.
        let skeleton: Vec<String> = isms
            .files
            .iter()
            .filter(|p| {
                !p.starts_with("documents/")
                    && !p.starts_with("evidence/")
                    && !p.starts_with("audits/")
                    && !p.starts_with("findings/")
                    && !p.starts_with("management-reviews/")
                    && !p.starts_with("incidents/")
                    && *p != "objectives.toml"
            })
            .chain(isms.files.iter().filter(|p| *p == "audits/programme.toml"))
            .cloned()
            .collect();
        // The SoA's maturity claims grow over the year (`maturity`): lower at set-up.
        let files = skeleton
            .iter()
            .map(|p| match p.as_str() {
                "soa.toml" => (p.clone(), self.soa_at_setup()),
                _ => (p.clone(), read(self.files, p)),
            })
            .collect();
        taken.extend(skeleton);
        self.push(
            setup,
            0,
            &manager,
            "Set up the ISMS: scope, people, areas, SoA, risks, programme".into(),
            files,
        );

        // Documents: drafted by the owner or a member, approved by the approver.
        for doc in &isms.documents {
            let f = &doc.front;
            let text = read(self.files, &doc.path);
            taken.push(doc.path.clone());
            let approver = f.approved_by.as_ref().map(|a| a.to_string());
            let mut candidates: Vec<String> = f.owner.iter().map(|o| o.to_string()).collect();
            if let Some(area) = &f.area {
                candidates.extend(self.area_people(area.as_str()));
            }
            candidates.push(manager.clone());
            let author = candidates
                .into_iter()
                .find(|c| Some(c) != approver.as_ref())
                .unwrap_or(manager.clone());
            match (&approver, &f.approved_on) {
                (Some(approver), Some(on)) => {
                    let draft = without_keys(&text, &["approved_by", "approved_on"]);
                    let on = *on.get();
                    let draft_day = on.add_days(-7).max(setup);
                    self.push(
                        draft_day,
                        1,
                        &author,
                        format!("Draft {}", f.title.as_str()),
                        vec![(doc.path.clone(), draft)],
                    );
                    self.push(
                        on.max(draft_day),
                        2,
                        approver,
                        format!(
                            "Approve {} {}",
                            f.id.as_str(),
                            f.version.as_ref().map_or("", |v| v.as_str())
                        ),
                        vec![(doc.path.clone(), text)],
                    );
                }
                _ => self.push(
                    setup,
                    1,
                    &author,
                    format!("Add {}", f.title.as_str()),
                    vec![(doc.path.clone(), text)],
                ),
            }
        }

        // Audits: the plan by the programme owner, the records by the lead.
        for audit in &isms.audits {
            let Some(plan) = &audit.plan else { continue };
            let id = audit.id.as_str();
            let plan_day = plan
                .notified_on
                .as_ref()
                .map_or(plan.start.get().add_days(-21), |d| *d.get());
            let path = format!("audits/{id}/plan.toml");
            taken.push(path.clone());
            self.push(
                plan_day.max(setup),
                3,
                &manager,
                format!("Plan {id}"),
                vec![(path.clone(), read(self.files, &path))],
            );
            let mut records = Vec::new();
            for file in ["checklist.toml", "report.md"] {
                let p = format!("audits/{id}/{file}");
                if isms.files.contains(&p) {
                    taken.push(p.clone());
                    records.push((p.clone(), read(self.files, &p)));
                }
            }
            if !records.is_empty() {
                // Reported audits: on the report's day; planned ones: the lead prepares the
                // checklist the day after the plan, never later than the day before the start.
                let prepared = plan_day
                    .add_days(1)
                    .min(plan.start.get().add_days(-1))
                    .max(setup);
                let day = audit
                    .report
                    .as_ref()
                    .map_or(prepared, |r| *r.front.date.get());
                self.push(
                    day,
                    4,
                    plan.lead.as_str(),
                    format!("{id}: checklist and report"),
                    records,
                );
            }
        }

        // Findings: raised, answered, verified, closed, each by its own person.
        let finding_paths = loop_records::paths_by_id(self, "findings/");
        for finding in &isms.findings {
            let Some(path) = finding_paths.get(finding.id.as_str()) else {
                continue;
            };
            let path = &path;
            taken.push((*path).clone());
            let id = finding.id.as_str();
            let (base, parts) = sections(&read(self.files, path));
            let part = |names: &[&str]| -> String {
                parts
                    .iter()
                    .filter(|(n, _)| names.contains(&n.as_str()))
                    .map(|(_, s)| s.as_str())
                    .collect()
            };
            let mut text = base.clone();
            self.push(
                *finding.raised_on.get(),
                5,
                finding.raised_by.as_str(),
                format!("{id}: raise"),
                vec![((*path).clone(), text.clone())],
            );
            let answer = part(&["root_cause", "action"]);
            if !answer.is_empty() {
                text.push_str(&answer);
                let (who, day) = match (
                    &finding.root_cause,
                    finding.actions.first().and_then(|a| a.owner.as_ref()),
                ) {
                    (Some(rc), _) => (rc.by.to_string(), *rc.on.get()),
                    (None, Some(owner)) => (owner.to_string(), *finding.raised_on.get()),
                    (None, None) => (manager.clone(), *finding.raised_on.get()),
                };
                let last_done = finding
                    .actions
                    .iter()
                    .filter_map(|a| a.completed_on.as_ref().map(|d| *d.get()))
                    .max();
                self.push(
                    last_done.unwrap_or(day).max(day),
                    6,
                    &who,
                    format!("{id}: root cause and corrective actions"),
                    vec![((*path).clone(), text.clone())],
                );
            }
            if let Some(v) = &finding.verification {
                text.push_str(&part(&["verification"]));
                self.push(
                    *v.on.get(),
                    7,
                    v.by.as_str(),
                    format!("{id}: verify the corrective actions"),
                    vec![((*path).clone(), text.clone())],
                );
            }
            if let Some(c) = &finding.closure {
                text.push_str(&part(&["closure"]));
                self.push(
                    *c.on.get(),
                    8,
                    c.by.as_str(),
                    format!("{id}: close"),
                    vec![((*path).clone(), text.clone())],
                );
            }
            // Whatever the cut missed (comments, unknown tables) arrives with the last step.
            let full = read(self.files, path);
            if text != full {
                if let Some(last) = self
                    .events
                    .iter_mut()
                    .rev()
                    .find(|e| e.files.iter().any(|(p, _)| p == *path))
                {
                    for f in last.files.iter_mut().filter(|(p, _)| p == *path) {
                        f.1 = full.clone();
                    }
                }
            }
        }

        self.loop_records(setup, &mut taken);
        self.maturity_history(setup);

        // Evidence: by the owner of a control citing it, else the owner of the area owning it.
        for path in isms.files.iter().filter(|p| p.starts_with("evidence/")) {
            taken.push(path.clone());
            let by_control = isms
                .soa
                .iter()
                .find(|c| c.evidence.iter().any(|e| e.as_str() == path))
                .and_then(|c| c.owner.as_ref().map(|o| o.to_string()));
            let by_area = self.area_owner_of(path);
            let who = by_control.or(by_area).unwrap_or(manager.clone());
            let day = date_in_name(path).unwrap_or(setup).max(setup);
            self.push(
                day,
                2,
                &who,
                format!("Evidence: {path}"),
                vec![(path.clone(), read(self.files, path))],
            );
        }
        // Anything left (documents that did not load, stray files) with the setup.
        let rest: Vec<(String, String)> = isms
            .files
            .iter()
            .filter(|p| !taken.contains(p))
            .map(|p| (p.clone(), read(self.files, p)))
            .collect();
        if !rest.is_empty() {
            self.push(setup, 0, &manager, "Remaining files".into(), rest);
        }
        // Areas that own files outside the ISMS (`../infra/**`): their owner writes one.
        for area in &isms.areas {
            for g in &area.paths {
                let inside = g.matches("../").count() <= self.depth;
                if let Some(dir) = g
                    .strip_prefix("../")
                    .and_then(glob_prefix)
                    .filter(|_| inside)
                {
                    let file = format!("../{dir}README.md");
                    self.push(
                        setup.add_days(10),
                        1,
                        area.owner.as_str(),
                        format!("{}: {dir}", area.name.as_str()),
                        vec![(
                            file,
                            format!("# {dir}\n\nOwned by area {}.\n", area.id.as_str()),
                        )],
                    );
                }
            }
        }
        self.events.sort_by_key(|e| (e.date, e.order));
    }
}

/// The literal folder a glob starts with (`documents/access/` for `documents/access/**`).
fn glob_prefix(glob: &str) -> Option<&str> {
    let cut = glob.find(['*', '?', '[', '{']).unwrap_or(glob.len());
    let dir = &glob[..cut];
    let end = dir.rfind('/')? + 1;
    Some(&glob[..end])
}

fn email(isms: &Isms, who: &str) -> (String, String) {
    match isms.person(who) {
        Some(p) => (
            p.name.to_string(),
            p.emails
                .first()
                .map_or(format!("{who}@example.invalid"), |e| e.to_string()),
        ),
        None => (who.to_string(), format!("{who}@example.invalid")),
    }
}

/// The conflict `plant` added: who edited which area's document before which audit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planted {
    pub lead: String,
    pub area: String,
    pub audit: String,
    pub document: String,
}

/// What a replay did.
#[derive(Debug)]
pub struct Replayed {
    pub commits: usize,
    pub planted: Option<Planted>,
}

/// Replays `files` (the ISMS `isms` was loaded from, by path relative to its root) into the new
/// repository `repo`, whose work tree holds the ISMS at `isms_dir`. With `plant`, one conflict
/// of impartiality is added.
pub fn replay(
    isms: &Isms,
    files: &BTreeMap<String, String>,
    repo: &Repository,
    isms_dir: &Path,
    plant: bool,
) -> Result<Replayed, String> {
    let earliest = isms
        .config
        .as_ref()
        .and_then(|c| c.audit.cycle_start.as_ref().map(|d| *d.get()))
        .into_iter()
        .chain(
            isms.documents
                .iter()
                .filter_map(|d| d.front.approved_on.as_ref().map(|o| o.get().add_days(-7))),
        )
        .min()
        .ok_or("the ISMS has neither an audit cycle start nor an approved document to date its history from")?;
    let setup = earliest.add_days(-30);
    let workdir = repo.workdir().ok_or("the repository has no work tree")?;
    let depth = isms_dir
        .strip_prefix(workdir)
        .map_err(|_| format!("{} is not inside the repository", isms_dir.display()))?
        .components()
        .count();
    let mut script = Script {
        isms,
        files,
        depth,
        events: Vec::new(),
    };
    script.build(setup);
    // Nothing is committed after today (a planned audit's records are prepared before it
    // starts): a commit dated in the future of the clock is IND013.
    let today = crate::model::Date::today();
    for e in &mut script.events {
        e.date = e.date.min(today);
    }
    script.events.sort_by_key(|e| (e.date, e.order));
    let planted = if plant { script.plant() } else { None };
    for (i, event) in script.events.iter().enumerate() {
        commit(repo, isms_dir, isms, event, i as i64)
            .map_err(|e| format!("commit {} ({}) failed: {e}", i + 1, event.message))?;
    }
    Ok(Replayed {
        commits: script.events.len(),
        planted,
    })
}

impl Script<'_> {
    /// The lead of the first audit with areas edits a document of its first area a month before
    /// the audit starts.
    fn plant(&mut self) -> Option<Planted> {
        let isms = self.isms;
        let plan = isms
            .audits
            .iter()
            .filter_map(|a| a.plan.as_ref())
            .filter(|p| !p.areas.is_empty())
            .min_by_key(|p| *p.start.get())?;
        let area = plan.areas[0].as_str();
        let doc = isms
            .documents
            .iter()
            .find(|d| d.front.area.as_ref().is_some_and(|a| a.as_str() == area))?;
        let day = plan.start.get().add_days(-30);
        // The document as it stands that day, with one more line.
        let current = self
            .events
            .iter()
            .filter(|e| e.date <= day)
            .flat_map(|e| e.files.iter())
            .rfind(|(p, _)| *p == doc.path)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| read(self.files, &doc.path));
        self.events.push(Event {
            date: day,
            order: 9,
            who: plan.lead.to_string(),
            message: "Fix a typo".into(),
            files: vec![(
                doc.path.clone(),
                format!("{current}\n<!-- typo fixed -->\n"),
            )],
        });
        self.events.sort_by_key(|e| (e.date, e.order));
        Some(Planted {
            lead: plan.lead.to_string(),
            area: area.to_string(),
            audit: plan.id.to_string(),
            document: doc.path.clone(),
        })
    }
}

/// Writes the event's files below `base` and commits them as its author, `minute` minutes
/// after nine in the morning of its day (UTC), so that commits of one day keep their order.
fn commit(
    repo: &Repository,
    base: &Path,
    isms: &Isms,
    event: &Event,
    minute: i64,
) -> Result<git2::Oid, String> {
    for (path, text) in &event.files {
        let full = base.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&full, text).map_err(|e| format!("cannot write {}: {e}", full.display()))?;
    }
    let git = |e: git2::Error| e.message().to_string();
    let mut index = repo.index().map_err(git)?;
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .map_err(git)?;
    index.write().map_err(git)?;
    let tree = repo
        .find_tree(index.write_tree().map_err(git)?)
        .map_err(git)?;
    let (name, mail) = email(isms, &event.who);
    let ts: jiff::Timestamp = format!("{}T09:00:00Z", event.date)
        .parse()
        .map_err(|e| format!("{}: {e}", event.date))?;
    let sig =
        Signature::new(&name, &mail, &Time::new(ts.as_second() + minute * 60, 0)).map_err(git)?;
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    // Signed as `git commit -S` with `gpg.format = ssh` signs, by the person's key.
    let buffer = repo
        .commit_create_buffer(&sig, &sig, &event.message, &tree, &parents)
        .map_err(git)?;
    let signature = ssh_key::SshSig::sign(
        &example_key(&event.who),
        "git",
        ssh_key::HashAlg::Sha512,
        &buffer,
    )
    .and_then(|s| s.to_pem(ssh_key::LineEnding::LF))
    .map_err(|e| format!("cannot sign a commit: {e}"))?;
    let oid = repo
        .commit_signed(&String::from_utf8_lossy(&buffer), &signature, None)
        .map_err(git)?;
    let head = repo.find_reference("HEAD").map_err(git)?;
    let branch = head
        .symbolic_target()
        .map_err(git)?
        .unwrap_or("refs/heads/main")
        .to_string();
    repo.reference(&branch, oid, true, "replay").map_err(git)?;
    Ok(oid)
}

/// The SSH key of a person of a replayed history, made from a published seed
/// (`example-isms/<id>`, zero-padded to 32 bytes): the example's people.toml lists these keys.
/// Anyone can make them: they prove nothing outside the example.
fn example_key(who: &str) -> ssh_key::PrivateKey {
    let mut seed = [0u8; 32];
    for (slot, byte) in seed.iter_mut().zip(format!("example-isms/{who}").bytes()) {
        *slot = byte;
    }
    ssh_key::PrivateKey::from(ssh_key::private::Ed25519Keypair::from_seed(&seed))
}
