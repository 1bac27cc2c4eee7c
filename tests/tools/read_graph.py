#!/usr/bin/env python3
"""Read a GEXF or GraphML file with networkx and print its nodes, edges and attributes as JSON.

Usage: read_graph.py gexf|graphml FILE
"""
import json
import sys

import networkx as nx
from networkx.readwrite.gexf import GEXF

# networkx (3.4) knows GEXF 1.1draft and 1.2draft only; 1.3 keeps their elements and
# attributes under a new namespace, so register it rather than rewrite the reader.
GEXF.versions.setdefault("1.3", {
    "NS_GEXF": "http://gexf.net/1.3",
    "NS_VIZ": "http://gexf.net/1.3/viz",
    "NS_XSI": "http://www.w3.org/2001/XMLSchema-instance",
    "SCHEMALOCATION": "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
    "VERSION": "1.3",
})


def main(kind, path):
    g = nx.read_gexf(path, version="1.3") if kind == "gexf" else nx.read_graphml(path)
    nodes = {str(n): {k: v for k, v in d.items() if k != "viz"} for n, d in g.nodes(data=True)}
    edges = [[str(u), str(v), {k: v2 for k, v2 in d.items()}] for u, v, d in g.edges(data=True)]
    print(json.dumps({"directed": g.is_directed(), "multigraph": g.is_multigraph(),
                      "nodes": nodes, "edges": edges}, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
