"""The metric functions: hand-computed values on tiny rankings, and equality with ir-measures."""

from __future__ import annotations

import math
import random

import ir_measures
import numpy as np
import pytest
from ir_measures import RR, R, Success, nDCG

from citeqa.eval.metrics import (
    Judged,
    calibration,
    coverage,
    cutoffs,
    first_answer_rank,
    first_relevant_rank,
    highlight_scores,
    hit_at,
    hit_curve,
    ndcg_at,
    percentiles,
    recall_at,
    reciprocal_rank,
    short_answer_scores,
    summarise,
)
from citeqa.eval.qaset import Span

T, F = True, False


def test_coverage_is_overlap_in_the_same_document() -> None:
    units = [[Span("a", 10, 20)], [Span("b", 0, 5), Span("b", 50, 60)]]
    returned = [
        Span("a", 0, 10),  # touches 10 but [0, 10) and [10, 20) do not intersect
        Span("a", 19, 30),  # one shared character
        Span("b", 55, 56),  # inside the second occurrence of unit 1
        Span("c", 10, 20),  # same range, other document
    ]
    cover = coverage(returned, units)
    assert cover.tolist() == [[F, F], [T, F], [F, T], [F, F]]
    assert first_relevant_rank(cover) == 2


def test_one_unit_found_at_rank_3() -> None:
    cover = np.array([[F], [F], [T], [F]])
    assert (hit_at(cover, 1), hit_at(cover, 3)) == (0.0, 1.0)
    assert reciprocal_rank(cover, 10) == pytest.approx(1 / 3)
    assert reciprocal_rank(cover, 2) == 0.0
    assert ndcg_at(cover, 10) == pytest.approx(1 / math.log2(4))  # 0.5
    assert (recall_at(cover, 2), recall_at(cover, 10)) == (0.0, 1.0)


def test_two_units_found_at_ranks_1_and_3() -> None:
    cover = np.array([[T, F], [F, F], [F, T]])
    dcg = 1 + 1 / math.log2(4)
    idcg = 1 + 1 / math.log2(3)
    assert ndcg_at(cover, 10) == pytest.approx(dcg / idcg)  # 0.9197
    assert ndcg_at(cover, 10) == pytest.approx(0.919721, abs=1e-6)
    assert recall_at(cover, 1) == 0.5
    assert reciprocal_rank(cover, 10) == 1.0


def test_a_second_passage_on_the_same_quote_adds_nothing_to_ndcg() -> None:
    # Neighbouring chunks overlap: both contain the quote. Only the first one gains.
    cover = np.array([[F], [T], [T]])
    assert ndcg_at(cover, 10) == pytest.approx(1 / math.log2(3))  # 0.631, not above
    assert ndcg_at(np.array([[T], [T]]), 10) == 1.0  # never above 1


def test_one_passage_covering_two_units_gains_once() -> None:
    cover = np.array([[T, T], [F, F]])
    assert ndcg_at(cover, 10) == pytest.approx(1 / (1 + 1 / math.log2(3)))  # 0.613
    assert recall_at(cover, 1) == 1.0


def test_nothing_returned() -> None:
    cover = np.zeros((0, 2), dtype=bool)
    assert (hit_at(cover, 10), reciprocal_rank(cover, 10), ndcg_at(cover, 10)) == (0, 0, 0)
    assert recall_at(cover, 10) == 0.0


def test_answer_rank_is_case_insensitive() -> None:
    texts = ["nothing here", "The summit in JEJU in 2009", "Jeju again"]
    assert first_answer_rank(texts, ["Jeju"]) == 2
    assert first_answer_rank(texts, ["Busan"]) == 0


def test_percentiles_interpolate_linearly() -> None:
    p = percentiles([1.0, 2.0, 3.0, 4.0])
    assert (p["p50"], p["p95"], p["mean"], p["max"]) == (2.5, 3.85, 2.5, 4.0)
    assert percentiles([])["p50"] is None


def test_cutoffs_fit_in_k() -> None:
    assert cutoffs(10) == [1, 3, 5, 10]
    assert cutoffs(7) == [1, 3, 5, 7]
    assert cutoffs(1) == [1]


def test_summarise_splits_answerable_and_unanswerable() -> None:
    judged = [
        Judged("date", True, False, np.array([[T], [F]]), 1, 10.0),  # gold at 1, answer at 1
        Judged("date", True, True, np.array([[F], [T]]), 0, 20.0),  # gold at 2, abstained
        Judged("none", False, True, np.zeros((2, 0), bool), None, 30.0),  # correct abstention
        Judged("none", False, False, np.zeros((2, 0), bool), None, 40.0),  # answered wrongly
    ]
    s = summarise(judged, 2)
    assert (s["questions"], s["answerable"], s["unanswerable"]) == (4, 2, 2)
    assert (s["hit@1"], s["hit@2"], s["mrr@2"], s["recall@2"]) == (0.5, 1.0, 0.75, 1.0)
    assert s["ndcg@2"] == pytest.approx((1 + 1 / math.log2(3)) / 2, abs=1e-6)
    assert s["answer_hit@2"] == 0.5
    assert (s["correct_abstention"], s["false_abstention"]) == (0.5, 0.5)
    assert s["latency_ms"]["p50"] == 25.0  # type: ignore[index]
    assert hit_curve(judged, 2) == [0.5, 1.0]
    only_unanswerable = summarise(judged[2:], 2)
    assert only_unanswerable["hit@1"] is None and only_unanswerable["correct_abstention"] == 0.5


# --- against ir-measures --------------------------------------------------------------------


def _case(rng: random.Random) -> tuple[list[Span], list[list[Span]]]:
    """A ranking of passages and the gold units of one question, each unit overlapped by at
    most one returned passage (the condition under which our nDCG is the standard one)."""
    n_units = rng.randint(1, 4)
    length = rng.randint(0, 12)
    returned = [Span(f"doc{rng.randint(0, 2)}", 1000 * i, 1000 * i + 500) for i in range(length)]
    free = list(range(length))
    rng.shuffle(free)
    units = []
    for u in range(n_units):
        if free and rng.random() < 0.7:
            p = returned[free.pop()]
            start = rng.randint(p.start - 50, p.end - 1)  # overlaps p, possibly sticking out
            units.append([Span(p.doc, start, start + 60)])
        else:
            units.append([Span("elsewhere", 100 * u, 100 * u + 10)])  # never returned
    return returned, units


@pytest.mark.parametrize("seed", range(5))
def test_metrics_equal_ir_measures(seed: int) -> None:
    rng = random.Random(seed)
    qrels, run, ours = [], [], []
    for q in range(40):
        qid = f"q{q}"
        returned, units = _case(rng)
        ids = [f"{qid}-p{i}" for i in range(len(returned))]
        # ir-measures sees passage ids: relevant = overlaps a gold span (checked independently
        # here), and a placeholder id for each unit no returned passage overlaps.
        for u, spans in enumerate(units):
            hits = [
                ids[i]
                for i, p in enumerate(returned)
                if any(p.doc == s.doc and p.start < s.end and s.start < p.end for s in spans)
            ]
            qrels.append(ir_measures.Qrel(qid, hits[0] if hits else f"{qid}-missing{u}", 1))
        run += [ir_measures.ScoredDoc(qid, pid, float(100 - i)) for i, pid in enumerate(ids)]
        ours.append(coverage(returned, units))
    measures = [nDCG @ 10, nDCG @ 5, RR @ 10, R @ 10, R @ 5, Success @ 1, Success @ 3]
    theirs: dict[tuple[str, str], float] = {
        (m.query_id, str(m.measure)): m.value for m in ir_measures.iter_calc(measures, qrels, run)
    }
    for q, cover in enumerate(ours):
        qid = f"q{q}"
        assert ndcg_at(cover, 10) == pytest.approx(theirs[qid, "nDCG@10"], abs=1e-6)
        assert ndcg_at(cover, 5) == pytest.approx(theirs[qid, "nDCG@5"], abs=1e-6)
        assert reciprocal_rank(cover, 10) == pytest.approx(theirs[qid, "RR@10"], abs=1e-6)
        assert recall_at(cover, 10) == pytest.approx(theirs[qid, "R@10"], abs=1e-6)
        assert recall_at(cover, 5) == pytest.approx(theirs[qid, "R@5"], abs=1e-6)
        assert hit_at(cover, 1) == theirs[qid, "Success@1"]
        assert hit_at(cover, 3) == theirs[qid, "Success@3"]
    overall = ir_measures.calc_aggregate([nDCG @ 10, RR @ 10], qrels, run)
    assert np.mean([ndcg_at(c, 10) for c in ours]) == pytest.approx(overall[nDCG @ 10], abs=1e-6)
    assert np.mean([reciprocal_rank(c, 10) for c in ours]) == pytest.approx(
        overall[RR @ 10], abs=1e-6
    )


def test_hand_checked_ranking_equals_ir_measures() -> None:
    # q1: relevant at ranks 2 and 4, a third unit never retrieved; q2: relevant at rank 1.
    qrels = [ir_measures.Qrel("q1", d, 1) for d in ("b", "d", "zz")] + [
        ir_measures.Qrel("q2", "a", 1)
    ]
    run = [ir_measures.ScoredDoc("q1", d, 10 - i) for i, d in enumerate("abcde")]
    run += [ir_measures.ScoredDoc("q2", d, 10 - i) for i, d in enumerate("ab")]
    q1 = np.array([[F, F, F], [T, F, F], [F, F, F], [F, T, F], [F, F, F]])
    q2 = np.array([[T], [F]])
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    idcg = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at(q1, 10) == pytest.approx(dcg / idcg)
    got = ir_measures.calc_aggregate([nDCG @ 10, RR @ 10, R @ 10], qrels, run)
    assert (ndcg_at(q1, 10) + ndcg_at(q2, 10)) / 2 == pytest.approx(got[nDCG @ 10], abs=1e-6)
    assert (reciprocal_rank(q1, 10) + 1.0) / 2 == pytest.approx(got[RR @ 10], abs=1e-6)
    assert (recall_at(q1, 10) + 1.0) / 2 == pytest.approx(got[R @ 10], abs=1e-6)


def test_short_answers_are_scored_exactly_and_by_containment() -> None:
    scores = short_answer_scores(
        [
            ("13 March 2009", ["2009"]),  # holds it
            (" July 1991 ", ["july 1991"]),  # exactly, ignoring case and spaces
            ("Seoul", ["Busan"]),  # wrong
            (None, ["eight"]),  # none given
        ]
    )
    assert scores == {
        "asked": 4,
        "given": 3,
        "exact": 1,
        "holds_answer": 2,
        "holds_answer_rate": 0.5,
        "precision": 0.666667,
    }


def test_highlights_are_scored_by_the_answer_they_hold() -> None:
    scores = highlight_scores(
        [("It opened in May 1937.", ["1937"]), ("The bridge is long.", ["1937", "May"])]
    )
    assert scores == {"asked": 2, "holds_answer": 1, "rate": 0.5}


def test_calibration_error_weights_each_bin_by_its_questions() -> None:
    # Bin 0.9: 4 questions at 0.9, 3 answerable (0.75): |0.9 - 0.75| = 0.15, weight 4/6.
    # Bin 0.1: 2 questions at 0.1, none answerable: |0.1 - 0| = 0.1, weight 2/6.
    scores = calibration([0.9, 0.9, 0.9, 0.9, 0.1, 0.1], [True, True, True, False, False, False])
    assert scores["ece"] == pytest.approx(0.15 * 4 / 6 + 0.1 * 2 / 6, abs=1e-6)  # rounded
    assert scores["brier"] == pytest.approx((3 * 0.01 + 0.81 + 2 * 0.01) / 6, abs=1e-6)
    assert [(b["bin"], b["n"]) for b in scores["bins"]] == [(1, 2), (9, 4)]
