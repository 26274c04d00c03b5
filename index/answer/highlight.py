"""The answering sentence of a passage: cheap lexical scoring, no extra model call."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from citeqa.corpus.sentences import split_sentences
from citeqa.corpus.text import looks_like_heading
from citeqa.index.retrieval.keyword import WordWeights, stem_texts

from .question_types import asked_type
from .short_answer import answer_values

# A sentence holding a value of the kind asked for (short_answer.answer_values) gains this, in
# idf units: more than a shared rare word or two, as the sentence echoing the question ("The
# maximum number of terms can be lowered ...") often sits beside the one giving the value; on
# the dev sets 6 to 25 all did better than the 3 of a bare date or number, 10 and 12 best.
TYPE_BONUS = 10.0
# Plus the sentence's cosine to the question (retrieval/sentences.py) times this, in idf units:
# the weight at which the highlight held the answer most often on the dev sets (15-40 all within
# 1.2 points; docs/evaluation.md).
COSINE_WEIGHT = 25.0


def highlight(
    question: str,
    passage_text: str,
    keyword: WordWeights,
    sentences: Sequence[tuple[int, int, float]] = (),
) -> tuple[int, int]:
    """(start, end) in `passage_text` of the sentence that best answers `question`.

    Score: the question's words found in the sentence, each weighted by its BM25 inverse
    document frequency in the index (so "PhD" outweighs "ASEAN"), plus TYPE_BONUS when the
    sentence holds a value of the kind the question asks for (short_answer.answer_values: a
    date for "when", a count for "how many", a name for "who"), plus COSINE_WEIGHT x its cosine
    to the question when `sentences` (search's (start, end, cosine) of each sentence of this
    passage) gives it.
    Headings, bylines and list markers (no closing punctuation, or under four words) are chosen
    only when nothing else is there. Ties go to the earlier sentence.
    """
    wanted = keyword.stems([question])[0]
    weights = {stem: keyword.idf(stem) for stem in wanted}
    asked = asked_type(question)
    cue = answer_cue(question) if asked is None else None
    found_sentences = sentences_of(passage_text)
    spans = [sentence.span for sentence in found_sentences]
    cosines = [c for _, _, c in sentences] if [(a, b) for a, b, _ in sentences] == spans else []
    best, best_score = 0, float("-inf")
    for i, sentence in enumerate(found_sentences):
        found = sentence.stems & wanted
        score = sum(weights[s] for s in found)
        if cosines:
            score += COSINE_WEIGHT * cosines[i]
        if _answers_kind(question, asked, cue, passage_text, sentence.span):
            score += TYPE_BONUS
        if sentence.states_nothing:
            score -= 100.0
        if score > best_score:
            best, best_score = i, score
    return _with_the_answer_beside(question, passage_text, found_sentences, best)


# What the sentence answering an untyped question tends to say: "because" to a "why", "stands
# for" to a "what does X mean", an instruction or a command to a "how do I".
_CUES = (
    (
        re.compile(r"^\s*why\b|\bwhat (is|was|are|were) the reasons?\b", re.I),
        re.compile(
            r"\b(because|due to|owing to|as a result|explained by|the reason|so that|in order to"
            r"|caused by|thanks to|therefore|since (?!\d))",
            re.I,
        ),
    ),
    (
        re.compile(
            r"\bwhat (does|do|did|is|are) .*\b(mean|stand for)\b|\bwhat is meant by\b", re.I
        ),
        re.compile(
            r"\b(stands? for|means|meaning|is short for|refers? to|abbreviat\w*|acronym"
            r"|is defined as|denotes)\b",
            re.I,
        ),
    ),
    (
        re.compile(r"^\s*how (do|can|should|would|could|may) (i|you|we|one)\b|^\s*how to\b", re.I),
        re.compile(
            r"\b(run|type|use|press|execute|enter|invoke|send|install|reconfigure|edit|add|set)\b"
            r"|(?:^|\s)[$#]\s+\S|\b\w+\([\w ,]*\)",
            re.I,
        ),
    ),
)


def _answers_kind(
    question: str,
    asked: str | None,
    cue: re.Pattern[str] | None,
    text: str,
    span: tuple[int, int],
) -> bool:
    """Whether the sentence at `span` holds what the question asks for: a value of its kind, or
    what answers its untyped kind (`answer_cue`)."""
    if asked is not None:
        return bool(answer_values(question, text[span[0] : span[1]]))
    return cue is not None and cue.search(text, *span) is not None


def answer_cue(question: str) -> re.Pattern[str] | None:
    """The pattern of what answers an untyped `question` (`_CUES`), or None."""
    return next((cue for asks, cue in _CUES if asks.search(question)), None)


# A sentence that announces what follows: "... by the following.", "... as follows:", "Here is
# the file:". What it announces (often a command or a table row) is the answer.
_LEAD_IN = re.compile(r"(?::|\b(?:as follows|following|below)\W?)\s*$", re.I)


def _with_the_answer_beside(
    question: str, text: str, sentences: Sequence[Sentence], best: int
) -> tuple[int, int]:
    """The best sentence, joined with its neighbour when the answer is there: the next one
    after a lead-in, or, for a question asking for a value (a number, a date, a name, a place),
    the next or the one before when the best holds no such value and that neighbour does (the
    sentence echoing the question often sits next to the one that answers it: "The maximum is
    defined by X. The default value of X is 1 billion.")."""
    start, end = sentences[best].span
    following = sentences[best + 1] if best + 1 < len(sentences) else None
    if following is not None and _LEAD_IN.search(text[start:end]):
        return start, following.span[1]
    if asked_type(question) is None or answer_values(question, text[start:end]):
        return start, end
    for near in (best + 1, best - 1):
        if 0 <= near < len(sentences) and not sentences[near].states_nothing:
            a, b = sentences[near].span
            if answer_values(question, text[a:b]):
                return min(start, a), max(end, b)
    return start, end


@dataclass(frozen=True)
class Sentence:
    span: tuple[int, int]
    stems: frozenset[str]
    states_nothing: bool  # a heading, a byline or a list marker (`states_nothing_of`)


@lru_cache(maxsize=8192)
def sentences_of(passage_text: str) -> tuple[Sentence, ...]:
    """The sentences of a passage with what `highlight` and the abstention rule need of them,
    worked out once per passage text (the same passages come back question after question).
    Keyed on the text alone: stems do not depend on the index, and an index in the key would keep
    old versions alive."""
    spans = split_sentences(passage_text) or [(0, len(passage_text))]
    texts = [passage_text[a:b] for a, b in spans]
    return tuple(
        Sentence(
            span,
            frozenset(stems),
            states_nothing_of(text),
        )
        for span, text, stems in zip(spans, texts, stem_texts(texts), strict=True)
    )


_FIELD = re.compile(r"\w:\s+\S")  # "Maintainer: Josip Rodin", "Default: 500"
_VALUE = re.compile(r"[\d@/$=<>]")


@lru_cache(maxsize=16384)
def states_nothing_of(text: str) -> bool:
    """A heading, a byline or a list marker: under four words with no value in them, or a
    heading-like line (corpus.text.looks_like_heading: short, capitalised, no closing
    punctuation) that is not a "Field: value" line. Table rows, code and field lines of manuals
    ("90 through 99 font synthesis", "$ diff -urN old new", "Maintainer: Josip Rodin") say
    something, often the very answer."""
    if len(text.split()) < 4:
        return _VALUE.search(text) is None
    return looks_like_heading(text) and _FIELD.search(text) is None
