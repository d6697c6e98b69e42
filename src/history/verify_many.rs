//! Checks the signatures of many commits on every core, alongside the rest of the check: the
//! verification starts on the other cores as soon as the commits to verify are known, while
//! this thread reads the rest of the history, which then joins in for what is left.
//!
//! The commits are cut into units of one batch each, in the order given; a thread takes the
//! next unit not yet taken, and each unit's results are what its own inputs prove. So the
//! results, returned in the order of the input, never depend on thread timing or on the number
//! of cores.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use git2::Oid;

use super::Repo;
use super::repo::Gpgsig;
use super::signature::Seal;
use super::signature_batch::{BATCH, Header, Verifier};

/// One commit whose signature is to be verified, with its `gpgsig` header when the walk read
/// it (else it is read from the repository).
pub(super) type Job = (Oid, Gpgsig);

/// Below this many signatures to verify, this thread does all the work: starting threads and
/// opening repositories would cost more than it saves.
const PARALLEL_FROM: usize = 64;

/// Signatures being verified, started by [`Pool::start`] and collected by [`Pool::finish`].
pub(super) struct Pool {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
}

struct Shared {
    openpgp: Arc<Vec<pgp::composed::SignedPublicKey>>,
    units: Vec<Mutex<Unit>>,
    /// The first unit no thread has taken yet.
    next: AtomicUsize,
}

enum Unit {
    Todo(Vec<Job>),
    Taken,
    Done(Vec<Seal>),
}

impl Pool {
    /// Starts verifying `jobs` on the other cores (each thread with its own repository
    /// handle); with few jobs, or one core, nothing starts before [`Pool::finish`].
    pub(super) fn start(
        repo: &Repo,
        jobs: Vec<Job>,
        openpgp: Arc<Vec<pgp::composed::SignedPublicKey>>,
    ) -> Pool {
        let count = jobs.len();
        let mut jobs = jobs.into_iter();
        let units: Vec<Mutex<Unit>> = std::iter::from_fn(|| {
            let unit: Vec<Job> = jobs.by_ref().take(BATCH).collect();
            (!unit.is_empty()).then(|| Mutex::new(Unit::Todo(unit)))
        })
        .collect();
        let shared = Arc::new(Shared {
            openpgp,
            units,
            next: AtomicUsize::new(0),
        });
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let extra = if count >= PARALLEL_FROM {
            (cores - 1).min(shared.units.len())
        } else {
            0
        };
        let workers = (0..extra)
            .filter_map(|_| repo.reopen().ok())
            .filter_map(|handle| {
                let shared = Arc::clone(&shared);
                std::thread::Builder::new()
                    .name("isms-verify".into())
                    .spawn(move || shared.work(&handle))
                    .ok()
            })
            .collect();
        Pool { shared, workers }
    }

    /// Verifies what no other thread has taken yet, waits for the others, and gives each job's
    /// seal in the order of the jobs.
    pub(super) fn finish(self, repo: &Repo) -> Vec<Seal> {
        self.shared.work(repo);
        for worker in self.workers {
            // A thread that panicked is a bug; re-raise it rather than lose commits.
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
        let mut out = Vec::new();
        for unit in &self.shared.units {
            let mut unit = unit.lock().unwrap_or_else(PoisonError::into_inner);
            match std::mem::replace(&mut *unit, Unit::Taken) {
                Unit::Done(seals) => out.extend(seals),
                Unit::Todo(jobs) => {
                    out.extend(self.shared.verify(repo, &mut Verifier::default(), jobs))
                }
                // A thread takes a unit and leaves it done; all have ended. Never reached.
                Unit::Taken => unreachable!("a unit of signatures was taken and not verified"),
            }
        }
        out
    }
}

impl Shared {
    /// Takes the next unit until none is left, verifying each with `repo`.
    fn work(&self, repo: &Repo) {
        let mut verifier = Verifier::default();
        loop {
            let at = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(unit) = self.units.get(at) else {
                return;
            };
            let jobs = {
                let mut unit = unit.lock().unwrap_or_else(PoisonError::into_inner);
                match std::mem::replace(&mut *unit, Unit::Taken) {
                    Unit::Todo(jobs) => jobs,
                    other => {
                        *unit = other;
                        continue;
                    }
                }
            };
            let seals = self.verify(repo, &mut verifier, jobs);
            *unit.lock().unwrap_or_else(PoisonError::into_inner) = Unit::Done(seals);
        }
    }

    /// What each job's signature proves (headers not read by the walk are read with `repo`).
    fn verify(&self, repo: &Repo, verifier: &mut Verifier, jobs: Vec<Job>) -> Vec<Seal> {
        let headers: Vec<Header> = jobs
            .into_iter()
            .map(|(oid, gpgsig)| match gpgsig {
                Gpgsig::NotRead => repo.signature(oid),
                Gpgsig::Unsigned => None,
                Gpgsig::Signed(pair) => Some(*pair),
            })
            .collect();
        verifier.verify(&headers, &self.openpgp)
    }
}
