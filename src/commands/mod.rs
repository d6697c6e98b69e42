//! What each command does, between parsed arguments and an exit code.

mod build;
mod check;
mod diff;
mod diff_match;
mod documented;
mod explain;
mod export;
mod frameworks;
mod import;
mod independence;
mod independence_json;
mod init;
mod new;
mod oscal;
mod schema;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// The command ran and found nothing that fails it.
pub const SUCCESS: u8 = 0;
/// The command ran and found errors (or warnings under `--deny warnings`).
pub const FAILURE: u8 = 1;
/// The command could not run: bad arguments, no isms.toml, unreadable input.
pub const USAGE: u8 = 2;

/// A reason the command could not run, printed on stderr with exit code 2.
#[derive(Debug)]
pub struct Fatal(pub String);

impl<T: Into<String>> From<T> for Fatal {
    fn from(message: T) -> Self {
        Fatal(message.into())
    }
}

/// Writes a command's output to stdout; every command prints through here. Colour is removed
/// when stdout is not a terminal. A reader that stops early (`isms rules | head`) ends the
/// command quietly; another write failure (`> /dev/full`) is a one-line error and exit 2.
pub(crate) fn print(text: &str) -> Result<(), Fatal> {
    use std::io::Write;
    let mut out = anstream::stdout().lock();
    written(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// As [`print`], for output that is not text (a spreadsheet), written unchanged.
pub(crate) fn print_bytes(bytes: &[u8]) -> Result<(), Fatal> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    written(out.write_all(bytes).and_then(|()| out.flush()))
}

/// Writes a message line to stderr. Nothing is left to tell when stderr itself cannot be
/// written (`2> /dev/full`), so that failure is ignored rather than a panic.
pub(crate) fn tell(message: &str) {
    tell_text(&format!("{message}\n"));
}

/// As [`tell`], for text that ends its own lines.
pub(crate) fn tell_text(text: &str) {
    use std::io::Write;
    let _ = anstream::stderr().lock().write_all(text.as_bytes());
}

fn written(result: std::io::Result<()>) -> Result<(), Fatal> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Fatal(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Explain { code } => explain::explain(&code),
        Command::Rules(args) if args.documented_information => {
            documented::run(args.path.as_deref())
        }
        Command::Rules(_) => explain::rules(),
        Command::Independence(args) => independence::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Frameworks(args) => frameworks::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Schema { kind } => schema::run(kind.as_deref()),
        Command::Init(args) => init::run(&args),
        Command::New(command) => new::run(&command),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(message)) => {
            tell(&format!("error: {message}"));
            ExitCode::from(USAGE)
        }
    }
}
