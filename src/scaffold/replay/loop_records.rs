//! The replayed history of the records that close the loop: management reviews, objectives and
//! incidents, each committed by the person who kept it on the dates it gives, growing as it did.

use std::collections::BTreeMap;

use super::{Script, read, sections, without_keys};
use crate::model::Date;

/// The order of these records among the events of one day (after findings are raised).
const ORDER: u8 = 5;

/// The ISMS-relative path of each file below `folder` by the `id` it declares.
pub(super) fn paths_by_id(script: &Script<'_>, folder: &str) -> BTreeMap<String, String> {
    script
        .isms
        .files
        .iter()
        .filter(|p| p.starts_with(folder) && p.ends_with(".toml"))
        .filter_map(|p| {
            let text = read(script.files, p);
            let id = text.lines().find_map(|l| {
                l.strip_prefix("id = \"")?
                    .strip_suffix('"')
                    .map(str::to_string)
            })?;
            Some((id, p.clone()))
        })
        .collect()
}

/// objectives.toml as it stood on `day`: the results measured after it left out.
fn objectives_on(text: &str, day: Date) -> String {
    let mut out = String::new();
    let mut keep = true;
    let mut block = String::new();
    let flush = |out: &mut String, block: &mut String, keep: bool| {
        if keep {
            out.push_str(block);
        }
        block.clear();
    };
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            flush(&mut out, &mut block, keep);
            keep = true;
        }
        if let Some(on) = t.strip_prefix("on = ")
            && let Ok(on) = Date::parse(on.trim())
        {
            keep = on <= day;
        }
        block.push_str(line);
        block.push('\n');
    }
    flush(&mut out, &mut block, keep);
    out
}

impl Script<'_> {
    /// Who keeps a record: the owner of the area whose paths hold it, else the ISMS manager.
    fn keeper(&self, path: &str) -> String {
        self.area_owner_of(path).unwrap_or_else(|| self.manager())
    }

    /// Management reviews by their chair on the day held, their decisions' completion by their
    /// keeper; objectives by their keeper as each month's results come in; incidents by the
    /// person who reviewed them, on detection, review and validation.
    pub(super) fn loop_records(&mut self, setup: Date, taken: &mut Vec<String>) {
        let isms = self.isms;
        let reviews = paths_by_id(self, "management-reviews/");
        for review in &isms.management_reviews {
            let Some(path) = reviews.get(review.id.as_str()) else {
                continue;
            };
            taken.push(path.clone());
            let id = review.id.as_str();
            let full = read(self.files, path);
            let chair = review
                .chair
                .as_ref()
                .map_or_else(|| self.keeper(path), |c| c.to_string());
            let held = *review.date.get();
            let keeper = self.keeper(path);
            let completed = review
                .decisions
                .iter()
                .filter_map(|d| d.completed_on.as_ref().map(|c| *c.get()))
                .max();
            match completed {
                Some(done) => {
                    self.push(
                        held,
                        ORDER,
                        &chair,
                        format!("{id}: management review held"),
                        vec![(path.clone(), without_keys(&full, &["completed_on"]))],
                    );
                    self.push(
                        done.max(held),
                        ORDER,
                        &keeper,
                        format!("{id}: decisions completed"),
                        vec![(path.clone(), full)],
                    );
                }
                None => self.push(
                    held,
                    ORDER,
                    &chair,
                    format!("{id}: management review held"),
                    vec![(path.clone(), full)],
                ),
            }
        }

        if isms.files.contains("objectives.toml") {
            taken.push("objectives.toml".into());
            let manager = self.keeper("objectives.toml");
            let full = read(self.files, "objectives.toml");
            let mut days: Vec<Date> = isms
                .objectives
                .iter()
                .flat_map(|o| o.results.iter().map(|r| *r.on.get()))
                .collect();
            days.sort();
            days.dedup();
            let last = days.last().copied();
            for day in days {
                let text = if Some(day) == last {
                    full.clone()
                } else {
                    objectives_on(&full, day)
                };
                self.push(
                    day.max(setup),
                    ORDER,
                    &manager,
                    format!("Objectives: results of {day}"),
                    vec![("objectives.toml".into(), text)],
                );
            }
            if last.is_none() {
                self.push(
                    setup,
                    ORDER,
                    &manager,
                    "Information security objectives".into(),
                    vec![("objectives.toml".into(), full)],
                );
            }
        }

        let incidents = paths_by_id(self, "incidents/");
        for incident in &isms.incidents {
            let Some(path) = incidents.get(incident.id.as_str()) else {
                continue;
            };
            taken.push(path.clone());
            let id = incident.id.as_str();
            let full = read(self.files, path);
            let who = incident
                .review
                .as_ref()
                .map_or_else(|| self.keeper(path), |r| r.by.to_string());
            let mut steps: Vec<(Date, String, String)> = Vec::new();
            match &incident.review {
                Some(review) => {
                    let (base, _) = sections(&full);
                    steps.push((*incident.detected_on.get(), format!("{id}: record"), base));
                    let reviewed = *review.on.get();
                    steps.push((
                        reviewed,
                        format!("{id}: post-incident review"),
                        without_keys(&full, &["audit"]),
                    ));
                    if let Some(audit) = &review.audit {
                        let validated = isms
                            .audit(audit.as_str())
                            .and_then(|a| {
                                a.report
                                    .as_ref()
                                    .map(|r| *r.front.date.get())
                                    .or_else(|| a.plan.as_ref().map(|p| *p.end.get()))
                            })
                            .unwrap_or(reviewed)
                            .max(reviewed);
                        steps.push((
                            validated,
                            format!("{id}: changes validated by {}", audit.as_str()),
                            full.clone(),
                        ));
                    }
                }
                None => steps.push((
                    *incident.detected_on.get(),
                    format!("{id}: record"),
                    full.clone(),
                )),
            }
            // The last step is the file as given, whatever the cuts missed.
            if let Some(last) = steps.last_mut() {
                last.2 = full;
            }
            for (day, message, text) in steps {
                self.push(
                    day.max(setup),
                    ORDER,
                    &who,
                    message,
                    vec![(path.clone(), text)],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objectives_grow_by_their_results() {
        let text = "[[objective]]\nid = \"OBJ-1\"\ndue = 2026-12-31\n\n[[objective.result]]\non = 2026-09-30\nvalue = \"1\"\nmet = true\n\n[[objective.result]]\non = 2026-10-31\nvalue = \"2\"\nmet = true\n";
        let day = |s| Date::parse(s).unwrap();
        let september = objectives_on(text, day("2026-09-30"));
        assert!(september.contains("value = \"1\"") && !september.contains("value = \"2\""));
        // The objective's own `due` is not a result date: it stays.
        assert!(september.contains("due = 2026-12-31"));
        assert_eq!(objectives_on(text, day("2026-10-31")), text);
        assert!(!objectives_on(text, day("2026-01-01")).contains("[[objective.result]]"));
    }
}
