#!/usr/bin/env bash
# The query page of `kgx serve` in headless Chromium: opens /?query=… for each example query,
# lets the page's script run it through /sparql, and checks that the results table has as
# many rows as `kgx query` returns. Installs Debian's chromium if missing (a large package,
# which is why this is not part of scripts/test.sh). SCREENSHOT=FILE.png also saves a picture
# of the first page.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
cargo build --release --quiet
kgx=${CARGO_TARGET_DIR:-target}/release/kgx

tmp=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

KGX_RULES=rules "$kgx" extract samples/corpus --out "$tmp/out" --formats store --quiet
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$kgx" serve --store "$tmp/out/store" --bind "127.0.0.1:$port" 2>"$tmp/serve.log" &
server=$!
for _ in $(seq 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done

browse() {  # URL → the DOM after the page's scripts ran
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile" \
    --virtual-time-budget=15000 "$@" 2>>"$tmp/chromium.log"
}

failed=0
checked=0
for rq in queries/*.rq; do
  url="http://127.0.0.1:$port/?query=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(open(sys.argv[1], encoding="utf-8").read()))' "$rq")"
  want=$("$kgx" query --store "$tmp/out/store" --format json --file "$rq" \
    | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["results"]["bindings"]))')
  started=$(date +%s%N)
  browse --dump-dom "$url" >"$tmp/dom.html"
  ms=$(( ($(date +%s%N) - started) / 1000000 ))
  got=$(grep -o '<tr class="row">' "$tmp/dom.html" | wc -l || true)
  state=$(grep -o 'data-state="[a-z]*"' "$tmp/dom.html" | head -1 || true)
  if [ "$state" = 'data-state="done"' ] && [ "$got" -eq "$want" ] && [ "$want" -gt 0 ]; then
    echo "ok     $rq: $got rows in the page's table (chromium ${ms} ms)"
  else
    echo "FAILED $rq: page shows $got rows ($state), kgx query gives $want"
    failed=$((failed + 1))
  fi
  checked=$((checked + 1))
  if [ -n "${SCREENSHOT:-}" ] && [ "$checked" -eq 1 ]; then
    browse --window-size=1200,1400 --screenshot="$SCREENSHOT" "$url" >/dev/null
  fi
done

# A malformed query shows the parser's message instead of a table.
url="http://127.0.0.1:$port/?query=SELECT%20%3Fx%20WHERE%20%7B"
browse --dump-dom "$url" >"$tmp/dom.html"
if grep -q 'data-state="error"' "$tmp/dom.html" && grep -q 'HTTP 400' "$tmp/dom.html" \
  && grep -q 'SPARQL syntax error' "$tmp/dom.html"; then
  echo "ok     malformed query: HTTP 400 and the parser's message on the page"
else
  echo "FAILED malformed query: no error shown"
  failed=$((failed + 1))
fi
checked=$((checked + 1))

echo "browser: $((checked - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
