#!/usr/bin/env bash
# The front end's side, checked with the real tools: the TypeScript module of
# `apierror::registry::typescript()` and the JSON Schema of
# `registry::json_schema()`, as `cargo run --example catalog` prints them.
#
# 1. `tsc --strict --noEmit` (TypeScript pinned in .ci/frontend/package-lock.json,
#    installed into target/tsc) accepts the module with a consumer,
#    .ci/frontend/consumer.ts, that switches on `ErrorCode` exhaustively;
# 2. tsc refuses .ci/frontend/unknown-code.ts (an unknown code assigned to
#    `ErrorCode`), and the consumer without its case for "1010" (the `never`
#    check), each with the expected error;
# 3. the schema (python `jsonschema`, pinned in .ci/jsonschema-requirements.txt,
#    installed into target/jsonschema-venv) validates every example body of
#    the example servers' OpenAPI documents (GET /openapi.json of
#    examples/server.rs and examples/server_actix.rs, started as
#    .ci/schemathesis.sh starts them), error bodies they answer, and the
#    catalog's sample bodies of both formats, production and development;
#    and refuses each of them with an unknown code.
#
#   bash .ci/frontend.sh                  # as CI runs it (cargo's --all-features build)
#   FEATURES="--features axum,actix-web,utoipa,validator,sqlx" bash .ci/frontend.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/serve-example.sh
source .ci/serve-example.sh

# shellcheck disable=SC2086 # FEATURES is a list of cargo arguments
features=(${FEATURES:---all-features})

# TypeScript, from the committed lock file (its integrity hash), reinstalled
# when the lock changes.
tsc_dir="$PWD/target/tsc"
if ! cmp -s .ci/frontend/package-lock.json "$tsc_dir/package-lock.json" \
    || [ ! -x "$tsc_dir/node_modules/.bin/tsc" ]; then
    rm -rf "$tsc_dir"
    mkdir -p "$tsc_dir"
    cp .ci/frontend/package.json .ci/frontend/package-lock.json "$tsc_dir/"
    npm ci --prefix "$tsc_dir" --no-audit --no-fund --loglevel=error
fi
tsc="$tsc_dir/node_modules/.bin/tsc"
"$tsc" --version

# jsonschema in its own virtual environment, from the pinned, hashed
# requirements, reinstalled when the pinned version changes.
venv="$PWD/target/jsonschema-venv"
version=$(sed -n 's/^jsonschema==\([^ ]*\).*/\1/p' .ci/jsonschema-requirements.txt)
installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("jsonschema"))' 2>/dev/null || true)
if [ "$installed" != "$version" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps \
        -r .ci/jsonschema-requirements.txt
fi
echo "jsonschema $version"

cargo build "${features[@]}" --example catalog --example server --example server_actix

work=$(mktemp -d)
pids=()
stop() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap stop EXIT

echo "== frontend: tsc --strict"
target/debug/examples/catalog --typescript >"$work/error-codes.ts"
cp .ci/frontend/consumer.ts .ci/frontend/unknown-code.ts "$work/"
sed '/case "1010":/d' .ci/frontend/consumer.ts >"$work/missing-case.ts"
grep -q 'case "1010":' "$work/missing-case.ts" && { echo "missing-case.ts still has its case" >&2; exit 1; }
# --strict, and the stricter options a front end may turn on: the module
# must compile under each.
flags=(--strict --noEmit --target es2020 --module es2020 --moduleResolution bundler
    --noUnusedLocals --noUnusedParameters --noImplicitReturns --noFallthroughCasesInSwitch
    --exactOptionalPropertyTypes --noUncheckedIndexedAccess --noPropertyAccessFromIndexSignature
    --isolatedModules --verbatimModuleSyntax)
(cd "$work" && "$tsc" "${flags[@]}" error-codes.ts consumer.ts)
echo "tsc accepts the module and the consumer"

# Each must fail, with the error that shows why (not, say, a missing file).
refused() {
    local file=$1 expected=$2 output status=0
    output=$(cd "$work" && "$tsc" "${flags[@]}" "$file" 2>&1) || status=$?
    if [ "$status" -eq 0 ]; then
        echo "tsc accepted $file, which it must refuse" >&2
        exit 1
    fi
    if ! grep -qF "$expected" <<<"$output"; then
        echo "tsc refused $file, but not with \`$expected\`:" >&2
        echo "$output" >&2
        exit 1
    fi
    echo "tsc refuses $file: $(grep -F "$expected" <<<"$output" | head -n1)"
}
refused unknown-code.ts "Type '\"no.such.code\"' is not assignable to type 'ErrorCode'."
refused missing-case.ts "Type '\"1010\"' is not assignable to type 'never'."

echo "== frontend: the JSON Schema"
target/debug/examples/catalog --json-schema >"$work/schema.json"
target/debug/examples/catalog --sample-bodies >"$work/bodies.json"
documents=()
answered=()
for example in server server_actix; do
    serve_example "$example" "$work"
    documents+=(--openapi "$work/$example.openapi.json")
    # Bodies it answers: an unknown route, a malformed path parameter, a
    # missing thing, a body that is not JSON, one that breaks the rules.
    n=0
    for request in "GET /nowhere" "GET /api/things/notAnId" "GET /api/things/987654" \
        "POST /api/things {" 'POST /api/things {"name":"","rating_out_of_five":9}'; do
        read -r method path data <<<"$request"
        n=$((n + 1))
        curl -sS -o "$work/$example.answer$n.json" -X "$method" -H 'content-type: application/json' \
            ${data:+--data "$data"} "$url$path"
        answered+=(--body "$work/$example.answer$n.json")
    done
done
"$venv/bin/python" .ci/frontend/validate.py "$work/schema.json" \
    "${documents[@]}" --bodies "$work/bodies.json" "${answered[@]}"
echo "frontend: the module compiles and the schema holds every body"
