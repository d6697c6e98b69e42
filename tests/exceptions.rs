//! Exceptions to controls (`exceptions/<ID>.toml`, issue 20): loaded with spans, their
//! references checked, EXC001 (expired, not renewed) and EXC002 (approved by the wrong people
//! for their risk level), each with a triggering case snapshotted and a near miss, on copies
//! of the example ISMS.

mod common;

use common::{Edit, Replace, Write, clean_of, codes, fired};

/// The day the example describes.
const DAY: &str = "2026-11-27";

const PATH: &str = "exceptions/EXC-2026-009.toml";

/// An exception to A.8.5 (owned by frank in the example's SoA), approved by frank, medium risk,
/// expiring on `expires`.
fn exception(expires: &str, approved_by: &str) -> String {
    format!(
        r#"id = "EXC-2026-009"
control = "A.8.5"
reason = "The legacy firmware update service authenticates with a static key until gateway v3 ships"
compensating_controls = ["A.8.16", "A.8.20"]
risk = "medium"
approved_by = {approved_by}
approved_on = 2026-06-01
expires_on = {expires}
"#
    )
}

fn write(text: &str) -> Edit<'static> {
    Write(
        PATH,
        Box::leak(text.to_string().into_boxed_str()).as_bytes(),
    )
}

/// The report of `code` alone, snapshotted under this file's name; the rule must have fired.
fn case(name: &str, code: &str, edits: &[Edit]) {
    insta::assert_snapshot!(name, fired(code, DAY, edits));
}

#[test]
fn a_current_approved_exception_checks_clean() {
    let found = codes(DAY, &[write(&exception("2027-03-31", "\"frank\""))]);
    let ours: Vec<_> = found
        .iter()
        .filter(|c| c.starts_with("EXC") || c.starts_with("REF") || c.starts_with("LOAD"))
        .collect();
    assert!(ours.is_empty(), "{found:?}");
}

#[test]
fn exc001_an_expired_exception() {
    case(
        "exc001_expired",
        "EXC001",
        &[write(&exception("2026-09-30", "\"frank\""))],
    );
}

#[test]
fn exc001_near_miss_expiring_today_still_applies() {
    clean_of("EXC001", DAY, &[write(&exception(DAY, "\"frank\""))]);
}

#[test]
fn exc002_approved_by_someone_other_than_the_controls_owner() {
    // Without [risk.acceptance], the owner of the excepted control approves.
    case(
        "exc002_not_the_owner",
        "EXC002",
        &[write(&exception("2027-03-31", "\"dave\""))],
    );
}

/// `[risk.acceptance]` asking top management beside the owner for high risks.
const ACCEPTANCE: Edit = Replace(
    "isms.toml",
    "\n[independence]\n",
    "\n[risk.acceptance]\nhigh = [\"owner\", \"top_management\"]\n\n[independence]\n",
);

/// The exception at the high level.
fn high(text: String) -> Edit<'static> {
    write(&text.replace("risk = \"medium\"", "risk = \"high\""))
}

#[test]
fn exc002_approved_by_the_owner_but_not_by_everyone_the_level_asks_for() {
    case(
        "exc002_by_level",
        "EXC002",
        &[ACCEPTANCE, high(exception("2027-03-31", "\"frank\""))],
    );
}

#[test]
fn exc002_near_miss_the_owner_and_top_management_approve() {
    clean_of(
        "EXC002",
        DAY,
        &[
            ACCEPTANCE,
            high(exception("2027-03-31", "[\"frank\", \"alice\"]")),
        ],
    );
}

#[test]
fn exc002_an_exception_nobody_approved() {
    let text = exception("2027-03-31", "\"frank\"")
        .replace("approved_by = \"frank\"\napproved_on = 2026-06-01\n", "");
    case("exc002_not_approved", "EXC002", &[write(&text)]);
}

#[test]
fn references_of_an_exception_are_checked() {
    let text = exception("2027-03-31", "\"frnak\"")
        .replace("control = \"A.8.5\"", "control = \"IAM.9.99\"")
        .replace("\"A.8.20\"", "\"A.8.99\"");
    case("exc_references", "REF001", &[write(&text)]);
}

#[test]
fn a_risk_level_that_does_not_exist_is_a_load_error() {
    let text = exception("2027-03-31", "\"frank\"").replace("\"medium\"", "\"severe\"");
    case("exc_bad_level", "LOAD002", &[write(&text)]);
}

#[test]
fn an_approval_dated_after_today_is_load005() {
    let text = exception("2027-03-31", "\"frank\"")
        .replace("approved_on = 2026-06-01", "approved_on = 2026-12-01");
    case("exc_future_approval", "LOAD005", &[write(&text)]);
}
