#!/usr/bin/env bash
# The main job on the shipped sample corpus: build, extract into output/, then ask the store
# which documents each organization issued.
set -euo pipefail
cd "$(dirname "$0")/.."
dpkg -s libclang-dev >/dev/null 2>&1 || bash scripts/setup.sh
cargo build --release
kgx=${CARGO_TARGET_DIR:-target}/release/kgx
"$kgx" extract samples/corpus --out output
"$kgx" query --format table --file queries/who-issued-what.rq
