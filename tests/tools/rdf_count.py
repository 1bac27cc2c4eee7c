#!/usr/bin/env python3
"""Parse an RDF file with rdflib (an independent parser) and print what it read as JSON.

Usage: rdf_count.py FORMAT FILE   (FORMAT: turtle, nt, nquads, trig, xml, json-ld)
Prints {"triples": N, "graphs": G, "labels": {iri: [prefLabel, ...]}} for the caller to compare.
"""
import json
import sys

import rdflib

SKOS_PREF = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


def main(fmt, path):
    if fmt in ("nquads", "trig", "json-ld"):
        ds = rdflib.Dataset()
        ds.parse(path, format=fmt)
        quads = list(ds.quads((None, None, None, None)))
        graphs = {str(g) for (_, _, _, g) in quads if g is not None}
        triples = len(quads)
        label_source = ds
    else:
        g = rdflib.Graph()
        g.parse(path, format=fmt)
        triples = len(g)
        graphs = set()
        label_source = g
    labels = {}
    if fmt in ("nquads", "trig", "json-ld") and isinstance(label_source, rdflib.Dataset):
        found = ((s, o) for s, _, o, _ in label_source.quads((None, SKOS_PREF, None, None)))
    else:
        found = ((s, o) for s, _, o in label_source.triples((None, SKOS_PREF, None)))
    for s, o in found:
        labels.setdefault(str(s), set()).add(str(o))
    print(json.dumps({"triples": triples, "graphs": len(graphs),
                      "labels": {k: sorted(v) for k, v in labels.items()}}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
