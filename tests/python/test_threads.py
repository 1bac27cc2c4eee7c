"""extract_many: 4 threads give what 1 thread gives, in input order, from any iterable."""

from __future__ import annotations

import threading

from conftest import SAMPLES, SHARED_CORPUS, discover


def _docs():
    root = SHARED_CORPUS if SHARED_CORPUS.is_dir() else SAMPLES
    return [(rel, path.read_bytes()) for rel, path in discover(root)]


def test_four_threads_equal_one(pack):
    docs = _docs()
    one = pack.extract_many(docs, threads=1)
    four = pack.extract_many(docs, threads=4)
    assert one == four
    assert [x["doc"] for x in four] == [d for d, _ in docs]
    assert pack.extract_many_json(docs, threads=4) == pack.extract_many_json(docs, threads=1)
    assert pack.extract_many(iter(docs), threads=None) == one
    # Reversed input, reversed output.
    assert pack.extract_many(list(reversed(docs)), threads=4) == list(reversed(one))
    assert pack.extract_many([]) == []


def test_single_equals_many(pack):
    docs = _docs()[:5]
    assert [pack.extract(t, doc=d) for d, t in docs] == pack.extract_many(docs, threads=2)


def test_gil_released(pack):
    """Python threads run while a batch extracts (the GIL is released inside)."""
    docs = _docs()
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        before = len(ticks)
        for _ in range(3):
            pack.extract_many(docs, threads=1)
        during = len(ticks) - before
    finally:
        stop.set()
        t.join()
    assert during > 10, during


def test_many_python_threads_share_a_pack(pack):
    docs = _docs()[:8]
    expected = pack.extract_many_json(docs)
    results = [None] * 4

    def run(i):
        results[i] = pack.extract_many_json(docs, threads=2)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4
