//! The framework packs isms.toml enables: the built-in pack, or the user's pack in
//! `.isms/frameworks/<name>.toml` that replaces or extends it, read through the source.

use std::collections::BTreeSet;

use super::{Loader, toml_de};
use crate::diagnostics::Diagnostic;
use crate::frameworks::{self, Pack};
use crate::model::{Origin, Spanned};
use crate::rules::Rule;

impl Loader<'_> {
    /// Resolves `frameworks = [...]` into packs; an unknown name or a broken pack is reported
    /// and left out, so the rest of the ISMS is still checked.
    pub(super) fn framework_packs(&mut self) {
        let Some(config) = &self.isms.config else {
            return;
        };
        let names: Vec<Spanned<String>> = config.frameworks.clone();
        let config_origin = self.isms.config_origin.clone().unwrap_or_default();
        let mut seen = BTreeSet::new();
        for name in names {
            let at = config_origin.at(&name);
            if !seen.insert(name.to_string()) {
                self.out.push(
                    Diagnostic::new(
                        Rule::LOAD003,
                        format!("the framework `{}` is enabled twice", name.as_str()),
                    )
                    .at(at)
                    .label("again here")
                    .help("list each framework once in `frameworks = [...]`"),
                );
                continue;
            }
            if !frameworks::is_valid_name(&name) {
                self.out.push(
                    Diagnostic::new(
                        Rule::LOAD002,
                        format!("`{}` is not a valid framework name", name.as_str()),
                    )
                    .at(at)
                    .help("a framework name is written in lowercase letters, digits and `-`, such as `gdpr`; it is also the name of its pack file"),
                );
                continue;
            }
            if let Some(pack) = self.framework_pack(&name, at) {
                self.isms.frameworks.push(pack);
            }
        }
    }

    fn framework_pack(&mut self, name: &Spanned<String>, at: Origin) -> Option<Pack> {
        let builtin = frameworks::builtin(name);
        let path = frameworks::user_pack_path(name);
        let text = match self.source.read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    let file = self.add_file(&path, String::new());
                    self.out.push(
                        Diagnostic::new(Rule::LOAD001, format!("`{path}` is not valid UTF-8 text"))
                            .in_file(file)
                            .help("save the pack as UTF-8 TOML"),
                    );
                    return None;
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if builtin.is_none() {
                    let known: Vec<&str> = frameworks::builtin_names().collect();
                    let d = Diagnostic::new(
                        Rule::LOAD002,
                        format!("unknown framework `{}`", name.as_str()),
                    )
                    .at(at);
                    let help = format!(
                        "the built-in frameworks are {}; a pack of your own goes in `{path}`",
                        known.join(", ")
                    );
                    self.out
                        .push(match crate::suggest::did_you_mean(name, known) {
                            Some(best) => d.label(format!("did you mean `{best}`?")).help(help),
                            None => d.label("no built-in pack and no file").help(help),
                        });
                }
                return builtin.cloned();
            }
            Err(e) => {
                let file = self.add_file(&path, String::new());
                self.out.push(
                    Diagnostic::new(Rule::LOAD001, format!("cannot read `{path}`: {e}"))
                        .in_file(file)
                        .help("make the pack readable, or remove it to use the built-in pack"),
                );
                return None;
            }
        };
        let file = self.add_file(&path, text.clone());
        let (table, complete) = toml_de::parse(file, &text, &mut self.out);
        if !complete {
            return None;
        }
        let value = toml_de::as_value(&table);
        let mut pack: Pack = toml_de::deserialize(file, &value, "a framework pack", &mut self.out)?;
        pack.origin = Some(Origin::in_file(file));
        for (requirement, entry) in pack.requirements.iter_mut().zip(
            table
                .get_ref()
                .get("requirement")
                .and_then(|v| v.get_ref().as_array())
                .into_iter()
                .flatten(),
        ) {
            requirement.origin = Some(Origin {
                file,
                span: entry.span(),
            });
        }
        let whole = Origin::in_file(file);
        if pack.name.as_str() != name.as_str() {
            self.out.push(
                Diagnostic::new(
                    Rule::LOAD002,
                    format!(
                        "the pack in `{path}` is named `{}`, not `{}`",
                        pack.name.as_str(),
                        name.as_str()
                    ),
                )
                .at(whole.at(&pack.name))
                .label("the name isms.toml enables it by")
                .help(format!(
                    "write `name = \"{}\"`, the file's name without `.toml`",
                    name.as_str()
                )),
            );
        }
        let mut ids = BTreeSet::new();
        for r in &pack.requirements {
            let at = r.origin.clone().unwrap_or_else(|| whole.clone());
            if !ids.insert(r.id.to_string()) {
                self.out.push(
                    Diagnostic::new(
                        Rule::LOAD003,
                        format!(
                            "two requirements of `{path}` have the id `{}`",
                            r.id.as_str()
                        ),
                    )
                    .at(at.at(&r.id))
                    .help("give each requirement its own id"),
                );
            }
            if r.controls.is_empty() && r.clauses.is_empty() {
                self.out.push(
                    Diagnostic::new(
                        Rule::LOAD002,
                        format!("requirement `{}` maps to no control and no clause", r.id.as_str()),
                    )
                    .at(at.at(&r.id))
                    .help("add `controls = [\"A.5.34\"]` or `clauses = [\"6.1.2\"]`: the controls and clauses that answer the requirement"),
                );
            }
        }
        if pack.extends {
            match builtin {
                Some(base) => return Some(base.clone().extended_by(pack)),
                None => {
                    self.out.push(
                        Diagnostic::new(
                            Rule::LOAD002,
                            format!("`{path}` extends a built-in pack, but there is no built-in `{}`", name.as_str()),
                        )
                        .in_file(file)
                        .help(format!(
                            "remove `extends = true` to use this pack on its own; the built-in packs are {}",
                            frameworks::builtin_names().collect::<Vec<_>>().join(", ")
                        )),
                    );
                }
            }
        }
        Some(pack)
    }
}
