#!/usr/bin/env bash
# The Python package's tests (tests/python): installs what they need into the test venv
# (maturin, pytest, pandas, pyspark from tests/python/requirements.txt; a Java runtime for
# Spark from Debian's openjdk-17-jre-headless), builds the kgx wheel with maturin
# (python/target) and the release binary the tests compare against, then runs pytest.
# Safe to run again; the Rust builds are incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

venv=tests/tools/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q -r tests/python/requirements.txt

if ! command -v java >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi

# The reference: what `kgx extract` writes (tests run target/release/kgx).
if [ ! -x target/release/kgx ]; then
  cargo build --release --bin kgx
fi

# The wheel, as `pip install ./python` would build it, then installed over any older one.
rm -rf python/target/wheels
(cd python && "../$venv/bin/maturin" build --release --locked --quiet --out target/wheels)
"$venv/bin/pip" install -q --force-reinstall --no-deps python/target/wheels/kgx-*.whl
# The crate's own lint (not part of the main workspace's clippy run).
(cd python && cargo fmt --check && cargo clippy --release --locked --quiet -- -D warnings)
echo "python-test: set-up done after $((SECONDS - started)) s"

export KGX_BIN="$PWD/target/release/kgx"
"$venv/bin/python" -m pytest tests/python -v -p no:cacheprovider "$@"
echo "python-test: done after $((SECONDS - started)) s"
