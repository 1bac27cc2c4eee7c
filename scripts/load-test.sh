#!/usr/bin/env bash
# Load test of `kgx serve` on loopback: builds release, extracts samples/corpus into a temporary
# store, serves it read-only on a free port and sends LOAD_REQUESTS queries (default 2000) from
# LOAD_CLIENTS concurrent clients (default 32), cycling through queries/*.rq and alternating GET
# and POST. Reports errors (must be 0), p50/p90/p99 latency and req/s; exits 1 on any error.
#
#   scripts/load-test.sh
#   LOAD_REQUESTS=10000 LOAD_CLIENTS=64 scripts/load-test.sh
#
# The client is scripts/load_test.py (Python 3, standard library only). The server gets
# --max-connections LOAD_MAX_CONNECTIONS (default 64, kgx serve's own default): it must be at
# least the number of clients, or the surplus requests are refused with 503 by design.
# LOAD_THREADS sets kgx serve --threads (default: its own, the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

requests=${LOAD_REQUESTS:-2000}
clients=${LOAD_CLIENTS:-32}
max_connections=${LOAD_MAX_CONNECTIONS:-64}
if [ "$max_connections" -lt "$clients" ]; then
    echo "load-test.sh: LOAD_MAX_CONNECTIONS=$max_connections < LOAD_CLIENTS=$clients: the server would answer 503" >&2
    exit 2
fi

cargo build --release --bin kgx
kgx=${CARGO_TARGET_DIR:-$root/target}/release/kgx

tmp=$(mktemp -d)
server=
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

KGX_RULES=$root/rules "$kgx" extract samples/corpus --out "$tmp/out" --formats store --quiet

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
threads=()
[ -n "${LOAD_THREADS:-}" ] && threads=(--threads "$LOAD_THREADS")
"$kgx" serve --store "$tmp/out/store" --bind "127.0.0.1:$port" \
    --max-connections "$max_connections" "${threads[@]}" 2>"$tmp/serve.log" &
server=$!
for _ in $(seq 200); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "load-test.sh: kgx serve exited:" >&2
        cat "$tmp/serve.log" >&2
        exit 1
    fi
    sleep 0.05
done
head -1 "$tmp/serve.log" >&2

echo "load-test.sh: $(nproc) cores; kgx serve --max-connections $max_connections ${threads[*]}" >&2
set +e
python3 scripts/load_test.py --url "http://127.0.0.1:$port/sparql" \
    --requests "$requests" --concurrency "$clients" queries/*.rq
rc=$?
set -e
statuses=$(grep -o ' /sparql [0-9]* ' "$tmp/serve.log" | awk '{print $2}' | sort | uniq -c | tr '\n' ' ')
echo "server log: status counts: $statuses" >&2
exit $rc
