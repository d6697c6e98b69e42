//! The register of exceptions to controls: each with its control, compensating controls, risk
//! level, approval and expiry, as rows for CSV, XLSX and JSON. An expired exception is marked
//! overdue (EXC001); one not approved, or expiring within 30 days, asks for attention.

use crate::model::{Date, Exception, Isms};

use super::tables::{col, join};
use super::{Cell, Column, Mark};

/// How many days ahead an expiry asks for attention: time to renew or to apply the control.
const EXPIRY_NOTICE_DAYS: i64 = 30;

pub(super) fn columns() -> Vec<Column> {
    vec![
        col("exception", "Exception", 14.0),
        col("control", "Control", 10.0),
        col("control_title", "Control title", 36.0),
        col("reason", "Reason", 50.0),
        col("compensating_controls", "Compensating controls", 22.0),
        col("risk", "Risk level", 10.0),
        col("approved_by", "Approved by", 22.0),
        col("approved_on", "Approved on", 12.0),
        col("expires_on", "Expires on", 12.0),
        col("days_left", "Days left", 10.0),
    ]
}

/// The title of an Annex A control or of one of controls.toml.
fn control_title(isms: &Isms, id: &str) -> String {
    crate::catalog::iso27001()
        .control(id)
        .map(|c| c.title.clone())
        .or_else(|| isms.internal_control(id).map(|c| c.title.get().clone()))
        .unwrap_or_default()
}

pub(super) fn rows(isms: &Isms, today: Date) -> Vec<(Vec<Cell>, Mark)> {
    let mut list: Vec<&Exception> = isms.exceptions.iter().collect();
    list.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    list.into_iter()
        .map(|e| {
            let left = e.days_left(today);
            let mark = if left < 0 {
                Mark::Overdue
            } else if !e.is_approved() || left <= EXPIRY_NOTICE_DAYS {
                Mark::Attention
            } else {
                Mark::None
            };
            let approvers: Vec<&str> = e
                .approved_by
                .iter()
                .map(|p| {
                    isms.person(p.as_str())
                        .map_or(p.as_str(), |p| p.name.as_str())
                })
                .collect();
            let row = vec![
                Cell::text(e.id.as_str()),
                Cell::text(e.control.as_str()),
                Cell::text(control_title(isms, e.control.as_str())),
                Cell::text(e.reason.trim()),
                Cell::text(join(&e.compensating_controls)),
                Cell::text(e.risk.get().as_str()),
                Cell::text(approvers.join(", ")),
                Cell::opt_date(e.approved_on.as_ref().map(|d| *d.get())),
                Cell::Date(*e.expires_on.get()),
                Cell::Number(left),
            ];
            (row, mark)
        })
        .collect()
}
