//! The SARIF 2.1.0 format, as GitHub code scanning reads it: every rule with its docs, results
//! with repository-relative locations and fingerprints that survive edits elsewhere in a file.
//!
//! Choices worth knowing:
//! - URIs are `SourceFile::display` (relative to the repository root, `/`-separated) with the
//!   base `%SRCROOT%`; `originalUriBaseIds` describes that base without an absolute path, so
//!   the output does not depend on where the repository is checked out.
//! - A diagnostic without a place (a problem of the ISMS as a whole) is reported on line 1 of
//!   `isms.toml`, because GitHub rejects results without a location.
//! - `partialFingerprints["isms/v1"]` hashes the rule, the file, the trimmed text of the primary
//!   line and the message, never line numbers; identical results are told apart by a `:N`
//!   occurrence suffix. GitHub's own `primaryLocationLineHash` is left to the upload action.

use serde::Serialize;

use super::json::Location;
use super::{Diagnostic, Files, Severity};
use crate::model::Origin;
use crate::rules::Rule;

/// The official schema location of SARIF 2.1.0.
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of our fingerprint in `partialFingerprints`; bump the version if the recipe changes.
pub const FINGERPRINT_KEY: &str = "isms/v1";

/// The URI base every result location is relative to: the repository root.
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: OriginalUriBaseIds,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct OriginalUriBaseIds {
    #[serde(rename = "%SRCROOT%")]
    srcroot: BaseDescription,
}

#[derive(Serialize)]
struct BaseDescription {
    description: Text,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    requirement: &'static str,
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: Fingerprints,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "isms/v1")]
    isms: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    /// The path relative to `%SRCROOT%`, percent-encoded (RFC 3986).
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// SARIF's name for a severity: `info` is a `note`.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The whole SARIF log, pretty-printed, ending in a newline.
pub fn render(diagnostics: &[Diagnostic], files: &Files) -> String {
    let fallback_uri = files
        .find("isms.toml")
        .map_or("isms.toml", |id| files.get(id).display.as_str());
    let mut seen: std::collections::BTreeMap<u64, usize> = Default::default();
    let results = diagnostics
        .iter()
        .map(|d| {
            let (location, line_text) = match &d.origin {
                Some(origin) => primary(origin, files),
                None => (whole_file(fallback_uri), ""),
            };
            let hash = fingerprint(d, &location.artifact_location.uri, line_text);
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            SarifResult {
                rule_id: d.code(),
                rule_index: rule_index(d.rule),
                level: level(d.severity),
                message: Text {
                    text: message_text(d),
                },
                locations: vec![SarifLocation {
                    id: None,
                    physical_location: location,
                    message: d.label.as_ref().map(|l| Text { text: l.clone() }),
                }],
                related_locations: d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| SarifLocation {
                        id: Some(i + 1),
                        physical_location: primary(&r.origin, files).0,
                        message: r.message.as_ref().map(|m| Text { text: m.clone() }),
                    })
                    .collect(),
                partial_fingerprints: Fingerprints {
                    isms: format!("{hash:016x}:{n}"),
                },
            }
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "isms",
                    information_uri: information_uri(),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: Rule::ALL.iter().map(|&r| descriptor(r)).collect(),
                },
            },
            original_uri_base_ids: OriginalUriBaseIds {
                srcroot: BaseDescription {
                    description: Text {
                        text: "The root of the repository holding the ISMS (the ISMS folder outside git).".into(),
                    },
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    text.push('\n');
    text
}

/// The project's address from Cargo.toml's `repository`, when it has one.
fn information_uri() -> Option<&'static str> {
    let uri = env!("CARGO_PKG_REPOSITORY");
    (!uri.is_empty()).then_some(uri)
}

fn rule_index(rule: Rule) -> usize {
    Rule::ALL.iter().position(|&r| r == rule).unwrap_or(0)
}

/// The place of `origin` and the text of its first line: none for a place that stands for the
/// whole file (`Diagnostic::in_file`, span `0..0`), whose first line is not what it is about.
fn primary<'a>(origin: &Origin, files: &'a Files) -> (PhysicalLocation, &'a str) {
    let loc = Location::of(origin, files);
    let line_text = if origin.span == (0..0) {
        ""
    } else {
        files.get(origin.file).line_text(loc.line)
    };
    (
        PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri_path(loc.file),
                uri_base_id: SRCROOT,
            },
            region: Region {
                start_line: loc.line,
                start_column: loc.column,
                end_line: loc.end_line,
                end_column: loc.end_column,
            },
        },
        line_text,
    )
}

/// A relative path as a URI reference (RFC 3986): every byte but the unreserved characters and
/// `/` is percent-encoded, so a space, `#`, `%`, `?`, `:` or a control character in a file name
/// reaches code-scanning tools as part of the path.
fn uri_path(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// The start of a file, for results that have no place of their own.
fn whole_file(path: &str) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri_path(path),
            uri_base_id: SRCROOT,
        },
        region: Region {
            start_line: 1,
            start_column: 1,
            end_line: 1,
            end_column: 1,
        },
    }
}

fn message_text(d: &Diagnostic) -> String {
    match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.text()),
        None => d.text().into_owned(),
    }
}

/// A hash of what identifies a result whatever the lines around it: rule, file, the trimmed
/// primary line and the message.
fn fingerprint(d: &Diagnostic, uri: &str, line_text: &str) -> u64 {
    let mut h = Fnv1a::new();
    for part in [d.code(), uri, line_text.trim(), d.message.as_str()] {
        h.write(part.as_bytes());
        h.write(&[0]);
    }
    h.finish()
}

/// 64-bit FNV-1a: small, and stable across runs, platforms and Rust versions (unlike std's
/// randomly seeded hasher).
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn descriptor(rule: Rule) -> ReportingDescriptor {
    let info = rule.info();
    let what = section(info.docs, "## What it checks");
    let full = if what.is_empty() || what == "TBD" {
        info.summary.to_string()
    } else {
        what
    };
    ReportingDescriptor {
        id: info.code,
        name: info.code,
        short_description: Text {
            text: info.summary.to_string(),
        },
        full_description: Text {
            text: format!("{full} (ISO/IEC 27001:2022 {})", info.requirement),
        },
        help: Help {
            text: info.docs,
            markdown: info.docs,
        },
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: RuleProperties {
            requirement: info.requirement,
            tags: vec![
                "isms".into(),
                "iso27001".into(),
                rule.family().to_ascii_lowercase(),
            ],
        },
    }
}

/// The first paragraph under `heading` in a rule's Markdown docs, on one line.
fn section(docs: &str, heading: &str) -> String {
    let Some(start) = docs.find(heading) else {
        return String::new();
    };
    docs[start + heading.len()..]
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceFile;
    use crate::model::FileId;
    use serde_json::Value;

    const SOA: &str = "[[control]]\nid = \"5.1\"\napplicable = true\n";

    fn files(soa: &str) -> Files {
        let mut files = Files::default();
        files.add(SourceFile::new(
            "isms.toml".into(),
            "example-isms/isms.toml".into(),
            "[organisation]\n".into(),
        ));
        files.add(SourceFile::new(
            "soa.toml".into(),
            "example-isms/soa.toml".into(),
            soa.into(),
        ));
        files
    }

    /// Two diagnostics at `id = "5.1"` (one with help and a related place), one without a place
    /// and one about the whole of soa.toml.
    fn diagnostics(soa: &str) -> Vec<Diagnostic> {
        let at = soa.find("id = ").unwrap_or(0);
        let origin = Origin {
            file: FileId(1),
            span: at..at + 9,
        };
        vec![
            Diagnostic::new(Rule::SOA003, "control 5.1 has no justification")
                .at(origin.clone())
                .label("this control")
                .related(
                    Origin {
                        file: FileId(0),
                        span: 0..14,
                    },
                    "the organisation",
                )
                .help("add `justification = \"...\"`"),
            Diagnostic::new(Rule::SOA008, "control 5.1 has no decision").at(origin),
            Diagnostic::new(Rule::DOC003, "there is no information security policy"),
            Diagnostic::new(Rule::SOA001, "A.5.2 is missing").in_file(FileId(1)),
        ]
    }

    fn log(soa: &str) -> Value {
        serde_json::from_str(&render(&diagnostics(soa), &files(soa))).expect("valid JSON")
    }

    #[test]
    fn driver_lists_every_rule_with_docs_and_levels() {
        let log = log(SOA);
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["$schema"], SCHEMA);
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "isms");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().expect("rules");
        assert_eq!(rules.len(), Rule::ALL.len());
        for (rule, r) in Rule::ALL.iter().zip(rules) {
            let info = rule.info();
            assert_eq!(r["id"], info.code);
            assert_eq!(r["shortDescription"]["text"], info.summary);
            assert!(
                r["fullDescription"]["text"]
                    .as_str()
                    .is_some_and(|t| !t.is_empty())
            );
            assert_eq!(r["help"]["markdown"], info.docs);
            assert_eq!(r["help"]["text"], info.docs);
            assert_eq!(r["properties"]["requirement"], info.requirement);
            let level = r["defaultConfiguration"]["level"].as_str().unwrap_or("");
            assert!(["error", "warning", "note"].contains(&level), "{level}");
        }
    }

    #[test]
    fn results_have_rule_level_message_and_one_based_regions() {
        let log = log(SOA);
        let run = &log["runs"][0];
        assert!(run["originalUriBaseIds"]["%SRCROOT%"].is_object());
        let results = run["results"].as_array().expect("results");
        assert_eq!(results.len(), 4);
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        for r in results {
            let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], r["ruleId"]);
            assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap_or("")));
            assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
            let loc = &r["locations"][0]["physicalLocation"];
            assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                assert!(loc["region"][key].as_u64().is_some_and(|n| n >= 1), "{key}");
            }
        }
        let first = &results[0];
        assert_eq!(first["ruleId"], "SOA003");
        assert_eq!(first["level"], "error");
        assert_eq!(
            first["message"]["text"],
            "control 5.1 has no justification\nhelp: add `justification = \"...\"`"
        );
        let loc = &first["locations"][0];
        assert_eq!(loc["message"]["text"], "this control");
        assert_eq!(
            loc["physicalLocation"]["artifactLocation"]["uri"],
            "example-isms/soa.toml"
        );
        let region = &loc["physicalLocation"]["region"];
        assert_eq!(
            (region["startLine"].as_u64(), region["startColumn"].as_u64()),
            (Some(2), Some(1))
        );
        assert_eq!(
            (region["endLine"].as_u64(), region["endColumn"].as_u64()),
            (Some(2), Some(10))
        );
        let related = &first["relatedLocations"][0];
        assert_eq!(related["message"]["text"], "the organisation");
        assert_eq!(
            related["physicalLocation"]["artifactLocation"]["uri"],
            "example-isms/isms.toml"
        );
        assert_eq!(results[1]["level"], "warning");
        // Without a place: line 1 of isms.toml.
        let none = &results[2]["locations"][0]["physicalLocation"];
        assert_eq!(none["artifactLocation"]["uri"], "example-isms/isms.toml");
        assert_eq!(none["region"]["startLine"], 1);
    }

    #[test]
    fn info_is_a_note() {
        assert_eq!(level(Severity::Info), "note");
    }

    fn fingerprints(log: &Value) -> Vec<String> {
        log["runs"][0]["results"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                r["partialFingerprints"][FINGERPRINT_KEY]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn fingerprints_are_stable_and_ignore_lines_above() {
        let before = fingerprints(&log(SOA));
        assert_eq!(
            before,
            fingerprints(&log(SOA)),
            "same input, same fingerprints"
        );
        let moved = format!("# a comment\n\n{SOA}");
        let moved_log = log(&moved);
        assert_eq!(
            moved_log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
            4,
            "the result moved down"
        );
        assert_eq!(
            before,
            fingerprints(&moved_log),
            "lines inserted above change nothing"
        );
        let mut unique = before.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            before.len(),
            "distinct results, distinct fingerprints"
        );
        let edited = SOA.replace("5.1", "5.2");
        assert_ne!(
            before[0],
            fingerprints(&log(&edited))[0],
            "the line itself counts"
        );
    }

    #[test]
    fn identical_results_get_distinct_fingerprints() {
        let d = Diagnostic::new(Rule::DOC003, "there is no information security policy");
        let log: Value =
            serde_json::from_str(&render(&[d.clone(), d], &files(SOA))).expect("valid JSON");
        let f = fingerprints(&log);
        assert!(f[0].ends_with(":1") && f[1].ends_with(":2"), "{f:?}");
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        let hash = |s: &str| {
            let mut h = Fnv1a::new();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf29ce484222325);
        assert_eq!(hash("a"), 0xaf63dc4c8601ec8c);
        assert_eq!(hash("foobar"), 0x85944171f73967e8);
    }
}
