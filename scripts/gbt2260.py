"""Reading the GB/T 2260 history data (yescallop/areacodes) for gen_places.py and
gen_places_history.py.

The data is a copy of github.com/yescallop/areacodes (CC0 1.0): `result.csv` has one
row per (code, name, parent name) record with its level (省级/地级/县级), status, first
year in use (启用时间, inclusive), year changed/retired (变更/弃用时间, exclusive) and
successor codes (新代码); `data/<year>.txt` is each year's code table as of 31 December.

`pairs()` groups the records by (name, code) and checks every pair against the yearly
tables: the pair is listed in data/<year>.txt exactly in the years its records cover.

Python 3.11, stdlib only.
"""
from __future__ import annotations

import csv
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
# ../shared/data/gbt2260-history relative to the repository root
DEFAULT_SRC = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data",
                                            "gbt2260-history"))
UPSTREAM = "yescallop/areacodes"
UPSTREAM_COMMIT = "eed219a (2025-11-04)"
LICENCE = "CC0 1.0"
FIRST_YEAR, LAST_YEAR = 1981, 2024

# The three columns the division tables have after gen_places.HEADER.
VALIDITY_COLUMNS = ["valid_from", "valid_to", "replaced_by"]


def load_years(src: str) -> dict[int, dict[str, str]]:
    """data/<year>.txt -> {year: {code: name}}; all of FIRST_YEAR..LAST_YEAR required."""
    years: dict[int, dict[str, str]] = {}
    data = os.path.join(src, "data")
    if not os.path.isdir(data):
        sys.exit(f"{data}: not found (GB/T 2260 history data, a copy of {UPSTREAM})")
    for fn in sorted(os.listdir(data)):
        m = re.fullmatch(r"(\d{4})\.txt", fn)
        if not m:
            continue
        table = {}
        with open(os.path.join(data, fn), encoding="utf-8-sig") as f:
            for line in f:
                line = line.strip()
                if line:
                    code, name = line.split(maxsplit=1)
                    table[code] = name
        years[int(m.group(1))] = table
    want = set(range(FIRST_YEAR, LAST_YEAR + 1))
    if set(years) != want:
        sys.exit(f"data/: expected years {FIRST_YEAR}-{LAST_YEAR}, got {sorted(years)}")
    return years


def load_result(src: str) -> list[dict]:
    """result.csv, one dict per record (start inclusive, end exclusive or None = in use)."""
    with open(os.path.join(src, "result.csv"), encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        out.append({
            "code": r["代码"], "name": r["名称"], "level": r["级别"],
            "second": r["二级行政区"], "status": r["状态"],
            "start": int(r["启用时间"]),
            "end": int(r["变更/弃用时间"]) if r["变更/弃用时间"] else None,
            "new": r["新代码"],
        })
    return out


@dataclass
class Pair:
    """All records of one (name, code) pair."""
    name: str
    code: str
    level: str
    recs: list[dict]        # sorted by (start, end)
    start: int              # first year in use
    end: int | None         # first year no longer in use; None = in use in LAST_YEAR
    gap: list[int]          # years between start and end (or today) when not in use

    @property
    def in_use(self) -> bool:
        return self.end is None


def pairs(src: str) -> tuple[dict[int, dict[str, str]], dict[tuple[str, str], Pair]]:
    """(yearly tables, {(name, code): Pair}), cross-checked with data/<year>.txt."""
    years = load_years(src)
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in load_result(src):
        groups[(r["name"], r["code"])].append(r)
    out = {}
    for (name, code), recs in groups.items():
        recs.sort(key=lambda r: (r["start"], r["end"] or 9999))
        level = recs[0]["level"]
        assert all(r["level"] == level for r in recs), (name, code)
        start = recs[0]["start"]
        end = None if any(r["end"] is None for r in recs) else max(r["end"] for r in recs)
        covered = set()
        for r in recs:
            covered.update(range(r["start"], r["end"] or LAST_YEAR + 1))
        # listed in year Y <=> a record covers Y
        listed = {y for y, t in years.items() if t.get(code) == name}
        if listed != covered:
            sys.exit(f"{code} {name}: result.csv years {sorted(covered)} "
                     f"!= data/ years {sorted(listed)}")
        gap = sorted(set(range(start, end or LAST_YEAR + 1)) - covered)
        out[(name, code)] = Pair(name, code, level, recs, start, end, gap)
    return years, out


def fmt_years(ys: list[int]) -> str:
    """[1989, 1990, 1991, 1995] -> '1989-1991, 1995'."""
    out, i = [], 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        out.append(str(ys[i]) if i == j else f"{ys[i]}-{ys[j]}")
        i = j + 1
    return ", ".join(out)


def gap_note(p: Pair) -> str:
    """'井陉矿区 130107: not in use 1989-1991' (for the header comments)."""
    return f"{p.name} {p.code}: not in use {fmt_years(p.gap)}"
