"""Question -> ranked `Hit`s: dense (FAISS) and keyword (BM25) scores fused, repeats removed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from citeqa.corpus import Passage

from .batching import BatchingEncoder
from .embedding import Encoder
from .highlight import highlight
from .version import IndexVersion

# Fusion: each retriever's scores over the candidates are scaled to [0, 1] (min-max) and mixed
# with equal weights. Measured on SciFact (300 queries, same index, one run): nDCG@10 0.730 against
# 0.713 for reciprocal-rank fusion (k = 60); weights 0.4-0.6 all land within 0.005.
DENSE_WEIGHT = 0.5
# A candidate's dense score: its own cosine mixed with its best sentence's (sentence_vectors.py),
# so a passage holding one sentence close to the question is not buried by its other sentences.
# Measured 2026-11-25 against the passage cosine alone, at weight 0.5: shipped set hit@5 0.906 ->
# 0.938, MRR@10 0.742 -> 0.761; held-out MRR@10 0.912 -> 0.934; SciFact nDCG@10 0.7312 -> 0.7366.
# 0.75 then won on both QA sets without a loss on SciFact (shipped MRR@10 0.770, held-out 0.943,
# SciFact nDCG@10 0.7373 with 200 passages a query, 0.7338 against 0.7337 with 50, recall@100
# equal), the only setting of a grid (dense weight 0.4-0.7 x sentence weight 0.25-1 x best
# sentence or with its neighbour x BM25 raw, square root or log) to do so: the others traded one
# set against another within a few questions. Candidates still come from the passage-level dense
# search and BM25: adding the passages of the 20-800 best sentences changed no SciFact figure.
SENTENCE_WEIGHT = 0.75


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # fused relevance in [0, 1] among this question's candidates (DENSE_WEIGHT)
    dense_score: float  # cosine similarity of question and passage, in [-1, 1]
    keyword_score: float  # BM25 score (0 when the passage shares no word with the question)
    highlight: tuple[int, int]  # the answering sentence, as offsets into passage.text
    # The passage's sentences as (start, end, cosine to the question); () for a passage of a
    # segment written without sentence vectors.
    sentences: tuple[tuple[int, int, float], ...] = ()


def search(
    index: IndexVersion, encoder: Encoder | BatchingEncoder, question: str, k: int
) -> list[Hit]:
    """The `k` best passages for `question`, best first, no two repeating each other."""
    size = len(index.passages)
    if size == 0 or k <= 0:
        return []
    pool = min(size, max(4 * k, 50))  # candidates from each retriever, room for removed repeats
    query = encoder.encode([question])
    dense_rows, _ = index.dense_search(query[0], pool)
    keyword_rows, keyword_scores = index.keyword.search(question, pool)
    rows = sorted(set(dense_rows.tolist()) | set(keyword_rows.tolist()))
    cosines = index.vectors_of(rows) @ query[0]
    sentences = index.sentence_scores(rows, query[0])
    best_sentence = sentences.best()
    has = ~np.isnan(best_sentence)
    dense = cosines.copy()
    dense[has] = (1 - SENTENCE_WEIGHT) * cosines[has] + SENTENCE_WEIGHT * best_sentence[has]
    bm25 = dict(zip(keyword_rows.tolist(), keyword_scores.tolist(), strict=True))
    keyword = np.array([bm25.get(row, 0.0) for row in rows], dtype=np.float32)
    fused_scores = DENSE_WEIGHT * _min_max(dense) + (1 - DENSE_WEIGHT) * _min_max(keyword)
    fused = dict(zip(rows, fused_scores.tolist(), strict=True))
    cosine = dict(zip(rows, cosines.tolist(), strict=True))
    position = {row: i for i, row in enumerate(rows)}
    hits: list[Hit] = []
    seen: list[Passage] = []
    seen_texts: set[str] = set()
    for row in sorted(rows, key=lambda r: (-fused[r], -cosine[r])):
        passage = index.passages[row]
        text = _normalised(passage.text)
        if text in seen_texts or any(_overlaps(passage, other) for other in seen):
            continue
        seen.append(passage)
        seen_texts.add(text)
        spans = tuple(sentences.of(position[row]))
        hits.append(
            Hit(
                passage,
                round(fused[row], 6),
                cosine[row],
                bm25.get(row, 0.0),
                highlight(question, passage.text, index.keyword, spans),
                spans,
            )
        )
        if len(hits) == k:
            break
    return hits


def _min_max(scores: np.ndarray) -> np.ndarray:
    """Scores scaled to [0, 1] over this question's candidates (all 0 when they are equal)."""
    low, high = float(scores.min()), float(scores.max())
    if high <= low:
        return np.zeros_like(scores)
    return (scores - low) / (high - low)


def _overlaps(passage: Passage, other: Passage) -> bool:
    """Whether more than half of `passage` is text of `other` (the same document's span)."""
    if passage.doc_id != other.doc_id:
        return False
    shared = min(passage.end, other.end) - max(passage.start, other.start)
    return shared > 0.5 * (passage.end - passage.start)


@lru_cache(maxsize=8192)
def _normalised(text: str) -> str:
    """The text with case and punctuation folded: one file indexed twice repeats exactly."""
    return re.sub(r"\W+", " ", text.lower()).strip()
