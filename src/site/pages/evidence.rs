//! The evidence files the SoA links to, copied into the site when they lie below the ISMS root
//! as regular files, and published as plain text when a browser would run them.

use std::collections::BTreeSet;

use super::Site;
use crate::model::Isms;

impl Site<'_> {
    /// Copies the evidence files the SoA links to, when they lie below the ISMS root as
    /// regular files (never through a symlink).
    pub(super) fn copy_evidence(&mut self) {
        let root = &self.workspace.root;
        let paths: BTreeSet<&str> = self
            .isms
            .soa
            .iter()
            .flat_map(|e| e.evidence.iter().map(|p| p.as_str()))
            .collect();
        for path in paths {
            if !publishable(self.isms, path) {
                continue;
            }
            // Every component must be a real folder or file, not a symlink.
            let mut current = root.clone();
            let mut ok = true;
            for part in path.split('/') {
                current.push(part);
                match std::fs::symlink_metadata(&current) {
                    Ok(m) if !m.file_type().is_symlink() => {}
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok || !current.is_file() {
                continue;
            }
            if let Ok(bytes) = std::fs::read(&current) {
                self.files
                    .insert(format!("files/{}", published_name(path)), bytes);
            }
        }
    }
}

/// An evidence file the site copies: listed below the ISMS root, a regular file (not a link), at
/// a path that stays in its folder.
pub(super) fn publishable(isms: &Isms, path: &str) -> bool {
    isms.files.contains(path) && !isms.links.contains(path) && safe_rel(path)
}

/// Kinds of file a browser runs scripts in when it opens them from the site's origin.
const ACTIVE_EXTENSIONS: [&str; 14] = [
    "htm", "html", "shtml", "xht", "xhtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt",
    "js", "mjs",
];

/// Evidence a browser would execute (HTML, SVG, XML and the like).
pub(super) fn is_active(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ACTIVE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The name evidence is published under: active evidence gets a `.txt` suffix, so a static host
/// serves it as plain text and no script in it runs on the site's origin.
pub(super) fn published_name(path: &str) -> String {
    if is_active(path) {
        format!("{path}.txt")
    } else {
        path.to_string()
    }
}

/// A relative path with no `..`, no empty or hidden component and no backslash.
fn safe_rel(path: &str) -> bool {
    !path.contains('\\')
        && path
            .split('/')
            .all(|p| !p.is_empty() && p != ".." && p != "." && !p.starts_with('.'))
}
