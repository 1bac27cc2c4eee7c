#!/usr/bin/env bash
# Whole-run benchmark of kgx against a peer baseline (jieba.posseg), on one corpus.
#
#   bash bench/run.sh
#
# Replicates ../shared/corpus (beside the repository) into a temporary folder until it holds
# at least KGX_BENCH_MB megabytes (default 100), every copy under a distinct file name, then on
# those same files measures with /usr/bin/time -v (wall, CPU = user + sys, peak RSS):
#   a  kgx extract --formats jsonl --threads 1     extraction alone, one core
#   b  kgx extract --formats jsonl                 extraction alone, all cores
#   c  kgx extract                                 full run, every output (jsonl ttl nq gexf store)
#   d  kgx extract (again, same --out as c)        incremental re-run: every document unchanged
#   e  kgx extract --formats store                 store load, into a copy of b's output whose
#                                                  extractions are current (extraction is reused)
#   f  kgx query --file Q                          each queries/*.rq against c's store (best of 3;
#                                                  KGX_BENCH_QUERY_TIMEOUT s each, default 60)
#   g  jieba.posseg over the same files            the peer baseline (bench/.venv)
#   p  Python kgx.RulePack.extract_many            the Python package on the same files, against b
# and prints MB/s, docs/s, CPU seconds, peak RSS and the kgx / jieba ratios in CPU seconds.
#
# Environment: KGX_BENCH_CORPUS (default ../shared/corpus), KGX_BENCH_MB (default 100),
# KGX_BENCH_DIR (default a new /tmp/kgx-bench.XXXXXX; removed at the end unless
# KGX_BENCH_KEEP=1), JIEBA_PROCS (worker processes for jieba, default all cores; CPU seconds
# count every worker), KGX_BENCH_SKIP_JIEBA=1 (skip g, the slowest step: ~10 CPU minutes).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CORPUS=${KGX_BENCH_CORPUS:-$ROOT/../shared/corpus}
TARGET_MB=${KGX_BENCH_MB:-100}
CORES=$(nproc)
JIEBA_PROCS=${JIEBA_PROCS:-$CORES}

[ -d "$CORPUS" ] || { echo "bench: no corpus at $CORPUS (set KGX_BENCH_CORPUS)" >&2; exit 2; }

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ! -x /usr/bin/time ]; then
  echo "bench: installing GNU time (/usr/bin/time)" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi
dpkg -s libclang-dev >/dev/null 2>&1 || bash scripts/setup.sh

echo "bench: building kgx (release)" >&2
cargo build --release --quiet --bin kgx

WORK=${KGX_BENCH_DIR:-$(mktemp -d /tmp/kgx-bench.XXXXXX)}
mkdir -p "$WORK"
if [ "${KGX_BENCH_KEEP:-0}" != 1 ] && [ -z "${KGX_BENCH_DIR:-}" ]; then
  trap 'rm -rf "$WORK"' EXIT
fi
# A private copy: other builds in this tree cannot swap the binary in the middle of a run.
cp "${CARGO_TARGET_DIR:-target}/release/kgx" "$WORK/kgx"
KGX=("$WORK/kgx")
RULES=(--rules "$ROOT/rules")

# --- the corpus: copies r001_, r002_ ... of every file, flat, until TARGET_MB is reached ---
DATA="$WORK/corpus"
if [ ! -d "$DATA" ]; then
  mkdir -p "$DATA.tmp"
  mapfile -d '' sources < <(find "$CORPUS" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' -o -name '*.htm' \) -print0 | sort -z)
  ((${#sources[@]})) || { echo "bench: no .txt/.md/.html files under $CORPUS" >&2; exit 2; }
  total=0 copy=0
  while ((total < TARGET_MB * 1000000)); do
    copy=$((copy + 1))
    for f in "${sources[@]}"; do
      name=$(printf 'r%03d_%s' "$copy" "$(basename "$f")")
      cp "$f" "$DATA.tmp/$name"
      total=$((total + $(stat -c %s "$f")))
    done
  done
  mv "$DATA.tmp" "$DATA"
fi
DOCS=$(find "$DATA" -type f | wc -l)
BYTES=$(find "$DATA" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
MB=$(awk -v b="$BYTES" 'BEGIN {printf "%.1f", b / 1e6}')

# --- measurement helpers ---
declare -A WALL CPU RSS
# measure NAME CMD...: runs CMD under /usr/bin/time -v; stdout/stderr go to $WORK/NAME.{out,err}.
measure() {
  local name=$1
  shift
  echo "bench: $name: $*" >&2
  if ! /usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"; then
    echo "bench: $name failed; stderr:" >&2
    tail -20 "$WORK/$name.err" >&2
    exit 1
  fi
  WALL[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$WORK/$name.time")
  CPU[$name]=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f", u + s}' "$WORK/$name.time")
  RSS[$name]=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$WORK/$name.time")
}
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN {if (b > 0) printf f, a / b; else print "inf"}'; }
row() { # row NAME LABEL
  printf '%-38s %8.2f %8.2f %9s %9s %9s %8s\n' "$2" "${WALL[$1]}" "${CPU[$1]}" \
    "$(div "$MB" "${WALL[$1]}")" "$(div "$MB" "${CPU[$1]}")" "$(div "$DOCS" "${WALL[$1]}" %.0f)" "${RSS[$1]}"
}
summary_of() { grep -h '^kgx: .* documents' "$WORK/$1.err" | tail -1; }

OUT="$WORK/out"
rm -rf "$OUT.a" "$OUT.b" "$OUT.c" "$OUT.e"
measure a "${KGX[@]}" extract "$DATA" "${RULES[@]}" --out "$OUT.a" --formats jsonl --threads 1
measure b "${KGX[@]}" extract "$DATA" "${RULES[@]}" --out "$OUT.b" --formats jsonl
measure c "${KGX[@]}" extract "$DATA" "${RULES[@]}" --out "$OUT.c"
measure d "${KGX[@]}" extract "$DATA" "${RULES[@]}" --out "$OUT.c"
cp -r "$OUT.b" "$OUT.e"
# The same no-op re-run as e but without the store: what e spends besides loading the store
# (reading and hashing the inputs, parsing the previous extractions.jsonl).
measure e0 "${KGX[@]}" extract "$DATA" "${RULES[@]}" --out "$OUT.e" --formats jsonl
measure e "${KGX[@]}" extract "$DATA" "${RULES[@]}" --out "$OUT.e" --formats store
QUADS=$(summary_of e | sed -n 's/.* \([0-9][0-9]*\) quads written.*/\1/p')
NQ_LINES=$(wc -l <"$OUT.c/graph.nq")

# --- queries against the full run's store ---
QUERY_ROWS=()
QUERY_TIMEOUT=${KGX_BENCH_QUERY_TIMEOUT:-60}
qtime() { # best wall seconds of 3 runs of kgx query ARGS..., or "timeout"
  local best="" t0 t1 t rc
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    rc=0
    timeout "$QUERY_TIMEOUT" "${KGX[@]}" query --store "$OUT.c/store" --format json "$@" >"$WORK/query.out" || rc=$?
    t1=$(date +%s.%N)
    if [ "$rc" = 124 ]; then echo timeout; return; fi
    [ "$rc" = 0 ] || { echo "bench: kgx query $* failed ($rc)" >&2; echo failed; return; }
    t=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN {exit !(t < b)}'; then best=$t; fi
  done
  echo "$best"
}
echo "bench: queries" >&2
OPEN_S=$(qtime 'ASK {}')
for q in queries/*.rq; do
  echo "bench: query $q" >&2
  s=$(qtime --file "$q")
  case $s in
    timeout | failed)
      QUERY_ROWS+=("$(printf '%-34s %s (limit %s s)' "$(basename "$q")" "$s" "$QUERY_TIMEOUT")")
      continue
      ;;
  esac
  rows=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["results"]["bindings"]) if "results" in d else "-")' "$WORK/query.out" 2>/dev/null || echo "?")
  QUERY_ROWS+=("$(printf '%-34s %8.1f ms %8.1f ms net %7s rows' "$(basename "$q")" "$(awk -v s="$s" 'BEGIN {print s * 1000}')" "$(awk -v s="$s" -v o="$OPEN_S" 'BEGIN {print (s - o) * 1000}')" "$rows")")
done

# --- the peer baseline ---
if [ "${KGX_BENCH_SKIP_JIEBA:-0}" != 1 ]; then
  if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
  fi
  bench/.venv/bin/pip install -q -r bench/requirements.txt
  measure g bench/.venv/bin/python bench/jieba_baseline.py --procs "$JIEBA_PROCS" "$DATA"
fi

# --- p: the Python package (python/) on the same files: extract_many to dicts, all cores, in
# batches like the CLI's; compared with b. Needs kgx in tests/tools/.venv (scripts/python-test.sh).
PY=tests/tools/.venv/bin/python
if [ -x "$PY" ] && "$PY" -c 'import kgx' 2>/dev/null; then
  measure p "$PY" -c '
import os, sys, kgx
pack = kgx.RulePack.load(sys.argv[2])
root = sys.argv[1]
paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
n = e = 0
for i in range(0, len(paths), 64):
    docs = [(os.path.relpath(p, root), open(p, "rb").read()) for p in paths[i:i + 64]]
    for x in pack.extract_many(docs):
        n += 1
        e += len(x["entities"])
print(f"python: {n} documents, {e} entities")
' "$DATA" "$ROOT/rules"
else
  echo "bench: p skipped: kgx is not installed in $PY (bash scripts/python-test.sh installs it)" >&2
fi

# --- report ---
echo
echo "kgx benchmark: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus: $DOCS documents, $MB MB ($(find "$CORPUS" -type f | wc -l) files of $CORPUS, replicated under distinct names)"
echo
printf '%-38s %8s %8s %9s %9s %9s %8s\n' step "wall s" "CPU s" "MB/s" "MB/CPU-s" "docs/s" "RSS MiB"
row a "a extract jsonl, 1 thread"
row b "b extract jsonl, $CORES threads"
row c "c full run, every output"
row d "d re-run (incremental)"
row e "e store load (extraction reused)"
[ -n "${WALL[g]:-}" ] && row g "g jieba.posseg, $JIEBA_PROCS procs"
[ -n "${WALL[p]:-}" ] && row p "p python extract_many, $CORES threads"
[ -n "${WALL[p]:-}" ] && echo "python extract_many vs the CLI (b), wall: $(div "${WALL[b]}" "${WALL[p]}" %.3f)x the CLI's MB/s, overhead $(awk -v p="${WALL[p]}" -v b="${WALL[b]}" 'BEGIN {printf "%.1f", (p / b - 1) * 100}')% (target < 15%)"
echo
echo "kgx summaries:"
for s in a b c d e; do echo "  $s  $(summary_of $s)"; done
[ -n "${WALL[g]:-}" ] && echo "  g  $(cat "$WORK/g.out")"
echo
STORE_NET=$(awk -v e="${WALL[e]}" -v z="${WALL[e0]}" 'BEGIN {d = e - z; print (d > 0 ? d : e)}')
echo "store load: $QUADS quads (graph.nq of c: $NQ_LINES lines) in ${WALL[e]} s = $(div "$QUADS" "${WALL[e]}" %.0f) quads/s;" \
  "net of the ${WALL[e0]} s no-op re-run (read, hash, parse jsonl): $(div "$QUADS" "$STORE_NET" %.0f) quads/s"
echo "incremental re-run: $(div "${WALL[c]}" "${WALL[d]}" %.1f)x faster than the cold full run (wall)"
echo
echo "queries on c's store (best of 3, whole 'kgx query' process; 'net' subtracts 'ASK {}' = $(awk -v s="$OPEN_S" 'BEGIN {print s * 1000}') ms, process start and store open):"
printf '  %s\n' "${QUERY_ROWS[@]}"
if [ -n "${WALL[g]:-}" ]; then
  echo
  echo "kgx vs jieba.posseg in CPU seconds (jieba CPU / kgx CPU; higher is better for kgx):"
  echo "  extraction alone, 1 thread (a): $(div "${CPU[g]}" "${CPU[a]}" %.1f)x   all cores (b): $(div "${CPU[g]}" "${CPU[b]}" %.1f)x"
  echo "  full run, every output (c):     $(div "${CPU[g]}" "${CPU[c]}" %.1f)x"
  echo "  peak RSS: kgx full run ${RSS[c]} MiB, jieba ${RSS[g]} MiB (per process)"
fi
echo
echo "targets: extraction >= 20 MB/s on one core, >= 100x jieba (CPU s); full run >= 20x jieba;"
echo "         store load >= 200000 quads/s; peak RSS < 1 GiB on 1 GB; each query < 100 ms"
