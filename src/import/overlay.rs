//! The ISMS as it would be after an import: the files on disk with the import's new texts laid
//! over them, so the loader and `isms diff` see the result before anything is written.

use std::collections::BTreeMap;
use std::io;

use crate::source::{Entry, EntryKind, Source};

pub(crate) struct Overlay<'a> {
    base: &'a dyn Source,
    files: BTreeMap<String, Vec<u8>>,
}

impl<'a> Overlay<'a> {
    /// `files` by path relative to the ISMS root.
    pub fn new(base: &'a dyn Source, files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Self {
        Self {
            base,
            files: files.into_iter().collect(),
        }
    }
}

impl Source for Overlay<'_> {
    fn list(&self) -> Vec<Entry> {
        let mut entries: Vec<Entry> = self
            .base
            .list()
            .into_iter()
            .filter(|e| !self.files.contains_key(&e.path))
            .collect();
        entries.extend(self.files.iter().map(|(path, bytes)| Entry {
            path: path.clone(),
            kind: EntryKind::File {
                size: bytes.len() as u64,
            },
        }));
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        entries
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        match self.files.get(path) {
            Some(bytes) => Ok(bytes.clone()),
            None => self.base.read(path),
        }
    }
}
