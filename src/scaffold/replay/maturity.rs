//! The replayed history of the SoA's maturity claims, so the site's maturity charts show how
//! they grew: the set-up commit claims one level below today's for every control (never below
//! 1 unless today's is lower), each reported audit brings the controls its checklist examined to today's claims on the
//! day of its report, and the latest management review brings the rest. The working tree still
//! ends as the files given.

use std::collections::BTreeMap;

use super::{Script, read};
use crate::model::Date;

/// After the audit's checklist and report (4) on the same day.
const ORDER: u8 = 5;

impl Script<'_> {
    /// soa.toml as the set-up commit writes it: every claim one level lower.
    pub(super) fn soa_at_setup(&self) -> String {
        let text = read(self.files, "soa.toml");
        let levels = self
            .final_levels()
            .into_iter()
            .map(|(id, level)| (id, baseline(level)))
            .collect();
        with_levels(&text, &levels)
    }

    /// The commits that raise the SoA's claims to today's, audit by audit.
    pub(super) fn maturity_history(&mut self, setup: Date) {
        let isms = self.isms;
        let manager = self.manager();
        let finals = self.final_levels();
        let mut claimed: BTreeMap<String, u8> = finals
            .iter()
            .map(|(id, level)| (id.clone(), baseline(*level)))
            .collect();
        let mut audits: Vec<(Date, &str, Vec<&str>)> = isms
            .audits
            .iter()
            .filter_map(|a| {
                let day = *a.report.as_ref()?.front.date.get();
                let examined = a
                    .checklist
                    .iter()
                    .flat_map(|c| c.items.iter())
                    .map(|i| i.reference.as_str())
                    .collect();
                Some((day.max(setup), a.id.as_str(), examined))
            })
            .collect();
        audits.sort();
        let text = read(self.files, "soa.toml");
        for (day, id, examined) in audits {
            let raised: Vec<&str> = examined
                .into_iter()
                .filter(|c| finals.get(*c).is_some_and(|f| claimed.get(*c) != Some(f)))
                .collect();
            if raised.is_empty() {
                continue;
            }
            for c in &raised {
                claimed.insert(c.to_string(), finals[*c]);
            }
            self.push(
                day,
                ORDER,
                &manager,
                format!(
                    "SoA: maturity of the {} control{} {id} examined, reviewed after its report",
                    raised.len(),
                    if raised.len() == 1 { "" } else { "s" },
                ),
                // Once every claim is today's, the file is the one given, comments and all.
                vec![(
                    "soa.toml".into(),
                    if claimed == finals {
                        text.clone()
                    } else {
                        with_levels(&text, &claimed)
                    },
                )],
            );
        }
        if claimed != finals {
            let day = isms
                .management_reviews
                .iter()
                .map(|r| *r.date.get())
                .max()
                .unwrap_or(setup)
                .max(setup);
            self.push(
                day,
                ORDER,
                &manager,
                "SoA: maturity of the other controls as the management review agreed".into(),
                vec![("soa.toml".into(), text)],
            );
        }
    }

    /// Today's claims: `maturity` per SoA entry that has one.
    fn final_levels(&self) -> BTreeMap<String, u8> {
        self.isms
            .soa
            .iter()
            .filter_map(|e| Some((e.id.to_string(), e.maturity.as_ref()?.get().level())))
            .collect()
    }
}

/// The claim at set-up: one level below today's, never below 1 (nor above today's).
fn baseline(level: u8) -> u8 {
    if level <= 1 { level } else { level - 1 }
}

/// The soa.toml text with the `maturity` of each `[[control]]` named in `levels` replaced.
fn with_levels(text: &str, levels: &BTreeMap<String, u8>) -> String {
    let mut out = String::new();
    let mut control: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            control = None;
        }
        if let Some(id) = t.strip_prefix("id = \"").and_then(|r| r.strip_suffix('"')) {
            control = Some(id.to_string());
        }
        let level = control.as_ref().and_then(|c| levels.get(c));
        match (level, t.strip_prefix("maturity =")) {
            (Some(level), Some(_)) => {
                let end = if line.ends_with('\n') { "\n" } else { "" };
                out.push_str(&format!("maturity = {level}{end}"));
            }
            _ => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::with_levels;

    #[test]
    fn only_the_named_controls_maturity_lines_change() {
        let text = "[[control]]\nid = \"A.5.1\"\nmaturity = 4\ntarget_maturity = 4\n\n[[control]]\nid = \"A.5.2\"\nmaturity = 3\n";
        let levels = [("A.5.1".to_string(), 3)].into_iter().collect();
        assert_eq!(
            with_levels(text, &levels),
            "[[control]]\nid = \"A.5.1\"\nmaturity = 3\ntarget_maturity = 4\n\n[[control]]\nid = \"A.5.2\"\nmaturity = 3\n"
        );
    }
}
