//! A signing key as people.toml and `platform_keys` write it, reduced to the fingerprint a
//! commit signature is matched by. Parsing only: no I/O.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of key, which tells how its signatures are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum KeyKind {
    /// `gpg.format = ssh`: SSHSIG signatures.
    Ssh,
    /// `gpg.format = openpgp` (git's default): OpenPGP signatures.
    OpenPgp,
}

/// A key by its fingerprint: `SHA256:...` for SSH keys (as `ssh-keygen -l` prints it), the
/// upper-case hex fingerprint for OpenPGP keys (as `gpg --fingerprint` prints it, no spaces).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct KeyId {
    pub kind: KeyKind,
    /// `ed25519`, `rsa`, `ecdsa-sha2-nistp256`... for SSH keys; `OpenPGP` otherwise.
    pub algorithm: String,
    pub fingerprint: String,
}

impl KeyId {
    /// The key of an SSH public key line (`ssh-ed25519 AAAA... comment`) or of
    /// `openpgp:<fingerprint>`; the error says what was expected.
    pub fn parse(text: &str) -> Result<KeyId, String> {
        let text = text.trim();
        if let Some(rest) = strip_prefix_ignore_case(text, "openpgp:") {
            let hex: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
            if !(hex.len() == 40 || hex.len() == 64) || !hex.chars().all(|c| c.is_ascii_hexdigit())
            {
                return Err(format!(
                    "`openpgp:{rest}` is not an OpenPGP fingerprint: 40 hexadecimal digits (64 for a version 6 key), as `gpg --fingerprint` prints them"
                ));
            }
            return Ok(KeyId::openpgp(&hex));
        }
        match ssh_key::PublicKey::from_openssh(text) {
            Ok(key) => Ok(KeyId::ssh(key.key_data())),
            Err(e) => Err(format!(
                "not an SSH public key line (`ssh-ed25519 AAAA... comment`, the content of a `.pub` file) nor `openpgp:<fingerprint>`: {e}"
            )),
        }
    }

    /// The id of an SSH public key.
    pub fn ssh(key: &ssh_key::public::KeyData) -> KeyId {
        let algorithm = key.algorithm();
        let name = algorithm.as_str();
        KeyId {
            kind: KeyKind::Ssh,
            algorithm: name.strip_prefix("ssh-").unwrap_or(name).to_string(),
            fingerprint: key.fingerprint(ssh_key::HashAlg::Sha256).to_string(),
        }
    }

    /// The id of an OpenPGP key by its hex fingerprint.
    pub fn openpgp(hex: &str) -> KeyId {
        KeyId {
            kind: KeyKind::OpenPgp,
            algorithm: "OpenPGP".into(),
            fingerprint: hex.to_ascii_uppercase(),
        }
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.algorithm, self.fingerprint)
    }
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    text.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_lines_and_openpgp_fingerprints() {
        let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMIk7wxJLKOpy0gi+blrakARAaEy5LU/HYxwRpPbDgJ1 heidi@laptop";
        let key = KeyId::parse(line).unwrap();
        assert_eq!(key.kind, KeyKind::Ssh);
        assert_eq!(key.algorithm, "ed25519");
        // As `ssh-keygen -lf` prints it.
        assert_eq!(
            key.fingerprint,
            "SHA256:5k6+1QwJEMSzeBxAkGLs/hq3DZm9yR90X9Lg4clnJls"
        );
        let pgp = KeyId::parse("openpgp:968479a1aff927e37d1a566bb5690eeebb952194").unwrap();
        assert_eq!(pgp.fingerprint, "968479A1AFF927E37D1A566BB5690EEEBB952194");
        assert_eq!(
            KeyId::parse("OpenPGP: 9684 79A1 AFF9 27E3 7D1A  566B B569 0EEE BB95 2194").unwrap(),
            pgp
        );
        assert!(
            KeyId::parse("openpgp:1234")
                .unwrap_err()
                .contains("40 hexadecimal")
        );
        assert!(
            KeyId::parse("ssh-ed25519 garbage")
                .unwrap_err()
                .contains("SSH public key")
        );
        assert!(KeyId::parse("").is_err());
    }
}
