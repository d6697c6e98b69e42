//! Who a commit is attributed to: its identities (after `.mailmap`) matched case-insensitively
//! against every email in people.toml, with `[independence] ignore_authors` dropped.

use std::collections::HashMap;

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
    /// Lowercase patterns from `ignore_authors`; `*` stands for any text.
    ignored: Vec<String>,
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
        let ignored = isms
            .config
            .iter()
            .flat_map(|c| c.independence.ignore_authors.iter())
            .map(|p| p.trim().to_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        Self { by_email, ignored }
    }

    pub fn who(&self, email: &str) -> Who<'a> {
        let email = email.trim().to_lowercase();
        if self.ignored.iter().any(|p| wildcard_match(p, &email)) {
            return Who::Ignored;
        }
        match self.by_email.get(&email) {
            Some(p) => Who::Person(p),
            None => Who::Unknown,
        }
    }

    /// An identity of a commit: its email after `.mailmap`, else the one recorded, so that a
    /// mapping to an address people.toml does not list never hides a known person.
    pub fn identity(&self, ident: &Ident) -> Who<'a> {
        match self.who(&ident.email) {
            Who::Unknown if ident.recorded_email != ident.email => self.who(&ident.recorded_email),
            who => who,
        }
    }

    /// The commit's author; an ignored revision is attributed to no one.
    pub fn author(&self, commit: &Commit) -> Who<'a> {
        if commit.ignored {
            Who::Ignored
        } else {
            self.identity(&commit.author)
        }
    }

    /// The known people a commit is attributed to (author and co-authors, each once).
    pub fn people(&self, commit: &Commit) -> Vec<&'a Person> {
        let mut out: Vec<&'a Person> = Vec::new();
        if commit.ignored {
            return out;
        }
        for ident in commit.identities() {
            if let Who::Person(p) = self.identity(ident) {
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
            .filter(|i| matches!(self.identity(i), Who::Unknown))
            .collect()
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any text and everything else is
/// literal (bot emails hold `[bot]`, which a glob would read as a character class).
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn wildcards_are_the_only_special_character() {
        assert!(wildcard_match(
            "*[bot]@users.noreply.github.com",
            "29139614+renovate[bot]@users.noreply.github.com"
        ));
        assert!(!wildcard_match(
            "*[bot]@users.noreply.github.com",
            "b@users.noreply.github.com"
        ));
        assert!(wildcard_match("ci@acme.example", "ci@acme.example"));
        assert!(wildcard_match("*@bots.example", "a@bots.example"));
        assert!(wildcard_match("a*b*c", "axxbyyc"));
        assert!(!wildcard_match("a*b*c", "acb"));
        assert!(!wildcard_match("ab*ba", "aba"));
    }
}
