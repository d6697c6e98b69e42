//! The framework register for `isms export framework`: one row per requirement, with its status
//! and the state of its mapped controls, in the table model every export format shares.

use crate::catalog;
use crate::export::{Cell, Column, Mark};
use crate::model::{Date, Isms};

use super::{Assessor, Status};

fn col(id: &'static str, title: &'static str, width: f64) -> Column {
    Column { id, title, width }
}

pub fn columns() -> Vec<Column> {
    vec![
        col("framework", "Framework", 14.0),
        col("requirement", "Requirement", 20.0),
        col("citation", "Citation", 22.0),
        col("title", "Requirement (paraphrased)", 50.0),
        col("obligation", "Obligation", 12.0),
        col("status", "Status", 10.0),
        col("controls", "Mapped controls", 40.0),
        col("internal_controls", "Through internal controls", 24.0),
        col("clauses", "Mapped clauses", 16.0),
        col("audits", "Tested by audits", 20.0),
        col("open_findings", "Open nonconformities", 18.0),
        col("reasons", "Why not covered", 50.0),
        col("note", "Mapping note", 40.0),
    ]
}

/// The rows of the enabled frameworks (only `only` when given), in isms.toml and pack order.
pub fn rows(isms: &Isms, today: Date, only: Option<&str>) -> Vec<(Vec<Cell>, Mark)> {
    let assessor = Assessor::new(isms, catalog::iso27001(), today);
    let mut rows = Vec::new();
    for pack in isms
        .frameworks
        .iter()
        .filter(|p| only.is_none_or(|n| p.name.as_str() == n))
    {
        let status = assessor.framework(pack, None);
        for r in status.requirements {
            let controls = r
                .controls
                .iter()
                .map(|c| {
                    let state = match c.implementation {
                        Some(i) => i.as_str(),
                        None => match c.applicability {
                            super::Applicability::Applicable => "no status",
                            super::Applicability::Excluded => "excluded",
                            super::Applicability::Undecided => "undecided",
                            super::Applicability::Missing => "not in SoA",
                        },
                    };
                    format!("{} ({state})", c.id)
                })
                .collect::<Vec<_>>()
                .join(", ");
            let mut audits: Vec<&str> = r
                .controls
                .iter()
                .flat_map(|c| c.audited_by.iter())
                .chain(r.clauses.iter().flat_map(|c| c.audited_by.iter()))
                .map(String::as_str)
                .collect();
            audits.sort();
            audits.dedup();
            let mut findings: Vec<&str> = r
                .controls
                .iter()
                .flat_map(|c| c.open_findings.iter().map(String::as_str))
                .collect();
            findings.sort();
            findings.dedup();
            let mark = match r.status {
                Status::Gap => Mark::Overdue,
                Status::Partial => Mark::Attention,
                Status::Covered => Mark::None,
            };
            rows.push((
                vec![
                    Cell::text(status.name.clone()),
                    Cell::text(r.id),
                    Cell::text(r.citation),
                    Cell::text(r.title),
                    Cell::text(r.obligation.map_or("", |o| o.as_str())),
                    Cell::text(r.status.as_str()),
                    Cell::text(controls),
                    Cell::text(r.internal_controls.join(", ")),
                    Cell::text(
                        r.clauses
                            .iter()
                            .map(|c| c.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::text(audits.join(", ")),
                    Cell::text(findings.join(", ")),
                    Cell::text(r.reasons.join("; ")),
                    Cell::text(r.note.unwrap_or_default()),
                ],
                mark,
            ));
        }
    }
    rows
}
