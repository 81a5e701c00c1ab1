"""Match a release's records against gold annotations by the rules of shared/eval/score.py (written anew).

Text is compared after NFKC, OpenCC t2s and whitespace removal. Metrics: same document, value (|diff| < 1e-6)
and unit, and >= 2 shared character bigrams of the quote, each prediction used once. Laws: same document and
normalised name (one containing the other when the shorter is >= 80 % of the longer). Proposals: same
document, title bigram overlap >= 0.6 and the same proposer. Predictions that match a row of the corpus's
doubtful list (rows dropped from the gold, see tests/fixtures/corpus_gold/README.md) count neither as hits
nor as extras. A gold attribute left blank (approx, period, category) is not scored. `release_of` builds a
release once per test session, for the tests that share one.
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


_RELEASES: dict[Path, tuple[int, Path]] = {}


def release_of(seeds: Path, tmp_path_factory) -> Path:
    """dist/latest of one release of `seeds` by the real Dagster job, built once per session."""
    if seeds not in _RELEASES:
        from conftest import run_release
        dist = tmp_path_factory.mktemp(f"dist_{seeds.name}")
        _RELEASES[seeds] = (run_release(seeds, dist), dist / "latest")
    rc, latest = _RELEASES[seeds]
    assert rc == 0, f"the release of {seeds} failed (exit code {rc}): see the captured output"
    return latest


def read_release(latest: Path, *tables: str) -> dict[str, pd.DataFrame]:
    """The named tables of a release, each with `doc` = its document's source-file stem."""
    docs = pd.read_parquet(latest / "documents.parquet")
    stem_of = dict(zip(docs["doc_id"], docs["source_file"].map(stem)))
    out = {}
    for t in tables:
        df = pd.read_parquet(latest / f"{t}.parquet")
        out[t] = df.assign(doc=df["doc_id"].map(stem_of))
    return out


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


_NUMBER = re.compile(r"\d+(?:\.\d+)?|[零一二三四五六七八九十百千万两]+")


def _numbers_in(s: str) -> set[float]:
    import cn2an
    out: set[float] = set()
    for tok in _NUMBER.findall(norm(s)):
        try:
            out.add(float(tok))
        except ValueError:
            try:
                out.add(float(cn2an.cn2an(tok, "smart")))
            except Exception:  # cn2an refuses some runs (e.g. 一二三四): not a number then
                pass
    return out


def nonmetrics_taken(pred: pd.DataFrame, gold: pd.DataFrame) -> list[tuple]:
    """Gold non-metric quotes that a predicted metric quotes with one of their numbers as its value."""
    taken = []
    for r in gold.itertuples():
        q, vals = norm(r.quote), _numbers_in(r.quote)
        rows = pred[pred["doc"] == r.doc]
        for pq, v in zip(rows["quote"], rows["value"]):
            if q in norm(pq) and float(v) in vals:
                taken.append((r.doc, r.quote, pq, v))
                break
    return taken
