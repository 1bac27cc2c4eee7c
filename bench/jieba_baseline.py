"""The peer baseline of bench/run.sh: jieba.posseg part-of-speech tagging of the same files.

What a user would otherwise reach for to find places, organisations and names in Chinese text
(words tagged ns, nt, nr ...). Reads every .txt/.md/.html/.htm file under the given paths
(UTF-8, UTF-8/UTF-16 with BOM, else GB18030, like kgx), tags the whole text with
jieba.posseg (default HMM on) and counts tokens and ns/nt/nr words so the work cannot be
skipped. HTML is tagged as is (the bench corpus has none).

usage: python jieba_baseline.py [--procs N] PATH...

--procs N tags files in N worker processes (default 1). Each worker loads jieba's dictionary
once; CPU seconds, measured by the caller with /usr/bin/time, include every worker.
"""

import argparse
import os
import sys
import time

EXTENSIONS = (".txt", ".md", ".html", ".htm")


def discover(paths):
    found = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, names in os.walk(p):
                found.extend(os.path.join(root, n) for n in names if n.lower().endswith(EXTENSIONS))
        else:
            found.append(p)
    return sorted(found)


def decode(data):
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def init():
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()


def tag(path):
    import jieba.posseg as pseg

    with open(path, "rb") as f:
        data = f.read()
    tokens = named = 0
    for pair in pseg.cut(decode(data)):
        tokens += 1
        if pair.flag in ("ns", "nt", "nr", "nz"):
            named += 1
    return len(data), tokens, named


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--procs", type=int, default=1)
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    started = time.perf_counter()
    files = discover(args.paths)
    if args.procs > 1:
        from multiprocessing import Pool

        with Pool(args.procs, initializer=init) as pool:
            results = list(pool.imap_unordered(tag, files, chunksize=1))
    else:
        init()
        results = [tag(f) for f in files]
    seconds = time.perf_counter() - started
    size = sum(r[0] for r in results)
    print(
        f"jieba.posseg: {len(results)} documents, {size / 1e6:.2f} MB, "
        f"{sum(r[1] for r in results)} tokens, {sum(r[2] for r in results)} ns/nt/nr/nz words, "
        f"{seconds:.2f} s, {size / 1e6 / max(seconds, 1e-9):.2f} MB/s"
    )


if __name__ == "__main__":
    sys.exit(main())
