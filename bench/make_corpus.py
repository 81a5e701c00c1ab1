"""Synthetic corpus for the scale benchmark (DESIGN.md "Scale", issue 6 item 2): report-sized documents built
from the seeds' sentence patterns (bench/corpus_templates.toml) with varied places, years, figures, layouts and
encodings, and the seeds' kinds of defects injected at documented rates. Deterministic for a given seed.

    python bench/make_corpus.py N OUT [--seed S]

writes OUT/c000000_<pinyin>_<year>.txt ... and OUT/manifest.csv, one document at a time (bounded memory).
"""
from __future__ import annotations

import argparse
import codecs
import csv
import random
import re
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

TEMPLATES = Path(__file__).resolve().with_name("corpus_templates.toml")

# Mix per block of BLOCK consecutive documents (shuffled inside the block): every block holds every value.
BLOCK = 20
GENRE_QUOTA = {"work_report": 14, "press_digest": 4, "proposal_digest": 2}
LAYOUT_QUOTA = {"markdown": 5, "numbered": 6, "parts": 5, "plain": 4}
ENCODING_QUOTA = {"utf-8": 14, "gb18030": 3, "utf-16": 2, "big5": 1}
UTF8_BOM_SHARE = 0.1         # UTF-8 documents written with a BOM (utf-8-sig)
TRADITIONAL_SHARE = 0.03     # non-Big5 documents written entirely in traditional characters
TERM_SHARE = 0.15            # work reports reviewing a five-year term (figures scaled by TERM_SCALE)
TERM_SCALE = 4
PLACE_KIND = (("cities", 0.85), ("provinces", 0.08), ("counties", 0.07))
YEARS = (2015, 2025)         # reviewed year; the report is delivered the year after
CHARS = (2700, 7300)         # target length in characters (5-25 kB in every encoding)
TEMPLATE_REUSE = 4           # a sentence template fills at most this many sentences of one document
# Defects: kind -> (share of documents that get it, fewest, most occurrences). page_break_split includes
# a page-number line ("- 5 -") between the halves with probability PAGE_NUMBER_SHARE; width_mix covers the
# whole document with probability WIDTH_WHOLE_SHARE, else a few paragraphs.
DEFECT_RATES = {
    "page_break_split": (0.5, 1, 4),
    "traditional_char": (0.3, 1, 3),
    "width_mix": (0.3, 1, 3),
    "duplicated_sentence": (0.2, 1, 1),
    "english_intrusion": (0.2, 1, 2),
    "misplaced_heading": (0.1, 1, 1),
    "typo": (0.25, 1, 2),
    "duplicated_char": (0.25, 1, 3),
}
PAGE_NUMBER_SHARE = 0.4
WIDTH_WHOLE_SHARE = 0.35
CN = "一二三四五六七八九十"
MANIFEST_FIELDS = ["file", "genre", "encoding", "layout", "script", "place", "province", "year", "period",
                   "n_chars", "n_bytes", "figures", "defects"]
_SLOT = re.compile(r"\{(\w+)\}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def cn_numeral(n: int) -> str:
    """1..99 as a Chinese numeral (一, 十二, 二十三)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CN[tens - 1]) + "十" if tens else "") + (CN[ones - 1] if ones else "")


_OPENCC: dict = {}


def s2t(text: str, config: str = "s2t") -> str:
    """Traditional characters: "s2t" (OpenCC standard forms, e.g. 爲 as in seed 001) or "s2tw" (Taiwan forms,
    all encodable in Big5)."""
    if config not in _OPENCC:
        import opencc
        _OPENCC[config] = opencc.OpenCC(config)
    return _OPENCC[config].convert(text)


@dataclass
class Block:
    kind: str          # title subtitle dateline byline p key h1 h2 sig pagenum
    text: str
    num: int = 0       # position of a heading among its siblings (1-based)
    keep: bool = False  # a heading kept as a line even in the plain layout (proposal titles)
    cont: bool = False  # continuation of a paragraph split by a page break (no indent)


@dataclass
class Doc:
    rng: random.Random
    vocab: dict
    ctx: dict
    used: set = field(default_factory=set)
    uses: dict = field(default_factory=dict)

    def fill(self, template: str) -> str:
        def one(m: re.Match) -> str:
            v = self.slot(m.group(1))
            # a figure before 余 (approximate count) is a round number: 3000余, 1100余
            if template.startswith("余", m.end()) and v.isdigit() and int(v) >= 100:
                v = str(int(v) // 100 * 100 if int(v) >= 1000 else int(v) // 10 * 10)
            return v
        return _SLOT.sub(one, template)

    def slot(self, name: str) -> str:
        v, pools = self.vocab, self.vocab["pools"]
        if name in self.ctx:
            return str(self.ctx[name])
        if name in pools:
            return self.rng.choice(pools[name])
        if name == "person":
            return self.rng.choice(v["names"]["surnames"]) + "".join(
                self.rng.choice(v["names"]["given"]) for _ in range(self.rng.choice((1, 2))))
        if name == "law":
            name_ = self.rng.choice(pools["law_topic"]) + self.rng.choice(v["laws"]["suffix"])
            style = self.rng.random()
            if style < 0.5:
                return f"《{self.ctx['place']}{name_}》"
            return name_ if style < 0.8 else self.ctx["place"] + name_
        if name == "lawdone":
            return self.fill(self.rng.choice(v["laws"]["done"]))
        if name == "lawplan":
            return self.fill(self.rng.choice(v["laws"]["plan"]))
        raise KeyError(f"unknown template slot {{{name}}}")

    def sentence(self, pool: list[str], tries: int = 6) -> str | None:
        """A filled template of ``pool`` not yet used in this document, or None."""
        for _ in range(tries):
            tpl = self.rng.choice(pool)
            if self.uses.get(tpl, 0) >= TEMPLATE_REUSE:
                continue
            s = self.fill(tpl)
            if s not in self.used:
                self.used.add(s)
                self.uses[tpl] = self.uses.get(tpl, 0) + 1
                return s
        return None


def load_vocab(path: Path = TEMPLATES) -> dict:
    with open(path, "rb") as f:
        v = tomllib.load(f)
    v["places"] = {k: [tuple(e.split("|")) for e in lst] for k, lst in v["places"].items()}
    return v


def _quota(rng: random.Random, quota: dict[str, int]) -> list[str]:
    items = [k for k, n in quota.items() for _ in range(n)]
    rng.shuffle(items)
    return items


def _context(rng: random.Random, vocab: dict, genre: str) -> dict:
    r, kinds = rng.random(), PLACE_KIND
    kind = next((k for k, share in kinds if (r := r - share) < 0), kinds[-1][0])
    place, province, pinyin = rng.choice(vocab["places"][kind])
    lvl = {"provinces": "省" if place.endswith("省") else "自治区"}.get(kind) or ("县" if place.endswith("县") else "市")
    year = rng.randint(*YEARS)
    term = genre == "work_report" and rng.random() < TERM_SHARE
    scale = TERM_SCALE if term else 1
    ctx = {"place": place, "province": province, "pinyin": pinyin, "lvl": lvl, "year": year, "next": year + 1,
           "lead": rng.choice(["本届以来", "过去五年"] if term else ["一年来", "过去一年", f"{year}年"]),
           "month": rng.randint(1, 2), "day": rng.randint(5, 28), "term": cn_numeral(rng.randint(12, 16)),
           "sitting": cn_numeral(rng.randint(1, 5) if not term else 1), "period": "term" if term else "past_year"}
    for name, (lo, hi) in vocab["figures"].items():
        ctx[name] = rng.randint(lo, hi) * (scale if not name.startswith("plan_") else 1)
    return ctx


# ---------------------------------------------------------------- document bodies (lists of blocks)

REVIEW_SECTIONS = ("politics", "legislation", "oversight", "decisions", "deputies", "self")


def _grow(doc: Doc, sections: list[tuple[list[Block], list[str]]], target: int, size: int) -> int:
    """Add template sentences round-robin to the sections' paragraphs until ``size`` reaches ``target``."""
    rng, live = doc.rng, list(range(len(sections)))
    while size < target and live:
        k = live[rng.randrange(len(live))]
        blocks, pool = sections[k]
        s = doc.sentence(pool)
        if s is None:
            live.remove(k)
            continue
        last = blocks[-1]
        if last.kind != "p" or last.text.count("。") >= rng.randint(3, 6):
            blocks.append(Block("p", s))
        else:
            last.text += s
        size += len(s)
    return size


def work_report(doc: Doc, target: int) -> list[Block]:
    v, ctx, rng = doc.vocab, doc.ctx, doc.rng
    t = v["text"]
    head = [Block("title", doc.fill(t["title_report"][0])), Block("dateline", doc.fill(t["dateline"])),
            Block("byline", doc.fill(t["byline"]))] + [Block("p", doc.fill(s)) for s in t["opening"]]
    review_title = rng.choice(v["heads"]["review_term" if ctx["period"] == "term" else "review"])
    review = [Block("h1", doc.fill(review_title), 1), Block("key", doc.fill(rng.choice(t["overview"])))]
    sections = []
    for k, name in enumerate(REVIEW_SECTIONS, 1):
        blocks = [Block("h2", doc.fill(rng.choice(v["heads"][name])), k)]
        sections.append((blocks, v["sentences"][name]))
    n_plan = rng.randint(3, 5)
    plan_heads = rng.sample(v["heads"]["plan_sub"], n_plan)
    plan_secs = [([Block("h2", doc.fill(h), k)], v["sentences"]["plan"]) for k, h in enumerate(plan_heads, 1)]
    closing = [Block("p", doc.fill(s)) for s in t["closing"][:2]]
    ending = [Block("p", doc.fill(t["closing"][2]))]
    size = sum(len(b.text) for b in head + review + closing + ending)
    plan_share = int(target * 0.8)
    size = _grow(doc, sections, plan_share, size)
    size = _grow(doc, plan_secs, target, size)
    _grow(doc, sections, target, size)
    out = head + review
    for blocks, _ in sections:
        out += [b for b in blocks if b.kind != "h2" or len(blocks) > 1]
    out += closing + [Block("h1", doc.fill(rng.choice(v["heads"]["plan"])), 2)]
    for blocks, _ in plan_secs:
        out += [b for b in blocks if b.kind != "h2" or len(blocks) > 1]
    return out + ending


def _proposal(doc: Doc, num: int, kind: str) -> list[Block]:
    v, rng = doc.vocab, doc.rng
    s = v["sentences"]
    topic = rng.choice(v["pools"]["dev_topic"])
    doc.ctx["dev_topic"] = topic  # one topic per proposal
    title = doc.fill(rng.choice(s["proposal_title"]))
    blocks = [Block(kind, title, num, keep=True), Block("p", doc.fill(rng.choice(s["proposal_problem"])))]
    recs = rng.sample(s["proposal_rec"], rng.randint(3, 6))
    if rng.random() < 0.5:
        body = "；".join(v["pools"]["ordinal"][i] + doc.fill(r) for i, r in enumerate(recs)) + "。"
        blocks.append(Block("p", doc.fill(rng.choice(s["proposal_lead"])) + body))
    else:
        blocks.append(Block("p", doc.fill(rng.choice(s["proposal_lead"])) + doc.fill(recs[0]) + "。"))
        blocks += [Block("p", doc.fill(r) + "。") for r in recs[1:]]
    del doc.ctx["dev_topic"]
    return blocks


def press_digest(doc: Doc, target: int) -> list[Block]:
    v, rng = doc.vocab, doc.rng
    t = v["text"]
    out = [Block("title", doc.fill(rng.choice(t["title_digest"]))),
           Block("subtitle", doc.fill(rng.choice(t["subtitle_digest"]))),
           Block("key", doc.fill(rng.choice(t["overview"])))]
    with_proposals = rng.random() < 0.4
    names = sorted(rng.sample(REVIEW_SECTIONS, rng.randint(4, 6)), key=REVIEW_SECTIONS.index)
    sections = [([Block("h1", doc.fill(rng.choice(v["heads"][n])), k)], v["sentences"][n])
                for k, n in enumerate(names, 1)]
    plan = [([Block("h1", f"{doc.ctx['next']} " + doc.fill(rng.choice(v["heads"]["plan_sub"])), len(names) + 1)],
             v["sentences"]["plan"])]
    size = sum(len(b.text) for b in out)
    body_target = int(target * (0.7 if with_proposals else 1.0))
    size = _grow(doc, sections, int(body_target * 0.8), size)
    size = _grow(doc, plan, body_target, size)
    for blocks, _ in sections + plan:
        out += [b for b in blocks if b.kind != "h1" or len(blocks) > 1]
    out.append(Block("sig", doc.fill(rng.choice(t["reporter"]))))
    if with_proposals:
        out.append(Block("h1", rng.choice(v["heads"]["proposals_part"]), len(names) + 2, keep=True))
        k = 1
        while size < target and k <= 6:
            blocks = _proposal(doc, k, "h2")
            out += blocks
            size += sum(len(b.text) for b in blocks)
            k += 1
        out.append(Block("sig", doc.fill(rng.choice(t["reporter"]))))
    return out


def proposal_digest(doc: Doc, target: int) -> list[Block]:
    v, rng = doc.vocab, doc.rng
    t = v["text"]
    out = [Block("title", doc.fill(rng.choice(t["title_proposals"]))),
           Block("p", doc.fill(rng.choice(t["editor_note"])))]
    size, k = sum(len(b.text) for b in out), 1
    while size < target and k <= 40:
        blocks = _proposal(doc, k, "h1")
        out += blocks
        size += sum(len(b.text) for b in blocks)
        k += 1
    return out


GENRES = {"work_report": work_report, "press_digest": press_digest, "proposal_digest": proposal_digest}


# ---------------------------------------------------------------- defects (on blocks, before layout)

def _paras(blocks: list[Block], min_len: int = 20) -> list[int]:
    return [i for i, b in enumerate(blocks) if b.kind == "p" and len(b.text) >= min_len]


def _cjk_positions(text: str) -> list[int]:
    return [m.start() for m in _CJK.finditer(text)]


def inject(blocks: list[Block], rng: random.Random, vocab: dict) -> tuple[list[Block], dict[str, int], bool]:
    """Blocks with defects injected, counts per kind, and whether punctuation is half-width throughout."""
    counts: dict[str, int] = {}
    whole_width = False
    d = vocab["defects"]
    for kind, (share, lo, hi) in DEFECT_RATES.items():
        if rng.random() >= share:
            continue
        n = 0
        for _ in range(rng.randint(lo, hi)):
            paras = _paras(blocks)
            if not paras:
                break
            i = rng.choice(paras)
            text = blocks[i].text
            if kind == "traditional_char":
                pos = _cjk_positions(text)
                a = rng.choice(pos)
                piece = s2t(text[a:a + rng.randint(2, 6)])
                if piece == text[a:a + len(piece)]:
                    continue
                blocks[i].text = text[:a] + piece + text[a + len(piece):]
            elif kind == "width_mix":
                if rng.random() < WIDTH_WHOLE_SHARE:
                    whole_width = True
                    n += 1
                    break
                blocks[i].text = text.translate({ord(a): b for a, b in d["width"]})
            elif kind == "duplicated_sentence":
                ends = [m.end() for m in re.finditer("。", text)]
                if len(ends) < 2:
                    continue
                k = rng.randrange(len(ends) - 1)
                start = ends[k - 1] if k else 0
                blocks[i].text = text[:ends[k]] + text[start:ends[k]] + text[ends[k]:]
            elif kind == "english_intrusion":
                pairs = [p for p in d["english"] if p[0] in text]
                if not pairs:
                    continue
                zh, en = rng.choice(pairs)
                a = text.index(zh)
                blocks[i].text = text[:a] + f" {en} " + text[a + len(zh):]
            elif kind == "typo":
                hits = [(j, p) for j in _paras(blocks) for p in d["typos"] if p[0] in blocks[j].text]
                if not hits:
                    break
                j, (right, wrong) = rng.choice(hits)
                blocks[j].text = blocks[j].text.replace(right, wrong, 1)
            elif kind == "duplicated_char":
                a = rng.choice(_cjk_positions(text))
                blocks[i].text = text[:a + 1] + text[a:]
            elif kind == "misplaced_heading":
                heads = [j for j, b in enumerate(blocks) if b.kind in ("h1", "h2") and j >= 2
                         and blocks[j - 1].kind == "p" and blocks[j - 2].kind == "p"]
                if not heads:
                    break
                j = rng.choice(heads)
                up = 2 if blocks[j - 2].kind == "p" and rng.random() < 0.3 else 1
                blocks.insert(j - up, blocks.pop(j))
            elif kind == "page_break_split":
                pos = [a for a in _cjk_positions(text) if 10 <= a < len(text) - 10 and _CJK.match(text, a - 1)]
                if not pos:
                    continue
                a = rng.choice(pos)
                tail = [Block("p", text[a:], cont=True)]
                if rng.random() < PAGE_NUMBER_SHARE:
                    tail.insert(0, Block("pagenum", ""))
                blocks[i].text = text[:a]
                blocks[i + 1:i + 1] = tail
            n += 1
        if n:
            counts[kind] = n
    return blocks, counts, whole_width


# ---------------------------------------------------------------- layout

def render(blocks: list[Block], layout: str, rng: random.Random, genre: str) -> str:
    md_bold = rng.random() < 0.5
    sep = "\n\n" if layout == "markdown" or rng.random() < 0.5 else "\n"
    indent = "\u3000\u3000" if layout != "markdown" and rng.random() < 0.4 else ""
    lines: list[str] = []
    merge = ""  # plain layout: a heading becomes the lead sentence of the next paragraph
    chars_seen = 0
    for b in blocks:
        t = b.text
        if b.kind == "title":
            lines.append("# " + t if layout == "markdown" else t)
        elif b.kind == "subtitle":
            lines.append("## " + t if layout == "markdown" else t)
        elif b.kind in ("dateline", "byline", "sig"):
            lines.append(t)
        elif b.kind == "pagenum":
            lines.append(f"- {chars_seen // 1800 + 2} -")
        elif b.kind == "h1":
            if layout == "markdown":
                lines.append("### " + t)
            elif layout == "numbered":
                lines.append(f"{cn_numeral(b.num)}、{t}")
            elif layout == "parts" and not b.keep:
                lines.append(f"第{cn_numeral(b.num)}部分 {t}")
            elif layout == "parts" or genre == "proposal_digest":
                lines.append(t)
        elif b.kind == "h2":
            if layout == "markdown":
                lines.append(f"**{cn_numeral(b.num)}、{t}**" if md_bold else "#### " + t)
            elif layout == "numbered":
                lines.append(f"（{cn_numeral(b.num)}）{t}")
            elif layout == "parts":
                lines.append(f"{cn_numeral(b.num)}、{t}")
            elif b.keep:
                lines.append(t)
            else:
                merge = t if t.endswith(("。", "！")) else t + "。"
        else:  # p, key
            lines.append(("" if b.cont else indent) + merge + t)
            merge = ""
        chars_seen += len(t)
    return "\n" * rng.randint(0, 3) + sep.join(lines) + "\n"


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return text.encode(encoding, errors="replace")


# ---------------------------------------------------------------- one document, the corpus

def make_document(index: int, seed: int, genre: str, layout: str, encoding: str,
                  vocab: dict) -> tuple[str, bytes, dict]:
    """(file name, bytes, manifest row) of document ``index``; depends only on its arguments."""
    rng = random.Random(f"{seed}:{index}")
    doc = Doc(rng, vocab, _context(rng, vocab, genre))
    ctx = doc.ctx
    blocks = GENRES[genre](doc, rng.randint(*CHARS))
    key = next((b.text for b in blocks if b.kind == "key"), "")
    figures = ";".join(f"{n}={ctx[n]}" for n in _SLOT.findall(_find_overview(vocab, key)) if n in vocab["figures"])
    blocks, defects, whole_width = inject(blocks, rng, vocab)
    text = render(blocks, layout, rng, genre)
    if whole_width:
        text = text.translate({ord(a): b for a, b in vocab["defects"]["width"]})
    if encoding == "utf-8" and rng.random() < UTF8_BOM_SHARE:
        encoding = "utf-8-sig"
    traditional = encoding == "big5" or rng.random() < TRADITIONAL_SHARE
    if traditional:
        text = s2t(text, "s2tw" if encoding == "big5" else "s2t")
    data = encode(text, encoding)
    name = f"c{index:06d}_{ctx['pinyin']}_{ctx['year']}.txt"
    row = {"file": name, "genre": genre, "encoding": encoding, "layout": layout,
           "script": "traditional" if traditional else "simplified", "place": ctx["place"],
           "province": ctx["province"], "year": ctx["year"], "period": ctx["period"], "n_chars": len(text),
           "n_bytes": len(data), "figures": figures,
           "defects": ";".join(f"{k}={n}" for k, n in defects.items())}
    return name, data, row


def _find_overview(vocab: dict, key: str) -> str:
    """The overview template that produced ``key`` (its fixed text pieces all occur in order)."""
    for tpl in vocab["text"]["overview"]:
        pieces = [p for p in _SLOT.split(tpl)[::2] if p]
        if key and all(p in key for p in pieces):
            return tpl
    return ""


def plan(n: int, seed: int) -> list[tuple[str, str, str]]:
    """(genre, layout, encoding) of each of the ``n`` documents."""
    out = []
    for block in range((n + BLOCK - 1) // BLOCK):
        rng = random.Random(f"{seed}:block:{block}")
        out += zip(_quota(rng, GENRE_QUOTA), _quota(rng, LAYOUT_QUOTA), _quota(rng, ENCODING_QUOTA))
    return out[:n]


def make_corpus(n: int, out: Path, seed: int = 0) -> dict:
    """Write ``n`` documents and manifest.csv into ``out``; returns a summary."""
    out.mkdir(parents=True, exist_ok=True)
    vocab = load_vocab()
    total, per_enc = 0, {}
    with open(out / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, MANIFEST_FIELDS, lineterminator="\n")
        w.writeheader()
        for i, (genre, layout, encoding) in enumerate(plan(n, seed)):
            name, data, row = make_document(i, seed, genre, layout, encoding, vocab)
            (out / name).write_bytes(data)
            w.writerow(row)
            total += len(data)
            per_enc[row["encoding"]] = per_enc.get(row["encoding"], 0) + 1
    return {"documents": n, "bytes": total, "encodings": dict(sorted(per_enc.items()))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of documents")
    ap.add_argument("out", type=Path, help="output folder")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    s = make_corpus(a.n, a.out, a.seed)
    enc = " ".join(f"{k}={v}" for k, v in s["encodings"].items())
    print(f"make_corpus: {s['documents']} documents, {s['bytes'] / 1e6:.1f} MB, {enc}, "
          f"{time.perf_counter() - t0:.1f} s -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
