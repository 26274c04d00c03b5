"""Question -> ranked `Hit`s: dense (FAISS) and keyword (BM25) scores fused, repeats removed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from citeqa.corpus import Passage
from citeqa.index.encoder import BatchingEncoder, Encoder

from .fusion import dense_scores, field_lookup, folded, fuse, overlaps, release_heading
from .keyword import SegmentedKeywordIndex
from .scope import Allowed
from .sentences import SentenceScores


class SearchableIndex(Protocol):
    """What search reads of an index version (storage.version.IndexVersion), by global row."""

    @property
    def passages(self) -> Sequence[Passage]: ...

    @property
    def keyword(self) -> SegmentedKeywordIndex: ...

    def dense_search(
        self, query: np.ndarray, k: int, allowed: Allowed | None = None
    ) -> tuple[np.ndarray, np.ndarray]: ...

    def vectors_of(self, rows: Sequence[int] | np.ndarray) -> np.ndarray: ...

    def sentence_scores(
        self, rows: Sequence[int] | np.ndarray, query: np.ndarray
    ) -> SentenceScores: ...


@dataclass(frozen=True)
class Hit:
    passage: Passage
    # fused relevance in [0, 1] among this question's candidates (fusion.py); hits come best
    # first, save a record a quoted code looks up, which comes first whatever its score, and
    # the heading of a release the question names, lifted by RELEASE_HEADING_BONUS
    score: float
    dense_score: float  # cosine similarity of question and passage, in [-1, 1]
    keyword_score: float  # BM25 score (0 when the passage shares no word with the question)
    # The passage's sentences as (start, end, cosine to the question), offsets into passage.text.
    sentences: tuple[tuple[int, int, float], ...] = ()


RELEASE_HEADING_BONUS = 0.25  # on the fused [0, 1] scale: a quarter of the range


def search(
    index: SearchableIndex,
    encoder: Encoder | BatchingEncoder,
    question: str,
    k: int,
    allowed: Allowed | None = None,
) -> list[Hit]:
    """The `k` best passages for `question`, best first, no two repeating each other; only
    passages of `allowed` (scope.py) when given: both retrievers search only there."""
    size = len(index.passages) if allowed is None else allowed.passages
    if size == 0 or k <= 0:
        return []
    pool = min(size, max(4 * k, 50))  # candidates from each retriever, room for removed repeats
    query = encoder.encode([question])[0]
    dense_rows, _ = index.dense_search(query, pool, allowed)
    mask = None if allowed is None else allowed.mask
    keyword_rows, keyword_scores = index.keyword.search(question, pool, mask)
    rows = sorted(set(dense_rows.tolist()) | set(keyword_rows.tolist()))
    cosines = index.vectors_of(rows) @ query
    sentences = index.sentence_scores(rows, query)
    bm25 = dict(zip(keyword_rows.tolist(), keyword_scores.tolist(), strict=True))
    keyword = np.array([bm25.get(row, 0.0) for row in rows], dtype=np.float32)
    fused_scores = fuse(dense_scores(cosines, sentences.best()), keyword)
    fused = dict(zip(rows, fused_scores.tolist(), strict=True))
    cosine = dict(zip(rows, cosines.tolist(), strict=True))
    position = {row: i for i, row in enumerate(rows)}
    hits: list[Hit] = []
    seen: list[Passage] = []
    seen_texts: set[str] = set()
    # a lookup by a quoted code ("Which country has the code MK?") ranks the record holding it
    # as a field's value first
    lookup = field_lookup(question)
    looked_up = {row for row in rows if lookup and lookup(index.passages[row].text)}
    # the heading of a release the question names lifts the changelog's section for it, which
    # neither retriever ranks high ("When was tollgate 1.3.0 released?"), but not above a
    # passage holding the question's words under it
    order = dict(fused)
    if heads := release_heading(question):
        for row in rows:
            if heads(index.passages[row].text):
                order[row] += RELEASE_HEADING_BONUS
    for row in sorted(rows, key=lambda r: (r not in looked_up, -order[r], -cosine[r])):
        passage = index.passages[row]
        text = folded(passage.text)
        if text in seen_texts or any(overlaps(passage, other) for other in seen):
            continue
        seen.append(passage)
        seen_texts.add(text)
        spans = tuple(sentences.of(position[row]))
        hits.append(Hit(passage, round(fused[row], 6), cosine[row], bm25.get(row, 0.0), spans))
        if len(hits) == k:
            break
    return hits
