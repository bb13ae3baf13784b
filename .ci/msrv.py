#!/usr/bin/env python3
"""The README's MSRV table is true: for each feature it lists, no package
that `apierror` reaches with that feature (normal and build dependencies, any
target, as locked in Cargo.lock) declares a higher `rust-version` than the
table says; and the default row is the workspace's own `rust-version`.

Reads the table between the README lines `<!-- msrv -->` and `<!-- /msrv -->`:
rows `| `feature`, `feature` … | 1.xx |`. The feature `default` stands for
the default features alone.
"""
import json
import re
import subprocess
import sys


def version(text):
    return tuple(int(part) for part in text.split(".")[:3])


def show(v):
    return ".".join(map(str, v[:2])) if len(v) > 2 and v[2] == 0 else ".".join(map(str, v))


def main():
    readme = open("README.md", encoding="utf-8").read()
    block = re.search(r"<!-- msrv -->(.*?)<!-- /msrv -->", readme, re.S)
    if not block:
        sys.exit("README.md has no MSRV table between <!-- msrv --> and <!-- /msrv -->")
    rows = []
    for line in block.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not re.fullmatch(r"\d+\.\d+(\.\d+)?", cells[1]):
            continue
        rows.append((re.findall(r"`([a-z0-9_-]+)`", cells[0]), version(cells[1])))
    if not rows:
        sys.exit("README.md's MSRV table has no rows")

    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--all-features", "--locked"],
        check=True, capture_output=True, text=True).stdout)
    declared = {(p["name"], p["version"]): p.get("rust_version") for p in meta["packages"]}
    ours = version(next(p["rust_version"] for p in meta["packages"] if p["name"] == "apierror"))

    failures = []
    default_row = [msrv for features, msrv in rows if "default" in features]
    if default_row != [ours]:
        failures.append(f"the row `default` must say {show(ours)} (the workspace's rust-version), once")
    for features, msrv in rows:
        for feature in features:
            args = ["cargo", "tree", "--locked", "-p", "apierror", "--edges", "normal,build",
                    "--target", "all", "--prefix", "none", "--format", "{p}"]
            if feature != "default":
                args += ["--features", feature]
            tree = subprocess.run(args, check=True, capture_output=True, text=True).stdout
            highest = (ours, "apierror")
            for line in tree.splitlines():
                match = re.match(r"(\S+) v(\S+)", line)
                if not match:
                    continue
                rv = declared.get((match.group(1), match.group(2)))
                if rv and version(rv) > highest[0]:
                    highest = (version(rv), f"{match.group(1)} {match.group(2)}")
            status = "ok" if highest[0] <= msrv else "TOO LOW"
            print(f"{feature:<16} table {show(msrv):<6} highest {show(highest[0]):<6} ({highest[1]}) {status}")
            if highest[0] > msrv:
                failures.append(
                    f"feature `{feature}`: {highest[1]} declares rust-version {show(highest[0])}, "
                    f"above the {show(msrv)} the README's MSRV table says: raise the table's row "
                    f"(or hold the dependency back)")
    if failures:
        sys.exit("MSRV check failed:\n  " + "\n  ".join(failures))


if __name__ == "__main__":
    main()
