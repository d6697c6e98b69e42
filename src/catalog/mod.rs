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
