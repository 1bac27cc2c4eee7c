"""kgx for Python: Chinese policy text to a knowledge graph.

>>> import kgx
>>> pack = kgx.RulePack()                      # the rule pack built into kgx
>>> x = pack.extract("国务院印发《中国制造2025》", doc="a.txt")
>>> [(e["class"], e["label"]) for e in x["entities"]]
[('Organization', '国务院'), ('Document', '中国制造2025')]

Each extraction is one line of the extractions.jsonl that ``kgx extract`` writes (same keys,
offsets and IRIs for the same bytes and document name). ``RulePack.extract_many`` extracts
many documents in parallel with the GIL released; ``to_frames`` turns extractions into pandas
DataFrames (``pip install ./python[pandas]``).
"""

from ._kgx import MAX_BYTES, InputError, RuleError, RulePack, __version__
from ._frames import Frames, to_frames

__all__ = [
    "RulePack",
    "RuleError",
    "InputError",
    "MAX_BYTES",
    "Frames",
    "to_frames",
    "__version__",
]
