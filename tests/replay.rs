//! The replay of example-isms/ by its own people (examples/replay_example.rs) checks clean, and
//! the same replay with one planted conflict is caught (issue 3 item 9).

use std::path::PathBuf;
use std::process::Command;

/// `cargo test` builds the examples beside the test binaries.
fn replay() -> Command {
    let exe = std::env::current_exe().expect("test binary");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let example = dir
        .join("examples")
        .join(format!("replay_example{}", std::env::consts::EXE_SUFFIX));
    assert!(
        example.exists(),
        "{} is missing: cargo test builds the examples",
        example.display()
    );
    let mut cmd = Command::new(example);
    cmd.arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("example-isms"))
        .args(["--today", "2026-11-27"]);
    cmd
}

#[test]
fn the_replayed_example_checks_clean_and_a_planted_conflict_is_caught() {
    let work = tempfile::tempdir().unwrap();
    let out = replay()
        .arg("--out")
        .arg(work.path().join("clean"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("isms: no problems found"), "{text}");

    let out = replay()
        .arg("--out")
        .arg(work.path().join("planted"))
        .arg("--plant")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("error[IND002]") && text.contains("the planted conflict was caught"),
        "{text}"
    );
}
