#!/usr/bin/env python3
"""Validate an N-Quads file against SHACL shapes with pyshacl (an independent validator).

Usage: shacl_check.py SHAPES.ttl DATA.nq
Every named graph is validated on its own (a document's graph must hold on its own), then the
union of all. Prints {"graphs": N, "violations": [...]} as JSON; exits 0 either way.
"""
import json
import sys

import pyshacl
import rdflib


def violations(data, shapes):
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=False)
    if conforms:
        return []
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        out.append({
            "focus": str(report.value(result, sh.focusNode)),
            "path": str(report.value(result, sh.resultPath)),
            "message": str(report.value(result, sh.resultMessage)),
        })
    return out


def main(shapes_path, data_path):
    shapes = rdflib.Graph().parse(shapes_path, format="turtle")
    ds = rdflib.Dataset()
    ds.parse(data_path, format="nquads")
    found = []
    union = rdflib.Graph()
    graphs = 0
    for g in ds.graphs():
        if len(g) == 0:
            continue
        graphs += 1
        one = rdflib.Graph()
        for t in g:
            one.add(t)
            union.add(t)
        found += [dict(v, graph=str(g.identifier)) for v in violations(one, shapes)]
    found += [dict(v, graph="union") for v in violations(union, shapes)]
    print(json.dumps({"graphs": graphs, "violations": found}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
