//! TOML parsing and typed deserialization that turn every failure into a located diagnostic.

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::diagnostics::Diagnostic;
use crate::model::{FileId, Origin};
use crate::rules::Rule;
use crate::suggest;

pub(crate) type Table<'a> = toml::Spanned<DeTable<'a>>;
pub(crate) type Value<'a> = toml::Spanned<DeValue<'a>>;

/// Parses TOML text. Every syntax error is a LOAD001; the (partial) table is returned with
/// whether it is complete, so ids can still be recovered from a broken file.
pub(crate) fn parse<'a>(
    file: FileId,
    text: &'a str,
    out: &mut Vec<Diagnostic>,
) -> (Table<'a>, bool) {
    let (table, errors) = DeTable::parse_recoverable(text);
    for error in &errors {
        let span = error.span().unwrap_or(0..0);
        out.push(
            Diagnostic::new(Rule::LOAD001, format!("invalid TOML: {}", error.message()))
                .at(Origin { file, span })
                .help(syntax_help(error.message())),
        );
    }
    (table, errors.is_empty())
}

fn syntax_help(message: &str) -> String {
    if message.contains("duplicate key") {
        "each key may appear once in a table; remove or rename the second one".into()
    } else if message.contains("must be quoted") {
        "text values are written in double quotes: key = \"value\"".into()
    } else if message.contains("date") || message.contains("datetime") {
        "dates are written unquoted as YYYY-MM-DD, for example 2026-03-12".into()
    } else {
        "fix the TOML syntax at this place; see https://toml.io for the format".into()
    }
}

/// A whole table as one value, to deserialize single-object files.
pub(crate) fn as_value<'a>(table: &Table<'a>) -> Value<'a> {
    toml::Spanned::new(table.span(), DeValue::Table(table.get_ref().clone()))
}

/// Deserializes one value into `T`. A schema error (unknown or missing field, wrong type, bad
/// enum value or id) is a LOAD002 that names `what` was being read.
pub(crate) fn deserialize<T: DeserializeOwned>(
    file: FileId,
    value: &Value<'_>,
    what: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<T> {
    match T::deserialize(ValueDeserializer::from(value.clone())) {
        Ok(v) => Some(v),
        Err(error) => {
            let span = error.span().unwrap_or_else(|| value.span());
            out.push(schema_diagnostic(error.message(), what).at(Origin { file, span }));
            None
        }
    }
}

/// The backquoted names in a serde message: "expected one of `a`, `b`" gives [a, b].
fn quoted(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

pub(crate) fn schema_diagnostic(message: &str, what: &str) -> Diagnostic {
    let names = quoted(message);
    if message.starts_with("unknown field") {
        let (field, expected) = names.split_first().map_or(("", &[][..]), |(f, e)| (*f, e));
        let d = Diagnostic::new(Rule::LOAD002, format!("unknown field `{field}` in {what}"));
        let fields = expected.join(", ");
        match suggest::did_you_mean(field, expected.iter().copied()) {
            Some(best) => d.label(format!("did you mean `{best}`?")).help(format!(
                "rename it to `{best}`; the fields of {what} are: {fields}"
            )),
            None => d
                .label("not a field of this table")
                .help(format!("the fields of {what} are: {fields}")),
        }
    } else if message.starts_with("missing field") {
        let field = names.first().copied().unwrap_or("?");
        Diagnostic::new(
            Rule::LOAD002,
            format!("{what} is missing the required field `{field}`"),
        )
        .label(format!("add `{field} = ...` here"))
        .help(format!(
            "every {what} needs `{field}`; see `isms schema` for the format"
        ))
    } else if message.starts_with("unknown variant") {
        let (value, expected) = names.split_first().map_or(("", &[][..]), |(f, e)| (*f, e));
        let d = Diagnostic::new(
            Rule::LOAD002,
            format!("`{value}` is not an allowed value in {what}"),
        );
        let allowed = expected.join(", ");
        match suggest::did_you_mean(value, expected.iter().copied()) {
            Some(best) => d
                .label(format!("did you mean `{best}`?"))
                .help(format!("allowed values: {allowed}")),
            None => d
                .label("not allowed here")
                .help(format!("allowed values: {allowed}")),
        }
    } else if message.starts_with("invalid type") {
        Diagnostic::new(Rule::LOAD002, format!("wrong type in {what}: {message}"))
            .label("wrong type")
            .help("check the value against the format: `isms schema` prints it")
    } else {
        Diagnostic::new(Rule::LOAD002, format!("invalid value in {what}: {message}")).label("here")
    }
}

/// A string field of a raw table, to recover an object's id when the object itself is invalid.
pub(crate) fn raw_str<'a>(value: &'a Value<'_>, key: &str) -> Option<&'a str> {
    value.get_ref().as_table()?.get(key)?.get_ref().as_str()
}

/// Every `[[key]]` entry of a collection file; other top-level keys are LOAD002.
pub(crate) fn entries<'t, 'a>(
    file: FileId,
    table: &'t Table<'a>,
    key: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<&'t Value<'a>> {
    let mut items = Vec::new();
    for (k, v) in table.get_ref().iter() {
        if k.get_ref() != key {
            let d = Diagnostic::new(
                Rule::LOAD002,
                format!(
                    "unknown table `{}`: this file holds `[[{key}]]` entries",
                    k.get_ref()
                ),
            )
            .at(Origin {
                file,
                span: k.span(),
            });
            out.push(match suggest::did_you_mean(k.get_ref(), [key]) {
                Some(best) => d
                    .label(format!("did you mean `{best}`?"))
                    .help(format!("write each entry as `[[{key}]]`")),
                None => d
                    .label("unknown")
                    .help(format!("write each entry as `[[{key}]]`")),
            });
            continue;
        }
        match v.get_ref().as_array() {
            Some(array) => {
                for item in array.iter() {
                    if item.get_ref().is_table() {
                        items.push(item);
                    } else {
                        out.push(
                            Diagnostic::new(
                                Rule::LOAD002,
                                format!("`{key}` entries must be tables"),
                            )
                            .at(Origin {
                                file,
                                span: item.span(),
                            })
                            .help(format!("write each entry as a `[[{key}]]` table")),
                        );
                    }
                }
            }
            None => out.push(
                Diagnostic::new(
                    Rule::LOAD002,
                    format!("`{key}` must be a list of `[[{key}]]` tables"),
                )
                .at(Origin {
                    file,
                    span: k.span(),
                })
                .help(format!(
                    "write each entry as a `[[{key}]]` table, with double brackets"
                )),
            ),
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_suggests_the_closest() {
        let d = schema_diagnostic(
            "unknown field `titel`, expected one of `id`, `title`, `owner`",
            "[[risk]]",
        );
        assert_eq!(d.message, "unknown field `titel` in [[risk]]");
        assert_eq!(
            d.help.as_deref(),
            Some("rename it to `title`; the fields of [[risk]] are: id, title, owner")
        );
    }

    #[test]
    fn unknown_variant_lists_the_allowed() {
        let d = schema_diagnostic(
            "unknown variant `hgh`, expected `high` or `low`",
            "[[area]]",
        );
        assert_eq!(d.message, "`hgh` is not an allowed value in [[area]]");
        assert_eq!(d.help.as_deref(), Some("allowed values: high, low"));
    }
}
