//! Control maturity over time (the seed's "control maturity checks"): what each committed
//! version of soa.toml claimed and what audits assessed, charted per Annex A theme on the
//! maturity page and per control on its page, with the target as a line.

use std::collections::BTreeMap;

use serde::Serialize;

use super::chart::{Builder, Chart, Datum, Scale};
use super::{BuildError, Site, url};
use crate::catalog;
use crate::history::{Contents, History, MaturityVersion};
use crate::model::{Date, Isms, Maturity};

/// What the charts are drawn from.
#[derive(Default)]
pub(crate) struct Timeline {
    /// The SoA's committed versions, oldest first (empty without git history).
    versions: Vec<MaturityVersion>,
    /// Every checklist item that assessed a control's maturity, by date.
    assessments: Vec<Assessment>,
}

struct Assessment {
    audit: String,
    on: Date,
    control: String,
    level: u8,
}

impl Timeline {
    pub fn of(isms: &Isms, history: Option<&History>, contents: Option<&Contents>) -> Timeline {
        let versions = match (history, contents) {
            (Some(h), Some(c)) => c.soa_maturity(h),
            _ => Vec::new(),
        };
        let mut assessments = Vec::new();
        for audit in &isms.audits {
            // An assessment counts from the report's date, else the audit's last day.
            let on = audit
                .report
                .as_ref()
                .map(|r| *r.front.date.get())
                .or_else(|| audit.plan.as_ref().map(|p| *p.end.get()));
            let Some(on) = on else { continue };
            for item in audit.checklist.iter().flat_map(|c| c.items.iter()) {
                if let Some(m) = &item.maturity {
                    assessments.push(Assessment {
                        audit: audit.id.to_string(),
                        on,
                        control: item.reference.to_string(),
                        level: m.get().level(),
                    });
                }
            }
        }
        assessments.sort_by(|a, b| (a.on, &a.audit, &a.control).cmp(&(b.on, &b.audit, &b.control)));
        Timeline {
            versions,
            assessments,
        }
    }

    /// Whether there is anything to chart or list.
    pub fn is_empty(&self, isms: &Isms) -> bool {
        self.assessments.is_empty()
            && self.versions.iter().all(|v| v.levels.is_empty())
            && isms
                .soa
                .iter()
                .all(|e| e.maturity.is_none() && e.target_maturity.is_none())
    }
}

/// A level with its name: `3 defined`.
#[derive(Clone, Serialize)]
pub(super) struct Level {
    pub level: u8,
    pub name: &'static str,
}

impl From<Maturity> for Level {
    fn from(m: Maturity) -> Level {
        Level {
            level: m.level(),
            name: m.name(),
        }
    }
}

fn level(n: u8) -> Option<Level> {
    Maturity::new(n).map(Level::from)
}

/// The maturity section of a control's page.
#[derive(Serialize)]
pub(super) struct ControlMaturity {
    claimed: Option<Level>,
    target: Option<Level>,
    /// The latest audit's assessment.
    assessed: Option<Assessed>,
    chart: Chart,
}

#[derive(Clone, Serialize)]
struct Assessed {
    level: Level,
    audit: serde_json::Value,
    on: String,
}

/// A row of the maturity page's table: the text behind the charts.
#[derive(Serialize)]
struct ControlRow {
    id: String,
    title: String,
    url: String,
    claimed: Option<Level>,
    target: Option<Level>,
    assessed: Option<Assessed>,
    /// Claimed above the latest assessment (what SOA009 warns about).
    above_assessed: bool,
}

#[derive(Serialize)]
struct ThemeMaturity {
    id: String,
    title: String,
    anchor: String,
    controls: Vec<ControlRow>,
    chart: Chart,
}

#[derive(Serialize)]
struct MaturityPage {
    themes: Vec<ThemeMaturity>,
    /// The number of committed soa.toml versions the charts read.
    versions: usize,
    git: bool,
}

impl Site<'_> {
    /// A control's maturity section; `None` when nothing about its maturity is recorded.
    pub(super) fn control_maturity(&self, id: &str) -> Option<ControlMaturity> {
        let t = &self.maturity;
        let entry = self.isms.soa_entry(id);
        let claimed = entry
            .and_then(|e| e.maturity.as_ref())
            .map(|m| Level::from(*m.get()));
        let target = entry
            .and_then(|e| e.target_maturity.as_ref())
            .map(|m| Level::from(*m.get()));
        let claims: Vec<Datum> = t
            .versions
            .iter()
            .filter_map(|v| {
                let n = *v.levels.get(id)?;
                Some(Datum {
                    on: v.date,
                    value: f64::from(n),
                    label: format!(
                        "{} (soa.toml at {}): claimed {}",
                        v.date,
                        v.commit,
                        named(n)
                    ),
                    hollow: false,
                })
            })
            .collect();
        let assessed: Vec<&Assessment> = t.assessments.iter().filter(|a| a.control == id).collect();
        if claims.is_empty() && assessed.is_empty() && claimed.is_none() && target.is_none() {
            return None;
        }
        let summary = format!(
            "{id}: {} claimed in {} committed version{} of the SoA, {} audit assessment{}; now claimed {}, target {}",
            id,
            claims.len(),
            if claims.len() == 1 { "" } else { "s" },
            assessed.len(),
            if assessed.len() == 1 { "" } else { "s" },
            claimed
                .as_ref()
                .map_or("none".to_string(), |l| named(l.level)),
            target
                .as_ref()
                .map_or("none".to_string(), |l| named(l.level)),
        );
        let chart = self.maturity_chart(
            format!("{id} maturity over time"),
            summary,
            claims,
            &assessed,
            target.as_ref().map(|l| l.level),
        );
        Some(ControlMaturity {
            claimed,
            target,
            assessed: assessed.last().map(|a| self.assessed(a)),
            chart,
        })
    }

    fn assessed(&self, a: &Assessment) -> Assessed {
        Assessed {
            level: level(a.level).unwrap_or(Level {
                level: a.level,
                name: "",
            }),
            audit: self.audit_ref(&a.audit),
            on: a.on.to_string(),
        }
    }

    fn maturity_chart(
        &self,
        title: String,
        summary: String,
        claims: Vec<Datum>,
        assessed: &[&Assessment],
        target: Option<u8>,
    ) -> Chart {
        let assessed: Vec<Datum> = assessed
            .iter()
            .map(|a| Datum {
                on: a.on,
                value: f64::from(a.level),
                label: format!("{} ({}): assessed {}", a.on, a.audit, named(a.level)),
                hollow: false,
            })
            .collect();
        let mut builder = Builder::new(title, summary, Scale::maturity())
            .series("claimed in the SoA", "square", true, claims)
            .series("assessed by an audit", "circle", false, assessed);
        if let Some(n) = target {
            builder = builder.target(f64::from(n), format!("target {}", named(n)));
        }
        builder.build()
    }

    pub(super) fn maturity_page(&mut self) -> Result<(), BuildError> {
        if self.maturity.is_empty(self.isms) {
            return Ok(());
        }
        let catalog = catalog::iso27001();
        let mut themes = Vec::new();
        for theme in &catalog.themes {
            let ids: Vec<&str> = catalog
                .controls
                .iter()
                .filter(|c| c.theme == theme.key)
                .map(|c| c.id.as_str())
                .collect();
            let claims: Vec<Datum> = self
                .maturity
                .versions
                .iter()
                .filter_map(|v| {
                    let levels: Vec<u8> = ids
                        .iter()
                        .filter_map(|id| v.levels.get(*id).copied())
                        .collect();
                    let avg = average(&levels)?;
                    Some(Datum {
                        on: v.date,
                        value: avg,
                        label: format!(
                            "{} (soa.toml at {}): average claim {avg:.1} over {} control{}",
                            v.date,
                            v.commit,
                            levels.len(),
                            if levels.len() == 1 { "" } else { "s" }
                        ),
                        hollow: false,
                    })
                })
                .collect();
            let mut by_audit: BTreeMap<(Date, &str), Vec<u8>> = BTreeMap::new();
            for a in self
                .maturity
                .assessments
                .iter()
                .filter(|a| ids.contains(&a.control.as_str()))
            {
                by_audit
                    .entry((a.on, a.audit.as_str()))
                    .or_default()
                    .push(a.level);
            }
            let assessed: Vec<Datum> = by_audit
                .iter()
                .filter_map(|((on, audit), levels)| {
                    let avg = average(levels)?;
                    Some(Datum {
                        on: *on,
                        value: avg,
                        label: format!(
                            "{on} ({audit}): average assessment {avg:.1} over {} control{}",
                            levels.len(),
                            if levels.len() == 1 { "" } else { "s" }
                        ),
                        hollow: false,
                    })
                })
                .collect();
            let targets: Vec<u8> = ids
                .iter()
                .filter_map(|id| {
                    self.isms
                        .soa_entry(id)?
                        .target_maturity
                        .as_ref()
                        .map(|m| m.get().level())
                })
                .collect();
            let target = average(&targets);
            let summary = format!(
                "{}: average maturity claimed by {} SoA version{} and assessed by {} audit{}, against an average target of {}",
                theme.title,
                claims.len(),
                if claims.len() == 1 { "" } else { "s" },
                assessed.len(),
                if assessed.len() == 1 { "" } else { "s" },
                target.map_or("none".to_string(), |t| format!("{t:.1}")),
            );
            let mut builder = Builder::new(
                format!("{} (A.{}): maturity over time", theme.title, theme.id),
                summary,
                Scale::maturity(),
            )
            .series("claimed in the SoA (average)", "square", true, claims)
            .series("assessed by audits (average)", "circle", false, assessed);
            if let Some(t) = target {
                builder = builder.target(t, format!("average target {t:.1}"));
            }
            let controls = ids
                .iter()
                .filter_map(|id| {
                    let entry = self.isms.soa_entry(id);
                    let claimed = entry.and_then(|e| e.maturity.as_ref()).map(|m| Level::from(*m.get()));
                    let target = entry.and_then(|e| e.target_maturity.as_ref()).map(|m| Level::from(*m.get()));
                    let assessed = self.maturity.assessments.iter().rfind(|a| a.control == *id).map(|a| self.assessed(a));
                    if claimed.is_none() && target.is_none() && assessed.is_none() {
                        return None;
                    }
                    let above_assessed = matches!((&claimed, &assessed), (Some(c), Some(a)) if c.level > a.level.level);
                    Some(ControlRow {
                        id: id.to_string(),
                        title: catalog.control(id).map_or(String::new(), |c| c.title.clone()),
                        url: url("controls", id),
                        claimed,
                        target,
                        assessed,
                        above_assessed,
                    })
                })
                .collect();
            themes.push(ThemeMaturity {
                id: format!("A.{}", theme.id),
                title: theme.title.clone(),
                anchor: format!("t-{}", super::slug(&theme.key)),
                controls,
                chart: builder.build(),
            });
        }
        let page = MaturityPage {
            themes,
            versions: self.maturity.versions.len(),
            git: self.outcome.history.is_some(),
        };
        self.index("page", "Control maturity".into(), "maturity.html".into());
        self.page("maturity.html", "maturity.html", "maturity", page)
    }
}

/// `3 defined`.
fn named(n: u8) -> String {
    match Maturity::new(n) {
        Some(m) => format!("{n} {}", m.name()),
        None => n.to_string(),
    }
}

fn average(levels: &[u8]) -> Option<f64> {
    if levels.is_empty() {
        return None;
    }
    let sum: f64 = levels.iter().map(|l| f64::from(*l)).sum();
    Some((sum / levels.len() as f64 * 10.0).round() / 10.0)
}
