#!/usr/bin/env python3
"""Recreate the twelve held-out excerpts from ../shared/corpus (the corpus is not copied into
the repository): each is a run of whole lines from one report, cut at the first line break
after a character offset. Writes set1/, set2/ and set3/ under the folder given (default /tmp/kgx-heldout).

Usage: python3 bench/heldout/excerpts.py [OUT] [--corpus ../shared/corpus]
"""
import argparse
import os

# (set, file name, source under the corpus, start offset in chars, length in chars)
EXCERPTS = [
    ("set1", "h1-1996-report-opening.txt", "gov-work-reports/1996政府工作报告_李鹏.txt", 0, 2600),
    ("set1", "h2-2009-report-middle.txt", "gov-work-reports/2009政府工作报告_温家宝.txt", 9000, 2800),
    ("set1", "h3-hunan-report-2026.txt", "provincial-reports-2026/2026_湖南省_政府工作报告.txt", 0, 2900),
    ("set1", "h4-gansu-report-2026-middle.txt", "provincial-reports-2026/2026_甘肃省_政府工作报告.txt", 12000, 2900),
    ("set2", "h5-1979-report-middle.txt", "gov-work-reports/1979政府工作报告_华国锋.txt", 20000, 2700),
    ("set2", "h6-2004-report-opening.txt", "gov-work-reports/2004政府工作报告_温家宝.txt", 0, 2700),
    ("set2", "h7-fujian-report-2026-middle.txt", "provincial-reports-2026/2026_福建省_政府工作报告.txt", 15000, 2900),
    ("set2", "h8-henan-report-2026-opening.txt", "provincial-reports-2026/2026_河南省_政府工作报告.txt", 0, 2900),
    ("set3", "h9-1986-report-middle.txt", "gov-work-reports/1986政府工作报告_赵紫阳.txt", 15000, 2800),
    ("set3", "h10-2014-report-middle.txt", "gov-work-reports/2014政府工作报告_李克强.txt", 12000, 2800),
    ("set3", "h11-guangxi-report-2026-opening.txt", "provincial-reports-2026/2026_广西壮族自治区_政府工作报告.txt", 0, 2900),
    ("set3", "h12-liaoning-report-2026-middle.txt", "provincial-reports-2026/2026_辽宁省_政府工作报告.txt", 14000, 2900),
]


def cut(text, start, size):
    s = text.find("\n", start) + 1 if start else 0
    e = text.find("\n", s + size)
    return text[s:e if e > 0 else None].strip() + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default="/tmp/kgx-heldout")
    ap.add_argument("--corpus", default=os.path.join(here, "../../../shared/corpus"))
    args = ap.parse_args()
    for folder, name, source, start, size in EXCERPTS:
        with open(os.path.join(args.corpus, source), encoding="utf-8") as f:
            text = f.read()
        os.makedirs(os.path.join(args.out, folder), exist_ok=True)
        with open(os.path.join(args.out, folder, name), "w", encoding="utf-8") as f:
            f.write(cut(text, start, size))
    print(args.out)


if __name__ == "__main__":
    main()
