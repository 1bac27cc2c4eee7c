#!/usr/bin/env bash
# Fuzz the extractor with cargo-fuzz (libFuzzer + AddressSanitizer). Not run in CI.
#
#   scripts/fuzz.sh                       # every target, 60 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh extract
#
# Targets (fuzz/fuzz_targets/): decode_normalize (decoding, HTML to text, NFKC and its offset
# map), extract (extraction over arbitrary bytes with the default pack in rules/), rule_file
# (a rule file and a gazetteer TSV through load_pack). The fuzz crate depends on kgx-core only
# and builds into fuzz/target (no RocksDB). Corpora grow in fuzz/corpus/<target> (seeded from
# samples/ and rules/), crashes land in fuzz/artifacts/<target>; both are git-ignored. Turn
# every crash into a regression test; `cargo fuzz run <target> <artifact>` replays one.
#
# Environment: FUZZ_SECONDS (per target, default 60), FUZZ_TIMEOUT (seconds one input may take
# before it counts as a hang, default 10), FUZZ_SANITIZER (address | none, default address),
# FUZZ_MAX_LEN (bytes, default 8192).
# The toolchain may be stable: RUSTC_BOOTSTRAP=1 lets it accept cargo-fuzz's -Z flags.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=${FUZZ_SECONDS:-60}
timeout=${FUZZ_TIMEOUT:-10}
sanitizer=${FUZZ_SANITIZER:-address}
max_len=${FUZZ_MAX_LEN:-8192}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode_normalize extract rule_file)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1

# Seeds: each sample document behind the selector byte the text targets read first ('0' →
# a .txt name, '1' → .html), and every rule file of the default pack.
seed() {
    local target=$1 dir=fuzz/corpus/$1
    mkdir -p "$dir"
    case $target in
    decode_normalize | extract)
        local f i=0
        while IFS= read -r -d '' f; do
            i=$((i + 1))
            case $f in
            *.html | *.htm) { printf 1; cat "$f"; } >"$dir/seed-$i" ;;
            *) { printf 0; head -c "$max_len" "$f"; } >"$dir/seed-$i" ;;
            esac
        done < <(find samples tests/fixtures -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' -o -name '*.htm' \) -print0 2>/dev/null | sort -z)
        ;;
    rule_file)
        local f i=0
        while IFS= read -r -d '' f; do
            i=$((i + 1))
            cp "$f" "$dir/seed-$i"
        done < <(find rules -name '*.toml' -print0 | sort -z)
        ;;
    esac
}

summary=()
status=0
for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "fuzz/artifacts/$t" fuzz/logs
    before=$(find "fuzz/artifacts/$t" -type f | wc -l)
    log=fuzz/logs/$t.log
    echo "fuzz.sh: $t for ${seconds}s (log: $log)" >&2
    set +e
    (cd fuzz && cargo fuzz run --sanitizer "$sanitizer" "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout="$timeout" -max_len="$max_len" \
        -print_final_stats=1 -artifact_prefix="artifacts/$t/") >"$log" 2>&1
    rc=$?
    set -e
    after=$(find "fuzz/artifacts/$t" -type f | wc -l)
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
    new=$((after - before))
    line="$t: ${execs:-?} executions (${rate:-?}/s), coverage ${cov:-?} edges, corpus $corpus, new crashes $new, exit $rc"
    summary+=("$line")
    if [ "$rc" -ne 0 ] || [ "$new" -gt 0 ]; then
        status=1
        if [ -z "$execs" ]; then
            echo "fuzz.sh: $t did not run; the end of $log:" >&2
            tail -30 "$log" >&2
        else
            echo "fuzz.sh: $t found a problem; the end of $log:" >&2
            grep -A40 -m1 -E '^==[0-9]+==|panicked at|ERROR: libFuzzer' "$log" >&2 || tail -40 "$log" >&2
            echo "fuzz.sh: new artifacts:" >&2
            ls -t "fuzz/artifacts/$t" | head -n "$new" | sed "s|^|  fuzz/artifacts/$t/|" >&2
        fi
    fi
done
echo
printf '%s\n' "${summary[@]}"
exit $status
