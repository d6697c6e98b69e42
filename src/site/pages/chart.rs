//! The geometry of the site's small trend charts (objective results, maturity over time):
//! dates across, values up, computed here so the templates only draw (`macros.html`'s
//! `chart`). Every point carries its value as text, so no meaning rests on colour alone.

use serde::Serialize;

use crate::model::Date;

/// The drawing area inside the chart's view box, leaving room for the axis labels.
const LEFT: f64 = 92.0;
const RIGHT: f64 = 584.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 170.0;
/// The view box.
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 204.0;

/// A chart as the template draws it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Chart {
    pub width: f64,
    pub height: f64,
    /// The SVG's `<title>`.
    pub title: String,
    /// A sentence saying what the chart shows, for screen readers and print.
    pub summary: String,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub series: Vec<Series>,
    pub target: Option<Target>,
    /// No point to draw: the template says so instead of drawing empty axes.
    pub empty: bool,
}

/// An axis label and where it goes (`x` for the date axis, `y` for the value axis).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Tick {
    pub at: f64,
    pub label: String,
}

/// One line of points; `shape` tells series apart without colour (`circle`, `square`).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Series {
    pub name: String,
    pub shape: &'static str,
    /// Whether the points are joined (a claim that holds until the next version is).
    pub line: bool,
    /// SVG polyline points, `x,y x,y`.
    pub path: String,
    pub points: Vec<Point>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Point {
    pub x: f64,
    pub y: f64,
    /// What the point says, shown on hover and read out: `2026-10-31: 96% (target missed)`.
    pub label: String,
    /// Drawn hollow: a missed target.
    pub hollow: bool,
}

/// A horizontal target line.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Target {
    pub y: f64,
    pub label: String,
}

/// A value to plot.
pub(crate) struct Datum {
    pub on: Date,
    pub value: f64,
    pub label: String,
    pub hollow: bool,
}

/// The value axis: its range and how its ticks read.
pub(crate) struct Scale {
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<(f64, String)>,
}

impl Scale {
    /// Maturity levels 0 to 5, each tick named.
    pub fn maturity() -> Scale {
        let names = [
            "0 none",
            "1 initial",
            "2 managed",
            "3 defined",
            "4 measured",
            "5 optimising",
        ];
        Scale {
            min: 0.0,
            max: 5.0,
            ticks: names
                .iter()
                .enumerate()
                .map(|(i, n)| (i as f64, n.to_string()))
                .collect(),
        }
    }

    /// A range covering `values` with some room, ticks at round steps (1, 2 or 5 times a power
    /// of ten), labels with `unit` after them.
    pub fn around(values: &[f64], unit: &str) -> Scale {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if !lo.is_finite() {
            (0.0, 1.0)
        } else if (hi - lo).abs() < f64::EPSILON {
            (lo - 1.0, hi + 1.0)
        } else {
            (lo, hi)
        };
        let step = round_step((hi - lo) / 4.0);
        let (min, max) = ((lo / step).floor() * step, (hi / step).ceil() * step);
        let count = ((max - min) / step).round() as i64;
        let ticks = (0..=count)
            .map(|i| {
                let v = min + step * i as f64;
                (v, format!("{}{unit}", number_label(v)))
            })
            .collect();
        Scale { min, max, ticks }
    }

    fn y(&self, value: f64) -> f64 {
        let span = (self.max - self.min).max(f64::EPSILON);
        let y = BOTTOM - (value - self.min) / span * (BOTTOM - TOP);
        round(y.clamp(TOP, BOTTOM))
    }
}

/// The round step (1, 2 or 5 times a power of ten) at or above `rough`.
fn round_step(rough: f64) -> f64 {
    let power = 10f64.powf(rough.max(f64::EPSILON).log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power)
}

/// A number as an axis label: whole when it is, else one decimal.
fn number_label(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// Two decimals: enough for a 600-unit view box, and stable text for byte-identical builds.
fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Builds a chart of dated series over one value scale.
pub(crate) struct Builder {
    title: String,
    summary: String,
    scale: Scale,
    series: Vec<(String, &'static str, bool, Vec<Datum>)>,
    target: Option<(f64, String)>,
}

impl Builder {
    pub fn new(title: String, summary: String, scale: Scale) -> Builder {
        Builder {
            title,
            summary,
            scale,
            series: Vec::new(),
            target: None,
        }
    }

    pub fn series(mut self, name: &str, shape: &'static str, line: bool, data: Vec<Datum>) -> Self {
        self.series.push((name.to_string(), shape, line, data));
        self
    }

    pub fn target(mut self, value: f64, label: String) -> Self {
        self.target = Some((value, label));
        self
    }

    /// The chart's frame, with nothing drawn in it yet.
    fn frame(title: String, summary: String) -> Chart {
        Chart {
            width: WIDTH,
            height: HEIGHT,
            title,
            summary,
            left: LEFT,
            right: RIGHT,
            top: TOP,
            bottom: BOTTOM,
            y_ticks: Vec::new(),
            x_ticks: Vec::new(),
            series: Vec::new(),
            target: None,
            empty: true,
        }
    }

    pub fn build(self) -> Chart {
        let dates: Vec<Date> = self
            .series
            .iter()
            .flat_map(|s| s.3.iter().map(|d| d.on))
            .collect();
        let first = dates.iter().min().copied();
        let last = dates.iter().max().copied();
        let (t0, t1) = match (first, last) {
            (Some(a), Some(b)) if a < b => (a, b),
            (Some(a), _) => (a.add_days(-15), a.add_days(15)),
            _ => return Builder::frame(self.title, self.summary),
        };
        let span = t0.days_until(t1).max(1) as f64;
        let x = |d: Date| round(LEFT + t0.days_until(d) as f64 / span * (RIGHT - LEFT));
        let scale = &self.scale;
        let series = self
            .series
            .into_iter()
            .map(|(name, shape, line, mut data)| {
                data.sort_by_key(|d| d.on);
                let points: Vec<Point> = data
                    .into_iter()
                    .map(|d| Point {
                        x: x(d.on),
                        y: scale.y(d.value),
                        label: d.label,
                        hollow: d.hollow,
                    })
                    .collect();
                let path = points
                    .iter()
                    .map(|p| format!("{},{}", p.x, p.y))
                    .collect::<Vec<_>>()
                    .join(" ");
                Series {
                    name,
                    shape,
                    line,
                    path,
                    points,
                }
            })
            .collect();
        Chart {
            y_ticks: scale
                .ticks
                .iter()
                .map(|(v, label)| Tick {
                    at: scale.y(*v),
                    label: label.clone(),
                })
                .collect(),
            x_ticks: if t0.days_until(t1) < 60 {
                vec![
                    Tick {
                        at: x(t0),
                        label: t0.to_string(),
                    },
                    Tick {
                        at: x(t1),
                        label: t1.to_string(),
                    },
                ]
            } else {
                let mid = t0.add_days(t0.days_until(t1) / 2);
                [t0, mid, t1]
                    .into_iter()
                    .map(|d| Tick {
                        at: x(d),
                        label: d.to_string(),
                    })
                    .collect()
            },
            series,
            target: self.target.map(|(v, label)| Target {
                y: scale.y(v),
                label,
            }),
            empty: false,
            ..Builder::frame(self.title, self.summary)
        }
    }
}

/// The number a measurement begins with, such as `96%`, `>= 98 %` or `1,5 days` (a decimal
/// comma read as a point); `None` when the text does not begin with one, after an optional
/// comparison sign: `stage 1 booking requested` is a narrative result, not the value 1.
pub(crate) fn number_in(text: &str) -> Option<f64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let is_sign = |c: char| c.is_whitespace() || "<>=≤≥~≈+-".contains(c);
    if !text[..start].chars().all(is_sign) {
        return None;
    }
    let negative = text[..start].ends_with('-');
    let digits: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let value: f64 = digits.trim_end_matches('.').parse().ok()?;
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::{Builder, Datum, Scale, number_in};
    use crate::model::Date;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn numbers_are_read_from_targets_and_results() {
        assert_eq!(number_in(">= 98%"), Some(98.0));
        assert_eq!(number_in("96.5 %"), Some(96.5));
        assert_eq!(number_in("1,5 days"), Some(1.5));
        assert_eq!(number_in("-3"), Some(-3.0));
        assert_eq!(number_in("all of them"), None);
        assert_eq!(number_in("≥ 95 % each quarter"), Some(95.0));
        assert_eq!(
            number_in("stage 1 booking requested (milestone 2 of 4)"),
            None
        );
        assert_eq!(
            number_in("every milestone on time; stage 2 audit passed"),
            None
        );
    }

    #[test]
    fn points_run_left_to_right_by_date_and_up_by_value() {
        let chart = Builder::new("t".into(), "s".into(), Scale::around(&[90.0, 100.0], "%"))
            .series(
                "results",
                "circle",
                true,
                vec![
                    Datum {
                        on: day("2026-03-01"),
                        value: 100.0,
                        label: "b".into(),
                        hollow: false,
                    },
                    Datum {
                        on: day("2026-01-01"),
                        value: 90.0,
                        label: "a".into(),
                        hollow: true,
                    },
                ],
            )
            .target(95.0, ">= 95%".into())
            .build();
        let p = &chart.series[0].points;
        assert_eq!(p[0].label, "a", "sorted by date");
        assert!(p[0].x < p[1].x && p[0].y > p[1].y, "{p:?}");
        let target = chart.target.unwrap();
        assert!(p[1].y < target.y && target.y < p[0].y);
        let ticks: Vec<&str> = chart.y_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(ticks, ["90%", "95%", "100%"]);
    }
}
