"""Question -> ranked `Hit`s from a loaded index version."""

from __future__ import annotations

from dataclasses import dataclass

from citeqa.corpus import Passage

from .embedding import Encoder
from .highlight import highlight
from .store import IndexVersion


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # cosine similarity of question and passage, in [-1, 1]
    highlight: tuple[int, int]  # the answering sentence, as offsets into passage.text


def search(index: IndexVersion, encoder: Encoder, question: str, k: int) -> list[Hit]:
    """The `k` passages most similar to `question`, best first."""
    n = min(k, len(index.passages))
    if n <= 0:
        return []
    query = encoder.encode([question])
    scores, rows = index.faiss_index.search(query, n)
    return [
        Hit(index.passages[row], float(score), highlight(question, index.passages[row].text))
        for score, row in zip(scores[0], rows[0], strict=True)
        if row >= 0
    ]
