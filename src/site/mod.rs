//! `isms build`: the static audit site. The model and the check's outcome become typed page
//! contexts here; embedded minijinja templates (overridable from `.isms/templates/`)
//! turn them into HTML. Markdown goes through [`markdown`], the output folder through
//! [`output`]. Everything is sorted, so the same input gives byte-identical output.

pub mod coverage;
mod macros;
pub mod markdown;
pub mod output;
mod pages;
mod templates;
mod worker;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::check::Outcome;
use crate::model::Date;
use crate::workspace::Workspace;

/// How to build.
pub struct Options {
    pub out: PathBuf,
    pub today: Date,
    /// Whether `today` was given (`--today` / `ISMS_TODAY`): only then is it printed on pages,
    /// so a build without it stays identical from day to day for the same ages.
    pub show_today: bool,
}

/// What a build wrote.
#[derive(Debug, Default)]
pub struct Stats {
    pub pages: usize,
    pub assets: usize,
    pub files_copied: usize,
}

/// Why the site could not be built.
#[derive(Debug)]
pub struct BuildError(pub String);

impl From<output::Refused> for BuildError {
    fn from(r: output::Refused) -> Self {
        BuildError(r.0)
    }
}

/// The site's files, in memory: relative path -> content. A map, so writing is ordered.
pub type SiteFiles = BTreeMap<String, Vec<u8>>;

/// Renders the site of a checked ISMS into memory.
pub fn render(
    workspace: &Workspace,
    outcome: &Outcome,
    options: &Options,
) -> Result<SiteFiles, BuildError> {
    let overrides = templates_folder(&workspace.root)?;
    let env = templates::environment(&overrides);
    let contents = match outcome.history {
        Some(_) => crate::history::Contents::open(workspace),
        None => None,
    };
    let maturity = pages::Timeline::of(&outcome.isms, outcome.history.as_ref(), contents.as_ref());
    let common = common(outcome, options, !maturity.is_empty(&outcome.isms));
    std::thread::scope(|scope| {
        let progress =
            crate::progress::spinner("{spinner} building the site: {pos} pages, {elapsed}");
        let (jobs, workers) = worker::start(scope, env, &overrides, common, progress.clone());
        let mut site = pages::Site::new(workspace, outcome, options, jobs, contents, maturity);
        let built = site.all();
        let mut files = site.finish();
        let rendered = workers.finish();
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
        // A worker's error first: when the workers stop, the main thread only learns that.
        files.extend(rendered?);
        built?;
        Ok(files)
    })
}

/// `.isms/templates`, where overrides live; refused when it or `.isms` is a symbolic link, so
/// no template from outside the ISMS is ever used.
fn templates_folder(root: &Path) -> Result<PathBuf, BuildError> {
    let settings = root.join(".isms");
    let templates = settings.join("templates");
    for folder in [&settings, &templates] {
        if std::fs::symlink_metadata(folder).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(BuildError(format!(
                "{} is a symbolic link: refusing to read templates through it, as they could come from outside the ISMS (replace the link by a folder)",
                folder.display()
            )));
        }
    }
    Ok(templates)
}

/// What every page shows as `site`: the organisation, the check's totals, today when given,
/// and which of the pages that exist only when there is something to show were built.
#[derive(Serialize)]
struct SiteContext {
    org: String,
    scope: String,
    today: Option<String>,
    errors: usize,
    warnings: usize,
    infos: usize,
    git: bool,
    frameworks: bool,
    internal_controls: bool,
    reviews: bool,
    objectives: bool,
    incidents: bool,
    exceptions: bool,
    maturity: bool,
    /// Whether records' authors are proven by signatures or asserted by emails.
    identity: &'static str,
}

fn common(outcome: &Outcome, options: &Options, maturity: bool) -> minijinja::Value {
    let summary = outcome.summary();
    let isms = &outcome.isms;
    let (org, scope) = isms
        .config
        .as_ref()
        .map_or((String::from("ISMS"), String::new()), |c| {
            (
                c.organisation.name.to_string(),
                c.organisation.scope.to_string(),
            )
        });
    let site = SiteContext {
        org,
        scope,
        today: options.show_today.then(|| options.today.to_string()),
        errors: summary.errors,
        warnings: summary.warnings,
        infos: summary.infos,
        git: outcome.history.is_some(),
        frameworks: !isms.frameworks.is_empty(),
        internal_controls: !isms.internal_controls.is_empty(),
        reviews: !isms.management_reviews.is_empty(),
        objectives: !isms.objectives.is_empty(),
        incidents: !isms.incidents.is_empty(),
        exceptions: !isms.exceptions.is_empty(),
        maturity,
        identity: if outcome.history.is_some() {
            crate::signing::identity(isms)
        } else {
            "asserted"
        },
    };
    minijinja::Value::from_serialize(&site)
}

/// The embedded text of a template or asset, to start an override from.
pub fn embedded_template(name: &str) -> Option<&'static str> {
    templates::EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The names of the embedded templates and assets.
pub fn template_names() -> impl Iterator<Item = &'static str> {
    templates::EMBEDDED.iter().map(|(name, _)| *name)
}

/// Builds the site into `options.out`: prepares the folder (refusing one that is not a site)
/// and writes every page, asset and linked evidence file.
pub fn build(
    workspace: &Workspace,
    outcome: &Outcome,
    options: &Options,
) -> Result<Stats, BuildError> {
    refuse_enclosing(&options.out, &workspace.root)?;
    let files = render(workspace, outcome, options)?;
    write(&options.out, &files)
}

/// Refuses an output folder that is the ISMS root or holds it: emptying it would delete the ISMS.
fn refuse_enclosing(out: &Path, root: &Path) -> Result<(), BuildError> {
    let (Ok(out_real), Ok(root_real)) = (out.canonicalize(), root.canonicalize()) else {
        return Ok(()); // an output folder that does not exist yet holds nothing
    };
    if root_real.starts_with(&out_real) {
        return Err(BuildError(format!(
            "the output folder {} is the ISMS folder or holds it: refusing to write the site there (choose another --out, such as {})",
            out.display(),
            root.join("_site").display()
        )));
    }
    Ok(())
}

/// Writes rendered files below `out`, after [`output::prepare`].
pub fn write(out: &Path, files: &SiteFiles) -> Result<Stats, BuildError> {
    output::prepare(out)?;
    let mut stats = Stats::default();
    for (rel, bytes) in files {
        output::write(out, rel, bytes)
            .map_err(|e| BuildError(format!("cannot write {}: {e}", out.join(rel).display())))?;
        if rel.ends_with(".html") {
            stats.pages += 1;
        } else if rel.starts_with("files/") {
            stats.files_copied += 1;
        } else {
            stats.assets += 1;
        }
    }
    Ok(stats)
}

/// A file name for an id: ids are free text, so anything but `[A-Za-z0-9._-]` becomes `_`,
/// and a leading dot is escaped, so no id can leave its folder or hide its page.
pub fn slug(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.starts_with('.') {
        s.insert(0, '_');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_stay_in_their_folder() {
        assert_eq!(slug("A.5.15"), "A.5.15");
        assert_eq!(slug("../etc/passwd"), "_.._etc_passwd");
        assert_eq!(slug(".hidden"), "_.hidden");
        assert_eq!(slug(""), "_");
    }
}
