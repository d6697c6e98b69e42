//! The framework packs built into the binary, written by this project from the public legal
//! texts (GDPR, the HIPAA Security Rule, NIS2 and the EU MDR with MDCG 2019-16).

use std::sync::LazyLock;

use super::Pack;

const SOURCES: [(&str, &str); 4] = [
    ("gdpr", include_str!("packs/gdpr.toml")),
    ("hipaa-security", include_str!("packs/hipaa-security.toml")),
    ("nis2", include_str!("packs/nis2.toml")),
    (
        "eu-mdr-cybersecurity",
        include_str!("packs/eu-mdr-cybersecurity.toml"),
    ),
];

static PACKS: LazyLock<Vec<Pack>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(name, text)| {
            // The packs are part of the binary and covered by tests; a failure is a build defect.
            toml::from_str(text)
                .unwrap_or_else(|e| panic!("built-in framework pack `{name}` is invalid: {e}"))
        })
        .collect()
});

/// The names of the built-in packs, in a stable order.
pub fn names() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(name, _)| *name)
}

/// A built-in pack by name.
pub fn pack(name: &str) -> Option<&'static Pack> {
    PACKS.iter().find(|p| p.name.as_str() == name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::catalog;

    #[test]
    fn every_builtin_pack_is_valid_and_cites_every_requirement() {
        let iso = catalog::iso27001();
        for name in names() {
            let pack = pack(name).expect("the pack parses");
            assert_eq!(pack.name.as_str(), name);
            assert!(pack.source.is_some(), "{name} names its legal source");
            let mut ids = BTreeSet::new();
            for r in &pack.requirements {
                assert!(ids.insert(r.id.as_str()), "{name}: {} twice", r.id.as_str());
                assert!(
                    !r.citation.is_empty(),
                    "{name}: {} has a citation",
                    r.id.as_str()
                );
                assert!(!r.title.is_empty());
                assert!(
                    !r.controls.is_empty() || !r.clauses.is_empty(),
                    "{name}: {} maps to something",
                    r.id.as_str()
                );
                for c in &r.controls {
                    assert!(iso.control(c.as_str()).is_some(), "{name}: {}", c.as_str());
                }
                for c in &r.clauses {
                    let clause = iso.clause(c.as_str());
                    assert!(
                        clause.is_some_and(|c| c.requirement),
                        "{name}: {}",
                        c.as_str()
                    );
                }
            }
        }
    }

    fn citations(name: &str) -> Vec<&'static str> {
        let pack = pack(name).unwrap();
        pack.requirements
            .iter()
            .map(|r| r.citation.as_str())
            .collect()
    }

    #[test]
    fn the_packs_cover_the_provisions_they_promise() {
        let gdpr = citations("gdpr").join(" | ");
        for article in [
            "Art. 5(1)(f)",
            "Art. 24(1)",
            "Art. 25(1)",
            "Art. 28(1)",
            "Art. 30(1)",
            "Art. 32(1)(a)",
            "Art. 32(1)(b)",
            "Art. 32(1)(c)",
            "Art. 32(1)(d)",
            "Art. 33(1)",
            "Art. 34(1)",
            "Art. 35(1)",
            "Art. 37(1)",
            "Art. 38(1)",
            "Art. 39(1)",
        ] {
            assert!(gdpr.contains(article), "GDPR {article}");
        }
        let nis2 = citations("nis2");
        for letter in 'a'..='j' {
            let citation = format!("NIS2 Art. 21(2)({letter})");
            assert!(nis2.contains(&citation.as_str()), "{citation}");
        }
        assert!(nis2.iter().any(|c| c.starts_with("NIS2 Art. 23")));
        let mdr = citations("eu-mdr-cybersecurity").join(" | ");
        for part in ["Annex I 17.2", "Annex I 17.4", "MDCG 2019-16"] {
            assert!(mdr.contains(part), "MDR {part}");
        }
        let hipaa = pack("hipaa-security").unwrap();
        for section in ["164.308", "164.310", "164.312", "164.314", "164.316"] {
            assert!(
                hipaa
                    .requirements
                    .iter()
                    .any(|r| r.citation.contains(section)),
                "{section}"
            );
        }
        // Every HIPAA entry says whether it is required or addressable, as the rule does.
        assert!(hipaa.requirements.iter().all(|r| r.obligation.is_some()));
        let addressable = hipaa
            .requirements
            .iter()
            .filter(|r| {
                r.obligation
                    .as_ref()
                    .is_some_and(|o| *o.get() == super::super::Obligation::Addressable)
            })
            .count();
        assert!(
            addressable >= 20,
            "{addressable} addressable specifications"
        );
        assert!(
            hipaa
                .requirement("HIPAA-164.312-a-2-iv")
                .is_some_and(|r| r.citation.as_str() == "45 CFR 164.312(a)(2)(iv)")
        );
    }
}
