//! Regulatory overlays: packs that map a regulation's requirements onto Annex A controls and
//! clauses, so one audit programme answers for ISO/IEC 27001 and the regulations at once.

mod builtin;
pub mod mapping;
mod pack;
pub mod register;
mod status;

pub use builtin::{names as builtin_names, pack as builtin};
pub use pack::{Obligation, Pack, Requirement};
pub use status::{
    Applicability, Assessor, ClauseState, ControlState, Counts, FrameworkStatus, RequirementStatus,
    Status,
};

/// Where a user's pack for `name` lives, relative to the ISMS root.
pub fn user_pack_path(name: &str) -> String {
    format!(".isms/frameworks/{name}.toml")
}

/// Whether a framework name is well formed: lowercase letters, digits and `-`, as file names
/// under `.isms/frameworks/` are.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
}
