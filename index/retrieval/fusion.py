"""Mixing the retrievers' scores into one ranking, telling repeats apart, and reading a lookup
by a code ("Which country has the code MK?") that ranks its record first.

Scores are float32 arrays over one question's candidate passages (the union of what dense search
and BM25 found), in one order; the result is a relevance in [0, 1] among those candidates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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


# A code quoted as what a record is looked up by, right after a word naming a code ("the
# two-letter code MK", "currency BAM", "ticker XYZ"). Not an acronym elsewhere in a question,
# which names its subject ("What is the CSP?"), nor a number but a numeric code ("error code
# 404" is no row of a country table that gives 404 as its numeric code).
_CODE_WORD = (
    r"(?:codes?|abbreviations?|symbols?|ids?|identifiers?|currency|currencies|alpha-?[23]"
    r"|tickers?|prefix(?:es)?|callsigns?)"
)
_CODE = r"(?<![\w./-])[A-Z][A-Z0-9]{1,5}(?![\w]|[.-]\w)"
_LOOKED_UP = re.compile(
    rf"\b(?i:{_CODE_WORD})\s+(?:(?i:is|of|was)\s+|=\s*)?[\"'“‘(]?(?P<code>{_CODE})"
    # a number only as a numeric code: "numeric code 997", not "error code 404"
    r"|\b(?i:numeric(?:\s+code)?)\s+(?:(?i:is|of)\s+)?(?P<number>\d{2,})\b"
)


def looked_up_values(question: str) -> frozenset[str]:
    """The codes `question` looks a record up by ("Which country has the code MK?")."""
    return frozenset(m.group("code") or m.group("number") for m in _LOOKED_UP.finditer(question))


def field_lookup(question: str) -> Callable[[str], bool] | None:
    """Whether a text gives a value `question` looks a record up by as a field's value
    ("alpha_2: MK;"): the row asked for, which BM25 weighs little in a long table and the
    encoder not at all. None when it looks up nothing."""
    quoted = looked_up_values(question)
    if not quoted:
        return None
    return lambda text: not quoted.isdisjoint(field_values(text))


# A release a question names: three parts or more ("1.3.0", "v2.0.1"), or two after "version"
# or "release" ("version 4.2").
_RELEASE_NAMED = re.compile(
    r"(?<![\w.])[vV]?(\d+\.\d+\.\d+(?:\.\d+)*)(?![\w.]*\d)"
    r"|\b(?i:version|release)\s+[vV]?(\d+\.\d+)(?![\w.]*\d)"
)


def release_heading(question: str) -> Callable[[str], bool] | None:
    """Whether a text holds the heading of a release `question` names, a line of its own
    ("[1.3.0] - 2024-05-14", "v1.3.0 (14 May 2024)", "Version 4.2"): the changelog's section
    for it, whose items rarely repeat the words of a question about it ("When was tollgate
    1.3.0 released?"). None when it names no release."""
    named = {a or b for a, b in _RELEASE_NAMED.findall(question)}
    if not named:
        return None
    heading = re.compile(
        r"^[#\s\[(]*(?:(?i:version|release|v)\s*)?(?:"
        + "|".join(re.escape(number) for number in named)
        + r")(?![\w.]*\d)[^\n]{0,40}$",
        re.M,
    )
    return lambda text: heading.search(text) is not None


# a record's last field may end its sentence: "...; name: SKP."
_FIELD_VALUE = re.compile(r"[\w-]:[ \t]*([^\s;:]+?)\.?(?=[ \t]*(?:[;\n]|$))")


@lru_cache(maxsize=16384)  # the same candidates come back question after question
def field_values(text: str) -> frozenset[str]:
    """The one-word values of `text`'s "field: value" records ("alpha_2: MK; ..." -> MK)."""
    return frozenset(_FIELD_VALUE.findall(text))
