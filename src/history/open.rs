//! Opening the repository around the ISMS exactly as git finds it, so every part of `isms`
//! (the history, `--staged`, `isms diff`, the site and `isms init`) reads the same repository,
//! index and configuration as the git command that runs it: `GIT_DIR` and `GIT_WORK_TREE`
//! (set by hooks and scripts), `GIT_INDEX_FILE` (set by `git commit -a` and
//! `git commit <path>` for their pre-commit hooks), `GIT_CEILING_DIRECTORIES`, worktrees, and
//! configuration as the git CLI reads it (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_NOSYSTEM`, includes).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use git2::{Repository, RepositoryOpenFlags};

/// Sets libgit2's process-wide options, once at startup, before any thread opens a repository.
///
/// libgit2 keeps every commit and tree it parses (up to 4 KB each) in an object cache of up to
/// 256 MB shared by all repository handles. `isms` reads each tree of a history walk about once
/// and in walk order, so the cache seldom answers a second read, yet it held most of the peak
/// memory of a first check (rust-lang/cargo's 23,078 commits: 341 MB with it, 150 MB without,
/// against 141 MB for `git log --no-merges --name-only`; BENCHMARKS.md, issue 18). Objects are
/// read from the pack each time instead: the verdicts are the same.
///
/// Pack files are read through memory-mapped windows, 1 GB each by default, so a whole pack
/// stays mapped and every page the walk touched (commits, trees, and the blobs re-merges and
/// rename searches read) counts in the resident memory until the end. Windows of
/// [`PACK_WINDOW`] with at most [`PACK_WINDOWS_MAPPED`] mapped at once (the least recently used
/// unmapped first) bound that part; the pages stay in the kernel's page cache, so a window
/// mapped again costs a system call and page faults, not a read (cargo, 105 MB pack: peak
/// 148-150 MB to 90-103 MB, 3-5% more CPU; BENCHMARKS.md, issue 18).
pub fn configure_libgit2() {
    git2::opts::enable_caching(false);
    // SAFETY: called once at startup, before any thread opens a repository, as libgit2
    // requires of its global options.
    unsafe {
        let _ = git2::opts::set_mwindow_size(PACK_WINDOW);
        let _ = git2::opts::set_mwindow_mapped_limit(PACK_WINDOWS_MAPPED);
    }
}

/// The size of one mapped window of a pack file (libgit2's default is 1 GB on 64-bit systems).
pub const PACK_WINDOW: usize = 32 << 20;

/// How much of the pack files may be mapped at once (libgit2's default is 8 GB); a soft limit,
/// as windows in use are never unmapped.
pub const PACK_WINDOWS_MAPPED: usize = 64 << 20;

/// The repository git would use for a command run in `start`: the one `GIT_DIR` names, else
/// the nearest one at or above `start`.
pub fn open_repository(start: &Path) -> Result<Repository, git2::Error> {
    if std::env::var_os("GIT_DIR").is_some_and(|d| !d.is_empty()) {
        Repository::open_from_env()
    } else {
        Repository::open_ext(start, RepositoryOpenFlags::FROM_ENV, &[] as &[&OsStr])
    }
}

/// The root of the work tree git would use for `start`; `None` outside a repository or in a
/// bare one.
pub fn work_tree_of(start: &Path) -> Option<PathBuf> {
    let repo = open_repository(start).ok()?;
    let dir = repo.workdir()?;
    Some(dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()))
}

/// Whether `err` says there is no repository at all (rather than a broken one).
pub fn is_not_found(err: &git2::Error) -> bool {
    err.code() == git2::ErrorCode::NotFound
}

/// The email the next commit will be authored with, as git computes it: `GIT_AUTHOR_EMAIL`,
/// else `author.email`, else `user.email`, else `EMAIL`; and the name likewise
/// (`GIT_AUTHOR_NAME`, `author.name`, `user.name`).
pub fn next_author(repo: &Repository) -> Option<(String, String)> {
    let config = repo.config().ok();
    let get = |env: &str, keys: &[&str]| {
        std::env::var(env)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .or_else(|| {
                keys.iter().find_map(|k| {
                    config
                        .as_ref()
                        .and_then(|c| c.get_string(k).ok())
                        .filter(|v| !v.trim().is_empty())
                })
            })
    };
    let email = get("GIT_AUTHOR_EMAIL", &["author.email", "user.email"])
        .or_else(|| std::env::var("EMAIL").ok().filter(|v| !v.trim().is_empty()))?;
    let name = get("GIT_AUTHOR_NAME", &["author.name", "user.name"]).unwrap_or_default();
    Some((name, email))
}
