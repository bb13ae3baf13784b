#!/usr/bin/env bash
# Compile-time cost of the derive: generates a crate with one error enum of N
# variants, twice (`thiserror` alone, and `thiserror` + `ApiError` with an
# `#[api(...)]` on every variant), and times incremental rebuilds of each
# after touching its source (`cargo build`, dev profile, incremental on).
# The two are rebuilt alternately, RUNS times each. For each it prints the
# median CPU time (user + system, of cargo and rustc) and the median wall
# time, and the ratio (thiserror + ApiError) / (thiserror alone) of each:
# of the medians, and the median of the per-run ratios. On a machine shared
# with other builds, wall time mostly measures the wait for a core; CPU time
# is what the build itself costs, so the target is judged on it.
#
# Usage: benches/compile.sh [N...]      (default: 200 1000; RUNS=7)
#        IR=1 benches/compile.sh [N...] (instructions instead of time)
#
# With IR=1, each incremental rustc run of the two crates is counted by
# callgrind instead (RUNS=1 is enough: the counts repeat to a few
# thousandths, and do not depend on the machine's load): it prints the
# instructions of each and their ratio. Needs valgrind.
#
# The variants cycle through four shapes a real error enum has, and each
# variant has its own `#[error]` text and its own `message` (as real enums
# do: arms with the same message are merged, so a benchmark of identical
# messages would measure less than a real enum costs):
#   409 with a static field and fixed message      { name, table }
#   400 with an interpolated message and details   { given, #[api(details)] available }
#   503 wrapping a source, generic message         (#[source] std::io::Error)
#   404 unit variant, generic message
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-7}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(200 1000)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# BENCH_TARGET: a target directory kept between runs (the dependencies
# are built once).
export CARGO_TARGET_DIR="${BENCH_TARGET:-$work/target}"
export CARGO_INCREMENTAL=1
unset RUSTFLAGS

# generate DIR N WITH_API
generate() {
    local dir=$1 n=$2 api=$3
    mkdir -p "$dir/src"
    {
        echo '#![allow(dead_code)]'
        if [ "$api" = 1 ]; then
            echo '#[derive(Debug, thiserror::Error, apierror::ApiError)]'
            echo '#[api(docs = "https://docs.example.com/errors/{code}")]'
        else
            echo '#[derive(Debug, thiserror::Error)]'
        fi
        echo 'pub enum BigError {'
        for ((i = 0; i < n; i++)); do
            case $((i % 4)) in
            0)
                echo "    #[error(\"column \`{name}\` already exists in table {table} (case $i)\")]"
                [ "$api" = 1 ] && echo "    #[api(status = 409, code = \"E$i\", field = \"name\", message = \"There is already a column with the same name (case $i).\")]"
                echo "    V$i { name: String, table: String },"
                ;;
            1)
                echo "    #[error(\"type {given} is not a valid type (case $i)\")]"
                [ "$api" = 1 ] && echo "    #[api(status = 400, code = \"E$i\", field = \"type\", message = \"{given} is not a valid type (case $i).\")]"
                if [ "$api" = 1 ]; then
                    echo "    V$i { given: String, #[api(details)] available: Vec<String> },"
                else
                    echo "    V$i { given: String, available: Vec<String> },"
                fi
                ;;
            2)
                echo "    #[error(\"database unavailable (case $i)\")]"
                [ "$api" = 1 ] && echo "    #[api(status = 503, code = \"E$i\")]"
                echo "    V$i(#[source] std::io::Error),"
                ;;
            3)
                echo "    #[error(\"thing not found (case $i)\")]"
                [ "$api" = 1 ] && echo "    #[api(status = 404, code = \"E$i\")]"
                echo "    V$i,"
                ;;
            esac
        done
        echo '}'
    } >"$dir/src/lib.rs"
}

cat >"$work/Cargo.toml" <<TOML
[workspace]
members = ["plain", "api"]
resolver = "2"

[workspace.dependencies]
thiserror = "2"
apierror = { path = "$root/error-core" }
TOML
for name in plain api; do
    mkdir -p "$work/$name"
    cat >"$work/$name/Cargo.toml" <<TOML
[package]
name = "$name"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
thiserror.workspace = true
apierror.workspace = true
TOML
done

# rebuild NAME: prints "CPU-ms wall-ms" of one incremental rebuild
rebuild() {
    touch "$work/$1/src/lib.rs"
    local TIMEFORMAT='%R %U %S' times
    times=$({ time cargo build -q --manifest-path "$work/Cargo.toml" -p "$1" 2>/dev/null; } 2>&1)
    awk '{ printf "%d %d\n", ($2 + $3) * 1000, $1 * 1000 }' <<<"$times"
}

# Callgrind around the rustc of the two crates only (a workspace wrapper),
# off unless CALLGRIND_OUT is set: the builds before the counted one use
# the same wrapper, so the counted one is incremental.
cat >"$work/wrap.sh" <<'SH'
#!/usr/bin/env bash
if [ -n "${CALLGRIND_OUT:-}" ]; then
    exec valgrind --tool=callgrind --callgrind-out-file="$CALLGRIND_OUT" "$@"
fi
exec "$@"
SH
chmod +x "$work/wrap.sh"
[ "${IR:-0}" = 1 ] && export RUSTC_WORKSPACE_WRAPPER="$work/wrap.sh"

# count NAME: prints the instructions of one incremental rustc run
count() {
    touch "$work/$1/src/lib.rs"
    CALLGRIND_OUT="$work/cg.out" cargo build -q --manifest-path "$work/Cargo.toml" -p "$1" 2>/dev/null
    awk '/^(summary|totals):/ { print $2; exit }' "$work/cg.out"
    # CG_KEEP=prefix: keep each profile (callgrind_annotate --inclusive=yes).
    if [ -n "${CG_KEEP:-}" ]; then mv "$work/cg.out" "$CG_KEEP.$1"; else rm -f "$work/cg.out"; fi
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v p="$2" 'BEGIN { printf "%.3f", a / p }'; }

echo "rustc: $(rustc -V)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs: $runs rebuilds of each crate per N, alternating"
if [ "${IR:-0}" = 1 ]; then
    printf '%6s  %-5s %14s %14s %8s\n' N count "thiserror" "+ApiError" ratio
else
    printf '%6s  %-5s %14s %14s %8s %14s\n' N time "thiserror ms" "+ApiError ms" ratio "per-run ratio"
fi
for n in "${sizes[@]}"; do
    generate "$work/plain" "$n" 0
    generate "$work/api" "$n" 1
    cargo build -q --manifest-path "$work/Cargo.toml" -p plain -p api
    rebuild plain >/dev/null
    rebuild api >/dev/null
    if [ "${IR:-0}" = 1 ]; then
        for ((run = 0; run < runs; run++)); do
            pi=$(count plain)
            ai=$(count api)
            printf '%6s  %-5s %14s %14s %8s\n' "$n" Ir "$pi" "$ai" "$(ratio "$ai" "$pi")"
        done
        continue
    fi
    plain_cpu=() api_cpu=() plain_wall=() api_wall=() cpu_ratios=() wall_ratios=()
    for ((run = 0; run < runs; run++)); do
        read -r pc pw <<<"$(rebuild plain)"
        read -r ac aw <<<"$(rebuild api)"
        plain_cpu+=("$pc") api_cpu+=("$ac") plain_wall+=("$pw") api_wall+=("$aw")
        cpu_ratios+=("$(ratio "$ac" "$pc")") wall_ratios+=("$(ratio "$aw" "$pw")")
    done
    for kind in cpu wall; do
        declare -n p="plain_$kind" a="api_$kind" r="${kind}_ratios"
        mp=$(echo "${p[*]}" | median)
        ma=$(echo "${a[*]}" | median)
        printf '%6s  %-5s %14s %14s %8s %14s\n' "$n" "$kind" "$mp" "$ma" "$(ratio "$ma" "$mp")" \
            "$(echo "${r[*]}" | median)"
        unset -n p a r
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
