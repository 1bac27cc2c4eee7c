#!/usr/bin/env bash
# `kgx push` into a real Virtuoso: starts Debian's virtuoso-opensource on loopback with its own
# database folder and ports (the machine's own Virtuoso, if any, is left alone), pushes the
# sample corpus's store to /sparql-graph-crud-auth (digest auth, dba/dba on a fresh database)
# twice, and checks with a SPARQL COUNT per graph against Virtuoso's /sparql that every
# document's graph arrived with the triple count `kgx query` gives. Installs
# virtuoso-opensource if missing. Not part of scripts/test.sh: it needs ~20 s for Virtuoso to
# come up and a large package.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v virtuoso-t >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # The package asks for a dba password for the system database; this test makes its own.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq virtuoso-opensource >/dev/null
fi
cargo build --release --quiet
kgx=${CARGO_TARGET_DIR:-target}/release/kgx

tmp=$(mktemp -d)
virtuoso=""
cleanup() {
  if [ -n "$virtuoso" ]; then
    kill "$virtuoso" 2>/dev/null || true
    wait "$virtuoso" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
sql_port=$(free_port)
http_port=$(free_port)
db="$tmp/db"
mkdir -p "$db"

# The packaged configuration with every path moved into our folder and both servers on
# loopback at our ports.
sed -e "s#/var/lib/virtuoso-opensource-7/db#$db#g" \
  -e "s#^ServerPort *= *1111#ServerPort = 127.0.0.1:$sql_port#" \
  -e "s#^ServerPort *= *8890#ServerPort = 127.0.0.1:$http_port#" \
  -e "s#^DefaultHost *=.*#DefaultHost = 127.0.0.1:$http_port#" \
  -e "s#^DirsAllowed *=.*#DirsAllowed = ., $db, /usr/share/virtuoso-opensource-7/vad#" \
  /etc/virtuoso-opensource-7/virtuoso.ini >"$db/virtuoso.ini"

KGX_RULES=rules "$kgx" extract samples/corpus --out "$tmp/out" --formats store --quiet
store="$tmp/out/store"

started=$(date +%s)
(cd "$db" && exec virtuoso-t +foreground +configfile "$db/virtuoso.ini") >"$tmp/virtuoso.out" 2>&1 &
virtuoso=$!
sparql="http://127.0.0.1:$http_port/sparql"
until curl -fs -o /dev/null --get --data-urlencode 'query=ASK {}' "$sparql"; do
  if ! kill -0 "$virtuoso" 2>/dev/null; then
    echo "virtuoso exited:"; cat "$tmp/virtuoso.out"; tail -20 "$db/virtuoso.log" 2>/dev/null || true
    exit 1
  fi
  if (($(date +%s) - started > 180)); then
    echo "virtuoso did not answer on $sparql within 180 s"; tail -20 "$db/virtuoso.log" || true
    exit 1
  fi
  sleep 1
done
echo "virtuoso $(virtuoso-t -? 2>&1 | grep -o 'Version [0-9.]*' | head -1) up on 127.0.0.1:$http_port after $(($(date +%s) - started)) s"

endpoint="http://127.0.0.1:$http_port/sparql-graph-crud-auth"
# Twice, N-Triples then Turtle: the second PUT of each graph must replace, not add.
for format in nt ttl; do
  t0=$(date +%s%N)
  KGX_PASSWORD=dba "$kgx" push --store "$store" --endpoint "$endpoint" --user dba --format "$format"
  echo "push ($format): $(( ($(date +%s%N) - t0) / 1000000 )) ms"
done

count_query='SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g'
"$kgx" query --store "$store" --format json "$count_query" >"$tmp/kgx.json"
curl -fsS --get --data-urlencode "query=$count_query" \
  -H 'Accept: application/sparql-results+json' "$sparql" >"$tmp/virtuoso.json"
# Chinese literals with language tags survive the trip (counted per graph, like the triples).
label_query='SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> "国务院"@zh-hans } } GROUP BY ?g'
"$kgx" query --store "$store" --format json "$label_query" >"$tmp/kgx-labels.json"
curl -fsS --get --data-urlencode "query=$label_query" \
  -H 'Accept: application/sparql-results+json' "$sparql" >"$tmp/virtuoso-labels.json"

python3 - "$tmp" <<'EOF'
import json, sys

def counts(path):
    rows = json.load(open(path, encoding="utf-8"))["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}

tmp = sys.argv[1]
kgx, virtuoso = counts(f"{tmp}/kgx.json"), counts(f"{tmp}/virtuoso.json")
labels = counts(f"{tmp}/kgx-labels.json")
if not labels or labels != counts(f"{tmp}/virtuoso-labels.json"):
    print(f"FAILED \"国务院\"@zh-hans per graph: kgx {labels}, virtuoso {counts(f'{tmp}/virtuoso-labels.json')}")
    sys.exit(1)
print(f"ok     \"国务院\"@zh-hans labels in {len(labels)} graphs on both sides")
failed = 0
for g, n in sorted(kgx.items()):
    got = virtuoso.get(g)
    ok = got == n
    failed += not ok
    print(f"{'ok    ' if ok else 'FAILED'} {g}: kgx {n}, virtuoso {got}")
print(f"virtuoso: {len(kgx) - failed} passed, {failed} failed "
      f"({sum(kgx.values())} triples in {len(kgx)} graphs)")
sys.exit(1 if failed else 0)
EOF
