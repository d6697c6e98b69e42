//! Approval by merge request (issue 20): an `Approved-by:` trailer on the merge commit (or the
//! squashed commit) that brought a document change, by someone allowed to approve it, counts as
//! an approval for DOC004, but only when it is proven: the commit carrying it was committed by
//! someone other than the change's authors, or signed by the approver's key or a platform key
//! (and, with `[independence] signatures` on, signed in any case). A trailer is text that
//! whoever commits can write: the author's own squash or merge naming the approver proves
//! nothing. Each case builds a repository with fixed authors and dates.

mod gitrepo;
mod signing;

use git2::Oid;
use gitrepo::*;
use signing::{SshKey, commit_signed_by};

/// The identity GitHub commits squash and merge commits with, made in its web interface.
const WEB_FLOW: (&str, &str) = ("GitHub", "noreply@github.com");

const POLICY_PATH: &str = "isms/documents/access/policy.md";

fn codes(r: &TestRepo) -> Vec<&'static str> {
    r.git_diagnostics().iter().map(|d| d.code()).collect()
}

/// bob changes the policy on a branch after its approval; the merge, by `merger`, carries
/// `message`.
fn merged_change(merger: (&str, &str), message: &str) -> TestRepo {
    let r = TestRepo::clean();
    let base = r.tip();
    r.replace(POLICY_PATH, "least privilege", "need to know");
    let side = r.commit(BOB, "2026-06-10", "Need to know");
    r.advance(base);
    let tree = r.tree_of(side);
    r.commit_tree(merger, "2026-06-11", message, tree, &[base, side]);
    r
}

const APPROVED_MERGE: &str = "Merge branch 'need-to-know' into 'main'\n\nSee merge request !12\n\nApproved-by: Alice Martin <alice@acme.example>\n";

#[test]
fn a_merge_committed_by_a_maintainer_carrying_the_approval_counts() {
    // dave, neither author nor approver, merges the request alice approved.
    assert_eq!(
        codes(&merged_change(DAVE, APPROVED_MERGE)),
        Vec::<&str>::new()
    );
    // alice merges it herself: her commit is her approval.
    assert_eq!(
        codes(&merged_change(ALICE, APPROVED_MERGE)),
        Vec::<&str>::new()
    );
}

#[test]
fn the_author_merging_their_own_change_with_a_trailer_proves_no_approval() {
    // Until issue 20 closed this hole, bob's own merge naming alice was accepted.
    let r = merged_change(BOB, APPROVED_MERGE);
    let lines = r.lines_of("DOC004");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("the Approved-by trailer naming alice in")
            && lines[0].contains("is not counted: it was committed by bob, an author of the change, and is not signed by alice's key or a platform key"),
        "{lines:?}"
    );
}

#[test]
fn a_merge_without_approval_leaves_doc004() {
    let r = merged_change(BOB, "Merge branch 'need-to-know' into 'main'\n");
    assert_eq!(codes(&r), ["DOC004"]);
}

#[test]
fn an_approval_by_someone_not_allowed_to_approve_does_not_count() {
    let r = merged_change(
        BOB,
        "Merge branch 'need-to-know'\n\nApproved-by: Carol Diaz <carol@acme.example>\n",
    );
    assert_eq!(codes(&r), ["DOC004"]);
}

#[test]
fn an_approved_by_line_in_the_body_is_not_a_trailer() {
    let r = merged_change(
        BOB,
        "Merge branch 'need-to-know'\n\nApproved-by: Alice Martin <alice@acme.example>\n\nThe approval above is only quoted from the discussion.\n",
    );
    assert_eq!(codes(&r), ["DOC004"]);
}

const SQUASHED: &str = "Need to know (!12)\n\nApproved-by: Alice Martin <alice@acme.example>\n";

#[test]
fn the_author_squash_committing_their_own_change_with_a_trailer_proves_no_approval() {
    let r = TestRepo::clean();
    r.replace(POLICY_PATH, "least privilege", "need to know");
    r.commit(BOB, "2026-06-10", SQUASHED);
    let lines = r.lines_of("DOC004");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("is not counted: it was committed by bob, an author of the change"),
        "{lines:?}"
    );
}

#[test]
fn a_squashed_commit_carries_its_own_approval_but_not_its_authors() {
    let r = TestRepo::clean();
    r.replace(POLICY_PATH, "least privilege", "need to know");
    // carol squashes bob's merge request, which alice approved.
    let tip = r.tip();
    commit_signed_by(&r, BOB, CAROL, "2026-06-10", SQUASHED, &[tip], |_| None);
    assert_eq!(codes(&r), Vec::<&str>::new());
    // alice changing it and approving her own change is no review.
    r.replace(
        POLICY_PATH,
        "need to know",
        "need to know, reviewed quarterly",
    );
    r.commit(
        ALICE,
        "2026-06-12",
        "Quarterly review (!13)\n\nApproved-by: Alice Martin <alice@acme.example>\n",
    );
    assert_eq!(codes(&r), ["DOC004"]);
}

#[test]
fn a_member_of_the_approving_team_approves_in_review() {
    let r = TestRepo::clean();
    r.write(
        "isms/teams.toml",
        "[[team]]\nid = \"policy-owners\"\nname = \"Policy owners\"\nlead = \"alice\"\nmembers = [\"carol\"]\n",
    );
    r.replace(
        POLICY_PATH,
        "approved_by = \"alice\"",
        "approved_by = \"policy-owners\"\napproved_by_person = \"alice\"",
    );
    r.commit(BOB, "2026-06-01", "Policy owners approve access policies");
    let base = r.tip();
    r.replace(POLICY_PATH, "least privilege", "need to know");
    let side = r.commit(BOB, "2026-06-10", "Need to know");
    r.advance(base);
    let tree = r.tree_of(side);
    r.commit_tree(
        CAROL,
        "2026-06-11",
        "Merge branch 'need-to-know'\n\nApproved-by: Carol Diaz <carol@acme.example>\n",
        tree,
        &[base, side],
    );
    assert_eq!(codes(&r), Vec::<&str>::new());
}

fn platform_key() -> SshKey {
    SshKey::from_seed(7)
}

/// TestRepo::clean with GitHub's key listed in `platform_keys` (and `signatures` as given),
/// then bob's change squashed in GitHub's web interface, committed by `committer` and signed
/// by `key`.
fn squashed_on_the_platform(
    signatures: &str,
    committer: (&str, &str),
    key: Option<SshKey>,
) -> TestRepo {
    let r = TestRepo::clean();
    r.write(
        "isms/isms.toml",
        &format!(
            "{ISMS_TOML}signatures = \"{signatures}\"\nplatform_keys = [{:?}]\n",
            platform_key().line("web-flow")
        ),
    );
    r.commit(
        ALICE,
        "2026-06-02",
        "GitHub signs what its web interface commits",
    );
    r.replace(POLICY_PATH, "least privilege", "need to know");
    let tip: Oid = r.tip();
    commit_signed_by(&r, BOB, committer, "2026-06-10", SQUASHED, &[tip], |d| {
        key.map(|k| k.sign(d))
    });
    r
}

#[test]
fn a_squash_signed_by_a_platform_key_counts() {
    let r = squashed_on_the_platform("off", WEB_FLOW, Some(platform_key()));
    assert_eq!(r.lines_of("DOC004"), Vec::<String>::new());
    // With signatures required, the platform's signature is the proof too.
    let r = squashed_on_the_platform("records", WEB_FLOW, Some(platform_key()));
    assert_eq!(r.lines_of("DOC004"), Vec::<String>::new());
}

#[test]
fn a_squash_claiming_the_platform_committer_without_its_signature_does_not_count() {
    let r = squashed_on_the_platform("off", WEB_FLOW, None);
    let lines = r.lines_of("DOC004");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("is not counted: it was committed by GitHub <noreply@github.com>, who is not in people.toml, and is not signed by alice's key or a platform key"),
        "{lines:?}"
    );
    // Signed, but by a key nobody listed as the platform's.
    let r = squashed_on_the_platform("off", WEB_FLOW, Some(SshKey::from_seed(9)));
    assert_eq!(r.lines_of("DOC004").len(), 1);
}

#[test]
fn with_signatures_on_a_third_persons_commit_must_be_signed() {
    // carol's squash of bob's change is no proof unsigned when signatures are required.
    let r = squashed_on_the_platform("records", CAROL, None);
    let lines = r.lines_of("DOC004");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("is not counted: `[independence] signatures` requires it to be signed by carol, alice or a platform key"),
        "{lines:?}"
    );
}
