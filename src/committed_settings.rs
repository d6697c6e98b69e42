//! The settings that weaken or define the impartiality proof (`[independence]`, the `[rules]`
//! entries of the IND rules) and the OpenPGP keys under keys/ are taken from the checked
//! snapshot (HEAD's tree, or the index under `--staged`), never from the working tree: an
//! uncommitted `signatures = "off"`, key, `ignore_revs_file` or `IND002 = "off"` changes
//! nothing. When the working tree differs, the check says so once (IND018).

use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::model::{Config, Isms, SeverityOverride, Spanned};

/// A setting the working tree changes, and where the working tree sets it (empty: not set).
pub(crate) type Changed = (&'static str, Range<usize>);

/// `[rules]` of isms.toml.
type Overrides = std::collections::BTreeMap<Spanned<String>, Spanned<SeverityOverride>>;
use crate::rules::Rule;
use crate::source::{Memory, Source};

/// Replaces the trust settings of `isms` (loaded from the working tree) with those of the
/// committed isms.toml (`None` when the snapshot holds none, or none that parses: every setting
/// then has its default). Returns the settings that differed, with where the working tree
/// sets them. Values taken from the snapshot keep the working tree's positions, so diagnostics
/// point where the user edits.
pub(crate) fn adopt(isms: &mut Isms, committed: Option<&Config>) -> Vec<Changed> {
    let default = Config::default();
    let committed = committed.unwrap_or(&default);
    let mut changed = Vec::new();
    let Some(config) = isms.config.as_mut() else {
        return changed;
    };
    let (work, snap) = (&mut config.independence, &committed.independence);
    take(
        "lookback_months",
        &mut work.lookback_months,
        &snap.lookback_months,
        &mut changed,
    );
    take(
        "ignore_revs_file",
        &mut work.ignore_revs_file,
        &snap.ignore_revs_file,
        &mut changed,
    );
    take(
        "signatures",
        &mut work.signatures,
        &snap.signatures,
        &mut changed,
    );
    take_list(
        "ignore_authors",
        &mut work.ignore_authors,
        &snap.ignore_authors,
        &mut changed,
    );
    take_list(
        "platform_keys",
        &mut work.platform_keys,
        &snap.platform_keys,
        &mut changed,
    );
    let impartiality = |code: &Spanned<String>| code.get().to_ascii_uppercase().starts_with("IND");
    let entries = |rules: &Overrides| -> Vec<(String, SeverityOverride)> {
        rules
            .iter()
            .filter(|(code, _)| impartiality(code))
            .map(|(code, severity)| (code.get().to_ascii_uppercase(), *severity.get()))
            .collect()
    };
    if entries(&config.rules) != entries(&committed.rules) {
        let anchor = config
            .rules
            .keys()
            .find(|code| impartiality(code))
            .map_or(0..0, Spanned::span);
        config.rules.retain(|code, _| !impartiality(code));
        for (code, severity) in &committed.rules {
            if impartiality(code) {
                config.rules.insert(
                    Spanned::new(code.get().clone(), anchor.clone()),
                    Spanned::new(*severity.get(), anchor.clone()),
                );
            }
        }
        changed.push(("[rules] for IND codes", anchor));
    }
    changed
}

fn take<T: PartialEq + Clone>(
    name: &'static str,
    work: &mut Spanned<T>,
    committed: &Spanned<T>,
    changed: &mut Vec<Changed>,
) {
    if work.get() != committed.get() {
        *work = Spanned::new(committed.get().clone(), work.span());
        changed.push((name, work.span()));
    }
}

fn take_list(
    name: &'static str,
    work: &mut Vec<Spanned<String>>,
    committed: &[Spanned<String>],
    changed: &mut Vec<Changed>,
) {
    let values =
        |list: &[Spanned<String>]| list.iter().map(|v| v.get().clone()).collect::<Vec<_>>();
    if values(work) != values(committed) {
        let anchor: Range<usize> = work.first().map_or(0..0, Spanned::span);
        *work = committed
            .iter()
            .map(|v| Spanned::new(v.get().clone(), anchor.clone()))
            .collect();
        changed.push((name, anchor));
    }
}

/// The committed isms.toml of `snapshot`, parsed as the loader parses it; `None` when the
/// snapshot holds no isms.toml or one that is not valid.
pub(crate) fn committed_config(snapshot: &dyn Source, display_prefix: &str) -> Option<Config> {
    let bytes = snapshot.read("isms.toml").ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let alone = Memory::new([("isms.toml", text.as_str())]);
    crate::load::load(&alone, display_prefix).isms.config
}

/// IND018 (info): what the working tree changes that the proof does not use, shown at the
/// first of those settings in isms.toml.
pub(crate) fn uncommitted(isms: &Isms, changed: &[Changed]) -> Option<Diagnostic> {
    let at = changed.iter().map(|(_, span)| span).find(|s| !s.is_empty());
    let origin = isms.config_origin.clone().unwrap_or_default();
    let origin = match at {
        Some(span) => origin.at_span(span.clone()),
        None => origin,
    };
    if changed.is_empty() {
        return None;
    }
    let names = changed
        .iter()
        .map(|(n, _)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(
        Diagnostic::new(
            Rule::IND018,
            format!(
                "the working tree changes what the impartiality proof trusts ({names}), but the proof uses HEAD's version: uncommitted settings and keys change nothing"
            ),
        )
        .at(origin)
        .label("not used until committed")
            .help(
            "settings that weaken or define the proof (`[independence]`, `[rules]` for IND codes) and the keys under keys/ count once recorded in git, where the commit that changes them is itself judged; commit the change for it to count (or stage it and run `isms check --staged`)",
        ),
    )
}
