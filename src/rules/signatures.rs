//! IND014-IND016: where `[independence] signatures` asks for it, the person a commit is
//! attributed to is proven by their key, not asserted by an email. Also checks that every
//! listed key (`signing_keys`, `platform_keys`) is one isms can read.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::Diagnostic;
use crate::history::{Grant, History, Resolver, Seal, Signer, Who};
use crate::model::{Isms, KeyId, Person, SignatureMode};

use super::ind::describe_all;
use super::{Context, Rule};

/// A commit (index into the history) and the paths that required its signature.
type CommitPaths<'h> = (usize, Vec<&'h str>);

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    listed_keys(cx.isms, out);
    platform_keys(cx.isms, out);
    let Some(history) = cx.history() else { return };
    let signatures = &history.signatures;
    if signatures.mode == SignatureMode::Off {
        return;
    }
    let config_origin = cx.isms.config_origin.clone().unwrap_or_default();
    for (path, why) in &signatures.bad_key_files {
        out.push(
            Diagnostic::new(Rule::LOAD001, format!("cannot read the key file `{path}`: {why}"))
                .at(config_origin.clone())
                .help("keys/ holds the armored OpenPGP public keys that verify signed commits (`gpg --armor --export FINGERPRINT > keys/NAME.asc`); remove other files from it"),
        );
    }
    let resolver = Resolver::new(cx.isms, Some(history));
    // Person id -> their unsigned commits (newest first) with the paths that needed a signature.
    let mut unsigned: BTreeMap<&str, (&Person, Vec<CommitPaths<'_>>)> = BTreeMap::new();
    for (&index, signed) in &signatures.commits {
        let commit = history.commit(index);
        // Unknown identities are IND007 and bots are not judged; only people are proven.
        let Who::Person(person) = resolver.author(commit) else {
            continue;
        };
        let paths: Vec<&str> = signed.paths.iter().map(String::as_str).collect();
        let at = person.origin.at(&person.id);
        let commit_text = || describe_all(history, [(index, paths.as_slice())]);
        let who = person.id.as_str();
        match (&signed.seal, &signed.signer) {
            (Seal::Unsigned, _) => {
                unsigned
                    .entry(who)
                    .or_insert_with(|| (person, Vec::new()))
                    .1
                    .push((index, paths.clone()));
            }
            (Seal::Valid(_), Signer::Platform) => {}
            (Seal::Valid(_), Signer::Person(signer)) if signer == who => {}
            (Seal::Valid(key), signer) => {
                let whose = match signer {
                    Signer::Person(other) => format!("{other}'s key {key}"),
                    _ => match listings_text(history, key, index) {
                        Some(listings) => format!(
                            "the key {key}, which people.toml did not list for anyone when the commit was made ({listings})"
                        ),
                        None => format!(
                            "the key {key}, which no committed version of people.toml lists"
                        ),
                    },
                };
                out.push(
                    Diagnostic::new(
                        Rule::IND015,
                        format!(
                            "commit {} is attributed to {who} but signed with {whose}",
                            commit_text()
                        ),
                    )
                    .at(at)
                    .label("attributed to")
                    .person(who)
                    .commits([history.commit(index).id.as_str()])
                    .help(format!(
                        "the author line says {who}, the key says otherwise: treat the commit as not made by {who} (revert it and let {who} make it, signed with a key under their `signing_keys`), and find out who holds the key"
                    )),
                );
            }
            (Seal::Invalid { key, reason }, _) => {
                let claimed = key
                    .as_ref()
                    .map(|k| match listings_text(history, k, index) {
                        Some(listings) => format!(" (it names the key {k}: {listings})"),
                        None => format!(" (it names the key {k})"),
                    })
                    .unwrap_or_default();
                out.push(
                    Diagnostic::new(
                        Rule::IND015,
                        format!(
                            "the signature of commit {} attributed to {who} does not verify: {reason}{claimed}",
                            commit_text()
                        ),
                    )
                    .at(at)
                    .label("attributed to")
                    .person(who)
                    .commits([history.commit(index).id.as_str()])
                    .help(format!(
                        "a commit altered after it was signed proves nothing: revert it and let {who} make the change again, signed (`git commit -S`)"
                    )),
                );
            }
            (Seal::UnknownKey(issuer), _) => {
                out.push(
                    Diagnostic::new(
                        Rule::IND015,
                        format!(
                            "commit {} attributed to {who} is signed with the OpenPGP key {issuer}, which is not under keys/",
                            commit_text()
                        ),
                    )
                    .at(at)
                    .label("attributed to")
                    .person(who)
                    .commits([history.commit(index).id.as_str()])
                    .help(format!(
                        "if the key is {who}'s, add its public key (`gpg --armor --export {issuer} > keys/{who}.asc`) and `\"openpgp:{issuer}\"` to their `signing_keys`; otherwise the commit was not made by {who}"
                    )),
                );
            }
            (Seal::Unsupported(format), _) => {
                out.push(
                    Diagnostic::new(
                        Rule::IND016,
                        format!(
                            "commit {} attributed to {who} is signed in {format}, which isms cannot verify",
                            commit_text()
                        ),
                    )
                    .at(at)
                    .label("attributed to")
                    .person(who)
                    .commits([history.commit(index).id.as_str()])
                    .help("sign with an SSH key (`git config gpg.format ssh`) or an OpenPGP key, which isms verifies offline"),
                );
            }
        }
    }
    for (who, (person, commits)) in unsigned {
        let n = commits.len();
        let listed = describe_all(history, commits.iter().map(|(c, p)| (*c, p.as_slice())));
        let setup = if person.signing_keys.is_empty() {
            format!(
                "{who} lists no `signing_keys` in people.toml: add their public key there (a line of `~/.ssh/id_ed25519.pub`), then "
            )
        } else {
            String::new()
        };
        out.push(
            Diagnostic::new(
                Rule::IND014,
                format!(
                    "{} attributed to {who} must be signed ({}) but {}: {listed}",
                    plural(n, "commit"),
                    mode_reason(history),
                    if n == 1 { "is not" } else { "are not" },
                ),
            )
            .at(person.origin.at(&person.id))
            .label("attributed to")
            .person(who)
            .commits(commits.iter().map(|(c, _)| history.commit(*c).id.as_str()))
            .help(format!(
                "{setup}sign commits (`git config gpg.format ssh`, `git config user.signingkey ~/.ssh/id_ed25519.pub`, `git config commit.gpgsign true`) and sign these again before they are shared (`git commit --amend -S` for the last one, `git rebase --exec 'git commit --amend --no-edit -S' BASE` for several)"
            )),
        );
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn mode_reason(history: &History) -> &'static str {
    match history.signatures.mode {
        SignatureMode::All => "`signatures = \"all\"`: records and area paths",
        _ => "`signatures = \"records\"`",
    }
}

/// Whose key it was, per the committed versions of people.toml (not the working tree's): each
/// run of versions that listed it, told relative to the commit `at` (an index, newest first);
/// `None` when no committed version lists it.
fn listings_text(history: &History, key: &KeyId, at: usize) -> Option<String> {
    let trust = &history.trust;
    let listings = trust.key_listings.get(&key.fingerprint)?;
    let short = |c: usize| history.commit(c).short().to_string();
    let parts: Vec<String> = listings
        .iter()
        .map(|l| {
            let who = &l.person;
            let grant = Grant::SigningKey {
                person: who.clone(),
                key: key.to_string(),
            };
            let from = short(l.from);
            match l.until {
                _ if trust.is_refused(&grant) => format!(
                    "commit {from} listed it for {who}, but was made by someone who may not list keys (IND011)"
                ),
                Some(until) => format!(
                    "people.toml listed it for {who} from commit {from} until commit {until}",
                    until = short(until)
                ),
                None if l.from == at => format!(
                    "this commit lists it for {who}: a key does not vouch for the commit that lists it"
                ),
                None if l.from < at => format!(
                    "commit {from}, made later, lists it for {who}, and the checked people.toml still does"
                ),
                None => format!("people.toml lists it for {who} since commit {from}"),
            }
        })
        .collect();
    Some(parts.join("; "))
}

/// Every `signing_keys` entry must parse and belong to one person.
fn listed_keys(isms: &Isms, out: &mut Vec<Diagnostic>) {
    let mut owners: HashMap<String, String> = HashMap::new();
    for person in &isms.people {
        for text in &person.signing_keys {
            match KeyId::parse(text) {
                Ok(key) => {
                    if let Some(first) = owners.get(&key.fingerprint) {
                        if first != person.id.as_str() {
                            out.push(
                                Diagnostic::new(
                                    Rule::LOAD002,
                                    format!(
                                        "the signing key {key} is listed for both {first} and {}",
                                        person.id.as_str()
                                    ),
                                )
                                .at(person.origin.at(text))
                                .label("listed twice")
                                .help("a key proves one person's commits: remove it from the entry of the person who does not hold it"),
                            );
                        }
                        continue;
                    }
                    owners.insert(key.fingerprint, person.id.to_string());
                }
                Err(why) => out.push(
                    Diagnostic::new(Rule::LOAD002, format!("a signing key of {} cannot be read: {why}", person.id.as_str()))
                        .at(person.origin.at(text))
                        .label("not a key")
                        .help("paste the whole line of the public key file (`cat ~/.ssh/id_ed25519.pub`), or write `openpgp:` and the fingerprint (`gpg --fingerprint`) with the armored key under keys/"),
                ),
            }
        }
    }
}

fn platform_keys(isms: &Isms, out: &mut Vec<Diagnostic>) {
    let Some(config) = &isms.config else { return };
    let origin = isms.config_origin.clone().unwrap_or_default();
    for text in &config.independence.platform_keys {
        if let Err(why) = KeyId::parse(text) {
            out.push(
                Diagnostic::new(Rule::LOAD002, format!("a platform key cannot be read: {why}"))
                    .at(origin.at(text))
                    .label("not a key")
                    .help("GitHub signs web commits with an OpenPGP key: save https://github.com/web-flow.gpg under keys/ and write `openpgp:` and its fingerprint"),
            );
        }
    }
}
