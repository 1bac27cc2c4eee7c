"""Type stubs of kgx's native module (python/src/lib.rs)."""

from os import PathLike
from typing import Any, Iterable, List, Literal, Optional, Tuple, Union

__version__: str
MAX_BYTES: int
"""Documents above this many bytes (16 MiB) are refused unless ``max_bytes`` says otherwise."""

Text = Union[str, bytes, bytearray]
"""A document: a ``str`` (taken as its UTF-8 bytes) or the raw bytes of a file (decoded as
``kgx extract`` decodes files: BOM, UTF-8, GB18030)."""

Extraction = dict[str, Any]
"""One line of extractions.jsonl: doc, sha256, chars, date?, entities, relations,
sentences?, paragraphs?"""

Rdf = Tuple[str, str, str]
"""``(jsonl_line, graph_nquads, merged_nquads)``."""

class RuleError(ValueError):
    """A rule pack that does not load; the message lists every error as file:line:column."""

    errors: List[dict[str, Any]]
    """Every error: file, line, column, rule (or None), message, help (or None)."""

class InputError(ValueError):
    """A document kgx cannot read (binary, undecodable, or above ``max_bytes``)."""

    doc: str

class RulePack:
    """A compiled, validated rule pack; immutable, thread-safe, cheap to share."""

    def __init__(self) -> None:
        """The rule pack built into kgx (written once to ``$XDG_CACHE_HOME/kgx/rules-HASH``)."""
    @staticmethod
    def load(path: Union[str, "PathLike[str]"]) -> "RulePack":
        """Loads a rules folder; raises ``RuleError`` (file:line:column) or FileNotFoundError."""
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def hash(self) -> str:
        """sha256 of the rule files and kgx's output version (``.kgx-rules``)."""
    @property
    def base_iri(self) -> str: ...
    def extract(
        self, text: Text, doc: str = "stdin.txt", *, max_bytes: Optional[int] = ...
    ) -> Extraction:
        """One document's extraction: the extractions.jsonl line ``kgx extract`` writes for a
        file named ``doc`` with these bytes (``.html``/``.htm`` names are read as HTML)."""
    def extract_json(
        self, text: Text, doc: str = "stdin.txt", *, max_bytes: Optional[int] = ...
    ) -> str:
        """``extract`` as the JSON text of the line (no newline)."""
    def extract_rdf(
        self, text: Text, doc: str = "stdin.txt", *, max_bytes: Optional[int] = ...
    ) -> Rdf:
        """The JSON line and the sorted N-Quads of the document's named graph and of its
        facts in the merged graph, as graph.nq holds them."""
    def extract_many(
        self,
        docs: Iterable[Tuple[str, Text]],
        threads: Optional[int] = None,
        *,
        errors: Literal["raise", "skip"] = "raise",
        max_bytes: Optional[int] = ...,
    ) -> List[Optional[Extraction]]:
        """Many ``(doc, text)`` pairs in parallel (GIL released), results in input order;
        ``errors="skip"`` gives None for a document that cannot be read."""
    def extract_many_json(
        self,
        docs: Iterable[Tuple[str, Text]],
        threads: Optional[int] = None,
        *,
        errors: Literal["raise", "skip"] = "raise",
        max_bytes: Optional[int] = ...,
    ) -> List[Optional[str]]:
        """``extract_many`` as JSON lines."""
    def extract_many_rdf(
        self,
        docs: Iterable[Tuple[str, Text]],
        threads: Optional[int] = None,
        *,
        errors: Literal["raise", "skip"] = "raise",
        max_bytes: Optional[int] = ...,
    ) -> List[Optional[Rdf]]:
        """``extract_many`` as ``extract_rdf`` results."""
