"""Mixing the retrievers' scores into one ranking, and telling repeats apart.

Scores are float32 arrays over one question's candidate passages (the union of what dense search
and BM25 found), in one order; the result is a relevance in [0, 1] among those candidates.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from citeqa.corpus import Passage

# Each retriever's scores are scaled to [0, 1] over the candidates (min-max) and mixed with equal
# weights: on SciFact nDCG@10 0.730 against 0.713 for reciprocal-rank fusion (k = 60), and
# weights 0.4-0.6 all land within 0.005 (docs/evaluation.md).
DENSE_WEIGHT = 0.5
# A candidate's dense score mixes its own cosine with its best sentence's (sentences.py), so a
# passage holding one sentence close to the question is not buried by its other sentences; 0.75
# is the only weight of the grid in docs/evaluation.md that gains on both dev sets and SciFact.
SENTENCE_WEIGHT = 0.75


def dense_scores(cosines: np.ndarray, best_sentence: np.ndarray) -> np.ndarray:
    """float32[n]: the passage cosine mixed with its best sentence's (NaN: the passage has no
    sentence vectors, and its own cosine stands)."""
    dense = cosines.copy()
    has = ~np.isnan(best_sentence)
    dense[has] = (1 - SENTENCE_WEIGHT) * cosines[has] + SENTENCE_WEIGHT * best_sentence[has]
    return dense


def fuse(dense: np.ndarray, keyword: np.ndarray) -> np.ndarray:
    """float[n] in [0, 1]: the two rankings' scores, each scaled over the candidates, mixed."""
    return DENSE_WEIGHT * min_max(dense) + (1 - DENSE_WEIGHT) * min_max(keyword)


def min_max(scores: np.ndarray) -> np.ndarray:
    """Scores scaled to [0, 1] over this question's candidates (all 0 when they are equal)."""
    low, high = float(scores.min()), float(scores.max())
    if high <= low:
        return np.zeros_like(scores)
    return (scores - low) / (high - low)


def overlaps(passage: Passage, other: Passage) -> bool:
    """Whether more than half of `passage` is text of `other` (the same document's span)."""
    if passage.doc_id != other.doc_id:
        return False
    shared = min(passage.end, other.end) - max(passage.start, other.start)
    return shared > 0.5 * (passage.end - passage.start)


@lru_cache(maxsize=8192)
def folded(text: str) -> str:
    """The text with case and punctuation folded: one file indexed twice repeats exactly."""
    return re.sub(r"\W+", " ", text.lower()).strip()
