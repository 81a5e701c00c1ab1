"""Extraction quality against hand annotations (gold), by the rules of the project's scorer: text compared after
NFKC, OpenCC t2s and whitespace removal; metrics match on document, value, unit and >= 2 shared character bigrams
of the quote; laws on document and normalised name; proposals on title bigram overlap >= 0.6 and proposer.
Used by the dataset card (seeds/gold/) and by the generalisation tests (tests/fixtures/corpus_gold/).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import opencc
import pandas as pd

_CC = opencc.OpenCC("t2s")
# the scorer's own list of leading jurisdiction words a law name may carry or drop
_LAW_JURISDICTION = re.compile(r"^(全国|国家|河南省|省|市|郑州市|我市)")
ATTRIBUTES = ("approx", "period", "category")


def norm(s: object) -> str:
    """NFKC, traditional -> simplified, no whitespace ('' for None/NaN)."""
    if s is None or s != s:
        return ""
    return re.sub(r"\s+", "", _CC.convert(unicodedata.normalize("NFKC", str(s))))


def bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def law_key(name: object) -> str:
    return _LAW_JURISDICTION.sub("", norm(name).replace("《", "").replace("》", ""))


def same_law(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return bool(short) and short in long_ and len(short) >= 0.8 * len(long_)


def stem(name: object) -> str:
    return Path(str(name)).stem


def read_gold(gold_dir: Path, kind: str) -> pd.DataFrame:
    """All `<kind>_*.csv` files of a gold folder, in file-name order, with `doc` as the file stem."""
    files = sorted(gold_dir.glob(f"{kind}_*.csv"))
    if not files:
        return pd.DataFrame(columns=["doc"])
    g = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], ignore_index=True)
    g["doc"] = g["doc"].map(stem)
    return g


def read_doubtful(gold_dir: Path, table: str) -> pd.DataFrame:
    p = gold_dir / "doubtful.csv"
    d = pd.read_csv(p, dtype=str, keep_default_na=False) if p.exists() else pd.DataFrame(
        columns=["table", "doc", "key", "value", "reason"])
    d = d[d["table"] == table].copy()
    d["doc"] = d["doc"].map(stem)
    return d


def ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


@dataclass
class Result:
    """Counts of one table's match; `missed` are gold rows, `extra` predicted rows (as short tuples)."""
    n_gold: int = 0
    n_pred: int = 0
    hits: int = 0
    missed: list[tuple] = field(default_factory=list)
    extra: list[tuple] = field(default_factory=list)
    ok: dict[str, int] = field(default_factory=dict)      # attribute -> matched rows where it agrees
    scored: dict[str, int] = field(default_factory=dict)  # attribute -> matched rows where gold gives it
    wrong: dict[str, list[tuple]] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return ratio(self.hits, self.n_gold)

    @property
    def precision(self) -> float:
        return ratio(self.n_pred - len(self.extra), self.n_pred)

    def acc(self, attribute: str) -> float:
        return ratio(self.ok.get(attribute, 0), self.scored.get(attribute, 0))


def _in_gold_docs(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    return pred[pred["doc"].isin(set(gold["doc"]))].reset_index(drop=True)


def _metric_ignored(pred: pd.DataFrame, doubtful: pd.DataFrame) -> set[int]:
    out: set[int] = set()
    for d in doubtful.itertuples():
        q = bigrams(norm(d.key))
        for p in pred[pred["doc"] == d.doc].itertuples():
            if (not d.value or abs(float(p.value) - float(d.value)) < 1e-6) and len(q & bigrams(norm(p.quote))) >= 2:
                out.add(p.Index)
    return out


def match_metrics(pred: pd.DataFrame, gold: pd.DataFrame, doubtful: pd.DataFrame | None = None) -> Result:
    pred = _in_gold_docs(pred, gold)
    ignored = _metric_ignored(pred, doubtful) if doubtful is not None else set()
    qn = pred["quote"].map(norm)
    un = pred["unit"].map(lambda u: norm(u).strip("()"))
    res = Result(n_gold=len(gold), n_pred=len(pred) - len(ignored))
    used: set[int] = set()
    for g in gold.itertuples():
        v, u, q = float(g.value), norm(g.unit).strip("()"), bigrams(norm(g.quote))
        best, best_s = None, 0
        for i in pred.index[(pred["doc"] == g.doc) & ((pred["value"].astype(float) - v).abs() < 1e-6) & (un == u)]:
            if i in used:
                continue
            s = len(bigrams(qn[i]) & q)
            if s > best_s:
                best, best_s = i, s
        if best is None or best_s < 2:
            res.missed.append((g.doc, g.quote, g.value, g.unit))
            continue
        used.add(best)
        res.hits += 1
        for a in ATTRIBUTES:
            want = str(getattr(g, a, ""))
            if not want:
                continue
            res.scored[a] = res.scored.get(a, 0) + 1
            got = str(pred.at[best, a])
            if got == want:
                res.ok[a] = res.ok.get(a, 0) + 1
            else:
                res.wrong.setdefault(a, []).append((g.doc, g.quote, f"{got} != {want}"))
    for p in pred.itertuples():
        if p.Index not in used and p.Index not in ignored:
            res.extra.append((p.doc, p.quote, p.value, p.unit))
    return res


def match_laws(pred: pd.DataFrame, gold: pd.DataFrame, doubtful: pd.DataFrame | None = None) -> tuple[Result, Result]:
    """(name match, name+action match); precision lives on the first."""
    pred = _in_gold_docs(pred, gold)
    keys = pred["name"].map(law_key)
    ignored: set[int] = set()
    for d in (doubtful.itertuples() if doubtful is not None else ()):
        k = law_key(d.key)
        ignored |= set(pred.index[(pred["doc"] == d.doc) & keys.map(lambda x: same_law(x, k))])
    name = Result(n_gold=len(gold), n_pred=len(pred) - len(ignored))
    both = Result(n_gold=len(gold), n_pred=len(pred) - len(ignored))
    used: set[int] = set()
    for g in gold.itertuples():
        k = law_key(g.name)
        rows = pred[(pred["doc"] == g.doc) & keys.map(lambda x: same_law(x, k))]
        if rows.empty:
            name.missed.append((g.doc, g.name, g.action))
            both.missed.append((g.doc, g.name, g.action))
            continue
        name.hits += 1
        used.update(rows.index)
        if (rows["action"] == g.action).any():
            both.hits += 1
        else:
            both.missed.append((g.doc, g.name, g.action, "got " + "/".join(rows["action"])))
    for p in pred.itertuples():
        if p.Index not in used and p.Index not in ignored:
            name.extra.append((p.doc, p.name, p.action))
    return name, both


def match_proposals(pred: pd.DataFrame, gold: pd.DataFrame) -> Result:
    pred = _in_gold_docs(pred, gold)
    res = Result(n_gold=len(gold), n_pred=len(pred))
    used: set[int] = set()
    for g in gold.itertuples():
        t = bigrams(norm(g.title))
        best, best_s = None, 0.0
        for p in pred[pred["doc"] == g.doc].itertuples():
            s = len(t & bigrams(norm(p.title))) / max(len(t), 1)
            if s > best_s:
                best, best_s = p, s
        if best is None or best_s < 0.6 or norm(best.proposer) != norm(g.proposer):
            got = "" if best is None else f"best: {best.title} / {best.proposer}"
            res.missed.append((g.doc, g.title, g.proposer, got))
            continue
        res.hits += 1
        used.add(best.Index)
        res.scored["n_recommendations"] = res.scored.get("n_recommendations", 0) + 1
        if str(best.n_recommendations) == str(g.n_recommendations):
            res.ok["n_recommendations"] = res.ok.get("n_recommendations", 0) + 1
        else:
            res.wrong.setdefault("n_recommendations", []).append(
                (g.doc, g.title, f"{best.n_recommendations} != {g.n_recommendations}"))
    for p in pred.itertuples():
        if p.Index not in used:
            res.extra.append((p.doc, p.title, p.proposer))
    return res


@dataclass(frozen=True)
class Score:
    table: str
    measure: str
    value: float
    n: int          # gold rows (recall, attribute accuracy) or predicted rows (precision) it is computed over


def _with_doc(frames: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    stem_of = dict(zip(frames["documents"]["doc_id"], frames["documents"]["source_file"].map(stem)))
    df = frames[name]
    return df.assign(doc=df["doc_id"].map(stem_of))


GOLD_KINDS = ("metrics", "laws", "proposals")


def annotated(documents: pd.DataFrame, gold_dir: Path) -> set[str]:
    """The ids of the documents ``gold_dir`` annotates (files matched by stem), the only ones ``evaluate`` reads."""
    if not gold_dir.is_dir():
        return set()
    stems = set().union(*(set(read_gold(gold_dir, k)["doc"]) for k in GOLD_KINDS))
    return set(documents.loc[documents["source_file"].map(stem).isin(stems), "doc_id"])


def evaluate(frames: dict[str, pd.DataFrame], gold_dir: Path) -> list[Score]:
    """Scores of the release's metrics, laws and proposals on the documents ``gold_dir`` annotates
    ([] when there is no gold, or it covers none of the release's documents)."""
    if not gold_dir.is_dir():
        return []
    out: list[Score] = []
    docs = set(frames["documents"]["source_file"].map(stem))
    gold = {k: read_gold(gold_dir, k) for k in GOLD_KINDS}
    gold = {k: g[g["doc"].isin(docs)] for k, g in gold.items()}
    if not gold["metrics"].empty:
        m = match_metrics(_with_doc(frames, "metrics"), gold["metrics"], read_doubtful(gold_dir, "metrics"))
        out += [Score("metrics", "recall", m.recall, m.n_gold), Score("metrics", "precision", m.precision, m.n_pred)]
        out += [Score("metrics", f"{a} accuracy", m.acc(a), m.scored.get(a, 0)) for a in ATTRIBUTES if m.scored.get(a)]
    if not gold["laws"].empty:
        name, both = match_laws(_with_doc(frames, "laws"), gold["laws"], read_doubtful(gold_dir, "laws"))
        out += [Score("laws", "name recall", name.recall, name.n_gold),
                Score("laws", "name and action recall", both.recall, both.n_gold),
                Score("laws", "precision", name.precision, name.n_pred)]
    if not gold["proposals"].empty:
        p = match_proposals(_with_doc(frames, "proposals"), gold["proposals"])
        out += [Score("proposals", "recall", p.recall, p.n_gold), Score("proposals", "precision", p.precision, p.n_pred),
                Score("proposals", "n_recommendations accuracy", p.acc("n_recommendations"),
                      p.scored.get("n_recommendations", 0))]
    return out
