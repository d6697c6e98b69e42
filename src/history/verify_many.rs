//! Checks the signatures of many commits on every core: for each commit that must be signed,
//! what its signature proves and which version of people.toml was in effect for it. The
//! commits are split into contiguous chunks, one thread each with its own repository handle,
//! and the results come back in the order of the input, so the outcome never depends on the
//! number of cores.

use git2::Oid;

use super::Repo;
use super::repo::Gpgsig;
use super::signature::Seal;
use super::signature_batch::{Header, verify_all};

/// One commit to look up.
pub(super) struct Job {
    pub oid: Oid,
    /// Its seal when the cache already holds it: not verified again.
    pub cached: Option<Seal>,
    /// Its `gpgsig` header when the walk read it (else it is read from the repository).
    pub gpgsig: Gpgsig,
    /// The people.toml blob whose keys judge a valid signature, when the history knows it:
    /// (when the commit changes people.toml, the version before it). `None`: looked up in the
    /// commit's tree (or its first parent's, when `changes_people`).
    pub people: Option<Option<Oid>>,
    /// Whether the commit changes people.toml: it is then judged by the version before it.
    pub changes_people: bool,
}

/// What was found for one job.
pub(super) struct Found {
    pub seal: Seal,
    /// Verified in this run (not taken from the cache).
    pub verified: bool,
    /// The people.toml blob whose keys judge a valid signature.
    pub people: Option<Oid>,
}

/// Below this many signatures to verify, one thread does the work: starting threads and
/// opening repositories would cost more than it saves.
const PARALLEL_FROM: usize = 64;

/// Looks up every job, in order.
pub(super) fn look_up(
    repo: &Repo,
    jobs: &[Job],
    openpgp: &[pgp::composed::SignedPublicKey],
    people_path: &str,
) -> Vec<Found> {
    let to_verify = jobs.iter().filter(|j| j.cached.is_none()).count();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let handles: Vec<Repo> = if to_verify >= PARALLEL_FROM && threads > 1 {
        (1..threads).filter_map(|_| repo.reopen().ok()).collect()
    } else {
        Vec::new()
    };
    if handles.is_empty() {
        return look_up_chunk(repo, jobs, openpgp, people_path);
    }
    // Contiguous chunks, the first for this thread; joined in order.
    let size = jobs.len().div_ceil(handles.len() + 1);
    let mut chunks = jobs.chunks(size);
    let first = chunks.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let running: Vec<_> = chunks
            .zip(handles)
            .map(|(chunk, handle)| {
                scope.spawn(move || look_up_chunk(&handle, chunk, openpgp, people_path))
            })
            .collect();
        let mut out = look_up_chunk(repo, first, openpgp, people_path);
        for thread in running {
            match thread.join() {
                Ok(found) => out.extend(found),
                // A thread that panicked is a bug; re-raise it rather than lose commits.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// Looks up a run of jobs with one repository handle: the signatures not cached are read,
/// then verified together.
fn look_up_chunk(
    repo: &Repo,
    jobs: &[Job],
    openpgp: &[pgp::composed::SignedPublicKey],
    people_path: &str,
) -> Vec<Found> {
    let to_verify: Vec<Header> = jobs
        .iter()
        .filter(|j| j.cached.is_none())
        .map(|j| match &j.gpgsig {
            Gpgsig::NotRead => repo.signature(j.oid),
            Gpgsig::Unsigned => None,
            Gpgsig::Signed(pair) => Some((**pair).clone()),
        })
        .collect();
    let mut verified = verify_all(&to_verify, openpgp).into_iter();
    jobs.iter()
        .map(|job| {
            let (seal, fresh) = match &job.cached {
                Some(seal) => (seal.clone(), false),
                None => match verified.next() {
                    Some(seal) => (seal, true),
                    // verify_all gives one seal per header; never reached.
                    None => (Seal::Unsigned, true),
                },
            };
            let people = match seal {
                Seal::Valid(_) => job.people.unwrap_or_else(|| {
                    job.changes_people
                        .then(|| repo.blob_in_parent(job.oid, people_path))
                        .flatten()
                        .or_else(|| repo.blob_in_commit(job.oid, people_path))
                }),
                _ => None,
            };
            Found {
                seal,
                verified: fresh,
                people,
            }
        })
        .collect()
}
