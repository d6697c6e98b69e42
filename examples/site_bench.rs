//! Benchmark of `isms build`: a large synthetic ISMS (the example plus thousands of documents
//! and findings, outside git) checked and rendered; prints pages per second.
//!
//! cargo run --release --example site_bench -- [DOCUMENTS] [FINDINGS] [--keep DIR]
//!
//! `--keep DIR` also copies the built site to DIR, to compare two builds' output tree by tree.

use std::fs;
use std::path::Path;
use std::time::Instant;

use isms::model::Date;
use isms::workspace::Workspace;

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn main() {
    let mut keep = None;
    let mut counts = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--keep" {
            keep = Some(args.next().expect("--keep needs a folder"));
        } else {
            counts.push(arg.parse::<usize>().expect("counts are whole numbers"));
        }
    }
    let documents = counts.first().copied().unwrap_or(3000);
    let findings = counts.get(1).copied().unwrap_or(2000);
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-isms");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("isms");
    copy(&example, &root);
    let policy =
        fs::read_to_string(root.join("documents/access/access-control-policy.md")).unwrap();
    fs::create_dir_all(root.join("documents/bulk")).unwrap();
    for i in 0..documents {
        let text = policy
            .replacen("id = \"POL-ACCESS\"", &format!("id = \"BULK-{i:05}\""), 1)
            .replacen(
                "title = \"Access Control Policy\"",
                &format!("title = \"Bulk procedure {i}\""),
                1,
            )
            .replacen("kind = \"policy\"", "kind = \"procedure\"", 1);
        fs::write(root.join(format!("documents/bulk/bulk-{i:05}.md")), text).unwrap();
    }
    let finding = fs::read_to_string(root.join("findings/F-2026-003.toml")).unwrap();
    for i in 0..findings {
        let text = finding.replacen("id = \"F-2026-003\"", &format!("id = \"F-BULK-{i:05}\""), 1);
        fs::write(root.join(format!("findings/F-BULK-{i:05}.toml")), text).unwrap();
    }
    let ws = Workspace::find(Some(&root)).unwrap();
    let today = Date::parse("2026-11-27").unwrap();

    let started = Instant::now();
    let outcome = isms::check::run(&ws, today);
    let checked = started.elapsed();
    let options = isms::site::Options {
        out: dir.path().join("site"),
        today,
        show_today: true,
    };
    let rendered_at = Instant::now();
    let cpu_before = process_cpu_seconds();
    let files = isms::site::render(&ws, &outcome, &options).unwrap();
    let rendered = rendered_at.elapsed();
    let render_cpu = process_cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let written_at = Instant::now();
    let stats = isms::site::write(&options.out, &files).unwrap();
    let written = written_at.elapsed();
    let total = started.elapsed();
    let bytes: usize = files.values().map(Vec::len).sum();
    println!(
        "{} documents, {} findings, {} diagnostics: {} pages ({:.1} MB)",
        outcome.isms.documents.len(),
        outcome.isms.findings.len(),
        outcome.diagnostics.len(),
        stats.pages,
        bytes as f64 / 1e6
    );
    println!(
        "check {:.0} ms, render {:.0} ms, write {:.0} ms, total {:.0} ms",
        checked.as_secs_f64() * 1e3,
        rendered.as_secs_f64() * 1e3,
        written.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3
    );
    println!(
        "{:.0} pages/s rendered; {:.0} pages/s end to end (check + render + write)",
        stats.pages as f64 / rendered.as_secs_f64(),
        stats.pages as f64 / total.as_secs_f64()
    );
    if let Some(cpu) = render_cpu {
        println!(
            "render CPU {:.2} s (all threads): {:.0} us per page, {:.0} pages/s per core",
            cpu,
            cpu * 1e6 / stats.pages as f64,
            stats.pages as f64 / cpu
        );
    }
    if let Some(keep) = keep {
        copy(&options.out, Path::new(&keep));
    }
}

/// User + system CPU time of the whole process so far (every thread), from `/proc/self/stat`
/// (Linux; in clock ticks of 1/100 s); `None` elsewhere.
fn process_cpu_seconds() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}
