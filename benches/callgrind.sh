#!/usr/bin/env bash
# Instructions per render, counted by valgrind's callgrind: repeatable on a
# noisy shared machine, unlike time. For each of the issue's three errors and
# each contender, runs `benches/paired.rs` in its `count` mode under
# callgrind with two render counts and differences the totals, so start-up,
# warm-up and exit cancel out:
#
#   instructions per render = (Ir(N2) - Ir(N1)) / (N2 - N1)
#
# Usage: benches/callgrind.sh [contenders...]   (default: a c; a b c d e for all;
# a c e adds the problem format's cost over the array, (e)/(a))
# CALLGRIND_FEATURES builds the bench with those features: `metrics` for the
# contender m (a render counted by a Prometheus recorder: `a m`), `i18n` for
# the translated contenders f, g, h.
# Needs valgrind. Uses $CARGO_TARGET_DIR if set.
#
# BENCH=otel benches/callgrind.sh a o: the same counts from `benches/otel.rs`
# (feature `opentelemetry`; contenders a n o, k t with CALLGRIND_FEATURES=metrics,
# s), and (o)/(a). OTEL_FEATURES=sdk builds it with apierror's features off
# (contenders a and s: what a service pays without them).
#
# BENCH=success benches/callgrind.sh p l h: a request answered 200 by a
# plain axum router (p), under apierror's layer (l), and with
# apierror::panic_hook() installed too (h); one row, "200".
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "valgrind is required" >&2; exit 1; }
contenders=("$@")
[ ${#contenders[@]} -gt 0 ] || contenders=(a c)
n1=1000
n2=3000

bench=${BENCH:-paired}
features=()
[ "$bench" = otel ] && features=(--features "${OTEL_FEATURES:-opentelemetry}")
[ "$bench" = success ] && features=(--features axum)
[ -n "${CALLGRIND_FEATURES:-}" ] && features+=(--features "$CALLGRIND_FEATURES")
exe=$(cargo bench -p apierror-benches --bench "$bench" "${features[@]}" --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
[ -x "$exe" ] || { echo "could not build the $bench bench" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

instructions() { # contender error n
    # Only inside the renders' loop: what runs before it (a recorder's
    # clock calibration, for one) varies from run to run.
    valgrind --tool=callgrind --toggle-collect="${bench}::Contender::run" --callgrind-out-file="$out/cg" \
        "$exe" count "$1" "$2" "$3" >/dev/null 2>&1
    sed -n 's/^summary: \([0-9]*\).*/\1/p' "$out/cg"
}

printf '%-6s' error
for c in "${contenders[@]}"; do printf ' %12s' "($c) Ir"; done
printf ' %10s %10s %10s\n' "(a)/(c)" "(e)/(a)" "(o)/(a)"
errors=(409 400 503)
[ "$bench" = success ] && errors=(200)
for error in "${errors[@]}"; do
    printf '%-6s' "$error"
    declare -A per=()
    for c in "${contenders[@]}"; do
        low=$(instructions "$c" "$error" "$n1")
        high=$(instructions "$c" "$error" "$n2")
        per[$c]=$(( (high - low) / (n2 - n1) ))
        printf ' %12s' "${per[$c]}"
    done
    if [ -n "${per[a]:-}" ] && [ -n "${per[c]:-}" ]; then
        printf ' %10s' "$(awk -v a="${per[a]}" -v c="${per[c]}" 'BEGIN { printf "%.3f", a / c }')"
    else
        printf ' %10s' "-"
    fi
    if [ -n "${per[a]:-}" ] && [ -n "${per[e]:-}" ]; then
        printf ' %10s' "$(awk -v a="${per[a]}" -v e="${per[e]}" 'BEGIN { printf "%.3f", e / a }')"
    else
        printf ' %10s' "-"
    fi
    if [ -n "${per[a]:-}" ] && [ -n "${per[o]:-}" ]; then
        printf ' %10s' "$(awk -v a="${per[a]}" -v o="${per[o]}" 'BEGIN { printf "%.3f", o / a }')"
    fi
    if [ -n "${per[a]:-}" ] && [ -n "${per[m]:-}" ]; then
        printf ' (m)/(a) %s' "$(awk -v a="${per[a]}" -v m="${per[m]}" 'BEGIN { printf "%.3f", m / a }')"
    fi
    printf '\n'
    unset per
done
