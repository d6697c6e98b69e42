//! libgit2's process-wide options as `isms` sets them at startup: in a test binary of its own,
//! as they are global to the process.

#[test]
fn startup_turns_the_object_cache_off_and_bounds_the_mapped_pack_windows() {
    isms::history::configure_libgit2();
    // SAFETY: this test binary's only test: no other thread uses libgit2 while it reads them.
    let (window, mapped) = unsafe {
        (
            git2::opts::get_mwindow_size().expect("window size"),
            git2::opts::get_mwindow_mapped_limit().expect("mapped limit"),
        )
    };
    assert_eq!(
        (window, mapped),
        (
            isms::history::PACK_WINDOW,
            isms::history::PACK_WINDOWS_MAPPED
        )
    );
    assert_eq!(
        (window, mapped),
        (32 << 20, 64 << 20),
        "below libgit2's 1 GB and 8 GB"
    );

    // A commit and its tree read are not kept in libgit2's object cache.
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = git2::Repository::init(dir.path()).expect("init");
    let blob = repo.blob(b"text").expect("blob");
    let mut tree = repo.treebuilder(None).expect("tree");
    tree.insert("a.md", blob, 0o100644).expect("entry");
    let tree = repo.find_tree(tree.write().expect("write")).expect("tree");
    let who = git2::Signature::new("Ann", "ann@x.example", &git2::Time::new(0, 0)).expect("who");
    let commit = repo
        .commit(None, &who, &who, "first", &tree, &[])
        .expect("commit");
    let read = repo.find_commit(commit).expect("read");
    assert_eq!(read.tree().expect("its tree").len(), 1);
    // SAFETY: as above.
    let (cached, _) = unsafe { git2::opts::get_cached_memory().expect("cache") };
    assert_eq!(cached, 0, "nothing cached");
}
