//! Who a commit is attributed to: its identities (after `.mailmap`) matched case-insensitively
//! against every email in people.toml, with `[independence] ignore_authors` dropped, and the
//! committer standing in for an author who is a bot or a stranger.

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

    /// A person's email is theirs even when `ignore_authors` names it: listing oneself as a
    /// bot hides nothing.
    pub fn who(&self, email: &str) -> Who<'a> {
        let email = email.trim();
        // Most emails are lowercase already: no allocation for them.
        let lower;
        let email = if email.bytes().any(|b| b.is_ascii_uppercase()) || !email.is_ascii() {
            lower = email.to_lowercase();
            lower.as_str()
        } else {
            email
        };
        if let Some(p) = self.by_email.get(email) {
            return Who::Person(p);
        }
        if self.ignored.iter().any(|p| wildcard_match(p, email)) {
            return Who::Ignored;
        }
        Who::Unknown
    }

    /// An identity of a commit: the person of the email it recorded, else of its email after
    /// `.mailmap`. A `.mailmap` can name the person behind a private address, but never turn
    /// one known person's commits into another's.
    pub fn identity(&self, ident: &Ident) -> Who<'a> {
        match self.who(&ident.recorded_email) {
            Who::Person(p) => Who::Person(p),
            recorded => match self.who(&ident.email) {
                Who::Unknown => recorded,
                mapped => mapped,
            },
        }
    }

    /// The identity a commit's work is attributed to: its author, or its committer when the
    /// author is an ignored bot or a stranger and the committer is a known person (a person
    /// who commits work under a bot's or a stranger's name did that work).
    pub fn attributed<'c>(&self, commit: &'c Commit) -> &'c Ident {
        match self.identity(&commit.author) {
            Who::Person(_) => &commit.author,
            _ => match self.identity(&commit.committer) {
                Who::Person(_) => &commit.committer,
                _ => &commit.author,
            },
        }
    }

    /// The committer, when author and committer are different known people (a rebase or a
    /// cherry-pick): the author counts, and diagnostics name the committer too.
    pub fn other_committer(&self, commit: &Commit) -> Option<&'a Person> {
        match (
            self.identity(&commit.author),
            self.identity(&commit.committer),
        ) {
            (Who::Person(a), Who::Person(c)) if a.id != c.id => Some(c),
            _ => None,
        }
    }

    /// The person a commit is attributed to (see [`Resolver::attributed`]); an ignored
    /// revision is attributed to no one.
    pub fn author(&self, commit: &Commit) -> Who<'a> {
        if commit.ignored {
            Who::Ignored
        } else {
            self.identity(self.attributed(commit))
        }
    }

    /// The attributed author and every co-author.
    fn identities<'c>(&self, commit: &'c Commit) -> impl Iterator<Item = &'c Ident> {
        std::iter::once(self.attributed(commit)).chain(commit.co_authors.iter().map(|c| &**c))
    }

    /// The known people a commit is attributed to (author and co-authors, each once).
    pub fn people(&self, commit: &Commit) -> Vec<&'a Person> {
        let mut out: Vec<&'a Person> = Vec::new();
        if commit.ignored {
            return out;
        }
        for ident in self.identities(commit) {
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
        self.identities(commit)
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
