"""Question -> ranked `Hit`s: dense (FAISS) and keyword (BM25) rankings fused, repeats removed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from citeqa.corpus import Passage

from .batching import BatchingEncoder
from .embedding import Encoder
from .highlight import highlight
from .store import IndexVersion

RRF_K = 60  # the constant of reciprocal-rank fusion (Cormack et al. 2009): damps the top ranks


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # fused relevance in (0, 1]: 1 = ranked first by both retrievers
    dense_score: float  # cosine similarity of question and passage, in [-1, 1]
    keyword_score: float  # BM25 score (0 when the passage shares no word with the question)
    highlight: tuple[int, int]  # the answering sentence, as offsets into passage.text


def search(
    index: IndexVersion, encoder: Encoder | BatchingEncoder, question: str, k: int
) -> list[Hit]:
    """The `k` best passages for `question`, best first, no two repeating each other."""
    size = len(index.passages)
    if size == 0 or k <= 0:
        return []
    pool = min(size, max(4 * k, 50))  # candidates from each retriever, room for removed repeats
    query = encoder.encode([question])
    _, dense_rows = index.faiss_index.search(query, pool)
    keyword_rows, keyword_scores = index.keyword.search(question, pool)
    fused: dict[int, float] = {}
    for rows in (dense_rows[0], keyword_rows):
        for rank, row in enumerate(rows):
            if row >= 0:
                fused[int(row)] = fused.get(int(row), 0.0) + 1.0 / (RRF_K + rank + 1)
    bm25 = dict(zip(keyword_rows.tolist(), keyword_scores.tolist(), strict=True))
    rows = list(fused)
    cosine = dict(zip(rows, (index.vectors[rows] @ query[0]).tolist(), strict=True))
    best = 2.0 / (RRF_K + 1)
    hits: list[Hit] = []
    seen: list[Passage] = []
    seen_texts: set[str] = set()
    # Equal fused scores (first in one ranking, second in the other) go to the closer meaning.
    for row in sorted(rows, key=lambda r: (-fused[r], -cosine[r])):
        passage = index.passages[row]
        text = _normalised(passage.text)
        if text in seen_texts or any(_overlaps(passage, other) for other in seen):
            continue
        seen.append(passage)
        seen_texts.add(text)
        hits.append(
            Hit(
                passage,
                round(fused[row] / best, 6),
                cosine[row],
                bm25.get(row, 0.0),
                highlight(question, passage.text, index.keyword),
            )
        )
        if len(hits) == k:
            break
    return hits


def _overlaps(passage: Passage, other: Passage) -> bool:
    """Whether more than half of `passage` is text of `other` (the same document's span)."""
    if passage.doc_id != other.doc_id:
        return False
    shared = min(passage.end, other.end) - max(passage.start, other.start)
    return shared > 0.5 * (passage.end - passage.start)


def _normalised(text: str) -> str:
    """The text with case and punctuation folded: one file indexed twice repeats exactly."""
    return re.sub(r"\W+", " ", text.lower()).strip()
