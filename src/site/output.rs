//! The output folder: emptied only when it holds the site's marker file and nothing that marks
//! an ISMS or a repository, written without following symlinks.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The file that marks a folder as a site `isms build` wrote, and so may empty.
pub const MARKER: &str = ".isms-site";

/// Files that mark a folder as an ISMS or a git repository: never emptied, marker or not.
const PRECIOUS: [&str; 2] = ["isms.toml", ".git"];

/// Why the output folder cannot be used.
#[derive(Debug)]
pub struct Refused(pub String);

/// Makes `out` an empty folder holding the marker: creates it, or empties it when it is a
/// site written before. A non-empty folder without the marker is refused, as is a symlink.
pub fn prepare(out: &Path) -> Result<(), Refused> {
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(out).map_err(|e| {
                Refused(format!(
                    "cannot create the output folder {}: {e}",
                    out.display()
                ))
            })?;
        }
        Err(e) => {
            return Err(Refused(format!(
                "cannot read the output folder {}: {e}",
                out.display()
            )));
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(Refused(format!(
                "the output {} exists and is not a folder (a symlink or a file): refusing to write the site there",
                out.display()
            )));
        }
        Ok(_) => {
            let entries: Vec<PathBuf> = fs::read_dir(out)
                .and_then(|d| d.map(|e| e.map(|e| e.path())).collect())
                .map_err(|e| {
                    Refused(format!(
                        "cannot read the output folder {}: {e}",
                        out.display()
                    ))
                })?;
            if let Some(name) = PRECIOUS
                .iter()
                .find(|name| fs::symlink_metadata(out.join(name)).is_ok())
            {
                return Err(Refused(format!(
                    "the output folder {} holds `{name}`, so it is an ISMS or a repository, not a site: refusing to write the site there (choose another --out, such as _site)",
                    out.display()
                )));
            }
            if !entries.is_empty() {
                let marked = fs::symlink_metadata(out.join(MARKER)).is_ok_and(|m| m.is_file());
                if !marked {
                    return Err(Refused(format!(
                        "the output folder {} is not empty and holds no {MARKER} marker, so it is not a site isms built: refusing to empty it (choose another --out, or empty it yourself)",
                        out.display()
                    )));
                }
                for entry in entries {
                    // remove_dir_all does not follow symlinks; a symlink is removed as a file.
                    let meta = fs::symlink_metadata(&entry);
                    let removed = match meta {
                        Ok(m) if m.is_dir() => fs::remove_dir_all(&entry),
                        _ => fs::remove_file(&entry),
                    };
                    removed
                        .map_err(|e| Refused(format!("cannot empty {}: {e}", entry.display())))?;
                }
            }
        }
    }
    fs::write(
        out.join(MARKER),
        "This folder is a site written by `isms build`, which empties it on every build.\n",
    )
    .map_err(|e| Refused(format!("cannot write to {}: {e}", out.display())))
}

/// Writes one file of the site below `out`; `rel` is a relative path with `/`.
pub fn write(out: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    debug_assert!(!rel.split('/').any(|p| p == ".." || p.is_empty()));
    let path = out.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_folder_that_is_not_a_site() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("thesis.txt"), "precious").unwrap();
        assert!(prepare(dir.path()).is_err());
        assert!(dir.path().join("thesis.txt").exists());
    }

    #[test]
    fn never_empties_an_isms_or_a_repository_even_with_the_marker() {
        for precious in PRECIOUS {
            let dir = tempfile::tempdir().unwrap();
            fs::write(dir.path().join(MARKER), "").unwrap();
            fs::create_dir(dir.path().join(precious)).unwrap();
            let err = prepare(dir.path()).unwrap_err();
            assert!(err.0.contains(&format!("holds `{precious}`")), "{}", err.0);
            assert!(dir.path().join(precious).exists());
        }
    }

    #[test]
    fn empties_a_site_and_creates_new_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        prepare(&out).unwrap();
        write(&out, "a/b.html", b"x").unwrap();
        prepare(&out).unwrap();
        assert!(!out.join("a").exists());
        assert!(out.join(MARKER).exists());
    }
}
