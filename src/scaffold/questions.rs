//! The question bank: a suggested audit question and method for every requirement clause and
//! Annex A control (`questions.toml`).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::model::Method;

#[derive(Clone, Debug, Deserialize)]
pub struct Question {
    pub method: Method,
    pub question: String,
}

static BANK: LazyLock<BTreeMap<String, Question>> = LazyLock::new(|| {
    // Embedded and covered by tests: a failure here is a build defect.
    toml::from_str(include_str!("questions.toml"))
        .unwrap_or_else(|e| panic!("embedded question bank is invalid: {e}"))
});

/// The suggested question for a clause (`9.2.2`) or control (`A.5.15`).
pub fn question(reference: &str) -> Option<&'static Question> {
    BANK.get(reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::iso27001;

    #[test]
    fn every_control_and_requirement_clause_has_a_question() {
        let cat = iso27001();
        for c in &cat.controls {
            assert!(question(&c.id).is_some(), "{}", c.id);
        }
        for c in cat.requirement_clauses() {
            assert!(question(&c.id).is_some(), "{}", c.id);
        }
        assert_eq!(BANK.len(), 93 + cat.requirement_clauses().count());
        let document_review = BANK
            .values()
            .filter(|q| q.method == Method::DocumentReview)
            .count();
        assert!(
            document_review * 3 < BANK.len(),
            "mostly implementation tests"
        );
    }
}
