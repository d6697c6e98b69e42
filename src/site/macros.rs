//! The hottest macros of `macros.html` (`person`, `people`, `ref`, `refs`, `titled`, `badge`,
//! `area`) written in Rust: template macro calls were a tenth of the site's rendering. Used only
//! by the embedded page templates, and only while `macros.html` itself is not overridden, so a
//! user's `macros.html`, or a user's page template, still renders through the template macros;
//! both paths give the same HTML (tested on the example ISMS).

use std::sync::Arc;

use minijinja::value::{Object, Value};
use minijinja::{Error, ErrorKind, State};

use super::templates::write_escaped;

/// The global the embedded templates call the Rust macros through.
pub(super) const GLOBAL: &str = "isms_macros";

/// The macros of `macros.html` that [`RustMacros`] renders.
const RENDERED: &[&str] = &["person", "people", "ref", "refs", "titled", "badge", "area"];

/// Rewrites an embedded template's calls `m.NAME(` of the macros in [`RENDERED`] to the Rust
/// ones; the template keeps importing `macros.html` as `m` for the others.
pub(super) fn use_rust_macros(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find("m.") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let standalone = !out
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
        let call = RENDERED.iter().find(|name| {
            from[2..]
                .strip_prefix(**name)
                .is_some_and(|after| after.starts_with('('))
        });
        match call {
            Some(name) if standalone => {
                out.push_str(GLOBAL);
                out.push('.');
                out.push_str(name);
                rest = &from[2 + name.len()..];
            }
            _ => {
                out.push_str("m.");
                rest = &from[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The Rust macros, as one template object whose methods are the macros.
#[derive(Debug)]
pub(super) struct RustMacros;

impl Object for RustMacros {
    fn call_method(
        self: &Arc<Self>,
        state: &State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        let root = state.lookup("root").unwrap_or(Value::UNDEFINED);
        let html = Html { root: &root };
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::UNDEFINED);
        let mut out = String::new();
        match method {
            "person" => html.person(&mut out, &arg(0)),
            "people" => html.list(&mut out, &arg(0), Html::person),
            "ref" => html.reference(&mut out, &arg(0), &arg(1)),
            "refs" => html.list(&mut out, &arg(0), |h, o, r| {
                h.reference(o, r, &Value::UNDEFINED)
            }),
            "titled" => html.titled(&mut out, &arg(0)),
            "badge" => html.badge(&mut out, &arg(0)),
            "area" => html.area(&mut out, &arg(0)),
            _ => return Err(Error::from(ErrorKind::UnknownMethod)),
        }
        .map_err(|_| Error::new(ErrorKind::WriteFailure, "cannot write the page"))?;
        Ok(Value::from_safe_string(out))
    }
}

/// Renders the macros as `macros.html` does, byte for byte.
struct Html<'a> {
    root: &'a Value,
}

type Written = std::fmt::Result;

const NOBODY: &str = "<span class=\"muted\">—</span>";

/// An attribute of a value; undefined when it has none.
fn attr(v: &Value, name: &str) -> Value {
    v.get_attr(name).unwrap_or(Value::UNDEFINED)
}

/// `a or b`.
fn or(a: Value, b: Value) -> Value {
    if a.is_true() { a } else { b }
}

/// `{{ v }}` in an auto-escaped template, with the site's formatter.
fn put(out: &mut String, v: &Value) -> Written {
    if v.is_undefined() {
        return Ok(());
    }
    if v.is_safe() {
        out.push_str(&v.to_string());
        return Ok(());
    }
    match v.as_str() {
        Some(text) => write_escaped(out, text),
        None => write_escaped(out, &v.to_string()),
    }
}

impl Html<'_> {
    /// `<a href="{{ root }}{{ url }}"`
    fn href(&self, out: &mut String, url: &Value) -> Written {
        out.push_str("<a href=\"");
        put(out, self.root)?;
        put(out, url)?;
        out.push('"');
        Ok(())
    }

    fn person(&self, out: &mut String, p: &Value) -> Written {
        if !p.is_true() {
            out.push_str(NOBODY);
        } else if attr(p, "known").is_true() {
            self.href(out, &attr(p, "url"))?;
            out.push('>');
            put(out, &attr(p, "name"))?;
            out.push_str("</a>");
        } else {
            out.push_str("<span class=\"unknown\" title=\"not in people.toml\">");
            put(out, &attr(p, "name"))?;
            out.push_str("</span>");
        }
        Ok(())
    }

    /// `{% for x in list %}{{ each(x) }}{% if not loop.last %}, {% endif %}{% else %}—{% endfor %}`
    fn list(
        &self,
        out: &mut String,
        list: &Value,
        each: impl Fn(&Self, &mut String, &Value) -> Written,
    ) -> Written {
        let mut any = false;
        if let Ok(items) = list.try_iter() {
            for item in items {
                if any {
                    out.push_str(", ");
                }
                any = true;
                each(self, out, &item)?;
            }
        }
        if !any {
            out.push_str(NOBODY);
        }
        Ok(())
    }

    fn reference(&self, out: &mut String, r: &Value, label: &Value) -> Written {
        let shown = || or(label.clone(), attr(r, "id"));
        let url = attr(r, "url");
        if url.is_true() {
            self.href(out, &url)?;
            let title = attr(r, "title");
            if title.is_true() {
                out.push_str(" title=\"");
                put(out, &title)?;
                out.push('"');
            }
            out.push('>');
            put(out, &shown())?;
            out.push_str("</a>");
            if attr(r, "draft").is_true() {
                out.push(' ');
                self.badge(out, &Value::from("draft"))?;
            }
        } else if attr(r, "clause").is_true() {
            out.push_str("<span class=\"clause\" title=\"");
            put(out, &or(attr(r, "title"), Value::from("")))?;
            out.push_str("\">");
            put(out, &shown())?;
            out.push_str("</span>");
        } else {
            out.push_str("<span class=\"unknown\" title=\"unknown\">");
            put(out, &shown())?;
            out.push_str("</span>");
        }
        Ok(())
    }

    fn titled(&self, out: &mut String, list: &Value) -> Written {
        if !list.is_true() {
            out.push_str("<p class=\"muted\">None.</p>");
            return Ok(());
        }
        out.push_str("<ul class=\"plain\">");
        if let Ok(items) = list.try_iter() {
            for r in items {
                out.push_str("<li>");
                self.reference(out, &r, &Value::UNDEFINED)?;
                let title = attr(&r, "title");
                if title.is_true() {
                    out.push_str(" <span class=\"muted\">");
                    put(out, &title)?;
                    out.push_str("</span>");
                }
                let status = attr(&r, "status");
                if status.is_true() {
                    out.push(' ');
                    self.badge(out, &status)?;
                }
                out.push_str("</li>");
            }
        }
        out.push_str("</ul>");
        Ok(())
    }

    /// `<span class="badge b-{{ s|replace(' ', '-') }}">{{ s }}</span>`
    fn badge(&self, out: &mut String, s: &Value) -> Written {
        let text = if s.is_undefined() {
            String::new()
        } else {
            s.to_string()
        };
        out.push_str("<span class=\"badge b-");
        write_escaped(out, &text.replace(' ', "-"))?;
        out.push_str("\">");
        put(out, s)?;
        out.push_str("</span>");
        Ok(())
    }

    fn area(&self, out: &mut String, a: &Value) -> Written {
        if !a.is_true() {
            out.push_str(NOBODY);
            return Ok(());
        }
        let url = attr(a, "url");
        if url.is_true() {
            self.href(out, &url)?;
            out.push('>');
            put(out, &attr(a, "name"))?;
            out.push_str("</a>");
        } else {
            out.push_str("<span class=\"unknown\">");
            put(out, &attr(a, "id"))?;
            out.push_str("</span>");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_standalone_calls_of_the_rendered_macros_are_rewritten() {
        let text = "{{ m.person(a) }} {{ m.refs(x) }} {{ m.ref(r) }} {{ m.stacked(b) }} \
                    {{ item.person(p) }} {{ mm.badge(s) }} {{ m.person }} {{ m.diagnostics(d) }}";
        assert_eq!(
            use_rust_macros(text),
            "{{ isms_macros.person(a) }} {{ isms_macros.refs(x) }} {{ isms_macros.ref(r) }} \
             {{ m.stacked(b) }} {{ item.person(p) }} {{ mm.badge(s) }} {{ m.person }} \
             {{ m.diagnostics(d) }}"
        );
    }
}
