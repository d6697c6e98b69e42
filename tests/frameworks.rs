//! Regulatory overlays: enabling frameworks in isms.toml, the user's packs, FW001 and FW002 with
//! a triggering case and a near miss each, and the reports of the fixture snapshot-tested.

mod common;

use common::{Edit, Replace, Scratch, TODAY, Write};

fn enable(list: &'static str) -> Edit<'static> {
    Replace("isms.toml", "[organisation]\n", list)
}

const NIS2: &str = "frameworks = [\"nis2\"]\n\n[organisation]\n";
const ALL: &str = "frameworks = [\"gdpr\", \"hipaa-security\", \"nis2\", \"eu-mdr-cybersecurity\"]\n\n[organisation]\n";

const CRYPTO: &str = "id = \"A.8.24\"\napplicable = true\njustification = \"Needed for use of cryptography.\"\nbasis = [\"business\"]\nstatus = \"implemented\"\nowner = \"bob\"\ndocuments = [\"POL-ISMS\"]\n";
const CRYPTO_EXCLUDED: &str = "id = \"A.8.24\"\napplicable = false\njustification = \"No cryptography of our own: the cloud provider encrypts.\"\n";
const CRYPTO_PLANNED: &str = "id = \"A.8.24\"\napplicable = true\njustification = \"Needed for use of cryptography.\"\nbasis = [\"business\"]\nstatus = \"planned\"\nowner = \"bob\"\ndocuments = [\"POL-ISMS\"]\n";

fn case(name: &str, edits: &[Edit]) {
    let report = Scratch::new("base", edits).check(TODAY);
    insta::assert_snapshot!(name, report);
}

fn codes(edits: &[Edit]) -> Vec<&'static str> {
    Scratch::new("base", edits).codes(TODAY)
}

#[test]
fn every_builtin_framework_loads_on_a_clean_isms() {
    assert_eq!(
        Scratch::new("base", &[enable(ALL)]).check(TODAY),
        "isms: no problems found in 8 files\n"
    );
}

#[test]
fn fw001_a_requirement_whose_only_control_is_excluded() {
    case(
        "fw001_excluded",
        &[enable(NIS2), Replace("soa.toml", CRYPTO, CRYPTO_EXCLUDED)],
    );
}

#[test]
fn fw001_near_miss_the_framework_is_not_enabled() {
    let found = codes(&[Replace("soa.toml", CRYPTO, CRYPTO_EXCLUDED)]);
    assert!(!found.contains(&"FW001"), "{found:?}");
}

#[test]
fn fw001_near_miss_another_mapped_control_is_applicable() {
    // GDPR Art. 32(1)(a) maps to A.8.11 and A.8.24: excluding one leaves a gap, not FW001.
    let found = codes(&[
        enable("frameworks = [\"gdpr\"]\n\n[organisation]\n"),
        Replace("soa.toml", CRYPTO, CRYPTO_EXCLUDED),
    ]);
    assert!(!found.contains(&"FW001"), "{found:?}");
}

#[test]
fn fw002_a_requirement_with_no_implemented_control() {
    case(
        "fw002_planned",
        &[enable(NIS2), Replace("soa.toml", CRYPTO, CRYPTO_PLANNED)],
    );
}

#[test]
fn fw002_near_miss_the_control_is_implemented() {
    let found = codes(&[enable(NIS2)]);
    assert!(!found.contains(&"FW002"), "{found:?}");
}

#[test]
fn unknown_framework_name_suggests_the_closest() {
    case(
        "unknown_framework",
        &[enable(
            "frameworks = [\"gdrp\", \"nis2\", \"nis2\"]\n\n[organisation]\n",
        )],
    );
}

#[test]
fn frameworks_written_inside_a_table_is_reported() {
    case(
        "frameworks_inside_a_table",
        &[Replace(
            "isms.toml",
            "id = \"iso27001:2022\"\n",
            "id = \"iso27001:2022\"\nframeworks = [\"gdpr\"]\n",
        )],
    );
}

#[test]
fn a_user_pack_extends_a_builtin_and_its_unknown_references_are_ref001() {
    // The extension maps 21(2)(h) to a second control, so excluding A.8.24 is no longer FW001;
    // its unknown control and clause are REF001 at their place in the pack.
    case(
        "user_pack_extends",
        &[
            enable(NIS2),
            Replace("soa.toml", CRYPTO, CRYPTO_EXCLUDED),
            Write(".isms/frameworks/nis2.toml", common::NIS2_PACK),
        ],
    );
}

#[test]
fn a_user_pack_for_a_framework_of_its_own() {
    let pack = br#"name = "customer-schedule"
title = "Customer security schedule"

[[requirement]]
id = "CS-1"
citation = "Schedule 3, 1.1"
title = "Customer data is encrypted at rest"
controls = ["A.8.24"]
"#;
    let edits = [
        enable("frameworks = [\"customer-schedule\"]\n\n[organisation]\n"),
        Replace("soa.toml", CRYPTO, CRYPTO_EXCLUDED),
        Write(".isms/frameworks/customer-schedule.toml", pack),
    ];
    let found = codes(&edits);
    assert!(found.contains(&"FW001"), "{found:?}");
    assert!(!found.contains(&"LOAD002"), "{found:?}");
}

#[test]
fn a_broken_user_pack_is_reported_with_its_place() {
    let pack = br#"name = "gdpr2"
title = "GDPR"
extends = true

[[requirement]]
id = "X-1"
citation = "Art. 1"
title = "Nothing mapped"

[[requirement]]
id = "X-1"
citation = "Art. 2"
title = "Twice"
controls = ["A.5.1"]
"#;
    case(
        "broken_user_pack",
        &[
            enable("frameworks = [\"gdpr\"]\n\n[organisation]\n"),
            Write(".isms/frameworks/gdpr.toml", pack),
        ],
    );
}

#[test]
fn a_misspelt_field_of_a_user_pack_is_load002_with_a_suggestion() {
    let pack = b"name = \"gdpr\"\ntitel = \"GDPR\"\n";
    let report = Scratch::new(
        "base",
        &[
            enable("frameworks = [\"gdpr\"]\n\n[organisation]\n"),
            Write(".isms/frameworks/gdpr.toml", pack),
        ],
    )
    .check(TODAY);
    assert!(report.contains("LOAD002"), "{report}");
    assert!(
        report.contains(".isms/frameworks/gdpr.toml:2:1"),
        "{report}"
    );
    assert!(report.contains("`title`"), "{report}");
}
