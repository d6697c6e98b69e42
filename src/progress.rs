//! Progress for long work (a first history index, a large site): a spinner on stderr when it
//! is a terminal, never in CI logs or when the output is piped.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A ticking spinner with `template` (indicatif's syntax, e.g. `{pos} pages`), or `None`
/// when nobody watches.
pub(crate) fn spinner(template: &str) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return None;
    }
    let style = ProgressStyle::with_template(template).ok()?;
    let bar = ProgressBar::new_spinner().with_style(style);
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}
