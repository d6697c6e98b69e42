//! The embedded templates and assets, each overridable by a file of the same name in
//! `PATH/.isms/templates/` (a regular file: symlinks are not followed).

use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, Error, ErrorKind, Value};

use super::macros;

/// Name -> embedded text. Templates ending in `.html` are auto-escaped.
pub(super) const EMBEDDED: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("index.html", include_str!("templates/index.html")),
    ("soa.html", include_str!("templates/soa.html")),
    ("control.html", include_str!("templates/control.html")),
    (
        "internal-controls.html",
        include_str!("templates/internal-controls.html"),
    ),
    (
        "internal-control.html",
        include_str!("templates/internal-control.html"),
    ),
    ("risks.html", include_str!("templates/risks.html")),
    ("documents.html", include_str!("templates/documents.html")),
    ("document.html", include_str!("templates/document.html")),
    ("audits.html", include_str!("templates/audits.html")),
    ("audit.html", include_str!("templates/audit.html")),
    ("findings.html", include_str!("templates/findings.html")),
    ("finding.html", include_str!("templates/finding.html")),
    ("areas.html", include_str!("templates/areas.html")),
    ("area.html", include_str!("templates/area.html")),
    ("people.html", include_str!("templates/people.html")),
    ("team.html", include_str!("templates/team.html")),
    ("rules.html", include_str!("templates/rules.html")),
    ("frameworks.html", include_str!("templates/frameworks.html")),
    ("framework.html", include_str!("templates/framework.html")),
    ("charts.html", include_str!("templates/charts.html")),
    ("reviews.html", include_str!("templates/reviews.html")),
    ("review.html", include_str!("templates/review.html")),
    ("objectives.html", include_str!("templates/objectives.html")),
    ("incidents.html", include_str!("templates/incidents.html")),
    ("exceptions.html", include_str!("templates/exceptions.html")),
    ("maturity.html", include_str!("templates/maturity.html")),
    ("style.css", include_str!("templates/style.css")),
    ("site.js", include_str!("templates/site.js")),
];

/// Whether `name` is overridden by a file in the overrides folder.
fn overridden(overrides: &Path, name: &str) -> bool {
    std::fs::symlink_metadata(overrides.join(name)).is_ok_and(|meta| meta.is_file())
}

/// The text of a template: the override when there is one, else the embedded one (calling the
/// Rust macros when `rust_macros`).
fn source(overrides: &Path, name: &str, rust_macros: bool) -> Result<Option<String>, Error> {
    let Some(embedded) = super::embedded_template(name) else {
        return Ok(None);
    };
    let path = overrides.join(name);
    if overridden(overrides, name) {
        return std::fs::read_to_string(&path).map(Some).map_err(|e| {
            Error::new(
                ErrorKind::TemplateNotFound,
                format!("cannot read {}: {e}", path.display()),
            )
        });
    }
    Ok(Some(if rust_macros && name != "macros.html" {
        macros::use_rust_macros(embedded)
    } else {
        embedded.to_string()
    }))
}

/// The template environment, with the site's filters.
pub fn environment(overrides: &Path) -> Environment<'static> {
    environment_with(overrides, !overridden(overrides, "macros.html"))
}

/// [`environment`], with the embedded templates calling the Rust macros or not.
pub(super) fn environment_with(overrides: &Path, rust_macros: bool) -> Environment<'static> {
    let mut env = Environment::new();
    let overrides: PathBuf = overrides.to_path_buf();
    env.set_loader(move |name| source(&overrides, name, rust_macros));
    if rust_macros {
        env.add_global(macros::GLOBAL, Value::from_object(macros::RustMacros));
    }
    env.set_formatter(format);
    env.set_trim_blocks(true);
    env.set_keep_trailing_newline(true);
    env.set_lstrip_blocks(true);
    env.add_filter("slug", |s: String| super::slug(&s));
    env.add_filter("pct", |n: f64, d: f64| {
        if d <= 0.0 {
            0.0
        } else {
            (n * 1000.0 / d).round() / 10.0
        }
    });
    env.add_filter("fixed", |n: f64| format!("{n:.1}"));
    env.add_filter("tojs", |v: Value| -> Result<String, Error> {
        serde_json::to_string(&v)
            .map(|s| {
                s.replace('<', "\\u003c")
                    .replace('>', "\\u003e")
                    .replace('&', "\\u0026")
            })
            .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))
    });
    env
}

/// HTML-escapes `&<>"'` only (minijinja's default also escapes `/`, which makes every link
/// `..&#x2f;x.html`: valid, but unreadable in the source and in tests).
fn format(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), Error> {
    if !matches!(state.auto_escape(), AutoEscape::Html) || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    if value.is_undefined() {
        return Ok(());
    }
    let written = match value.as_str() {
        Some(text) => write_escaped(out, text),
        None => write_escaped(out, &value.to_string()),
    };
    written.map_err(|_| Error::new(ErrorKind::WriteFailure, "cannot write the page"))
}

/// Writes `text` with `&<>"'` escaped, copying the runs between them in one piece.
pub(super) fn write_escaped(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[start..i])?;
        out.write_str(entity)?;
        start = i + 1;
    }
    out.write_str(&text[start..])
}

#[cfg(test)]
mod tests {
    use minijinja::context;

    #[test]
    fn html_templates_escape_values_and_keep_slashes() {
        let mut env = super::environment(std::path::Path::new("/nonexistent"));
        env.add_template("t.html", "{{ s }}|{{ n }}|{{ h|safe }}")
            .unwrap();
        let out = env
            .get_template("t.html")
            .unwrap()
            .render(context! { s => "<a href=\"x/y\">'&'</a>", n => 3, h => "<b>" })
            .unwrap();
        assert_eq!(
            out,
            "&lt;a href=&quot;x/y&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;|3|<b>"
        );
    }
}
