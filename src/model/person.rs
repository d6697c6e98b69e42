//! people.toml: everyone who owns, approves, audits or commits to the ISMS.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Origin, PersonId, Spanned};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    pub id: Spanned<PersonId>,
    pub name: Spanned<String>,
    /// Every identity this person commits with; matched case-insensitively against git authors.
    #[serde(default)]
    pub emails: Vec<Spanned<String>>,
    #[serde(default)]
    pub roles: Vec<Spanned<String>>,
    /// Top management approves waivers and receives audit reports (5.1, 9.3).
    #[serde(default)]
    pub top_management: Spanned<bool>,
    /// May be named in an audit team.
    #[serde(default)]
    pub auditor: Spanned<bool>,
    /// Evidence of competence (7.2); required for auditors.
    #[serde(default)]
    pub competence: Vec<Spanned<String>>,
    #[serde(default)]
    pub external: Spanned<bool>,
    /// Keys this person signs commits with: SSH public key lines (`ssh-ed25519 AAAA... laptop`)
    /// or `openpgp:<fingerprint>` with the armored public key in a file under keys/.
    #[serde(default)]
    pub signing_keys: Vec<Spanned<String>>,
}

impl Person {
    /// Whether one of this person's emails is `email`, ignoring case.
    pub fn has_email(&self, email: &str) -> bool {
        self.emails.iter().any(|e| e.eq_ignore_ascii_case(email))
    }
}
