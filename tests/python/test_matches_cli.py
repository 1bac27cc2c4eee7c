"""Python extraction of every file of samples/ and ../shared/corpus equals `kgx extract`'s
extractions.jsonl line for line, and its RDF equals graph.nq as a set of quads."""

from __future__ import annotations

import json

import pytest

import kgx
from conftest import corpora, discover, reference, run_cli


@pytest.mark.parametrize("corpus", corpora())
def test_lines_equal_cli(corpus, pack, tmp_path_factory):
    name, root = corpus
    ref = reference(name, root, tmp_path_factory)
    cli_lines = (ref / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    files = discover(root)
    assert len(files) == len(cli_lines) > 0
    for (rel, path), line in zip(files, cli_lines):
        raw = path.read_bytes()
        # The raw bytes: decoded as the CLI decodes the file (BOM, UTF-8, GB18030).
        assert pack.extract_json(raw, doc=rel) == line, rel
        assert pack.extract(raw, doc=rel) == json.loads(line), rel
        # A str is its UTF-8 bytes: equal for every file that is plain UTF-8.
        if not raw.startswith(b"\xef\xbb\xbf"):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            assert pack.extract(text, doc=rel) == json.loads(line), rel


@pytest.mark.parametrize("corpus", corpora())
def test_many_and_rdf_equal_cli(corpus, pack, tmp_path_factory):
    name, root = corpus
    ref = reference(name, root, tmp_path_factory)
    docs = [(rel, path.read_bytes()) for rel, path in discover(root)]
    cli_lines = (ref / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    assert pack.extract_many_json(docs) == cli_lines
    assert pack.extract_many(docs) == [json.loads(line) for line in cli_lines]
    quads: set[str] = set()
    for (line, graph, merged), cli in zip(pack.extract_many_rdf(docs), cli_lines):
        assert line == cli
        assert graph.endswith("\n") and (merged == "" or merged.endswith("\n"))
        g = graph.splitlines()
        assert g == sorted(set(g)), "a document's lines are sorted, without duplicates"
        quads.update(g)
        quads.update(merged.splitlines())
    cli_quads = (ref / "graph.nq").read_text(encoding="utf-8").splitlines()
    assert quads == set(cli_quads)


def test_issue_example(pack):
    x = pack.extract("国务院印发《中国制造2025》", doc="a.txt")
    labels = {e["label"]: e["class"] for e in x["entities"]}
    assert labels == {"国务院": "Organization", "中国制造2025": "Document"}
    assert [r["type"] for r in x["relations"]] == ["issued"]
    assert x["doc"] == "a.txt" and x["chars"] == 15


def test_default_doc_is_stdin(pack, tmp_path):
    text = "浙江省人民政府办公厅印发《杭州市数字经济发展三年行动计划》。\n"
    src = tmp_path / "stdin.txt"
    src.write_text(text, encoding="utf-8")
    out = run_cli([src], tmp_path / "out")
    assert pack.extract_json(text) == (out / "extractions.jsonl").read_text().rstrip("\n")


def test_html_by_extension(pack, tmp_path):
    page = "<html><body><p>国务院印发《中国制造2025》</p><script>var x=1;</script></body></html>"
    src = tmp_path / "page.html"
    src.write_text(page, encoding="utf-8")
    out = run_cli([src], tmp_path / "out")
    line = (out / "extractions.jsonl").read_text().rstrip("\n")
    assert pack.extract_json(page, doc="page.html") == line
    assert pack.extract_json(page, doc="page.txt") != line


def test_pack_properties(pack, rules_copy):
    loaded = kgx.RulePack.load(rules_copy)
    assert loaded.hash == pack.hash  # the embedded pack is the repository's rules/
    assert pack.base_iri.startswith("http")
    assert pack.name and pack.version
    assert "kgx.RulePack" in repr(pack)
    assert kgx.RulePack() is not None and kgx.RulePack().hash == pack.hash
