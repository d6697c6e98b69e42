//! Risk levels, acceptance and review by level (`[risk.levels]`, `[risk.acceptance]`,
//! `[risk] review_months`): the one place a residual score becomes a level, so the rules, the
//! site and the exports never disagree about how serious a risk is.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::bounds::{self, MAX_MONTHS};
use super::config::RiskSettings;
use super::{RiskLevel, Spanned};

/// How serious a residual risk is, from its score and `[risk.levels]`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ResidualLevel {
    Low,
    Medium,
    High,
    Critical,
}

impl ResidualLevel {
    pub const ALL: [ResidualLevel; 4] = [
        ResidualLevel::Low,
        ResidualLevel::Medium,
        ResidualLevel::High,
        ResidualLevel::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResidualLevel::Low => "low",
            ResidualLevel::Medium => "medium",
            ResidualLevel::High => "high",
            ResidualLevel::Critical => "critical",
        }
    }

    /// The area rating (`low`, `medium`, `high`) that audits an area holding a risk of this
    /// level often enough: a critical risk asks for the highest.
    pub fn area_rating(self) -> RiskLevel {
        match self {
            ResidualLevel::Low => RiskLevel::Low,
            ResidualLevel::Medium => RiskLevel::Medium,
            ResidualLevel::High | ResidualLevel::Critical => RiskLevel::High,
        }
    }
}

/// `[risk.levels]`: the highest residual score each level holds; above the last, `critical`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelBounds {
    pub low: Option<Spanned<u32>>,
    pub medium: Option<Spanned<u32>>,
    pub high: Option<Spanned<u32>>,
}

impl LevelBounds {
    /// The bounds written, lowest level first.
    pub fn written(&self) -> Vec<(ResidualLevel, &Spanned<u32>)> {
        [
            (ResidualLevel::Low, &self.low),
            (ResidualLevel::Medium, &self.medium),
            (ResidualLevel::High, &self.high),
        ]
        .into_iter()
        .filter_map(|(level, bound)| bound.as_ref().map(|b| (level, b)))
        .collect()
    }
}

/// `[risk.acceptance]`: who must accept a residual risk of each level. Each entry is `owner`,
/// `top_management`, a person (or, once teams exist, a team); all entries must be satisfied.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptanceByLevel {
    pub low: Option<Vec<Spanned<String>>>,
    pub medium: Option<Vec<Spanned<String>>>,
    pub high: Option<Vec<Spanned<String>>>,
    pub critical: Option<Vec<Spanned<String>>>,
}

impl AcceptanceByLevel {
    pub fn for_level(&self, level: ResidualLevel) -> Option<&[Spanned<String>]> {
        match level {
            ResidualLevel::Low => self.low.as_deref(),
            ResidualLevel::Medium => self.medium.as_deref(),
            ResidualLevel::High => self.high.as_deref(),
            ResidualLevel::Critical => self.critical.as_deref(),
        }
    }

    /// Every entry, with its level, for checking that each names someone.
    pub fn entries(&self) -> impl Iterator<Item = (ResidualLevel, &Spanned<String>)> {
        ResidualLevel::ALL.into_iter().flat_map(move |level| {
            self.for_level(level)
                .unwrap_or_default()
                .iter()
                .map(move |e| (level, e))
        })
    }
}

/// `[risk] review_months`: one period for every risk, or a period by level.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ReviewMonths {
    Every(#[schemars(range(min = 1, max = MAX_MONTHS))] u32),
    ByLevel(ReviewByLevel),
}

impl Default for ReviewMonths {
    fn default() -> Self {
        ReviewMonths::Every(DEFAULT_REVIEW_MONTHS)
    }
}

/// Months between reviews of a risk when nothing else is said.
pub const DEFAULT_REVIEW_MONTHS: u32 = 12;

/// `review_months = { low = 24, medium = 12, high = 6 }`; a level left out is reviewed every
/// 12 months.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewByLevel {
    #[serde(
        default,
        deserialize_with = "bounds::optional_plain_months::<_, 1, MAX_MONTHS>"
    )]
    #[schemars(range(min = 1, max = MAX_MONTHS))]
    pub low: Option<u32>,
    #[serde(
        default,
        deserialize_with = "bounds::optional_plain_months::<_, 1, MAX_MONTHS>"
    )]
    #[schemars(range(min = 1, max = MAX_MONTHS))]
    pub medium: Option<u32>,
    #[serde(
        default,
        deserialize_with = "bounds::optional_plain_months::<_, 1, MAX_MONTHS>"
    )]
    #[schemars(range(min = 1, max = MAX_MONTHS))]
    pub high: Option<u32>,
    #[serde(
        default,
        deserialize_with = "bounds::optional_plain_months::<_, 1, MAX_MONTHS>"
    )]
    #[schemars(range(min = 1, max = MAX_MONTHS))]
    pub critical: Option<u32>,
}

impl<'de> Deserialize<'de> for ReviewMonths {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ReviewVisitor;
        impl<'de> Visitor<'de> for ReviewVisitor {
            type Value = ReviewMonths;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a number of months, or months by level: { low = 24, medium = 12, high = 6 }",
                )
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ReviewMonths, E> {
                match u32::try_from(v) {
                    Ok(m) if (1..=MAX_MONTHS).contains(&m) => Ok(ReviewMonths::Every(m)),
                    _ => Err(E::custom(format!(
                        "{v} is out of range: write a number of months from 1 to {MAX_MONTHS}"
                    ))),
                }
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ReviewMonths, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ReviewMonths, A::Error> {
                ReviewByLevel::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(ReviewMonths::ByLevel)
            }
        }
        deserializer.deserialize_any(ReviewVisitor)
    }
}

impl RiskSettings {
    /// Likelihood is scored from 1 to this (`likelihood_scale`, else `scale`).
    pub fn likelihood_max(&self) -> u8 {
        self.likelihood_scale
            .as_ref()
            .map_or(*self.scale.get(), |s| s.get().0)
    }

    /// Impact is scored from 1 to this (`impact_scale`, else `scale`).
    pub fn impact_max(&self) -> u8 {
        self.impact_scale
            .as_ref()
            .map_or(*self.scale.get(), |s| s.get().0)
    }

    /// The highest score: the largest likelihood times the largest impact.
    pub fn max_score(&self) -> u32 {
        u32::from(self.likelihood_max()) * u32::from(self.impact_max())
    }

    /// The highest score each level holds, lowest level first; scores above the last bound are
    /// `critical`. Without `[risk.levels]`, the score range is cut in four equal bands.
    pub fn level_bounds(&self) -> Vec<(ResidualLevel, u32)> {
        match &self.levels {
            Some(levels) => levels
                .written()
                .into_iter()
                .map(|(level, bound)| (level, *bound.get()))
                .collect(),
            None => {
                let max = self.max_score();
                vec![
                    (ResidualLevel::Low, max / 4),
                    (ResidualLevel::Medium, max / 2),
                    (ResidualLevel::High, max * 3 / 4),
                ]
            }
        }
    }

    /// The level of a residual score.
    pub fn level_of(&self, score: i64) -> ResidualLevel {
        self.level_bounds()
            .into_iter()
            .find(|(_, bound)| score <= i64::from(*bound))
            .map_or(ResidualLevel::Critical, |(level, _)| level)
    }

    /// Whether a residual score needs a recorded acceptance: its level has a
    /// `[risk.acceptance]` entry, or, without that table, it is above `acceptance_threshold`.
    pub fn needs_acceptance(&self, score: i64) -> bool {
        match &self.acceptance {
            Some(by_level) => by_level
                .for_level(self.level_of(score))
                .is_some_and(|who| !who.is_empty()),
            None => score > i64::from(*self.acceptance_threshold.get()),
        }
    }

    /// Months between reviews of a risk of this level.
    pub fn review_months_for(&self, level: ResidualLevel) -> u32 {
        match self.review_months.get() {
            ReviewMonths::Every(m) => *m,
            ReviewMonths::ByLevel(by) => match level {
                ResidualLevel::Low => by.low,
                ResidualLevel::Medium => by.medium,
                ResidualLevel::High => by.high,
                ResidualLevel::Critical => by.critical,
            }
            .unwrap_or(DEFAULT_REVIEW_MONTHS),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Config;

    fn risk(toml_text: &str) -> RiskSettings {
        let config: Config = toml::from_str(&format!(
            "[organisation]\nname = \"A\"\nscope = \"B\"\n[risk]\n{toml_text}"
        ))
        .unwrap();
        config.risk
    }

    #[test]
    fn without_levels_the_range_is_cut_in_four_bands() {
        let r = risk("scale = 5");
        assert_eq!(r.max_score(), 25);
        assert_eq!(r.level_of(6), ResidualLevel::Low);
        assert_eq!(r.level_of(7), ResidualLevel::Medium);
        assert_eq!(r.level_of(12), ResidualLevel::Medium);
        assert_eq!(r.level_of(18), ResidualLevel::High);
        assert_eq!(r.level_of(19), ResidualLevel::Critical);
    }

    #[test]
    fn separate_scales_and_written_levels() {
        let r = risk(
            "likelihood_scale = 6\nimpact_scale = 5\n[risk.levels]\nlow = 6\nmedium = 12\nhigh = 20",
        );
        assert_eq!(
            (r.likelihood_max(), r.impact_max(), r.max_score()),
            (6, 5, 30)
        );
        assert_eq!(r.level_of(6), ResidualLevel::Low);
        assert_eq!(r.level_of(20), ResidualLevel::High);
        assert_eq!(r.level_of(21), ResidualLevel::Critical);
    }

    #[test]
    fn review_months_by_level_with_a_default_for_the_rest() {
        let r = risk("review_months = { low = 24, high = 6 }");
        assert_eq!(r.review_months_for(ResidualLevel::Low), 24);
        assert_eq!(r.review_months_for(ResidualLevel::Medium), 12);
        assert_eq!(r.review_months_for(ResidualLevel::High), 6);
        assert_eq!(
            risk("review_months = 3").review_months_for(ResidualLevel::Low),
            3
        );
    }

    #[test]
    fn bad_review_months_are_errors() {
        let bad = |t: &str| {
            toml::from_str::<Config>(&format!(
                "[organisation]\nname = \"A\"\nscope = \"B\"\n[risk]\n{t}"
            ))
            .unwrap_err()
            .to_string()
        };
        assert!(
            bad("review_months = 0").contains("out of range"),
            "{}",
            bad("review_months = 0")
        );
        assert!(bad("review_months = { low = 500 }").contains("out of range"));
        assert!(bad("review_months = { severe = 5 }").contains("unknown field"));
        assert!(bad("review_months = \"yearly\"").contains("months by level"));
    }
}
