//! `isms init --example DIR [--plant]`: the example ISMS embedded in the binary, written into a
//! new git repository with its history replayed by its own people, so that a newcomer sees the
//! impartiality checks verify real authorship in the first minute.
//!
//! The repository holds the ISMS in `isms/` (its cloud-operations area also owns `infra/`,
//! outside the ISMS), the JSON Schemas its files name in `schema/`, and a `.gitignore` for the
//! site `isms build` writes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::init::{empty_folder, new_repository};
use super::replay::{Replayed, replay};
use crate::load;
use crate::source::Memory;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/example_isms.rs"));
}

/// The day the example's records describe: the day to check it as of (`--today`).
pub const EXAMPLE_DAY: &str = "2026-11-27";

/// The folder of the ISMS inside the example's repository.
pub const ISMS_FOLDER: &str = "isms";

pub struct Options {
    pub dir: PathBuf,
    /// Add one conflict of impartiality for a demonstration.
    pub plant: bool,
}

/// What `init --example` did, for the user.
pub struct Done {
    /// The repository root.
    pub repo: PathBuf,
    /// The ISMS root inside it.
    pub isms: PathBuf,
    pub organisation: String,
    pub branch: String,
    pub replayed: Replayed,
}

/// The embedded example's files, by path relative to its ISMS root.
pub fn files() -> BTreeMap<String, String> {
    embedded::FILES
        .iter()
        .map(|(path, text)| ((*path).to_string(), (*text).to_string()))
        .collect()
}

pub fn example(options: &Options) -> Result<Done, String> {
    let root = empty_folder(&options.dir)?;
    let files = files();
    let loaded = load::load(
        &Memory::new(files.iter().map(|(p, t)| (p.as_str(), t.as_str()))),
        "",
    );
    let (repo, branch) = new_repository(&root)?;
    // Written before the replay, so they arrive with its first commit.
    let mut extra = vec![(
        root.join(".gitignore"),
        format!("# The audit site built by `isms build`\n/{ISMS_FOLDER}/_site/\n"),
    )];
    for (kind, _) in crate::schema::KINDS {
        if let Some(text) = crate::schema::schema_text(kind) {
            extra.push((
                root.join("schema").join(format!("{kind}.schema.json")),
                text,
            ));
        }
    }
    for (path, text) in &extra {
        super::write_new(path, text)?;
    }
    let isms = root.join(ISMS_FOLDER);
    let replayed = replay(&loaded.isms, &files, &repo, &isms, options.plant)?;
    Ok(Done {
        repo: root,
        isms,
        organisation: loaded
            .isms
            .config
            .as_ref()
            .map(|c| c.organisation.name.to_string())
            .unwrap_or_default(),
        branch,
        replayed,
    })
}
