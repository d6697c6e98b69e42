//! The site's pages: which are built, in which order, and how each reaches the rendering
//! workers and the search index. Each page kind builds its typed context in its own module.

use std::collections::BTreeMap;

use serde::Serialize;

use super::coverage::{self, Coverage};
use super::worker::{Job, Jobs};
use super::{BuildError, Options, SiteFiles, markdown, slug};
use crate::check::Outcome;
use crate::history::Resolver;
use crate::model::Isms;
use crate::workspace::Workspace;

use refs::soa_status;

mod areas;
mod audits;
mod changes;
mod chart;
mod checks;
mod controls;
mod dashboard;
mod documents;
mod evidence;
mod exceptions;
mod findings;
mod frameworks;
mod incidents;
mod maturity;
mod objectives;
mod people;
mod refs;
mod reviews;
mod risks;
mod rules;
mod search;
mod soa;
mod teams;

pub(crate) use maturity::Timeline;

pub struct Site<'a> {
    workspace: &'a Workspace,
    outcome: &'a Outcome,
    isms: &'a Isms,
    options: &'a Options,
    jobs: Jobs,
    /// Past versions of files, read through the history module (document diffs, maturity).
    contents: Option<crate::history::Contents>,
    /// Who each commit's identities are, for every page showing history.
    resolver: Resolver<'a>,
    /// Files other than rendered pages: the search index and copied evidence.
    files: SiteFiles,
    /// Every page path sent, by its lower-case form, so no page overwrites another.
    paths: BTreeMap<String, String>,
    /// What the search box finds.
    search: search::Index,
    coverage: Coverage,
    /// Maturity claims and assessments over time, for the maturity and control pages.
    maturity: maturity::Timeline,
}

fn url(dir: &str, id: &str) -> String {
    format!("{dir}/{}.html", slug(id))
}

impl<'a> Site<'a> {
    pub fn new(
        workspace: &'a Workspace,
        outcome: &'a Outcome,
        options: &'a Options,
        jobs: Jobs,
        contents: Option<crate::history::Contents>,
        maturity: Timeline,
    ) -> Self {
        let isms = &outcome.isms;
        Site {
            workspace,
            outcome,
            isms,
            options,
            jobs,
            contents,
            resolver: Resolver::new(isms, outcome.history.as_ref()),
            files: SiteFiles::new(),
            paths: BTreeMap::new(),
            search: search::Index::default(),
            coverage: coverage::of(isms, options.today),
            maturity,
        }
    }

    pub fn finish(mut self) -> SiteFiles {
        self.files
            .insert("assets/search-index.js".into(), self.search.script());
        self.files
    }

    pub fn all(&mut self) -> Result<(), BuildError> {
        for (name, out) in [
            ("style.css", "assets/style.css"),
            ("site.js", "assets/site.js"),
        ] {
            self.send(Job::asset(name, out))?;
        }
        self.dashboard()?;
        let statuses = self.framework_statuses();
        self.soa(&frameworks::by_control(&statuses))?;
        self.frameworks(&statuses)?;
        self.internal_controls()?;
        self.documents()?;
        self.audits()?;
        self.findings()?;
        self.management_reviews()?;
        self.objectives()?;
        self.incidents()?;
        self.exceptions()?;
        self.maturity_page()?;
        self.risks()?;
        self.areas()?;
        self.people()?;
        self.rules()?;
        self.copy_evidence();
        Ok(())
    }

    /// Renders `template` as the page at `path` (relative, with `/`), on a worker.
    fn page(
        &mut self,
        template: &'static str,
        path: &str,
        nav: &'static str,
        page: impl Serialize + Send + 'static,
    ) -> Result<(), BuildError> {
        self.send(Job::page(template, path, nav, page))
    }

    /// Hands a job to the workers, unless its page would overwrite another's: two ids that
    /// differ only in case name one file on case-insensitive file systems (macOS, Windows).
    fn send(&mut self, job: Job) -> Result<(), BuildError> {
        let key = job.path().to_ascii_lowercase();
        if let Some(first) = self.paths.insert(key, job.path().to_string()) {
            return Err(BuildError(format!(
                "two pages would be written to one file: `{first}` and `{}`; rename one of the two objects (`isms check` reports them as LOAD003)",
                job.path()
            )));
        }
        self.jobs
            .send(job)
            .map_err(|_| BuildError("the rendering thread stopped".into()))
    }
}
