//! Typed identifiers, validated when read, so a person id can never be passed where a risk id is meant.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize};

/// How an identifier of a kind must be spelled; the check returns a hint when it is not.
fn check_slug(s: &str) -> Result<(), String> {
    let mut chars = s.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if first_ok && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        Ok(())
    } else {
        Err(format!(
            "`{s}` is not a valid id: use lowercase letters, digits and `-`, starting with a letter or digit (for example `{}`)",
            suggest_slug(s)
        ))
    }
}

fn suggest_slug(s: &str) -> String {
    let slug: String = s
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "jane-doe".into()
    } else {
        slug
    }
}

fn check_token(s: &str) -> Result<(), String> {
    if s.is_empty() {
        Err("an id may not be empty".into())
    } else if s.chars().any(char::is_whitespace) {
        Err(format!(
            "`{s}` is not a valid id: ids may not contain spaces (for example `{}`)",
            s.split_whitespace().collect::<Vec<_>>().join("-")
        ))
    } else {
        Ok(())
    }
}

fn is_dotted_numbers(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

fn check_control(s: &str) -> Result<(), String> {
    if let Some(successor) = crate::catalog::iso27001().successor_of_2013(s) {
        let plural = if successor.controls.len() > 1 {
            "s"
        } else {
            ""
        };
        return Err(format!(
            "{}: write the 2022 id{plural} `{}`",
            successor.sentence(),
            successor.controls.join("` and `")
        ));
    }
    match s.strip_prefix("A.") {
        Some(rest) if is_dotted_numbers(rest) && rest.split('.').count() == 2 => Ok(()),
        _ if is_dotted_numbers(s) => Err(format!(
            "`{s}` is ambiguous: write Annex A controls as `A.{s}` (clause {s} and control A.{s} differ)"
        )),
        _ => Err(format!(
            "`{s}` is not an Annex A control id: write it like `A.5.15`"
        )),
    }
}

fn check_clause(s: &str) -> Result<(), String> {
    if is_dotted_numbers(s) {
        Ok(())
    } else if s.starts_with("A.") {
        Err(format!(
            "`{s}` is an Annex A control, not a clause: list it under `controls`"
        ))
    } else {
        Err(format!(
            "`{s}` is not a clause id: write clauses like `9.2.2`"
        ))
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $check:path, $pattern:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Checks the spelling; the error is a sentence for the user.
            pub fn parse(s: &str) -> Result<Self, String> {
                $check(s)?;
                Ok(Self(s.to_string()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// For a string the caller has already validated.
            #[allow(dead_code)]
            pub(crate) fn from_checked(s: &str) -> Self {
                debug_assert!($check(s).is_ok(), "{s}");
                Self(s.to_string())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "pattern": $pattern })
            }
        }
    };
}

id_type!(
    /// A person in people.toml: `[a-z0-9][a-z0-9-]*`.
    PersonId, check_slug, "^[a-z0-9][a-z0-9-]*$"
);
id_type!(
    /// An area in areas.toml: `[a-z0-9][a-z0-9-]*`.
    AreaId, check_slug, "^[a-z0-9][a-z0-9-]*$"
);
id_type!(
    /// An Annex A control, always written with its `A.` prefix: `A.5.15`.
    ControlId, check_control, "^A\\.[0-9]+\\.[0-9]+$"
);
id_type!(
    /// A management-system clause: `9.2.2`.
    ClauseId, check_clause, "^[0-9]+(\\.[0-9]+)*$"
);
id_type!(
    /// A risk in risks.toml, such as `R-004`.
    RiskId, check_token, "^\\S+$"
);
id_type!(
    /// A document's front-matter id, such as `POL-ACCESS`.
    DocumentId, check_token, "^\\S+$"
);
id_type!(
    /// An audit, named by its folder under audits/, such as `IA-2026-01`.
    AuditId, check_token, "^\\S+$"
);
id_type!(
    /// A finding, such as `F-2026-003`.
    FindingId, check_token, "^\\S+$"
);

/// A requirement of the standard: an Annex A control or a clause, as checklist items and findings name them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(untagged)]
pub enum RequirementRef {
    Control(ControlId),
    Clause(ClauseId),
}

impl RequirementRef {
    pub fn parse(s: &str) -> Result<Self, String> {
        if s.starts_with("A.") {
            ControlId::parse(s).map(Self::Control)
        } else if is_dotted_numbers(s) {
            ClauseId::parse(s).map(Self::Clause)
        } else {
            Err(format!(
                "`{s}` is neither an Annex A control (`A.5.15`) nor a clause (`9.2.2`)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Control(c) => c.as_str(),
            Self::Clause(c) => c.as_str(),
        }
    }
}

impl AsRef<str> for RequirementRef {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for RequirementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RequirementRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for RequirementRef {
    fn schema_name() -> Cow<'static, str> {
        "RequirementRef".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^(A\\.[0-9]+\\.[0-9]+|[0-9]+(\\.[0-9]+)*)$",
            "description": "An Annex A control (`A.5.15`) or a clause (`9.2.2`)"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(PersonId::parse("dave").is_ok());
        assert!(PersonId::parse("dave-2").is_ok());
        let err = PersonId::parse("Dave Okafor").unwrap_err();
        assert!(err.contains("`dave-okafor`"), "{err}");
        assert!(PersonId::parse("-dave").is_err());
    }

    #[test]
    fn controls_need_their_prefix() {
        assert!(ControlId::parse("A.5.15").is_ok());
        assert!(ControlId::parse("5.15").unwrap_err().contains("`A.5.15`"));
        assert!(ControlId::parse("A.5").is_err());
        assert_eq!(
            RequirementRef::parse("A.9.2.1").unwrap_err(),
            "A.9.2.1 is ISO/IEC 27001:2013; in 2022: A.5.16: write the 2022 id `A.5.16`"
        );
        assert!(ClauseId::parse("A.5.1").unwrap_err().contains("controls"));
    }

    #[test]
    fn requirement_refs() {
        assert_eq!(
            RequirementRef::parse("9.2.2"),
            Ok(RequirementRef::Clause(ClauseId("9.2.2".into())))
        );
        assert!(matches!(
            RequirementRef::parse("A.8.5"),
            Ok(RequirementRef::Control(_))
        ));
        assert!(RequirementRef::parse("policy").is_err());
    }
}
