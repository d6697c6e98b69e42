//! The rules reference in Markdown (`docs/rules.md`), generated from the registry so that the
//! documentation in the repository says exactly what `isms explain` and `isms rules` say.

use super::Rule;

/// Every rule: a table of codes, then each rule's documentation with its severity and
/// requirement, headings moved one level down under the page title.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n\
         <!-- Generated from src/rules/registry.rs and src/rules/docs/ by `UPDATE_DOCS=1 cargo test --test docs`; do not edit. -->\n\n\
         Every diagnostic of `isms check` carries one of these codes. `isms rules` lists them and\n\
         `isms explain CODE` prints one rule's text. A rule's severity can be changed, or the rule\n\
         turned off, under `[rules]` in `isms.toml` (`\"SOA008\" = \"error\"`); `isms check --select`\n\
         and `--ignore` choose which rules a run reports.\n\n\
         | code | severity | ISO/IEC 27001:2022 | summary |\n|---|---|---|---|\n",
    );
    for rule in Rule::ALL {
        let info = rule.info();
        out.push_str(&format!(
            "| [{code}](#{anchor}) | {} | {} | {} |\n",
            info.severity,
            info.requirement,
            info.summary.replace('|', "\\|"),
            code = info.code,
            anchor = info.code.to_ascii_lowercase(),
        ));
    }
    for rule in Rule::ALL {
        let info = rule.info();
        out.push('\n');
        let mut in_code = false;
        for line in info.docs.trim_end().lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            }
            if !in_code && line.starts_with('#') {
                // `# SOA008: ...` becomes `## SOA008`, with its title as text below, so the
                // table's links (`#soa008`) find it.
                if let Some(title) = line.strip_prefix("# ") {
                    let title = title
                        .strip_prefix(info.code)
                        .map(|t| t.trim_start_matches(':').trim())
                        .unwrap_or(title);
                    out.push_str(&format!(
                        "## {}\n\n**{title}.** Severity: {} by default. Requirement: ISO/IEC 27001:2022 {}.\n",
                        info.code, info.severity, info.requirement
                    ));
                    continue;
                }
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
