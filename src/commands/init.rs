//! `isms init DIR [--org NAME]`: a new ISMS.

use super::check::today;
use super::{Fatal, SUCCESS};
use crate::cli::InitArgs;
use crate::scaffold::init::{Options, init};

pub fn run(args: &InitArgs) -> Result<u8, Fatal> {
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
        "\nNext: fill in the scope (isms.toml) and people.toml, decide each control in soa.toml, have top management approve POL-ISMS, then run `isms check {}`: its warnings list what is still to do.\n",
        args.dir.display()
    ));
    super::print(&text)?;
    Ok(SUCCESS)
}
