"""Extractions as pandas DataFrames: one row per entity, per mention and per relation."""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, NamedTuple, Union

ENTITY_COLUMNS = [
    "doc", "id", "class", "type", "label", "names", "code", "scope",
    "valid_from", "valid_to", "replaced_by", "mentions",
]
MENTION_COLUMNS = ["doc", "entity", "class", "label", "start", "end", "text", "rule"]
RELATION_COLUMNS = [
    "doc", "type", "subject", "subject_label", "object", "object_label", "rule",
    "start", "end", "evidence",
]

Extraction = Union[Mapping[str, Any], str, bytes]


class Frames(NamedTuple):
    """The three tables of ``to_frames``."""

    entities: Any
    """One row per entity of each document: doc, id (IRI), class, type, label, names
    (list), code, scope, valid_from, valid_to, replaced_by (list), mentions (count)."""
    mentions: Any
    """One row per mention: doc, entity (IRI), class, label, start, end (char offsets into
    the document's text), text, rule."""
    relations: Any
    """One row per relation: doc, type, subject and object (IRIs) with their labels, rule,
    start and end (the first evidence span) and evidence (every span, as (start, end))."""


def _records(extractions: Iterable[Extraction] | Extraction) -> Iterable[Mapping[str, Any]]:
    if isinstance(extractions, (Mapping, str, bytes)):
        extractions = [extractions]
    for x in extractions:
        if x is None:  # a document extract_many(errors="skip") could not read
            continue
        if isinstance(x, (str, bytes)):
            if not x.strip():
                continue
            x = json.loads(x)
        if not isinstance(x, Mapping):
            raise TypeError(
                f"expected an extraction (a dict or a JSON line), got {type(x).__name__}"
            )
        yield x


def to_frames(extractions: Iterable[Extraction] | Extraction) -> Frames:
    """Turns extractions into pandas DataFrames ``(entities, mentions, relations)``.

    ``extractions``: dicts from ``RulePack.extract``/``extract_many``, JSON lines (an open
    extractions.jsonl file works), or one of either. Needs pandas (``pip install
    ./python[pandas]``).
    """
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "kgx.to_frames needs pandas: pip install pandas (or ./python[pandas])"
        ) from e
    entities: list[dict[str, Any]] = []
    mentions: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for x in _records(extractions):
        doc = x["doc"]
        labels = {}
        for e in x.get("entities", []):
            labels[e["id"]] = e["label"]
            entities.append({
                "doc": doc,
                "id": e["id"],
                "class": e["class"],
                "type": e.get("type"),
                "label": e["label"],
                "names": list(e.get("names", [])),
                "code": e.get("code"),
                "scope": e.get("scope"),
                "valid_from": e.get("valid_from"),
                "valid_to": e.get("valid_to"),
                "replaced_by": list(e.get("replaced_by", [])),
                "mentions": len(e.get("mentions", [])),
            })
            for m in e.get("mentions", []):
                mentions.append({
                    "doc": doc,
                    "entity": e["id"],
                    "class": e["class"],
                    "label": e["label"],
                    "start": m["start"],
                    "end": m["end"],
                    "text": m["text"],
                    "rule": m["rule"],
                })
        for r in x.get("relations", []):
            evidence = [(s["start"], s["end"]) for s in r.get("evidence", [])]
            relations.append({
                "doc": doc,
                "type": r["type"],
                "subject": r["subject"],
                "subject_label": labels.get(r["subject"]),
                "object": r["object"],
                "object_label": labels.get(r["object"]),
                "rule": r["rule"],
                "start": evidence[0][0] if evidence else None,
                "end": evidence[0][1] if evidence else None,
                "evidence": evidence,
            })
    ent = pd.DataFrame(entities, columns=ENTITY_COLUMNS)
    for col in ("valid_from", "valid_to"):
        ent[col] = ent[col].astype("Int64")
    ent["mentions"] = ent["mentions"].astype("int64")
    men = pd.DataFrame(mentions, columns=MENTION_COLUMNS)
    for col in ("start", "end"):
        men[col] = men[col].astype("int64")
    rel = pd.DataFrame(relations, columns=RELATION_COLUMNS)
    for col in ("start", "end"):
        rel[col] = rel[col].astype("Int64")
    return Frames(ent, men, rel)
