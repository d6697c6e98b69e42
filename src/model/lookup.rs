//! Id lookups in constant time: an index built on first use, so rules and the site can look
//! up thousands of references without scanning every collection each time.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Positions by id of one collection, built on the first lookup.
#[derive(Debug, Default)]
pub(crate) struct Index(OnceLock<(usize, HashMap<String, usize>)>);

impl Index {
    /// The first item of `items` whose `key` is `id`, like `items.iter().find(..)`.
    ///
    /// The index remembers how many items it was built from; when the collection has changed
    /// since (the loader is still filling it), the answer falls back to a scan, so a lookup is
    /// never wrong, only slower.
    pub(crate) fn find<'a, T>(
        &self,
        items: &'a [T],
        key: impl Fn(&T) -> &str,
        id: &str,
    ) -> Option<&'a T> {
        let (len, positions) = self.0.get_or_init(|| {
            let mut positions = HashMap::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                positions.entry(key(item).to_string()).or_insert(i);
            }
            (items.len(), positions)
        });
        match positions.get(id).and_then(|&i| items.get(i)) {
            Some(item) if *len == items.len() && key(item) == id => Some(item),
            None if *len == items.len() => None,
            _ => items.iter().find(|item| key(item) == id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Index;

    #[test]
    fn finds_the_first_of_duplicates_and_survives_later_pushes() {
        let index = Index::default();
        let mut items = vec!["a", "b", "a"];
        assert_eq!(index.find(&items, |s| s, "b"), Some(&"b"));
        assert!(std::ptr::eq(
            index.find(&items, |s| s, "a").unwrap(),
            &items[0]
        ));
        assert_eq!(index.find(&items, |s| s, "c"), None);
        items.push("c");
        assert_eq!(index.find(&items, |s| s, "c"), Some(&"c"));
        items[1] = "d";
        assert_eq!(index.find(&items, |s| s, "b"), None);
        assert_eq!(index.find(&items, |s| s, "d"), Some(&"d"));
    }
}
