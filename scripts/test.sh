#!/usr/bin/env bash
# The test command: set-up, then every Rust test (unit, integration, rule examples) in the
# release profile, so RocksDB is compiled once for the build and the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export KGX_PYTHON="$PWD/tests/tools/.venv/bin/python"
cargo test --release --workspace --all-targets
