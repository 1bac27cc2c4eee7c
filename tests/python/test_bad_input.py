"""Bad input gives Python exceptions, never a crash: invalid rule files, non-str text, a
50 MB string, NULs, lone surrogates, binary content."""

from __future__ import annotations

import json
import re

import pytest

import kgx
from conftest import run_cli

POSITION = re.compile(r"[^\s:]+\.toml:\d+:\d+: ")


def test_invalid_toml(rules_copy, tmp_path):
    import shutil

    bad = tmp_path / "rules"
    shutil.copytree(rules_copy, bad)
    (bad / "entities" / "zz-broken.toml").write_text(
        '[[entity]]\nid = "x.broken"\nclass = "Place"\npattern = "[unclosed"\n',
        encoding="utf-8",
    )
    with pytest.raises(kgx.RuleError) as info:
        kgx.RulePack.load(bad)
    message = str(info.value)
    assert POSITION.search(message), message
    assert "zz-broken.toml" in message
    assert info.value.errors and info.value.errors[0]["file"].endswith("zz-broken.toml")
    assert info.value.errors[0]["line"] >= 1 and info.value.errors[0]["column"] >= 1
    assert isinstance(info.value, ValueError)


def test_toml_syntax_error(tmp_path):
    d = tmp_path / "rules"
    d.mkdir()
    (d / "pack.toml").write_text('[pack]\nname = "x"\nversion = \n', encoding="utf-8")
    with pytest.raises(kgx.RuleError) as info:
        kgx.RulePack.load(d)
    assert re.search(r"pack\.toml:3:\d+: ", str(info.value)), str(info.value)


def test_no_rules(tmp_path):
    with pytest.raises(FileNotFoundError):
        kgx.RulePack.load(tmp_path / "missing")
    with pytest.raises(kgx.RuleError, match="no \\*.toml rule files"):
        kgx.RulePack.load(tmp_path)


@pytest.mark.parametrize("text", [42, None, ["国务院"], 3.5, object()])
def test_non_str_text(pack, text):
    with pytest.raises(TypeError, match="text must be str or bytes"):
        pack.extract(text, doc="a.txt")
    with pytest.raises(TypeError, match="text must be str or bytes"):
        pack.extract_many([("a.txt", "国务院"), ("b.txt", text)])


def test_bad_doc_names(pack):
    with pytest.raises(TypeError):
        pack.extract("国务院", doc=7)
    with pytest.raises(ValueError):
        pack.extract("国务院", doc="")
    with pytest.raises(TypeError, match=r"docs\[1\]"):
        pack.extract_many([("a.txt", "x"), "not a pair"])
    with pytest.raises(TypeError):
        pack.extract_many(5)


def test_50_mb_string(pack):
    unit = "国务院印发《中国制造2025》。"  # 40 bytes of UTF-8
    text = unit * (50 * 2**20 // 40)
    size = len(text.encode("utf-8"))
    assert size == 50 * 2**20
    with pytest.raises(kgx.InputError, match="max_bytes"):
        pack.extract(text, doc="big.txt")
    with pytest.raises(kgx.InputError):
        pack.extract_many([("big.txt", text)])
    assert pack.extract_many([("big.txt", text), ("a.txt", "国务院")], errors="skip")[0] is None
    with pytest.raises(kgx.InputError):
        pack.extract(text.encode("utf-8"), doc="big.txt")
    # The pack is unharmed, and the limit is the caller's to set.
    assert pack.extract("国务院", doc="a.txt")["entities"]
    with pytest.raises(kgx.InputError):
        pack.extract("国务院印发", doc="a.txt", max_bytes=6)


def test_nuls_as_the_cli_reads_them(pack, tmp_path):
    text = "国务院\0印发《中国制造2025》\0\n"
    src = tmp_path / "nul.txt"
    src.write_bytes(text.encode("utf-8"))
    out = run_cli([src], tmp_path / "out")
    line = (out / "extractions.jsonl").read_text().rstrip("\n")
    assert pack.extract_json(text, doc="nul.txt") == line
    x = json.loads(line)
    assert x["entities"]


def test_mostly_nul_is_binary(pack):
    with pytest.raises(kgx.InputError, match="NUL") as info:
        pack.extract("\0" * 100 + "国务院", doc="n.txt")
    assert info.value.doc == "n.txt"
    with pytest.raises(kgx.InputError, match="binary"):
        pack.extract(b"%PDF-1.7\n...", doc="x.txt")
    with pytest.raises(kgx.InputError, match="GB18030"):
        pack.extract(b"\xff\xfe\xfd" * 10 + b"\x81", doc="x.txt")


@pytest.mark.parametrize("text", ["国务院\ud800印发", "\udfff", "a\ud83d"])
def test_lone_surrogates(pack, text):
    with pytest.raises(ValueError, match="surrogate"):
        pack.extract(text, doc="s.txt")
    with pytest.raises(ValueError, match="surrogate"):
        pack.extract_many([("s.txt", text)])
    with pytest.raises(UnicodeEncodeError):
        pack.extract("\ud800", doc="s\ud800.txt")


def test_bad_arguments(pack):
    with pytest.raises(ValueError, match="threads"):
        pack.extract_many([("a.txt", "x")], threads=0)
    with pytest.raises(OverflowError):
        pack.extract_many([("a.txt", "x")], threads=-1)
    with pytest.raises(ValueError, match="errors"):
        pack.extract_many([("a.txt", "x")], errors="ignore")


def test_skip_keeps_positions(pack):
    out = pack.extract_many(
        [("a.txt", "国务院"), ("b.txt", b"%PDF-1.7"), ("c.txt", "浙江省")], errors="skip"
    )
    assert out[0]["doc"] == "a.txt" and out[1] is None and out[2]["doc"] == "c.txt"
    with pytest.raises(kgx.InputError, match="b.txt"):
        pack.extract_many([("a.txt", "国务院"), ("b.txt", b"%PDF-1.7")])
