//! Allowed ranges of the numeric settings, checked while reading, so no value that reaches date
//! arithmetic can overflow it and every value out of range is a located LOAD002 naming the range.

use serde::de::Error;
use serde::{Deserialize, Deserializer};

use super::Spanned;

/// Months a setting may count: at least one, at most ten years.
pub(crate) const MAX_MONTHS: u32 = 120;
/// Days a setting may count: at most ten years.
pub(crate) const MAX_DAYS: u32 = 3650;
/// The largest risk scale: likelihood and impact from 1 to 10.
pub(crate) const MAX_SCALE: u8 = 10;

/// Reads an integer (TOML integers are 64-bit) and checks it lies in `min..=max`.
fn checked<'de, D: Deserializer<'de>>(
    deserializer: D,
    min: u32,
    max: u32,
    unit: &str,
) -> Result<Spanned<u32>, D::Error> {
    let value = Spanned::<i64>::deserialize(deserializer)?;
    let span = value.span();
    match u32::try_from(*value.get()) {
        Ok(v) if (min..=max).contains(&v) => Ok(Spanned::new(v, span)),
        _ => Err(D::Error::custom(format!(
            "{} is out of range: write a number of {unit} from {min} to {max}",
            value.get()
        ))),
    }
}

/// A month count from `MIN` to `MAX`.
pub(crate) fn months<'de, D: Deserializer<'de>, const MIN: u32, const MAX: u32>(
    deserializer: D,
) -> Result<Spanned<u32>, D::Error> {
    checked(deserializer, MIN, MAX, "months")
}

/// An optional month count from `MIN` to `MAX` (with `#[serde(default)]`).
pub(crate) fn optional_months<'de, D: Deserializer<'de>, const MIN: u32, const MAX: u32>(
    deserializer: D,
) -> Result<Option<Spanned<u32>>, D::Error> {
    checked(deserializer, MIN, MAX, "months").map(Some)
}

/// A month count from `MIN` to `MAX`, without its span.
pub(crate) fn plain_months<'de, D: Deserializer<'de>, const MIN: u32, const MAX: u32>(
    deserializer: D,
) -> Result<u32, D::Error> {
    checked(deserializer, MIN, MAX, "months").map(Spanned::into_inner)
}

/// A day count from `MIN` to `MAX`.
pub(crate) fn days<'de, D: Deserializer<'de>, const MIN: u32, const MAX: u32>(
    deserializer: D,
) -> Result<Spanned<u32>, D::Error> {
    checked(deserializer, MIN, MAX, "days")
}

/// A score from `MIN` to `MAX` (the acceptance threshold; its fit to the scale is checked later).
pub(crate) fn score<'de, D: Deserializer<'de>, const MIN: u32, const MAX: u32>(
    deserializer: D,
) -> Result<Spanned<u32>, D::Error> {
    checked(deserializer, MIN, MAX, "points")
}

/// The risk scale: likelihood and impact are scored from 1 to this.
pub(crate) fn scale<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Spanned<u8>, D::Error> {
    let value = checked(deserializer, 2, u32::from(MAX_SCALE), "levels")?;
    let span = value.span();
    // In range 2..=10, so the conversion cannot fail; keep the fallback total anyway.
    Ok(Spanned::new(
        u8::try_from(value.into_inner()).unwrap_or(MAX_SCALE),
        span,
    ))
}

/// An optional month count from `MIN` to `MAX`, without its span (with `#[serde(default)]`).
pub(crate) fn optional_plain_months<'de, D: Deserializer<'de>, const MIN: u32, const MAX: u32>(
    deserializer: D,
) -> Result<Option<u32>, D::Error> {
    checked(deserializer, MIN, MAX, "months").map(|v| Some(v.into_inner()))
}

/// A risk scale of its own (`likelihood_scale`, `impact_scale`): from 2 to `MAX_SCALE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Scale(pub u8);

impl<'de> Deserialize<'de> for Scale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = i64::deserialize(deserializer)?;
        match u8::try_from(value) {
            Ok(v) if (2..=MAX_SCALE).contains(&v) => Ok(Scale(v)),
            _ => Err(D::Error::custom(format!(
                "{value} is out of range: write a number of levels from 2 to {MAX_SCALE}"
            ))),
        }
    }
}

impl schemars::JsonSchema for Scale {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Scale".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer", "minimum": 2, "maximum": MAX_SCALE })
    }
}

/// A share from 0 to 1 (0.7 is 70 %); TOML integers 0 and 1 are accepted too.
pub(crate) fn share<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Spanned<f64>, D::Error> {
    let value = Spanned::<Number>::deserialize(deserializer)?;
    let span = value.span();
    let share = match value.get() {
        Number::Float(f) => *f,
        // Only 0 and 1 can be in range; anything else is reported below as out of range.
        Number::Integer(i) => *i as f64,
    };
    if (0.0..=1.0).contains(&share) {
        Ok(Spanned::new(share, span))
    } else {
        Err(D::Error::custom(format!(
            "{share} is out of range: write a share from 0.0 to 1.0 (0.7 is 70 %)"
        )))
    }
}

/// A TOML number, integer or float.
#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Integer(i64),
    Float(f64),
}
