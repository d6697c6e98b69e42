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

/// `isms new exception ARGS` on `root`, on the example's day.
fn new_exception(root: &std::path::Path, args: &[&str]) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .env("ISMS_TODAY", DAY)
        .args(["new", "exception", "--path", root.to_str().unwrap()])
        .args(args)
        .assert()
}

#[test]
fn new_exception_writes_a_file_that_loads_and_is_checked() {
    let scratch = common::Scratch::new("example", &[]);
    let root = scratch.path();
    let args = [
        "--control",
        "A.8.8",
        "--reason",
        "The legacy reporting module cannot take its framework's patches",
        "--risk",
        "medium",
        "--expires",
        "2027-03-31",
        "--compensating",
        "A.8.16,A.8.20",
    ];
    let out = new_exception(root, &args).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("New exception EXC-2026-001")
            && stdout.contains("Record its approval (`approved_by`, `approved_on`)"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(root.join("exceptions/EXC-2026-001.toml")).unwrap();
    assert!(
        text.contains("control = \"A.8.8\"")
            && text.contains("compensating_controls = [\"A.8.16\", \"A.8.20\"]")
            && text.contains("expires_on = 2027-03-31"),
        "{text}"
    );
    // Unapproved, it loads clean and EXC002 asks for the control's owner.
    let found = scratch.codes(DAY);
    assert!(
        !found
            .iter()
            .any(|c| c.starts_with("LOAD") || c.starts_with("REF")),
        "{found:?}"
    );
    assert_eq!(found.iter().filter(|c| **c == "EXC002").count(), 1);

    // The next one gets the next id; approved by the owner of A.8.8, nothing more to say.
    let mut approved = args.to_vec();
    approved.extend(["--approved-by", "erin", "--approved-on", "2026-11-20"]);
    new_exception(root, &approved).success();
    let text = std::fs::read_to_string(root.join("exceptions/EXC-2026-002.toml")).unwrap();
    assert!(
        text.contains("approved_by = [\"erin\"]\napproved_on = 2026-11-20"),
        "{text}"
    );
    let found = scratch.codes(DAY);
    assert_eq!(
        found.iter().filter(|c| **c == "EXC002").count(),
        1,
        "{found:?}"
    );

    // Bad input is refused and writes nothing.
    let refused = |extra: &[&str], expected: &str| {
        // `extra` is one option and its value, replacing the option's value in `args`.
        let mut bad = args.to_vec();
        match bad.iter().position(|a| *a == extra[0]) {
            Some(i) => bad[i + 1] = extra[1],
            None => bad.extend(extra),
        }
        let out = new_exception(root, &bad).code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains(expected), "{stderr}");
    };
    refused(
        &["--approved-by", "ern"],
        "there is no person `ern` in people.toml",
    );
    refused(
        &["--risk", "severe"],
        "`severe` is not a risk level: use one of low, medium, high, critical",
    );
    refused(&["--control", "A.9.2.1"], "A.9.2.1 is ISO/IEC 27001:2013");
    refused(
        &["--expires", "2026-11-01"],
        "the exception would have expired already (EXC001)",
    );
    assert!(!root.join("exceptions/EXC-2026-003.toml").exists());
}

/// The example with EXC-2026-009 (approved, expiring in 18 days) and EXC-2026-010 (never
/// approved, expired 57 days ago), both to A.8.5.
fn two_exceptions() -> common::Scratch {
    common::Scratch::new(
        "example",
        &[
            write(&exception("2026-12-15", "\"frank\"")),
            Write(
                "exceptions/EXC-2026-010.toml",
                b"id = \"EXC-2026-010\"\ncontrol = \"A.8.5\"\nreason = \"Restores are manual\"\nrisk = \"low\"\nexpires_on = 2026-10-01\n",
            ),
        ],
    )
}

#[test]
fn the_exceptions_register_exports_with_expiry() {
    let scratch = two_exceptions();
    let run = |format: &str| {
        let out = assert_cmd::Command::cargo_bin("isms")
            .unwrap()
            .args(["export", "exceptions"])
            .arg(scratch.path())
            .args(["--format", format, "--today", DAY])
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["register"], "exceptions");
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["exception"], "EXC-2026-009");
    assert_eq!(rows[0]["control_title"], "Secure authentication");
    assert_eq!(rows[0]["compensating_controls"], "A.8.16, A.8.20");
    assert_eq!(rows[0]["approved_by"], "Frank Delacroix");
    assert_eq!(rows[0]["expires_on"], "2026-12-15");
    assert_eq!(rows[0]["days_left"], 18);
    // Expired 57 days ago, and never approved.
    assert_eq!(rows[1]["days_left"], -57);
    assert_eq!(rows[1]["approved_by"], serde_json::Value::Null);
    let csv = run("csv");
    assert!(
        csv.starts_with("Exception,Control,Control title,Reason,Compensating controls,Risk level,Approved by,Approved on,Expires on,Days left"),
        "{csv}"
    );
}

#[test]
fn the_site_lists_exceptions_with_expiry_and_links_them_from_the_control() {
    let scratch = two_exceptions();
    let out = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .args(["build"])
        .arg(scratch.path())
        .arg("--out")
        .arg(out.path())
        .args(["--today", DAY])
        .assert()
        .success();
    let page = std::fs::read_to_string(out.path().join("exceptions.html")).unwrap();
    assert!(
        page.contains("id=\"x-EXC-2026-009\"")
            && page.contains("2026-12-15 <span class=\"muted\">(18 days left)</span>")
            && page.contains("2026-10-01: expired 57 days ago")
            && page.contains("<span class=\"bad\">nobody yet</span>"),
        "{page}"
    );
    let control = std::fs::read_to_string(out.path().join("controls/A.8.5.html")).unwrap();
    assert!(
        control.contains("href=\"../exceptions.html#x-EXC-2026-009\"")
            && control.contains("expired 2026-10-01"),
        "{control}"
    );
    let index = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        index.contains("href=\"exceptions.html\""),
        "the nav links the page"
    );
}

#[test]
fn isms_diff_shows_an_exception_added_then_renewed() {
    let scratch = common::Scratch::new("example", &[]);
    let dir = scratch.path();
    common::commit_on(dir, "dave@acme-medtech.example", "2026-11-01", "The ISMS");
    let path = dir.join(PATH);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, exception("2026-12-15", "\"frank\"")).unwrap();
    common::commit_on(
        dir,
        "dave@acme-medtech.example",
        "2026-11-02",
        "EXC-2026-009",
    );
    std::fs::write(&path, exception("2027-03-31", "\"frank\"")).unwrap();
    common::commit_on(
        dir,
        "dave@acme-medtech.example",
        "2026-11-20",
        "Renew EXC-2026-009",
    );
    let diff = |base: &str, head: &str| {
        let out = assert_cmd::Command::cargo_bin("isms")
            .unwrap()
            .current_dir(dir)
            .args(["diff", base, head, "--today", DAY])
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let added = diff("HEAD~2", "HEAD~1");
    assert!(
        added.contains(
            "### Exceptions\n\n- `EXC-2026-009` (A.8.5 (medium risk), expires on 2026-12-15) added"
        ),
        "{added}"
    );
    let renewed = diff("HEAD~1", "HEAD");
    assert!(
        renewed.contains(
            "- `EXC-2026-009` (A.8.5 (medium risk), expires on 2027-03-31) changed: expires_on"
        ),
        "{renewed}"
    );
}
