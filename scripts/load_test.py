#!/usr/bin/env python3
"""Load client for scripts/load-test.sh: N SPARQL queries from C concurrent clients.

Standard library only (threads + urllib). Each client keeps sending the next query of a shared
schedule that cycles through the given .rq files, alternating the two protocol forms (GET
?query= and POST application/sparql-query), until N have been sent. A request counts as an
error unless it gets HTTP 200 with a SPARQL JSON result. Prints the figures; exits 1 on any
error.
"""

import argparse
import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--url", required=True, help="the endpoint, http://127.0.0.1:PORT/sparql")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("queries", nargs="+", help=".rq files")
    a = ap.parse_args()

    queries = []
    for path in sorted(a.queries):
        with open(path, encoding="utf-8") as f:
            queries.append((path.rsplit("/", 1)[-1], f.read()))
    schedule = [(queries[i % len(queries)], i % 2 == 0) for i in range(a.requests)]

    lock = threading.Lock()
    next_index = [0]
    latencies = []  # (name, seconds)
    errors = []  # (name, reason)
    rows = {}

    def take():
        with lock:
            i = next_index[0]
            if i >= len(schedule):
                return None
            next_index[0] = i + 1
            return schedule[i]

    def client():
        while True:
            item = take()
            if item is None:
                return
            (name, text), use_get = item
            headers = {"Accept": "application/sparql-results+json"}
            if use_get:
                rq = urllib.request.Request(
                    a.url + "?" + urllib.parse.urlencode({"query": text}), headers=headers
                )
            else:
                headers["Content-Type"] = "application/sparql-query; charset=utf-8"
                rq = urllib.request.Request(a.url, data=text.encode("utf-8"), headers=headers)
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(rq, timeout=a.timeout) as resp:
                    body = resp.read()
                    status = resp.status
                elapsed = time.perf_counter() - started
                result = json.loads(body)
                n = len(result["results"]["bindings"]) if "results" in result else None
                if status != 200:
                    raise ValueError(f"HTTP {status}")
                with lock:
                    latencies.append((name, elapsed))
                    rows.setdefault(name, n)
                    if rows[name] != n:
                        errors.append((name, f"{n} rows, earlier {rows[name]}"))
            except urllib.error.HTTPError as e:
                with lock:
                    errors.append((name, f"HTTP {e.code}: {e.read()[:200]!r}"))
            except Exception as e:  # connection reset, timeout, bad JSON
                with lock:
                    errors.append((name, f"{type(e).__name__}: {e}"))

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(a.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started

    ms = sorted(s * 1000 for _, s in latencies)
    print(f"requests:    {a.requests} from {a.concurrency} concurrent clients, "
          f"{len(queries)} queries ({', '.join(n for n, _ in queries)})")
    print(f"errors:      {len(errors)}")
    print(f"wall time:   {wall:.2f} s")
    print(f"throughput:  {a.requests / wall:.0f} req/s")
    if ms:
        print(f"latency ms:  p50 {percentile(ms, 50):.1f}  p90 {percentile(ms, 90):.1f}  "
              f"p99 {percentile(ms, 99):.1f}  max {ms[-1]:.1f}  mean {statistics.mean(ms):.1f}")
    by_query = {}
    for name, s in latencies:
        by_query.setdefault(name, []).append(s * 1000)
    for name in sorted(by_query):
        v = sorted(by_query[name])
        print(f"  {name:32} n={len(v):4}  rows={rows.get(name)!s:>4}  "
              f"p50 {percentile(v, 50):6.1f}  p99 {percentile(v, 99):6.1f} ms")
    for name, reason in errors[:10]:
        print(f"error: {name}: {reason}", file=sys.stderr)
    return 1 if errors or len(latencies) != a.requests else 0


if __name__ == "__main__":
    sys.exit(main())
