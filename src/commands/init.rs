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
    println!("Created an ISMS in {}:", done.root.display());
    for f in &done.written {
        println!("  {f}");
    }
    if done.git_initialised {
        println!(
            "Initialised a git repository: commit these files, so that impartiality is proven from the first commit."
        );
    }
    for n in &done.notes {
        println!("note: {n}");
    }
    println!(
        "\nNext: fill in the scope (isms.toml) and people.toml, decide each control in soa.toml, have top management approve POL-ISMS, then run `isms check {}`: its warnings list what is still to do.",
        args.dir.display()
    );
    Ok(SUCCESS)
}

fn run_example(args: &InitArgs) -> Result<u8, Fatal> {
    let done = example::example(&example::Options {
        dir: args.dir.clone(),
        plant: args.plant,
    })?;
    let dir = args.dir.display();
    let isms = Path::new(&args.dir).join(example::ISMS_FOLDER);
    println!(
        "Created the example ISMS of {} in {}: a git repository (branch {}) of {} commits, each by one of its own people on the date its records give.",
        done.organisation,
        isms.display(),
        done.branch,
        done.replayed.commits
    );
    if let Some(p) = &done.replayed.planted {
        println!(
            "Planted a conflict: {}, lead of audit {}, edited {} (area `{}`) 30 days before the audit; `isms check` reports it as IND002.",
            p.lead, p.audit, p.document, p.area
        );
    }
    println!("\nThe example describes {EXAMPLE_DAY}; check it as of that day:");
    println!(
        "  isms check {dir} --today {EXAMPLE_DAY}          # impartiality verified from the history"
    );
    println!("  isms independence {dir} --today {EXAMPLE_DAY}   # who may audit what, and why not");
    println!(
        "  isms build {dir} --today {EXAMPLE_DAY}          # the audit site: {}",
        isms.join("_site").join("index.html").display()
    );
    println!("  git -C {dir} log --format='%h %ad %an  %s' --date=short");
    Ok(SUCCESS)
}
