#!/usr/bin/env python3
"""Merge two annotators' gold files as GUIDELINES.md says: an item is required where both
required it, optional where only one listed it or either marked it optional. Entities are the
same when their classes match and their (normalised) name sets intersect; relations when type,
subject entity and object entity match."""
import json, sys, unicodedata
STRIP = set(" \t\r\n\u3000\"'“”‘’「」『』《》〈〉<>")
def norm(s):
    s = unicodedata.normalize("NFKC", s)
    return "".join(c for c in s if c not in STRIP and not c.isspace())
def load(p):
    return {json.loads(l)["doc"]: json.loads(l) for l in open(p) if l.strip()}
A, B = load(sys.argv[1]), load(sys.argv[2])
out = []
for doc in sorted(set(A) | set(B)):
    a, b = A.get(doc, {"entities": [], "relations": []}), B.get(doc, {"entities": [], "relations": []})
    merged = []  # (class, names list, required flags per annotator)
    for who, ann in ((0, a), (1, b)):
        for e in ann["entities"]:
            ns = {norm(n) for n in e["names"]}
            hit = next((m for m in merged if m["class"] == e["class"] and ns & m["norm"]), None)
            if hit is None:
                hit = {"class": e["class"], "names": [], "norm": set(), "req": [None, None]}
                merged.append(hit)
            for n in e["names"]:
                if norm(n) not in hit["norm"] or n not in hit["names"]:
                    if n not in hit["names"]:
                        hit["names"].append(n)
            hit["norm"] |= ns
            req = not e.get("optional", False)
            hit["req"][who] = req if hit["req"][who] is None else (hit["req"][who] or req)
    def ent_of(name):
        k = norm(name)
        return next((i for i, m in enumerate(merged) if k in m["norm"]), None)
    rels = {}
    for who, ann in ((0, a), (1, b)):
        for r in ann["relations"]:
            key = (r["type"], ent_of(r["subject"]), ent_of(r["object"]))
            slot = rels.setdefault(key, {"r": r, "req": [None, None]})
            req = not r.get("optional", False)
            slot["req"][who] = req if slot["req"][who] is None else (slot["req"][who] or req)
    ents = []
    for m in merged:
        e = {"class": m["class"], "names": m["names"]}
        if m["req"] != [True, True]:
            e["optional"] = True
        ents.append(e)
    rs = []
    for (t, s, o), slot in rels.items():
        r = {"type": t, "subject": slot["r"]["subject"], "object": slot["r"]["object"]}
        if slot["req"] != [True, True]:
            r["optional"] = True
        rs.append(r)
    out.append({"doc": doc, "entities": ents, "relations": rs})
    print(doc, "entities req", sum(1 for e in ents if not e.get("optional")), "opt",
          sum(1 for e in ents if e.get("optional")), "relations req",
          sum(1 for r in rs if not r.get("optional")), "opt", sum(1 for r in rs if r.get("optional")),
          file=sys.stderr)
with open(sys.argv[3], "w") as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
