//! The repository format's layout: which path holds which kind of file (docs/format.md).

use crate::model::{AuditId, Kind};

/// What a path below the ISMS root is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    Config,
    People,
    Teams,
    Controls,
    Areas,
    Soa,
    Risks,
    Document,
    Programme,
    Plan(String),
    Checklist(String),
    Report(String),
    Finding,
    ManagementReview,
    Objectives,
    Incident,
    Exception,
    /// Under evidence/: listed, never parsed.
    Evidence,
    /// Not part of the format (a README, an image beside a document): left alone.
    Other,
    /// In an ISMS folder but not of the format; the text is the hint.
    Unrecognised(String),
}

impl FileKind {
    /// The kind of object the file defines, for ids and completeness.
    pub(crate) fn object_kind(&self) -> Option<Kind> {
        match self {
            FileKind::People => Some(Kind::Person),
            FileKind::Teams => Some(Kind::Team),
            FileKind::Controls => Some(Kind::InternalControl),
            FileKind::Areas => Some(Kind::Area),
            FileKind::Soa => Some(Kind::Control),
            FileKind::Risks => Some(Kind::Risk),
            FileKind::Document => Some(Kind::Document),
            FileKind::Plan(_) | FileKind::Report(_) | FileKind::Checklist(_) => Some(Kind::Audit),
            FileKind::Finding => Some(Kind::Finding),
            FileKind::ManagementReview => Some(Kind::ManagementReview),
            FileKind::Objectives => Some(Kind::Objective),
            FileKind::Incident => Some(Kind::Incident),
            FileKind::Exception => Some(Kind::Exception),
            _ => None,
        }
    }

    /// The `[[key]]` of a collection file.
    pub(crate) fn collection_key(&self) -> Option<&'static str> {
        match self {
            FileKind::People => Some("person"),
            FileKind::Teams => Some("team"),
            FileKind::Controls => Some("control"),
            FileKind::Areas => Some("area"),
            FileKind::Soa => Some("control"),
            FileKind::Risks => Some("risk"),
            FileKind::Checklist(_) => Some("item"),
            FileKind::Objectives => Some("objective"),
            _ => None,
        }
    }
}

const ROOT_FILES: [&str; 8] = [
    "isms.toml",
    "people.toml",
    "teams.toml",
    "areas.toml",
    "soa.toml",
    "controls.toml",
    "risks.toml",
    "objectives.toml",
];
const ASSETS: [&str; 8] = ["png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "drawio"];

fn extension(path: &str) -> &str {
    path.rsplit_once('.').map_or("", |(_, e)| e)
}

pub(crate) fn classify(path: &str) -> FileKind {
    let parts: Vec<&str> = path.split('/').collect();
    let name = parts.last().copied().unwrap_or("");
    if name.eq_ignore_ascii_case("README.md") {
        return FileKind::Other;
    }
    match parts.as_slice() {
        ["isms.toml"] => FileKind::Config,
        ["people.toml"] => FileKind::People,
        ["teams.toml"] => FileKind::Teams,
        ["controls.toml"] => FileKind::Controls,
        ["areas.toml"] => FileKind::Areas,
        ["soa.toml"] => FileKind::Soa,
        ["risks.toml"] => FileKind::Risks,
        ["objectives.toml"] => FileKind::Objectives,
        [name] if name.ends_with(".toml") => FileKind::Unrecognised(match crate::suggest::did_you_mean(name, ROOT_FILES) {
            Some(best) => format!("did you mean `{best}`? The ISMS root holds {}", ROOT_FILES.join(", ")),
            None => format!("the ISMS root holds {}; other TOML files here are not read", ROOT_FILES.join(", ")),
        }),
        [_] => FileKind::Other,
        ["evidence", ..] => FileKind::Evidence,
        ["documents", ..] if path.ends_with(".md") => FileKind::Document,
        ["documents", ..] if ASSETS.contains(&extension(path).to_ascii_lowercase().as_str()) => FileKind::Other,
        ["documents", ..] => FileKind::Unrecognised(
            "documents/ holds Markdown documents (`.md` with `+++` front matter) and the images they show; put records in evidence/".into(),
        ),
        ["audits", "programme.toml"] => FileKind::Programme,
        ["audits", id, file] if AuditId::parse(id).is_ok() => match *file {
            "plan.toml" => FileKind::Plan(id.to_string()),
            "checklist.toml" => FileKind::Checklist(id.to_string()),
            "report.md" => FileKind::Report(id.to_string()),
            other => FileKind::Unrecognised(match crate::suggest::did_you_mean(other, ["plan.toml", "checklist.toml", "report.md"]) {
                Some(best) => format!("did you mean `{best}`? An audit folder holds plan.toml, checklist.toml and report.md"),
                None => "an audit folder holds plan.toml, checklist.toml and report.md; put other material in evidence/".into(),
            }),
        },
        ["audits", id, ..] if AuditId::parse(id).is_err() => FileKind::Unrecognised(format!(
            "the audit folder's name is its id: {}; rename the folder, for example `IA-2026-01`",
            AuditId::parse(id).err().unwrap_or_default()
        )),
        ["audits", ..] => FileKind::Unrecognised(
            "audits/ holds programme.toml and one folder per audit (audits/IA-2026-01/plan.toml, checklist.toml, report.md)".into(),
        ),
        ["findings", ..] if path.ends_with(".toml") => FileKind::Finding,
        ["findings", ..] => FileKind::Unrecognised("findings/ holds one TOML file per finding, such as findings/F-2026-001.toml".into()),
        ["management-reviews", ..] if path.ends_with(".toml") => FileKind::ManagementReview,
        ["management-reviews", ..] => FileKind::Unrecognised("management-reviews/ holds one TOML file per management review, such as management-reviews/MR-2026-10.toml".into()),
        ["incidents", ..] if path.ends_with(".toml") => FileKind::Incident,
        ["incidents", ..] => FileKind::Unrecognised("incidents/ holds one TOML file per incident, such as incidents/INC-2026-009.toml".into()),
        ["exceptions", ..] if path.ends_with(".toml") => FileKind::Exception,
        ["exceptions", ..] => FileKind::Unrecognised("exceptions/ holds one TOML file per exception to a control, such as exceptions/EXC-2026-001.toml".into()),
        _ => FileKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout() {
        assert_eq!(classify("soa.toml"), FileKind::Soa);
        assert_eq!(classify("README.md"), FileKind::Other);
        assert!(
            matches!(classify("risk.toml"), FileKind::Unrecognised(h) if h.contains("`risks.toml`"))
        );
        assert_eq!(classify("documents/access/policy.md"), FileKind::Document);
        assert_eq!(classify("documents/img/flow.PNG"), FileKind::Other);
        assert!(matches!(
            classify("documents/notes.txt"),
            FileKind::Unrecognised(_)
        ));
        assert_eq!(
            classify("audits/IA-1/plan.toml"),
            FileKind::Plan("IA-1".into())
        );
        assert!(
            matches!(classify("audits/IA-1/checklst.toml"), FileKind::Unrecognised(h) if h.contains("`checklist.toml`"))
        );
        assert!(matches!(
            classify("audits/IA 1/plan.toml"),
            FileKind::Unrecognised(_)
        ));
        assert_eq!(classify("findings/2026/F-1.toml"), FileKind::Finding);
        assert_eq!(classify("objectives.toml"), FileKind::Objectives);
        assert_eq!(
            classify("management-reviews/MR-2026-10.toml"),
            FileKind::ManagementReview
        );
        assert_eq!(classify("incidents/INC-1.toml"), FileKind::Incident);
        assert_eq!(classify("exceptions/EXC-1.toml"), FileKind::Exception);
        assert!(matches!(
            classify("incidents/INC-1.md"),
            FileKind::Unrecognised(_)
        ));
        assert_eq!(classify("evidence/a/b.pdf"), FileKind::Evidence);
        assert_eq!(classify("infra/main.tf"), FileKind::Other);
        assert_eq!(classify("documents/README.md"), FileKind::Other);
    }
}
