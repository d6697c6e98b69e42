//! Who may grant an exemption or identity (an ignore-revs line, an `ignore_authors` entry, a
//! `.mailmap` entry, a waiver, an email or signing key in people.toml): top management or the audit programme
//! owner, never the person it benefits. A grant every addition of which was made by the wrong
//! person is refused: it does not take effect (fail closed), and IND011 says so.

use std::collections::BTreeSet;

use crate::history::{Addition, Grant, History, Resolver, Who};
use crate::model::{Isms, Person};

/// Why an addition was made by the wrong person.
pub struct WrongGrantor<'a> {
    pub grantor: &'a Person,
    pub why: String,
}

/// The grants whose every addition was made by the wrong person, judged with the identities
/// as read (before any refusal).
pub fn refused(isms: &Isms, history: &History) -> BTreeSet<Grant> {
    let resolver = Resolver::granting(isms, Some(history));
    let mut wrong: BTreeSet<&Grant> = BTreeSet::new();
    let mut right: BTreeSet<&Grant> = BTreeSet::new();
    for addition in &history.trust.additions {
        if wrong_grantor(isms, history, &resolver, addition).is_some() {
            wrong.insert(&addition.grant);
        } else {
            right.insert(&addition.grant);
        }
    }
    wrong
        .into_iter()
        .filter(|g| !right.contains(g))
        .cloned()
        .collect()
}

/// The known person who made `addition` and why they may not, if they may not. Unknown
/// identities are IND007's (and listed by IND012).
pub fn wrong_grantor<'a>(
    isms: &'a Isms,
    history: &History,
    resolver: &Resolver<'a>,
    addition: &Addition,
) -> Option<WrongGrantor<'a>> {
    let mut judged = history.commit(addition.commit).clone();
    judged.ignored = false;
    let Who::Person(grantor) = resolver.author(&judged) else {
        return None;
    };
    let grant = &addition.grant;
    if let Grant::Email { person, .. } | Grant::SigningKey { person, .. } = grant {
        if person == grantor.id.as_str() {
            // A person may add emails and keys to their own entry (a key they add is proven
            // only by a signature with a key listed for them before).
            return None;
        }
    }
    if names_oneself(resolver, grantor, grant) || changes_no_attribution(resolver, grant) {
        return None;
    }
    let benefits = beneficiaries(isms, history, resolver, grant)
        .iter()
        .any(|p| p.id == grantor.id);
    let why = if benefits {
        format!("{} benefits from it", grantor.id.as_str())
    } else if !may_grant(isms, grantor) {
        format!(
            "{} is neither top management nor the audit programme owner",
            grantor.id.as_str()
        )
    } else {
        return None;
    };
    Some(WrongGrantor { grantor, why })
}

/// Whether a `.mailmap` entry only names its author behind an address that is no one else's
/// (mapped onto an email of the author's own): the same as adding an email to one's own entry
/// in people.toml, which a person may do. It makes more work theirs, never less.
fn names_oneself(resolver: &Resolver<'_>, grantor: &Person, grant: &Grant) -> bool {
    let Grant::Mailmap {
        proper: Some(proper),
        commit: Some(commit),
        ..
    } = grant
    else {
        return false;
    };
    let mine = |people: &[&Person]| people.iter().all(|p| p.id == grantor.id);
    let onto = resolver.people_of(proper);
    !onto.is_empty() && mine(onto) && mine(resolver.people_of(commit))
}

/// Whether a `.mailmap` entry is cosmetic: it maps no email (`Proper Name <email>` only names
/// the address), or the email it maps resolves to the same people of people.toml as the email
/// it maps onto, and both are alike ignored or not. Its commits are attributed to the same
/// people with or without it, so it grants nothing and anyone may write it. An entry mapping an
/// address that is no one's onto a person's email does re-attribute (to that person).
fn changes_no_attribution(resolver: &Resolver<'_>, grant: &Grant) -> bool {
    let Grant::Mailmap { proper, commit, .. } = grant else {
        return false;
    };
    let (Some(proper), Some(commit)) = (proper, commit) else {
        return true;
    };
    let ids = |email: &str| -> BTreeSet<&str> {
        resolver
            .people_of(email)
            .iter()
            .map(|p| p.id.as_str())
            .collect()
    };
    ids(commit) == ids(proper) && resolver.is_ignored(commit) == resolver.is_ignored(proper)
}

/// Whether a person may grant exemptions: top management or the audit programme owner.
fn may_grant(isms: &Isms, person: &Person) -> bool {
    *person.top_management.get()
        || isms
            .programme
            .as_ref()
            .is_some_and(|p| p.owner.as_str() == person.id.as_str())
}

/// The people a grant benefits.
fn beneficiaries<'a>(
    isms: &'a Isms,
    history: &History,
    resolver: &Resolver<'a>,
    grant: &Grant,
) -> Vec<&'a Person> {
    match grant {
        Grant::IgnoredRev(hash) => {
            let mut out = Vec::new();
            for c in history
                .commits()
                .iter()
                .filter(|c| c.id.starts_with(hash.as_str()))
            {
                let mut judged = c.clone();
                judged.ignored = false;
                out.extend(resolver.people(&judged));
            }
            out
        }
        Grant::IgnoredAuthor(pattern) => isms
            .people
            .iter()
            .filter(|p| {
                p.emails
                    .iter()
                    .any(|e| Resolver::pattern_matches(pattern, e.as_str()))
                    || history.trust.emails.iter().any(|(e, ids)| {
                        ids.contains_key(p.id.as_str()) && Resolver::pattern_matches(pattern, e)
                    })
            })
            .collect(),
        // The person whose identity is mapped: whoever maps an address of their own away
        // benefits from it.
        Grant::Mailmap {
            commit: Some(commit),
            ..
        } => resolver.people_of(commit).to_vec(),
        Grant::Mailmap { .. } => Vec::new(),
        // The person of the entry may add their own emails; for anyone else, it is the
        // grantor's authority that counts.
        Grant::Email { .. } | Grant::SigningKey { .. } => Vec::new(),
        Grant::Waiver { auditor, .. } => isms.person(auditor).into_iter().collect(),
    }
}
