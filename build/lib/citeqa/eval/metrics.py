"""Retrieval, answer and abstention metrics: pure functions over numpy arrays and lists.

The central shape is a question's *coverage matrix* `cover: bool[n_returned, n_units]`: row i
is the passage at rank i + 1, column u one evidence unit (an evidence quote of the question, with
every place it occurs), and `cover[i, u]` is true when the passage overlaps the unit's span in the
same document. A passage is *relevant* when its row has any true value. Evidence quotes listed for
one question are alternatives: finding any one makes a hit; recall and nDCG reward finding more.

Definitions (k is a cut-off in ranks; all values in [0, 1] per question, then averaged):

- hit@k     1 if a relevant passage is in the top k (ir_measures `Success@k`).
- RR@k      1 / rank of the first relevant passage in the top k, else 0 (`RR@k`); MRR its mean.
- recall@k  fraction of the question's evidence units that some top-k passage overlaps (`R@k`).
- nDCG@k    binary gains, log2 discount. A passage gains 1 when it covers an evidence unit that no
            higher-ranked passage covered: a second passage repeating the same quote (neighbouring
            chunks overlap by design) adds nothing. The ideal ranking covers one new unit per rank,
            so IDCG = sum_{i<min(k, n_units)} 1/log2(i+2). We cannot count "all relevant passages
            in the index" (over HTTP the passages are unknown, and the count changes with
            chunking); counting units keeps the score in [0, 1] and equals ir_measures `nDCG@k`
            when each unit is overlapped by at most one passage and the qrels hold one relevant
            id per unit (the tests check exactly that).
- answer hit@k  1 if an expected answer string occurs (case-insensitively) in a top-k passage.
- abstention    on unanswerable questions, the fraction answered `answerable: false` (correct
                abstention, higher is better); on answerable ones, the same fraction (false
                abstention, lower is better).
- latency       percentiles (linear interpolation) of per-question wall time, in milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import numpy as np

from .qaset import Span

CUTOFFS = (1, 3, 5, 10)
PERCENTILES = (50, 95, 99)


def coverage(returned: Sequence[Span], units: Sequence[Sequence[Span]]) -> np.ndarray:
    """bool[len(returned), len(units)]: returned passage i overlaps some span of unit u."""
    cover = np.zeros((len(returned), len(units)), dtype=bool)
    for i, passage in enumerate(returned):
        for u, spans in enumerate(units):
            cover[i, u] = any(passage.overlaps(span) for span in spans)
    return cover


def relevant(cover: np.ndarray) -> np.ndarray:
    """bool[n_returned]: which returned passages overlap any evidence unit."""
    if not cover.size:
        return np.zeros(cover.shape[0], dtype=bool)
    return np.asarray(cover.any(axis=1), dtype=bool)


def first_relevant_rank(cover: np.ndarray) -> int:
    """1-based rank of the first relevant passage, 0 when none is relevant."""
    hits = np.flatnonzero(relevant(cover))
    return int(hits[0]) + 1 if hits.size else 0


def hit_at(cover: np.ndarray, k: int) -> float:
    rank = first_relevant_rank(cover)
    return 1.0 if 0 < rank <= k else 0.0


def reciprocal_rank(cover: np.ndarray, k: int) -> float:
    rank = first_relevant_rank(cover)
    return 1.0 / rank if 0 < rank <= k else 0.0


def recall_at(cover: np.ndarray, k: int) -> float:
    """Fraction of evidence units overlapped by the top k; 0 for a question without units."""
    if cover.shape[1] == 0:
        return 0.0
    return float(cover[:k].any(axis=0).mean()) if cover.shape[0] else 0.0


def ndcg_at(cover: np.ndarray, k: int) -> float:
    """Binary-gain nDCG@k with novelty (see the module docstring); 0 without units."""
    n_units = cover.shape[1]
    if n_units == 0:
        return 0.0
    seen = np.zeros(n_units, dtype=bool)
    dcg = 0.0
    for i, row in enumerate(cover[:k]):
        if (row & ~seen).any():
            dcg += 1.0 / math.log2(i + 2)
        seen |= row
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, n_units)))
    return dcg / ideal


def first_answer_rank(texts: Sequence[str], answers: Sequence[str]) -> int:
    """1-based rank of the first passage text containing an answer (casefolded), 0 if none."""
    wanted = [a.casefold() for a in answers]
    for rank, text in enumerate(texts, start=1):
        folded = text.casefold()
        if any(a in folded for a in wanted):
            return rank
    return 0


def percentiles(values_ms: Sequence[float]) -> dict[str, float | None]:
    """{"p50", "p95", "p99", "mean", "max"} in milliseconds; None for an empty list."""
    keys = [f"p{q}" for q in PERCENTILES] + ["mean", "max"]
    if not values_ms:
        return dict.fromkeys(keys)
    arr = np.asarray(values_ms, dtype=float)
    out: dict[str, float | None] = {
        f"p{q}": round(float(v), 2)
        for q, v in zip(PERCENTILES, np.percentile(arr, PERCENTILES), strict=True)
    }
    out["mean"] = round(float(arr.mean()), 2)
    out["max"] = round(float(arr.max()), 2)
    return out


# --- a whole set ---------------------------------------------------------------------------


@dataclass
class Judged:
    """One question's outcome, reduced to what the metrics need."""

    kind: str | None
    answerable: bool  # gold: the question has evidence
    abstained: bool  # the service answered `answerable: false`
    cover: np.ndarray  # bool[n_returned, n_units]
    answer_rank: int | None  # first passage holding an expected answer (0: none); None: no answers
    latency_ms: float


def cutoffs(k: int) -> list[int]:
    """The standard cut-offs that fit in k passages, plus k itself."""
    return sorted({c for c in CUTOFFS if c <= k} | {k})


def summarise(judged: Sequence[Judged], k: int) -> dict[str, float | int | dict | None]:
    """Mean metrics over `judged` (k = passages asked for). Retrieval and answer metrics are
    over answerable questions, correct abstention over unanswerable ones; a metric whose
    subset is empty is None."""
    ans = [j for j in judged if j.answerable]
    una = [j for j in judged if not j.answerable]
    with_answers = [j for j in ans if j.answer_rank is not None]
    c = min(10, k)

    def mean(values: list[float]) -> float | None:
        return round(float(np.mean(values)), 6) if values else None

    out: dict[str, float | int | dict | None] = {
        "questions": len(judged),
        "answerable": len(ans),
        "unanswerable": len(una),
    }
    for cut in cutoffs(k):
        out[f"hit@{cut}"] = mean([hit_at(j.cover, cut) for j in ans])
    out[f"mrr@{c}"] = mean([reciprocal_rank(j.cover, c) for j in ans])
    out[f"ndcg@{c}"] = mean([ndcg_at(j.cover, c) for j in ans])
    out[f"recall@{k}"] = mean([recall_at(j.cover, k) for j in ans])
    out[f"answer_hit@{k}"] = mean(
        [1.0 if 0 < (j.answer_rank or 0) <= k else 0.0 for j in with_answers]
    )
    out["correct_abstention"] = mean([float(j.abstained) for j in una])
    out["false_abstention"] = mean([float(j.abstained) for j in ans])
    out["latency_ms"] = percentiles([j.latency_ms for j in judged])
    return out


def hit_curve(judged: Sequence[Judged], k: int) -> list[float]:
    """hit@1..hit@k over the answerable questions (list index i is hit@(i + 1))."""
    ranks = np.array([first_relevant_rank(j.cover) for j in judged if j.answerable])
    if ranks.size == 0:
        return []
    return [float(np.mean((ranks > 0) & (ranks <= cut))) for cut in range(1, k + 1)]


def answer_hit_curve(judged: Sequence[Judged], k: int) -> list[float]:
    """answer hit@1..answer hit@k over the questions that list expected answers."""
    ranks = np.array([j.answer_rank for j in judged if j.answer_rank is not None])
    if ranks.size == 0:
        return []
    return [float(np.mean((ranks > 0) & (ranks <= cut))) for cut in range(1, k + 1)]


def holds(text: str, answers: Sequence[str]) -> bool:
    """Whether `text` holds an expected answer, ignoring case."""
    return any(a.lower() in text.lower() for a in answers)


def short_answer_scores(
    cases: Sequence[tuple[str | None, Sequence[str]]],
) -> dict[str, float | int]:
    """How the short answers of typed answerable questions fare: `cases` holds, per question, the
    short answer returned (None: none) and the set's expected answers. `exact`: it is one of them
    (ignoring case and surrounding spaces); `holds_answer`: it and one of them contain the other
    ("13 March 2009" holds "2009")."""
    given = [(text.strip().lower(), [a.strip().lower() for a in answers])
             for text, answers in cases if text is not None]  # fmt: skip
    exact = sum(text in answers for text, answers in given)
    holding = sum(any(a in text or text in a for a in answers) for text, answers in given)
    asked = len(cases)
    return {
        "asked": asked,
        "given": len(given),
        "exact": exact,
        "holds_answer": holding,
        "holds_answer_rate": round(holding / asked, 6) if asked else float("nan"),
        "precision": round(holding / len(given), 6) if given else float("nan"),
    }


def highlight_scores(cases: Sequence[tuple[str, Sequence[str]]]) -> dict[str, float | int]:
    """How often the first passage's highlighted sentence holds an expected answer, over the
    answerable questions whose first passage is gold and holds one (`cases`: the sentence, the
    expected answers): a miss there is the highlight's, not retrieval's."""
    holding = sum(holds(sentence, answers) for sentence, answers in cases)
    return {
        "asked": len(cases),
        "holds_answer": holding,
        "rate": round(holding / len(cases), 6) if cases else float("nan"),
    }


def calibration(
    probabilities: Sequence[float], outcomes: Sequence[bool], bins: int = 10
) -> dict[str, Any]:
    """How well `probabilities` (of each question being answerable) match `outcomes`: the
    expected calibration error (|mean probability - share answerable| per equal-width bin,
    weighted by the bin's size), the Brier score, and each bin's figures for a reliability plot."""
    p = np.asarray(probabilities, dtype=np.float64)
    y = np.asarray(outcomes, dtype=np.float64)
    if p.size == 0:
        return {"ece": float("nan"), "brier": float("nan"), "bins": []}
    which = np.minimum((p * bins).astype(int), bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        mine = which == b
        if mine.any():
            mean_p, share = float(p[mine].mean()), float(y[mine].mean())
            ece += mine.sum() / p.size * abs(mean_p - share)
            table.append({"bin": b, "n": int(mine.sum()), "confidence": round(mean_p, 6),
                          "answerable": round(share, 6)})  # fmt: skip
    return {
        "ece": round(ece, 6),
        "brier": round(float(np.mean((p - y) ** 2)), 6),
        "bins": table,
    }


# --- per document format ---------------------------------------------------------------------


def doc_format(doc_id: str) -> str:
    """The format a document id's suffix names, lower case without the dot: "pdf", "html",
    "md.gz" (a compressed file keeps the suffix inside), "(none)" without a suffix."""
    suffixes = [s.lower() for s in PurePosixPath(doc_id).suffixes]
    if not suffixes:
        return "(none)"
    if suffixes[-1] == ".gz" and len(suffixes) > 1:
        return suffixes[-2][1:] + ".gz"
    return suffixes[-1][1:]


@dataclass
class FormatCase:
    """One answerable question as the per-format table needs it."""

    format: str  # doc_format of the question's first evidence document
    judged: Judged
    highlight_holds: bool | None  # None: the first passage is not gold or holds no answer
    short_answer: tuple[str | None, Sequence[str]] | None  # None: not a typed question


def by_format(
    cases: Sequence[FormatCase], missing: Mapping[str, int], k: int
) -> dict[str, dict[str, Any]]:
    """Figures per document format, formats in name order: answerable questions asked and those
    left out because their document is not in the index (`missing`), hit@5 and MRR@10 (capped at
    k), false abstentions, and how many highlights and short answers hold an expected answer."""
    out: dict[str, dict[str, Any]] = {}
    for name in sorted({c.format for c in cases} | set(missing)):
        mine = [c for c in cases if c.format == name]
        judged = [c.judged for c in mine]

        def mean(values: list[float]) -> float | None:
            return round(float(np.mean(values)), 6) if values else None

        lights = [c.highlight_holds for c in mine if c.highlight_holds is not None]
        shorts = short_answer_scores([c.short_answer for c in mine if c.short_answer is not None])
        out[name] = {
            "questions": len(mine),
            "missing": int(missing.get(name, 0)),
            f"hit@{min(5, k)}": mean([hit_at(j.cover, min(5, k)) for j in judged]),
            f"mrr@{min(10, k)}": mean([reciprocal_rank(j.cover, min(10, k)) for j in judged]),
            "false_abstention": mean([float(j.abstained) for j in judged]),
            "highlight": {"asked": len(lights), "holds_answer": sum(lights)},
            "short_answer": {
                "asked": shorts["asked"],
                "given": shorts["given"],
                "holds_answer": shorts["holds_answer"],
            },
        }
    return out
