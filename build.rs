//! Embeds the example ISMS (`example-isms/`) in the binary, for `isms init --example`: writes
//! `$OUT_DIR/example_isms.rs`, a sorted table of every file's path and text.

use std::path::Path;

fn main() {
    // Read at run time, not baked in at compile time: a build script compiled in another checkout
    // of this repository must still embed this checkout's example.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("example-isms");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out =
        String::from("/// The example ISMS's files: path (relative, with `/`) and text.\n");
    out.push_str("pub(crate) const FILES: &[(&str, &str)] = &[\n");
    for (rel, full) in &files {
        out.push_str(&format!("    ({rel:?}, include_str!({full:?})),\n"));
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("example_isms.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// Every file below `dir` except the site's output and hidden folders.
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir).expect("example-isms/ is readable");
    for entry in entries {
        let path = entry.expect("example-isms/ is readable").path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            if !name.starts_with('.') && name != "_site" {
                collect(root, &path, files);
            }
        } else if path.is_file() {
            let rel = path
                .strip_prefix(root)
                .expect("below the root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((rel, path.display().to_string()));
        }
    }
}
