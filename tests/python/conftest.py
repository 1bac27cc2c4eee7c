"""Shared helpers of the Python package's tests: the CLI reference, the corpora, file discovery
as `kgx extract` does it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
TEXT_EXTENSIONS = ("txt", "md", "html", "htm", "text")


def kgx_bin() -> Path:
    path = Path(os.environ.get("KGX_BIN", REPO / "target" / "release" / "kgx"))
    if not path.is_file():
        pytest.fail(
            f"{path}: the kgx binary the tests compare with is missing; build it with "
            "`cargo build --release --bin kgx` (scripts/python-test.sh does)"
        )
    return path


def discover(root: Path) -> list[tuple[str, Path]]:
    """(relative path, path) of every text file under root, sorted: `kgx extract root`'s inputs."""
    out = []
    for d, _, files in os.walk(root, followlinks=True):
        for f in files:
            if "." in f and f.rsplit(".", 1)[1].lower() in TEXT_EXTENSIONS:
                p = Path(d) / f
                out.append((p.relative_to(root).as_posix(), p))
    out.sort()
    return out


def run_cli(inputs: list[Path], out: Path, formats: str = "jsonl") -> Path:
    subprocess.run(
        [str(kgx_bin()), "extract", "--quiet", "--force", "--formats", formats,
         "--out", str(out), *map(str, inputs)],
        check=True,
        cwd=REPO,
    )
    return out


_REFERENCES: dict = {}


def reference(name: str, root: Path, tmp_factory) -> Path:
    """`kgx extract --formats jsonl,nq root`, once per session."""
    if name not in _REFERENCES:
        _REFERENCES[name] = run_cli([root], tmp_factory.mktemp(f"cli-{name}"), "jsonl,nq")
    return _REFERENCES[name]


def corpora() -> list:
    """samples/ always; ../shared/corpus when it is beside the clone."""
    params = [pytest.param(("samples", SAMPLES), id="samples")]
    if SHARED_CORPUS.is_dir():
        params.append(pytest.param(("corpus", SHARED_CORPUS), id="shared-corpus"))
    else:
        print(f"note: {SHARED_CORPUS} not beside the clone: only samples/ is compared")
    return params


@pytest.fixture(scope="session")
def pack():
    import kgx

    return kgx.RulePack()


@pytest.fixture(scope="session")
def rules_copy(tmp_path_factory) -> Path:
    dst = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(REPO / "rules", dst)
    return dst
