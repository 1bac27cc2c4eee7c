"""kgx.to_frames: entities, mentions and relations as pandas DataFrames."""

from __future__ import annotations

import json

import pytest

import kgx
from conftest import SAMPLES, discover



def test_frames(pack):
    try:
        import pandas  # noqa: F401
    except ImportError:
        pytest.fail("pandas is missing: pip install pandas (scripts/python-test.sh installs it)")
    docs = [(rel, p.read_bytes()) for rel, p in discover(SAMPLES)]
    xs = pack.extract_many(docs)
    f = kgx.to_frames(xs)
    assert list(f.entities.columns) == [
        "doc", "id", "class", "type", "label", "names", "code", "scope",
        "valid_from", "valid_to", "replaced_by", "mentions",
    ]
    assert len(f.entities) == sum(len(x["entities"]) for x in xs)
    assert len(f.mentions) == sum(len(e["mentions"]) for x in xs for e in x["entities"])
    assert len(f.relations) == sum(len(x["relations"]) for x in xs)
    assert f.entities["mentions"].sum() == len(f.mentions)
    assert set(f.relations["type"]) <= {
        "issued", "cites", "proposed", "implements", "part_of", "located_in", "affiliated_with",
    }
    assert f.relations["subject_label"].notna().all()
    # Mentions' offsets point into the text.
    row = f.mentions.iloc[0]
    assert row["end"] - row["start"] == len(row["text"])
    # JSON lines and a single extraction work too; None (skipped documents) is ignored.
    lines = [json.dumps(x, ensure_ascii=False) for x in xs]
    again = kgx.to_frames(lines + [None])
    assert again.entities.equals(f.entities)
    one = kgx.to_frames(xs[0])
    assert len(one.entities) == len(xs[0]["entities"])
    empty = kgx.to_frames([])
    assert len(empty.relations) == 0 and "object_label" in empty.relations.columns
    with pytest.raises(TypeError):
        kgx.to_frames([42])
