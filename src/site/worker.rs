//! Pages rendered on worker threads: the main thread gathers each page's typed context
//! (history, diffs, references) while one worker per core turns it into a template value and
//! then into HTML, Markdown included.

use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::{Scope, ScopedJoinHandle};

use indicatif::ProgressBar;
use minijinja::{Environment, Value as Tv, context};
use serde::Serialize;

use super::{BuildError, SiteFiles};

/// A page's context, made into a template value by the worker that renders the page: the
/// typed context goes to the worker as it is, with no intermediate JSON tree.
type Context = Box<dyn FnOnce() -> Tv + Send>;

/// One file to render: a page (with its context) or an asset (without).
pub(super) struct Job {
    template: &'static str,
    /// Relative path with `/`.
    path: String,
    nav: &'static str,
    page: Option<Context>,
}

/// A page whose `html` is Markdown rendered on the worker (documents: the costliest part of a
/// page, so it is not done on the main thread).
#[derive(Serialize)]
struct WithHtml<T> {
    #[serde(flatten)]
    page: T,
    html: String,
}

impl Job {
    /// Where the page or asset is written, relative, with `/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn page<T>(template: &'static str, path: &str, nav: &'static str, page: T) -> Job
    where
        T: Serialize + Send + 'static,
    {
        Job {
            template,
            path: path.to_string(),
            nav,
            page: Some(Box::new(move || Tv::from_serialize(&page))),
        }
    }

    /// A page with `markdown` rendered (and sanitised) into its `html`.
    pub fn document<T>(
        template: &'static str,
        path: &str,
        nav: &'static str,
        page: T,
        markdown: &str,
    ) -> Job
    where
        T: Serialize + Send + 'static,
    {
        let markdown = markdown.to_string();
        Job {
            template,
            path: path.to_string(),
            nav,
            page: Some(Box::new(move || {
                let html = super::markdown::render(&markdown);
                Tv::from_serialize(&WithHtml { page, html })
            })),
        }
    }

    pub fn asset(template: &'static str, path: &str) -> Job {
        Job {
            template,
            path: path.to_string(),
            nav: "",
            page: None,
        }
    }
}

/// Where jobs go; dropping it tells the workers no more will come.
pub(super) type Jobs = SyncSender<Job>;

/// Jobs waiting at most: the main thread waits rather than holding every page in memory.
const QUEUE: usize = 256;

/// The running workers.
pub(super) struct Workers<'scope>(Vec<ScopedJoinHandle<'scope, Result<SiteFiles, BuildError>>>);

/// Starts one worker per available core within `scope`; they end once every [`Jobs`] sender
/// is dropped.
pub(super) fn start<'scope>(
    scope: &'scope Scope<'scope, '_>,
    env: Environment<'static>,
    overrides: &Path,
    common: Tv,
    progress: Option<ProgressBar>,
) -> (Jobs, Workers<'scope>) {
    let (jobs, queue) = sync_channel(QUEUE);
    let queue = Arc::new(Mutex::new(queue));
    let count = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8));
    let workers = (0..count)
        .map(|_| {
            let (env, common, queue) = (env.clone(), common.clone(), Arc::clone(&queue));
            let (overrides, progress) = (overrides.to_path_buf(), progress.clone());
            scope.spawn(move || {
                let renderer = Renderer {
                    env: &env,
                    overrides: &overrides,
                    common: &common,
                };
                renderer.render_all(&queue, progress.as_ref())
            })
        })
        .collect();
    (jobs, Workers(workers))
}

impl Workers<'_> {
    /// Waits for every worker: all the rendered files, or the first template error.
    pub(super) fn finish(self) -> Result<SiteFiles, BuildError> {
        let mut files = SiteFiles::new();
        let mut failed = None;
        for worker in self.0 {
            match worker.join() {
                Ok(Ok(rendered)) => files.extend(rendered),
                Ok(Err(e)) => failed = failed.or(Some(e)),
                Err(_) => {
                    failed = failed.or(Some(BuildError("a rendering thread panicked".into())))
                }
            }
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(files),
        }
    }
}

/// What a worker renders with.
struct Renderer<'a> {
    env: &'a Environment<'static>,
    /// The folder of the user's templates, named in errors when the failing one is theirs.
    overrides: &'a Path,
    common: &'a Tv,
}

impl Renderer<'_> {
    fn render_all(
        &self,
        queue: &Mutex<Receiver<Job>>,
        progress: Option<&ProgressBar>,
    ) -> Result<SiteFiles, BuildError> {
        let mut files = SiteFiles::new();
        let mut failed = None;
        loop {
            // The lock is held only to take the next job; a poisoned lock means another worker
            // panicked, which `finish` reports.
            let next = match queue.lock() {
                Ok(queue) => queue.recv(),
                Err(_) => break,
            };
            let Ok(job) = next else { break };
            if failed.is_some() {
                continue; // keep draining so the sender never fails while the build goes on
            }
            let path = job.path.clone();
            match self.render(job) {
                Ok(text) => {
                    files.insert(path, text.into_bytes());
                    if let Some(bar) = progress {
                        bar.inc(1);
                    }
                }
                Err(e) => failed = Some(e),
            }
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(files),
        }
    }

    fn render(&self, job: Job) -> Result<String, BuildError> {
        let template = job.template;
        let is_page = job.page.is_some();
        let rendered = self
            .env
            .get_template(template)
            .and_then(|t| match job.page {
                None => t.render(()),
                Some(page) => {
                    let depth = job.path.matches('/').count();
                    t.render(context! {
                        root => "../".repeat(depth),
                        nav => job.nav,
                        site => self.common.clone(),
                        page => page(),
                    })
                }
            });
        rendered.map_err(|e| {
        let mut message = if is_page {
            format!("template {template} ({}): {e:#}", job.path)
        } else {
            format!("template {template}: {e:#}")
        };
        let overridden = self.overrides.join(template);
        if overridden.is_file() {
            message.push_str(&format!(
                "\n  help: {template} is your override {}: fix it, or delete it to use the built-in one (`isms build --print-template {template}` prints it)",
                overridden.display()
            ));
        }
        BuildError(message)
    })
    }
}
