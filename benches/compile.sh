#!/usr/bin/env bash
# Compile-time cost of the derive: generates a crate with one error enum of N
# variants, twice (`thiserror` alone, and `thiserror` + `ApiError` with an
# `#[api(...)]` on every variant), and times incremental rebuilds of each
# after touching its source (`cargo build`, dev profile, incremental on).
# The two are rebuilt alternately, RUNS times each; the script prints the
# medians, the ratio of the medians and the median of the per-run ratios.
#
# Usage: benches/compile.sh [N...]      (default: 200 1000; RUNS=7)
#
# The variants cycle through four shapes a real error enum has:
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
export CARGO_TARGET_DIR="$work/target"
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
                echo "    #[error(\"column \`{name}\` already exists in table {table}\")]"
                [ "$api" = 1 ] && echo "    #[api(status = 409, code = \"E$i\", field = \"name\", message = \"There is already a column with the same name.\")]"
                echo "    V$i { name: String, table: String },"
                ;;
            1)
                echo "    #[error(\"type {given} is not a valid type\")]"
                [ "$api" = 1 ] && echo "    #[api(status = 400, code = \"E$i\", field = \"type\", message = \"{given} is not a valid type.\")]"
                if [ "$api" = 1 ]; then
                    echo "    V$i { given: String, #[api(details)] available: Vec<String> },"
                else
                    echo "    V$i { given: String, available: Vec<String> },"
                fi
                ;;
            2)
                echo "    #[error(\"database unavailable\")]"
                [ "$api" = 1 ] && echo "    #[api(status = 503, code = \"E$i\")]"
                echo "    V$i(#[source] std::io::Error),"
                ;;
            3)
                echo "    #[error(\"thing not found\")]"
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

now() { date +%s%N; }

# rebuild NAME: prints milliseconds
rebuild() {
    touch "$work/$1/src/lib.rs"
    local start end
    start=$(now)
    cargo build -q --manifest-path "$work/Cargo.toml" -p "$1"
    end=$(now)
    echo $(((end - start) / 1000000))
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "rustc: $(rustc -V)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%6s %18s %18s %14s %18s\n' N "thiserror ms" "+ApiError ms" "ratio" "per-run ratio"
for n in "${sizes[@]}"; do
    generate "$work/plain" "$n" 0
    generate "$work/api" "$n" 1
    cargo build -q --manifest-path "$work/Cargo.toml" -p plain -p api
    rebuild plain >/dev/null
    rebuild api >/dev/null
    plain=() api=() ratios=()
    for ((run = 0; run < runs; run++)); do
        p=$(rebuild plain)
        a=$(rebuild api)
        plain+=("$p") api+=("$a")
        ratios+=("$(awk -v a="$a" -v p="$p" 'BEGIN { printf "%.3f", a / p }')")
    done
    mp=$(echo "${plain[*]}" | median)
    ma=$(echo "${api[*]}" | median)
    mr=$(echo "${ratios[*]}" | median)
    printf '%6s %18s %18s %14s %18s\n' "$n" "$mp" "$ma" "$(awk -v a="$ma" -v p="$mp" 'BEGIN { printf "%.3f", a / p }')" "$mr"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
