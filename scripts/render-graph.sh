#!/usr/bin/env bash
# Renders the sample corpus' graph for the README: kgx extract samples/corpus → kgx export
# --format dot → Graphviz (sfdp) → docs/sample-graph.svg and docs/sample-graph.png.
#
#   bash scripts/render-graph.sh [EXPORT OPTIONS...]
#   CORPUS=DIR PICTURE=docs/NAME bash scripts/render-graph.sh [EXPORT OPTIONS...]
#
# Extra arguments go to `kgx export` and replace the default view (`--giant-component`, the
# largest connected part of the relation view), e.g. `--view cooccurrence --top 60`. CORPUS
# (default samples/corpus) is what is extracted, PICTURE (default docs/sample-graph) where the
# .svg and .png go. The README's province network:
#   CORPUS=../shared/corpus/provincial-reports-2026 PICTURE=docs/province-network \
#     bash scripts/render-graph.sh --project Place --via implements --types Province --min-weight 9 --drop-isolates
# Installs graphviz and a CJK font (fonts-wqy-microhei) with apt-get when missing. Uses the
# release build, like every other script.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "$@"
}
if ! command -v dot >/dev/null || ! command -v sfdp >/dev/null; then
    apt_install graphviz
fi
# Graphviz measures labels with the installed fonts; without a CJK one the PNG shows boxes.
if ! fc-list :lang=zh | grep -q .; then
    apt_install fonts-wqy-microhei
fi

cargo build --release --quiet
kgx=${CARGO_TARGET_DIR:-./target}/release/kgx
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

corpus=${CORPUS:-samples/corpus}
picture=${PICTURE:-docs/sample-graph}
"$kgx" extract "$corpus" --out "$work/out" --formats jsonl,store --quiet
if [ "$#" -eq 0 ]; then
    set -- --giant-component
fi
"$kgx" export --store "$work/out/store" --format dot "$@" --out "$work/graph.dot"

mkdir -p "$(dirname "$picture")"
# sfdp: force-directed like Gephi's ForceAtlas 2; a fixed seed keeps the picture stable. The
# DOT asks for "sans-serif", so the SVG uses the viewer's CJK sans font and the PNG fontconfig's.
layout=(-Ksfdp -Gstart=7)
dot "${layout[@]}" -Tsvg "$work/graph.dot" -o "$picture.svg"
dot "${layout[@]}" -Tpng -Gdpi=72 "$work/graph.dot" -o "$picture.png"
ls -l "$picture.svg" "$picture.png"
