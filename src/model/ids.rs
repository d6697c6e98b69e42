//! Typed identifiers, validated when read, so a person id can never be passed where a risk id is meant.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize};

/// The first character of `s` outside `allowed`, named for the user: a character that is not
/// ASCII (a look-alike dash, a Cyrillic letter, an invisible space) is named by its code point.
fn offending(s: &str, allowed: impl Fn(usize, char) -> bool) -> Option<String> {
    let (at, c) = s.char_indices().find(|&(i, c)| !allowed(i, c))?;
    let name = if c.is_ascii_graphic() {
        format!("`{c}`")
    } else if c == ' ' {
        "a space".to_string()
    } else {
        format!("U+{:04X}", u32::from(c))
    };
    let kind = if c.is_ascii() {
        ""
    } else {
        ", which is not ASCII"
    };
    let place = if at == 0 { "starts with" } else { "contains" };
    Some(format!("{place} {name}{kind}"))
}

/// How an identifier of a kind must be spelled; the check returns a hint when it is not.
fn check_slug(s: &str) -> Result<(), String> {
    let slug_char =
        |i: usize, c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || (i > 0 && c == '-');
    match offending(s, slug_char) {
        None if !s.is_empty() => Ok(()),
        problem => Err(format!(
            "`{s}` is not a valid id{}: use lowercase ASCII letters, digits and `-`, starting with a letter or digit (for example `{}`)",
            problem.map_or(String::new(), |p| format!(" (it {p})")),
            suggest_slug(s)
        )),
    }
}

fn suggest_slug(s: &str) -> String {
    let slug_char = |c: char| {
        if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '-'
        }
    };
    suggest(s, slug_char, "jane-doe")
}

/// A valid id close to `s`: look-alikes replaced by the ASCII they imitate, invisible
/// characters dropped, and what `valid` does not keep turned into `-`.
fn suggest(s: &str, valid: impl Fn(char) -> char, fallback: &str) -> String {
    let id: String = s.trim().chars().filter_map(unconfuse).map(valid).collect();
    let id = id.trim_matches(|c| matches!(c, '-' | '.' | '_'));
    if id.is_empty() {
        fallback.into()
    } else {
        id.into()
    }
}

/// Free ids (risks, documents, audits, findings): `[A-Za-z0-9][A-Za-z0-9._-]*`, so an id is
/// one word, looks like what it is, and names a file or page on every system.
fn check_token(s: &str) -> Result<(), String> {
    let token_char =
        |i: usize, c: char| c.is_ascii_alphanumeric() || (i > 0 && matches!(c, '.' | '_' | '-'));
    if s.is_empty() {
        return Err("an id may not be empty".into());
    }
    match offending(s, token_char) {
        None => Ok(()),
        Some(problem) => Err(format!(
            "`{s}` is not a valid id: it {problem}; ids use ASCII letters, digits, `.`, `_` and `-`, starting with a letter or digit (for example `{}`)",
            suggest_token(s)
        )),
    }
}

/// The ASCII character a look-alike stands for, `None` for an invisible one (dropped).
fn unconfuse(c: char) -> Option<char> {
    const LOOK_ALIKES: [(char, char); 22] = [
        ('А', 'A'),
        ('В', 'B'),
        ('Е', 'E'),
        ('К', 'K'),
        ('М', 'M'),
        ('Н', 'H'),
        ('О', 'O'),
        ('Р', 'P'),
        ('С', 'C'),
        ('Т', 'T'),
        ('Х', 'X'),
        ('а', 'a'),
        ('е', 'e'),
        ('о', 'o'),
        ('р', 'p'),
        ('с', 'c'),
        ('у', 'y'),
        ('х', 'x'),
        ('Α', 'A'),
        ('Ο', 'O'),
        ('ο', 'o'),
        ('Ι', 'I'),
    ];
    match c {
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => Some('-'),
        _ => Some(
            LOOK_ALIKES
                .iter()
                .find(|(look_alike, _)| *look_alike == c)
                .map_or(c, |(_, ascii)| *ascii),
        ),
    }
}

fn suggest_token(s: &str) -> String {
    let token_char = |c: char| {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') {
            c
        } else {
            '-'
        }
    };
    suggest(s, token_char, "R-001")
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
        Some(_) => Err(format!(
            "`{s}` is not an Annex A control id: write it like `A.5.15`"
        )),
        // Any other id may name a control of the organisation's own catalogue (controls.toml);
        // whether it does is REF001's to say.
        None => check_token(s).map_err(|_| {
            format!("`{s}` is neither an Annex A control id (`A.5.15`) nor an id of your own controls (`IAM.1.02`)")
        }),
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

/// The spelling of free ids, in the JSON Schemas.
const TOKEN_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

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
    RiskId, check_token, TOKEN_PATTERN
);
id_type!(
    /// A document's front-matter id, such as `POL-ACCESS`.
    DocumentId, check_token, TOKEN_PATTERN
);
id_type!(
    /// An audit, named by its folder under audits/, such as `IA-2026-01`.
    AuditId, check_token, TOKEN_PATTERN
);
id_type!(
    /// A finding, such as `F-2026-003`.
    FindingId, check_token, TOKEN_PATTERN
);
id_type!(
    /// A management review, such as `MR-2026-10`.
    ReviewId, check_token, "^\\S+$"
);
id_type!(
    /// An information security objective in objectives.toml, such as `OBJ-01`.
    ObjectiveId, check_token, "^\\S+$"
);
id_type!(
    /// A control of the organisation's own catalogue in controls.toml, such as `IAM.1.02`.
    InternalControlId, check_token, TOKEN_PATTERN
);
id_type!(
    /// An incident, such as `INC-2026-009`.
    IncidentId, check_token, "^\\S+$"
);
id_type!(
    /// An exception to a control, such as `EXC-2026-001`.
    ExceptionId, check_token, TOKEN_PATTERN
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
            // A control of the organisation's own catalogue (controls.toml), resolved by REF001.
            ControlId::parse(s).map(Self::Control).map_err(|_| {
                format!("`{s}` is neither an Annex A control (`A.5.15`), a clause (`9.2.2`) nor an id of your own controls (`IAM.1.02`)")
            })
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
    fn free_ids_are_ascii_and_name_the_offending_character() {
        assert!(RiskId::parse("R-019").is_ok());
        assert!(DocumentId::parse("POL_ACCESS.v2").is_ok());
        let dash = RiskId::parse("R\u{2010}019").unwrap_err();
        assert!(dash.contains("U+2010, which is not ASCII"), "{dash}");
        assert!(dash.contains("`R-019`"), "{dash}");
        let cyrillic = DocumentId::parse("PR\u{41E}-RISK").unwrap_err();
        assert!(cyrillic.contains("U+041E"), "{cyrillic}");
        assert!(cyrillic.contains("`PRO-RISK`"), "{cyrillic}");
        let invisible = FindingId::parse("F-1\u{200B}").unwrap_err();
        assert!(invisible.contains("U+200B"), "{invisible}");
        assert!(invisible.contains("`F-1`"), "{invisible}");
        assert!(RiskId::parse("R 1").unwrap_err().contains("a space"));
        assert!(
            RiskId::parse("-R1")
                .unwrap_err()
                .contains("starts with `-`")
        );
        assert!(RiskId::parse("R/1").unwrap_err().contains("`/`"));
        assert!(AuditId::parse("").is_err());
    }

    /// Property over the first 0x3000 code points and a few beyond: a character is accepted in
    /// a free id exactly when it is ASCII alphanumeric or `.`, `_`, `-`, and a refused
    /// non-ASCII character is named by its code point.
    #[test]
    fn free_id_characters_property() {
        let extra = ['\u{FEFF}', '\u{FF0D}', '\u{1D400}', '\u{E0041}'];
        for c in (0u32..0x3000).filter_map(char::from_u32).chain(extra) {
            let id = format!("R{c}1");
            let allowed = c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
            match RiskId::parse(&id) {
                Ok(_) => assert!(allowed, "{c:?} accepted"),
                Err(e) => {
                    assert!(!allowed, "{c:?} refused: {e}");
                    if !c.is_ascii() {
                        assert!(e.contains(&format!("U+{:04X}", u32::from(c))), "{e}");
                    }
                }
            }
            let slug = format!("a{c}1");
            let slug_allowed = c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
            assert_eq!(PersonId::parse(&slug).is_ok(), slug_allowed, "{c:?}");
        }
    }

    #[test]
    fn slugs_are_ascii() {
        let err = PersonId::parse("j\u{F6}rg").unwrap_err();
        assert!(err.contains("U+00F6"), "{err}");
        assert!(
            AreaId::parse("it\u{2010}ops")
                .unwrap_err()
                .contains("U+2010")
        );
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
        assert!(RequirementRef::parse("policy one").is_err());
        // Ids of the organisation's own controls are read, and resolved by REF001.
        assert!(matches!(
            RequirementRef::parse("IAM.1.02"),
            Ok(RequirementRef::Control(_))
        ));
    }
}
