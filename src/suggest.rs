//! "Did you mean" for misspelled field names, codes and ids.

/// The candidate closest to `input`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&input_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The closest path, judged by edit distance: paths share long prefixes (`evidence/...`),
/// which make name similarity measures see likeness where there is none.
pub fn did_you_mean_path<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_levenshtein(input, c), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// ", did you mean `x`?" or nothing.
pub fn hint<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_close_names_only() {
        assert_eq!(
            did_you_mean("titel", ["title", "owner", "id"]),
            Some("title")
        );
        assert_eq!(
            did_you_mean("R-04", ["R-004", "R-015", "R-022"]),
            Some("R-004")
        );
        assert_eq!(did_you_mean("zzz", ["title", "owner"]), None);
        assert_eq!(did_you_mean("Dave", ["dave", "erin"]), Some("dave"));
        let files = [
            "evidence/ops/backup-2026-10.md",
            "evidence/isms/inventory-2026-09.md",
        ];
        assert_eq!(
            did_you_mean_path("evidence/ops/backup-2026-01.md", files),
            Some(files[0])
        );
        assert_eq!(
            did_you_mean_path("evidence/ops/pentest-2026.md", files),
            None
        );
    }
}
