"""The answering sentence of a passage: cheap lexical scoring, no extra model call."""

from __future__ import annotations

import re

from citeqa.corpus.sentences import split_sentences

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just me more most my
    no nor not of off on once only or other our out over own same she should so some such than that
    the their them then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours""".split()
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_NUMBER = re.compile(r"\d")


def terms(text: str) -> set[str]:
    """Lower-cased content words, crudely stemmed so "cooperating" meets "cooperation"."""
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS}


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def highlight(question: str, passage_text: str) -> tuple[int, int]:
    """(start, end) in `passage_text` of the sentence that best answers `question`.

    Score: the question's content words found in the sentence (longer and numeric words weigh
    more), plus a bonus when the sentence holds what the question asks for (a date for "when",
    a number for "how many"). Ties go to the earlier sentence.
    """
    spans = split_sentences(passage_text) or [(0, len(passage_text))]
    wanted = terms(question)
    asks = question.lower()
    best, best_score = spans[0], float("-inf")
    for start, end in spans:
        sentence = passage_text[start:end]
        found = terms(sentence) & wanted
        score = sum(1.0 + min(len(t), 12) / 6 + (1.0 if t.isdigit() else 0.0) for t in found)
        # A sentence without a date cannot answer "when", one without a number "how many": on
        # topic (sharing a word) and of the asked type outweighs sharing more words.
        if found and re.search(r"\b(when|what year|which year|what date)\b", asks):
            score += 4.0 if _YEAR.search(sentence) or _MONTH.search(sentence) else 0.0
        if found and re.search(
            r"\bhow (many|much|long|large|big)\b|\bwhat (percentage|share|number)\b", asks
        ):
            score += 4.0 if _NUMBER.search(sentence) else 0.0
        if len(sentence.split()) < 4:  # headings and list markers answer nothing
            score -= 2.0
        if score > best_score:
            best, best_score = (start, end), score
    return best
