//! The `isms` binary: parse the command line, run the command, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    isms::history::configure_libgit2();
    isms::commands::run(isms::cli::Cli::parse())
}
