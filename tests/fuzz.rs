//! A deterministic mutation test of the loaders and rules: seeded mutations of the example
//! ISMS's files (truncation, line deletion, byte flips, type swaps, huge integers, invalid UTF-8,
//! confusable and invisible characters, deep nesting), each loaded and checked in-process.
//!
//! Each case asserts: no panic, no case slower than a few seconds, valid `--format json`, and a
//! diagnostic in every file the mutation left unreadable (not UTF-8, or not TOML).
//!
//! `ISMS_FUZZ_CASES=100000 cargo test --release --test fuzz` runs a longer campaign;
//! `ISMS_FUZZ_SEED` starts it from another seed.

use std::collections::BTreeMap;
use std::io;
use std::time::{Duration, Instant};

use isms::catalog;
use isms::coverage;
use isms::diagnostics::{Summary, json};
use isms::export::{self, Register};
use isms::load;
use isms::model::Date;
use isms::rules::{self, Context};
use isms::source::{Entry, EntryKind, Source};

/// Cases run by `cargo test`: enough to meet every mutation on every file kind, in seconds.
const DEFAULT_CASES: u64 = 2_000;
/// The slowest a single case may be: a mutation that makes the check hang is a defect.
const MAX_CASE: Duration = Duration::from_secs(3);

/// The ISMS files in memory, as the loader reads them from a working tree.
#[derive(Clone)]
struct Memory(BTreeMap<String, Vec<u8>>);

impl Source for Memory {
    fn list(&self) -> Vec<Entry> {
        self.0
            .iter()
            .map(|(path, bytes)| Entry {
                path: path.clone(),
                kind: EntryKind::File {
                    size: bytes.len() as u64,
                },
            })
            .collect()
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, path.to_string()))
    }
}

/// The example's TOML and Markdown files (evidence is not parsed, so not mutated).
fn example() -> Memory {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-isms");
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&root).unwrap();
        let rel = rel.to_str().unwrap().replace('\\', "/");
        files.insert(rel, std::fs::read(entry.path()).unwrap());
    }
    Memory(files)
}

/// SplitMix64: a small, fixed generator, so a seed names one case on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const HUGE: [&str; 12] = [
    "0",
    "-1",
    "239977",
    "65536",
    "7300000",
    "2147483647",
    "2147483648",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "1e308",
    "nan",
];

const SWAPS: [&str; 9] = [
    "\"text\"",
    "42",
    "true",
    "2026-02-30",
    "2026-03-12T10:00:00Z",
    "[]",
    "{}",
    "[1, \"a\"]",
    "\"\"",
];

/// Look-alike and invisible characters that must never pass as part of an id.
const CONFUSABLES: [&str; 6] = [
    "\u{2010}", "\u{041E}", "\u{200B}", "\u{00A0}", "\u{0430}", "\u{FEFF}",
];

/// One mutation of `bytes`; the name says which, for the failure message.
fn mutate(rng: &mut Rng, bytes: &[u8]) -> (&'static str, Vec<u8>) {
    let mut b = bytes.to_vec();
    let text = String::from_utf8_lossy(bytes).into_owned();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line = rng.below(lines.len());
    let with_line = |new: String| -> Vec<u8> {
        let mut out = String::new();
        for (i, l) in lines.iter().enumerate() {
            if i == line {
                out.push_str(&new);
            } else {
                out.push_str(l);
            }
        }
        out.into_bytes()
    };
    match rng.below(9) {
        0 => {
            b.truncate(rng.below(b.len() + 1));
            ("truncation", b)
        }
        1 => ("line deletion", with_line(String::new())),
        2 => {
            if !b.is_empty() {
                let at = rng.below(b.len());
                b[at] ^= 1 << rng.below(8);
            }
            ("byte flip", b)
        }
        3 | 4 => {
            let l = lines.get(line).copied().unwrap_or("");
            let (kind, value) = if rng.below(2) == 0 {
                ("type swap", *rng.pick(&SWAPS))
            } else {
                ("huge integer", *rng.pick(&HUGE))
            };
            match l.split_once(" = ") {
                Some((key, _)) => (kind, with_line(format!("{key} = {value}\n"))),
                None => (kind, b),
            }
        }
        5 => {
            let at = rng.below(b.len() + 1);
            const INVALID: [&[u8]; 3] = [&[0xFF], &[0xC3], &[0xED, 0xA0, 0x80]];
            let bad = INVALID[rng.below(INVALID.len())];
            b.splice(at..at, bad.iter().copied());
            ("invalid UTF-8", b)
        }
        6 => {
            // A confusable inside a quoted value: where ids live.
            let l = lines.get(line).copied().unwrap_or("");
            match l.find('"') {
                Some(q) if q + 1 < l.len() => {
                    let c = *rng.pick(&CONFUSABLES);
                    let cut = (q + 1..l.len())
                        .find(|&i| l.is_char_boundary(i))
                        .unwrap_or(q + 1);
                    (
                        "confusable",
                        with_line(format!("{}{c}{}", &l[..cut], &l[cut..])),
                    )
                }
                _ => ("confusable", b),
            }
        }
        7 => {
            let copy = lines.get(line).copied().unwrap_or("").to_string();
            ("duplicated line", with_line(format!("{copy}{copy}")))
        }
        _ => {
            let depth = 1 + rng.below(2_000);
            let value = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            ("deep nesting", with_line(format!("nested = {value}\n")))
        }
    }
}

/// Whether a file is unreadable by any TOML reader: not UTF-8, or (its front matter) not TOML.
fn broken(path: &str, bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return true;
    };
    let toml = if path.ends_with(".md") {
        let Some(rest) = text.strip_prefix("+++\n") else {
            return true;
        };
        match rest.find("\n+++") {
            Some(end) => &rest[..end],
            None => return true,
        }
    } else if path.ends_with(".toml") {
        text
    } else {
        return false;
    };
    toml.parse::<toml::Table>().is_err()
}

/// Loads and checks `source` as `isms check --format json` does, and renders the registers.
fn check(source: &Memory, today: Date) -> String {
    let loaded = load::load(source, "");
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(rules::check(&Context::new(&loaded.isms, today)));
    rules::apply_overrides(&loaded.isms, &mut diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let summary = Summary::of(&diagnostics, loaded.files.len());
    let coverage = loaded
        .isms
        .config
        .as_ref()
        .map(|config| coverage::Summary::of(&loaded.isms, catalog::iso27001(), config, today));
    for register in [
        Register::Soa,
        Register::Risks,
        Register::Findings,
        Register::Rcm,
    ] {
        export::table(register, &loaded.isms, today);
    }
    json::render_with_coverage(&diagnostics, &loaded.files, &summary, coverage.as_ref())
}

fn cases() -> u64 {
    std::env::var("ISMS_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// Runs the cases of `seeds`, asserting each, and counts the mutations by kind.
fn run_cases(
    example: &Memory,
    paths: &[String],
    seeds: impl Iterator<Item = u64>,
) -> BTreeMap<&'static str, u64> {
    let today = Date::parse("2026-11-27").unwrap();
    let mut kinds: BTreeMap<&str, u64> = BTreeMap::new();
    for seed in seeds {
        let mut rng = Rng(seed);
        let mut source = example.clone();
        // One file in most cases, two now and then.
        let mut mutated = Vec::new();
        for _ in 0..1 + rng.below(3).saturating_sub(1) {
            let path = rng.pick(paths).clone();
            let (kind, bytes) = mutate(&mut rng, &source.0[&path]);
            *kinds.entry(kind).or_default() += 1;
            source.0.insert(path.clone(), bytes);
            mutated.push((path, kind));
        }
        let case =
            format!("seed {seed}: {mutated:?} (rerun: ISMS_FUZZ_SEED={seed} ISMS_FUZZ_CASES=1)");
        let began = Instant::now();
        let text = std::panic::catch_unwind(|| check(&source, today))
            .unwrap_or_else(|_| panic!("panic in {case}"));
        assert!(
            began.elapsed() < MAX_CASE,
            "{case} took {:?}",
            began.elapsed()
        );
        let report: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("invalid JSON in {case}: {e}"));
        let reported: Vec<&str> = report["diagnostics"]
            .as_array()
            .unwrap_or_else(|| panic!("no diagnostics array in {case}"))
            .iter()
            .filter_map(|d| d["file"].as_str())
            .collect();
        for (path, _) in &mutated {
            if broken(path, &source.0[path]) {
                assert!(
                    reported.contains(&path.as_str()),
                    "{case}: {path} is unreadable but has no diagnostic:\n{text}"
                );
            }
        }
    }
    kinds
}

#[test]
fn mutations_of_the_example_never_panic_hang_or_go_unreported() {
    let example = example();
    let paths: Vec<String> = example
        .0
        .keys()
        .filter(|p| p.ends_with(".toml") || p.ends_with(".md"))
        .filter(|p| !p.ends_with("README.md") && !p.starts_with("evidence/"))
        .cloned()
        .collect();
    let first: u64 = std::env::var("ISMS_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let cases = cases();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8)) as u64;
    let started = Instant::now();
    let mut kinds: BTreeMap<&str, u64> = BTreeMap::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                let (example, paths) = (&example, &paths);
                let seeds = (first..first + cases).filter(move |s| s % workers == worker);
                scope.spawn(move || run_cases(example, paths, seeds))
            })
            .collect();
        for handle in handles {
            let counted = handle
                .join()
                .expect("a fuzz worker failed: see its message above");
            for (kind, n) in counted {
                *kinds.entry(kind).or_default() += n;
            }
        }
    });
    eprintln!("{cases} cases in {:?}: {kinds:?}", started.elapsed());
    if cases >= 100 {
        assert!(kinds.len() >= 9, "every kind of mutation ran: {kinds:?}");
    }
}
