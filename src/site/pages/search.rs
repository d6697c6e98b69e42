//! The search index: every page and object by its kind, title and address, and an object by
//! the words of its row too, written as a script the site's search box reads.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use super::Site;

/// The entries, in the order the pages were built until [`Index::script`] sorts them.
#[derive(Default)]
pub(super) struct Index(Vec<Entry>);

/// One thing the search finds: kind, title, address and more words to find it by.
#[derive(Serialize)]
struct Entry {
    k: String,
    t: String,
    u: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    x: Option<String>,
}

impl Index {
    /// `assets/search-index.js`: the entries by kind and title, as a script that sets
    /// `window.ISMS_INDEX` (no `<`, so no text in it can end the script).
    pub fn script(mut self) -> Vec<u8> {
        self.0.sort_by(|a, b| (&a.k, &a.t).cmp(&(&b.k, &b.t)));
        let index = serde_json::to_string(&self.0)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        format!("window.ISMS_INDEX = {index};\n").into_bytes()
    }
}

impl Site<'_> {
    pub(super) fn index(&mut self, kind: &str, title: String, url: String) {
        self.search.0.push(Entry {
            k: kind.to_string(),
            t: title,
            u: url,
            x: None,
        });
    }

    /// Indexes an object with the words of its row (owner, area, status, references...), so
    /// the search finds it by more than its title.
    pub(super) fn index_object(&mut self, kind: &str, title: String, url: String, row: &Value) {
        let words = search_words(row, &title);
        self.search.0.push(Entry {
            k: kind.to_string(),
            t: title,
            u: url,
            x: Some(words),
        });
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
