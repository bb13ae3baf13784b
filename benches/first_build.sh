#!/usr/bin/env bash
# What a new user pays once: `cargo build` (dev profile) from nothing of a
# fresh crate that depends on thiserror + serde + serde_json, against the
# same crate plus `apierror` (default features). Each build starts with an
# empty target directory; the registry's sources are already downloaded, so
# only compilation is timed. The crates are built alternately, RUNS times
# each; prints the median wall and CPU (user + system) time of each and the
# ratios to the baseline.
#
# Usage: benches/first_build.sh [APIERROR_ROOT...]
#   each ROOT is a checkout of this repository (default: this one), so that
#   two versions can be measured in one run under the same load, e.g.
#   `git worktree add /tmp/before <commit>; benches/first_build.sh /tmp/before .`
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
roots=("$@")
[ ${#roots[@]} -gt 0 ] || roots=("$here")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset RUSTFLAGS CARGO_TARGET_DIR
export CARGO_INCREMENTAL=1

# crate DIR [APIERROR_ROOT]
crate() {
    mkdir -p "$1/src"
    echo 'pub fn f() {}' >"$1/src/lib.rs"
    {
        echo '[package]'
        echo "name = \"fresh\""
        echo 'version = "0.0.0"'
        echo 'edition = "2021"'
        echo 'publish = false'
        echo '[dependencies]'
        echo 'thiserror = "2"'
        echo 'serde = { version = "1", features = ["derive"] }'
        echo 'serde_json = "1"'
        [ -z "${2:-}" ] || echo "apierror = { path = \"$(cd "$2" && pwd)/error-core\" }"
        echo '[workspace]'
    } >"$1/Cargo.toml"
    # The versions this repository is tested with.
    cp "$here/Cargo.lock" "$1/Cargo.lock"
    cargo fetch -q --manifest-path "$1/Cargo.toml"
}

names=(baseline)
crate "$work/baseline"
i=0
for root in "${roots[@]}"; do
    i=$((i + 1))
    names+=("apierror$i")
    crate "$work/apierror$i" "$root"
done

# build NAME: prints "wall-ms cpu-ms" of one build from an empty target dir
build() {
    rm -rf "$work/$1/target"
    local TIMEFORMAT='%R %U %S' times
    times=$({ time cargo build -q --manifest-path "$work/$1/Cargo.toml" 2>/dev/null; } 2>&1)
    awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$times"
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "rustc: $(rustc -V)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < ${#roots[@]}; i++)); do echo "apierror$((i + 1)): ${roots[$i]} ($(git -C "${roots[$i]}" rev-parse --short HEAD))"; done
declare -A wall cpu
for ((run = 0; run < runs; run++)); do
    for name in "${names[@]}"; do
        read -r w c <<<"$(build "$name")"
        wall[$name]+="$w "
        cpu[$name]+="$c "
    done
done
base_w=$(echo "${wall[baseline]}" | median)
base_c=$(echo "${cpu[baseline]}" | median)
printf '%-10s %10s %10s %8s %8s\n' crate "wall ms" "CPU ms" "wall x" "CPU x"
for name in "${names[@]}"; do
    w=$(echo "${wall[$name]}" | median)
    c=$(echo "${cpu[$name]}" | median)
    printf '%-10s %10s %10s %8.2f %8.2f\n' "$name" "$w" "$c" "$(awk -v a="$w" -v b="$base_w" 'BEGIN{print a/b}')" \
        "$(awk -v a="$c" -v b="$base_c" 'BEGIN{print a/b}')"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
