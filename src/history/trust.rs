//! What the committed history says about whom to trust: every email any committed version of
//! people.toml gave a person, and the commit that added each exemption (ignore-revs line,
//! `.mailmap` entry, `ignore_authors` entry, waiver) or identity (an email in people.toml).
//! Exemptions in effect are those of the checked snapshot: the newest version of each file in
//! the history (the staged one under `--staged`), never the working tree.

use std::collections::{BTreeMap, BTreeSet};

use super::{History, Repo};
use crate::model::Isms;

/// An exemption or identity, as one version of its file lists it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grant {
    /// A line of the ignore-revs file: a (possibly abbreviated) commit hash, lowercase.
    IgnoredRev(String),
    /// A pattern of `[independence] ignore_authors`, lowercase.
    IgnoredAuthor(String),
    /// An entry of `.mailmap`: the line, and its proper and commit emails when it maps one.
    Mailmap {
        line: String,
        proper: Option<String>,
        commit: Option<String>,
    },
    /// An email (lowercase) listed for a person in people.toml.
    Email { person: String, email: String },
    /// A signing key listed for a person in people.toml, as `ed25519 SHA256:...`.
    SigningKey { person: String, key: String },
    /// A `[[waiver]]` of an audit plan.
    Waiver {
        audit: String,
        auditor: String,
        area: String,
    },
}

impl Grant {
    /// How the grant is named in messages.
    pub fn describe(&self) -> String {
        match self {
            Grant::IgnoredRev(h) => format!("the ignore-revs line `{h}`"),
            Grant::IgnoredAuthor(p) => format!("`{p}` in ignore_authors"),
            Grant::Mailmap { line, .. } => format!("the .mailmap entry `{line}`"),
            Grant::Email { person, email } => format!("the email {email} for {person}"),
            Grant::SigningKey { person, key } => format!("the signing key {key} for {person}"),
            Grant::Waiver {
                audit,
                auditor,
                area,
            } => format!("the waiver of {audit} for {auditor} on area `{area}`"),
        }
    }
}

/// A grant that a commit added: the version it wrote lists it, the version before did not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addition {
    /// Index into the history's commits.
    pub commit: usize,
    pub grant: Grant,
}

/// Facts about identities and exemptions, read from every committed version of their files.
#[derive(Clone, Debug, Default)]
pub struct Trust {
    /// Email (lowercase) -> every person id any version of people.toml listed it for, with the
    /// newest commit that did (for messages); the checked snapshot included.
    pub emails: BTreeMap<String, BTreeMap<String, usize>>,
    /// Every grant still in effect in the checked snapshot, with the commit that added it
    /// (the oldest version of the newest unbroken run of versions listing it). Emails are in
    /// effect once listed: removing one does not disown the commits made with it.
    pub additions: Vec<Addition>,
    /// `ignore_authors` of the checked snapshot's isms.toml, when the history holds it.
    pub ignored_authors: Option<Vec<String>>,
    /// The waivers of the checked snapshot, per audit: (auditor, area).
    pub waivers: BTreeMap<String, BTreeSet<(String, String)>>,
    /// The `.mailmap` entries of the checked snapshot, with their byte spans in its text.
    pub mailmap: Vec<(std::ops::Range<usize>, Grant)>,
    /// The text of the checked snapshot's `.mailmap`, when it has one.
    pub mailmap_text: Option<String>,
    /// `.mailmap` among the files diagnostics point into, once added
    /// ([`super::History::add_exemption_files`]).
    pub mailmap_file: Option<crate::model::FileId>,
    /// The checked snapshot's ignore-revs file: its path relative to the ISMS root and its
    /// text, when it has one.
    pub ignore_revs: Option<(String, String)>,
    /// The ignore-revs file among the files diagnostics point into, once added.
    pub ignore_revs_file: Option<crate::model::FileId>,
    /// The grants made only by the wrong person (IND011): they do not take effect.
    pub refused: BTreeSet<Grant>,
}

impl Trust {
    /// Whether a grant was made only by the wrong person, and so does not take effect.
    pub fn is_refused(&self, grant: &Grant) -> bool {
        self.refused.contains(grant)
    }

    /// Whether the checked snapshot's `.mailmap` mapping of `commit_email` was refused.
    pub fn mapping_refused(&self, commit_email: &str) -> bool {
        self.refused.iter().any(|g| {
            matches!(g, Grant::Mailmap { commit: Some(c), .. } if c.eq_ignore_ascii_case(commit_email))
        })
    }

    /// Whether the checked snapshot holds a waiver of `audit` for `auditor` on `area`.
    pub fn has_waiver(&self, audit: &str, auditor: &str, area: &str) -> bool {
        let grant = Grant::Waiver {
            audit: audit.to_string(),
            auditor: auditor.to_string(),
            area: area.to_string(),
        };
        !self.refused.contains(&grant)
            && self
                .waivers
                .get(audit)
                .is_some_and(|w| w.contains(&(auditor.to_string(), area.to_string())))
    }
}

/// `[independence] ignore_revs_file` as a path relative to the ISMS root (`./` and empty parts
/// dropped), or why it cannot name a file of the checked snapshot: it must stay inside the ISMS
/// root (no `..`, not absolute) and not point into `.git`.
pub fn ignore_revs_path(path: &str) -> Result<String, String> {
    let path = path.trim();
    if path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":") {
        return Err(format!("`{path}` is absolute"));
    }
    let parts: Vec<&str> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() {
        return Err("the path names no file".into());
    }
    if parts.contains(&"..") {
        return Err(format!("`{path}` leaves the ISMS root through `..`"));
    }
    if parts.iter().any(|p| p.eq_ignore_ascii_case(".git")) {
        return Err(format!(
            "`{path}` points into `.git`, which is not committed"
        ));
    }
    Ok(parts.join("/"))
}

/// Reads the versions of people.toml, the ignore-revs file, `.mailmap`, isms.toml and the
/// audit plans that the history holds.
pub(super) fn read(
    repo: &Repo,
    history: &History,
    isms: &Isms,
    ignore_revs_file: Option<&str>,
) -> Result<Trust, git2::Error> {
    let mut trust = Trust::default();

    let people = versions(repo, history, &history.repo_path("people.toml"))?;
    for (commit, text) in people.iter().rev() {
        for (person, email) in text.as_deref().map(people_emails).unwrap_or_default() {
            trust
                .emails
                .entry(email)
                .or_default()
                .insert(person, *commit);
        }
    }
    // Every email ever listed stays in effect: its additions are all kept, except those of the
    // first version, which founded the ISMS (see `founding`).
    // Signing keys likewise: a key vouches for every commit signed while it was listed, so
    // each listing is judged, not only the listings still in effect.
    trust.additions.extend(founding(
        &people,
        all_additions(&people, |t| {
            let emails = people_emails(t)
                .into_iter()
                .map(|(person, email)| Grant::Email { person, email });
            let keys = people_keys(t)
                .into_iter()
                .map(|(person, key)| Grant::SigningKey { person, key });
            emails.chain(keys).collect()
        }),
    ));

    if let Some(file) = ignore_revs_file {
        let revs = versions(repo, history, &history.repo_path(file))?;
        trust.additions.extend(added(&revs, |t| {
            super::provenance::listed_hashes(t)
                .into_iter()
                .map(Grant::IgnoredRev)
                .collect()
        }));
    }

    let mailmap = versions(repo, history, ".mailmap")?;
    trust.mailmap_text = mailmap.first().and_then(|(_, t)| t.clone());
    trust.mailmap = trust
        .mailmap_text
        .as_deref()
        .map(mailmap_entries)
        .unwrap_or_default();
    trust.additions.extend(added(&mailmap, |t| {
        mailmap_entries(t).into_iter().map(|(_, g)| g).collect()
    }));

    let config = versions(repo, history, &history.repo_path("isms.toml"))?;
    if let Some((_, text)) = config.first() {
        trust.ignored_authors = Some(text.as_deref().map(ignore_authors).unwrap_or_default());
    }
    trust.additions.extend(founding(
        &config,
        added(&config, |t| {
            ignore_authors(t)
                .into_iter()
                .map(Grant::IgnoredAuthor)
                .collect()
        }),
    ));

    for audit in &isms.audits {
        let id = audit.id.as_str();
        let plan = versions(
            repo,
            history,
            &history.repo_path(&format!("audits/{id}/plan.toml")),
        )?;
        let waivers = |t: &str| {
            plan_waivers(t)
                .into_iter()
                .map(|(auditor, area)| Grant::Waiver {
                    audit: id.to_string(),
                    auditor,
                    area,
                })
                .collect()
        };
        if let Some((_, Some(text))) = plan.first() {
            trust
                .waivers
                .insert(id.to_string(), plan_waivers(text).into_iter().collect());
        }
        trust.additions.extend(added(&plan, waivers));
    }
    Ok(trust)
}

/// The additions not made by the first version of the file. The commit that creates people.toml
/// or isms.toml founds the ISMS: whoever sets it up lists its people and settings, before
/// anyone is top management or owns the programme. Every later addition is judged.
fn founding(versions: &[(usize, Option<String>)], additions: Vec<Addition>) -> Vec<Addition> {
    let first = versions.last().map(|(c, _)| *c);
    additions
        .into_iter()
        .filter(|a| Some(a.commit) != first)
        .collect()
}

/// The versions of one repository path, newest first: the commit and the text it left
/// (`None` for a deletion or a file that is not UTF-8).
fn versions(
    repo: &Repo,
    history: &History,
    repo_path: &str,
) -> Result<Vec<(usize, Option<String>)>, git2::Error> {
    let mut out = Vec::new();
    for &i in history.touching(repo_path) {
        let blob = history
            .commit(i)
            .changes
            .iter()
            .find(|c| c.path == repo_path)
            .and_then(|c| c.blob);
        let text = match blob {
            Some(oid) => String::from_utf8(repo.blob(oid)?).ok(),
            None => None,
        };
        out.push((i, text));
    }
    Ok(out)
}

/// The grants of the newest version, each with the commit that added it: the oldest version of
/// the newest unbroken run of versions that list it.
fn added(
    versions: &[(usize, Option<String>)],
    grants: impl Fn(&str) -> Vec<Grant>,
) -> Vec<Addition> {
    let sets = grant_sets(versions, grants);
    let Some(current) = sets.first() else {
        return Vec::new();
    };
    current
        .iter()
        .map(|g| {
            let run = sets.iter().take_while(|s| s.contains(g)).count();
            Addition {
                commit: versions[run - 1].0,
                grant: g.clone(),
            }
        })
        .collect()
}

/// The grants each version lists.
fn grant_sets(
    versions: &[(usize, Option<String>)],
    grants: impl Fn(&str) -> Vec<Grant>,
) -> Vec<BTreeSet<Grant>> {
    versions
        .iter()
        .map(|(_, t)| {
            t.as_deref()
                .map(&grants)
                .unwrap_or_default()
                .into_iter()
                .collect()
        })
        .collect()
}

/// Every addition in the file's history: each grant a version lists that the one before did not.
fn all_additions(
    versions: &[(usize, Option<String>)],
    grants: impl Fn(&str) -> Vec<Grant>,
) -> Vec<Addition> {
    let sets = grant_sets(versions, grants);
    let mut out = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        let before = sets.get(i + 1);
        for g in set {
            if before.is_none_or(|b| !b.contains(g)) {
                out.push(Addition {
                    commit: versions[i].0,
                    grant: g.clone(),
                });
            }
        }
    }
    out
}

/// (person id, lowercase email) for every email of people.toml; nothing when it is invalid.
fn people_emails(text: &str) -> Vec<(String, String)> {
    people_strings(text, "emails")
        .into_iter()
        .map(|(id, email)| (id, email.trim().to_lowercase()))
        .filter(|(_, email)| !email.is_empty())
        .collect()
}

/// (person id, key as `ed25519 SHA256:...`) for every readable signing key of people.toml;
/// nothing when it is invalid. Keys are compared by fingerprint, so a new comment is no new key.
fn people_keys(text: &str) -> Vec<(String, String)> {
    people_strings(text, "signing_keys")
        .into_iter()
        .filter_map(|(id, key)| Some((id, crate::model::KeyId::parse(&key).ok()?.to_string())))
        .collect()
}

/// (person id, string) for every string of the array `field` of each `[[person]]` of
/// people.toml; nothing when it is invalid.
fn people_strings(text: &str, field: &str) -> Vec<(String, String)> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for person in table
        .get("person")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(id) = person.get("id").and_then(toml::Value::as_str) else {
            continue;
        };
        for value in person
            .get(field)
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(toml::Value::as_str)
        {
            out.push((id.to_string(), value.to_string()));
        }
    }
    out
}

/// `[independence] ignore_authors` of an isms.toml, lowercase.
fn ignore_authors(text: &str) -> Vec<String> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    table
        .get("independence")
        .and_then(|i| i.get("ignore_authors"))
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str)
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect()
}

/// (auditor, area) of every `[[waiver]]` of a plan.
fn plan_waivers(text: &str) -> Vec<(String, String)> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    table
        .get("waiver")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|w| {
            Some((
                w.get("auditor")?.as_str()?.to_string(),
                w.get("area")?.as_str()?.to_string(),
            ))
        })
        .collect()
}

/// The entries of a `.mailmap`, with the byte span of each (its text without comment and
/// surrounding blanks): `Proper <proper@x> Commit <commit@x>` maps the commit email onto the
/// proper one; one email changes a name only.
pub(crate) fn mailmap_entries(text: &str) -> Vec<(std::ops::Range<usize>, Grant)> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = start;
        start += raw.len();
        let content = raw.split('#').next().unwrap_or("");
        let line = content.trim();
        if line.is_empty() {
            continue;
        }
        let from = line_start + (content.len() - content.trim_start().len());
        let emails: Vec<String> = line
            .split('<')
            .skip(1)
            .filter_map(|part| part.split_once('>').map(|(e, _)| e.trim().to_lowercase()))
            .collect();
        let (proper, commit) = match emails.as_slice() {
            [proper, commit, ..] => (Some(proper.clone()), Some(commit.clone())),
            _ => (None, None),
        };
        out.push((
            from..from + line.len(),
            Grant::Mailmap {
                line: line.to_string(),
                proper,
                commit,
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ignore_revs_file_stays_inside_the_isms_root() {
        assert_eq!(
            ignore_revs_path("./.isms-ignore-revs").as_deref(),
            Ok(".isms-ignore-revs")
        );
        assert_eq!(ignore_revs_path("tools//revs").as_deref(), Ok("tools/revs"));
        assert!(ignore_revs_path("../tools/revs").is_err());
        assert!(ignore_revs_path("a/../../revs").is_err());
        assert!(ignore_revs_path("/etc/revs").is_err());
        assert!(ignore_revs_path("C:/revs").is_err());
        assert!(ignore_revs_path(".git/revs").is_err());
        assert!(ignore_revs_path("./").is_err());
    }

    #[test]
    fn mailmap_entries_name_their_emails() {
        let text =
            "# who is who\nDave <dave@acme.example> <d@home.example>\nJust A Name <x@y.example>\n";
        let entries = mailmap_entries(text);
        assert_eq!(entries.len(), 2);
        assert_eq!(
            &text[entries[0].0.clone()],
            "Dave <dave@acme.example> <d@home.example>"
        );
        assert!(matches!(
            &entries[0].1,
            Grant::Mailmap { proper: Some(p), commit: Some(c), .. }
                if p == "dave@acme.example" && c == "d@home.example"
        ));
        assert!(matches!(&entries[1].1, Grant::Mailmap { proper: None, .. }));
    }

    #[test]
    fn an_addition_is_the_start_of_the_newest_run() {
        let v = |c, t: &str| (c, Some(t.to_string()));
        // Newest first: listed at 0 and 1, absent at 2, listed at 3.
        let versions = [v(0, "abcd\n"), v(1, "abcd\n"), v(2, ""), v(3, "abcd\n")];
        let grants = |t: &str| {
            super::super::provenance::listed_hashes(t)
                .into_iter()
                .map(Grant::IgnoredRev)
                .collect()
        };
        let a = added(&versions, grants);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].commit, 1);
        let all = all_additions(&versions, grants);
        assert_eq!(all.iter().map(|a| a.commit).collect::<Vec<_>>(), vec![1, 3]);
    }
}
