"""How sure an answer is: a probability in [0, 1] that the documents answer the question.

A logistic model over two signals of the best ANSWER_PASSAGES passages, both already computed for
the answer:

    best_cosine    the best cosine of question and passage (the off-topic floor's signal)
    rule           1 when the abstention rule finds the answer (abstain.answerable), else 0

(The best sentence cosine was tried as a third signal: on the dev sets it took a negative weight,
being nearly the passage cosine again, and lowered no error; a confidence must not fall as the
evidence grows.)

The weights are fitted on the dev sets only, with `python -m citeqa.eval.confidence` (a logistic
fit by Newton's method), which prints the lines below; `citeqa eval` reports the calibration on
any set (expected calibration error, reliability plot).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from citeqa.index.retrieval import Hit

from .abstain import ANSWER_PASSAGES

SIGNALS = ("best_cosine", "rule")
# Fitted on asean-dev + asean-dev2 (155 questions, 34 unanswerable) by eval/confidence.py.
WEIGHTS = (0.1144, 4.0961)
BIAS = -1.5754


def signals(hits: Sequence[Hit], rule: bool) -> np.ndarray:
    """float64[len(SIGNALS)] for the first ANSWER_PASSAGES `hits` and the rule's verdict."""
    best_cosine = max((hit.dense_score for hit in hits[:ANSWER_PASSAGES]), default=-1.0)
    return np.array([best_cosine, float(rule)], dtype=np.float64)


def confidence(values: np.ndarray, weights: Sequence[float] = WEIGHTS, bias: float = BIAS) -> float:
    """The model's probability that the documents answer the question, rounded to 0.001."""
    z = float(np.dot(np.asarray(weights, dtype=np.float64), values)) + bias
    return round(1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0))), 3)
