//! The risk register: every risk with its scores before and after treatment, and the two
//! likelihood x impact heat maps.

use serde::Serialize;
use serde_json::Value;

use super::reviews::to_value;
use super::{BuildError, Site, slug};
use crate::model::{ResidualLevel, Risk, RiskSettings, Treatment};

#[derive(Serialize)]
struct RisksPage {
    risks: Vec<RiskRow>,
    /// The likelihood scale (kept under its version 1 name for overridden templates).
    scale: i64,
    likelihood_scale: i64,
    impact_scale: i64,
    threshold: i64,
    /// Who accepts residual risk, in a sentence: by level, or above the threshold.
    acceptance: String,
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
    /// The residual level (`low` to `critical`, from `[risk.levels]`).
    level: &'static str,
    treatment: Treatment,
    controls: Vec<Value>,
    /// The first who accepted (version 1 templates); `accepted_by_all` lists everyone.
    accepted_by: Option<Value>,
    accepted_by_all: Vec<Value>,
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
    /// The residual level of the score: `low`, `medium`, else `high`.
    level: &'static str,
    ids: Vec<String>,
    count: usize,
}

/// The heat map of `risks` on the likelihood x impact grid: before treatment, or after.
fn heat(risks: &[&Risk], settings: &RiskSettings, residual: bool) -> Vec<HeatRow> {
    let (likelihoods, impacts) = scales(settings);
    (1..=likelihoods)
        .rev()
        .map(|l| HeatRow {
            l,
            cells: (1..=impacts)
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
                    let level = match settings.level_of(score) {
                        ResidualLevel::Low => "low",
                        ResidualLevel::Medium => "medium",
                        _ => "high",
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

fn scales(settings: &RiskSettings) -> (i64, i64) {
    (
        i64::from(settings.likelihood_max()).max(1),
        i64::from(settings.impact_max()).max(1),
    )
}

/// Who accepts residual risk, in a sentence.
fn acceptance(settings: &RiskSettings, threshold: i64) -> String {
    match &settings.acceptance {
        Some(by_level) => {
            let levels: Vec<String> = ResidualLevel::ALL
                .into_iter()
                .filter_map(|l| {
                    let who = by_level.for_level(l)?;
                    let who: Vec<&str> = who.iter().map(|w| w.as_str()).collect();
                    Some(format!("{} by {}", l.as_str(), who.join(" and ")))
                })
                .collect();
            format!("residual risk is accepted by level: {}", levels.join("; "))
        }
        None => format!("residual risk above {threshold} needs acceptance by the risk owner"),
    }
}

impl Site<'_> {
    pub(super) fn risks(&mut self) -> Result<(), BuildError> {
        let isms = self.isms;
        let settings = &isms.config_or_default().risk;
        let (likelihoods, impacts) = scales(settings);
        let threshold = i64::from(*settings.acceptance_threshold.get());
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
                above: settings.needs_acceptance(r.residual_score()),
                level: settings.level_of(r.residual_score()).as_str(),
                treatment: *r.treatment.get(),
                controls: r
                    .controls
                    .iter()
                    .map(|c| self.control_ref(c.as_str()))
                    .collect(),
                accepted_by: r.accepted_by.first().map(|p| self.person(p.as_str())),
                accepted_by_all: r
                    .accepted_by
                    .iter()
                    .map(|p| self.person(p.as_str()))
                    .collect(),
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
            scale: likelihoods,
            likelihood_scale: likelihoods,
            impact_scale: impacts,
            threshold,
            acceptance: acceptance(settings, threshold),
            inherent: heat(&risks, settings, false),
            residual: heat(&risks, settings, true),
        };
        self.index("page", "Risk register".into(), "risks.html".into());
        self.page("risks.html", "risks.html", "risks", page)
    }
}
