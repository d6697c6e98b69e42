//! The risk register: every risk with its scores before and after treatment, and the two
//! likelihood x impact heat maps.

use serde::Serialize;
use serde_json::Value;

use super::reviews::to_value;
use super::{BuildError, Site, slug};
use crate::model::Risk;

#[derive(Serialize)]
struct RisksPage {
    risks: Vec<RiskRow>,
    scale: i64,
    threshold: i64,
    inherent: Vec<HeatRow>,
    residual: Vec<HeatRow>,
}

#[derive(Serialize)]
struct RiskRow {
    id: String,
    anchor: String,
    title: String,
    owner: Value,
    area: Option<Value>,
    likelihood: i64,
    impact: i64,
    inherent: i64,
    residual_likelihood: Option<i64>,
    residual_impact: Option<i64>,
    residual: i64,
    /// Residual score above the acceptance threshold.
    above: bool,
    treatment: Value,
    controls: Vec<Value>,
    accepted_by: Option<Value>,
    accepted_on: Option<String>,
    reviewed_on: Option<String>,
    diagnostics: Vec<Value>,
}

/// One likelihood of a heat map, highest first.
#[derive(Serialize)]
struct HeatRow {
    l: i64,
    cells: Vec<HeatCell>,
}

#[derive(Serialize)]
struct HeatCell {
    l: i64,
    i: i64,
    score: i64,
    /// `high` above the threshold, `medium` above half of it, else `low`.
    level: &'static str,
    ids: Vec<String>,
    count: usize,
}

/// The heat map of `risks` on a `scale` x `scale` grid: before treatment, or after.
fn heat(risks: &[&Risk], scale: i64, threshold: i64, residual: bool) -> Vec<HeatRow> {
    (1..=scale)
        .rev()
        .map(|l| HeatRow {
            l,
            cells: (1..=scale)
                .map(|i| {
                    let ids: Vec<String> = risks
                        .iter()
                        .filter(|r| {
                            let (rl, ri) = if residual {
                                (
                                    r.residual_likelihood
                                        .as_ref()
                                        .map_or(*r.likelihood, |v| **v),
                                    r.residual_impact.as_ref().map_or(*r.impact, |v| **v),
                                )
                            } else {
                                (*r.likelihood, *r.impact)
                            };
                            rl == l && ri == i
                        })
                        .map(|r| r.id.to_string())
                        .collect();
                    let score = l * i;
                    let level = if score > threshold {
                        "high"
                    } else if score * 2 > threshold {
                        "medium"
                    } else {
                        "low"
                    };
                    HeatCell {
                        l,
                        i,
                        score,
                        level,
                        count: ids.len(),
                        ids,
                    }
                })
                .collect(),
        })
        .collect()
}

impl Site<'_> {
    pub(super) fn risks(&mut self) -> Result<(), BuildError> {
        let isms = self.isms;
        let (scale, threshold) = {
            let risk = &isms.config_or_default().risk;
            (
                i64::from(*risk.scale.get()).max(1),
                i64::from(*risk.acceptance_threshold.get()),
            )
        };
        let mut risks: Vec<&Risk> = isms.risks.iter().collect();
        risks.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
        let mut rows = Vec::new();
        for r in &risks {
            let row = RiskRow {
                id: r.id.to_string(),
                anchor: format!("r-{}", slug(r.id.as_str())),
                title: r.title.get().clone(),
                owner: self.person(r.owner.as_str()),
                area: r.area.as_ref().map(|a| self.area_ref(a.as_str())),
                likelihood: *r.likelihood,
                impact: *r.impact,
                inherent: r.inherent_score(),
                residual_likelihood: r.residual_likelihood.as_ref().map(|v| **v),
                residual_impact: r.residual_impact.as_ref().map(|v| **v),
                residual: r.residual_score(),
                above: r.residual_score() > threshold,
                treatment: to_value(r.treatment.get()),
                controls: r
                    .controls
                    .iter()
                    .map(|c| self.control_ref(c.as_str()))
                    .collect(),
                accepted_by: r.accepted_by.as_ref().map(|p| self.person(p.as_str())),
                accepted_on: r.accepted_on.as_ref().map(|d| d.get().to_string()),
                reviewed_on: r.reviewed_on.as_ref().map(|d| d.get().to_string()),
                diagnostics: self.diagnostics_in(&r.origin, false),
            };
            self.index_object(
                "risk",
                format!("{} {}", row.id, row.title),
                format!("risks.html#{}", row.anchor),
                &to_value(&row),
            );
            rows.push(row);
        }
        let page = RisksPage {
            risks: rows,
            scale,
            threshold,
            inherent: heat(&risks, scale, threshold, false),
            residual: heat(&risks, scale, threshold, true),
        };
        self.index("page", "Risk register".into(), "risks.html".into());
        self.page("risks.html", "risks.html", "risks", to_value(&page))
    }
}
