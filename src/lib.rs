//! isms: an ISO/IEC 27001:2022 ISMS kept as TOML and Markdown in git, checked, and published.
//!
//! The binary is a thin layer over this library: [`check::run`] loads and checks an ISMS, the
//! renderers in [`diagnostics`] print the result.

pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
mod committed_settings;
pub mod control_tests;
pub mod coverage;
pub mod diagnostics;
pub mod diff;
pub mod export;
pub mod frameworks;
pub mod grants;
pub mod history;
mod import;
pub mod independence;
pub mod load;
pub mod model;
mod placeholder;
mod progress;
mod review;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod signing;
pub mod site;
pub mod source;
pub mod suggest;
pub mod workspace;
