#!/usr/bin/env python3
"""kgx on Apache Spark: extract a folder or a dataset of documents with the kgx Python package.

Reads every .txt/.md/.html/.htm/.text file under INPUT (recursively; the path relative to INPUT
is each document's name, as for `kgx extract INPUT`), or a Parquet/JSON dataset with a name
column and a text column; extracts each partition with one RulePack (loaded once per executor
process, reused by every task it runs) and writes under OUTPUT:

  extractions/part-*.jsonl  the extractions.jsonl lines of `kgx extract`, one per document
  nquads/part-*.nq          each document's named graph (graph/<doc>), sorted, as in graph.nq
  merged/part-*.nq          the merged graph ({base}merged): every document's facts, once
  failures/                 JSON rows (doc, error) of documents that could not be read, if any

The N-Quads of nquads/ and merged/ together are the quads of `kgx extract --formats nq`'s
graph.nq; the lines of extractions/ are its extractions.jsonl (in `--sorted` mode, part files
concatenated in name order are that file byte for byte).

Local:    spark-submit --master 'local[*]' examples/spark_extract.py ../shared/corpus out/
Cluster:  spark-submit --master yarn --py-files kgx-0.1.0-cp39-abi3-manylinux_2_34_x86_64.whl \\
              examples/spark_extract.py hdfs:///corpus hdfs:///kgx-out
(or install the wheel on every executor with pip). See README.md, "Python and Spark".
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from typing import Iterable, Iterator, Optional
from urllib.parse import unquote

# File extensions `kgx extract` reads when walking folders (kgx_core::input::TEXT_EXTENSIONS).
TEXT_EXTENSIONS = ("txt", "md", "html", "htm", "text")

_PACKS: dict = {}


def _import_kgx():
    """kgx, installed on the executor or shipped by `spark-submit --py-files kgx-….whl`: Python
    cannot load a native module from a zip, so a shipped wheel is unpacked once per machine
    into the temp folder and imported from there."""
    try:
        import kgx

        return kgx
    except ImportError as missing:
        import hashlib
        import tempfile
        import zipfile

        import glob

        places = list(sys.path) + [os.getcwd()]
        try:  # --py-files puts a .whl beside the task's files, not on sys.path
            from pyspark import SparkFiles

            places.append(SparkFiles.getRootDirectory())
        except Exception:  # noqa: BLE001 - outside a task
            pass
        wheels = [p for p in places if p.endswith(".whl") and os.path.isfile(p)]
        wheels += [w for p in places if os.path.isdir(p) for w in glob.glob(os.path.join(p, "*.whl"))]
        wheels = [w for w in wheels if os.path.basename(w).startswith("kgx-")]
        if not wheels:
            raise ImportError(
                "kgx is not installed on this executor: pip install the kgx wheel there, or pass "
                "it with spark-submit --py-files kgx-<version>-cp39-abi3-<platform>.whl"
            ) from missing
        with open(wheels[0], "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:16]
        dest = os.path.join(tempfile.gettempdir(), f"kgx-wheel-{digest}")
        if not os.path.isdir(dest):
            staging = f"{dest}.{os.getpid()}.tmp"
            with zipfile.ZipFile(wheels[0]) as z:
                z.extractall(staging)
            try:
                os.rename(staging, dest)
            except OSError:  # another worker won the race: its copy is the same
                import shutil

                shutil.rmtree(staging, ignore_errors=True)
        sys.path.insert(0, dest)
        for name in [m for m in sys.modules if m == "kgx" or m.startswith("kgx.")]:
            del sys.modules[name]
        import kgx

        return kgx


def _pack(rules: Optional[str]):
    """One RulePack per Python worker process: the default pack, or a rules folder shipped
    with SparkFiles (`--rules`)."""
    kgx = _import_kgx()

    if rules not in _PACKS:
        if rules is None:
            _PACKS[rules] = kgx.RulePack()
        else:
            from pyspark import SparkFiles

            local = rules if os.path.isdir(rules) else SparkFiles.get(rules)
            _PACKS[rules] = kgx.RulePack.load(local)
    return _PACKS[rules]


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    it = iter(rows)
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield chunk


def _has_text_extension(name: str) -> bool:
    return name.rsplit(".", 1)[-1].lower() in TEXT_EXTENSIONS if "." in name else False


def extract_partition(rows, rules: Optional[str], batch: int, threads: int, rdf: bool):
    """mapPartitions: (doc, text) rows in, (doc, jsonl, graph_nq, merged_nq, error) rows out."""
    pack = _pack(rules)
    for chunk in _batches(rows, batch):
        docs = [(doc, bytes(text) if isinstance(text, bytearray) else text) for doc, text in chunk]
        if rdf:
            results = pack.extract_many_rdf(docs, threads=threads, errors="skip")
        else:
            results = [
                None if line is None else (line, None, None)
                for line in pack.extract_many_json(docs, threads=threads, errors="skip")
            ]
        for (doc, text), result in zip(docs, results):
            if result is None:
                # Skipped as `kgx extract` skips it; ask again for the reason.
                try:
                    pack.extract_json(text, doc)
                    reason = "unknown"
                except Exception as e:  # noqa: BLE001 - the reason is the output
                    reason = str(e)
                yield (doc, None, None, None, reason)
            else:
                line, graph, merged = result
                yield (doc, line, graph, merged, None)


def _jvm_path(spark, path: str):
    jvm = spark.sparkContext._jvm
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    fs = hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return jvm, fs, fs.makeQualified(hpath)


def read_files(spark, root: str):
    """(doc, content) of every text file under `root`, named by the path relative to it."""
    _, fs, qroot = _jvm_path(spark, root)
    if fs.getFileStatus(qroot).isFile():
        prefix = qroot.getParent().toString().rstrip("/") + "/"
    else:
        prefix = qroot.toString().rstrip("/") + "/"
    glob = "*.{" + ",".join(
        "".join(f"[{c.lower()}{c.upper()}]" for c in ext) for ext in TEXT_EXTENSIONS
    ) + "}"
    df = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .option("pathGlobFilter", glob)
        .load(root)
        .select("path", "content")
    )

    def rel(path: str) -> str:
        for p in (path, unquote(path)):
            if p.startswith(prefix):
                return p[len(prefix):]
        return path.rsplit("/", 1)[-1]

    return df.rdd.filter(lambda r: _has_text_extension(r[0])).map(
        lambda r: (rel(r[0]), r[1])
    )


def read_dataset(spark, path: str, fmt: str, doc_col: str, text_col: str):
    df = spark.read.format(fmt).load(path)
    missing = [c for c in (doc_col, text_col) if c not in df.columns]
    if missing:
        raise SystemExit(
            f"{path}: no column {', '.join(missing)} (columns: {', '.join(df.columns)}); "
            "pass --doc-column and --text-column"
        )
    return df.select(doc_col, text_col).rdd.map(lambda r: (r[0], r[1]))


def rename_parts(spark, path: str, ext: str) -> None:
    """part-*.txt (Spark's text writer) → part-*.EXT, so loaders that go by extension
    (Virtuoso's ld_dir, rdflib, oxigraph) know the format."""
    jvm, fs, qpath = _jvm_path(spark, path)
    if not fs.exists(qpath):
        return
    for status in fs.listStatus(qpath):
        name = status.getPath().getName()
        if name.startswith("part-") and ".txt" in name:
            fs.rename(status.getPath(), jvm.org.apache.hadoop.fs.Path(qpath, name.replace(".txt", ext, 1)))


def main(argv: Optional[list] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="a folder or file of documents, or a Parquet/JSON dataset")
    ap.add_argument("output", help="output folder (replaced)")
    ap.add_argument("--input-format", choices=["files", "parquet", "json"], default="files")
    ap.add_argument("--doc-column", default="doc", help="dataset column naming each document")
    ap.add_argument(
        "--text-column", default="text", help="dataset column of its text (string or binary)"
    )
    ap.add_argument("--rules", help="a rules folder on the driver (default: kgx's built-in pack)")
    ap.add_argument("--partitions", type=int, help="repartition the documents into N partitions")
    ap.add_argument("--batch", type=int, default=64, help="documents per extract_many call")
    ap.add_argument("--threads", type=int, help="kgx threads per task [default: spark.task.cpus]")
    ap.add_argument("--no-rdf", action="store_true", help="write extractions only")
    ap.add_argument("--sorted", action="store_true", help="order documents by name in the output")
    ap.add_argument("--compression", default="none", help="text codec: none, gzip, bzip2 …")
    ap.add_argument("--master", help="Spark master when not run by spark-submit (e.g. local[2])")
    args = ap.parse_args(argv)

    from pyspark.sql import SparkSession
    from pyspark import StorageLevel

    builder = SparkSession.builder.appName("kgx-extract")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext

    rules = None
    if args.rules:
        sc.addFile(os.path.abspath(args.rules), recursive=True)
        rules = os.path.basename(os.path.abspath(args.rules).rstrip("/"))
    threads = args.threads or int(sc.getConf().get("spark.task.cpus", "1"))

    if args.input_format == "files":
        docs = read_files(spark, args.input)
    else:
        docs = read_dataset(spark, args.input, args.input_format, args.doc_column, args.text_column)
    if args.partitions:
        docs = docs.repartition(args.partitions)

    rdf = not args.no_rdf
    batch, rules_name = args.batch, rules
    out = docs.mapPartitions(
        lambda rows: extract_partition(rows, rules_name, batch, threads, rdf)
    )
    if args.sorted:
        out = out.sortBy(lambda r: r[0])
    out = out.persist(StorageLevel.MEMORY_AND_DISK)

    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType(
        [StructField(n, StringType()) for n in ("doc", "jsonl", "graph", "merged", "error")]
    )
    df = spark.createDataFrame(out, schema)
    ok = df.where(df.error.isNull())
    w = lambda d: d.write.mode("overwrite").option("compression", args.compression)  # noqa: E731
    base = args.output.rstrip("/")
    w(ok.select("jsonl")).text(f"{base}/extractions")
    rename_parts(spark, f"{base}/extractions", ".jsonl")
    if rdf:
        # Each document's lines end in a newline; the text writer adds its own.
        graphs = ok.rdd.map(lambda r: (r.graph[:-1] if r.graph.endswith("\n") else r.graph,))
        w(spark.createDataFrame(graphs, "value string")).text(f"{base}/nquads")
        rename_parts(spark, f"{base}/nquads", ".nq")
        merged = ok.rdd.flatMap(lambda r: r.merged.splitlines()).distinct()
        if args.sorted:
            merged = merged.sortBy(lambda line: line)
        w(spark.createDataFrame(merged.map(lambda line: (line,)), "value string")).text(
            f"{base}/merged"
        )
        rename_parts(spark, f"{base}/merged", ".nq")
    failed = df.where(df.error.isNotNull()).select("doc", "error")
    failures = failed.collect()
    if failures:
        failed.coalesce(1).write.mode("overwrite").json(f"{base}/failures")
        for row in failures[:20]:
            print(f"kgx: skipped {row.doc}: {row.error}", file=sys.stderr)
    done = ok.count()
    print(
        f"kgx: {done} documents extracted, {len(failures)} failed; wrote {base}/",
        file=sys.stderr,
    )
    out.unpersist()
    spark.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
