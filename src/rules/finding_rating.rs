//! Finding ratings (`[findings.ratings]`): the organisation's own scale (critical, high, ...)
//! mapped to ISO types and deadlines. FIND013 checks a finding's rating; the deadline it gives
//! replaces the generic ones of FIND008, FIND011 and PROG005.

use crate::diagnostics::Diagnostic;
use crate::model::{Date, Finding, FindingRating};

use super::{Context, Rule};

/// The rating of a finding, when it names one that `[findings.ratings]` defines.
pub(crate) fn rating_of<'a>(cx: &Context<'a>, f: &Finding) -> Option<(&'a str, &'a FindingRating)> {
    let name = f.rating.as_ref()?;
    cx.config()
        .findings
        .ratings
        .iter()
        .find(|(k, _)| k.as_str() == name.as_str())
        .map(|(k, r)| (k.as_str(), r))
}

/// The day by which a rated finding is to be closed (and its area re-audited).
pub(crate) fn deadline(cx: &Context<'_>, f: &Finding) -> Option<(Date, u32)> {
    cx.config().findings.deadline(f)
}

/// FIND013: a rating that `[findings.ratings]` lacks, or whose type is not the finding's.
pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let ratings = &cx.config().findings.ratings;
    let names: Vec<&str> = ratings.keys().map(|k| k.as_str()).collect();
    for f in &cx.isms.findings {
        let Some(name) = &f.rating else { continue };
        let fid = f.id.as_str();
        match rating_of(cx, f) {
            None => {
                let known = if names.is_empty() {
                    "`[findings.ratings]` in isms.toml defines none".to_string()
                } else {
                    format!("`[findings.ratings]` defines {}", names.join(", "))
                };
                let mut d = Diagnostic::new(
                    Rule::FIND013,
                    format!("{fid} is rated `{}`, which is not a rating of the ISMS", name.as_str()),
                )
                .at(f.origin.at(name))
                .label("unknown rating")
                .help(format!("{known}: use one of them, or define the rating with its ISO type and deadline, `{} = {{ type = \"{}\", deadline_months = 12 }}`", name.as_str(), f.kind.as_str()));
                if let Some(best) = crate::suggest::did_you_mean(name.as_str(), names.iter().copied()) {
                    d = d.label(format!("did you mean `{best}`?"));
                }
                out.push(d);
            }
            Some((_, rating)) if rating.kind.get() != f.kind.get() => out.push(
                Diagnostic::new(
                    Rule::FIND013,
                    format!(
                        "{fid} is rated `{}`, which is a `{}`, but its type is `{}`",
                        name.as_str(),
                        rating.kind.as_str(),
                        f.kind.as_str()
                    ),
                )
                .at(f.origin.at(&f.kind))
                .label(format!("`{}` asks for `{}`", name.as_str(), rating.kind.as_str()))
                .related(f.origin.at(name), "the rating")
                .help(format!("the rating decides the ISO type: write `type = \"{}\"`, or rate the finding with a rating of type `{}`", rating.kind.as_str(), f.kind.as_str())),
            ),
            Some(_) => {}
        }
    }
}
