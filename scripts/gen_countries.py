#!/usr/bin/env python3
"""Generate rules/gazetteers/world.tsv: countries and world regions in Chinese.

Source: the npm package i18n-iso-countries (pinned below, MIT), whose
langs/zh.json maps ISO 3166-1 alpha-2 codes to Simplified Chinese common
names.  Official long names (aliases), canonical-name corrections, historical
states and world regions are hand-written below from general knowledge (PRC
Ministry of Foreign Affairs usage); they are facts, not copied from a
database.

Python 3.11, stdlib only.  The tarball is fetched with `npm pack` in a
temporary directory (or read from --tarball PATH) and checked against the
pinned sha1.

Usage:
    python3 scripts/gen_countries.py [--out DIR] [--tarball FILE]
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile

PKG = "i18n-iso-countries"
VERSION = "7.14.0"
SHA1 = "cd5ae098198bce1cc40cadbf0a37ce6c8e9d0edf"  # dist.shasum on the npm registry
LICENCE = "MIT (Copyright (c) 2016 widdix GmbH)"

HEADER = ["name", "aliases", "class", "type", "code", "parent", "iri"]

# Chinese territories are in cn_divisions.tsv (as provincial units);
# XK (Kosovo) is a user-assigned code and is not recognised by the PRC.
SKIP = {"TW", "HK", "MO", "XK"}

# Canonical-name corrections to the form used in Chinese news / MFA.
CANONICAL = {
    "ID": "印度尼西亚",
    "CF": "中非共和国",     # bare 中非 means China-Africa (中非合作论坛)
    "CD": "刚果民主共和国",
    "CG": "刚果共和国",
    "MN": "蒙古国",
    "EH": "西撒哈拉",
    "CC": "科科斯（基林）群岛",
    "SZ": "斯威士兰",
    "PS": "巴勒斯坦",
    "AX": "奥兰群岛",
    "GG": "根西岛",
    "JE": "泽西岛",
    "RE": "留尼汪",
}

# zh.json names that must NOT become aliases once the canonical name is
# corrected: 中非 = China-Africa; 蒙古 also names the ethnic group / 内蒙古.
DROP_ALIAS = {"中非", "蒙古"}

# Aliases: official long names and standard short forms (never one character).
ALIASES = {
    "CN": "中华人民共和国",
    "US": "美利坚合众国",
    "GB": "大不列颠及北爱尔兰联合王国|联合王国",
    "FR": "法兰西共和国",
    "DE": "德意志联邦共和国|联邦德国|西德",
    "RU": "俄罗斯联邦|俄国",
    "JP": "日本国",
    "KR": "大韩民国|南朝鲜",
    "KP": "朝鲜民主主义人民共和国|北朝鲜",
    "IN": "印度共和国",
    "PK": "巴基斯坦伊斯兰共和国",
    "BD": "孟加拉人民共和国",
    "LK": "斯里兰卡民主社会主义共和国",
    "NP": "尼泊尔联邦民主共和国",
    "BT": "不丹王国",
    "MV": "马尔代夫共和国",
    "AF": "阿富汗伊斯兰共和国",
    "IR": "伊朗伊斯兰共和国",
    "IQ": "伊拉克共和国",
    "SY": "叙利亚阿拉伯共和国",
    "SA": "沙特阿拉伯王国|沙特",
    "AE": "阿拉伯联合酋长国",
    "QA": "卡塔尔国",
    "KW": "科威特国",
    "BH": "巴林王国",
    "OM": "阿曼苏丹国",
    "YE": "也门共和国",
    "JO": "约旦哈希姆王国",
    "LB": "黎巴嫩共和国",
    "IL": "以色列国",
    "PS": "巴勒斯坦国",
    "TR": "土耳其共和国",
    "EG": "阿拉伯埃及共和国",
    "LY": "利比亚国",
    "TN": "突尼斯共和国",
    "DZ": "阿尔及利亚民主人民共和国",
    "MA": "摩洛哥王国",
    "SD": "苏丹共和国",
    "SS": "南苏丹共和国",
    "ET": "埃塞俄比亚联邦民主共和国",
    "ER": "厄立特里亚国",
    "DJ": "吉布提共和国",
    "SO": "索马里联邦共和国",
    "KE": "肯尼亚共和国",
    "TZ": "坦桑尼亚联合共和国",
    "UG": "乌干达共和国",
    "RW": "卢旺达共和国",
    "BI": "布隆迪共和国",
    "CD": "刚果（金）|民主刚果",
    "CG": "刚果（布）",
    "CF": "",
    "CM": "喀麦隆共和国",
    "NG": "尼日利亚联邦共和国",
    "GH": "加纳共和国",
    "CI": "科特迪瓦共和国",
    "SN": "塞内加尔共和国",
    "ML": "马里共和国",
    "NE": "尼日尔共和国",
    "TD": "乍得共和国",
    "AO": "安哥拉共和国",
    "ZM": "赞比亚共和国",
    "ZW": "津巴布韦共和国",
    "MZ": "莫桑比克共和国",
    "MW": "马拉维共和国",
    "MG": "马达加斯加共和国",
    "NA": "纳米比亚共和国",
    "BW": "博茨瓦纳共和国",
    "ZA": "南非共和国",
    "LS": "莱索托王国",
    "SZ": "斯威士兰王国|埃斯瓦蒂尼|埃斯瓦蒂尼王国",
    "GA": "加蓬共和国",
    "GQ": "赤道几内亚共和国",
    "GN": "几内亚共和国",
    "SL": "塞拉利昂共和国",
    "LR": "利比里亚共和国",
    "TG": "多哥共和国",
    "BJ": "贝宁共和国",
    "BF": "布基纳法索",
    "MR": "毛里塔尼亚伊斯兰共和国",
    "MU": "毛里求斯共和国",
    "SC": "塞舌尔共和国",
    "KM": "科摩罗联盟",
    "CV": "佛得角共和国",
    "ST": "圣多美和普林西比民主共和国",
    "VN": "越南社会主义共和国",
    "LA": "老挝人民民主共和国|寮国",
    "KH": "柬埔寨王国",
    "TH": "泰王国",
    "MM": "缅甸联邦共和国",
    "MY": "",
    "SG": "新加坡共和国",
    "ID": "印尼|印度尼西亚共和国",
    "PH": "菲律宾共和国",
    "BN": "文莱达鲁萨兰国",
    "TL": "东帝汶民主共和国",
    "MN": "",
    "KZ": "哈萨克斯坦共和国",
    "KG": "吉尔吉斯共和国|吉尔吉斯",
    "TJ": "塔吉克斯坦共和国",
    "UZ": "乌兹别克斯坦共和国",
    "TM": "",
    "AZ": "阿塞拜疆共和国",
    "AM": "亚美尼亚共和国",
    "BY": "白俄罗斯共和国",
    "UA": "",
    "MD": "摩尔多瓦共和国",
    "PL": "波兰共和国",
    "CZ": "捷克共和国",
    "SK": "斯洛伐克共和国",
    "HU": "",
    "RO": "",
    "BG": "保加利亚共和国",
    "RS": "塞尔维亚共和国",
    "HR": "克罗地亚共和国",
    "SI": "斯洛文尼亚共和国",
    "BA": "波斯尼亚和黑塞哥维那",
    "ME": "",
    "MK": "北马其顿共和国|马其顿",
    "AL": "阿尔巴尼亚共和国",
    "GR": "希腊共和国",
    "CY": "塞浦路斯共和国",
    "MT": "马耳他共和国",
    "IT": "意大利共和国",
    "ES": "西班牙王国",
    "PT": "葡萄牙共和国",
    "NL": "荷兰王国",
    "BE": "比利时王国",
    "LU": "卢森堡大公国",
    "AT": "奥地利共和国",
    "CH": "瑞士联邦",
    "LI": "列支敦士登公国",
    "MC": "摩纳哥公国",
    "AD": "安道尔公国",
    "SM": "圣马力诺共和国",
    "VA": "梵蒂冈城国|教廷",
    "IE": "爱尔兰共和国",
    "DK": "丹麦王国",
    "NO": "挪威王国",
    "SE": "瑞典王国",
    "FI": "芬兰共和国",
    "IS": "",
    "EE": "爱沙尼亚共和国",
    "LV": "拉脱维亚共和国",
    "LT": "立陶宛共和国",
    "CA": "",
    "MX": "墨西哥合众国",
    "CU": "古巴共和国",
    "BR": "巴西联邦共和国",
    "AR": "阿根廷共和国",
    "CL": "智利共和国",
    "PE": "秘鲁共和国",
    "CO": "哥伦比亚共和国",
    "VE": "委内瑞拉玻利瓦尔共和国",
    "EC": "厄瓜多尔共和国",
    "BO": "多民族玻利维亚国",
    "PY": "巴拉圭共和国",
    "UY": "乌拉圭东岸共和国",
    "GY": "圭亚那合作共和国",
    "SR": "苏里南共和国",
    "PA": "巴拿马共和国",
    "CR": "哥斯达黎加共和国",
    "NI": "尼加拉瓜共和国",
    "HN": "洪都拉斯共和国",
    "SV": "萨尔瓦多共和国",
    "GT": "危地马拉共和国",
    "DO": "多米尼加共和国",
    "DM": "多米尼克国",
    "HT": "海地共和国",
    "JM": "",
    "TT": "特立尼达和多巴哥共和国",
    "AU": "澳大利亚联邦",
    "NZ": "",
    "PG": "巴布亚新几内亚独立国|巴新",
    "FJ": "斐济共和国",
    "WS": "萨摩亚独立国",
    "TO": "汤加王国",
    "VU": "瓦努阿图共和国",
    "SB": "",
    "KI": "基里巴斯共和国",
    "FM": "",
    "NR": "瑙鲁共和国",
    "FK": "马尔维纳斯群岛",
}

# Territories that are not UN members but are treated as countries in PRC usage.
FORCE_COUNTRY = {"PS", "CK", "NU", "VA"}
# Dependent territories (type Region instead of Country).
DEPENDENT = {"AI", "AS", "AW", "AX", "BL", "BM", "BQ", "BV", "CC", "CW", "CX",
             "EH", "FK", "FO", "GF", "GG", "GI", "GL", "GP", "GS", "GU", "HM",
             "IM", "IO", "JE", "KY", "MF", "MP", "MQ", "MS", "NC", "NF", "PF",
             "PM", "PN", "PR", "RE", "SH", "SJ", "SX", "TC", "TF", "TK", "UM",
             "VG", "VI", "WF", "YT"}

# Historical states that appear in older government work reports.
HISTORICAL = [
    ("苏联", "苏维埃社会主义共和国联盟", "Country", "SU"),
    ("南斯拉夫", "南斯拉夫社会主义联邦共和国|南斯拉夫联盟共和国", "Country", "YU"),
    ("捷克斯洛伐克", "捷克斯洛伐克社会主义共和国", "Country", "CS"),
    ("民主德国", "德意志民主共和国|东德", "Country", "DD"),
]

# World regions (hand-written).  东盟 and 欧盟 are organisations: they live
# in cn_organizations.tsv as InternationalOrganization.
REGIONS = [
    ("亚洲", "亚细亚洲", "AS"), ("欧洲", "欧罗巴洲", "EU"), ("非洲", "阿非利加洲", "AF"),
    ("北美洲", "北美", "NA"), ("南美洲", "南美", "SA"), ("大洋洲", "", "OC"),
    ("南极洲", "", "AN"), ("拉丁美洲", "拉美", ""), ("拉丁美洲和加勒比", "拉美和加勒比|拉美和加勒比地区", ""),
    ("中美洲", "", ""), ("加勒比地区", "加勒比", ""),
    ("东亚", "东亚地区", ""), ("东北亚", "东北亚地区", ""), ("东南亚", "东南亚地区", ""),
    ("南亚", "南亚地区|南亚次大陆", ""), ("中亚", "中亚地区", ""), ("西亚", "西亚地区", ""),
    ("中东", "中东地区", ""), ("海湾地区", "", ""), ("西亚北非", "", ""),
    ("北非", "", ""), ("西非", "", ""), ("东非", "", ""), ("南部非洲", "", ""), ("中部非洲", "", ""),
    ("撒哈拉以南非洲", "", ""), ("萨赫勒地区", "萨赫勒", ""),
    ("西欧", "", ""), ("东欧", "", ""), ("北欧", "", ""), ("南欧", "", ""), ("中欧", "", ""),
    ("中东欧", "中东欧地区", ""), ("巴尔干", "巴尔干地区|巴尔干半岛", ""),
    ("亚太", "亚太地区|亚洲太平洋地区", ""), ("亚欧", "欧亚|亚欧大陆|欧亚大陆", ""),
    ("印太", "印太地区", ""), ("南太平洋", "南太平洋地区|南太", ""),
    ("太平洋岛国", "太平洋岛国地区", ""), ("北极", "北极地区", ""),
    ("朝鲜半岛", "", ""), ("中南半岛", "印度支那", ""), ("阿拉伯半岛", "", ""),
]


def fetch_tarball(dest: str) -> str:
    out = subprocess.run(["npm", "pack", f"{PKG}@{VERSION}", "--silent"],
                         cwd=dest, check=True, capture_output=True, text=True)
    return os.path.join(dest, out.stdout.strip().splitlines()[-1])


def load(tarball: str) -> dict:
    h = hashlib.sha1(open(tarball, "rb").read()).hexdigest()
    if h != SHA1:
        sys.exit(f"sha1 mismatch for {tarball}: {h} != {SHA1}")
    with tarfile.open(tarball, "r:gz") as tf:
        pj = json.load(tf.extractfile("package/package.json"))
        zh = json.load(tf.extractfile("package/langs/zh.json"))
    if pj["version"] != VERSION:
        sys.exit("unexpected package version")
    return zh["countries"]


def split_aliases(s: str, name: str) -> list[str]:
    out = []
    for a in s.split("|"):
        a = a.strip()
        if a and a != name and len(a) >= 2 and a not in out:
            out.append(a)
    return out


def build(zh: dict) -> list[list[str]]:
    rows = []
    for code, v in sorted(zh.items()):
        if code in SKIP:
            continue
        names = v if isinstance(v, list) else [v]
        name = CANONICAL.get(code, names[0])
        aliases = [a for a in split_aliases(
            "|".join(names[1:] + [names[0]] + [ALIASES.get(code, "")]), name)
            if a not in DROP_ALIAS]
        if code == "AQ":
            typ = "WorldRegion"
        elif code in DEPENDENT and code not in FORCE_COUNTRY:
            typ = "Region"
        else:
            typ = "Country"
        rows.append([name, "|".join(aliases), "Place", typ, code, "", ""])
    for name, al, typ, code in HISTORICAL:
        rows.append([name, "|".join(split_aliases(al, name)), "Place", typ, code, "", ""])
    for name, al, _cont in REGIONS:
        if name == "南极洲":
            continue  # already present from ISO code AQ
        rows.append([name, "|".join(split_aliases(al, name)), "Place", "WorldRegion", "", "", ""])
    # sanity: unique names, no duplicate surface forms across rows
    seen: dict[str, str] = {}
    for r in rows:
        for form in [r[0], *filter(None, r[1].split("|"))]:
            if form in seen:
                sys.exit(f"surface form {form} on both {seen[form]} and {r[0]}")
            seen[form] = r[0]
            if len(form) < 2:
                sys.exit(f"single-character form {form}")
    return rows


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(here, "..", "rules", "gazetteers"))
    ap.add_argument("--tarball", help="use this i18n-iso-countries tarball instead of npm pack")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        zh = load(args.tarball or fetch_tarball(tmp))
    rows = build(zh)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[3]] = counts.get(r[3], 0) + 1
    today = _dt.date.today().isoformat()
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "world.tsv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for c in [
            "Countries, dependent territories and world regions, Simplified Chinese.",
            "code = ISO 3166-1 alpha-2 (historical states: ISO 3166-3 alpha-2 of the",
            "former code, e.g. SU); 台湾/香港/澳门 are in cn_divisions.tsv; 东盟/欧盟 are in",
            "cn_organizations.tsv.  No single-character aliases (中/美/英/日 ...).",
            f"source: npm package {PKG}@{VERSION} (sha1 {SHA1}), langs/zh.json",
            f"licence: {LICENCE}; aliases, corrections, historical states and regions hand-written",
            f"generated: {today} by scripts/gen_countries.py (do not edit by hand; rerun the script)",
            "rows: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        ]:
            f.write(("# " + c).rstrip() + "\n")
        f.write("\t".join(HEADER) + "\n")
        for r in rows:
            assert all("\t" not in x and "\n" not in x for x in r)
            f.write("\t".join(r) + "\n")
    print(f"world.tsv: {len(rows)} rows {counts}")


if __name__ == "__main__":
    main()
