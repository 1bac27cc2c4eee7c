"""examples/spark_extract.py in local[2] mode gives the lines and quads of `kgx extract`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES, SHARED_CORPUS, discover, reference

EXAMPLE = REPO / "examples" / "spark_extract.py"


def _spark_submit() -> list[str]:
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.fail(
            "no Java runtime for Spark: install one with "
            "`apt-get install openjdk-17-jre-headless` (scripts/python-test.sh does)"
        )
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.fail(
            "pyspark is missing: pip install -r tests/python/requirements.txt into the test venv "
            "(scripts/python-test.sh does)"
        )
    exe = Path(sys.executable).parent / "spark-submit"
    if not exe.exists():
        pytest.fail(f"{exe}: pyspark's spark-submit is missing; reinstall pyspark")
    return [str(exe), "--master", "local[2]", "--conf", "spark.ui.enabled=false"]


def _run(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYSPARK_PYTHON"] = sys.executable
    env["PYSPARK_DRIVER_PYTHON"] = sys.executable
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    env["SPARK_LOCAL_DIRS"] = str(tmp / "spark-local")
    r = subprocess.run(
        [*_spark_submit(), str(EXAMPLE), *args], env=env, capture_output=True, text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stderr[-5000:]
    return r


def _lines(folder: Path, suffix: str) -> list[str]:
    parts = sorted(folder.glob(f"part-*{suffix}"))
    assert parts, f"no part-*{suffix} in {folder}"
    assert not list(folder.glob("part-*.txt")), "part files renamed"
    return [line for p in parts for line in p.read_text(encoding="utf-8").splitlines()]


def test_spark_equals_cli(tmp_path, tmp_path_factory):
    if SHARED_CORPUS.is_dir():
        name, root = "corpus", SHARED_CORPUS
    else:
        print(f"note: {SHARED_CORPUS} not beside the clone: the Spark job reads samples/")
        name, root = "samples", SAMPLES
    ref = reference(name, root, tmp_path_factory)
    out = tmp_path / "out"
    r = _run([str(root), str(out)], tmp_path)
    cli_lines = (ref / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    spark_lines = _lines(out / "extractions", ".jsonl")
    assert len(spark_lines) == len(cli_lines) == len(discover(root))
    assert set(spark_lines) == set(cli_lines)
    quads = _lines(out / "nquads", ".nq") + _lines(out / "merged", ".nq")
    merged = _lines(out / "merged", ".nq")
    assert len(merged) == len(set(merged)), "the merged graph is deduplicated"
    cli_quads = (ref / "graph.nq").read_text(encoding="utf-8").splitlines()
    assert set(quads) == set(cli_quads)
    assert len(quads) == len(cli_quads), "no quad twice"
    # spark-submit passes the driver's stderr on as its stdout.
    assert "documents extracted, 0 failed" in r.stdout + r.stderr


def test_spark_dataset_sorted(tmp_path, tmp_path_factory):
    """A JSON dataset (doc, text) in --sorted mode: the part files, concatenated, are the
    CLI's extractions.jsonl lines of the same documents, in order."""
    ref = reference("samples", SAMPLES, tmp_path_factory)
    dataset = tmp_path / "docs.jsonl"
    names = []
    with dataset.open("w", encoding="utf-8") as f:
        for rel, path in discover(SAMPLES):
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue  # the GBK notice: a str dataset holds UTF-8 text, another sha256
            names.append(rel)
            f.write(json.dumps({"name": rel, "body": text}, ensure_ascii=False) + "\n")
        # A document kgx cannot read is reported and left out, as `kgx extract` skips it.
        f.write(json.dumps({"name": "zz-binary.txt", "body": "\u0000" * 50}) + "\n")
    out = tmp_path / "out"
    env_args = [str(dataset), str(out), "--input-format", "json", "--doc-column", "name",
                "--text-column", "body", "--sorted", "--partitions", "3", "--no-rdf"]
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    r = subprocess.run([*_spark_submit(), str(EXAMPLE), *env_args], env=env,
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 1, r.stderr[-5000:]  # one document failed, as the CLI exits 1
    assert "skipped zz-binary.txt" in r.stdout + r.stderr
    cli = {json.loads(line)["doc"]: line
           for line in (ref / "extractions.jsonl").read_text(encoding="utf-8").splitlines()}
    assert _lines(out / "extractions", ".jsonl") == [cli[n] for n in sorted(names)]
    failures = [json.loads(line) for p in (out / "failures").glob("part-*.json")
                for line in p.read_text().splitlines()]
    assert [f["doc"] for f in failures] == ["zz-binary.txt"]
    assert not (out / "nquads").exists()


def test_spark_wheel_by_py_files(tmp_path, tmp_path_factory):
    """Executors without kgx installed get it from `spark-submit --py-files kgx-….whl`."""
    ref = reference("samples", SAMPLES, tmp_path_factory)
    wheels = sorted((REPO / "python" / "target" / "wheels").glob("kgx-*.whl"))
    if not wheels:
        pytest.fail("no wheel in python/target/wheels: build it with scripts/python-test.sh")
    bare = Path(sys.base_prefix) / "bin" / "python3"  # the interpreter the venv was made from
    env = dict(os.environ, PYSPARK_PYTHON=str(bare), PYSPARK_DRIVER_PYTHON=sys.executable)
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    env["TMPDIR"] = str(tmp_path)  # where the executor unpacks the wheel
    out = tmp_path / "out"
    r = subprocess.run(
        [*_spark_submit(), "--py-files", str(wheels[-1]), str(EXAMPLE), str(SAMPLES), str(out),
         "--no-rdf"],
        env=env, capture_output=True, text=True, timeout=900,
    )
    assert r.returncode == 0, (r.stdout + r.stderr)[-5000:]
    cli = (ref / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    assert set(_lines(out / "extractions", ".jsonl")) == set(cli)
    assert list(tmp_path.glob("kgx-wheel-*")), "the wheel was unpacked on the executor"
