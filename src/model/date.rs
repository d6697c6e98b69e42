//! Calendar dates as the ISMS writes them (TOML local dates), with month arithmetic for due dates.

use std::borrow::Cow;
use std::fmt;

use jiff::civil;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date without time or zone, such as `2026-03-12`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(civil::Date);

impl Date {
    pub fn new(year: i16, month: i8, day: i8) -> Option<Self> {
        civil::Date::new(year, month, day).ok().map(Self)
    }

    /// Parses `YYYY-MM-DD`, the form `--today` and `ISMS_TODAY` take.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a date: write it as YYYY-MM-DD, for example 2026-03-12");
        let parts: Vec<&str> = s.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>()) else {
            return Err(bad());
        };
        Self::new(y, m, d).ok_or_else(|| format!("`{s}` is not a day of the calendar"))
    }

    /// Today in the machine's time zone.
    pub fn today() -> Self {
        Self(jiff::ZonedDateTime::now().date())
    }

    /// The same day `months` later; the last day of the month when that day does not exist
    /// (2026-01-31 + 1 month = 2026-02-28).
    /// Never panics: a count beyond what a calendar span holds ends at the first or last day
    /// jiff knows (the loader's range checks keep real input far from that).
    pub fn add_months(self, months: i64) -> Self {
        match jiff::Span::new().try_months(months) {
            Ok(span) => Self(self.0.saturating_add(span)),
            Err(_) => self.saturate(months),
        }
    }

    /// Never panics, as [`Date::add_months`].
    pub fn add_days(self, days: i64) -> Self {
        match jiff::Span::new().try_days(days) {
            Ok(span) => Self(self.0.saturating_add(span)),
            Err(_) => self.saturate(days),
        }
    }

    fn saturate(self, direction: i64) -> Self {
        Self(if direction < 0 {
            civil::Date::MIN
        } else {
            civil::Date::MAX
        })
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        i64::from((later.0 - self.0).get_days())
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }

    pub fn month(self) -> i8 {
        self.0.month()
    }

    pub fn day(self) -> i8 {
        self.0.day()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// TOML hands a date either as its datetime type or, when quoted, as a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateRepr {
    Datetime(toml::value::Datetime),
    Text(String),
    Other(serde::de::IgnoredAny),
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match DateRepr::deserialize(deserializer)? {
            DateRepr::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => Date::new(d.year as i16, d.month as i8, d.day as i8)
                    .ok_or_else(|| {
                        D::Error::custom(format!("`{dt}` is not a day of the calendar"))
                    }),
                _ => Err(D::Error::custom(format!(
                    "expected a date without time, for example {}",
                    dt.date.map_or("2026-03-12".to_string(), |d| d.to_string())
                ))),
            },
            DateRepr::Text(s) => Err(D::Error::custom(match Date::parse(&s) {
                Ok(d) => format!("dates are TOML dates, written without quotes: {d}"),
                Err(e) => e,
            })),
            DateRepr::Other(_) => Err(D::Error::custom("expected a date, for example 2026-03-12")),
        }
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "description": "A TOML local date, unquoted: 2026-03-12"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        assert_eq!(d("2026-01-31").add_months(1), d("2026-02-28"));
        assert_eq!(d("2028-01-31").add_months(1), d("2028-02-29"));
        assert_eq!(d("2026-03-12").add_months(12), d("2027-03-12"));
        assert_eq!(d("2026-12-31").add_months(-6), d("2026-06-30"));
    }

    #[test]
    fn arithmetic_never_panics() {
        for n in [
            i64::MIN,
            -239_977,
            239_977,
            7_300_000,
            i64::from(u32::MAX),
            i64::MAX,
        ] {
            let start = d("2026-03-12");
            let later = start.add_months(n);
            let sooner = start.add_days(n);
            assert_eq!(later >= start, n >= 0, "{n} months");
            assert_eq!(sooner >= start, n >= 0, "{n} days");
        }
        assert_eq!(d("2026-03-12").add_days(i64::MAX), Date(civil::Date::MAX));
        assert_eq!(d("2026-03-12").add_months(i64::MIN), Date(civil::Date::MIN));
    }

    /// Properties over every day of 2020-2031 and month counts across the allowed range and
    /// beyond: the result is a real day, later for a positive count, never past the day of
    /// month it started from, and `days_until` agrees with `add_days`.
    #[test]
    fn month_and_day_arithmetic_properties() {
        let mut day = d("2020-01-01");
        let end = d("2032-01-01");
        let counts = [
            -1_300, -121, -120, -13, -12, -1, 0, 1, 2, 11, 12, 24, 119, 120, 121, 1_300,
        ];
        while day < end {
            for n in counts {
                let moved = day.add_months(n);
                assert_eq!(moved.cmp(&day), n.cmp(&0), "{day} + {n} months = {moved}");
                assert!(moved.0.day() <= day.0.day(), "{day} + {n} months = {moved}");
                assert_eq!(Date::parse(&moved.to_string()), Ok(moved));
                let shifted = day.add_days(n);
                assert_eq!(day.days_until(shifted), n, "{day} + {n} days = {shifted}");
            }
            day = day.add_days(1);
        }
    }

    #[test]
    fn days_between() {
        assert_eq!(d("2026-01-01").days_until(d("2026-12-31")), 364);
        assert_eq!(d("2028-02-01").days_until(d("2028-03-01")), 29);
        assert_eq!(d("2026-03-12").days_until(d("2026-03-01")), -11);
    }

    #[test]
    fn parse_rejects_nonsense() {
        assert!(Date::parse("2026-02-30").is_err());
        assert!(Date::parse("12/03/2026").is_err());
        assert!(Date::parse("2026-3-1").is_err());
    }
}
