#!/usr/bin/env python3
"""Generate rules/gazetteers/cn_divisions_history.tsv (former GB/T 2260 divisions, 1981-2024).

Source: yescallop/areacodes (commit eed219a, 2025-11-04, CC0 1.0), a copy of
which lives in ../shared/data/gbt2260-history (relative to the repository root):
`result.csv` has one row per (code, name, parent name) record with its level,
status, first year in use, year changed/retired and successor codes;
`data/<year>.txt` is each year's code table as of 31 December.  Reading and
cross-checking them is done by scripts/gbt2260.py, shared with gen_places.py
(which takes the valid_from years of today's rows from the same data).

The output holds the (name, code) pairs of result.csv that are NOT rows of
today's cn_divisions.tsv: retired codes, former names of codes, and the few
codes in use in GB/T 2260 (2024) that the NBS 2023 table behind
cn_divisions.tsv lacks.  Several records of one (name, code) pair (the same
unit under a renamed parent, or a code used twice by the same unit) become one
row whose validity runs from the first to the last record; the gaps are listed
in the header comment.

Short forms (aliases) and types come from scripts/gen_places.py (imported),
and the alias filters of gen_places.py are applied, plus: an alias that is
the name or an alias of a current division with a different code in
cn_divisions.tsv is dropped.

Python 3.11, stdlib only.

Usage:
    python3 scripts/gen_places_history.py [SRC_DIR] [--current TSV] [--out TSV]
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no scripts/__pycache__ from the imports below
import gbt2260 as gb  # noqa: E402  (reading the history data)
import gen_places as gp  # noqa: E402  (alias and type rules of today's table)

HEADER = gp.HEADER  # the 10 columns of cn_divisions.tsv
assert HEADER[-3:] == gb.VALIDITY_COLUMNS


# ----------------------------------------------------------------- input

def load_current(path: str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("name\t"):
                continue
            fld = line.rstrip("\n").split("\t")
            rows.append({"name": fld[0], "aliases": [a for a in fld[1].split("|") if a],
                         "type": fld[3], "code": fld[4], "parent": fld[5]})
    return rows


# ----------------------------------------------------------------- rules

def successor_codes(new: str) -> list[str]:
    """'130102[2001];130108[2001]' -> ['130102', '130108'] (bracketed years removed)."""
    out = []
    for part in new.split(";"):
        code = re.sub(r"\[\d{4}\]", "", part).strip()
        if code:
            if not re.fullmatch(r"\d{6}", code):
                raise ValueError(f"bad successor code {part!r}")
            if code not in out:
                out.append(code)
    return out


# Short forms of former divisions that are ordinary words, generic names or
# better known as something else (rivers, lakes, mountains, eras); the
# counterpart of gen_places.STOP_SHORT, which is applied as well (at every
# level here: 惠民地区 -> 惠民 is as unsafe as 惠民县 -> 惠民).  Checked by hand,
# and against the 1984-1986 national work reports (动力 in 劳动力, 和安 in 和安全).
HISTORY_STOP = set("""
动力 和安 公园 市郊 露天 小河 北站 半山 桥头 升平 三山 四方 开元 台东 大港
东郊 西郊 南郊 北郊 东市 中市 南市 北市 北城
湘江 北江 清江 汾江 松花江 镜泊湖 鹅湖 燕山
""".split())


def type_and_aliases(name: str, level: str) -> tuple[str, list[str]]:
    """gen_places.py's rules, plus unit kinds that exist only in the past."""
    if level == "省级":
        return "Province", gp.province_aliases(name)
    if level == "地级":
        if name.endswith("行政区"):  # 海南行政区 (1981-1988), prefecture-level
            return "Prefecture", [name[:-3]] if len(name) - 3 >= 2 else []
        return gp.prefecture(name)
    if name.endswith("镇"):  # 畹町镇, a county-level town (1981-1985)
        return "County", [name[:-1]] if len(name) - 1 >= 2 else []
    if name.endswith("工农区") or name.endswith("工矿区"):  # 金口河工农区 -> 金口河
        return "District", [name[:-3]] if len(name) - 3 >= 2 else []
    return gp.county(name)


def parent_code(code: str, level: str, table: dict[str, str]) -> str:
    """Parent as valid in `table` (one year's code table)."""
    if level == "省级":
        return ""
    prov = code[:2] + "0000"
    if level == "县级":
        pref = code[:4] + "00"
        if pref != code and pref in table:
            return pref
    return prov if prov in table else ""


# ----------------------------------------------------------------- build

def build(src: str, current_path: str):
    years, pairs = gb.pairs(src)
    current = load_current(current_path)
    cur_pairs = {(r["name"], r["code"]) for r in current}
    cur_forms: dict[str, set[str]] = defaultdict(set)   # form -> current codes
    for r in current:
        for x in [r["name"], *r["aliases"]]:
            cur_forms[x].add(r["code"])

    stats = Counter()
    notes: list[str] = []
    rows = []
    for (name, code), pair in pairs.items():
        if (name, code) in cur_pairs:
            continue
        recs, level, start, end, in_use = pair.recs, pair.level, pair.start, pair.end, pair.in_use
        if pair.gap:
            notes.append(gb.gap_note(pair))
        last_year = (end - 1) if end else gb.LAST_YEAR
        parent = parent_code(code, level, years[last_year])
        if level != "省级" and not parent:
            sys.exit(f"{code} {name}: no parent in {last_year}")
        last = max(recs, key=lambda r: (r["end"] or 9999))
        if level == "县级":  # cross-check with upstream's parent name (二级行政区)
            want = "直辖" if parent.endswith("0000") else years[last_year][parent]
            if last["second"] != want:
                stats["WARNING parent differs from 二级行政区"] += 1
        replaced = [] if in_use else successor_codes(last["new"])
        # Upstream leaves 新代码 empty (or lists only earlier partial transfers, "x[year]")
        # for most prefecture-level renames (忻县地区 -> 忻州地区, 襄樊市 -> 襄阳市): when the
        # code is in use under another name in the year this pair ends, it is its own successor.
        if (not in_use and end <= gb.LAST_YEAR and code in years[end] and code not in replaced
                and all("[" in c for c in last["new"].split(";") if c)):
            replaced.insert(0, code)
            stats["own code added to replaced_by (rename upstream leaves blank)"] += 1
        typ, cand = type_and_aliases(name, level)
        rows.append({"name": name, "code": code, "level": level, "type": typ,
                     "cand": cand, "parent": parent, "from": start, "to": end,
                     "replaced": replaced, "in_use": in_use})
        stats["in use (not in cn_divisions.tsv)" if in_use else "retired or renamed"] += 1

    dropped = filter_aliases(rows, current, cur_forms)
    rows.sort(key=lambda r: (r["code"], r["from"], r["name"]))
    return rows, dropped, stats, notes


def filter_aliases(rows: list[dict], current: list[dict], cur_forms) -> Counter:
    """gen_places.py's filters, then the current-division clash; returns drop counts."""
    dropped = Counter()
    province_forms = set()
    for r in current:
        if r["type"] == "Province":
            province_forms.update([r["name"], *r["aliases"]])
    for r in rows:
        if r["level"] == "省级":
            province_forms.update([r["name"], *r["cand"]])
    higher = set(province_forms)
    for r in current:
        if r["type"] in ("City", "Prefecture"):
            higher.update([r["name"], *r["aliases"]])
    for r in rows:
        if r["level"] == "地级":
            keep = []
            for x in r["cand"]:
                if x in province_forms or x in gp.PREFECTURE_STOP or x in gp.STOP_SHORT:
                    dropped["gen_places rules"] += 1
                else:
                    keep.append(x)
            r["cand"] = keep
            higher.update([r["name"], *keep])
    county_forms: dict[str, set[str]] = defaultdict(set)
    for r in current:
        if r["type"] not in ("Province", "City", "Prefecture"):
            for x in [r["name"], *r["aliases"]]:
                county_forms[x].add(r["code"])
    for r in rows:
        if r["level"] == "县级":
            for x in [r["name"], *r["cand"]]:
                county_forms[x].add(r["code"])
    for r in rows:
        keep = []
        for x in r["cand"]:
            if len(x) < 2:
                dropped["one character"] += 1
            elif x == r["name"]:
                dropped["gen_places rules"] += 1
            elif r["level"] == "县级" and (
                    x in higher or x in gp.STOP_SHORT or x in gp.ETHNIC
                    or (r["name"].endswith("矿区") and county_forms[x] != {r["code"]})):
                dropped["gen_places rules"] += 1
            elif x in HISTORY_STOP:
                dropped["ordinary word (HISTORY_STOP)"] += 1
            elif cur_forms.get(x, set()) - {r["code"]}:
                dropped["name/alias of a different current division"] += 1
                r.setdefault("clash", []).append((x, sorted(cur_forms[x] - {r["code"]})))
            elif x in keep:
                pass
            else:
                keep.append(x)
        r["aliases"] = keep
    return dropped


# ----------------------------------------------------------------- output

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", nargs="?", default=gb.DEFAULT_SRC,
                    help=f"copy of {gb.UPSTREAM} (default {gb.DEFAULT_SRC})")
    ap.add_argument("--current", default=os.path.join(HERE, "..", "rules", "gazetteers",
                                                      "cn_divisions.tsv"))
    ap.add_argument("--out", default=os.path.join(HERE, "..", "rules", "gazetteers",
                                                  "cn_divisions_history.tsv"))
    args = ap.parse_args()

    rows, dropped, stats, notes = build(args.src, args.current)
    counts = Counter(r["type"] for r in rows)
    table = [[r["name"], "|".join(r["aliases"]), "Place", r["type"], r["code"], r["parent"], "",
              str(r["from"]), "" if r["to"] is None else str(r["to"]), "|".join(r["replaced"])]
             for r in rows]
    seen = set()
    for t in table:
        assert len(t) == len(HEADER)
        assert re.fullmatch(r"\d{6}", t[4]) and (not t[5] or re.fullmatch(r"\d{6}", t[5])), t
        assert not t[8] or int(t[7]) < int(t[8]), t
        assert (t[0], t[4]) not in seen, t
        seen.add((t[0], t[4]))

    comments = [
        "China administrative divisions of the past: GB/T 2260 codes and names of provincial,",
        "prefecture and county level, 1981-2024, that are not rows (same name and code) of",
        "cn_divisions.tsv: retired codes, former names of codes, and the few codes in use in",
        "GB/T 2260 (2024) that the NBS 2023 table lacks (valid_to empty).",
        "valid_from = first year in use, valid_to = first year NOT in use (year changed/retired);",
        "the row is in the code table of 31 December of year Y iff valid_from <= Y < valid_to",
        "(checked against data/<year>.txt), except in the gap years listed at the end of this header.",
        f"valid_from {gb.FIRST_YEAR} = in use in {gb.FIRST_YEAR} (the data start there; often earlier).",
        "replaced_by = successor code(s) (dcterms:isReplacedBy), '|'-separated; it may be the row's",
        "own code (a rename) and may name a code that was itself later retired. Codes upstream",
        "marks with a year ('x[1986]') are parts of the area transferred in that (earlier) year.",
        "Where upstream gives no successor but the code is in use under another name in year",
        "valid_to (prefecture-level renames), replaced_by is the row's own code.",
        "parent = code of the parent division in the table of year valid_to - 1 (2024 if in use):",
        "the prefecture xxxx00 if it existed then, else the province (municipalities and",
        "province-direct counties), as in cn_divisions.tsv.",
        "aliases: short forms by scripts/gen_places.py's rules; a short form that is the name or",
        "an alias of a current division with another code in cn_divisions.tsv is dropped, and so",
        "are ordinary words (gen_places.STOP_SHORT and HISTORY_STOP in the script).",
        f"source: github.com/{gb.UPSTREAM} commit {gb.UPSTREAM_COMMIT}, result.csv and data/<year>.txt",
        f"(copy in /work/shared/data/gbt2260-history); licence: {gb.LICENCE}",
        f"generated: {_dt.date.today().isoformat()} by scripts/gen_places_history.py "
        "(do not edit by hand; rerun the script)",
        "rows: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        "one row per (name, code); where a pair was in use in two spans the row covers both;",
        "the gap years between them (not in use) are:",
        *[f"  {n}" for n in sorted(notes, key=lambda s: s.split()[1])],
    ]
    gp.write_tsv(args.out, comments, HEADER, table)

    print(f"{os.path.basename(args.out)}: {len(table)} rows {dict(sorted(counts.items()))}")
    print(f"  {dict(stats)}")
    print(f"  aliases kept {sum(len(r['aliases']) for r in rows)}, dropped {sum(dropped.values())}: "
          f"{dict(dropped)}")
    print(f"  pairs with a gap in use: {len(notes)}")


if __name__ == "__main__":
    main()
