"""The rows of a table a question asks about: of "0.9.x | Yes — all fixes" and "0.8.x |
Security fixes only, until 31 May 2025", the second answers "Until when will the 0.8 series get
security fixes?", and its date is the answer, not a value of another row.

A table reaches the answer as one sentence of lines whose cells are set apart by " | " or a tab
(how documents' tables are read); each line is a row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from citeqa.index.retrieval.keyword import word_stems

from .spelling import version_or_series

CELL_BREAK = re.compile(r" \| |\t")  # between the cells of a row, as tables are read
TABLE_ROW = re.compile(r"^[^\n]* \| [^\n]*$|^[^\n]*\t[^\n]*$")  # a sentence that is one row
_LINE = re.compile(r"[^\n]+")
_NUMBER_TOKEN = re.compile(r"(?<![\w.])\d[\w.-]*\w|(?<![\w.])\d(?![\w.])")
# A cell that is a name: capitalised words and the small words names keep ("Hunslet Engine Co.",
# "Sally Mbeki", "Village Hall"); a table gives names bare, without the title or the verb that
# marks them in prose.
# what a cell tells after its name: "Tom Ashcroft (Manchester)", "Harjit Sandhu — 5 leeks"
_AFTER_THE_NAME = re.compile(r"\s+\([^()]{1,40}\)$|\s+[—–]\s.{1,60}$")
_NAME_CELL = re.compile(
    r"[A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|&|and|of|the|de|van|von|du|la|le)){0,5}"
)


def in_rows_asked(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """`spans` but those in the rows of a table in `sentence` other than the rows the question
    names most of (`rows_asked`); all of them when no row stands out. A value on a line that is
    no row is kept."""
    if " | " not in sentence and "\t" not in sentence:
        return spans  # no table: most sentences
    asked = rows_asked(question, sentence)
    if asked is None:
        return spans
    rows = [m.span() for m in _LINE.finditer(sentence) if CELL_BREAK.search(m.group(0))]
    return [
        (a, b)
        for a, b in spans
        if any(x <= a and b <= y for x, y in asked) or not any(x <= a < y for x, y in rows)
    ]


# An amount or a whole number a question gives: "a claim of £800", "for 2,000 words"; not a
# version's "1.5" nor a year.
_AMOUNT = re.compile(
    r"(?<![\w.,])(?:[£$€¥₩]\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"|(?!(?:19|20)\d\d\b)(?:\d{1,3}(?:,\d{3})+|\d+))(?![\w,.]*\d)"
)
# A band's bound: an amount of money, or a whole number ("1.5-2.1" is a version).
_BOUND = r"(?:(?:[£$€¥₩]\s?)?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+)|[£$€¥₩]\s?(\d+\.\d+))"
# A band a table keys its rows by: "£500.01 to £1,000", "£1,500.01-3,000", "Up to £300",
# "Over £3,000".
_RANGE = re.compile(
    rf"(?<![\w.,]){_BOUND}\s*(?:to|–|—|-)\s*{_BOUND}(?![\w.,]*\d)"
    rf"|\b(?P<below>up to|under|below|less than)\s+{_BOUND}"
    rf"|\b(?P<above>over|above|more than)\s+{_BOUND}(?!\s*(?:to|–|—|-)\s*[£$€¥₩]?\d)",
    re.I,
)


@lru_cache(maxsize=1024)  # asked of every sentence judged for one question
def given_amounts(question: str) -> tuple[float, ...]:
    """The amounts and numbers `question` gives, as numbers."""
    return tuple(
        float(m.group(0).lstrip("£$€¥₩ ").replace(",", "")) for m in _AMOUNT.finditer(question)
    )


def ranges_holding(text: str, amounts: Sequence[float]) -> list[tuple[int, int]]:
    """The (start, end) of the bands in `text` that hold one of `amounts`."""
    found = []
    for m in _RANGE.finditer(text):
        bounds = [float(g.replace(",", "")) for g in m.groups() if g and g[0].isdigit()]
        if m.group("below"):
            low, high = 0.0, bounds[0]
        elif m.group("above"):
            low, high = bounds[0], float("inf")
        else:
            low, high = bounds[0], bounds[-1]
        if any(low <= amount <= high for amount in amounts):
            found.append(m.span())
    return found


_MONEY_GIVEN = re.compile(r"[£$€¥₩]\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def keyed_by_another_band(question: str, text: str) -> bool:
    """Whether `text` is a row of a table keyed by a band of money that does not hold the amount
    `question` gives: "£10,000.01 to £200,000 | 5% of the claim" for a claim of £250,000."""
    if not CELL_BREAK.search(text):
        return False
    amounts = [
        float(m.group(0).lstrip("£$€¥₩ ").replace(",", "")) for m in _MONEY_GIVEN.finditer(question)
    ]
    if not amounts:
        return False
    key = CELL_BREAK.split(text, maxsplit=1)[0]
    band = _RANGE.search(key)
    return (
        band is not None
        and _MONEY_GIVEN.search(band.group(0)) is not None
        and not (ranges_holding(key, amounts))
    )


# A capitalised word after a question's first: "Ashby", "Brigadier", "Dvořák".
_GIVEN_NAME = re.compile(r"(?<=\s)[A-Z][\w'’.-]*\w")


def rows_naming(question: str, sentence: str) -> list[tuple[int, int]]:
    """The rows `question` asks about (`rows_asked`) that hold a name it gives, as spans of
    `sentence`: a row matched by common words and a year ("Men | 2:11:49 | Samuel Rotich |
    2019" for "Who measured the course in 2019?") may be a record of another kind."""
    if " | " not in sentence and "\t" not in sentence:
        return []
    # a capitalised word of the question, or one the row capitalises ("brigadier": "Brigadier")
    given = [m.group(0) for m in _GIVEN_NAME.finditer(question, 1)] + [
        word.capitalize() for word in re.findall(r"\b[a-z][\w'’-]{3,}", question)
    ]
    return [
        (start, end)
        for start, end in rows_asked(question, sentence) or ()
        if any(re.search(rf"\b{re.escape(name)}\b", sentence[start:end]) for name in given)
    ]


def name_cells(question: str, sentence: str) -> list[tuple[int, int]]:
    """The cells of the rows `question` asks about (`rows_asked`) that are names, whole, where
    the row holds a name the question gives ("Who collects swarms for Ashby Parva?"): a row
    matched by common words and a year ("Men | 2:11:49 | Samuel Rotich | 2019" for "Who measured
    the course in 2019?") may be a record of another kind than the one asked."""
    found = []
    for start, end in rows_naming(question, sentence):
        breaks = [x for m in CELL_BREAK.finditer(sentence, start, end) for x in m.span()]
        edges = [start, *breaks, end]
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            cell = sentence[a:b]
            a, b = a + len(cell) - len(cell.lstrip()), a + len(cell.rstrip())
            if after := _AFTER_THE_NAME.search(sentence, a, b):
                b = after.start()  # "Tom Ashcroft (Manchester)": the name, before its club
            if _NAME_CELL.fullmatch(sentence, a, b) and not re.search(r"\d", sentence[a:b]):
                found.append((a, b))
    return found


# A thing named by a letter after its kind: "Week A", "Plan B", "revision D"; a kind in lower
# case only from the words that name things by a letter ("revision D", not "lets X", "tagged W").
LETTERED_NAME = re.compile(
    r"(?<![\w.-])(?:[A-Z][a-z]+|(?:revision|rev|version|plan|option|zone|area|week|group|block"
    r"|type|class|grade|band|tier|model|phase|stage|appendix|annex|schedule|form|route|platform"
    r"|gate|wing|floor|court|pitch|team|division|category|unit|building|site|lot|edition|series"
    r"|variant|size|pool|lane|field|hall|room|studio|ward|bay|car|coach|shift))"
    r"\s(?!I\b)[A-Z](?![\w.'’-])"
)
_MEASURED = re.compile(r"(\d+)-([a-z]+)", re.I)  # "5-day", "12-month"
KEY_TIE_BREAK = 0.01  # under one word: it only breaks ties
_ORDINALS = {
    word: str(n)
    for n, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1
    )
}


def ordinal_numbers(question: str) -> frozenset[str]:
    """The numbers of the places in an order `question` names in words ("the first session":
    1), which a table keyed by number gives its rows ("1 | Tuesday 4 March 2025")."""
    return frozenset(
        _ORDINALS[w] for w in re.findall(r"[a-z]+", question.lower()) if w in _ORDINALS
    )


@lru_cache(maxsize=8192)  # asked for each value kind and each check of one sentence
def rows_asked(question: str, sentence: str) -> tuple[tuple[int, int], ...] | None:
    """The (start, end) of the rows of `sentence` that hold the most of the question's words and
    numbers (its header aside), or None when `sentence` has no row, no row holds any, or every
    row of several holds as many. A row read alone is asked about when it holds any."""
    rows = [m.span() for m in _LINE.finditer(sentence) if CELL_BREAK.search(m.group(0))]
    if not rows:
        return None
    wanted = {stem for _, stem in word_stems(question) if not stem[:1].isdigit()}
    numbers = [
        re.compile(rf"(?<![\w.]){version_or_series(token)}(?!\w|\.\d)")
        if not (measured := _MEASURED.fullmatch(token))
        # "a 5-day lesson" is the row "5 days"
        else re.compile(rf"(?<![\w.]){measured.group(1)}[\s-]?{measured.group(2)}s?\b", re.I)
        for token in _NUMBER_TOKEN.findall(question)
    ]
    amounts = given_amounts(question)
    placed = ordinal_numbers(question)
    # a thing lettered in a series, whose letter no keyword keeps: "Studio A"
    lettered = [
        re.compile(rf"\b{re.escape(m.group(0))}\b") for m in LETTERED_NAME.finditer(question)
    ]

    def score(row: tuple[int, int]) -> float:
        text = sentence[row[0] : row[1]]
        held = {stem for _, stem in word_stems(text)} & wanted
        ranged = sum(1 for _ in ranges_holding(text, amounts))  # "£500.01 to £1,000" for £800
        # on a tie, the row whose key (its first cell) holds more of the question's words, and
        # fewer others: "Full flying member" over "Student flying member | Full-time students"
        # for "a full flying member", "consent, food" over "consent, non-food" for "food"
        key_cell = CELL_BREAK.split(text, maxsplit=1)[0]
        key = {stem for _, stem in word_stems(key_cell)}
        count = len(held) + sum(1 for number in numbers if number.search(text)) + ranged
        count += key_cell.strip() in placed  # "the first session" of "1 | Tuesday 4 March"
        count += sum(1 for name in lettered if name.search(text))
        return count + KEY_TIE_BREAK * (len(key & wanted) - len(key - wanted) / 10)

    # a first row without a number is a header when others have one ("Version | Supported"):
    # its words name the columns, not a row
    if (
        len(rows) > 1
        and not re.search(r"\d", sentence[rows[0][0] : rows[0][1]])
        and re.search(r"\d", sentence[rows[1][0] : rows[-1][1]])
    ):
        rows = rows[1:]
    scores = [score(row) for row in rows]
    best = max(scores)
    # a row read alone is the row asked about when it holds any of the question's words
    if best == 0 or (len(rows) > 1 and scores.count(best) == len(rows)):
        return None
    return tuple(row for row, s in zip(rows, scores, strict=True) if s == best)


# Dot leaders between a line's label and its value: "Wheelchair athlete ........ £40.00".
LEADER = re.compile(r"\S\s*(?:\.\s?){4,}\s*\S|…{2,}")


def keyed_by_a_band(text: str, amount: float) -> bool:
    """Whether a row of a table or a price list's line in `text` is keyed by a band holding
    `amount` ("£500.01 to £1,000 | £85" for a claim of £800). A band in prose ("groups of up to
    25") keys nothing."""
    if not any(mark in text for mark in (" | ", "\t", "....", ". . .", "…")):
        return False
    return any(
        (CELL_BREAK.search(line) or LEADER.search(line)) and ranges_holding(line, [amount])
        for line in _LINE.findall(text)
    )


def table_header(before: str, sentence: str) -> str | None:
    """The first row of the table whose rows `sentence` holds: the top of the rows just above it
    in `before` (the passage's text before the sentence), else the sentence's own first row when
    it holds more; None for a sentence holding no row."""
    if " | " not in sentence and "\t" not in sentence:
        return None
    above = []
    for line in reversed(before.rstrip("\n").split("\n")):
        if not CELL_BREAK.search(line):
            break
        above.append(line)
    if above:
        return above[-1]
    rows = [line for line in _LINE.findall(sentence) if CELL_BREAK.search(line)]
    return rows[0] if len(rows) > 1 else None


_TOTAL_CELL = re.compile(
    r"(?:total|grand total|total (?:fee|cost|price|charge|payable|due|amount)|amount payable)"
    r"(?:\s*\([^()]*\))?",
    re.I,
)


def in_columns_asked(
    question: str, sentence: str, header: str | None, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """`spans` but those outside the columns whose `header` cells the question names, by a word
    or a number ("Saturday" of "Pitch | Tuesday | Saturday | Sunday", "2023/24" of "Measure |
    2022/23 | 2023/24"); all of them when it names none, or every one. The first column keys the
    rows and is not chosen."""
    if header is None:
        return spans
    names = [cell.strip() for cell in CELL_BREAK.split(header)]
    widths = {
        len(CELL_BREAK.split(line.group(0)))
        for line in _LINE.finditer(sentence)
        if line.group(0) != header
    }
    if widths == {len(names) + 1}:
        # a header over the value columns alone, the rows' key column unnamed: "2024/25 |
        # 2025/26" over "First bin – standard | £45.00 | £52.00"
        names = ["", *names]
    if len(names) < 3:  # a key and one value: nothing to choose
        return spans
    wanted = {stem for _, stem in word_stems(question) if not stem[:1].isdigit()}
    numbers = _NUMBER_TOKEN.findall(question)
    shared: list[float] = [
        len({stem for _, stem in word_stems(name)} & wanted)
        + sum(bool(re.search(rf"(?<![\w.]){re.escape(n)}(?![\w.]*\d)", name)) for n in numbers)
        if j > 0
        else 0
        for j, name in enumerate(names)
    ]
    if particle := _PARTICLE_ASKED.search(question):
        # "turned off" tells "Water off" from "Water on", whose stems are alike (the particles
        # are stopwords)
        word = re.compile(rf"\b{particle.group(1)}\b", re.I)
        shared = [
            count + (PARTICLE_TIE_BREAK if j and word.search(names[j]) else 0.0)
            for j, count in enumerate(shared)
        ]
    # the columns naming the most of it: "Peak season" over "Low season" for "in peak season"
    asked = [j for j, count in enumerate(shared) if count and count == max(shared)]
    if not asked:
        # a row's parts and their sum: the sum is what a row's thing comes to ("Application
        # fee | Grant fee | Total" for "How much is a 12-month consent?")
        asked = [j for j, name in enumerate(names) if j > 0 and _TOTAL_CELL.fullmatch(name)]
    if not asked or len(asked) == len(names) - 1:
        return spans
    cells = []
    for line in _LINE.finditer(sentence):
        breaks = [x for m in CELL_BREAK.finditer(sentence, *line.span()) for x in m.span()]
        edges = [line.start(), *breaks, line.end()]
        if len(edges) // 2 != len(names) or sentence[line.start() : line.end()] == header:
            continue  # another table's row, or the header itself
        cells += [(edges[2 * j], edges[2 * j + 1]) for j in asked]
    kept = [(a, b) for a, b in spans if any(x <= a and b <= y for x, y in cells)]
    return kept or spans


PARTICLE_TIE_BREAK = 0.5  # under one word: it only tells apart columns named alike
# A verb and its particle, which columns may be told apart by: "turned off", "check out".
_PARTICLE_ASKED = re.compile(
    r"\b(?:turn|switch|check|sign|log|clock|drop|pick|hand|put|take|set|cut|shut|lock|go|come"
    r"|move|get)(?:s|ed|ing|ped|ping|t|ne|en|ken|ot|es)?\s+(on|off|in|out|up|down|back)\b",
    re.I,
)


def another_rows_case(question: str, at: int, lines: Sequence[str]) -> bool:
    """Whether the table's row `lines[at]` (a passage's sentences, a row each) is of another
    case than `question` asks: the question names a value another row of its table gives in a
    column ("the Community Room at Harbourside", of "Study Pod | Harbourside | 4") where this row
    gives another ("Community Room | Northfield | 35 | £12.00") that the question does not
    name."""
    cells = [cell.strip() for cell in CELL_BREAK.split(lines[at])]
    asked = question.lower()
    for other in _table_around(at, lines):
        others = [cell.strip() for cell in CELL_BREAK.split(other)]
        if len(others) != len(cells):
            continue
        for mine, theirs in zip(cells, others, strict=True):
            if (
                mine.lower() != theirs.lower()
                and _named_cell(theirs, asked)
                and not _named_cell(mine, asked)
            ):
                return True
    return False


def _table_around(at: int, lines: Sequence[str]) -> list[str]:
    """The other rows (not the header) of the table `lines[at]` stands in."""
    first = last = at
    while first > 0 and TABLE_ROW.match(lines[first - 1]):
        first -= 1
    while last + 1 < len(lines) and TABLE_ROW.match(lines[last + 1]):
        last += 1
    # a first row without a number in a cell of its own is the header, naming the columns
    # ("Side | AW7 | AW12" over "Front (air outlet) | 1000 | 1500")
    start = first if holds_a_bare_value(lines[first]) else first + 1
    return [lines[i] for i in range(start, last + 1) if i != at]


_DIGIT = re.compile(r"\d")
# A cell that is a value and nothing else ("24h", "1500", "£1.20", "0.5 s", "10 kg"): a row's,
# never a header's, whose cells name columns ("Entry (before 1 May)", "AW12"), years ("2024",
# "2024/25") or places in an order ("1st | 2nd | 3rd").
_BARE_VALUE = re.compile(
    r"(?!\W*(?:19|20)\d\d(?:[/–-]\d{2,4})?\W*$)(?!\W*\d{1,2}(?:st|nd|rd|th)\W*$)"
    r"\W*\d[\d.,:/–-]*\s?[A-Za-z%°]{0,3}\W*"
)


def holds_a_bare_value(row: str) -> bool:
    """Whether a table's row has a cell that is a value alone (`_BARE_VALUE`): no header."""
    return any(_BARE_VALUE.fullmatch(cell.strip()) for cell in CELL_BREAK.split(row))


# A cell naming a thing by its code or its series: "AW12", "TH-AW7-1P", "2.4.x".
_CODED_CELL = re.compile(r"[A-Za-z]+[-\w]*\d[-\w]*|\d+(?:\.\d+)*\.[xX*]")


def _named_cell(cell: str, asked: str) -> bool:
    """Whether a question (`asked`, in lower case) names `cell` whole: a word, a name, a code or
    a series, not a value ("£12.00", "35") nor a dash."""
    if len(cell) < 3:
        return False
    if _DIGIT.search(cell) and not _CODED_CELL.fullmatch(cell):
        return False
    if not _DIGIT.search(cell) and not re.search(r"[A-Za-z]{3}", cell):
        return False
    return re.search(rf"(?<![\w-]){re.escape(cell.lower())}(?![\w-])", asked) is not None


# A record's field, as a spreadsheet's row reads: "winter_hours (1 Oct - 31 Mar): 8.30am to
# 3.30pm;".
_RECORD_FIELD = re.compile(r"(?:^|;\s+)(?P<key>[A-Za-z][\w ()/.-]{0,40}?):\s+(?P<value>[^;]*)")
RECORD_FIELDS = 3  # fields a line holds to be a record's


def is_record(sentence: str) -> bool:
    """Whether `sentence` is a record's line: RECORD_FIELDS "key: value" fields or more."""
    return len(_RECORD_FIELD.findall(sentence)) >= RECORD_FIELDS


KEY_WORD_WEIGHT = 2  # what a word of a field's key counts for, against one of its value


def in_fields_asked(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of the values at `spans` in a record's line (RECORD_FIELDS "key: value" fields or more,
    parted by ";"), those in the fields sharing most with `question`: a word of a field's key
    counts KEY_WORD_WEIGHT, a word of its value one, among fields whose key shares one
    ("winter_hours" for "When does it shut in the winter months?"); `spans` when no key does: a
    word of a note alone ("runs") does not outweigh the name field."""
    fields = list(_RECORD_FIELD.finditer(sentence))
    if len(fields) < RECORD_FIELDS or not spans:
        return spans
    asked = {stem for _, stem in word_stems(question)}
    # a field's value runs to the next field: "notes: Trade price; was £5,290.00 ex VAT ..."
    ends = [m.start() for m in fields[1:]] + [len(sentence)]
    scored = []
    for m, end in zip(fields, ends, strict=True):
        key = {stem for _, stem in word_stems(m.group("key").replace("_", " "))}
        value = {stem for _, stem in word_stems(sentence[m.start("value") : end])}
        keyed = len(asked & key)
        scored.append(
            (m.start("value"), end, KEY_WORD_WEIGHT * keyed + len(asked & value) if keyed else 0)
        )

    def field_of(span: tuple[int, int]) -> int:
        return next((n for x, y, n in scored if x <= span[0] and span[1] <= y), 0)

    best = max(field_of(span) for span in spans)
    if not best:
        return spans
    return [span for span in spans if field_of(span) == best]
