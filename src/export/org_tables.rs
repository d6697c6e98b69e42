//! The registers of how the organisation is arranged: its teams with everything each owns, and
//! its own control catalogue with the mappings and test history of each control, as rows for
//! CSV, XLSX and JSON.

use crate::control_tests;
use crate::model::{Date, Isms};

use super::tables::{col, person};
use super::{Cell, Column, Mark};

pub(super) fn team_columns() -> Vec<Column> {
    vec![
        col("team", "Team", 18.0),
        col("name", "Name", 30.0),
        col("lead", "Lead", 20.0),
        col("members", "Members", 40.0),
        col("areas", "Areas owned", 30.0),
        col("controls", "Annex A controls owned", 24.0),
        col("internal_controls", "Internal controls owned", 24.0),
        col("documents", "Documents owned", 30.0),
        col("approved", "Documents approved", 30.0),
        col("risks", "Risks owned", 20.0),
        col("findings", "Findings with actions owned", 24.0),
    ]
}

fn list(ids: &[&str]) -> Cell {
    Cell::text(ids.join(", "))
}

/// One row per team of teams.toml, in file order.
pub(super) fn teams(isms: &Isms) -> Vec<(Vec<Cell>, Mark)> {
    isms.teams
        .iter()
        .map(|team| {
            let id = team.id.as_str();
            let held = isms.holdings(id);
            let members: Vec<&str> = team
                .people()
                .into_iter()
                .skip(1)
                .map(|m| isms.person(m).map_or(m, |p| p.name.as_str()))
                .collect();
            let row = vec![
                Cell::text(id),
                Cell::text(team.name.as_str()),
                person(isms, Some(team.lead.as_str())),
                list(&members),
                list(&held.areas),
                list(&held.controls),
                list(&held.internal_controls),
                list(&held.documents),
                list(&held.approved),
                list(&held.risks),
                list(&held.findings),
            ];
            (row, Mark::None)
        })
        .collect()
}

pub(super) fn control_columns() -> Vec<Column> {
    vec![
        col("control", "Control", 14.0),
        col("title", "Title", 50.0),
        col("owner", "Owner", 20.0),
        col("annex_a", "Annex A controls", 24.0),
        col("frameworks", "Other frameworks", 30.0),
        col("implements", "SoA entries implemented", 24.0),
        col("frequency_months", "Tested every (months)", 12.0),
        col("tests", "Tests", 8.0),
        col("last_tested_on", "Last tested on", 12.0),
        col("last_tested_by", "Last tested by audit", 14.0),
        col("last_result", "Last result", 14.0),
        col("next_due", "Next test due", 12.0),
    ]
}

/// One row per control of controls.toml, in file order; a control past its next test is marked
/// overdue (PROG008's condition).
pub(super) fn controls(isms: &Isms, today: Date) -> Vec<(Vec<Cell>, Mark)> {
    isms.internal_controls
        .iter()
        .map(|c| {
            let id = c.id.as_str();
            let tests = control_tests::history(isms, id, today);
            let last = control_tests::last_tested(&tests);
            let due = control_tests::next_due(isms, c, &tests, today);
            let owner = c.owner.as_ref().map(|o| o.as_str());
            let owner = match owner.and_then(|o| isms.team(o)) {
                Some(team) => Cell::text(team.name.as_str()),
                None => person(isms, owner),
            };
            let frameworks: Vec<String> = crate::frameworks::mapping::describe(c)
                .into_iter()
                .map(|(name, ids)| format!("{name}: {}", ids.join(", ")))
                .collect();
            let implements: Vec<&str> = isms
                .soa
                .iter()
                .filter(|e| e.implemented_by.iter().any(|b| b.as_str() == id))
                .map(|e| e.id.as_str())
                .collect();
            let annex_a: Vec<&str> = c.annex_a.iter().map(|a| a.as_str()).collect();
            let mark = if due.is_some_and(|d| d < today) {
                Mark::Overdue
            } else {
                Mark::None
            };
            let row = vec![
                Cell::text(id),
                Cell::text(c.title.as_str()),
                owner,
                list(&annex_a),
                Cell::text(frameworks.join("; ")),
                list(&implements),
                c.frequency_months
                    .as_ref()
                    .map_or(Cell::Empty, |m| Cell::Number(i64::from(*m.get()))),
                Cell::Number(tests.iter().filter(|t| t.counts).count() as i64),
                Cell::opt_date(last.map(|t| t.on)),
                last.map_or(Cell::Empty, |t| Cell::text(t.audit.clone())),
                last.map_or(Cell::Empty, |t| Cell::text(t.result.as_str())),
                Cell::opt_date(due),
            ];
            (row, mark)
        })
        .collect()
}
