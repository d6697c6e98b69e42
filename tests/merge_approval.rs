//! Approval by merge request (issue 20): an `Approved-by:` trailer on the merge commit (or the
//! squashed commit) that brought a document change, by someone allowed to approve it, counts as
//! an approval for DOC004. Each case builds a repository with fixed authors and dates.

mod gitrepo;

use gitrepo::*;

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

#[test]
fn a_merge_approved_by_the_documents_approver_is_an_approval() {
    let r = merged_change(
        BOB,
        "Merge branch 'need-to-know' into 'main'\n\nSee merge request !12\n\nApproved-by: Alice Martin <alice@acme.example>\n",
    );
    assert_eq!(codes(&r), Vec::<&str>::new());
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

#[test]
fn a_squashed_commit_carries_its_own_approval_but_not_its_authors() {
    let r = TestRepo::clean();
    r.replace(POLICY_PATH, "least privilege", "need to know");
    r.commit(
        BOB,
        "2026-06-10",
        "Need to know (!12)\n\nApproved-by: Alice Martin <alice@acme.example>\n",
    );
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
        BOB,
        "2026-06-11",
        "Merge branch 'need-to-know'\n\nApproved-by: Carol Diaz <carol@acme.example>\n",
        tree,
        &[base, side],
    );
    assert_eq!(codes(&r), Vec::<&str>::new());
}
