#!/usr/bin/env python3
"""Run one SPARQL SELECT against an endpoint with SPARQLWrapper (an independent client of the
SPARQL 1.1 Protocol) and print the JSON results it parsed.

Usage: sparql_client.py ENDPOINT QUERY_FILE [get|post]
"""
import json
import sys

from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper


def main(endpoint, query_file, method="get"):
    with open(query_file, encoding="utf-8") as f:
        query = f.read()
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    client.setMethod(POST if method == "post" else GET)
    results = client.query().convert()
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
