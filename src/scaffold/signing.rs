//! The signing key of the person running `isms init`, read from git's configuration as git
//! reads it (`gpg.format`, `user.signingkey`), so people.toml starts with it listed.

use crate::model::KeyId;

/// The key to list in `signing_keys`, and what to tell the user.
pub(crate) struct Setup {
    pub key: Option<String>,
    pub note: String,
}

const HOW: &str = "set up signing with `git config --global gpg.format ssh`, `git config --global user.signingkey ~/.ssh/id_ed25519.pub` and `git config --global commit.gpgsign true`, then add the public key line to your `signing_keys` in people.toml";

/// What git's configuration says about the user's signing key.
pub(crate) fn setup(config: Option<&git2::Config>) -> Setup {
    let get = |key: &str| {
        config
            .and_then(|c| c.get_string(key).ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let format = get("gpg.format").unwrap_or_else(|| "openpgp".into());
    let Some(value) = get("user.signingkey") else {
        return Setup {
            key: None,
            note: format!("git has no `user.signingkey`: {HOW}"),
        };
    };
    match format.to_ascii_lowercase().as_str() {
        "ssh" => ssh_key(&value),
        "openpgp" => openpgp_key(&value),
        other => Setup {
            key: None,
            note: format!("git signs with `gpg.format = {other}`, which isms cannot verify: {HOW}"),
        },
    }
}

/// `user.signingkey` for SSH: `key::` and a public key line, or the path of a public key (or of
/// a private key with its `.pub` beside it).
fn ssh_key(value: &str) -> Setup {
    let line = match value.strip_prefix("key::") {
        Some(line) => Some(line.trim().to_string()),
        None => {
            let path = expand_home(value);
            [path.clone(), format!("{path}.pub")]
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .map(|text| text.trim().to_string())
                .find(|text| KeyId::parse(text).is_ok())
        }
    };
    match line.filter(|l| KeyId::parse(l).is_ok()) {
        Some(line) => Setup {
            key: Some(line),
            note: "your SSH signing key (git's `user.signingkey`) is listed under your `signing_keys` in people.toml".into(),
        },
        None => Setup {
            key: None,
            note: format!(
                "git's `user.signingkey` ({value}) names no readable SSH public key: add the line of your `.pub` file to your `signing_keys` in people.toml"
            ),
        },
    }
}

/// `user.signingkey` for OpenPGP: a fingerprint is listed; the public key itself goes under keys/.
fn openpgp_key(value: &str) -> Setup {
    let hex: String = value
        .trim_start_matches("0x")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    match KeyId::parse(&format!("openpgp:{hex}")) {
        Ok(key) => Setup {
            note: format!(
                "your OpenPGP signing key is listed under your `signing_keys` in people.toml: save its public key beside the ISMS with `gpg --armor --export {} > keys/KEY.asc`",
                key.fingerprint
            ),
            key: Some(format!("openpgp:{}", key.fingerprint)),
        },
        Err(_) => Setup {
            key: None,
            note: format!(
                "git's `user.signingkey` ({value}) is not a full OpenPGP fingerprint: list `openpgp:` and the fingerprint `gpg --fingerprint` prints under your `signing_keys`, and save the public key under keys/"
            ),
        },
    }
}

fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> (tempfile::TempDir, git2::Config) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut c = git2::Config::open(&dir.path().join("config")).expect("config");
        for (k, v) in pairs {
            c.set_str(k, v).expect("set");
        }
        (dir, c)
    }

    #[test]
    fn keys_from_git_config() {
        let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMIk7wxJLKOpy0gi+blrakARAaEy5LU/HYxwRpPbDgJ1 me@laptop";
        let (dir, c) = config(&[
            ("gpg.format", "ssh"),
            ("user.signingkey", &format!("key::{line}")),
        ]);
        assert_eq!(setup(Some(&c)).key.as_deref(), Some(line));
        let private = dir.path().join("id_ed25519");
        std::fs::write(dir.path().join("id_ed25519.pub"), format!("{line}\n")).expect("write");
        std::fs::write(&private, "-----BEGIN OPENSSH PRIVATE KEY-----\n").expect("write");
        let (_d, c) = config(&[
            ("gpg.format", "ssh"),
            ("user.signingkey", private.to_str().expect("utf-8")),
        ]);
        assert_eq!(setup(Some(&c)).key.as_deref(), Some(line));
        let (_d, c) = config(&[(
            "user.signingkey",
            "968479A1AFF927E37D1A566BB5690EEEBB952194",
        )]);
        assert_eq!(
            setup(Some(&c)).key.as_deref(),
            Some("openpgp:968479A1AFF927E37D1A566BB5690EEEBB952194")
        );
        let (_d, c) = config(&[("user.signingkey", "B5690EEEBB952194")]);
        let short = setup(Some(&c));
        assert_eq!(short.key, None);
        assert!(
            short.note.contains("not a full OpenPGP fingerprint"),
            "{}",
            short.note
        );
        let (_d, c) = config(&[("gpg.format", "x509"), ("user.signingkey", "whatever")]);
        assert!(
            setup(Some(&c))
                .note
                .contains("`gpg.format = x509`, which isms cannot verify")
        );
        let none = setup(None);
        assert_eq!(none.key, None);
        assert!(none.note.starts_with("git has no `user.signingkey`"));
    }
}
