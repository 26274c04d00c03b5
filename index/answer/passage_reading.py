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
from dataclasses import dataclass

from citeqa.index.retrieval.keyword import word_stems

from .highlight import (
    is_field_line,
    is_listed_field_line,
    may_head_a_table,
    states_nothing_of,
    titled,
)
from .narrowing import release_heading
from .posts import keyed_by_a_post
from .question_types import person_spans
from .rows import TABLE_ROW

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


# A short sentence with no subject of its own carries on the one before it, which says what it
# is about: "- Heap buffer overflow in the GIF decoder (GHSA-...). Reported by Kenji Mori.",
# "... offers commercial support contracts. Contact support@hollinworks.co.uk."
_WITHOUT_A_SUBJECT = re.compile(
    r"\s*(?:[A-Z][a-z]+ed\s+(?:by|in|on|at|from|to|with|for|under)\b"
    r"|(?:Contact|E-?mail|Call|Ring|Phone|Write to|Speak to|Ask)\s)"
)
CARRIED_WORDS = 8  # words a sentence carrying on the one before may have
RECORD_LINE_WORDS = 25  # words of a record's line; a speaker's turn in an interview runs longer


def _spoken(line: str) -> bool:
    """Whether a "Key: value" line is a turn of an interview, keyed by who speaks: initials
    ("AF: The ASEAN community welcomed ...") or a person ("Ambassador Lee: I firmly believe")."""
    key = line.split(":", 1)[0].strip()
    return (key.isupper() and len(key) <= 4) or bool(person_spans(key))


@dataclass
class SentenceSetting:
    """What the sentences read before it tell of one sentence (`PassageReading.read`)."""

    field: bool  # a record's field line ("Maintainer: Josip Rodin")
    # the stems of what the record the sentence continues is of, or of its table's header row
    context: AbstractSet[str]
    record_names: AbstractSet[str]  # the names the record's lines have given so far
    answering_above: AbstractSet[str]  # the stems of the FAQ question the sentence answers
    item: tuple[bool, bool]  # the sentence is a list's item, a keyed line
    siblings: bool  # an item of the same list as the sentence before
    row: bool  # a table's row
    near: str  # the sentence with the one before it (and the line leading into its record)
    words_before: int  # the passage's words before the sentence
    carried: AbstractSet[str]  # the stems of the sentence before, when it carries that one on


@dataclass
class PassageReading:
    """What a passage has said so far, read a sentence at a time: `read` each sentence, judge
    it, then `move_past` it."""

    previous: str = ""
    previous_stems: AbstractSet[str] = frozenset()
    earlier_stems: AbstractSet[str] = frozenset()  # the sentence before the previous one's
    record: AbstractSet[str] = frozenset()  # what the record being read is of
    record_names: AbstractSet[str] = frozenset()  # the words of its lines so far
    previous_field: bool = False  # the sentence before: a record's field line
    previous_record_line: bool = False  # ... or a list's line keyed as a field
    record_lead: str = ""  # the sentence leading into the record being read
    heading: str = ""  # the last heading read in the passage, and its stems: a section's
    heading_stems: AbstractSet[str] = frozenset()  # lines are about what it names
    release: str = ""  # the last heading naming a release ("2.4.1 — 2024-09-09")
    previous_item: tuple[bool, bool] = (False, False)  # the sentence before: an item, a keyed line
    lead_in: str = ""  # the sentence announcing the list being read ("Current rates:")
    lead_in_stems: AbstractSet[str] = frozenset()  # its words: what the list's lines are of
    asked_above: str = ""  # the last question the passage asks (an FAQ's entry)
    # a table's header row: its rows' cells are of what it names ("Division | Maximum average
    # rating" over "Division 2 | 1650")
    header_text: str = ""
    header_stems: AbstractSet[str] = frozenset()
    table_lead: str = ""  # the line leading into the table ("Waiting list (at 1 March 2025):")
    table_lead_stems: AbstractSet[str] = frozenset()
    in_table: bool = False
    words_before: int = 0

    def read(self, text: str, own_stems: AbstractSet[str]) -> SentenceSetting:
        """The setting of the next sentence, `text` (its stems: `own_stems`)."""
        # a field line of a record is about what the field line before it names too, and what
        # the record's first line and the sentence leading into it name ("Here is the control
        # file dh_make created for gentoo:" ... "4 Maintainer: Josip Rodin")
        field = is_field_line(text)
        # a record's first line is of what the sentence leading into it names, as its other
        # lines are ("**Annual Lecture 2024** — 17 April" over "Speaker: Prof. David Ellery"),
        # not an interview's turn, a long line of its own ("AF: ... APEC ..." over "Ambassador
        # Lee: I firmly believe ...")
        opens_record = (
            field
            and not self.previous_field
            and not self.previous.rstrip().endswith("?")
            and len(text.split()) <= RECORD_LINE_WORDS
            and not _spoken(text)
        )
        context: AbstractSet[str]
        if field and self.previous_field:  # continues_record
            context = self.record | self.previous_stems
        else:
            context = frozenset()
            self.record = self.previous_stems | own_stems if field else frozenset()
            self.record_lead = self.previous if field else ""
        # the names a record's lines give are each line's: "- Dates: Tuesday evenings" over
        # "- Timekeeper: Mrs Doreen Wadsworth" of one series (not an interview's "Q: ...?", nor
        # a list of officers' "Chair: ...", whose lines are each of its own holder)
        record_line = field or is_listed_field_line(text)
        if not (record_line and self.previous_record_line):
            self.record_names = frozenset()
        if record_line and not text.rstrip().endswith("?") and not keyed_by_a_post(text):
            # a list's line lends its value, not its key: "- Llangollen and back: 36 hours"
            # keys its own thing (a record's field names are the record's: "Maintainer:")
            self.record_names |= (
                own_stems if field else {stem for _, stem in word_stems(text.split(":", 1)[-1])}
            )
        self.previous_field, self.previous_record_line = field, record_line
        row = TABLE_ROW.search(text) is not None
        if row and not self.in_table:  # the table's first row: its header, unless it holds a value
            self.header_text = text if may_head_a_table(text) else ""
            self.header_stems = frozenset() if self.header_text == "" else own_stems
            led = self.previous.rstrip().endswith(":")
            self.table_lead = self.previous if led else ""
            self.table_lead_stems = self.previous_stems if led else frozenset()
        elif not row:
            self.header_text, self.header_stems = "", frozenset()
            self.table_lead, self.table_lead_stems = "", frozenset()
        if row:
            context |= self.header_stems | self.table_lead_stems
        # an FAQ's answer is about what the question over it asks ("What temperature should my
        # cellar be?" over "Between 11°C and 13°C, with 12°C ideal."), not an interview's answer
        # about what its long question sets out ("AF: In light of ... China ...?")
        previous, previous_stems = self.previous, self.previous_stems
        answering_above = (
            self.previous_stems
            if previous.rstrip().endswith("?")
            and len(previous.split()) <= FAQ_QUESTION_WORDS
            and not SPEAKER.match(previous)
            else frozenset()
        )
        item = (LIST_ITEM.match(text) is not None, KEYED_ITEM.match(text) is not None)
        siblings = (item[0] and self.previous_item[0]) or (
            item[1] and self.previous_item[1] and not field
        )
        near = previous + " " + text
        if row:  # a table's row, under what leads into the table and its header row
            near = (
                " ".join(part for part in (self.table_lead, self.header_text) if part not in near)
                + f" {near}"
            )
        if context:  # a record's line, under what leads into the record ("ENROLMENT SUMMARY
            # (as of 28 February 2025)" over "Screened: 311", "Randomised: 164")
            near = f"{self.record_lead} {near}"
        words_before = self.words_before
        self.words_before += len(text.split())
        carried = (
            previous_stems
            if opens_record
            or (_WITHOUT_A_SUBJECT.match(text) and len(text.split()) <= CARRIED_WORDS)
            else frozenset()
        )
        return SentenceSetting(
            field, context, self.record_names, answering_above, item, siblings, row, near,
            words_before, carried,
        )  # fmt: skip

    def move_past(
        self, text: str, own_stems: AbstractSet[str], setting: SentenceSetting, releases: bool
    ) -> None:
        """Take in the sentence just judged (`text`, read as `setting`); with `releases`, note a
        heading naming a release (narrowing.release_heading)."""
        self.previous, self.previous_stems, self.earlier_stems = (
            text, own_stems, self.previous_stems,
        )  # fmt: skip
        self.previous_item = setting.item
        self.in_table = setting.row
        if releases and release_heading(text):
            self.release = text
        if text.rstrip().endswith(":"):  # a lead-in, not a heading: "Current rates:"
            self.lead_in, self.lead_in_stems = text, own_stems
        elif setting.row:  # a table's rows are a lead-in's lines as a list's are
            pass
        elif states_nothing_of(text) or titled(text):
            self.heading, self.heading_stems = text, own_stems
        elif text.rstrip().endswith("?"):
            # an FAQ's question names what its answer prices ("Who can I contact for commercial
            # support?" over "... Support contracts start at EUR 4,800 per year."), but its
            # words are not the answer's: an interviewer's "... with China?" does not make an
            # answer about Japan one about China
            self.asked_above = text
            if not LIST_ITEM.match(text):
                self.lead_in, self.lead_in_stems = "", frozenset()
        elif not LIST_ITEM.match(text):
            self.lead_in, self.lead_in_stems = "", frozenset()
