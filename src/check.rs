//! `isms check`: load an ISMS, read its git history, run the rules, and collect the
//! diagnostics in a stable order.

use crate::committed_settings;
use crate::diagnostics::{Diagnostic, Files, Summary};
use crate::history::{self, History};
use crate::load;
use crate::model::{Date, Isms};
use crate::rules::{self, Context, Git, Rule};
use crate::source::{EntryKind, GitIndex, GitSnapshot, Source, WorkTree};
use crate::workspace::Workspace;

/// What a check found.
pub struct Outcome {
    pub isms: Isms,
    pub files: Files,
    /// Sorted by file, position and code; duplicates removed.
    pub diagnostics: Vec<Diagnostic>,
    /// The history the git rules read, when they did.
    pub history: Option<History>,
    /// Why the history could not be read, when it was asked for (IND006, even when that rule
    /// is turned off).
    pub git_unavailable: Option<history::Unavailable>,
}

impl Outcome {
    pub fn summary(&self) -> Summary {
        Summary::of(&self.diagnostics, self.files.len())
    }
}

/// How a check uses git.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GitMode {
    /// The model alone: the rules that read history do not run (library callers, fixtures).
    Skip,
    /// `--no-git`: as `Skip`, with the warning IND009 that impartiality was not verified.
    Off,
    /// The working tree, and the history of HEAD (`isms check`).
    Head,
    /// The index, and the history of HEAD plus the staged change (`isms check --staged`).
    Staged,
}

#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub today: Date,
    pub git: GitMode,
    /// Read and update the history cache under the git directory.
    pub cache: bool,
}

/// Loads the ISMS of `workspace` from its working tree and checks it as of `today`, without
/// reading git history (the model rules only).
pub fn run(workspace: &Workspace, today: Date) -> Outcome {
    let options = Options {
        today,
        git: GitMode::Skip,
        cache: false,
    };
    match run_with(workspace, &options) {
        Ok(outcome) => outcome,
        // Unreachable: only the staged mode can fail before checking.
        Err(_) => Outcome {
            isms: Isms::default(),
            files: Files::default(),
            diagnostics: Vec::new(),
            history: None,
            git_unavailable: None,
        },
    }
}

/// Loads and checks the ISMS as `options` say. Fails only when `--staged` has no index to read.
pub fn run_with(workspace: &Workspace, options: &Options) -> Result<Outcome, String> {
    let source: Box<dyn Source> = match options.git {
        GitMode::Staged => {
            if workspace.repo_root.is_none() {
                return Err(
                    "--staged reads the git index, but the ISMS is not in a git repository".into(),
                );
            }
            Box::new(
                GitIndex::index(&workspace.root, &workspace.display_prefix())
                    .map_err(|e| format!("cannot read the git index: {}", e.message()))?,
            )
        }
        _ => Box::new(WorkTree::new(&workspace.root)),
    };
    let mut loaded = load::load(source.as_ref(), &workspace.display_prefix());
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    let history = match options.git {
        GitMode::Skip | GitMode::Off => None,
        GitMode::Head | GitMode::Staged => {
            // The trust settings and keys of the checked snapshot: the index under --staged
            // (already what was loaded), HEAD's tree otherwise.
            let head = match options.git {
                GitMode::Head => workspace.repo_root.as_ref().and_then(|root| {
                    GitSnapshot::commit(root, &workspace.display_prefix(), "HEAD").ok()
                }),
                _ => None,
            };
            let snapshot: &dyn Source = match &head {
                Some(head) => {
                    let committed =
                        committed_settings::committed_config(head, &workspace.display_prefix());
                    let mut changed =
                        committed_settings::adopt(&mut loaded.isms, committed.as_ref());
                    if key_files(head, &loaded.isms) != key_files(source.as_ref(), &loaded.isms) {
                        changed.push(("keys/", 0..0));
                    }
                    // Without a committed isms.toml the defaults apply, and IND006 (an ISMS
                    // HEAD does not hold) says more than a note would.
                    if committed.is_some() {
                        diagnostics.extend(committed_settings::uncommitted(&loaded.isms, &changed));
                    }
                    head
                }
                None => source.as_ref(),
            };
            let ignore_revs = ignore_revs(
                workspace,
                Snapshot::Open(snapshot),
                &loaded.isms,
                &mut diagnostics,
            );
            let history_options = history::Options {
                staged: options.git == GitMode::Staged,
                today: options.today,
                cache: options.cache,
                ignore_revs,
                keys: key_files(snapshot, &loaded.isms),
            };
            Some(history::read(
                workspace,
                &loaded.isms,
                &loaded.files,
                &history_options,
            ))
        }
    };
    let mut files = loaded.files;
    let mut history = history;
    if let Some(Ok(h)) = &mut history {
        h.add_exemption_files(&mut files);
    }
    let git = match (&history, options.git) {
        (Some(Ok(h)), _) => Git::Read(h),
        (Some(Err(why)), _) => Git::Unavailable(why),
        (None, GitMode::Off) => Git::Off,
        (None, _) => Git::NotRead,
    };
    let cx = Context::new(&loaded.isms, options.today)
        .with_git(git)
        .with_files(&files);
    diagnostics.extend(rules::check(&cx));
    rules::apply_overrides(&loaded.isms, &mut diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let (history, git_unavailable) = match history {
        Some(Ok(h)) => (Some(h), None),
        Some(Err(why)) => (None, Some(why)),
        None => (None, None),
    };
    Ok(Outcome {
        isms: loaded.isms,
        files,
        diagnostics,
        history,
        git_unavailable,
    })
}

/// The files under keys/ (armored OpenPGP public keys that verify commit signatures), read
/// only when signatures are checked.
pub(crate) fn key_files(source: &dyn Source, isms: &Isms) -> Vec<history::KeyFile> {
    let mode = *isms.config_or_default().independence.signatures.get();
    if mode == crate::model::SignatureMode::Off {
        return Vec::new();
    }
    source
        .list()
        .into_iter()
        .filter(|e| e.path.starts_with("keys/") && matches!(e.kind, EntryKind::File { .. }))
        .filter_map(|e| source.read(&e.path).ok().map(|bytes| (e.path, bytes)))
        .collect()
}

/// The text of `[independence] ignore_revs_file` in the checked snapshot: HEAD's tree, or the
/// index under `--staged` (never the working tree: an uncommitted exemption changes nothing).
/// The path must stay inside the ISMS root and name a regular file; a file named in isms.toml
/// must be in the snapshot.
pub(crate) fn ignore_revs(
    workspace: &Workspace,
    snapshot: Snapshot<'_>,
    isms: &Isms,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let config = isms.config.as_ref()?;
    let file = &config.independence.ignore_revs_file;
    let origin = isms.config_origin.clone().unwrap_or_default();
    let explicit = !(file.span().is_empty() && file.span().start == 0);
    let path = match history::ignore_revs_path(file.as_str()) {
        Ok(path) => path,
        Err(problem) => {
            out.push(
            Diagnostic::new(Rule::LOAD002, format!("`ignore_revs_file` cannot be used: {problem}"))
                .at(origin.at(file))
                .label("not a file of the ISMS")
                .help("name a committed file inside the ISMS folder, relative to it, such as `.isms-ignore-revs`; no commit is ignored until it is fixed"),
            );
            return None;
        }
    };
    let head;
    let source: &dyn Source = match snapshot {
        Snapshot::Open(snapshot) => snapshot,
        Snapshot::Commit(revision) => {
            let repo_root = workspace.repo_root.as_ref()?;
            head = GitSnapshot::commit(repo_root, &workspace.display_prefix(), &revision).ok()?;
            &head
        }
    };
    let symlink = source
        .list()
        .iter()
        .any(|e| e.path == path && e.kind == EntryKind::Symlink);
    if symlink {
        out.push(
            Diagnostic::new(Rule::LOAD002, format!("`ignore_revs_file` cannot be used: `{}` is a symbolic link", file.as_str()))
                .at(origin.at(file))
                .label("a symbolic link")
                .help("commit the list of ignored commits as a regular file inside the ISMS folder; no commit is ignored until it is fixed"),
        );
        return None;
    }
    match source.read(&path) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) => {
            if explicit {
                out.push(
                    Diagnostic::new(Rule::LOAD001, format!("cannot read the ignore-revs file `{}` from the committed ISMS: {e}", file.as_str()))
                        .at(origin.at(file))
                        .help("the file lists commits attributed to no one (one hash a line, relative to the ISMS root) and counts once committed (or staged, with --staged); commit it or remove `ignore_revs_file`"),
                );
            }
            None
        }
    }
}

/// Where exemptions are read from.
pub(crate) enum Snapshot<'a> {
    /// A snapshot already open: the index (`--staged`) or HEAD's tree.
    Open(&'a dyn Source),
    /// A commit's tree, by revision (`HEAD`).
    Commit(String),
}
