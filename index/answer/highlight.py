"""The answering sentence of a passage: cheap lexical scoring, no extra model call."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from citeqa.corpus.sentences import split_sentences
from citeqa.corpus.text import looks_like_heading
from citeqa.index.retrieval.fusion import field_values, looked_up_values
from citeqa.index.retrieval.keyword import WordWeights, held_stems, stem_texts

from .alternatives import tells_the_other_end
from .cues import ASKS_WHY, Cue, acronym_asked, answer_cue, spells_out
from .lists import list_follows, things_asked
from .named_things import another_number_of, asks_scheme, numbered_names
from .narrowing import asks_release_of, release_heading, told_vaguely, value_unit
from .patterns import asks
from .places import address_spans, postal_address_spans
from .question_types import (
    ASKS_LOCATION,
    asked_type,
    asking_clause,
    dated,
    names_the_body_kind_asked,
    person_spans,
)
from .rows import (
    CELL_BREAK,
    LEADER,
    TABLE_ROW,
    holds_a_bare_value,
    keyed_by_a_band,
    ordinal_numbers,
    rows_asked,
)
from .short_answer import (
    answer_values,
    asks_publication,
    is_dateline,
    of_another_date,
    short_answer,
)

# A sentence holding a value of the kind asked for (short_answer.answer_values) gains this, in
# idf units: more than a shared rare word or two, as the sentence echoing the question ("The
# maximum number of terms can be lowered ...") often sits beside the one giving the value; on
# the dev sets 6 to 25 all did better than the 3 of a bare date or number, 10 and 12 best.
TYPE_BONUS = 10.0
# The share of it a sentence gets whose values answer only loosely: quantities told vaguely
# ("every few minutes", "a few dozen bytes"), or bodies not of the kind asked for by its word
# ("the Asan Institute" for "which university"). One telling the number, or naming a
# University, answers better.
LOOSE_SHARE = 0.5
# A sentence naming every year (or period) the question names, and sharing another of its words,
# gains this, in idf units: years are common words of an index, and weigh little as shared
# words, but pin the answer down.
YEARS_BONUS = 5.0
# Plus the sentence's cosine to the question (retrieval/sentences.py) times this, in idf units:
# the weight at which the highlight held the answer most often on the dev sets (15-40 all within
# 1.2 points; docs/evaluation.md).
COSINE_WEIGHT = 25.0
# A sentence that denies where the question asserts, or the other way round, loses this, in idf
# units: "Prior to version 3.6.18, triggers were not recursive" does not say which version made
# them so, and "This version doesn't handle the REAL type" is what "Which type does it not
# handle?" asks for.
POLARITY_PENALTY = 5.0
# Not inside a name: "70-no-bitmaps.conf" denies nothing.
_NEGATION = re.compile(
    # "No. 23" numbers a piece, denying nothing
    r"(?<![\w./-])(?:not|no(?!\.?\s*\d)|never|none|nothing|neither|nor|without|cannot)(?![\w/-])"
    r"|n['’]t\b",
    re.I,
)


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
    date for "when", a count for "how many", a name for "who"), plus LITERAL_BONUS when it
    holds a tag or a number the question quotes ("W:", "997"), plus COSINE_WEIGHT x its cosine
    to the question when `sentences` (search's (start, end, cosine) of each sentence of this
    passage) gives it.
    Headings, bylines and list markers (no closing punctuation, or under four words) and the
    text's own questions (an FAQ's entries) are chosen only when nothing else is there; the
    sentence after such a question gains the words it shares with `question`. Ties go to the
    earlier sentence.
    """
    found_sentences = sentences_of(passage_text)
    wanted = keyword.stems([question])[0]
    scores, fits = _highlight_scores(question, passage_text, keyword, sentences, wanted)
    best = max(range(len(scores)), key=scores.__getitem__)  # max keeps the first on a tie
    best = _the_row_asked(question, passage_text, found_sentences, best, scores)
    return _with_the_answer_beside(question, passage_text, found_sentences, best, wanted, fits)


def _the_row_asked(
    question: str, text: str, sentences: Sequence[Sentence], best: int, scores: Sequence[float]
) -> int:
    """`best`, or, when it is a row of a table, the row of that table the question asks of: the
    one holding the short answer read from the whole table (its header naming the column, the
    row named by the question's words and numbers: short_answer, rows.rows_asked), when its
    score comes within ROW_SWITCH_MARGIN of the best's: the sentence scores weigh a row's words
    alone ("Family Rover (2 adults ...)" shares "adult" with "day rover adult fare" as much as
    "Day Rover" shares "day"), and the table's reading decides among rows scored alike, not
    over a row holding a rarer word ("Brahms") the table's reading counts as one."""

    def is_row(j: int) -> bool:
        row = text[sentences[j].span[0] : sentences[j].span[1]]
        return _CELLS.search(row) is not None and "\n" not in row

    if not is_row(best):
        return best
    first, last = best, best
    while first > 0 and is_row(first - 1):
        first -= 1
    while last + 1 < len(sentences) and is_row(last + 1):
        last += 1
    if first == last:
        return best
    start = sentences[first].span[0]
    table = text[start : sentences[last].span[1]]
    # its first line names the columns when it is a header ("Ticket | Adult | Senior (65+)");
    # a row's values name none the question asks by
    found = short_answer(question, table, table.split("\n", 1)[0]) if asked_type(question) else None
    if found is not None:
        at = start + found[0]
    else:
        rows = rows_asked(question, table)
        if rows is None or len(rows) != 1:
            return best
        at = start + rows[0][0]
    row = next(
        (j for j in range(first, last + 1) if sentences[j].span[0] <= at < sentences[j].span[1]),
        best,
    )
    return row if scores[row] >= scores[best] - ROW_SWITCH_MARGIN else best


# How far below the best a table's row the table's reading picks may score and still be shown,
# in idf units: about one shared common word.
ROW_SWITCH_MARGIN = 2.0


def _highlight_scores(
    question: str,
    passage_text: str,
    keyword: WordWeights,
    sentences: Sequence[tuple[int, int, float]] = (),
    wanted: AbstractSet[str] | None = None,
) -> tuple[list[float], list[float]]:
    """The score `highlight` gives each sentence of `sentences_of(passage_text)`, in order
    (`wanted`: the question's stems, when known), and how well each holds what is asked
    (`_fit`)."""
    if wanted is None:
        wanted = keyword.stems([question])[0]
    found_sentences = sentences_of(passage_text)
    weights = {stem: keyword.idf(stem) for stem in wanted}
    asked = asked_type(question)
    cue = answer_cue(question) if asked is None else None
    spans = [sentence.span for sentence in found_sentences]
    cosines = cosines_of(spans, sentences, passage_text) if sentences else []
    if any(math.isnan(c) for c in cosines):
        cosines = []  # sentences split otherwise than search's: judged by their words alone
    shared = [sum(weights[s] for s in sentence.stems & wanted) for sentence in found_sentences]
    denies = asks(_NEGATION, question) is not None
    acronym = acronym_asked(question)
    texts = [passage_text[a:b] for a, b in spans]
    values = [answer_values(question, text) if asked else [] for text in texts]
    fits = [_fit(question, asked, cue, t, v) for t, v in zip(texts, values, strict=True)]
    asked_years = dated(question)
    literals = _literals(question)
    numbered = numbered_names(question)
    publication = asks_publication(question)
    scheme = asked == "specific" and asks_scheme(question)
    placed = ordinal_numbers(question)
    releases = asks_release_of(question, asked)
    if releases:  # an item of a changelog holds the version of the release heading above it
        heading = None
        for i, text in enumerate(texts):
            if release_heading(text):
                heading = i
            elif heading is not None and not values[i]:
                fits[i] = fits[heading]
    for i in _header_rows(tuple(texts)):  # a table's header names its columns: no value
        fits[i] = 0.0
    # a code quoted marks the record whose field gives it ("currency BAM": "alpha_3: BAM;")
    codes = {code for code in looked_up_values(question) if not code.isdigit()}
    if asked == "quantity":
        _loosen_the_vague(texts, values, fits)
    _fit_the_column_asked(found_sentences, wanted, fits, values)
    if asked == "place" and asks(ASKS_LOCATION, asking_clause(question)):
        _prefer_the_address(texts, values, fits)
    scores = []
    for i, sentence in enumerate(found_sentences):
        score = shared[i]
        a, b = sentence.span
        if sentence.denies != denies and not _CELLS.search(texts[i]):
            # (a table's cell describes: "Log intended changes without applying them")
            score -= POLARITY_PENALTY
        if numbered and another_number_of(numbered, texts[i]):
            score -= TYPE_BONUS  # "Python 3.9" is not the "Python 3.8" asked about
        if cosines:
            score += COSINE_WEIGHT * cosines[i]
        score += TYPE_BONUS * fits[i]
        if (
            asked_years
            and sentence.stems & wanted - asked_years  # not the year alone: reports give it once
            and _names_the_years(texts[i], asked_years)
        ):
            score += YEARS_BONUS  # "(2019 - 2023)" asked of "Copyright © 2019 - 2023 ..."
        if acronym and spells_out(acronym, passage_text[a:b]):
            score += TYPE_BONUS  # "RFA stands for Request For Adoption"
        if (literals and any(_holds_literal(texts[i], literal) for literal in literals)) or (
            codes and not codes.isdisjoint(field_values(texts[i]))
        ):
            # a line marked by the literal but holding no value of the kind asked is its
            # section's heading ("3.2.1 — 2025-03-18" for "Who reported the bug fixed in 3.2.1?")
            score += LITERAL_BONUS if asked is None or fits[i] else LITERAL_BONUS * LOOSE_SHARE
        keyed = _keyed_by(texts[i], wanted, question) if fits[i] else 0.0
        score += KEY_BONUS * keyed  # "Randomised: 164" for "How many were randomised ...?"
        if placed and _CELLS.search(texts[i]) and _key_cell(texts[i]) in placed:
            score += LITERAL_BONUS  # "the first session": the row keyed "1"
        if scheme and fits[i]:
            # an identifier written in its scheme's form ("Tracked as GHSA-7q3m-hx2c-9f4w")
            # marks its line as a literal does, beside the sentence telling the bug it tracks
            score += LITERAL_BONUS
        if publication and is_dateline(texts[i]):
            score += LITERAL_BONUS  # the date a document came out: its dateline
        elif asked == "date" and (
            of_another_date(question, texts[i]) or tells_the_other_end(question, texts[i])
        ):
            # "Date: 1 July 2025" under a fee sheet's title is not when its season starts, nor
            # "Nominations open | Monday 5 February 2024" when nominations close
            score -= TYPE_BONUS * fits[i] + KEY_BONUS * keyed
        if releases and release_heading(texts[i]):
            # a release's heading tells the version, its item what was done: the item is shown,
            # with the heading above it (`_with_the_answer_beside`)
            score -= TYPE_BONUS * fits[i]
        if sentence.states_nothing or sentence.asks:
            score -= 100.0
        scores.append(score)
    _credit_the_answer_to_a_question(found_sentences, shared, scores)
    _credit_the_record(found_sentences, shared, scores)
    _credit_the_header(texts, shared, scores, asked_years)
    return scores, fits


# A "Key: value" line whose key is a word of the question gains this, in idf units: the key
# labels its value as what is asked ("Randomised: 164", "Maximum length (Route 3): 12.0 m"),
# where the line's own words are few and its cosine to the question low.
KEY_BONUS = 5.0
# A line's key: up to four words (and a bracketed qualifier) opening it, before a colon.
_KEY = re.compile(
    r"^\s*(?:[-*•]\s+)?(?P<key>[A-Za-z][\w.-]*(?:\s+[\w.-]+){0,3}(?:\s*\([^()]*\))?):\s+\S"
)


def _keyed_by(text: str, wanted: AbstractSet[str], question: str) -> float:
    """How much `text`, a "Key: value" line, is keyed by the question: 2 when `question` writes
    its key whole ("check-out", which "Check-in" shares only "check" with) or the key names the
    kind of value asked ("Date:" for "When is ...?"), 1 when the key holds one of the `wanted`
    stems, else 0."""
    found = _KEY.match(text)
    if found is None:
        return 0.0
    key = found.group("key").lower()
    if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", question.lower()):
        return 2.0
    # "When is the Holroyd Sabre?" is keyed "Date:", "Where is it held?" "Venue:"
    named_by_kind = _KIND_KEYS.get(asked_type(question) or "")
    if named_by_kind is not None and named_by_kind.fullmatch(key):
        return 2.0
    return float(not wanted.isdisjoint(_key_stems(key)))


# The keys a record gives a kind of value under.
_KIND_KEYS = {
    "date": re.compile(r"(?:event |meeting |match |start )?(?:dates?|when|day|time|date and time)"),
    "place": re.compile(r"(?:venue|location|address|where|place|meeting point)"),
}


@lru_cache(maxsize=4096)
def _key_stems(key: str) -> frozenset[str]:
    return frozenset(stem_texts([key])[0])


# A sentence holding a literal the question quotes ("a line tagged W:", "numeric code 997", "the
# current version is 1.5-2") gains this, in idf units: the words a keyword index keeps drop it,
# yet it marks the very line a table or a list gives for it.
LITERAL_BONUS = 15.0
# What a question quotes as it is written: a tag ("W:"), or a number other than a year, whole
# ("1.5-2", not the "1.5" of "1.5-2.1"). Paths and names ("debian/control") name the subject,
# which many sentences share, and mark no line.
_LITERAL = re.compile(
    r"(?<![\w./-])(?:[A-Z]{1,3}:(?!\S)|(?!(?:19|20)\d\d\b)\d[\d.,:-]*\d|\d)(?![\w]|[.-]\w)"
)


# A number after a capitalised word is part of a name ("ISO 4217", "Debian 12"): the subject, which
# marks no line. Not after a label ("Step 3", "Error 409"), nor after the question's first word
# ("Does 409 mean ...?").
_NAME_BEFORE = re.compile(
    r"(?<=\S )(?!(?:Step|Error|Section|Chapter|Table|Figure|Appendix|Item|Rule|Phase|Stage"
    r"|Level|Part|Line|Page|Note|Code|Port|Option|Status|Case|Example|Article|Clause|Paragraph"
    r"|Exit)\b)[A-Z][\w-]*\s+$"
)


def _literals(question: str) -> list[str]:
    return [
        m.group(0)
        for m in _LITERAL.finditer(question)
        if not _NAME_BEFORE.search(question, max(0, m.start() - 30), m.start())
    ]


def _holds_literal(sentence: str, literal: str) -> bool:
    """Whether `sentence` holds `literal` whole: "1.5-2" in "is 1.5-2, then", not in "1.5-2.1";
    or, an amount, a band holding it ("£500.01 to £1,000 | £85" for "a claim of £800")."""
    if re.search(rf"(?<![\w.-]){re.escape(literal)}(?![\w]|[.-]\w)", sentence) is not None:
        return True
    return bool(_PLAIN_AMOUNT.fullmatch(literal)) and keyed_by_a_band(
        sentence, float(literal.replace(",", ""))
    )


_PLAIN_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")  # a whole number; "1.5" is a version


# Sentences a question sentence's words pass to: the next one that states something, past at
# most this many headings or bare replies ("No.") between.
QUESTION_REACH = 2


def _credit_the_answer_to_a_question(
    sentences: Sequence[Sentence], shared: Sequence[float], scores: list[float]
) -> None:
    """A question in the text (an FAQ entry "9.3. Do I have to keep the .deb files?") shares
    the asked question's words but answers nothing: what follows it does ("No. ... you can
    remove them ... by running aptitude clean."), so that sentence gains the words the question
    sentence shares with the asked one."""
    for i, sentence in enumerate(sentences):
        if not sentence.asks or not shared[i]:
            continue
        for j in range(i + 1, min(len(sentences), i + 2 + QUESTION_REACH)):
            if sentences[j].asks:
                break
            if not sentences[j].states_nothing:
                scores[j] += shared[i]
                break


def _credit_the_record(
    sentences: Sequence[Sentence], shared: Sequence[float], scores: list[float]
) -> None:
    """Field lines one after another are one record ("Files: icons/*" then "Copyright: 1998
    Johan Hanson"; "Source: gentoo" ... "Maintainer: Josip Rodin"): each field line gains the
    words the record's first line (what the record is of, with the sentence leading into it) or
    the line right before it shares with the question, as "who holds the copyright on the
    icons" is asked of both and "who maintains gentoo" of the whole stanza; a line in the
    middle ("Subject: ...") lends nothing to those further on ("Reply-To:"). Where records
    start: `_record_starts`."""
    starts = _record_starts(sentences)
    credit: float | None = None  # the record's first line's shared words
    for i, sentence in enumerate(sentences):
        if sentence.field is None or i in starts:
            credit = None if sentence.field is None else shared[i]
            if credit is not None and i and sentences[i - 1].field is None:
                credit = max(credit, shared[i - 1])  # "Here is the control file for gentoo:"
            continue
        scores[i] += max(credit or 0.0, shared[i - 1])


def _credit_the_header(
    texts: Sequence[str],
    shared: Sequence[float],
    scores: list[float],
    asked_years: AbstractSet[str],
) -> None:
    """A table's rows gain the words their header row shares with the question: "Category | Who
    it is for | Annual subscription" names what "Full flying member | ... | £480" gives, and
    "How much is the annual subscription ...?" asks it of the rows, not of the prose after
    them; and a row sharing a word gains the years its header names, as a sentence naming them
    does ("Plot type | 2024/25 | 2025/26" over "Full plot | £68.00 | £74.00" for "in 2025/26")."""
    for row, header in _headers(tuple(texts)).items():
        scores[row] += shared[header]
        if asked_years and shared[row] > 0 and _names_the_years(texts[header], asked_years):
            scores[row] += YEARS_BONUS


def _headers(texts: tuple[str, ...]) -> dict[int, int]:
    """Each of a table's rows under its header row, by their places in `texts`: a table's
    first line that may head it (`may_head_a_table`)."""
    headers: dict[int, int] = {}
    if not any(" | " in text or "\t" in text for text in texts):
        return headers  # no table: most passages
    header: int | None = None  # the header of the rows being read
    for i in range(1, len(texts)):
        if not _CELLS.search(texts[i]):
            header = None
        elif (
            header is None
            and TABLE_ROW.search(texts[i - 1])
            and may_head_a_table(texts[i - 1])
            and (i < 2 or not _CELLS.search(texts[i - 2]))  # the table's first line
        ):
            header = i - 1
        if header is not None:
            headers[i] = header
    return headers


_DIGIT = re.compile(r"\d")
_LISTED = re.compile(r"\s*[-*•–]\s")  # a list's item: lines parted into columns, not a table


def may_head_a_table(row: str) -> bool:
    """Whether a table's first row may be its header, which names its columns: not when a cell
    holds a value (a year or a place in an order labels a column), it is a list's item or it
    names a person ("- "The Proposal" (Chekhov) | directed by Leah Brannigan" is a row like
    those under it)."""
    return not _valued_cells(row) and not _LISTED.match(row) and not person_spans(row)


@lru_cache(maxsize=4096)  # the same passages come back question after question
def _header_rows(texts: tuple[str, ...]) -> frozenset[int]:
    """The first rows of tables whose next row holds more values: their headers ("Route |
    Distance | Entry (before 1 May)" over "Long | 110 km | 2,300 m | £34 | £38")."""
    headers = set()
    for i in range(len(texts) - 1):
        top, below = texts[i], texts[i + 1]
        if (
            TABLE_ROW.search(top)
            and TABLE_ROW.search(below)
            and (i == 0 or not _CELLS.search(texts[i - 1]))
            and _valued_cells(top) < _valued_cells(below)
            and not holds_a_bare_value(top)
        ):
            headers.add(i)
    return frozenset(headers)


def _valued_cells(row: str) -> int:
    """How many cells of a table's row hold a digit, other than a column's label: a place
    ("1st", "2nd") or a year ("2024/25") heads a column as a word does."""
    return sum(
        1
        for cell in CELL_BREAK.split(row)
        if _DIGIT.search(cell) and not _LABEL_CELL.fullmatch(cell.strip())
    )


# A cell naming a place in an order or a year (or a season of two): a column's label.
_LABEL_CELL = re.compile(
    r"(?:\d{1,2}(?:st|nd|rd|th)|(?:19|20)\d\d(?:\s?[/–-]\s?(?:(?:19|20)?\d\d))?)", re.I
)


def _key_cell(row: str) -> str:
    """The first cell of a table's row, which keys it."""
    return CELL_BREAK.split(row, maxsplit=1)[0].strip()


_CELLS = CELL_BREAK  # a line of a table's cells


def _record_starts(sentences: Sequence[Sentence]) -> set[int]:
    """The field lines that open a record: the first after other text, one after a listing's
    empty line ("5\n6 Files: *"), one after a blank line before two field lines with none
    between them (a copyright file's paragraphs; not where every line stands apart), and, where
    a field is named again, the line standing to it as the record's first stood to the field's
    first naming: "scrape_interval: ...", "Default: 1m.", "scrape_timeout: ...", "Default:
    10s." are two records of two lines."""
    single_spaced = any(
        sentence.field and before.field and not sentence.blank_before
        for before, sentence in pairwise(sentences)
    )
    starts: set[int] = set()
    start: int | None = None
    named: dict[str, int] = {}  # the record's fields, where each is first named
    for i, sentence in enumerate(sentences):
        if sentence.field is None:
            start, named = None, {}
            continue
        following = sentences[i + 1] if i + 1 < len(sentences) else None
        paragraph = (
            single_spaced
            and sentence.blank_before
            and following is not None
            and following.field is not None
            and not following.blank_before
        )
        if start is None or sentence.after_blank_line or paragraph:
            start, named = i, {}
            starts.add(i)
        elif sentence.field in named:
            offset = named[sentence.field] - start
            start = i if sentence.blank_before else max(start + 1, i - offset)
            starts.add(start)
            named = {}
            for k in range(start, i):
                named.setdefault(sentences[k].field or "", k)
        named.setdefault(sentence.field, i)
    return starts


def continues_record(before: str, sentence: str) -> bool:
    """Whether `sentence` and the one `before` it are field lines of one record."""
    return is_field_line(before) and is_field_line(sentence)


def is_field_line(sentence: str) -> bool:
    """Whether `sentence` is a "Field: value" line of a record."""
    return _FIELD_LINE.search(sentence) is not None


# A "Field: value" line of a record: a field's name opens it, after a listing's line number or a
# list's marker ("- Dates: Tuesday evenings", "- Start time: 7:00pm"). (Fields named in words,
# "Sort code: 30-96-18", lent a record's names to lines of another holder: "Adaptive skiing: Mr
# Dieter Falkner" for the head of the children's ski school.)
_FIELD_LINE = re.compile(r"^(?:\s*\d+)*\s*(?P<field>[A-Za-z][\w-]*):\s+\S")
# A list's "Field: value" line, its field maybe named in words: "- Start time: 7:00pm" (not a
# speaker's "Ambassador Lee: ...").
_LISTED_FIELD = re.compile(r"^\s*[-*•]\s+[A-Za-z][\w-]*(?:[ \t][A-Za-z][\w-]*){0,2}:\s+\S")


def is_listed_field_line(sentence: str) -> bool:
    """Whether `sentence` is a line of a bulleted record ("- Dates: Tuesday evenings")."""
    return _LISTED_FIELD.match(sentence) is not None


# A listing's line number alone on its line: an empty line of the listing.
_EMPTY_LISTING_LINE = re.compile(r"\s*\d+[ \t]*\n")


def _field_of(text: str) -> str | None:
    """The field a "Field: value" line sets ("copyright" for "Copyright: 1998 ..."), or None."""
    found = _FIELD_LINE.search(text)
    return found.group("field").lower() if found else None


def _fit(
    question: str,
    asked: str | None,
    cue: Cue | None,
    sentence: str,
    values: Sequence[tuple[int, int]] | None = None,
) -> float:
    """How well `sentence` holds what the question asks for: 1 for a value of its kind, or what
    answers its untyped kind (`answer_cue`); LOOSE_SHARE when its names are bodies, none of the
    kind the question names ("the Asan Institute" for "which university"); 0 for none.
    `values`: its `answer_values`, when known."""
    if asked is None:
        return float(cue is not None and cue(sentence))
    if values is None:
        values = answer_values(question, sentence)
    if not values:
        return 0.0
    if asked == "person" and not any(
        names_the_body_kind_asked(question, sentence[a:b]) for a, b in values
    ):
        return LOOSE_SHARE
    if (
        asked == "place"
        and _ASKS_WHERE.match(asking_clause(question))
        and not any(_situated(sentence, a, b) for a, b in values)
    ):
        return LOOSE_SHARE
    return 1.0


# "Where did they meet?" is answered where something is placed ("met in Singapore", "based at
# 14 Quay Street", "kept in ~/.config"), not by a country the sentence speaks of ("his approach
# to North Korea", "Korea's tariff rate"); "Which country ...?" may be answered by either.
_ASKS_WHERE = re.compile(r"\s*where\b", re.I)
_PLACED_BEFORE = re.compile(
    r"\b(?:in|at|from|near|inside|within|outside|across|hosted by|held by|based in)\s+(?:the\s+)?$",
    re.I,
)


def _situated(sentence: str, start: int, end: int) -> bool:
    """Whether the place at `start`-`end` of `sentence` is where something is: after a
    preposition of place (or first of a list after one: "in Singapore, Hanoi"), or an address,
    a path or a web address in its own right."""
    if _PLACED_BEFORE.search(sentence, max(0, start - 20), start):
        return True
    if address_spans(sentence[start:end]) or not sentence[start:end][:1].isupper():
        return True
    listed = re.search(r"\b(?:in|at)\s+[A-Z][^.;:]*,\s*(?:and\s+|or\s+)?$", sentence[:start])
    return listed is not None


def _fit_the_column_asked(
    sentences: Sequence[Sentence],
    wanted: AbstractSet[str],
    fits: list[float],
    values: Sequence[Sequence[tuple[int, int]]],
) -> None:
    """The rows of a table whose header names a word of the question ("Name Value Meaning" for
    "Which FC_DEBUG value ...?") each hold what is asked, in that column: they fit as a value of
    the kind asked does. Where some rows hold a value of that kind (`values`: each sentence's
    `answer_values`), those that hold none do not: a name's block of lines ("Vale Vets Out of
    Hours" over its address, its telephone and its distance) is no table of one column."""
    for i, sentence in enumerate(sentences):
        if not sentence.row or (i and sentences[i - 1].row) or not i:
            continue
        header = sentences[i - 1]
        if header.row or len(header.stems) > 8 or header.stems.isdisjoint(wanted):
            continue
        j = i
        while j < len(sentences) and sentences[j].row:
            j += 1
        valued = any(values[i:j])
        for k in range(i, j):
            if values[k] or not valued:
                fits[k] = max(fits[k], 1.0)


def _loosen_the_vague(
    texts: Sequence[str], values: Sequence[Sequence[tuple[int, int]]], fits: list[float]
) -> None:
    """A sentence telling a quantity only vaguely ("every few minutes") fits LOOSE_SHARE when
    another sentence of the passage tells one precisely in the same unit ("every 15 minutes");
    alone, or beside another unit's ("archived monthly"), it is the answer there is. `values`:
    each sentence's `answer_values`."""
    vague: dict[int, set[str]] = {}
    precise: list[set[str]] = []
    for text, found in zip(texts, values, strict=True):
        told = [(value_unit(text, a, b), told_vaguely(text, a, b)) for a, b in found]
        precise.append({unit for unit, is_vague in told if not is_vague})
        if told and all(is_vague for _, is_vague in told):
            vague[len(precise) - 1] = {unit for unit, _ in told}
    for i, units in vague.items():
        if any(units & other for j, other in enumerate(precise) if j != i):
            fits[i] = LOOSE_SHARE


def _prefer_the_address(
    texts: Sequence[str], values: Sequence[Sequence[tuple[int, int]]], fits: list[float]
) -> None:
    """Where a passage gives a postal address, a sentence naming a place without one ("20
    minutes by car from Castle Mead") fits LOOSE_SHARE: the address tells where the place is."""
    addressed = [
        any(a <= x and y <= b for a, b in found for x, y in postal_address_spans(text))
        for text, found in zip(texts, values, strict=True)
    ]
    if not any(addressed):
        return
    for i, found in enumerate(values):
        if found and not addressed[i]:
            fits[i] = min(fits[i], LOOSE_SHARE)


def _names_the_years(text: str, asked_years: AbstractSet[str]) -> bool:
    """Whether `text` names every year or period of `asked_years` (`dated`), reading it only
    when each year's digits are there."""
    return all(year[:4] in text for year in asked_years) and asked_years <= dated(text)


# A sentence that announces what follows: "... by the following.", "... as follows:", "Here is
# the file:". What it announces (often a command or a table row) is the answer.
_LEAD_IN = re.compile(r"(?::|\b(?:as follows|following|below)\W?)\s*$", re.I)


def _with_the_answer_beside(
    question: str,
    text: str,
    sentences: Sequence[Sentence],
    best: int,
    wanted: AbstractSet[str],
    fits: Sequence[float],
) -> tuple[int, int]:
    """The best sentence, joined with its neighbour when the answer is there: the next one
    after a lead-in (or the lead-in before it), or, for a question asking for a value (a
    number, a date, a name, a place), the next or the one before when the best holds no such
    value and that neighbour does (the sentence echoing the question often sits next to the one
    that answers it: "The maximum is defined by X. The default value of X is 1 billion."), and
    likewise for an untyped question whose answer has a cue (a number for "how deep") when that
    neighbour carries on the best's subject (it opens with "It", "This", ...) or shares a word
    with the question (`wanted`, its stems) that the best lacks: a cue is loose ("use", any
    number) and the next sentence often tells something else ("Charging takes 40 minutes.").
    `fits`: how well each sentence holds what is asked (`_fit`)."""
    start, end = sentences[best].span
    following = sentences[best + 1] if best + 1 < len(sentences) else None
    if following is not None and _LEAD_IN.search(text[start:end]):
        return start, following.span[1]
    listed = things_asked(question)
    if (
        following is not None
        and listed is not None
        and list_follows(listed, text[start:end], text[slice(*following.span)])
    ):
        return start, following.span[1]  # "We make four recommendations. First, ..."
    if best and _LEAD_IN.search(text[slice(*sentences[best - 1].span)]):
        return sentences[best - 1].span[0], end  # what a lead-in announces, with the lead-in
    if best and asks(ASKS_WHY, asking_clause(question)) and _CONSEQUENCE.match(text, start):
        return sentences[best - 1].span[0], end  # "Consequently, ...": the reason is before
    asked = asked_type(question)
    if asks_release_of(question, asked) and not answer_values(question, text[start:end]):
        # "In which version was X fixed?": the item under its release's heading, with it
        for above in range(best - 1, -1, -1):
            a, b = sentences[above].span
            if release_heading(text[a:b]):
                return (a, end) if fits[above] else (start, end)
    cue = answer_cue(question) if asked is None else None
    if (asked is None and cue is None) or fits[best]:
        return start, end
    for near in (best + 1, best - 1):
        if not 0 <= near < len(sentences) or sentences[near].states_nothing:
            continue
        a, b = sentences[near].span
        carries_on = asked is not None or bool(
            _POINTS_BACK.match(text, a) or (sentences[near].stems & wanted) - sentences[best].stems
        )
        if carries_on and fits[near]:
            return min(start, a), max(end, b)
    return start, end


# A sentence telling what follows from the one before it: "Consequently, South Korea's main focus
# stays on ..." answers "why" only with that one, which gives the reason.
_CONSEQUENCE = re.compile(
    r"\s*(?:consequently|therefore|thus|hence|as a result|as a consequence|for this reason"
    r"|for that reason|this is why|that is why|accordingly)\b",
    re.I,
)
# A sentence carrying on the one before it: "It", "Its", "They", ..., or "this" early in it ("To
# use this feature, set ...").
_POINTS_BACK = re.compile(
    r"\s*(?:it|its|they|their|there|here|he|she|his|her)\b"
    r"|\s*(?:[\w'’-]+[\s,]+){0,3}?(?:this|that|these|those|such)\b",
    re.I,
)


@dataclass(frozen=True)
class Sentence:
    span: tuple[int, int]
    stems: frozenset[str]
    states_nothing: bool  # a heading, a byline or a list marker (`states_nothing_of`)
    asks: bool  # a question ("9.3. Do I have to keep the .deb files?"): it answers nothing
    denies: bool  # holds a negation (`_NEGATION`)
    field: str | None  # "copyright" for "Copyright: 1998 Johan Hanson" (`_credit_the_record`)
    after_blank_line: bool  # opens with a listing's empty line: "5\n6 Files: *"
    blank_before: bool  # a blank line stands between it and the sentence before it
    row: bool = False  # a row of a table read as lines (`_table_rows`)


@lru_cache(maxsize=8192)
def sentences_of(passage_text: str) -> tuple[Sentence, ...]:
    """The sentences of a passage with what `highlight` and the abstention rule need of them,
    worked out once per passage text (the same passages come back question after question).
    Keyed on the text alone: stems do not depend on the index, and an index in the key would keep
    old versions alive."""
    spans = _rows_apart(passage_text, split_sentences(passage_text) or [(0, len(passage_text))])
    texts = [passage_text[a:b] for a, b in spans]
    rows = _table_rows(texts)
    gaps = [0] + [b for _, b in spans[:-1]]
    alone = [  # a line with a blank line before it (or the passage's first) and after it
        (i == 0 or _BLANK_LINE.search(passage_text, gaps[i], span[0]) is not None)
        and (
            i + 1 == len(spans)
            or _BLANK_LINE.search(passage_text, span[1], spans[i + 1][0]) is not None
        )
        for i, span in enumerate(spans)
    ]
    return tuple(
        Sentence(
            span,
            frozenset(stems),
            (states_nothing_of(text) and i not in rows) or (alone[i] and titled(text)),
            _ASKS.search(text) is not None,
            _NEGATION.search(passage_text, *span) is not None,
            _field_of(text),
            _EMPTY_LISTING_LINE.match(text) is not None,
            _BLANK_LINE.search(passage_text, gap, span[0]) is not None,
            i in rows,
        )
        for i, (span, gap, text, stems) in enumerate(
            zip(spans, gaps, texts, held_stems(texts), strict=True)
        )
    )


def _rows_apart(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` with each run of a table's rows ("Nominations open | Monday 5 February" over
    "Nominations close | Friday 23 February") cut into its lines: a row is a sentence of its own,
    as the line after a header or a heading is."""
    apart: list[tuple[int, int]] = []
    for a, b in spans:
        lines = [m.span() for m in _LINE.finditer(text, a, b) if text[m.start() : m.end()].strip()]
        if sum(" | " in text[x:y] for x, y in lines) < 2:
            apart.append((a, b))
            continue
        for x, y in lines:
            line = text[x:y]
            apart.append((x + len(line) - len(line.lstrip()), x + len(line.rstrip())))
    return apart


_LINE = re.compile(r"[^\n]+")


def cosines_of(
    spans: Sequence[tuple[int, int]], known: Sequence[tuple[int, int, float]], text: str
) -> list[float]:
    """The cosine search found (`known`: its sentences' (start, end, cosine)) of the sentence
    holding each of `spans` of `text`, NaN where none does: a table's row cut from its run takes
    the run's. The rows of one table take their best: search embeds them a few at a time, and
    which of them shared a run with rows like the question's is no word of theirs."""
    found = []
    at = 0  # both in passage order: walk them together
    for a, b in spans:
        while at < len(known) and known[at][1] < b:
            at += 1
        inside = at < len(known) and known[at][0] <= a and b <= known[at][1]
        found.append(known[at][2] if inside else math.nan)
    if all(" | " not in text[a:b] for a, b in spans):
        return found  # no table: most passages
    run: list[int] = []
    for i, (a, b) in enumerate([*spans, (0, 0)]):
        if i < len(spans) and " | " in text[a:b]:
            run.append(i)
            continue
        if len(run) > 1 and not any(math.isnan(found[j]) for j in run):
            best = max(found[j] for j in run)
            for j in run:
                found[j] = best
        run = []
    return found


@lru_cache(maxsize=16384)  # asked of every judged sentence, question after question
def titled(text: str) -> bool:
    """Whether a line standing alone is a title with a colon in it ("Stitch & Signal: Embroidery
    in Wartime", "Indigo: A Blue Thread"), not a field telling a value or a name ("Author:
    Kenneth Reitz", "Version: 2.1")."""
    return (
        ":" in text
        and looks_like_heading(text)
        and _VALUE.search(text) is None
        and not person_spans(text)
    )


# A table's row read as a line of text: a number standing in it, no closing punctuation
# ("CONFIG 1024 Monitor which config files are loaded").
_ROW = re.compile(r"^[^\n]*\S\s+\d[\d.,]*\s[^\n]*$|^[^\n]*\S\s+\d[\d.,]*$")
TABLE_ROWS = 3  # lines in a row that make a table, not headings


def _table_rows(texts: Sequence[str]) -> set[int]:
    """The lines that are rows of a table: TABLE_ROWS or more in a row each holding a number
    after its first word, at the same word in each, without closing punctuation or a colon
    leading into something. Alone, such a line may be a heading ("Chapter 4 Installation"); a
    run of them is a table, whose every row says something."""
    rows: set[int] = set()
    run: list[int] = []
    column = -1  # the word of the run's rows that holds their first number
    for i, text in enumerate([*texts, ""]):
        line = text.strip().rsplit("\n", 1)[-1]  # past a rule under the header: "----\nMATCH 1"
        found = _ROW.match(line) if not line.endswith((".", "!", "?", ";", ",", ":")) else None
        at = _number_column(line) if found else -1
        if found and (not run or at == column):
            run.append(i)
            column = at
            continue
        if len(run) >= TABLE_ROWS:
            rows.update(run)
        run, column = ([i], at) if found else ([], -1)
    return rows


def _number_column(line: str) -> int:
    """The index of the first word of `line` that is a number."""
    return next((k for k, word in enumerate(line.split()) if word[:1].isdigit()), -1)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


# A copyright notice tells who holds it: "Copyright © 2019 - 2023 Holger Levsen".
_NOTICE = re.compile(r"©|\(c\)\s*\d|\bcopyright\s+(?:\(c\)\s*)?\d", re.I)
_ASKS = re.compile(r"\?[\"'”’)\]]*$")
_OPENS_WITH_A_DAY = re.compile(
    r"\s*(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December)|(?:January|February|March|April|May|June|July"
    r"|August|September|October|November|December)\s+\d{1,2}(?:st|nd|rd|th)?\b"
    # a timetable's line: "Saturday 09:00 - 13:00", "Monday to Friday: 8am-6pm"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?\b(?:\s*(?:-|–|to)\s*\w+days?\b)?[\s:,]+\d)"
)
_FIELD_VALUE = re.compile(r"[\w)]:\s+\S*\d")  # a field whose value holds a number
_FIELD = re.compile(r"[\w)]:\s+\S")  # "Maintainer: Josip Rodin", "Maximum length (Route 3): 12 m"
# A value: a number standing alone (not the digit of a name, "ASN.1", "x86"), an address, a
# command's sign.
_VALUE = re.compile(r"(?<![\w.])\d|[@/$=<>]")
# A heading's own number: "2.1 ASN.1 syntax", "4.4.1. The bugs server", "9. Uploading"; not a
# listing's line number ("4 Maintainer: Josip Rodin").
_SECTION_NUMBER = re.compile(
    r"^\s*(?!(?:19|20)\d\d\.[01]\d\.[0-3]\d\b)(?:\d+(?:\.\d+)+\.?|\d+\.)(?:\s+|$)"
)  # not a date: "2024.11.21."


_CODED = re.compile(r"\b[A-Za-z]+\d+[A-Za-z\d]*\b")  # "E102", "W204", "v2"


@lru_cache(maxsize=16384)
def states_nothing_of(text: str) -> bool:
    """A heading, a byline or a list marker: under four words with no value in them, or a
    heading-like line (corpus.text.looks_like_heading: short, capitalised, no closing
    punctuation) that is not a "Field: value" line. Table rows, code and field lines of manuals
    ("90 through 99 font synthesis", "$ diff -urN old new", "Maintainer: Josip Rodin") say
    something, often the very answer."""
    text = _SECTION_NUMBER.sub("", text, count=1)
    if not text:
        return True
    if _FIELD_LINE.search(text) or _NOTICE.search(text):  # "Author: Kenneth Reitz" tells who
        return False
    if " | " in text and (_VALUE.search(text) or _CODED.search(text) or person_spans(text)):
        # a table's row with a value, a code or a person in it: "E102 | A setting has ...",
        # "Head Lifeguard | Marcus Bell"
        return False
    if LEADER.search(text):  # a price list's line: "Entry fee (unaffiliated) ...... £64.00"
        return False
    if _OPENS_WITH_A_DAY.match(text):  # an event's dateline: "15 February – 8 June 2025"
        return False
    if _ENDS_IN_AN_AMOUNT.search(text):
        # a plain-text table's row: "Travel and subsistence 24,000"
        return False
    if postal_address_spans(text):  # an address's line: "Unit 4, Brackley Road, Kingsford OX27 4HN"
        return False
    if len(text.split()) < 4:  # "ClinicalTrials.gov identifier: NCT06118452" tells one
        return _VALUE.search(text) is None and _FIELD_VALUE.search(text) is None
    # a heading may end on its short form: "Instructor Development Course (IDC)"
    heading = _SHORT_FORM_AFTER.sub("", text)
    return looks_like_heading(heading) and _FIELD.search(text) is None


# A line ending in an amount, as a price list's or a budget's rows do and no heading does (a
# heading may end in a year: "Annual Report 2024"): "Adult Dog – Medium 10 to 25 kg £19.95".
_ENDS_IN_AN_AMOUNT = re.compile(
    r"(?:[£$€¥]\s?\d[\d,.]*|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\b\d[\d,.]*\s?(?:%|EUR|USD|GBP|CHF))\s*$"
)
_SHORT_FORM_AFTER = re.compile(r"\s+\([A-Z][A-Za-z0-9&.-]{1,11}\)\s*$")
