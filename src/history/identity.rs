//! Who a commit is attributed to: its identities (after `.mailmap`) matched case-insensitively
//! against every email any committed version of people.toml listed (removing an email does not
//! disown old commits), with `[independence] ignore_authors` of the checked snapshot dropped, and
//! the committer standing in for an author who is a bot or a stranger.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::Grant;

use super::{Commit, History, Ident};
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
    /// Lowercase email -> the people it belongs to: everyone any committed version of
    /// people.toml (or the checked one) listed it for. More than one is IND010.
    by_email: HashMap<String, Vec<&'a Person>>,
    /// Lowercase patterns from `ignore_authors`; `*` stands for any text.
    ignored: Vec<String>,
    /// Lowercase commit emails whose `.mailmap` mapping was refused (IND011): they count as
    /// recorded.
    unmapped: HashSet<String>,
    /// Every identity resolved so far, by the email it recorded and then its email after
    /// `.mailmap`: a history names a few hundred identities across tens of thousands of
    /// commits, so each is resolved once per run instead of once per commit and rule.
    resolved: RefCell<Memo<'a>>,
}

/// Recorded email -> (email after `.mailmap`, what the identity resolved to).
type Memo<'a> = HashMap<Box<str>, Vec<(Box<str>, Resolved<'a>)>>;

/// What an identity resolved to: who it is, and everyone its email belongs to.
#[derive(Clone)]
struct Resolved<'a> {
    who: Who<'a>,
    people: Rc<[&'a Person]>,
}

impl<'a> Resolver<'a> {
    /// Who is who in `isms`, and, given its history, in every committed version of
    /// people.toml, with `ignore_authors` as the checked snapshot (not the working tree) has it.
    pub fn new(isms: &'a Isms, history: Option<&History>) -> Self {
        Self::build(isms, history, true)
    }

    /// Who is who as the files say, refused grants included: how the person who made a grant
    /// is identified when judging it (IND011).
    pub fn granting(isms: &'a Isms, history: Option<&History>) -> Self {
        Self::build(isms, history, false)
    }

    fn build(isms: &'a Isms, history: Option<&History>, refuse: bool) -> Self {
        let refused = |g: &Grant| refuse && history.is_some_and(|h| h.trust.is_refused(g));
        let mut by_email: HashMap<String, Vec<&'a Person>> = HashMap::new();
        let mut add = |email: String, person: &'a Person| {
            let grant = Grant::Email {
                person: person.id.as_str().to_string(),
                email: email.clone(),
            };
            if refused(&grant) {
                return;
            }
            let list = by_email.entry(email).or_default();
            if !list.iter().any(|p| p.id == person.id) {
                list.push(person);
            }
        };
        for person in &isms.people {
            for email in &person.emails {
                add(email.trim().to_lowercase(), person);
            }
        }
        if let Some(h) = history {
            for (email, ids) in &h.trust.emails {
                for id in ids.keys() {
                    if let Some(person) = isms.person(id) {
                        add(email.clone(), person);
                    }
                }
            }
        }
        let snapshot = history.and_then(|h| h.trust.ignored_authors.clone());
        let ignored = snapshot.unwrap_or_else(|| {
            isms.config
                .iter()
                .flat_map(|c| c.independence.ignore_authors.iter())
                .map(|p| p.trim().to_lowercase())
                .filter(|p| !p.is_empty())
                .collect()
        });
        let ignored = ignored
            .into_iter()
            .filter(|p| !refused(&Grant::IgnoredAuthor(p.clone())))
            .collect();
        let unmapped = history
            .filter(|_| refuse)
            .map(|h| {
                h.trust
                    .refused
                    .iter()
                    .filter_map(|g| match g {
                        Grant::Mailmap {
                            commit: Some(c), ..
                        } => Some(c.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            by_email,
            ignored,
            unmapped,
            resolved: RefCell::default(),
        }
    }

    /// A person's email is theirs even when `ignore_authors` names it: listing oneself as a
    /// bot hides nothing.
    pub fn who(&self, email: &str) -> Who<'a> {
        match self.people_of(email).first() {
            Some(p) => Who::Person(p),
            None if self.is_ignored(email) => Who::Ignored,
            None => Who::Unknown,
        }
    }

    /// Everyone an email belongs to (more than one only in an identity conflict, IND010).
    pub fn people_of(&self, email: &str) -> &[&'a Person] {
        let email = email.trim();
        // Most emails are lowercase already: no allocation for them.
        let lower;
        let email = if email.bytes().any(|b| b.is_ascii_uppercase()) || !email.is_ascii() {
            lower = email.to_lowercase();
            lower.as_str()
        } else {
            email
        };
        self.by_email.get(email).map_or(&[], Vec::as_slice)
    }

    /// Whether `ignore_authors` names the email (whoever it belongs to).
    pub fn is_ignored(&self, email: &str) -> bool {
        let email = email.trim().to_lowercase();
        self.ignored.iter().any(|p| wildcard_match(p, &email))
    }

    /// The `ignore_authors` patterns in effect.
    pub fn ignored_patterns(&self) -> &[String] {
        &self.ignored
    }

    /// Whether `pattern` (an `ignore_authors` entry) matches `email`.
    pub fn pattern_matches(pattern: &str, email: &str) -> bool {
        wildcard_match(&pattern.trim().to_lowercase(), &email.trim().to_lowercase())
    }

    /// An identity of a commit resolved (see [`Resolver::identity`]), from the memo when it
    /// was resolved before in this run.
    fn resolve(&self, ident: &Ident) -> Resolved<'a> {
        let memo = self.resolved.borrow();
        let known = memo
            .get(ident.recorded_email.as_str())
            .and_then(|mapped| mapped.iter().find(|(email, _)| **email == *ident.email));
        if let Some((_, resolved)) = known {
            return resolved.clone();
        }
        drop(memo);
        let resolved = Resolved {
            who: self.identity_uncached(ident),
            people: self.identity_people(ident).into(),
        };
        self.resolved
            .borrow_mut()
            .entry(ident.recorded_email.as_str().into())
            .or_default()
            .push((ident.email.as_str().into(), resolved.clone()));
        resolved
    }

    /// The people an identity of a commit is attributed to: those of the email it recorded,
    /// else those of its email after `.mailmap`.
    fn identity_people(&self, ident: &Ident) -> &[&'a Person] {
        if self.is_unmapped(ident) {
            return self.people_of(&ident.recorded_email);
        }
        match self.people_of(&ident.recorded_email) {
            [] => self.people_of(&ident.email),
            found => found,
        }
    }

    /// An identity of a commit: the person of the email it recorded, else of its email after
    /// `.mailmap`. A `.mailmap` can name the person behind a private address, but never turn
    /// one known person's commits into another's.
    pub fn identity(&self, ident: &Ident) -> Who<'a> {
        self.resolve(ident).who
    }

    fn identity_uncached(&self, ident: &Ident) -> Who<'a> {
        if self.is_unmapped(ident) {
            return self.who(&ident.recorded_email);
        }
        match self.who(&ident.recorded_email) {
            Who::Person(p) => Who::Person(p),
            recorded => match self.who(&ident.email) {
                Who::Unknown => recorded,
                mapped => mapped,
            },
        }
    }

    /// Whether the `.mailmap` mapping of this identity was refused (IND011).
    fn is_unmapped(&self, ident: &Ident) -> bool {
        !self.unmapped.is_empty()
            && self
                .unmapped
                .contains(&ident.recorded_email.trim().to_lowercase())
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
            for p in self.resolve(ident).people.iter() {
                if !out.iter().any(|q| q.id == p.id) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Whether `person` is among the commit's attributed people.
    pub fn involves(&self, commit: &Commit, person: &str) -> bool {
        !commit.ignored
            && self.identities(commit).any(|i| {
                self.resolve(i)
                    .people
                    .iter()
                    .any(|p| p.id.as_str() == person)
            })
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
