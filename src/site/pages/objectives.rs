//! The objectives page (6.2, 9.1): each objective's measure, target and method, its results
//! over time as a small trend chart against the target, and the management reviews that
//! reviewed it.

use serde::Serialize;
use serde_json::Value;

use super::chart::{self, Builder, Chart, Datum, Scale};
use super::reviews::Link;
use super::{BuildError, Site, slug};
use crate::model::Objective;

/// One objective, as a section of the page.
#[derive(Serialize)]
struct ObjectiveRow {
    id: String,
    anchor: String,
    url: String,
    title: String,
    owner: Option<Value>,
    measure: Option<String>,
    target: Option<String>,
    method: Option<String>,
    frequency_months: Option<u32>,
    due: Option<String>,
    /// Whether the latest result met the target; `None` before the first result.
    met: Option<bool>,
    latest: Option<ResultRow>,
    /// Newest first.
    results: Vec<ResultRow>,
    chart: Chart,
    reviewed_in: Vec<Link>,
    diagnostics: Vec<Value>,
}

#[derive(Clone, Serialize)]
struct ResultRow {
    on: String,
    value: String,
    met: bool,
}

#[derive(Serialize)]
struct ObjectivesPage {
    objectives: Vec<ObjectiveRow>,
}

/// Where an objective is shown.
pub(super) fn objective_url(id: &str) -> String {
    format!("objectives.html#o-{}", slug(id))
}

impl Site<'_> {
    /// A link to an objective, as reviews and findings show it.
    pub(super) fn objective_ref(&self, id: &str) -> Value {
        let o = self.isms.objective(id);
        serde_json::json!({
            "id": id,
            "title": o.map(|o| o.title.get().clone()),
            "url": o.map(|_| objective_url(id)),
            "met": o.and_then(|o| o.latest_result()).map(|r| *r.met.get()),
        })
    }

    pub(super) fn objectives(&mut self) -> Result<(), BuildError> {
        if self.isms.objectives.is_empty() {
            return Ok(());
        }
        let mut objectives: Vec<&Objective> = self.isms.objectives.iter().collect();
        objectives.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
        let mut rows = Vec::new();
        for o in objectives {
            let id = o.id.as_str();
            let mut results: Vec<ResultRow> = o
                .results
                .iter()
                .map(|r| ResultRow {
                    on: r.on.get().to_string(),
                    value: r.value.get().clone(),
                    met: *r.met.get(),
                })
                .collect();
            results.sort_by(|a, b| b.on.cmp(&a.on));
            let row = ObjectiveRow {
                id: id.to_string(),
                anchor: format!("o-{}", slug(id)),
                url: objective_url(id),
                title: o.title.get().clone(),
                owner: o.owner.as_ref().map(|p| self.person(p.as_str())),
                measure: o.measure.as_ref().map(|m| m.get().clone()),
                target: o.target.as_ref().map(|t| t.get().clone()),
                method: o.method.as_ref().map(|m| m.get().clone()),
                frequency_months: o.frequency_months.as_ref().map(|f| *f.get()),
                due: o.due.as_ref().map(|d| d.get().to_string()),
                met: o.latest_result().map(|r| *r.met.get()),
                latest: results.first().cloned(),
                results,
                chart: trend(o),
                reviewed_in: self
                    .reviewed_in(|r| r.objectives_reviewed.iter().any(|x| x.as_str() == id)),
                diagnostics: self.diagnostics_in(&o.origin, false),
            };
            let words = serde_json::json!({"owner": row.owner, "measure": row.measure, "target": row.target});
            self.index_object(
                "objective",
                format!("{id} {}", row.title),
                row.url.clone(),
                &words,
            );
            rows.push(row);
        }
        self.index("page", "Objectives".into(), "objectives.html".into());
        self.page(
            "objectives.html",
            "objectives.html",
            "objectives",
            ObjectivesPage { objectives: rows },
        )
    }
}

/// The objective's results against its target: a point per result that holds a number
/// (hollow when the target was missed), the target as a dashed line.
fn trend(o: &Objective) -> Chart {
    let target_text = o.target.as_ref().map(|t| t.get().as_str());
    let target = target_text.and_then(chart::number_in);
    let plotted: Vec<(Datum, f64)> = o
        .results
        .iter()
        .filter_map(|r| {
            let value = chart::number_in(r.value.get())?;
            let met = *r.met.get();
            let label = format!(
                "{}: {} (target {})",
                r.on.get(),
                r.value.get(),
                if met { "met" } else { "missed" }
            );
            Some((
                Datum {
                    on: *r.on.get(),
                    value,
                    label,
                    hollow: !met,
                },
                value,
            ))
        })
        .collect();
    let unplotted = o.results.len() - plotted.len();
    let unit = if target_text.is_some_and(|t| t.contains('%'))
        || o.results.iter().any(|r| r.value.get().contains('%'))
    {
        "%"
    } else {
        ""
    };
    let mut values: Vec<f64> = plotted.iter().map(|(_, v)| *v).collect();
    values.extend(target);
    let met = o.results.iter().filter(|r| *r.met.get()).count();
    let mut summary = format!(
        "{} result{} of {}, {met} meeting the target {}",
        o.results.len(),
        if o.results.len() == 1 { "" } else { "s" },
        o.measure
            .as_ref()
            .map_or(o.title.get().as_str(), |m| m.get().as_str()),
        target_text.unwrap_or("(none set)"),
    );
    if unplotted > 0 {
        summary.push_str(&format!(
            "; {unplotted} without a number, listed in the table only"
        ));
    }
    let mut builder = Builder::new(
        format!(
            "{} {}: results against the target",
            o.id.as_str(),
            o.title.get()
        ),
        summary,
        Scale::around(&values, unit),
    )
    .series(
        "result",
        "circle",
        true,
        plotted.into_iter().map(|(d, _)| d).collect(),
    );
    if let (Some(value), Some(text)) = (target, target_text) {
        builder = builder.target(value, text.to_string());
    }
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::trend;
    use crate::model::Objective;

    fn objective(results: &str) -> Objective {
        let text = format!("id = \"OBJ-01\"\ntitle = \"Leavers\"\ntarget = \">= 98%\"\n{results}");
        toml::from_str(&text).unwrap()
    }

    #[test]
    fn results_without_a_number_are_counted_but_not_drawn() {
        let o = objective(
            "[[result]]\non = 2026-01-31\nvalue = \"97%\"\nmet = false\n[[result]]\non = 2026-02-28\nvalue = \"not measured\"\nmet = false\n",
        );
        let chart = trend(&o);
        assert_eq!(chart.series[0].points.len(), 1);
        assert!(
            chart.summary.contains("1 without a number"),
            "{}",
            chart.summary
        );
        assert!(chart.target.is_some());
    }

    #[test]
    fn no_result_draws_nothing() {
        let chart = trend(&objective(""));
        assert!(chart.empty);
    }
}
