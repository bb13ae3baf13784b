#!/usr/bin/env bash
# The example servers' OpenAPI documents, fuzzed by a third party: for each of
# examples/server.rs (axum) and examples/server_actix.rs (actix-web), built
# with the feature `utoipa`, start it on a free loopback port, wait until it
# serves GET /openapi.json, and run schemathesis against that document with
# the checks for server errors, status codes the document does not list,
# content types and response schemas. Any failure fails CI; the servers are
# stopped on exit, whatever happens.
#
#   bash .ci/schemathesis.sh              # as CI runs it (cargo's --all-features build)
#   FEATURES="--features axum,actix-web,utoipa" bash .ci/schemathesis.sh   # a smaller build
#   SEED=123 MAX_EXAMPLES=200 bash .ci/schemathesis.sh                     # explore further
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/serve-example.sh
source .ci/serve-example.sh

# shellcheck disable=SC2086 # FEATURES is a list of cargo arguments
features=(${FEATURES:---all-features})
seed="${SEED:-20261126}"
max_examples="${MAX_EXAMPLES:-50}"
max_time="${MAX_TIME:-60}"
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
# One worker: CPython 3.11.7's ast.parse is not thread-safe (hypothesis
# describes its filters with it; with two workers schemathesis stopped on
# "SystemError: AST constructor recursion depth mismatch").
workers=1

# schemathesis in its own virtual environment under target/ (reused while it
# holds the pinned version), installed from the pinned, hashed requirements.
venv="$PWD/target/schemathesis-venv"
version=$(sed -n 's/^schemathesis==\([^ ]*\).*/\1/p' .ci/schemathesis-requirements.txt)
if ! "$venv/bin/st" --version 2>/dev/null | grep -qF "$version"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps \
        -r .ci/schemathesis-requirements.txt
fi
"$venv/bin/st" --version

cargo build "${features[@]}" --example server --example server_actix

logs=$(mktemp -d)
pids=()
stop() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$logs"
}
trap stop EXIT

for example in server server_actix; do
    echo "== schemathesis: examples/$example.rs"
    serve_example "$example" "$logs"
    status=0
    # From an empty folder: schemathesis keeps the failures it found in
    # ./.schemathesis and replays them first; each run starts clean.
    mkdir "$logs/$example.st"
    (cd "$logs/$example.st" && "$venv/bin/st" run "$url/openapi.json" \
        --checks "$checks" \
        --max-examples "$max_examples" \
        --max-time "$max_time" \
        --seed "$seed" \
        --workers "$workers" \
        --generation-database none \
        --no-color) \
        || status=$?
    if [ "$status" -ne 0 ]; then
        echo "schemathesis found failures in examples/$example.rs (exit $status); its server's log ends:" >&2
        tail -n 50 "$logs/$example.out" "$logs/$example.err" >&2
        exit "$status"
    fi
done
echo "schemathesis: 0 failures against both example servers"
