//! `isms explain CODE` and `isms rules`: the rule registry, printed.

use super::{Fatal, SUCCESS, print};
use crate::rules::Rule;
use crate::suggest;

pub fn explain(code: &str) -> Result<u8, Fatal> {
    let Some(rule) = Rule::from_code(code) else {
        let hint = suggest::hint(code, Rule::ALL.iter().map(|r| r.code()))
            .map_or(String::new(), |h| format!(" ({h})"));
        return Err(Fatal(format!(
            "`{code}` is not a rule code{hint}\n  help: `isms rules` lists every code"
        )));
    };
    let info = rule.info();
    print(&format!(
        "{}\n\nSeverity: {} by default (change it under [rules] in isms.toml)\nRequirement: ISO/IEC 27001:2022 {}\n",
        info.docs.trim_end(),
        info.severity,
        info.requirement
    ))?;
    Ok(SUCCESS)
}

pub fn rules() -> Result<u8, Fatal> {
    let mut text = String::new();
    let mut family = "";
    for rule in Rule::ALL {
        let info = rule.info();
        if rule.family() != family {
            family = rule.family();
            if !std::ptr::eq(rule, &Rule::ALL[0]) {
                text.push('\n');
            }
        }
        text.push_str(&format!(
            "{:<8} {:<8} {:<10} {}\n",
            info.code, info.severity, info.requirement, info.summary
        ));
    }
    text.push_str("\n`isms explain CODE` explains one rule.\n");
    print(&text)?;
    Ok(SUCCESS)
}
