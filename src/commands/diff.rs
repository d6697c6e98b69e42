//! `isms diff`: load the ISMS at two revisions through the source abstraction, compare them in
//! ISMS terms, and judge the change's authors with the impartiality and change-control rules.

use std::collections::BTreeSet;
use std::path::Path;

use git2::{Oid, Repository};

use super::check::today;
use super::{Fatal, SUCCESS};
use crate::cli::{DiffArgs, DiffFormat};
use crate::diagnostics::{Diagnostic, Severity};
use crate::diff::{self, CommitInfo, Problem, Report, Revision, Side, Verdict};
use crate::history::{self, History, Resolver, Who};
use crate::load::{self, Loaded};
use crate::model::Date;
use crate::rules::{self, Context, Git};
use crate::source::{CommitTree, Source, WorkTree};
use crate::workspace::Workspace;

/// Where the default branch may be, most telling first.
const DEFAULT_BRANCHES: [&str; 5] = [
    "refs/remotes/origin/HEAD",
    "refs/remotes/origin/main",
    "refs/remotes/origin/master",
    "refs/heads/main",
    "refs/heads/master",
];

pub fn run(args: &DiffArgs) -> Result<u8, Fatal> {
    let today = today(args.today.as_deref())?;
    let (revs, path) = classify(&[&args.base, &args.head, &args.path])?;
    let workspace = Workspace::find(path.as_deref().map(Path::new))?;
    let report = report(
        &workspace,
        revs.first().map(String::as_str),
        revs.get(1).map(String::as_str),
        today,
    )?;
    let text = match args.format {
        DiffFormat::Markdown => report.markdown(),
        DiffFormat::Json => report.json(),
    };
    super::print(&text)?;
    Ok(SUCCESS)
}

/// Splits the positional arguments into revisions (BASE, HEAD) and the ISMS folder: an
/// argument naming an existing folder is the folder.
fn classify(args: &[&Option<String>]) -> Result<(Vec<String>, Option<String>), Fatal> {
    let mut revs = Vec::new();
    let mut path = None;
    for a in args.iter().filter_map(|a| a.as_ref()) {
        if path.is_none() && Path::new(a).is_dir() {
            path = Some(a.clone());
        } else {
            revs.push(a.clone());
        }
    }
    if revs.len() > 2 {
        return Err(Fatal(format!(
            "at most two revisions (BASE and HEAD), got {}: {}",
            revs.len(),
            revs.join(", ")
        )));
    }
    Ok((revs, path))
}

fn resolve(repo: &Repository, rev: &str) -> Result<Oid, Fatal> {
    repo.revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map(|c| c.id())
        .map_err(|e| {
            Fatal(format!(
                "`{rev}` is not a commit of this repository ({})\n  help: give a branch, tag or commit hash that `git log {rev}` shows; a remote branch may need `git fetch` first",
                e.message()
            ))
        })
}

/// The merge-base of `head` with the default branch.
fn default_base(repo: &Repository, head: Oid) -> Result<(String, Oid), Fatal> {
    for name in DEFAULT_BRANCHES {
        let Ok(reference) = repo.find_reference(name) else {
            continue;
        };
        let Ok(target) = reference.resolve().and_then(|r| r.peel_to_commit()) else {
            continue;
        };
        if let Ok(base) = repo.merge_base(head, target.id()) {
            let short = name
                .trim_start_matches("refs/remotes/")
                .trim_start_matches("refs/heads/");
            return Ok((format!("merge-base with {short}"), base));
        }
    }
    Err(Fatal(
        "no default branch to compare with (origin/HEAD, origin/main, origin/master, main or master): pass BASE, such as `isms diff origin/main`".into(),
    ))
}

/// Compares BASE with HEAD (the working tree when `head` is `None`).
pub fn report(
    workspace: &Workspace,
    base: Option<&str>,
    head: Option<&str>,
    today: Date,
) -> Result<Report, Fatal> {
    let repo_root = workspace
        .repo_root
        .clone()
        .ok_or("isms diff compares two git revisions, but the ISMS is not in a git repository")?;
    let repo = crate::history::open_repository(&workspace.root)
        .map_err(|e| Fatal(format!("cannot open the repository: {}", e.message())))?;
    let prefix = workspace.display_prefix();
    let current = repo
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .map(|c| c.id());
    let head_oid = match head {
        Some(rev) => Some(resolve(&repo, rev)?),
        None => current,
    };
    let (base_rev, base_oid) = match base {
        Some(rev) => (rev.to_string(), resolve(&repo, rev)?),
        None => {
            let head_oid =
                head_oid.ok_or("the repository has no commit yet: nothing to compare")?;
            default_base(&repo, head_oid)?
        }
    };
    let snapshot = |oid: Oid| {
        CommitTree::commit(&repo_root, &prefix, &oid.to_string())
            .map_err(|e| Fatal(format!("cannot read {oid}: {}", e.message())))
    };
    let base_source = snapshot(base_oid)?;
    let head_source: Box<dyn Source> = match (head, head_oid) {
        (Some(_), Some(oid)) => Box::new(snapshot(oid)?),
        _ => Box::new(WorkTree::new(&workspace.root)),
    };
    let mut base_loaded = load::load(&base_source, &prefix);
    let mut head_loaded = load::load(head_source.as_ref(), &prefix);
    let changes = diff::diff(
        Side {
            isms: &base_loaded.isms,
            files: &base_loaded.files,
        },
        Side {
            isms: &head_loaded.isms,
            files: &head_loaded.files,
        },
    );
    let mut impartiality = verdict(
        workspace,
        &repo,
        today,
        (&base_source, &mut base_loaded, base_oid),
        (head_source.as_ref(), &mut head_loaded, head_oid),
    );
    if head.is_none() {
        impartiality.uncommitted = dirty(&repo, &prefix);
    }
    Ok(Report {
        version: 1,
        base: Revision {
            rev: base_rev,
            commit: Some(base_oid.to_string()),
        },
        head: Revision {
            rev: head.map_or("working tree".to_string(), str::to_string),
            commit: head_oid.map(|o| o.to_string()),
        },
        changes,
        impartiality,
    })
}

/// Whether the working tree differs from HEAD below the ISMS root.
fn dirty(repo: &Repository, prefix: &str) -> bool {
    let mut options = git2::StatusOptions::new();
    options.include_untracked(true).include_ignored(false);
    if !prefix.is_empty() {
        options.pathspec(prefix);
    }
    repo.statuses(Some(&mut options))
        .map(|s| !s.is_empty())
        .unwrap_or(false)
}

fn verdict(
    workspace: &Workspace,
    repo: &Repository,
    today: Date,
    base: (&dyn Source, &mut Loaded, Oid),
    head: (&dyn Source, &mut Loaded, Option<Oid>),
) -> Verdict {
    let Some(head_oid) = head.2 else {
        return Verdict {
            unavailable: Some("the repository has no commit yet".into()),
            ..Verdict::default()
        };
    };
    let judged_head = judge(workspace, head.1, head_oid, today);
    let judged_base = judge(workspace, base.1, base.2, today);
    let ((head_problems, history), (base_problems, _)) = match (judged_head, judged_base) {
        (Ok(h), Ok(b)) => (h, b),
        (Err(why), _) | (_, Err(why)) => {
            return Verdict {
                unavailable: Some(format!("{} ({})", why.message(), why.help())),
                ..Verdict::default()
            };
        }
    };
    let ours = change_commits(repo, base.2, head_oid);
    let resolver = Resolver::new(&head.1.isms, Some(&history));
    let commits: Vec<CommitInfo> = history
        .commits()
        .iter()
        .filter(|c| ours.contains(&c.id))
        .filter(|c| {
            c.changes.iter().any(|ch| history.in_isms(&ch.path))
                || head_problems
                    .iter()
                    .any(|d| d.subject.commits.contains(&c.id))
        })
        .map(|c| CommitInfo {
            id: c.id.clone(),
            short: c.short().to_string(),
            date: c.date.to_string(),
            subject: c.subject.clone(),
            author: format!("{} <{}>", c.author.name, c.author.email),
            person: match resolver.author(c) {
                Who::Person(p) => Some(p.id.as_str().to_string()),
                _ => None,
            },
            co_authors: c
                .co_authors
                .iter()
                .map(|i| match resolver.identity(i) {
                    Who::Person(p) => p.id.as_str().to_string(),
                    _ => format!("{} <{}>", i.name, i.email),
                })
                .collect(),
        })
        .collect();
    let shorts: Vec<(&str, &str)> = commits
        .iter()
        .map(|c| (c.id.as_str(), c.short.as_str()))
        .collect();
    let head_problems: Vec<(&Diagnostic, Problem)> = head_problems
        .iter()
        .map(|d| (d, problem(d, head.1, &shorts)))
        .collect();
    let base_problems: Vec<(&Diagnostic, Problem)> = base_problems
        .iter()
        .map(|d| (d, problem(d, base.1, &[])))
        .collect();
    let matched = super::diff_match::match_problems(&head_problems, &base_problems);
    Verdict {
        checked: true,
        unavailable: None,
        introduced: matched.introduced,
        resolved: matched.resolved,
        commits,
        uncommitted: false,
    }
}

/// The ids of the non-merge commits reachable from `head` and not from `base`.
fn change_commits(repo: &Repository, base: Oid, head: Oid) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Ok(mut walk) = repo.revwalk() else {
        return out;
    };
    if walk.push(head).is_err() || walk.hide(base).is_err() {
        return out;
    }
    for oid in walk.flatten() {
        if repo.find_commit(oid).is_ok_and(|c| c.parent_count() <= 1) {
            out.insert(oid.to_string());
        }
    }
    out
}

/// A problem for the report; `shorts` are the change's commits as (full id, short id).
fn problem(d: &Diagnostic, loaded: &Loaded, shorts: &[(&str, &str)]) -> Problem {
    let (file, line) = match &d.origin {
        Some(o) if (o.file.0 as usize) < loaded.files.len() => {
            let f = loaded.files.get(o.file);
            (Some(f.display.clone()), Some(f.position(o.span.start).line))
        }
        _ => (None, None),
    };
    Problem {
        code: d.code().to_string(),
        severity: d.severity.as_str().to_string(),
        message: d.text().into_owned(),
        file,
        line,
        commits: shorts
            .iter()
            .filter(|(id, _)| d.subject.commits.iter().any(|c| c == id))
            .map(|(_, short)| short.to_string())
            .collect(),
    }
}

/// The impartiality (IND) and change-control (DOC004, DOC005) problems of one side, judged on
/// the history as it stood at `commit`. The repository's `.mailmap` joins `loaded`'s files, as
/// in `isms check`, so IND010 and IND011 point into it.
fn judge(
    workspace: &Workspace,
    loaded: &mut Loaded,
    commit: Oid,
    today: Date,
) -> Result<(Vec<Diagnostic>, History), history::Unavailable> {
    // Exemptions as `isms check` reads them: from the commit's tree, never the working tree.
    let ignore_revs = crate::check::ignore_revs(
        workspace,
        crate::check::Snapshot::Commit(commit.to_string()),
        &loaded.isms,
        &mut Vec::new(),
    );
    let options = history::Options {
        staged: false,
        today,
        cache: true,
        ignore_revs,
        keys: workspace
            .repo_root
            .as_ref()
            .and_then(|root| {
                crate::source::GitSnapshot::commit(
                    root,
                    &workspace.display_prefix(),
                    &commit.to_string(),
                )
                .ok()
            })
            .map(|snapshot| crate::check::key_files(&snapshot, &loaded.isms))
            .unwrap_or_default(),
    };
    // HEAD's history is the one `isms check` caches; any other commit is walked afresh.
    let at_head = crate::history::open_repository(&workspace.root)
        .ok()
        .and_then(|r| r.head().ok()?.peel_to_commit().ok().map(|c| c.id()))
        == Some(commit);
    let mut history = if at_head {
        history::read(workspace, &loaded.isms, &loaded.files, &options)?
    } else {
        history::read_at(workspace, &loaded.isms, &loaded.files, &options, commit)?
    };
    history.add_exemption_files(&mut loaded.files);
    let cx = Context::new(&loaded.isms, today).with_git(Git::Read(&history));
    let mut diagnostics = rules::check(&cx);
    rules::apply_overrides(&loaded.isms, &mut diagnostics);
    diagnostics.retain(|d| {
        let code = d.code();
        // IND012 is info, but an exemption a change brings is never silent.
        (d.severity != Severity::Info || code == "IND012")
            && (code.starts_with("IND") || code == "DOC004" || code == "DOC005")
    });
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    Ok((diagnostics, history))
}
