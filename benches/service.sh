#!/usr/bin/env bash
# Issue 21's budget in time, in service: contender (s) of `benches/otel.rs`
# (the README's subscriber, `fmt` to a sink and `tracing-opentelemetry`, a
# request span, a Prometheus recorder kept by `apierror::metrics::Counters`)
# built with apierror's features `opentelemetry` and `metrics` on, against
# the same service built with them off (`--features sdk`). A process has
# one build, so the pairing is by process: the two run one after the other,
# each run 31 rounds, and the report is the median of the per-pair ratios
# with their middle half (a change in the machine's load hits both sides).
#
# Usage: benches/service.sh [pairs]   (default 41; each run is 31 rounds,
# short, so that a burst of load on the shared machine hits both sides)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-41}

build() { # features
    cargo bench -p apierror-benches --bench otel --features "$1" --no-run --message-format=json 2>/dev/null |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1
}
off=$(build sdk)
cp "$off" "${off}.off"
off="${off}.off"
on=$(build opentelemetry,metrics)
[ -x "$off" ] && [ -x "$on" ] || { echo "could not build the otel bench" >&2; exit 1; }

printf '%-6s %12s %12s %10s %19s\n' error "off ns" "on ns" "on/off" "ratio middle half"
for error in 409 400 503; do
    ratios=()
    offs=()
    ons=()
    for _ in $(seq "$pairs"); do
        a=$("$off" time s "$error" 31)
        b=$("$on" time s "$error" 31)
        offs+=("$a")
        ons+=("$b")
        ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f", b / a }')")
    done
    median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
    quart() { printf '%s\n' "${@:2}" | sort -g | awk -v q="$1" '{ v[NR] = $1 } END { i = int(NR * q); if (i < 1) i = 1; print v[i] }'; }
    printf '%-6s %12s %12s %10s %19s\n' "$error" "$(median "${offs[@]}")" "$(median "${ons[@]}")" \
        "$(median "${ratios[@]}")" "$(quart 0.25 "${ratios[@]}")..$(quart 0.75 "${ratios[@]}")"
done
rm -f "$off"
