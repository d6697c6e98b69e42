//! `isms init DIR [--org NAME]`: a new ISMS; `isms init --example DIR [--plant]`: the example.

use std::path::Path;

use super::check::today;
use super::{Fatal, SUCCESS};
use crate::cli::InitArgs;
use crate::scaffold::example::{self, EXAMPLE_DAY};
use crate::scaffold::init::{Options, init};

pub fn run(args: &InitArgs) -> Result<u8, Fatal> {
    if args.example {
        return run_example(args);
    }
    let today = today(args.today.as_deref())?;
    let done = init(&Options {
        dir: args.dir.clone(),
        org: args.org.clone(),
        today,
    })?;
    let mut text = format!("Created an ISMS in {}:\n", done.root.display());
    for f in &done.written {
        text.push_str(&format!("  {f}\n"));
    }
    if done.git_initialised {
        text.push_str(
            "Initialised a git repository: commit these files, so that impartiality is proven from the first commit.\n",
        );
    }
    for n in &done.notes {
        text.push_str(&format!("note: {n}\n"));
    }
    text.push_str(&format!(
        "\nNext: run `isms check --statistics {0}` for what is still to do, by rule: fill in the scope (isms.toml) and people.toml, write and approve the documented information the standard requires (`isms rules --documented-information {0}` lists it), have top management approve the draft policy POL-ISMS, and decide each control in soa.toml.\n",
        args.dir.display()
    ));
    super::print(&text)?;
    Ok(SUCCESS)
}

fn run_example(args: &InitArgs) -> Result<u8, Fatal> {
    let done = example::example(&example::Options {
        dir: args.dir.clone(),
        plant: args.plant,
    })?;
    let dir = args.dir.display();
    let isms = Path::new(&args.dir).join(example::ISMS_FOLDER);
    let mut text = format!(
        "Created the example ISMS of {} in {}: a git repository (branch {}) of {} commits, each by one of its own people on the date its records give.\n",
        done.organisation,
        isms.display(),
        done.branch,
        done.replayed.commits
    );
    if let Some(p) = &done.replayed.planted {
        text.push_str(&format!(
            "Planted a conflict: {}, lead of audit {}, edited {} (area `{}`) 30 days before the audit; `isms check` reports it as IND002.\n",
            p.lead, p.audit, p.document, p.area
        ));
    }
    text.push_str(&format!(
        "\nThe example describes {EXAMPLE_DAY}; check it as of that day:\n"
    ));
    text.push_str(&format!(
        "  isms check {dir} --today {EXAMPLE_DAY}          # impartiality verified from the history\n"
    ));
    text.push_str(&format!(
        "  isms independence {dir} --today {EXAMPLE_DAY}   # who may audit what, and why not\n"
    ));
    text.push_str(&format!(
        "  isms build {dir} --today {EXAMPLE_DAY}          # the audit site: {}\n",
        isms.join("_site").join("index.html").display()
    ));
    text.push_str(&format!(
        "  git -C {dir} log --format='%h %ad %an  %s' --date=short\n"
    ));
    super::print(&text)?;
    Ok(SUCCESS)
}
