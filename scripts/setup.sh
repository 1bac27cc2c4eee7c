#!/usr/bin/env bash
# Installs what building and testing kgx needs on a fresh Debian machine: libclang for
# oxigraph's RocksDB bindings (bindgen), jing for GEXF validation, graphviz for the DOT
# check, and a Python venv with the independent readers the tests use (rdflib, networkx).
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
dpkg -s libclang-dev >/dev/null 2>&1 || need_apt+=(libclang-dev)
command -v jing >/dev/null 2>&1 || need_apt+=(jing)
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)
if ((${#need_apt[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

venv=tests/tools/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q -r tests/tools/requirements.txt
