//! Who a commit is attributed to: its identities (after `.mailmap`) matched case-insensitively
//! against every email in people.toml, with `[independence] ignore_authors` dropped.

use std::collections::HashMap;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::{Commit, Ident};
use crate::model::{Isms, Person};

/// What an identity is to the ISMS.
#[derive(Clone, Copy, Debug)]
pub enum Who<'a> {
    Person(&'a Person),
    /// In `ignore_authors` (a bot): neither conflicts nor counts as unknown.
    Ignored,
    /// Not in people.toml: cannot be checked (IND007).
    Unknown,
}

/// Resolves identities against people.toml.
pub struct Resolver<'a> {
    by_email: HashMap<String, &'a Person>,
    ignored: GlobSet,
}

impl<'a> Resolver<'a> {
    pub fn new(isms: &'a Isms) -> Self {
        let mut by_email = HashMap::new();
        for person in &isms.people {
            for email in &person.emails {
                by_email
                    .entry(email.trim().to_lowercase())
                    .or_insert(person);
            }
        }
        let mut ignored = GlobSetBuilder::new();
        if let Some(config) = &isms.config {
            for pattern in &config.independence.ignore_authors {
                // `*` may stand for any text (`*[bot]@users.noreply.github.com`).
                if let Ok(glob) = GlobBuilder::new(pattern.trim())
                    .case_insensitive(true)
                    .literal_separator(false)
                    .build()
                {
                    ignored.add(glob);
                }
            }
        }
        Self {
            by_email,
            ignored: ignored.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }

    pub fn who(&self, email: &str) -> Who<'a> {
        let email = email.trim();
        if self.ignored.is_match(email) || self.ignored.is_match(email.to_lowercase()) {
            return Who::Ignored;
        }
        match self.by_email.get(&email.to_lowercase()) {
            Some(p) => Who::Person(p),
            None => Who::Unknown,
        }
    }

    /// The commit's author; an ignored revision is attributed to no one.
    pub fn author(&self, commit: &Commit) -> Who<'a> {
        if commit.ignored {
            Who::Ignored
        } else {
            self.who(&commit.author.email)
        }
    }

    /// The known people a commit is attributed to (author and co-authors, each once).
    pub fn people(&self, commit: &Commit) -> Vec<&'a Person> {
        let mut out: Vec<&'a Person> = Vec::new();
        if commit.ignored {
            return out;
        }
        for ident in commit.identities() {
            if let Who::Person(p) = self.who(&ident.email) {
                if !out.iter().any(|q| q.id == p.id) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Whether `person` is among the commit's attributed people.
    pub fn involves(&self, commit: &Commit, person: &str) -> bool {
        self.people(commit).iter().any(|p| p.id.as_str() == person)
    }

    /// The identities of a commit that are neither people nor ignored.
    pub fn unknown<'c>(&self, commit: &'c Commit) -> Vec<&'c Ident> {
        if commit.ignored {
            return Vec::new();
        }
        commit
            .identities()
            .filter(|i| matches!(self.who(&i.email), Who::Unknown))
            .collect()
    }
}
