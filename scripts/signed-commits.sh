#!/usr/bin/env bash
# End to end with the git CLI and ssh-keygen: an ISMS set up by `isms init` for a person whose
# git signs with SSH keys. A record committed with `git commit -S` by its author passes; a
# record authored as dave but signed with erin's key (forged authorship) fails with IND015
# naming erin. Usage: scripts/signed-commits.sh [ISMS_BINARY] (default: cargo run).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ge 1 ]; then isms=("$1"); else isms=(cargo run --quiet --); fi
for tool in git ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install git openssh-client)"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ssh-keygen -q -t ed25519 -N '' -C dave@laptop -f "$work/dave"
ssh-keygen -q -t ed25519 -N '' -C erin@laptop -f "$work/erin"
# Git configuration of its own, as a new user's would be: dave signs every commit with SSH.
mkdir "$work/home"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 ISMS_TODAY=2026-11-27
unset GIT_CONFIG_GLOBAL
git config --global user.name "Dave Okafor"
git config --global user.email dave@acme.example
git config --global gpg.format ssh
git config --global user.signingkey "$work/dave.pub"
git config --global commit.gpgsign true
git config --global init.defaultBranch main

"${isms[@]}" init "$work/isms" --org "Acme MedTech" > "$work/init.txt"
grep -qF 'signatures = "records"' "$work/init.txt" \
  || { cat "$work/init.txt"; echo "init does not say that it sets signatures = \"records\""; exit 1; }
grep -qF "$(cut -d' ' -f2 "$work/dave.pub")" "$work/isms/people.toml" \
  || { echo "init did not list dave's signing key from git's user.signingkey"; exit 1; }
# Erin joins, with her key, in a change dave signs.
cat >> "$work/isms/people.toml" <<TOML

[[person]]
id = "erin"
name = "Erin Walsh"
emails = ["erin@acme.example"]
signing_keys = ["$(cat "$work/erin.pub")"]
roles = ["Security engineer"]
TOML
cd "$work/isms"
git add -A
git commit --quiet -m "Start the ISMS"
status=0
# A new ISMS still has its own work to do (a draft policy, TODOs): only the proof is judged here.
"${isms[@]}" check . --select IND > "$work/signed.txt" 2>&1 || status=$?
if [ "$status" -ne 0 ] || grep -q 'IND01[45]' "$work/signed.txt"; then
  cat "$work/signed.txt"; echo "the SSH-signed commit by its author did not pass (exit $status)"; exit 1
fi
echo "signed-commits: the commit signed by its author passes"

# Forged: authored as dave, signed with erin's key.
echo '# reviewed' >> audits/programme.toml
git add -A
git -c user.signingkey="$work/erin.pub" commit --quiet -m "Programme reviewed"
status=0
"${isms[@]}" check . --select IND > "$work/forged.txt" 2>&1 || status=$?
grep -A3 'IND015' "$work/forged.txt" || true
[ "$status" -eq 1 ] || { cat "$work/forged.txt"; echo "the forged commit did not fail the check (exit $status)"; exit 1; }
grep -q "IND015.*is attributed to dave-okafor but signed with erin's key ed25519 SHA256:" "$work/forged.txt" \
  || { cat "$work/forged.txt"; echo "the forged commit is not IND015 naming erin's key"; exit 1; }
echo "signed-commits: the commit authored as dave but signed with erin's key fails with IND015"
