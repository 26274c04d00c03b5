"""How a passage's sentences lean on one another, as the abstention rule reads them.

A sentence rarely stands alone: a list's item is about what the line leading into it announces
("Current rates:" over "- Senior (65+): £22 a year"), a sentence opening "It" or "his" is about the
name the one before it gave, a byline ending "by:" names who did what the next line tells, and an
FAQ's answer is about the short question over it. The patterns and small functions here tell
those links apart; abstain.answer_strength follows them sentence by sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet

FAQ_QUESTION_WORDS = 15  # an FAQ's entry asks in a line; an interviewer sets out a case
SPEAKER = re.compile(r"\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s*:\s")  # "AF: ", "Ambassador Lee: "
TITLE_BLOCK_WORDS = 60  # words of a document's opening a dateline may follow (title, byline)
# Share of the question's topic a document's card must hold for its dateline to tell when the
# document the question names came out (the card's words count as each sentence's own).
DATELINE_COVERAGE = 0.4


def opens_the_document(sentences: Sequence[tuple[str, AbstractSet[str], float]], card: str) -> bool:
    """Whether the passage is its document's opening: its first words are those the card
    (keyword.document_card) ends with."""
    first = " ".join(" ".join(text for text, _, _ in sentences[:3]).split()[:6])
    return bool(first) and first in " ".join(card.split())


def next_text(sentences: Sequence[tuple[str, AbstractSet[str], float]], i: int) -> str:
    """The text of the sentence after the `i`th, or nothing at the passage's end."""
    return sentences[i + 1][0] if i + 1 < len(sentences) else ""


DIGIT = re.compile(r"\d")
# An item of a list: "- Senior (65+): £22 a year", "2. Adult".
LIST_ITEM = re.compile(r"\s*(?:[-*•–]|\d{1,2}[.)])\s")
# A sentence ending in what it announces: "Version 3.2.1, prepared by:".
LEADS_IN = re.compile(r":\s*$")
# A line keyed by what it tells of, as a list's items are when a page drops their markers:
# "Audlem and back (short break): 15 locks each way".
KEYED_ITEM = re.compile(r"\s*[A-Z][^:\n]{1,60}:\s+\S")
# A sentence going on about the thing the one before it named: "The default value of this macro".
CARRIES_ON = re.compile(r"\s*(?:[\w'’-]+[\s,]+){0,5}?(?:this|these|it|its|such)\b", re.I)


# A sentence about someone named before it calls them "he", "his", "their": "However, his position
# shifted, culminating in three meetings with the North Korean leader in Singapore ..." is about
# the Trump named two sentences back.
_REFERS_BACK = re.compile(r"\s*(?:\w+,?\s+){0,2}?(?:he|she|his|her|they|their|its)\b", re.I)


# A byline leading into the next line: "Changes for fontconfig 2.3 packages by:" then "Keith
# Packard <keithp@...>".
_LEADS_INTO = re.compile(r"\b(?:by|from)\s*:\s*$", re.I)


def led_into(
    text: str, following: Sequence[tuple[str, AbstractSet[str], float]]
) -> AbstractSet[str]:
    """The stems of the sentence `text` leads into with a closing "by:" or "from:"
    (`following`: it, or nothing at a passage's end), which name who did what `text` tells."""
    return following[0][1] if following and _LEADS_INTO.search(text) else frozenset()


def named_around(
    text: str,
    stems: AbstractSet[str],
    previous: AbstractSet[str],
    earlier: AbstractSet[str],
) -> AbstractSet[str]:
    """The stems whose names a sentence holds: its own and the sentence before's, and, when it
    opens referring back with a pronoun, the one before that too."""
    named = stems | previous
    return named | earlier if _REFERS_BACK.match(text) else named
