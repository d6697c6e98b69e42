//! Reads an ISMS from a [`Source`] into the model, keeping spans, and reports what it cannot read.
//!
//! Loading never stops at the first problem: each file, and each `[[entry]]` of a collection,
//! is read on its own, so one typo costs one diagnostic and not the whole register.

pub(crate) mod front_matter;
mod layout;
mod markdown;
mod packs;
mod risk_settings;
mod toml_de;

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Files, SourceFile};
use crate::model::{
    Audit, AuditId, Checklist, ChecklistItem, Config, Document, DocumentFront, Exception, FileId,
    Finding, Incident, Isms, Kind, ManagementReview, Objective, Origin, Plan, ProgrammeFile,
    Report, ReportFront,
};
use crate::rules::Rule;
use crate::source::{EntryKind, Source};
use layout::FileKind;
use toml_de::{Table, Value};

/// Files larger than this are not read: no ISMS file is this big, and it protects memory.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The result of loading: the model, the files it was read from, and what went wrong.
pub struct Loaded {
    pub isms: Isms,
    pub files: Files,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads the ISMS below `source`'s root. `display_prefix` is put before every path in
/// diagnostics (the ISMS root relative to the repository root, ending in `/`).
pub fn load(source: &dyn Source, display_prefix: &str) -> Loaded {
    let mut loader = Loader {
        source,
        prefix: display_prefix,
        isms: Isms::default(),
        files: Files::default(),
        out: Vec::new(),
        audits: BTreeMap::new(),
    };
    for entry in source.list() {
        loader.isms.files.insert(entry.path.clone());
        if matches!(entry.kind, EntryKind::Symlink) {
            loader.isms.links.insert(entry.path.clone());
        }
        loader.entry(&entry.path, &entry.kind);
    }
    loader.finish()
}

/// Gives each `[[key]]` action (of a finding or a management review) the span of its table.
fn place_actions(actions: &mut [crate::model::Action], table: &Table<'_>, key: &str) {
    let raw = table
        .get_ref()
        .get(key)
        .and_then(|v| v.get_ref().as_array());
    for (action, raw) in actions
        .iter_mut()
        .zip(raw.into_iter().flat_map(|a| a.iter()))
    {
        action.span = raw.span();
    }
}

struct Loader<'s> {
    source: &'s dyn Source,
    prefix: &'s str,
    isms: Isms,
    files: Files,
    out: Vec<Diagnostic>,
    audits: BTreeMap<String, Audit>,
}

impl Loader<'_> {
    fn entry(&mut self, path: &str, kind: &EntryKind) {
        let file_kind = layout::classify(path);
        if file_kind == FileKind::Evidence && matches!(kind, EntryKind::Symlink) {
            let file = self.add_file(path, String::new());
            self.out.push(
                Diagnostic::new(Rule::LOAD001, format!("evidence `{path}` is a symbolic link, so it is not published"))
                    .in_file(file)
                    .help("the site copies only regular files below the ISMS root, never what a link points to; replace the link by the file itself"),
            );
            return;
        }
        if matches!(file_kind, FileKind::Evidence | FileKind::Other) {
            return;
        }
        if let FileKind::Unrecognised(help) = &file_kind {
            let file = self.add_file(path, String::new());
            self.out.push(
                Diagnostic::new(
                    Rule::LOAD004,
                    format!("unrecognised file `{path}` in an ISMS folder"),
                )
                .in_file(file)
                .help(help.clone()),
            );
            return;
        }
        let size = match kind {
            EntryKind::File { size } => *size,
            EntryKind::Symlink => {
                let file = self.add_file(path, String::new());
                self.out.push(
                    Diagnostic::new(Rule::LOAD001, format!("`{path}` is a symbolic link and was not read"))
                        .in_file(file)
                        .help("isms reads only regular files, so nothing outside the repository is read; replace the link by the file"),
                );
                self.mark_broken(&file_kind);
                return;
            }
            EntryKind::Unreadable(reason) => {
                self.unreadable(path, &file_kind, &format!("cannot read `{path}`: {reason}"));
                return;
            }
        };
        if size > MAX_FILE_BYTES {
            self.unreadable(
                path,
                &file_kind,
                &format!(
                    "`{path}` is {size} bytes, more than the {MAX_FILE_BYTES} an ISMS file may have"
                ),
            );
            return;
        }
        let bytes = match self.source.read(path) {
            Ok(b) => b,
            Err(e) => {
                self.unreadable(path, &file_kind, &format!("cannot read `{path}`: {e}"));
                return;
            }
        };
        if bytes.contains(&0) {
            self.unreadable(
                path,
                &file_kind,
                &format!("`{path}` is a binary file, not text"),
            );
            return;
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                self.unreadable(
                    path,
                    &file_kind,
                    &format!("`{path}` is not valid UTF-8 text (invalid byte at offset {at})"),
                );
                return;
            }
        };
        let file = self.add_file(path, text);
        self.parse(file, path, file_kind);
    }

    fn add_file(&mut self, path: &str, text: String) -> FileId {
        self.files.add(SourceFile::new(
            path.to_string(),
            format!("{}{path}", self.prefix),
            text,
        ))
    }

    /// A file that could not be read at all: LOAD001, and its kind is marked incomplete.
    fn unreadable(&mut self, path: &str, kind: &FileKind, message: &str) {
        let file = self.add_file(path, String::new());
        self.out.push(
            Diagnostic::new(Rule::LOAD001, message)
                .in_file(file)
                .help("save the file as UTF-8 text (TOML or Markdown), or remove it"),
        );
        self.mark_broken(kind);
    }

    fn mark_broken(&mut self, kind: &FileKind) {
        if let Some(k) = kind.object_kind() {
            self.isms.incomplete.insert(k);
        }
    }

    fn parse(&mut self, file: FileId, path: &str, kind: FileKind) {
        let text = self.files.get(file).text.clone();
        match &kind {
            FileKind::Document | FileKind::Report(_) => self.markdown(file, path, &text, kind),
            _ => {
                let (table, complete) = toml_de::parse(file, &text, &mut self.out);
                if !complete {
                    self.recover_ids(&kind, &table);
                    self.mark_broken(&kind);
                    return;
                }
                self.toml(file, &table, kind);
            }
        }
    }

    /// Registers the ids still visible in a file with syntax errors, so references to them are
    /// not reported as unknown on top of the syntax error.
    fn recover_ids(&mut self, kind: &FileKind, table: &Table<'_>) {
        let Some(object) = kind.object_kind() else {
            return;
        };
        let root = toml_de::as_value(table);
        let mut ids: Vec<String> = toml_de::raw_str(&root, "id")
            .map(str::to_string)
            .into_iter()
            .collect();
        if let Some(key) = kind.collection_key() {
            if let Some(array) = table
                .get_ref()
                .get(key)
                .and_then(|v| v.get_ref().as_array())
            {
                ids.extend(
                    array
                        .iter()
                        .filter_map(|v| toml_de::raw_str(v, "id"))
                        .map(str::to_string),
                );
            }
        }
        for id in ids {
            self.isms.unreadable.insert((object, id));
        }
    }

    fn collection<T: serde::de::DeserializeOwned>(
        &mut self,
        file: FileId,
        table: &Table<'_>,
        key: &str,
        kind: Option<Kind>,
        mut place: impl FnMut(&mut T, Origin),
    ) -> Vec<T> {
        let what = format!("[[{key}]]");
        let mut items = Vec::new();
        for value in toml_de::entries(file, table, key, &mut self.out) {
            match toml_de::deserialize::<T>(file, value, &what, &mut self.out) {
                Some(mut item) => {
                    place(
                        &mut item,
                        Origin {
                            file,
                            span: value.span(),
                        },
                    );
                    items.push(item);
                }
                None => {
                    if let Some(kind) = kind {
                        self.unreadable_entry(kind, value);
                    }
                }
            }
        }
        items
    }

    fn unreadable_entry(&mut self, kind: Kind, value: &Value<'_>) {
        match toml_de::raw_str(value, "id") {
            Some(id) => {
                self.isms.unreadable.insert((kind, id.to_string()));
            }
            None => {
                self.isms.incomplete.insert(kind);
            }
        }
    }

    fn single<T: serde::de::DeserializeOwned>(
        &mut self,
        file: FileId,
        table: &Table<'_>,
        what: &str,
        kind: Option<Kind>,
    ) -> Option<T> {
        let value = toml_de::as_value(table);
        let item = toml_de::deserialize::<T>(file, &value, what, &mut self.out);
        if item.is_none() {
            if let Some(kind) = kind {
                self.unreadable_entry(kind, &value);
            }
        }
        item
    }

    fn toml(&mut self, file: FileId, table: &Table<'_>, kind: FileKind) {
        let whole = Origin::in_file(file);
        match kind {
            FileKind::Config => {
                self.isms.config_origin = Some(whole);
                if table.get_ref().is_empty() {
                    self.empty_file(
                        file,
                        "isms.toml",
                        "[organisation]\nname = \"...\"\nscope = \"...\"",
                    );
                    return;
                }
                self.isms.config = Some(self.config(file, table));
            }
            FileKind::People => {
                let people = self.collection(
                    file,
                    table,
                    "person",
                    Some(Kind::Person),
                    |p: &mut crate::model::Person, o| p.origin = o,
                );
                self.isms.people.extend(people);
            }
            FileKind::Controls => {
                let controls = self.collection(
                    file,
                    table,
                    "control",
                    Some(Kind::InternalControl),
                    |c: &mut crate::model::InternalControl, o| c.origin = o,
                );
                self.isms.internal_controls.extend(controls);
            }
            FileKind::Teams => {
                let teams = self.collection(
                    file,
                    table,
                    "team",
                    Some(Kind::Team),
                    |t: &mut crate::model::Team, o| t.origin = o,
                );
                self.isms.teams.extend(teams);
            }
            FileKind::Areas => {
                let areas = self.collection(
                    file,
                    table,
                    "area",
                    Some(Kind::Area),
                    |a: &mut crate::model::Area, o| a.origin = o,
                );
                self.isms.areas.extend(areas);
            }
            FileKind::Soa => {
                self.isms.soa_origin = Some(whole);
                let soa = self.collection(
                    file,
                    table,
                    "control",
                    Some(Kind::Control),
                    |c: &mut crate::model::SoaEntry, o| c.origin = o,
                );
                self.isms.soa.extend(soa);
            }
            FileKind::Risks => {
                let risks = self.collection(
                    file,
                    table,
                    "risk",
                    Some(Kind::Risk),
                    |r: &mut crate::model::Risk, o| r.origin = o,
                );
                self.isms.risks.extend(risks);
            }
            FileKind::Programme => {
                if let Some(mut p) =
                    self.single::<ProgrammeFile>(file, table, "audits/programme.toml", None)
                {
                    p.programme.origin = whole;
                    self.isms.programme = Some(p.programme);
                }
            }
            FileKind::Finding => {
                if table.get_ref().is_empty() {
                    self.empty_file(
                        file,
                        "a finding",
                        "id = \"F-2026-001\"\naudit = \"IA-2026-01\"\ntype = \"minor-nc\"\n...",
                    );
                    self.isms.incomplete.insert(Kind::Finding);
                    return;
                }
                if let Some(mut f) =
                    self.single::<Finding>(file, table, "the finding", Some(Kind::Finding))
                {
                    f.origin = whole;
                    place_actions(&mut f.actions, table, "action");
                    self.isms.findings.push(f);
                }
            }
            FileKind::ManagementReview => {
                if table.get_ref().is_empty() {
                    self.empty_file(
                        file,
                        "a management review",
                        "id = \"MR-2026-10\"\ndate = 2026-10-14\nchair = \"alice\"\n...",
                    );
                    self.isms.incomplete.insert(Kind::ManagementReview);
                    return;
                }
                if let Some(mut review) = self.single::<ManagementReview>(
                    file,
                    table,
                    "the management review",
                    Some(Kind::ManagementReview),
                ) {
                    review.origin = whole;
                    place_actions(&mut review.decisions, table, "decision");
                    self.isms.management_reviews.push(review);
                }
            }
            FileKind::Objectives => {
                let objectives = self.collection(
                    file,
                    table,
                    "objective",
                    Some(Kind::Objective),
                    |o: &mut Objective, origin| o.origin = origin,
                );
                self.isms.objectives.extend(objectives);
            }
            FileKind::Incident => {
                if table.get_ref().is_empty() {
                    self.empty_file(
                        file,
                        "an incident",
                        "id = \"INC-2026-009\"\ntitle = \"...\"\nseverity = \"high\"\ndetected_on = 2026-05-02\n...",
                    );
                    self.isms.incomplete.insert(Kind::Incident);
                    return;
                }
                if let Some(mut incident) =
                    self.single::<Incident>(file, table, "the incident", Some(Kind::Incident))
                {
                    incident.origin = whole;
                    self.isms.incidents.push(incident);
                }
            }
            FileKind::Exception => {
                if table.get_ref().is_empty() {
                    self.empty_file(
                        file,
                        "an exception",
                        "id = \"EXC-2026-001\"\ncontrol = \"A.8.5\"\nreason = \"...\"\nrisk = \"medium\"\nexpires_on = 2026-12-31\n...",
                    );
                    self.isms.incomplete.insert(Kind::Exception);
                    return;
                }
                if let Some(mut exception) =
                    self.single::<Exception>(file, table, "the exception", Some(Kind::Exception))
                {
                    exception.origin = whole;
                    self.isms.exceptions.push(exception);
                }
            }
            FileKind::Plan(audit) => {
                if table.get_ref().is_empty() {
                    self.empty_file(file, "an audit plan", "id = \"...\"\ntitle = \"...\"\n...");
                    self.isms.unreadable.insert((Kind::Audit, audit.clone()));
                    return;
                }
                if let Some(mut plan) = self.single::<Plan>(file, table, "the audit plan", None) {
                    plan.origin = whole.clone();
                    if plan.id.as_str() != audit {
                        self.out.push(
                            Diagnostic::new(
                                Rule::LOAD002,
                                format!(
                                    "plan id `{}` differs from its folder `audits/{audit}/`",
                                    plan.id.as_str()
                                ),
                            )
                            .at(whole.at_span(plan.id.span()))
                            .label("the id of an audit is its folder's name")
                            .help(format!("set `id = \"{audit}\"`, or rename the folder")),
                        );
                    }
                    self.audit(&audit).plan = Some(plan);
                } else {
                    self.isms.unreadable.insert((Kind::Audit, audit.clone()));
                }
            }
            FileKind::Checklist(audit) => {
                let items =
                    self.collection(file, table, "item", None, |i: &mut ChecklistItem, o| {
                        i.origin = o
                    });
                self.audit(&audit).checklist = Some(Checklist {
                    origin: whole,
                    items,
                });
            }
            _ => {}
        }
    }

    /// isms.toml, one table at a time: a typo in `[risk]` costs that table (its defaults are
    /// used) and not the `[rules]` overrides or the organisation.
    fn config(&mut self, file: FileId, table: &Table<'_>) -> Config {
        const TABLES: [&str; 9] = [
            "organisation",
            "framework",
            "audit",
            "risk",
            "independence",
            "findings",
            "management_review",
            "incidents",
            "rules",
        ];
        let mut config = Config::default();
        let mut organisation = false;
        let mut audit_table: Option<String> = None;
        for (key, value) in table.get_ref().iter() {
            let what = format!("[{}]", key.get_ref());
            let out = &mut self.out;
            misplaced_frameworks(file, key.get_ref(), value, out);
            match key.get_ref().as_ref() {
                "organisation" => {
                    organisation = true;
                    if let Some(v) = toml_de::deserialize(file, value, &what, out) {
                        config.organisation = v;
                    }
                }
                "framework" => {
                    config.framework =
                        toml_de::deserialize(file, value, &what, out).unwrap_or_default()
                }
                "frameworks" => {
                    config.frameworks =
                        toml_de::deserialize(file, value, "`frameworks`", out).unwrap_or_default()
                }
                // `[audits]` is another name for `[audit]`: one table, written once.
                "audit" | "audits" => {
                    if let Some(first) = &audit_table {
                        out.push(
                            Diagnostic::new(
                                Rule::LOAD002,
                                format!("[{}] repeats the [{first}] table", key.get_ref()),
                            )
                            .at(Origin {
                                file,
                                span: key.span(),
                            })
                            .label("[audit] and [audits] are one table")
                            .help("move its settings into [audit] and remove this table"),
                        );
                        continue;
                    }
                    audit_table = Some(key.get_ref().to_string());
                    config.audit = toml_de::deserialize(file, value, &what, out).unwrap_or_default()
                }
                "risk" => {
                    config.risk = toml_de::deserialize(file, value, &what, out).unwrap_or_default()
                }
                "independence" => {
                    config.independence =
                        toml_de::deserialize(file, value, &what, out).unwrap_or_default();
                    lookback_in_range(file, &mut config.independence, out);
                }
                "findings" => {
                    config.findings =
                        toml_de::deserialize(file, value, &what, out).unwrap_or_default()
                }
                "management_review" => {
                    config.management_review =
                        toml_de::deserialize(file, value, &what, out).unwrap_or_default()
                }
                "incidents" => {
                    config.incidents =
                        toml_de::deserialize(file, value, &what, out).unwrap_or_default()
                }
                "rules" => {
                    config.rules = toml_de::deserialize(file, value, &what, out).unwrap_or_default()
                }
                other => {
                    let d = Diagnostic::new(
                        Rule::LOAD002,
                        format!("unknown table `{other}` in isms.toml"),
                    )
                    .at(Origin {
                        file,
                        span: key.span(),
                    });
                    let tables = TABLES.join(", ");
                    let keys = TABLES.iter().copied().chain(["frameworks"]);
                    out.push(match crate::suggest::did_you_mean(other, keys) {
                        Some(best) => d
                            .label(format!("did you mean `{best}`?"))
                            .help(format!("isms.toml holds the tables {tables}")),
                        None => d
                            .label("not read")
                            .help(format!("isms.toml holds the tables {tables}")),
                    });
                }
            }
        }
        self.check_threshold(file, &config);
        if !organisation {
            self.out.push(
                Diagnostic::new(Rule::LOAD002, "isms.toml has no [organisation] table")
                    .at(Origin::in_file(file))
                    .help("add the organisation and the scope of its ISMS (4.3):\n[organisation]\nname = \"Acme MedTech Ltd\"\nscope = \"...\""),
            );
        }
        config
    }
}

/// `frameworks = [...]` written below a `[table]` header belongs to that table in TOML: say so,
/// since the table's own error ("unknown field") does not explain it.
fn misplaced_frameworks(file: FileId, table: &str, value: &Value<'_>, out: &mut Vec<Diagnostic>) {
    let Some(inner) = value.get_ref().as_table() else {
        return;
    };
    if let Some((key, _)) = inner.iter().find(|(k, _)| k.get_ref() == "frameworks") {
        out.push(
            Diagnostic::new(
                Rule::LOAD002,
                format!("`frameworks` is read as part of the [{table}] table"),
            )
            .at(Origin {
                file,
                span: key.span(),
            })
            .label("below the [table] header")
            .help("move `frameworks = [...]` to the top of isms.toml, before the first [table]: in TOML a key belongs to the table above it"),
        );
    }
}

impl Loader<'_> {
    /// A threshold no score can exceed would make every risk acceptable without a decision.
    fn check_threshold(&mut self, file: FileId, config: &Config) {
        let risk = &config.risk;
        let max = risk.max_score();
        let (likelihoods, impacts) = (risk.likelihood_max(), risk.impact_max());
        let threshold = *risk.acceptance_threshold.get();
        if threshold > max {
            let span = risk.acceptance_threshold.span();
            self.out.push(
                Diagnostic::new(
                    Rule::LOAD002,
                    format!("invalid value in [risk]: acceptance_threshold {threshold} is above {max}, the highest score on a scale of {}", if likelihoods == impacts { likelihoods.to_string() } else { format!("{likelihoods} (likelihood) x {impacts} (impact)") }),
                )
                .at(Origin { file, span: if span.is_empty() { risk.scale.span() } else { span } })
                .label(format!("at most {max}"))
                .help(format!("scores are likelihood (1 to {likelihoods}) x impact (1 to {impacts}): set `acceptance_threshold` from 0 to {max}, so that high residual risks need acceptance by their owner")),
            );
        }
        self.out.extend(risk_settings::check_levels(file, risk));
    }

    fn empty_file(&mut self, file: FileId, what: &str, example: &str) {
        self.out.push(
            Diagnostic::new(
                Rule::LOAD002,
                format!("the file is empty, but {what} is expected here"),
            )
            .in_file(file)
            .help(format!("write {what}, for example:\n{example}")),
        );
    }

    fn audit(&mut self, id: &str) -> &mut Audit {
        self.audits.entry(id.to_string()).or_insert_with(|| Audit {
            id: AuditId::from_checked(id),
            plan: None,
            checklist: None,
            report: None,
        })
    }

    fn markdown(&mut self, file: FileId, path: &str, text: &str, kind: FileKind) {
        let fm = match front_matter::split(text) {
            Ok(fm) => fm,
            Err(e) => {
                self.out.push(
                    Diagnostic::new(Rule::LOAD001, format!("`{path}` has no TOML front matter"))
                        .at(Origin { file, span: e.span })
                        .label(e.message)
                        .help("start the file with its front matter between two `+++` lines:\n+++\nid = \"POL-ACCESS\"\nkind = \"policy\"\ntitle = \"Access Control Policy\"\n+++"),
                );
                self.mark_broken(&kind);
                return;
            }
        };
        let (table, complete) = toml_de::parse(file, &fm.toml, &mut self.out);
        if !complete {
            self.recover_ids(&kind, &table);
            if toml_de::raw_str(&toml_de::as_value(&table), "id").is_none() {
                self.mark_broken(&kind);
            }
            return;
        }
        let origin = Origin {
            file,
            span: fm.span.clone(),
        };
        match kind {
            FileKind::Document => {
                if let Some(front) = self.single::<DocumentFront>(
                    file,
                    &table,
                    "document front matter",
                    Some(Kind::Document),
                ) {
                    self.isms.documents.push(Document {
                        origin,
                        path: path.to_string(),
                        front,
                        body_start: fm.body_start,
                        placeholders: crate::placeholder::in_markdown(text, fm.body_start),
                    });
                }
            }
            FileKind::Report(audit) => {
                if let Some(front) =
                    self.single::<ReportFront>(file, &table, "report front matter", None)
                {
                    if front.audit.as_str() != audit {
                        self.out.push(
                            Diagnostic::new(
                                Rule::LOAD002,
                                format!(
                                    "report of `{}` is in the folder of `{audit}`",
                                    front.audit.as_str()
                                ),
                            )
                            .at(origin.at_span(front.audit.span()))
                            .help(format!(
                                "set `audit = \"{audit}\"`, or move the report to audits/{}/",
                                front.audit.as_str()
                            )),
                        );
                    }
                    let sections = markdown::level2_headings(text, fm.body_start);
                    self.audit(&audit).report = Some(Report {
                        origin,
                        front,
                        sections,
                        body_start: fm.body_start,
                        placeholders: crate::placeholder::in_markdown(text, fm.body_start),
                    });
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Loaded {
        self.isms.audits = std::mem::take(&mut self.audits).into_values().collect();
        self.framework_packs();
        self.check_audit_parts();
        self.check_duplicates();
        Loaded {
            isms: self.isms,
            files: self.files,
            diagnostics: self.out,
        }
    }

    /// An audit folder needs its plan: the checklist and report mean nothing without scope and dates.
    fn check_audit_parts(&mut self) {
        for audit in &self.isms.audits {
            let unreadable = self
                .isms
                .unreadable
                .contains(&(Kind::Audit, audit.id.to_string()));
            if audit.plan.is_some() || unreadable {
                continue;
            }
            let part = audit
                .checklist
                .as_ref()
                .map(|c| c.origin.clone())
                .or_else(|| {
                    audit.report.as_ref().map(|r| Origin {
                        file: r.origin.file,
                        span: 0..0,
                    })
                });
            if let Some(origin) = part {
                self.out.push(
                    Diagnostic::new(Rule::LOAD002, format!("audit `{}` has no plan.toml", audit.id))
                        .at(origin)
                        .help(format!("add audits/{}/plan.toml with the audit's scope, team and dates (`isms schema plan`)", audit.id)),
                );
            }
        }
    }

    /// LOAD003: the same id twice within a kind, or two ids that differ only in case (they name
    /// one page on the site), reported at the second place with the first.
    fn check_duplicates(&mut self) {
        let isms = &self.isms;
        let mut groups: Vec<(Kind, Vec<(String, Origin)>)> = vec![
            (
                Kind::Person,
                isms.people
                    .iter()
                    .map(|p| (p.id.to_string(), p.origin.at(&p.id)))
                    .collect(),
            ),
            (
                Kind::InternalControl,
                isms.internal_controls
                    .iter()
                    .map(|c| (c.id.to_string(), c.origin.at(&c.id)))
                    .collect(),
            ),
            (
                Kind::Team,
                isms.teams
                    .iter()
                    .map(|t| (t.id.to_string(), t.origin.at(&t.id)))
                    .collect(),
            ),
            (
                Kind::Area,
                isms.areas
                    .iter()
                    .map(|a| (a.id.to_string(), a.origin.at(&a.id)))
                    .collect(),
            ),
            (
                Kind::Control,
                isms.soa
                    .iter()
                    .map(|c| (c.id.to_string(), c.origin.at(&c.id)))
                    .collect(),
            ),
            (
                Kind::Risk,
                isms.risks
                    .iter()
                    .map(|r| (r.id.to_string(), r.origin.at(&r.id)))
                    .collect(),
            ),
            (
                Kind::Document,
                isms.documents
                    .iter()
                    .map(|d| (d.front.id.to_string(), d.origin.at(&d.front.id)))
                    .collect(),
            ),
            (
                Kind::Finding,
                isms.findings
                    .iter()
                    .map(|f| (f.id.to_string(), f.origin.at(&f.id)))
                    .collect(),
            ),
            (
                Kind::ManagementReview,
                isms.management_reviews
                    .iter()
                    .map(|r| (r.id.to_string(), r.origin.at(&r.id)))
                    .collect(),
            ),
            (
                Kind::Objective,
                isms.objectives
                    .iter()
                    .map(|o| (o.id.to_string(), o.origin.at(&o.id)))
                    .collect(),
            ),
            (
                Kind::Incident,
                isms.incidents
                    .iter()
                    .map(|i| (i.id.to_string(), i.origin.at(&i.id)))
                    .collect(),
            ),
            (
                Kind::Exception,
                isms.exceptions
                    .iter()
                    .map(|e| (e.id.to_string(), e.origin.at(&e.id)))
                    .collect(),
            ),
        ];
        self.teams_named_like_people();
        for (kind, items) in &mut groups {
            let mut first: BTreeMap<String, (&str, &Origin)> = BTreeMap::new();
            for (id, origin) in items.iter() {
                match first.get(&id.to_ascii_lowercase()) {
                    Some((earlier_id, earlier)) => self.out.push(
                        Diagnostic::new(
                            Rule::LOAD003,
                            if *earlier_id == id.as_str() {
                                format!("duplicate {} id `{id}`", kind.noun())
                            } else {
                                format!(
                                    "{} id `{id}` differs from `{earlier_id}` only in case",
                                    kind.noun()
                                )
                            },
                        )
                        .at(origin.clone())
                        .label("second definition")
                        .related((*earlier).clone(), "first defined here")
                        .help(format!(
                            "ids of {}s must be unique: rename one of them, or merge the two",
                            kind.noun()
                        )),
                    ),
                    None => {
                        first.insert(id.to_ascii_lowercase(), (id, origin));
                    }
                }
            }
        }
    }
}

impl Loader<'_> {
    /// LOAD003: a team and a person with one id: `owner = "ops"` would name either.
    fn teams_named_like_people(&mut self) {
        for team in &self.isms.teams {
            if let Some(person) = self.isms.person(team.id.as_str()) {
                self.out.push(
                    Diagnostic::new(
                        Rule::LOAD003,
                        format!("team id `{}` is also a person's id", team.id.as_str()),
                    )
                    .at(team.origin.at(&team.id))
                    .label("team")
                    .related(person.origin.at(&person.id), "the person")
                    .help("owners and approvers name a person or a team by its id, so the two must differ: rename the team (for example `{id}-team`)".replace("{id}", team.id.as_str())),
                );
            }
        }
    }
}

/// `lookback_months` is at least 1: 0 would switch IND002 off without saying so. Out of range,
/// it is reported and the default is used.
fn lookback_in_range(
    file: FileId,
    independence: &mut crate::model::IndependenceSettings,
    out: &mut Vec<Diagnostic>,
) {
    let months = &independence.lookback_months;
    if *months.get() >= 1 {
        return;
    }
    out.push(
        Diagnostic::new(
            Rule::LOAD002,
            format!(
                "invalid value in [independence]: lookback_months = {} is out of range (at least 1)",
                months.get()
            ),
        )
        .at(Origin {
            file,
            span: months.span(),
        })
        .label("at least 1")
        .help("lookback_months is how many months before an audit an auditor's commits to an area count against them; the default is 24"),
    );
    independence.lookback_months = crate::model::Spanned::new(24, months.span());
}
