//! A synthetic ISMS repository for benchmarks: N documents over A areas, and a git history of
//! M commits by P authors (a few of them unknown to people.toml, a merge every 25 commits,
//! renames now and then), the same bytes and hashes for the same arguments and seed.
//!
//! ```text
//! cargo run --release --example synth_repo -- DIR [--commits M] [--authors P] [--areas A]
//!     [--docs N] [--files F] [--file-kb K] [--seed S] [--sign] [--on REPO]
//! ```
//! With `--on REPO` the history is a real one: REPO is cloned into DIR and one commit on top adds
//! the ISMS, whose areas share REPO's top-level folders (`bench/history.sh --repo REPO`).
//! The ISMS is DIR/isms; the areas also own code in DIR/src/<area>/ (`../src/<area>/**`).
//! The history is written with `git fast-import`, then checked out. With `--sign` every commit
//! is signed (SSH, ed25519) by a key of its author made from a fixed seed, people.toml lists
//! the known authors' keys and isms.toml asks for `signatures = "all"`. See BENCHMARKS.md.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

struct Args {
    dir: PathBuf,
    commits: usize,
    authors: usize,
    areas: usize,
    docs: usize,
    files: usize,
    file_kb: usize,
    seed: u64,
    sign: bool,
    /// A real repository to clone and put the ISMS on top of, instead of a synthetic history.
    on: Option<PathBuf>,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        dir: PathBuf::new(),
        commits: 1000,
        authors: 40,
        areas: 12,
        docs: 120,
        files: 2000,
        file_kb: 0,
        seed: 2026,
        sign: false,
        on: None,
    };
    let mut it = std::env::args().skip(1);
    let mut dir = None;
    while let Some(a) = it.next() {
        let mut num = |name: &str| -> Result<u64, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .ok_or(format!("{name} takes a number"))
        };
        match a.as_str() {
            "--commits" => args.commits = num("--commits")? as usize,
            "--authors" => args.authors = (num("--authors")? as usize).max(4),
            "--areas" => args.areas = (num("--areas")? as usize).max(1),
            "--docs" => args.docs = num("--docs")? as usize,
            "--files" => args.files = (num("--files")? as usize).max(1),
            "--file-kb" => args.file_kb = num("--file-kb")? as usize,
            "--seed" => args.seed = num("--seed")?,
            "--sign" => args.sign = true,
            "--on" => args.on = Some(it.next().ok_or("--on takes a repository")?.into()),
            "-h" | "--help" => return Err(String::new()),
            other if dir.is_none() && !other.starts_with('-') => dir = Some(PathBuf::from(other)),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    args.dir = dir.ok_or("the folder to create is missing")?;
    Ok(args)
}

/// xorshift64*: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn person_email(i: usize, authors: usize) -> String {
    // The last tenth of the authors are not in people.toml (IND007).
    if i >= authors - authors / 10 {
        format!("contractor{i}@elsewhere.example")
    } else {
        format!("p{i}@synth.example")
    }
}

/// The ISMS files; area `j` owns its documents and the code paths `code(j)` (relative to the
/// ISMS folder).
fn isms_files(a: &Args, code: &dyn Fn(usize) -> Vec<String>) -> Vec<(String, String)> {
    let known = a.authors - a.authors / 10;
    let mut files = Vec::new();
    files.push((
        "isms/isms.toml".to_string(),
        format!(
            "[organisation]\nname = \"Synth Ltd\"\nscope = \"A synthetic ISMS for benchmarks\"\n\n[independence]\nlookback_months = 24\nignore_authors = [\"*[bot]@users.noreply.github.com\"]\n{}",
            if a.sign { "signatures = \"all\"\n" } else { "" }
        ),
    ));
    let mut people = String::new();
    for i in 0..known {
        let _ = write!(
            people,
            "[[person]]\nid = \"p{i}\"\nname = \"Person {i}\"\nemails = [\"p{i}@synth.example\"]\ntop_management = {}\nauditor = {}\ncompetence = [\"Internal auditor course\"]\n{}\n",
            i == 0,
            i % 5 == 1,
            if a.sign {
                format!("signing_keys = [{:?}]\n", public_line(&key_of(i)))
            } else {
                String::new()
            }
        );
    }
    files.push(("isms/people.toml".into(), people));
    let mut areas = String::new();
    for j in 0..a.areas {
        let mut paths = vec![format!("documents/area-{j}/**")];
        paths.extend(code(j));
        let _ = write!(
            areas,
            "[[area]]\nid = \"area-{j}\"\nname = \"Area {j}\"\nowner = \"p{}\"\nmembers = [\"p{}\", \"p{}\"]\nrisk = \"medium\"\npaths = {paths:?}\n\n",
            (j * 3 + 2) % known,
            (j * 3 + 3) % known,
            (j * 3 + 4) % known
        );
    }
    files.push(("isms/areas.toml".into(), areas));
    let auditors: Vec<usize> = (0..known).filter(|i| i % 5 == 1).collect();
    for j in 0..a.areas {
        let lead = auditors[j % auditors.len().max(1)];
        let team = auditors[(j + 1) % auditors.len().max(1)];
        files.push((
            format!("isms/audits/IA-{j}/plan.toml"),
            format!(
                "id = \"IA-{j}\"\ntitle = \"Audit of area {j}\"\nareas = [\"area-{j}\"]\nlead = \"p{lead}\"\nteam = [\"p{team}\"]\nstart = 2026-0{}-10\nend = 2026-0{}-12\nmethods = [\"document-review\", \"interview\"]\n",
                1 + j % 9,
                1 + j % 9
            ),
        ));
    }
    files
}

fn document(k: usize, area: usize, rev: usize, kb: usize) -> String {
    let mut s = format!(
        "+++\nid = \"DOC-{k}\"\nkind = \"procedure\"\ntitle = \"Procedure {k}\"\nversion = \"1.{rev}\"\nowner = \"p2\"\narea = \"area-{area}\"\napproved_by = \"p0\"\napproved_on = 2020-01-02\n+++\n# Procedure {k}\n\nRevision {rev}.\n"
    );
    pad(&mut s, kb);
    s
}

fn code(k: usize, rev: usize, kb: usize) -> String {
    let mut s = format!("// file {k}, revision {rev}\nfn f{k}() -> u32 {{ {rev} }}\n");
    pad(&mut s, kb);
    s
}

fn pad(s: &mut String, kb: usize) {
    let line = "// padding: the history index must not read file contents ...........\n";
    while s.len() < kb * 1024 {
        s.push_str(line);
    }
}

fn data(out: &mut Vec<u8>, path: &str, text: &str) {
    let _ = write!(out, "M 100644 inline {path}\ndata {}\n{text}\n", text.len());
}

fn main() {
    let a = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "{e}\nusage: synth_repo DIR [--commits M] [--authors P] [--areas A] [--docs N] [--files F] [--file-kb K] [--seed S] [--sign] [--on REPO]"
            );
            std::process::exit(2);
        }
    };
    if a.dir.exists() {
        eprintln!("{} exists: give a new folder", a.dir.display());
        std::process::exit(2);
    }
    if let Some(real) = &a.on {
        if let Err(e) = isms_on(&a, real) {
            eprintln!("putting an ISMS on {}: {e}", real.display());
            std::process::exit(1);
        }
        return;
    }
    let ok = Command::new("git")
        .args(["init", "-q", "-b", "main"])
        .arg(&a.dir)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("`git init` failed");
        std::process::exit(1);
    }
    let mut rng = Rng(a.seed.max(1));
    let start: i64 = 1_577_880_000; // 2020-01-01T12:00Z
    let span: i64 = 6 * 365 * 86_400;
    let mut out: Vec<u8> = Vec::new();
    let mut rev = vec![0usize; a.files];
    // Where each code file lives now (renames move it within its area).
    let mut names: Vec<String> = (0..a.files)
        .map(|k| format!("src/area-{}/f{k}.rs", k % a.areas))
        .collect();
    let mut mark = 0usize;
    let mut commit = |out: &mut Vec<u8>,
                      branch: &str,
                      who: usize,
                      when: i64,
                      msg: &str,
                      from: Option<usize>,
                      merge: Option<usize>,
                      body: &[u8]|
     -> usize {
        mark += 1;
        let email = person_email(who, a.authors);
        let _ = write!(
            out,
            "commit refs/heads/{branch}\nmark :{mark}\nauthor Person {who} <{email}> {when} +0000\ncommitter Person {who} <{email}> {when} +0000\ndata {}\n{msg}\n",
            msg.len()
        );
        if let Some(f) = from {
            let _ = writeln!(out, "from :{f}");
        }
        if let Some(m) = merge {
            let _ = writeln!(out, "merge :{m}");
        }
        out.extend_from_slice(body);
        out.push(b'\n');
        mark
    };
    // The first commit: the ISMS skeleton and every file, by top management.
    let mut body = Vec::new();
    let synthetic_code = |j: usize| vec![format!("../src/area-{j}/**")];
    for (path, text) in isms_files(&a, &synthetic_code) {
        data(&mut body, &path, &text);
    }
    for k in 0..a.docs {
        data(
            &mut body,
            &format!("isms/documents/area-{}/doc-{k}.md", k % a.areas),
            &document(k, k % a.areas, 0, a.file_kb),
        );
    }
    for (k, name) in names.iter().enumerate() {
        data(&mut body, name, &code(k, 0, a.file_kb));
    }
    let mut main_mark = commit(
        &mut out,
        "main",
        0,
        start,
        "Initial ISMS",
        None,
        None,
        &body,
    );
    for i in 1..a.commits {
        let when = start + span * i as i64 / a.commits.max(1) as i64;
        let who = rng.below(a.authors);
        let mut body = Vec::new();
        let changes = 1 + rng.below(3);
        for _ in 0..changes {
            let roll = rng.below(100);
            if roll < 15 && a.docs > 0 {
                let k = rng.below(a.docs);
                let area = k % a.areas;
                rev[k % a.files] += 1;
                data(
                    &mut body,
                    &format!("isms/documents/area-{area}/doc-{k}.md"),
                    &document(k, area, rev[k % a.files], a.file_kb),
                );
            } else if roll < 17 {
                let k = rng.below(a.files);
                let new = format!("src/area-{}/r{i}-f{k}.rs", k % a.areas);
                let _ = writeln!(body, "R {} {new}", names[k]);
                names[k] = new;
            } else {
                let k = rng.below(a.files);
                rev[k] += 1;
                data(&mut body, &names[k].clone(), &code(k, rev[k], a.file_kb));
            }
        }
        let msg = if i % 97 == 0 {
            format!("Change {i}\n\nCo-authored-by: Person 1 <p1@synth.example>")
        } else {
            format!("Change {i}")
        };
        if i % 25 == 0 {
            // A side branch from main with this change, merged back by someone else.
            let side = commit(
                &mut out,
                "side",
                who,
                when,
                &msg,
                Some(main_mark),
                None,
                &body,
            );
            main_mark = commit(
                &mut out,
                "main",
                (who + 1) % a.authors,
                when,
                "Merge branch 'side'",
                Some(main_mark),
                Some(side),
                &body,
            );
        } else {
            main_mark = commit(
                &mut out,
                "main",
                who,
                when,
                &msg,
                Some(main_mark),
                None,
                &body,
            );
        }
    }
    let mut child = match Command::new("git")
        .args(["fast-import", "--quiet", "--force"])
        .current_dir(&a.dir)
        .stdin(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot run `git fast-import`: {e}");
            std::process::exit(1);
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(&out);
    }
    let imported = child.wait().is_ok_and(|s| s.success());
    let checked_out = imported
        && Command::new("git")
            .args(["reset", "-q", "--hard", "main"])
            .current_dir(&a.dir)
            .status()
            .is_ok_and(|s| s.success());
    let _ = Command::new("git")
        .args(["branch", "-q", "-D", "side"])
        .current_dir(&a.dir)
        .status();
    if !checked_out {
        eprintln!("writing the history failed");
        std::process::exit(1);
    }
    if a.sign {
        if let Err(e) = sign_history(&a.dir) {
            eprintln!("signing the history failed: {e}");
            std::process::exit(1);
        }
    }
    println!(
        "{}: {} commits by {} authors, {} areas, {} documents, {} code files; the ISMS is {}/isms",
        a.dir.display(),
        a.commits,
        a.authors,
        a.areas,
        a.docs,
        a.files,
        a.dir.display()
    );
}

/// Clones a real repository (hard links, no copy of its objects) and commits an ISMS on top of
/// its history: the repository's top-level folders are shared round-robin among the areas
/// (`../<folder>/**`), so every commit that touches one of them is indexed and matched.
fn isms_on(a: &Args, real: &std::path::Path) -> Result<(), String> {
    let git = |dir: &std::path::Path, args: &[&str]| -> Result<String, String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "Person 0")
            .env("GIT_AUTHOR_EMAIL", person_email(0, a.authors))
            .env("GIT_COMMITTER_NAME", "Person 0")
            .env("GIT_COMMITTER_EMAIL", person_email(0, a.authors))
            .env("GIT_AUTHOR_DATE", "2026-11-20T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-11-20T12:00:00Z")
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let parent = std::env::current_dir().map_err(|e| e.to_string())?;
    let (src, dst) = (real.to_string_lossy(), a.dir.to_string_lossy());
    git(&parent, &["clone", "-q", &src, &dst])?;
    let folders: Vec<String> = git(&a.dir, &["ls-tree", "-d", "--name-only", "HEAD"])?
        .lines()
        .map(str::to_string)
        .collect();
    let code = |j: usize| -> Vec<String> {
        folders
            .iter()
            .enumerate()
            .filter(|(i, _)| i % a.areas == j)
            .map(|(_, f)| format!("../{f}/**"))
            .collect()
    };
    let mut files = isms_files(a, &code);
    for k in 0..a.docs {
        files.push((
            format!("isms/documents/area-{}/doc-{k}.md", k % a.areas),
            document(k, k % a.areas, 0, a.file_kb),
        ));
    }
    for (path, text) in &files {
        let file = a.dir.join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(&file, text).map_err(|e| e.to_string())?;
    }
    git(&a.dir, &["add", "isms"])?;
    git(
        &a.dir,
        &["commit", "-q", "--no-verify", "-m", "Add a synthetic ISMS"],
    )?;
    let count = git(&a.dir, &["rev-list", "--count", "HEAD"])?;
    println!(
        "{}: {} commits of {} with a synthetic ISMS on top ({} areas over {} top-level folders); the ISMS is {}/isms",
        a.dir.display(),
        count.trim(),
        real.display(),
        a.areas,
        folders.len(),
        a.dir.display()
    );
    Ok(())
}

/// The SSH key of author `i`, made from a seed so the same arguments give the same history.
fn key_of(i: usize) -> ssh_key::PrivateKey {
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
    ssh_key::PrivateKey::from(ssh_key::private::Ed25519Keypair::from_seed(&seed))
}

fn public_line(key: &ssh_key::PrivateKey) -> String {
    key.public_key().to_openssh().unwrap_or_default()
}

/// Rewrites every commit of `main`, oldest first, with a `gpgsig` header: an SSH signature by
/// its author's key, as `git commit -S` with `gpg.format = ssh` writes it.
fn sign_history(dir: &std::path::Path) -> Result<(), git2::Error> {
    let repo = git2::Repository::open(dir)?;
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.push_ref("refs/heads/main")?;
    let mut new_id: std::collections::HashMap<git2::Oid, git2::Oid> = Default::default();
    let mut last = None;
    for oid in walk {
        let oid = oid?;
        let commit = repo.find_commit(oid)?;
        let parents: Vec<git2::Commit<'_>> = commit
            .parent_ids()
            .map(|p| repo.find_commit(new_id.get(&p).copied().unwrap_or(p)))
            .collect::<Result<_, _>>()?;
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let buffer = repo.commit_create_buffer(
            &commit.author(),
            &commit.committer(),
            &String::from_utf8_lossy(commit.message_bytes()),
            &commit.tree()?,
            &refs,
        )?;
        let email = String::from_utf8_lossy(commit.author().email_bytes()).into_owned();
        let author: usize = email
            .trim_start_matches("contractor")
            .trim_start_matches('p')
            .split('@')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let signature =
            ssh_key::SshSig::sign(&key_of(author), "git", ssh_key::HashAlg::Sha512, &buffer)
                .and_then(|s| s.to_pem(ssh_key::LineEnding::LF))
                .map_err(|e| git2::Error::from_str(&e.to_string()))?;
        let text = String::from_utf8_lossy(&buffer);
        let signed = repo.commit_signed(&text, &signature, None)?;
        new_id.insert(oid, signed);
        last = Some(signed);
    }
    if let Some(head) = last {
        repo.reference("refs/heads/main", head, true, "sign every commit")?;
        let object = repo.find_object(head, None)?;
        repo.reset(&object, git2::ResetType::Hard, None)?;
    }
    Ok(())
}
