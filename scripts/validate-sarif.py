#!/usr/bin/env python3
"""Validates SARIF logs written by `isms check --format sarif`.

Checks each log against the official SARIF 2.1.0 JSON schema (draft-04) and against what
GitHub code scanning needs beyond the schema: every result has a rule of the driver, a
repository-relative location with a 1-based region, and partial fingerprints.

Usage: validate-sarif.py [--schema SCHEMA] FILE...   (FILE `-` reads standard input)
The schema defaults to ../shared/reference/sarif-schema-2.1.0.json beside the repository.
Needs the `jsonschema` package from PyPI. Exit status: 0 valid, 1 invalid, 2 could not run.
"""

import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = ROOT.parent / "shared" / "reference" / "sarif-schema-2.1.0.json"
LEVELS = {"error", "warning", "note", "none"}


def github_problems(log):
    """What GitHub code scanning would reject or mishandle, as messages."""
    problems = []
    for r, run in enumerate(log.get("runs", [])):
        rules = run.get("tool", {}).get("driver", {}).get("rules", [])
        ids = [rule.get("id") for rule in rules]
        if len(set(ids)) != len(ids):
            problems.append(f"runs[{r}]: duplicate rule ids")
        for rule in rules:
            for key in ("shortDescription", "fullDescription", "help"):
                if not rule.get(key, {}).get("text"):
                    problems.append(f"rule {rule.get('id')}: no {key}.text")
            if rule.get("defaultConfiguration", {}).get("level") not in LEVELS:
                problems.append(f"rule {rule.get('id')}: bad defaultConfiguration.level")
        for i, result in enumerate(run.get("results", [])):
            where = f"runs[{r}].results[{i}]"
            index = result.get("ruleIndex")
            if index is None or index >= len(ids) or ids[index] != result.get("ruleId"):
                problems.append(f"{where}: ruleIndex does not point at ruleId")
            if result.get("level") not in LEVELS:
                problems.append(f"{where}: bad level {result.get('level')!r}")
            if not result.get("partialFingerprints"):
                problems.append(f"{where}: no partialFingerprints")
            locations = result.get("locations") or []
            if not locations:
                problems.append(f"{where}: no location")
            for loc in locations + (result.get("relatedLocations") or []):
                physical = loc.get("physicalLocation", {})
                uri = physical.get("artifactLocation", {}).get("uri", "")
                if not uri or uri.startswith("/") or "\\" in uri or ":" in uri.split("/")[0]:
                    problems.append(f"{where}: uri {uri!r} is not repository-relative")
                region = physical.get("region", {})
                if region.get("startLine", 0) < 1:
                    problems.append(f"{where}: region without a 1-based startLine")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", type=pathlib.Path, default=DEFAULT_SCHEMA)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    try:
        import jsonschema
    except ImportError:
        print("validate-sarif: needs the jsonschema package (pip install jsonschema)", file=sys.stderr)
        return 2
    try:
        schema = json.loads(args.schema.read_text(encoding="utf-8"))
    except OSError as e:
        print(f"validate-sarif: cannot read the schema: {e}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    failed = False
    for name in args.files:
        try:
            text = sys.stdin.read() if name == "-" else pathlib.Path(name).read_text(encoding="utf-8")
            log = json.loads(text)
        except (OSError, ValueError) as e:
            print(f"{name}: cannot read: {e}", file=sys.stderr)
            return 2
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        problems = [f"schema: /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]
        problems += github_problems(log)
        for p in problems[:50]:
            print(f"{name}: {p}", file=sys.stderr)
        results = sum(len(run.get("results", [])) for run in log.get("runs", []))
        if problems:
            failed = True
            print(f"{name}: INVALID ({len(problems)} problems)")
        else:
            print(f"{name}: valid SARIF 2.1.0 ({results} results)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
