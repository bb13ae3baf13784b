# Sourced by .ci/schemathesis.sh and .ci/frontend.sh: starts one example
# server on a free loopback port and waits until it serves its document.
#
#   serve_example EXAMPLE DIR
#
# starts target/debug/examples/EXAMPLE (built beforehand) with PORT=0 (the
# system picks the port, the server prints it), its output in
# DIR/EXAMPLE.out and DIR/EXAMPLE.err, appends its pid to the caller's
# `pids` array (the caller stops them on exit), waits until
# GET /openapi.json answers (kept in DIR/EXAMPLE.openapi.json) and sets
# `url` to its base URL. Exits the script if the server stops or does not
# serve within 20 s, printing what it wrote.
serve_example() {
    local example=$1 dir=$2 pid
    PORT=0 "target/debug/examples/$example" >"$dir/$example.out" 2>"$dir/$example.err" &
    pid=$!
    pids+=("$pid")
    url=
    for _ in $(seq 100); do
        url=$(sed -n 's|^things API on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$dir/$example.out" | head -n1)
        if [ -n "$url" ] && curl -fsS -o "$dir/$example.openapi.json" "$url/openapi.json"; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "examples/$example.rs exited before serving its document:" >&2
            cat "$dir/$example.out" "$dir/$example.err" >&2
            exit 1
        fi
        url=
        sleep 0.2
    done
    echo "examples/$example.rs did not serve /openapi.json within 20 s:" >&2
    cat "$dir/$example.out" "$dir/$example.err" >&2
    exit 1
}
