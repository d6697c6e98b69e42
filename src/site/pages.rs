//! The site's pages: which are built, in which order, and how each reaches the rendering
//! workers and the search index. Each page kind builds its typed context in its own module.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

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
mod dashboard;
mod documents;
mod evidence;
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
    search: Vec<Value>,
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
            search: Vec::new(),
            coverage: coverage::of(isms, options.today),
            maturity,
        }
    }

    pub fn finish(mut self) -> SiteFiles {
        self.search.sort_by(|a, b| {
            (a["k"].as_str(), a["t"].as_str()).cmp(&(b["k"].as_str(), b["t"].as_str()))
        });
        let index = serde_json::to_string(&self.search)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        self.files.insert(
            "assets/search-index.js".into(),
            format!("window.ISMS_INDEX = {index};\n").into_bytes(),
        );
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
        self.documents()?;
        self.audits()?;
        self.findings()?;
        self.management_reviews()?;
        self.objectives()?;
        self.incidents()?;
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
        page: Value,
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

    fn index(&mut self, kind: &str, title: String, url: String) {
        self.search.push(json!({"k": kind, "t": title, "u": url}));
    }

    /// Indexes an object with the words of its row (owner, area, status, references...), so
    /// the search finds it by more than its title.
    fn index_object(&mut self, kind: &str, title: String, url: String, row: &Value) {
        let words = search_words(row, &title);
        self.search
            .push(json!({"k": kind, "t": title, "u": url, "x": words}));
    }
}

/// The words an object can be found by besides its title: every text of its row but links,
/// rendered HTML and check results, each word once, at most a few hundred characters.
fn search_words(row: &Value, title: &str) -> String {
    const SKIP: [&str; 5] = ["url", "anchor", "html", "diagnostics", "known"];
    const LIMIT: usize = 600;
    fn walk<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
        match v {
            Value::String(s) => out.push(s),
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Object(map) => map
                .iter()
                .filter(|(k, _)| !SKIP.contains(&k.as_str()))
                .for_each(|(_, v)| walk(v, out)),
            _ => {}
        }
    }
    let mut texts = Vec::new();
    walk(row, &mut texts);
    let title = title.to_lowercase();
    let mut seen = BTreeSet::new();
    let mut words = String::new();
    for word in texts.iter().flat_map(|t| t.split_whitespace()) {
        let lower = word.to_lowercase();
        if words.len() + word.len() >= LIMIT {
            break;
        }
        if title.contains(&lower) || !seen.insert(lower) {
            continue;
        }
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::search_words;
    use serde_json::json;

    #[test]
    fn search_words_skip_links_html_checks_and_title_words() {
        let row = json!({
            "title": "Access Control Policy",
            "owner": {"name": "Frank Delacroix", "url": "people.html#p-frank", "known": true},
            "html": "<p>body</p>",
            "diagnostics": [{"message": "DOC004 stale"}],
            "controls": [{"id": "A.5.15"}, {"id": "A.5.15"}],
            "version": 2,
        });
        assert_eq!(
            search_words(&row, "POL-ACCESS Access Control Policy"),
            "A.5.15 Frank Delacroix"
        );
        let long = json!({"text": "word ".repeat(10) + &"x".repeat(700)});
        assert!(search_words(&long, "").len() <= 600);
    }
}
