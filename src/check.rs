//! `isms check`: load an ISMS, run the rules, and collect the diagnostics in a stable order.

use crate::diagnostics::{Diagnostic, Files, Summary};
use crate::load;
use crate::model::{Date, Isms};
use crate::rules::{self, Context};
use crate::source::WorkTree;
use crate::workspace::Workspace;

/// What a check found.
pub struct Outcome {
    pub isms: Isms,
    pub files: Files,
    /// Sorted by file, position and code; duplicates removed.
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    pub fn summary(&self) -> Summary {
        Summary::of(&self.diagnostics, self.files.len())
    }
}

/// Loads the ISMS of `workspace` from its working tree and checks it as of `today`.
pub fn run(workspace: &Workspace, today: Date) -> Outcome {
    let source = WorkTree::new(&workspace.root);
    let loaded = load::load(&source, &workspace.display_prefix());
    let mut diagnostics = loaded.diagnostics;
    let cx = Context::new(&loaded.isms, today);
    diagnostics.extend(rules::check(&cx));
    rules::apply_overrides(&loaded.isms, &mut diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    Outcome {
        isms: loaded.isms,
        files: loaded.files,
        diagnostics,
    }
}
