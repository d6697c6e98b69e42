//! ISO/IEC 27001:2022 as data: clauses 4-10 and the 93 Annex A controls, embedded in the binary.
//!
//! The data file is a copy of the reference the project verified against the standard; a test
//! keeps the two identical when that reference is beside the repository.

use std::sync::LazyLock;

use serde::Deserialize;

const DATA: &str = include_str!("iso27001-2022.toml");

/// A management-system clause such as `9.2.2`.
#[derive(Clone, Debug, Deserialize)]
pub struct Clause {
    pub id: String,
    pub title: String,
    pub parent: Option<String>,
    pub level: u8,
    /// A leaf clause with "shall" statements, audited on its own.
    pub requirement: bool,
}

/// An Annex A control.
#[derive(Clone, Debug, Deserialize)]
pub struct Control {
    /// `A.5.15`.
    #[serde(rename = "annex_ref")]
    pub id: String,
    pub theme: String,
    pub title: String,
    pub new_in_2022: bool,
    #[serde(default)]
    pub mapped_from_2013: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Theme {
    pub id: String,
    pub key: String,
    pub title: String,
}

/// A row of ISO/IEC 27002:2022 Annex B: a 2013 control and the 2022 controls it became.
#[derive(Clone, Debug, Deserialize)]
pub struct Mapping2013 {
    pub from: String,
    pub from_title: String,
    /// 2022 control numbers without the `A.` prefix, as the reference writes them.
    pub to: Vec<String>,
}

/// The 2022 successors of a 2013 Annex A control.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Successor2013 {
    /// The 2013 id, such as `A.9.2.1`.
    pub from: String,
    /// The 2022 Annex A controls (`A.5.16`); more than one when the control was split.
    pub controls: Vec<String>,
}

impl Successor2013 {
    /// "A.9.2.1 is ISO/IEC 27001:2013; in 2022: A.5.16".
    pub fn sentence(&self) -> String {
        format!(
            "{} is ISO/IEC 27001:2013; in 2022: {}",
            self.from,
            self.controls.join(" and ")
        )
    }
}

#[derive(Debug, Deserialize)]
pub struct Catalog {
    #[serde(rename = "theme")]
    pub themes: Vec<Theme>,
    #[serde(rename = "clause")]
    pub clauses: Vec<Clause>,
    #[serde(rename = "control")]
    pub controls: Vec<Control>,
    #[serde(rename = "mapping_2013")]
    pub mapping_2013: Vec<Mapping2013>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    // The data is part of the binary and covered by tests; a failure here is a build defect.
    toml::from_str(DATA).unwrap_or_else(|e| panic!("embedded ISO 27001 catalogue is invalid: {e}"))
});

/// The ISO/IEC 27001:2022 catalogue.
pub fn iso27001() -> &'static Catalog {
    &CATALOG
}

impl Catalog {
    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id == id)
    }

    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    /// The Annex A control a reference written without its `A.` means (`8.8` for `A.8.8`), when
    /// no clause has that number: "did you mean" for a control written as a clause.
    pub fn control_without_prefix(&self, id: &str) -> Option<&Control> {
        if self.clause(id).is_some() {
            return None;
        }
        self.control(&format!("A.{id}"))
    }

    /// What ISO/IEC 27002:2022 Annex B says a 2013 Annex A control (`A.9.2.1`) became; `None`
    /// when `id` is not a 2013 control. Shared by every reader of control ids, so a 2013 id is
    /// answered the same way in the SoA, a checklist or an imported sheet.
    pub fn successor_of_2013(&self, id: &str) -> Option<Successor2013> {
        let row = self.mapping_2013.iter().find(|m| m.from == id)?;
        Some(Successor2013 {
            from: row.from.clone(),
            controls: row.to.iter().map(|to| format!("A.{to}")).collect(),
        })
    }

    /// The leaf clauses an audit programme must cover.
    pub fn requirement_clauses(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| c.requirement)
    }

    pub fn theme(&self, key: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.key == key)
    }

    /// Position of a control in catalogue order, for sorting.
    pub fn control_index(&self, id: &str) -> Option<usize> {
        self.controls.iter().position(|c| c.id == id)
    }

    /// The clause and all clauses below it (`9.2` gives `9.2`, `9.2.1`, `9.2.2`).
    pub fn clause_with_children<'a>(
        &'a self,
        id: &'a str,
    ) -> impl Iterator<Item = &'a Clause> + 'a {
        self.clauses
            .iter()
            .filter(move |c| c.id == id || c.id.starts_with(&format!("{id}.")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_complete() {
        let cat = iso27001();
        assert_eq!(cat.controls.len(), 93);
        for (theme, count) in [
            ("organizational", 37),
            ("people", 8),
            ("physical", 14),
            ("technological", 34),
        ] {
            assert_eq!(
                cat.controls.iter().filter(|c| c.theme == theme).count(),
                count,
                "{theme}"
            );
        }
        assert_eq!(cat.requirement_clauses().count(), 30);
        assert_eq!(
            cat.control("A.5.15").map(|c| c.title.as_str()),
            Some("Access control")
        );
        assert_eq!(cat.control("A.8.34").map(|c| c.id.as_str()), Some("A.8.34"));
        assert_eq!(
            cat.clause("9.2.2").map(|c| c.title.as_str()),
            Some("Internal audit programme")
        );
        assert_eq!(cat.mapping_2013.len(), 114);
        assert_eq!(cat.controls.iter().filter(|c| c.new_in_2022).count(), 11);
    }

    #[test]
    fn successors_of_2013_controls() {
        let cat = iso27001();
        let one = cat.successor_of_2013("A.9.2.1").unwrap();
        assert_eq!(one.controls, ["A.5.16"]);
        assert_eq!(
            one.sentence(),
            "A.9.2.1 is ISO/IEC 27001:2013; in 2022: A.5.16"
        );
        let split = cat.successor_of_2013("A.18.2.3").unwrap();
        assert_eq!(split.controls, ["A.5.36", "A.8.8"]);
        assert_eq!(
            split.sentence(),
            "A.18.2.3 is ISO/IEC 27001:2013; in 2022: A.5.36 and A.8.8"
        );
        // Every 2013 control became at least one 2022 control of the catalogue.
        for row in &cat.mapping_2013 {
            let successor = cat.successor_of_2013(&row.from).unwrap();
            assert!(!successor.controls.is_empty(), "{}", row.from);
            for id in &successor.controls {
                assert!(cat.control(id).is_some(), "{} -> {id}", row.from);
            }
        }
        assert_eq!(cat.successor_of_2013("A.5.16"), None);
        assert_eq!(cat.successor_of_2013("A.99.1.1"), None);
    }

    #[test]
    fn clause_children() {
        let ids: Vec<_> = iso27001()
            .clause_with_children("9.2")
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["9.2", "9.2.1", "9.2.2"]);
    }

    /// The embedded copy must equal the verified reference beside the project, when it is there.
    #[test]
    fn embedded_copy_matches_reference() {
        let reference = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/reference/iso27001-2022.toml"
        );
        if let Ok(text) = std::fs::read_to_string(reference) {
            assert_eq!(
                text, DATA,
                "src/catalog/iso27001-2022.toml differs from {reference}"
            );
        }
    }
}
