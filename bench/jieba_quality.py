"""The peer's quality on a gold set: jieba.posseg as a user would use it for entities.

Words tagged ns (place), nt (organisation) and nr (person name) become entities of those
classes, one per distinct word; jieba finds no programs, documents or relations. The output
is JSON Lines in the shape ../shared/eval/score.py reads, so the peer is scored exactly as kgx:

    bench/.venv/bin/python bench/jieba_quality.py DOCS_DIR > /tmp/jieba.jsonl
    python3 ../shared/eval/score.py ../shared/eval/dev-gold.jsonl /tmp/jieba.jsonl

HTML files lose their tags and character references first (html.parser), as kgx does.
"""

import html
import json
import os
import re
import sys

import jieba
import jieba.posseg as pseg

CLASS_OF_FLAG = {"ns": "Place", "nt": "Organization", "nr": "Person"}


def text_of(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    if path.lower().endswith((".html", ".htm")):
        text = re.sub(r"(?is)<(script|style).*?</\1>", "", text)
        text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    return text


def main(folder):
    jieba.setLogLevel(60)
    for name in sorted(os.listdir(folder)):
        seen = {}
        for word, flag in pseg.cut(text_of(os.path.join(folder, name))):
            cls = CLASS_OF_FLAG.get(flag)
            if cls and len(word) >= 2:
                seen.setdefault((cls, word), None)
        entities = [{"id": f"{c}/{w}", "class": c, "label": w} for c, w in seen]
        print(json.dumps({"doc": name, "entities": entities, "relations": []}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
