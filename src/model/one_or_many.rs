//! A field that holds one value or a list (`accepted_by = "bob"` or `["bob", "carol"]`), read
//! into one list with every element's span, so version 1 files keep their meaning.

use std::fmt;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::de::{IntoDeserializer, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Spanned;

/// One value or a list of them, in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOrMany<T>(pub Vec<Spanned<T>>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    pub fn iter(&self) -> std::slice::Iter<'_, Spanned<T>> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn first(&self) -> Option<&Spanned<T>> {
        self.0.first()
    }
}

impl<'a, T> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a Spanned<T>;
    type IntoIter = std::slice::Iter<'a, Spanned<T>>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The span of the whole value stands for a single value's own.
        let whole = toml::Spanned::<Raw<T>>::deserialize(deserializer)?;
        let span = whole.span();
        Ok(match whole.into_inner() {
            Raw::One(v) => OneOrMany(vec![Spanned::new(v, span)]),
            Raw::Many(list) => OneOrMany(list),
        })
    }
}

enum Raw<T> {
    One(T),
    Many(Vec<Spanned<T>>),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Raw<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for RawVisitor<T> {
            type Value = Raw<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Raw<T>, E> {
                T::deserialize(v.into_deserializer()).map(Raw::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw<T>, A::Error> {
                let mut list = Vec::new();
                while let Some(v) = seq.next_element::<Spanned<T>>()? {
                    list.push(v);
                }
                Ok(Raw::Many(list))
            }
        }
        deserializer.deserialize_any(RawVisitor(PhantomData))
    }
}

/// Written back as it is usually read: nothing as null (an absent field), a lone value as
/// itself, several as a list.
impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [] => serializer.serialize_none(),
            [one] => one.serialize(serializer),
            many => many.serialize(serializer),
        }
    }
}

impl<T: JsonSchema> JsonSchema for OneOrMany<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("OneOrMany_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let one = generator.subschema_for::<T>();
        schemars::json_schema!({
            "anyOf": [one, { "type": "array", "items": one, "minItems": 1 }]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PersonId;

    #[derive(Deserialize)]
    struct Holder {
        who: OneOrMany<PersonId>,
    }

    #[test]
    fn one_value_and_a_list_both_keep_their_spans() {
        let one: Holder = toml::from_str("who = \"bob\"").unwrap();
        assert_eq!(one.who.0.len(), 1);
        assert_eq!(one.who.0[0].as_str(), "bob");
        assert_eq!(one.who.0[0].span(), 6..11);
        let many: Holder = toml::from_str("who = [\"bob\", \"carol\"]").unwrap();
        let ids: Vec<&str> = many.who.iter().map(|p| p.as_str()).collect();
        assert_eq!(ids, ["bob", "carol"]);
        assert_eq!(many.who.0[1].span(), 14..21);
    }

    #[test]
    fn a_bad_element_is_an_error_not_a_skip() {
        assert!(toml::from_str::<Holder>("who = [\"bob\", \"Carol Smith\"]").is_err());
        assert!(toml::from_str::<Holder>("who = 3").is_err());
    }
}
