"""The short answer inside an answering sentence: the date, the amount, the number with its unit,
the name or the place a typed question asks for (question_types.asked_type).

Plain regular expressions over one sentence, no model: a span is returned only when a value of
the asked kind is there and the question does not name it already ("When did X happen in 2010?"
is not answered by "2010"). Of several such values, the one nearest the question's own words is
taken ("signed on 21 November 2007 and entered into force on 1 May 2009" answers "when did it
enter into force" with the second date), the first on a tie; of each value its longest form
("13 March 2009" over "2009").
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from functools import lru_cache

from citeqa.index.retrieval.keyword import is_stopword, word_stems

from .alternatives import end_asked, value_of_the_bracketed_case, value_of_the_case
from .coverage import named_places, place_mentions
from .lists import asks_several, respective_value, whole_list
from .named_things import (
    fits_what_is_asked,
    identifier_of,
    licence_spans,
    scheme_spans,
    specific_spans,
)
from .narrowing import (
    ASKS_RANGE,
    RANGE_REST,
    UNIT_AFTER,
    VERSION,
    asked_places,
    asked_quantities,
    subset_asked,
    told_vaguely,
)
from .numbers import NUMBER_WORD
from .patterns import asks
from .places import (
    address_spans,
    phone_spans,
    place_spans,
    spot_spans,
    street_spans,
)
from .question_types import (
    ASKS_DEFAULT,
    ASKS_PERIOD,
    ASKS_RECURRING,
    ASKS_WHEREABOUTS,
    CLOSING,
    CURRENCY_CODES,
    DURATION,
    EMAIL_ADDRESS,
    KEYED_AMOUNT,
    OPENING,
    ORGANISATION_NOUN,
    PERSON_NOUN,
    POST_AHEAD,
    RANK,
    REFERENCE,
    RELATIVE_TIME,
    SHARE_VALUE,
    WEEKDAY,
    YEARLESS_UNIT_AFTER,
    asked_type,
    asking_clause,
    asks_organisation,
    asks_relative_time,
    charged_as_a_share,
    code_spans,
    given_name_spans,
    institution_spans,
    located,
    of_the_room_asked,
    organisation_spans,
    person_cells,
    person_spans,
    who_answers,
    years,
)
from .rows import (
    given_amounts,
    in_columns_asked,
    in_fields_asked,
    in_rows_asked,
    name_cells,
    ranges_holding,
    rows_naming,
)
from .spelling import one_slip_apart

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# not the year inside an identifier: "CVE-2025-31904", "RHSA-2024:1234"
_YEAR = r"(?<![A-Za-z]-)(?:1[89]\d\d|20\d\d)(?![-:]\d{5})"
_CLOCK = (
    r"\b(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s*[ap]\.?m\b\.?)?(?![\d:])"
    r"|\b(?:1[0-2]|[1-9])(?:[.:][0-5]\d)?\s*[ap]\.?m\b\.?"
)
_DATE = re.compile(
    rf"\b{_YEAR}-[01]\d-[0-3]\d(?:[ T](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?\b"  # 2022-01-20
    rf"|\b{_YEAR}([./])[01]\d\1[0-3]\d\b"  # 2024.11.21, 2024/11/21 (not 2023.10.1, a version)
    rf"|\b{_DAY}(?:\s*[-–]\s*{_DAY})?\s+(?:{_MONTHS})\.?,?\s+{_YEAR}\b"  # 13 March 2009
    rf"|\b(?:{_MONTHS})\.?\s+{_DAY},?\s+{_YEAR}\b"  # March 13, 2009
    rf"|\b(?:{_MONTHS})\.?\s+{_YEAR}\b"  # March 2009
    # a part of a year: "the first quarter of 2026", "Q1 2026", "early 2025", "spring 2024"
    rf"|\b(?:(?:first|second|third|fourth|last|1st|2nd|3rd|4th)\s+(?:quarter|half)\s+of"
    rf"|Q[1-4]|H[12]|(?:early|mid|late)[- ]|(?:spring|summer|autumn|fall|winter)(?:\s+of)?)"
    rf"\s*{_YEAR}\b"
    rf"|\b{_DAY}(?:\s*[-–]\s*{_DAY})?\s+(?:{_MONTHS})\b"  # 13 March, 14–27 October
    rf"|\b{_YEAR}(?:\s*[-–/]\s*(?:{_YEAR}|\d\d))?\b"  # 2009, 2024-2029
    rf"|{_CLOCK}"  # 06:45, 7 pm: "when does the ferry leave"
    # a month alone, after a word that makes it a time ("in June"; "May" alone is a verb too)
    r"|(?:"
    + "|".join(rf"(?<=\b{w} )" for w in ("in", "since", "until", "by", "from", "during", "of"))
    + rf")(?:{_MONTHS})\b"
    # a year before 1800 the same way ("last erupted in 1707"): alone, it is as often a number
    r"|(?:"
    + "|".join(rf"(?<=\b{w} )" for w in ("in", "since", "until", "from", "around", "circa"))
    + r")1[0-7]\d\d\b(?![.,]\d)"
)
_NUMBER_WORDS = (
    f"{NUMBER_WORD}|a hundred|dozens?|a dozen|half|a half|a quarter|a third|twice|double|triple"
)
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion|mn|bn|[kKmMbB])\b)?"
# Digits after a letter belong to a name ("sqlite3", "F6", "x86", "UTF-8", "x86-64"), not a
# number; and a number is whole: never the "409" of "4096-byte".
_NUMBER = (
    rf"(?:(?<![\w.])(?<![A-Za-z]-)(?<![A-Za-z]\d-)(?<![A-Za-z]\d\d-)\d+(?:,\d{{3}})*(?:\.\d+)*"
    r"(?!\d|[.,]\d)"
    rf"|\b(?:{_NUMBER_WORDS})\b(?:[- ](?:{_NUMBER_WORDS})\b)*)"
)
_TIME_UNIT = r"(?:years?|months?|weeks?|days?|hours?|minutes?)"
# A unit joined to its number: "a 4096-byte page", "a 32-bit integer", "a 30-second timeout".
_HYPHEN_UNIT = (
    rf"{_TIME_UNIT}|seconds?|milliseconds?|bytes?|bits?|kilobytes?|megabytes?|gigabytes?"
    r"|[KMGT]i?B|characters?|pixels?|points?|digits?|percent"
    # a thing's measure in space or weight: "a 1,000-litre tank", "a 2-metre fence"
    r"|(?:kilo|centi|milli)?met(?:re|er)s?|km|cm|mm|miles?|foot|feet|inch(?:es)?|litres?|liters?"
    r"|gallons?|kg|kilos?|(?:kilo)?grams?|tonnes?|acres?|hectares?"
)
_CURRENCY_WORD = (
    r"dollars?|euros?|won|yen|yuan|renminbi|rupiah|ringgit|baht|pesos?|dong|kyats?|riels?|kip"
    r"|pounds?|rupees?|kron(?:a|e|er|or)|francs?|zlotys?|lira|pence|cents?"
)
_MONEY = re.compile(
    rf"(?:US\$|S\$|A\$|\$|€|£|¥|₩|\b{CURRENCY_CODES}\b)\s?\d(?:,?\d)*(?:\.\d+)?{_SCALE}"
    rf"|{_NUMBER}{_SCALE}\s*(?:{_CURRENCY_WORD})\b"
    r"|\b\d{1,3}(?:\.\d+)?p\b(?!\.\w)",  # pence: "45p per mile"
    re.I,
)
# A bound is part of the value: "greater than 2048 bits" does not answer "2048 bits", nor "a
# dozen or more" "a dozen".
_BOUND_BEFORE = (
    r"more than|greater than|larger than|higher than|less than|fewer than|lower than|over"
    r"|up to|at least|at most|no more than|no less than|no fewer than|not more than"
    r"|a minimum of|a maximum of|upwards of|in excess of"
)
# not "one or more", "two or more": any number of them
_BOUND_AFTER = (
    r"(?<!\bone)(?<!\btwo)(?<!\b1)(?<!\b2)\s+or\s+(?:more|less|fewer|over|under|above|below)\b"
)
# A bound is a comparison the sentence's verb makes ("must be greater than 2048 bits"), so its
# words are not the value's when the value's nearness to the question's words is measured; an
# estimate's are ("a maximum size of about 281 terabytes").
_BOUND = re.compile(rf"(?:{_BOUND_BEFORE})\s", re.I)
_QUANTITY = re.compile(
    rf"(?:(?:{_BOUND_BEFORE}|about|around|nearly|almost|some)\s)?"
    rf"(?:(?:US\$|USD|\$|€|£|¥|₩)\s?)?{_NUMBER}{_SCALE}"
    r"(?:\s+(?:through|thru)\s+\d+(?:\.\d+)*\b)?"  # a range is one answer: "30 through 39"
    rf"(?:\s*(?:%|per ?cent|percent|times)|[-‐](?:{_HYPHEN_UNIT})\b|[-‐]fold\b)?"
    rf"(?:{_BOUND_AFTER})?"
    r"(?![-‐][A-Za-z])"  # not "two-way", "one-off": a number word inside a compound
    # nor "one" standing for a thing: "choose the right one", "this one", "each one"
    r"(?<!\bthe right one)(?<!\bthis one)(?<!\bthat one)(?<!\beach one)(?<!\bwhich one)"
    r"(?<!\bany one)(?<!\bthe one)(?<!\bno one)(?<!\bevery one)(?<!\bother one)",
    re.I,
)
# "On what day", "which exact date", a keyword query's "exact day in october 2024": a day.
_EXACTLY = r"(?:exact|precise|specific|particular|actual|calendar)"
_ASKS_DAY = re.compile(
    rf"\b(?:what|which) (?:{_EXACTLY} )?(?:day|date)\b|\b{_EXACTLY} (?:day|date)\b", re.I
)
# A setting a value may be changed to, after the value it has: "can be raised with timeout = 120".
_CHANGED_TO = re.compile(
    r"\b(?:can|may|could|might)\s+be\s+(?:raised|increased|lowered|reduced|decreased|changed"
    r"|extended|shortened|overridden|set|adjusted|configured)\s+(?:to|with|using|by|up to)\b",
    re.I,
)
_ASKS_MONTH = re.compile(r"\b(what|which) month\b", re.I)
# A recurring thing asked by its day: "When does the group meet?", "club night".
_ASKS_WHICH_DAY = re.compile(r"\b(?:days?|nights?|evenings?|meet|meets|meeting|held)\b", re.I)
_HAS_MONTH = re.compile(rf"\b(?:{_MONTHS})\b|\b{_YEAR}[-./][01]?\d\b")  # "2021-03-15" too
# The month or year a question asking for a day places it in: "On what day in June 2007 ...?"
_DATE_ASKED_IN = re.compile(
    rf"\b(?:(?:what|which) (?:{_EXACTLY} )?|{_EXACTLY} )(?:day|date) (?:in|of) "
    rf"(?P<month>{_MONTHS})?\.?,?\s*(?P<year>{_YEAR})?",
    re.I,
)
# A month with its year anywhere in a question, read as _DATE_ASKED_IN reads its own.
_MONTH_NAMED = re.compile(rf"\b(?P<month>{_MONTHS})\.?,?\s+(?P<year>{_YEAR})\b")
# "In what year ...", "which year", a keyword query's "... launch year": a year, not a day alone.
_ASKS_DATES = re.compile(r"\b(?:what|which)\s+(?:exact\s+)?dates?\b|\bon\s+what\s+day\b", re.I)
_ASKS_YEAR = re.compile(
    r"\b(?:what|which)\s+year\b"
    r"|(?<!this )(?<!last )(?<!next )(?<!each )(?<!every )(?<!per )\byear\s*\??\s*$",
    re.I,
)
_ASKS_DATE_NOT_TIME = re.compile(
    r"^(?!.*\b(?:times?|hours?|o['’]clock)\b).*\b(?:dates?|days?)\b", re.I
)
# An event of a thing's history, dated by a day or a year, never by an hour of the clock: "When
# was the Town Hall built?" is not answered by "Office hours: 09:00-17:00".
_ASKS_HISTORY = re.compile(
    r"\b(?:was|were)\s+(?:[\w'’-]+\s+){0,6}?(?:built|founded|established|constructed|formed"
    r"|created|incorporated|registered|introduced|launched|born|granted|completed)\b",
    re.I,
)
_ASKS_TIME_NOT_DATE = re.compile(
    r"^(?!.*\b(?:dates?|(?<!time of )(?<!time of the )days?)\b).*\btimes?\b", re.I
)
_CLOCK_ONLY = re.compile(_CLOCK, re.I)
_ASKS_AN_HOUR = re.compile(
    r"\b(?:open|opens|close|closes|start|starts|begin|begins|finish|finishes|end|ends|arrive"
    r"|leave|depart|departs|kick off|doors?)\b",
    re.I,
)
_ASKS_TIME_OF_DAY = re.compile(r"\btime of (?:the )?day\b", re.I)
_BARE_YEAR = re.compile(rf"(?:in\s+)?{_YEAR}")
_YEAR_IN = re.compile(rf"\b(?:{_YEAR}|1[0-7]\d\d)\b")  # within a date span: "in 1707" too
_HAS_DAY = re.compile(
    rf"\b{_DAY}\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\.?\s+{_DAY}\b|\b{_YEAR}([-./])[01]\d\1[0-3]\d\b"
)
_UNIT_GIVEN = re.compile(rf"%|per ?cent|percent|times|fold|{_TIME_UNIT}|[$€£¥₩]", re.I)
# Words that join a number to nothing: not part of its unit ("eight core lines of effort").
_NOT_UNIT = frozenset("of the a an and or to in on at by for with from as is are was were".split())
_WORD = re.compile(r"[\w'’-]+")
_ALL_WORDS = re.compile(r"(?u)\b\w\w+\b")  # the words word_stems counts, stopwords included
_CLAUSE_MARK = re.compile(r"[,;:()–—\n]| - ")  # a line break ends a row or an item
CLAUSE_GAP = 2  # a clause mark between a value and a word puts them this many words further apart
# A conjunction joins two clauses or phrases, each with its own value: twice a comma's distance.
_CONJUNCTION = re.compile(r"\b(?:and|but|while|whereas)\b", re.I)
CONJUNCTION_GAP = 4
LISTED_OPTIONS = 3  # options (or variables) in one sentence that make it a list of them
DESCRIPTION_WORDS = 12  # an option's description in a list of them: "use strict DER decoding"
# The place in an order a question names: "Which anniversary", "what position".
_RANK_NOUN = re.compile(r"\b(?:what|which) (rank|position|anniversary|edition)\b", re.I)
MAX_UNIT_WORDS = 3  # words after a number that the question also uses: "1,000 digital specialists"


# A measure no amount of money tells: "how long", "how many", "how far" (but a grant may be "how
# large").
_ASKS_NO_AMOUNT = re.compile(
    r"\bhow (?:many|long|often|frequently|far|old|tall|wide|heavy)\b"
    r"|\bwhat (?:size|height|weight|length|width|depth|capacity|volume)\b"
    r"|\b(?:minimum|maximum|min|max|lowest|youngest|oldest)\s+ages?\b|\bage\s+(?:limit|range)\b",
    re.I,
)


def short_answer(question: str, sentence: str, header: str | None = None) -> tuple[int, int] | None:
    """(start, end) in `sentence` of the value `question` asks for, or None (an untyped question,
    or no such value the question does not name already). `header`: the first row of the table
    whose rows `sentence` holds (rows.table_header), whose cells name the columns asked."""
    kind = asked_type(question)
    if kind is None:
        return None
    values = spans = in_fields_asked(
        question,
        sentence,
        in_columns_asked(question, sentence, header, answer_values(question, sentence)),
    )
    if not spans:
        return None
    spans = _change_end(question, sentence, spans)
    if kind == "place":
        spans = _placed(sentence, spans)
    if kind == "person" and not asks_organisation(question):
        # a person before a body or a title the sentence also names: "Approved by | Claire
        # Whitfield, Leisure Services Manager, Harwick Borough Council"
        bodies = organisation_spans(sentence)
        people = [
            (x, y) for x, y in person_spans(sentence) if not any(x < d and c < y for c, d in bodies)
        ]
        spans = [(a, b) for a, b in spans if any(a < y and x < b for x, y in people)] or spans
    spans = value_of_the_bracketed_case(
        question,
        sentence,
        value_of_the_case(question, sentence, respective_value(question, sentence, spans)),
    )
    # an option list describes each option after it; prose names it beside its words
    listed = kind == "code" and len(spans) >= LISTED_OPTIONS
    closeness = _described(question, sentence, spans) if listed else None
    if kind == "specific" and (thing := identifier_of(question, naming=True)):
        # "the licence number" in "(company number 09126654) under a licence, CR000212": the
        # name nearest the word of the thing it numbers
        closeness = _beside(sentence, thing) or closeness
    closeness = closeness or _nearness(question, sentence)
    if kind == "date" and (named := years(question) | _months(question)):
        closeness = _in_the_time_named(sentence, named, closeness)
    start, end = max(spans, key=closeness)  # the first on a tie
    if asks_several(question) and kind != "rank":
        start, end = whole_list(sentence, values, (start, end))
    if kind == "code":
        return _with_its_setting(
            question, sentence, _with_its_other_form(sentence, spans, (start, end))
        )
    if kind == "quantity":
        start, end = _part_of_whole(
            sentence, spans, subset_asked(question, sentence, spans, (start, end))
        )
    if kind == "date":
        # both bounds, as a change "from A to B" is not: `values`
        start, end = _side_asked(question, sentence, values, (start, end))
        if asks(_ASKS_HOURS, question):  # opening hours: "10:00 am – 2:00 pm", one answer
            if till := _CLOCK_UNTIL.match(sentence, end):
                end = till.end()
            elif since := _HOUR_FROM.search(sentence, 0, start):
                start = since.start(1)  # "from 2 to 6 pm": the hour before shares its "pm"
        return start, _without_full_stop(sentence, end)
    if kind == "rank" and (asked := asks(_RANK_NOUN, question)):
        # "Which anniversary ...?": "20th anniversary", not a bare "20th"
        noun = re.compile(rf"\s+{asked.group(1)}s?\b", re.I).match(sentence, end)
        return start, noun.end() if noun else end
    if kind != "quantity":
        return start, end
    version = VERSION.fullmatch(sentence, start, end) is not None  # a version has no unit ...
    asks_range = asks(ASKS_RANGE, question) is not None
    if asks_range and (rest := RANGE_REST.match(sentence, end)):
        end = rest.end()  # "6000 to 6063", one answer
    ranged = asks_range or " through " in sentence[start:end] or " thru " in sentence[start:end]
    if not (ranged or _UNIT_GIVEN.search(sentence, start, end)):
        unit = UNIT_AFTER.match(sentence, end)  # ... but "7.5 hours" is no version
        if unit:
            end = unit.end()
            # a span's first bound shares its unit: "1–3 seconds", one answer
            if first := _FIRST_BOUND.search(sentence, 0, start):
                start = first.start()
        elif not version:
            end = _with_unit(sentence, end, question.lower())
    if other_side := _DIMENSION.match(sentence, end):
        end = other_side.end()  # "4 ft by 6 ft", "1920 × 1080 pixels": one size
    return start, end


# A span's first bound, right before its second: the "1–" of "1–3 seconds", the "10 to " of "10
# to 25 kg" (not a version's "2.4-").
_FIRST_BOUND = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?\s*(?:–|—|-|to)\s*$")


# A figure's label naming its year: the "2022: " of "(2022: 21)".
_YEAR_LABEL = re.compile(r"\b((?:19|20)\d\d)(?:[/–-]\d{2,4})?\s*:\s*$")

# The bounds of a span of time: "from 7:30 pm to 9 pm", "10:00 am – 2:00 pm".
_UNTIL = re.compile(r"\s*(?:-|–|—|to|until|till)\s*$")


def _side_asked(
    question: str, sentence: str, spans: list[tuple[int, int]], chosen: tuple[int, int]
) -> tuple[int, int]:
    """Of a span of time the chosen value bounds, the bound `question` asks: "When does the
    talk start?" of "from 7:30 pm to 9 pm" is 7:30 pm, "When does it finish?" 9 pm."""
    starts, ends = (
        asks(OPENING, question),
        bool(asks(CLOSING, question) or asks(_LOCKING, question)),
    )
    if bool(starts) == ends:
        return chosen
    for first, second in itertools.pairwise(spans):
        if chosen in (first, second) and _UNTIL.fullmatch(sentence, first[1], second[0]):
            # a span the place is closed for starts when it closes: "closed from 23:00 to
            # 07:00" is locked at 23:00 and opens at 07:00
            closed = _CLOSED_FROM.search(sentence, max(0, first[0] - 30), first[0]) is not None
            return first if bool(starts) != closed else second
    return chosen


# A question asking when a place is shut for the night: "What time is the gate locked?".
_LOCKING = re.compile(r"\b(?:lock|locks|locked|locking)\b", re.I)
# The words before a span a place is closed for: "closed from ", "locked between ".
_CLOSED_FROM = re.compile(r"\b(?:closed|shut|locked)\s+(?:\w+\s+){0,2}?(?:from|between)\s+$", re.I)


def _without_full_stop(sentence: str, end: int) -> int:
    """`end` before a full stop that ends the sentence ("9am to 1pm." is "9am to 1pm"), not
    an abbreviation's ("7 p.m.")."""
    ends = end == len(sentence.rstrip()) and sentence[end - 1] == "."
    return end - 1 if ends and not _ABBREVIATED_END.search(sentence, 0, end) else end


_ABBREVIATED_END = re.compile(r"\b[a-zA-Z]\.[a-zA-Z]\.$")


# "-s, --strict": an option's short and long forms are one answer.
_OTHER_FORM = re.compile(r",\s*|\s*\|\s*|\s+or\s+")
# "set __shellmath_isOptimized=1": a variable with the value to set it to, for a question asking
# what to do.
_ASKS_SETTING = re.compile(
    r"\b(?:turn|switch)(?:s|ed|ing)?\s+(?:\w+\s+)?(?:on|off)\b|\benabl\w*|\bdisabl\w*|\bactivat\w*"
    r"|\b(?:do|should|must|can) (?:I|you|we) (?:set|put|add|export)\b|\bsetting\b",
    re.I,
)
_SETTING = re.compile(r"=[^\s,;'\"`)]*[^\s,;'\"`).:]")


def _with_its_other_form(
    sentence: str, spans: list[tuple[int, int]], chosen: tuple[int, int]
) -> tuple[int, int]:
    """An option with its other form beside it: "-s, --strict" for "--strict" or "-s"."""

    def short(span: tuple[int, int]) -> bool:
        return sentence[span[0] : span[0] + 2] not in ("--", "") and sentence[span[0]] == "-"

    def long(span: tuple[int, int]) -> bool:
        return sentence.startswith("--", span[0])

    start, end = chosen
    for a, b in spans:
        if (
            b <= start
            and short((a, b))
            and long(chosen)
            and _OTHER_FORM.fullmatch(sentence, b, start)
        ):
            start = a
        elif (
            a >= end and long((a, b)) and short(chosen) and _OTHER_FORM.fullmatch(sentence, end, a)
        ):
            end = b
    return start, end


def _with_its_setting(question: str, sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    """A variable with the value the text sets it to ("__shellmath_isOptimized=1"), for a
    question asking what to set ("Which variable do I set to turn it on?"; "Which variable sets
    the time zone?" asks for its name only)."""
    setting = asks(_ASKS_SETTING, question) and _SETTING.match(sentence, span[1])
    return (span[0], setting.end()) if setting else span


# "122 of the 139 languages": a part and its whole are one answer.
_PART_OF = re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+|all\s+|its\s+|their\s+)?", re.I)


def _part_of_whole(
    sentence: str, spans: list[tuple[int, int]], chosen: tuple[int, int]
) -> tuple[int, int]:
    """`chosen` with the other number of "N of the M" it belongs to."""
    start, end = chosen
    for a, b in spans:
        if b <= start and _PART_OF.fullmatch(sentence, b, start):
            start = a
        elif a >= end and _PART_OF.fullmatch(sentence, end, a):
            end = b
    return start, end


# The other side of a size: " by 6 ft", " x 1080", " × 10 m".
_DIMENSION = re.compile(
    r"\s*(?:by|x|×)\s*(?!(?:19|20)\d\d\b)\d[\d.,]*(?:\s*[a-zA-Zµ\"'′″]{1,6}\b[\"'′″]?)?(?!\s*\d)"
)


# The kinds whose values the short answer reads surely (dates, numbers, amounts). Names of
# people, bodies and places go untitled in many texts ("now maintained by the Lantern Tools
# collective"), where wanting one read would refuse answers.
SHOWN_KINDS = frozenset({"date", "quantity", "money"})


def wants_value_shown(question: str) -> bool:
    """Whether the sentence shown as the answer to `question` must hold the value it asks for:
    one of SHOWN_KINDS, or a person or body of the country the question names ("Which
    Vietnamese agency ...?"), whose names `answer_values` reads and sets aside when they are
    another country's. A date told elsewhere in the passage belongs to another event than the
    one asked about."""
    kind = asked_type(question)
    return kind in SHOWN_KINDS or (kind == "person" and bool(places_of_the_kind_asked(question)))


# When a document itself came out: "When was the Asan paper published?", "What date appears on
# the brief?", "when was the page last modified". A document's date is its dateline, a line
# of its own in the title block ("2024.11.21.", "Published: 29 May 2025"), about nothing else.
_ASKS_PUBLICATION = re.compile(
    r"\b(?:publish(?:ed|ing)?|publication|put out|released|issued|dated|posted|last (?:modified"
    r"|updated)|date (?:appears|is|shown|printed) on)\b",
    re.I,
)
# ... of a document, not of a version or a product ("When was Tarn 4.1 released?")
_DOCUMENT_NOUN = re.compile(
    r"\b(?:paper|article|report|brief|document|page|guide|manual|book|interview|piece|post|notice"
    r"|letter|newsletter|bulletin|statement|memo|faq|readme|handbook|study|essay|column|blog"
    r"|op-ed|commentary|analysis|policy|programme|program|agenda|minutes|release notes)s?\b",
    re.I,
)
_DATELINE_LABEL = re.compile(
    r"^\s*(?:(?:first )?published|posted|updated|last (?:modified|updated)|released|dated|date"
    r"|issued|revised)(?:\s+on)?\s*:?\s*",
    re.I,
)


def asks_publication(question: str) -> bool:
    """Whether `question` asks when a document came out (a date asked of a paper, a page, a
    report ... with "published", "put out", "last modified", ...)."""
    return (
        asked_type(question) == "date"
        and asks(_ASKS_PUBLICATION, question) is not None
        and asks(_DOCUMENT_NOUN, question) is not None
    )


def is_dateline(sentence: str) -> bool:
    """Whether `sentence` is a date on its own, to the month or the day ("2024.11.21.",
    "Published: 29 May 2025")."""
    text = _DATELINE_LABEL.sub("", sentence).strip(" .,;()[]\n")
    # a day or a month: a year alone is a heading ("2023")
    return bool(text) and _DATE.fullmatch(text) is not None and bool(_HAS_MONTH.search(text))


def of_another_date(question: str, sentence: str) -> bool:
    """Whether `sentence` is a document's own date (`is_document_date`) and `question` asks of
    another ("When did Tomás Reyes join?"), not when something was published, updated or
    issued."""
    return asks(_ASKS_PUBLICATION, question) is None and is_document_date(sentence)


def is_document_date(sentence: str) -> bool:
    """Whether `sentence` is a document's own date under its label ("Date: 1 July 2025",
    "Last updated 14 February 2024 by Tomás Reyes"): when the document was written, not when
    anything it tells of happens. A release's "Released: 2 March 2025" tells of the release."""
    label = _DATELINE_LABEL.match(sentence)
    if label is None or label.group(0).strip().lower().startswith("released"):
        return False
    rest = sentence[label.end() :].strip(" .,;()[]\n")
    date = _DATE.match(rest)
    if date is None or not _HAS_MONTH.search(date.group(0)):
        return False
    tail = rest[date.end() :].strip(" .,;")
    # "Last updated: 2 February 2025 — maintained by Ines Halvorsen"
    return not tail or tail.lower().startswith(("by ", "(", "—", "–", "- ", "|"))


def value_shown(question: str, sentence: str) -> bool:
    """Whether `sentence`, shown as the answer, holds the value `question` asks for where one
    must be read (`wants_value_shown`)."""
    return not wants_value_shown(question) or short_answer(question, sentence) is not None


# A place told as where something is or goes: "add the line to /etc/dpkg/dpkg.cfg", "fonts
# installed in /usr/share/fonts"; not a value the sentence merely mentions ("add log
# /var/log/dpkg.log to ...").
_LOCATIVE = re.compile(
    r"\b(?:in|into|to|at|under|on|onto|inside|within|from|via)\s+"
    r"(?:the |a |an |your |its |their |his |her |our )?[\"'“‘<(]?$",
    re.I,
)


def _placed(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Of several places, those a preposition of place governs, if any: the answer to "where"."""
    placed = [span for span in spans if _LOCATIVE.search(sentence, 0, span[0])]
    return placed or spans


_FROM = re.compile(r"\bfrom\s+(?:just |only |about |around |some )?$", re.I)
_TO = re.compile(r"\b(?:to|reaching|reached)\s+(?:about |around |some |nearly |almost )?$", re.I)
# What a question says when it asks for the value a change started from: not a bare "from" or
# "first" ("What share came from Korea ...", "When was the first meeting held?").
_ASKS_START = re.compile(
    r"\b(before|from (what|which|how)|initial(ly)?|original(ly)?|previous(ly)?|earlier|used to"
    r"|prior)\b",
    re.I,
)


# A number after the verb that dials it is a number to call, however short.
_DIALLED = re.compile(r"\b(?:call|ring|dial|phone|text)\s+(?:us\s+on\s+)?$", re.I)
# Hours asked, which a span of the clock answers: "opening hours", "what times is it open".
# "opening hours", "viewing times", a keyword query's "under 12 training time"
_ASKS_HOURS = re.compile(r"\b(?:hours|times)\b|\bopen\b|^[^?]*\btime\s*$", re.I)
_CLOCK_UNTIL = re.compile(rf"\s*(?:-|–|—|to|until|till)\s*(?:{_CLOCK})(?:\s*[ap]\.?m\b\.?)?", re.I)
_HOUR_FROM = re.compile(r"\b(?:from\s+)?((?:1[0-2]|0?[1-9])(?::[0-5]\d)?)\s*(?:-|–|—|to)\s*$", re.I)
# Where a thing is posted to: "Where do I post the entry form?", "the postal address"; not
# where a question is posted on a forum.
_ASKS_POSTAL = re.compile(
    r"\bpost(?:ed|ing)?\s+(?:[\w-]+\s+){0,3}?(?:forms?|letters?|cheques?|checks?|applications?"
    r"|entr(?:y|ies)|documents?|parcels?|cards?|payments?)\b|\bpostal\b|\bby post\b",
    re.I,
)
_ONLINE = re.compile(r"https?://|www\.|[\w.+-]+@", re.I)
# Where something happens or stands: "Where is the AGM held?", "where do hearings take place?"
# ("Where is the configuration file located?" may be answered by a path.)
_ASKS_VENUE = re.compile(
    r"\b(?:held|hosted|take place|takes place|took place|taking place|meet|meets|met|gather"
    r"|gathers)\b",
    re.I,
)


_ASKS_WHOM_TO_EMAIL = re.compile(
    r"\bwho(?:m)?\s+(?:do|should|can|could)\s+(?:i|we)\s+e-?mail\b", re.I
)


def _at_the_end_asked(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of dates each told after the end of a time it is ("open on Monday 1 September and close
    at 17:00 on Friday 10 October"), those of the end `question` asks for (the closing date);
    all of `spans` when it asks neither end or none is told so."""
    end = end_asked(question)
    if end is None:
        return spans
    wanted, other = (OPENING, CLOSING) if end == "opening" else (CLOSING, OPENING)
    kept = []
    for a, b in spans:
        before = sentence[max(0, a - END_REACH) : a]
        ends = [(m.start(), True) for m in wanted.finditer(before)] + [
            (m.start(), False) for m in other.finditer(before)
        ]
        if ends and max(ends)[1]:
            kept.append((a, b))
    return kept or spans


END_REACH = 40  # characters before a date its end's word may stand: "close at 17:00 on Friday"


@lru_cache(maxsize=1024)
def _numbers_given(question: str) -> frozenset[str]:
    """The numbers `question` gives ("My daughter is 13": 13)."""
    return frozenset(_DIGITS.findall(question))


def _after_the_thing(thing: str, sentence: str, a: int, b: int) -> tuple[int, int] | None:
    """The span a..b of `sentence`, or what follows the word of the `thing` whose number is
    asked in it when it names the thing ("Application 3PL/2024/0188/F"): None when nothing with
    a digit follows ("PADI 5 Star IDC Centre")."""
    named = list(re.finditer(rf"\b{re.escape(thing[:5])}\w*\W*", sentence[a:b], re.I))
    if not named:
        return a, b
    rest = a + named[-1].end()
    return (rest, b) if rest < b and re.search(r"\d", sentence[rest:b]) else None


def answer_values(question: str, sentence: str) -> list[tuple[int, int]]:
    """The values in `sentence` that could answer `question`: of the kind it asks for, not named
    in it already, and as fine as it asks ("On what day in June 2007 ...?" is not answered by
    "in June 2007", nor "Which city ...?" by a country). Empty for an untyped question."""
    kind = asked_type(question)
    if kind is None:
        return []
    # a variable or an option, as the question asks (not cached by kind alone)
    rated = kind == "money" and charged_as_a_share(question, sentence)
    spans = (
        code_spans(question, sentence)
        if kind == "code"
        else list(_candidates(kind, sentence, rated))
    )
    if kind == "person" and (" | " in sentence or "\t" in sentence):
        # a name known by its given name only is one in a row the question names, as a bare
        # cell's is (rows.name_cells)
        named_rows = rows_naming(question, sentence)
        given_only = set(given_name_spans(sentence))
        spans = [
            (a, b)
            for a, b in spans
            if (a, b) not in given_only or any(x <= a and b <= y for x, y in named_rows)
        ]
    if kind in ("person", "place"):  # a table's cell gives a name bare: "| Sally Mbeki |"
        cells = name_cells(question, sentence)
        if kind == "person":
            cells = person_cells(question, sentence, cells)
        spans = sorted(set(spans) | set(cells))
    if kind == "place":  # "Where did she do her degree?": "University of Bristol"
        spans = sorted(set(spans) | set(institution_spans(question, sentence)))
        spans = of_the_room_asked(question, sentence, spans)
    if kind == "person":
        spans = who_answers(question, sentence, spans)
        if asks(_ASKS_WHOM_TO_EMAIL, question):  # "Who do I email about ...?": the address
            spans = [m.span() for m in EMAIL_ADDRESS.finditer(sentence)] or spans
        if places := places_of_the_kind_asked(question):
            # "Which Vietnamese agency ...?" is not answered by "... Agency of Indonesia"
            spans = [
                (a, b)
                for a, b in spans
                if not (found := {p for _, _, p in place_mentions(sentence[a:b])}) or found & places
            ]
    if kind == "quantity":
        # a number is not a piece of a telephone number ("the room number" in "... 01632 555")
        # nor a street address's ("3 Tanners Row" tells no price of parking)
        phones = [*phone_spans(sentence), *street_spans(sentence)]
        spans = [
            (a, b)
            for a, b in spans
            if not any(x <= a < y for x, y in phones)
            and not _DIALLED.search(sentence, max(0, a - 12), a)  # "then call 999"
        ]
        if given := _numbers_given(question):
            # "My daughter is 13 — what is the minimum age to fly solo?" of "at least 13 years old
            # for a trial flight, and 14 to fly solo": a number the question gives is its own
            # ("122 of the 139" keeps its whole: _part_of_whole)
            spans = [
                (a, b)
                for a, b in spans
                if not set(_DIGITS.findall(sentence, a, b)) & given
                or _WHOLE_BEFORE.search(sentence, 0, a)
            ] or spans
            # nor is a release of the version it gives a count: "[2.4.3] — 2023-03-21" for "the
            # default number of threads in version 2.4"
            releases = tuple(f"{number}." for number in given if "." in number)
            spans = [
                (a, b)
                for a, b in spans
                if not (
                    releases
                    and any(n.startswith(releases) for n in _DIGITS.findall(sentence, a, b))
                )
            ]
        spans = asked_quantities(question, sentence, spans)
        if asks(ASKS_DEFAULT, question) and (changed := _CHANGED_TO.search(sentence)):
            # "The timeout is 60 seconds and can be raised with timeout = 120": the default
            # is told before the setting it may be changed to
            spans = [(a, b) for a, b in spans if b <= changed.start()] or spans
        if asks(_ASKS_NO_AMOUNT, question):  # "how long" is not told in pounds
            spans = [(a, b) for a, b in spans if not _MONEY.match(sentence, a)]
    if kind in ("quantity", "money") and (asked_years := years(question)):
        # a figure labelled by another year is that year's: "27 (2022: 21)" for "in 2023"
        spans = [
            (a, b)
            for a, b in spans
            if not (
                (label := _YEAR_LABEL.search(sentence, max(0, a - 12), a)) is not None
                and label.group(1) not in asked_years
            )
        ] or spans
    if kind == "date" and asks(_ASKS_HISTORY, question):
        # a thing's history is told by its year: "built in 1887", not "in August" or "at 6pm"
        spans = [(a, b) for a, b in spans if _YEAR_IN.search(sentence, a, b)]
    if kind == "date" and asks(_ASKS_DATE_NOT_TIME, question):
        # "concert date" in "Saturday 25 April 2026, 7.30pm": the day, not the hour
        spans = [(a, b) for a, b in spans if not _CLOCK_ONLY.fullmatch(sentence, a, b)] or spans
    elif kind == "date" and asks(_ASKS_TIME_NOT_DATE, question):  # "what time": the hour
        # else a day may do ("at 7pm on 3 May" told as "on 3 May"), but never a year alone, nor
        # anything but the hour for "what time of day"
        clock = [(a, b) for a, b in spans if _CLOCK_ONLY.fullmatch(sentence, a, b)]
        spans = clock or (
            []
            if asks(_ASKS_TIME_OF_DAY, question)
            else [(a, b) for a, b in spans if not _BARE_YEAR.fullmatch(sentence, a, b)]
        )
    if kind == "date" and _asks_a_day(question):
        # "When is the pop-up stall?" of "Wednesday 23 October 2024, 14:00–17:00": the day,
        # not an hour of it, unless the question asks when something opens or ends
        days = [(a, b) for a, b in spans if _HAS_DAY.search(sentence, a, b)]
        if days:
            spans = [(a, b) for a, b in spans if not _CLOCK_ONLY.fullmatch(sentence, a, b)]
    if kind == "date":
        spans = _at_the_end_asked(question, sentence, spans)
    if kind == "date" and asks(ASKS_PERIOD, question):
        spans = sorted(set(spans) | {m.span() for m in DURATION.finditer(sentence)})
    recurring = kind == "date" and asks(ASKS_RECURRING, asking_clause(question)) is not None
    if recurring:  # "When does the committee meet?": "on the first Tuesday of the month"
        # the day it comes round on, not the months of the year it runs in ("on the last
        # Wednesday of each month, October to March")
        weekdays = [m.span() for m in WEEKDAY.finditer(sentence)]
        if asks(_ASKS_WHICH_DAY, question):
            spans = weekdays or spans
        else:  # "When does the library open?": the hour, or the days
            spans = sorted(set(spans) | set(weekdays))
    if kind == "date" and asks_relative_time(question):  # "30 minutes beforehand"
        spans = sorted(set(spans) | {m.span() for m in RELATIVE_TIME.finditer(sentence)})
    if kind == "date" and asks(_ASKS_MONTH, question):  # not "in 2008" for "in which month"
        spans = [(a, b) for a, b in spans if _HAS_MONTH.search(sentence, a, b)]
    if kind == "date" and asks(_ASKS_DAY, question):
        spans = [
            (a, b)
            for a, b in spans
            if _HAS_DAY.search(sentence, a, b) or (recurring and WEEKDAY.match(sentence, a))
        ]
        # the month the question places it in: "On what day in June 2007 ...?", or "It took
        # effect in June 2007. On what day ...?"
        asked_in = asks(_DATE_ASKED_IN, question) or asks(_MONTH_NAMED, question)
        spans = [(a, b) for a, b in spans if _within(sentence[a:b], asked_in)]
    if kind == "date" and asks(_ASKS_DATES, question):  # "What dates is it running?": not "1977"
        spans = [(a, b) for a, b in spans if not _BARE_YEAR.fullmatch(sentence, a, b)]
    if kind == "date" and asks(_ASKS_YEAR, question):  # not "15 February" for "which year"
        spans = [(a, b) for a, b in spans if _YEAR_IN.search(sentence, a, b)]
    if kind == "place" and asks(ASKS_WHEREABOUTS, asking_clause(question)):
        # a spot on a site, where no named place covers it
        spans += [
            (a, b) for a, b in spot_spans(sentence) if not any(x < b and a < y for x, y in spans)
        ]
        spans.sort()
    if kind == "place":
        spans = located(question, sentence, asked_places(question, sentence, spans))
    if kind == "place" and asks(_ASKS_POSTAL, asking_clause(question)):
        # a form posted goes to a street address, not a web or an e-mail address
        spans = [(a, b) for a, b in spans if not _ONLINE.match(sentence, a)]
    if kind == "place" and asks(_ASKS_VENUE, asking_clause(question)):
        # where a meeting is held is a place to go to, not an address to write to
        addresses = [*address_spans(sentence), *phone_spans(sentence)]
        spans = [span for span in spans if span not in addresses]
    if kind in ("quantity", "money", "date") and asks(ASKS_EXACTLY, question):
        spans = [(a, b) for a, b in spans if not _approximate(sentence, a, b)]
    if kind == "specific":  # "Which exact Intel i3 model?" is not answered by "Windows 10"
        spans = [(a, b) for a, b in spans if fits_what_is_asked(question, sentence[a:b])]
        if (written := scheme_spans(question, sentence)) is not None:
            spans = written
        elif thing := identifier_of(question):
            # the thing's number, not its name: "PADI 5 Star IDC Centre (no. S-21874)";
            # "Application 3PL/2024/0188/F" is "3PL/2024/0188/F"
            spans = [span for a, b in spans if (span := _after_the_thing(thing, sentence, a, b))]
    spans = in_rows_asked(question, sentence, spans)
    # a band holding the amount the question gives keys its row or its line and is not its
    # value: "£500.01 to £1,000 | £85", "(band £1,500.01-3,000): £181.00" for a £2,000 claim
    if amounts := given_amounts(question):
        bands = ranges_holding(sentence, amounts)
        spans = [(a, b) for a, b in spans if not any(x <= a and b <= y for x, y in bands)]
    if kind == "code":  # "--strict" answers "which option turns on strict decoding"
        return [(a, b) for a, b in spans if not _named_in(sentence[a:b], question)]
    asked = _spelled_alike(question)
    return [
        (a, b)
        for a, b in spans
        if (v := sentence[a:b].strip())
        and not (
            _named_in(v, question)
            if _NUMBER_ONLY.fullmatch(v)
            else any(_spelled_alike(form) in asked for form in _forms_of(v))
        )
        and not (kind == "person" and _named_with_a_slip(v, question))
    ]


_PERSON_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'’-]+")
_TITLES = frozenset("mr mrs ms miss mx dr prof rev revd sir dame cllr".split())


def _named_with_a_slip(name: str, question: str) -> bool:
    """Whether `question` names the person `name` already, a letter of it slipped: "margret
    quigley" names "Margaret Quigley"."""
    words = [w.lower() for w in _PERSON_WORD.findall(name) if w.lower() not in _TITLES]
    asked = {w.lower() for w in _PERSON_WORD.findall(question)}
    return len(words) >= 2 and all(
        w in asked or (len(w) >= 5 and any(one_slip_apart(w, a) for a in asked)) for w in words
    )


@lru_cache(maxsize=1024)  # asked of every sentence judged for one question
def _asks_a_day(question: str) -> bool:
    """Whether `question` asks when a thing is, not its hour ("what time") nor when it opens,
    starts or ends."""
    return not asks(_ASKS_TIME_NOT_DATE, question) and not asks(_ASKS_AN_HOUR, question)


_NUMBER_ONLY = re.compile(r"[\d.,]+")
_NICKNAME = re.compile(r"\s+[\"“‘'(][^\"”’')]{1,20}[\"”’')](?=\s)")
_YEAR_AFTER = re.compile(r",?\s+(?:19|20)\d\d$")


def _forms_of(value: str) -> set[str]:
    """`value` and how a question may name it short: without a nickname ('Michael "Mick"
    Bolitho'), a date without its year ("27 April 2024" for "the talk on 27 April")."""
    forms = {value, _NICKNAME.sub("", value)}
    if _MONTH_NAME.search(value):  # a date's year, not the "2048" of "greater than 2048"
        forms.add(_YEAR_AFTER.sub("", value))
    return {form for form in forms if form.strip()}


def _named_in(value: str, question: str) -> bool:
    """Whether `question` names `value` whole: a version given ("in version 2.4") names neither
    "4" nor "2.4.3", nor an option ("--parallel") the option "-p"; "ISO 639-5" names 5. (Found
    by `str.find`: a pattern per value would be compiled afresh for most values.)"""
    joins_before = "._" if value[:1].isdigit() else "._-"
    at = question.find(value)
    while at >= 0:
        before = question[at - 1 : at]
        end = at + len(value)
        after, then = question[end : end + 1], question[end + 1 : end + 2]
        joined_before = bool(before) and (before.isalnum() or before in joins_before)
        joined_after = bool(after) and (
            after.isalnum() or after in "_-" or (after in ".," and then.isdigit())
        )
        if not joined_before and not joined_after:
            return True
        at = question.find(value, at + 1)
    return False


_WHOLE_BEFORE = re.compile(r"\bof\s+(?:the\s+|all\s+)?$", re.I)
_DIGITS = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*(?![\d.,]?\d)")


# "Which Vietnamese agency ...", "which Korean minister": the country word right before the noun
# the question asks for (one word may come between: "which Korean government agency").
_ASKED_OF_A_COUNTRY = re.compile(
    r"\b(?:[Ww]hich|[Ww]hat)\s+(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+(?:\w+\s+)?"
    rf"(?:{ORGANISATION_NOUN}|universit(?:y|ies)|{PERSON_NOUN})\b"
)


def places_of_the_kind_asked(question: str) -> frozenset[str]:
    """The countries `question` asks its person or body to be of ("Which Vietnamese agency"
    -> viet nam); none when it names countries only elsewhere ("Who funded the school in
    Laos?" may be answered by a Korean agency)."""
    asked = asks(_ASKED_OF_A_COUNTRY, question)
    if asked is None:
        return frozenset()
    return frozenset(place for _, _, place in place_mentions(asked.group("place")))


def _spelled_alike(text: str) -> str:
    """`text` in lower case with hyphens as spaces: "Lee Jae-myung" and "Lee Jae Myung" are one
    name, which a question naming it is not answered by."""
    return " ".join(text.lower().replace("-", " ").split())


# "Exactly how many source packages ...?" is not answered by "around 30000", nor "On what exact
# date ...?" by "early next year": a question that insists on the figure asks what the text
# does not give when it only estimates it.
ASKS_EXACTLY = re.compile(r"\b(exact|exactly|precise|precisely)\b", re.I)
_ESTIMATE_BEFORE = re.compile(
    r"\bbetween\s+(?:\S+\s+and\s+)?$"  # a range's bounds: "X between 0 and 15"
    r"|\b(?:about|around|approximately|roughly|some|nearly|almost|over|more than|less than"
    r"|fewer than|up to|at least|at most|an estimated|estimated|circa|c\.|~|early|mid|late"
    r"|minimum of|upwards of|in excess of)\s*$",
    re.I,
)
_ESTIMATE_IN = re.compile(
    rf"^(?:{_BOUND_BEFORE}|about|around|approximately|roughly|some|nearly|almost)\b"
    rf"|{_BOUND_AFTER}$",
    re.I,
)
_ESTIMATE_AFTER = re.compile(r"^\s*(?:or so|or more|or less|odd|-odd|\+|plus)\b", re.I)


def _approximate(sentence: str, start: int, end: int) -> bool:
    """Whether the value at `start`..`end` is told as an estimate ("around 30000", "50 or so",
    "a few dozen")."""
    return bool(
        told_vaguely(sentence, start, end)
        or _ESTIMATE_IN.search(sentence[start:end])
        or _ESTIMATE_BEFORE.search(sentence, max(0, start - 20), start)
        or _ESTIMATE_AFTER.match(sentence[end : end + 12])
    )


def _within(value: str, asked_in: re.Match[str] | None) -> bool:
    """Whether the date `value` lies in the month and year a question places its day in
    (`_DATE_ASKED_IN`'s match; None: anywhere): the day asked for "in June 2007" is not
    "24 August 2006", the date of something else the sentence tells."""
    if asked_in is None:
        return True
    month, year = asked_in.group("month"), asked_in.group("year")
    if year and re.search(_YEAR, value) and year not in value:
        return False
    months = re.findall(rf"\b(?:{_MONTHS})\b", value, re.I)
    return not (month and months and all(m[:3].lower() != month[:3].lower() for m in months))


def _change_end(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of a change told as "from A to B" (or "to B ... from A"), the value the question asks
    for: B, what it came to, unless the question asks what it was before ("before", "initially",
    "from"). Spans not in such a pair are kept."""
    starts = [span for span in spans if _FROM.search(sentence, 0, span[0])]
    ends = [span for span in spans if _TO.search(sentence, 0, span[0])]
    if not starts or not ends:
        return spans
    drop = set(ends) if asks(_ASKS_START, question) else set(starts)
    return [span for span in spans if span not in drop]


def _described(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> Callable[[tuple[int, int]], float]:
    """A variable's or an option's closeness to the question: how many of its words the text
    after it, up to the next one, shares: a manual describes each after its name ("-s, --strict
    use strict DER decoding -t, --no-time-strict use strict DER but not in time fields")."""
    wanted = {stem for _, stem in word_stems(question)}
    starts = sorted(a for a, _ in spans)

    def score(span: tuple[int, int]) -> float:
        following = bisect.bisect_right(starts, span[0])
        until = starts[following] if following < len(starts) else len(sentence)
        # the last one's text runs on to the sentence's end: only its first words describe it
        words = word_stems(sentence[span[1] : until])
        described = {stem for i, stem in words if i < DESCRIPTION_WORDS}
        return len(described & wanted)

    return score


def _in_the_time_named(
    sentence: str, named: AbstractSet[str], closeness: Callable[[tuple[int, int]], float]
) -> Callable[[tuple[int, int]], float]:
    """`closeness`, with a date in a year or a month the question names first: "when picking
    started for the 2024 vintage" is "5 February 2024", not the "since 2008" beside "vintage";
    "When does the October IDC run?" is "14–27 October" of three courses' dates."""

    def score(span: tuple[int, int]) -> float:
        told = sentence[span[0] : span[1]]
        return closeness(span) + (TIME_NAMED_BONUS if (years(told) | _months(told)) & named else 0)

    return score


def _months(text: str) -> set[str]:
    """The months `text` names, in lower case."""
    return {m.group(0).lower()[:3] for m in _MONTH_NAME.finditer(text)}


_MONTH_NAME = re.compile(rf"\b(?:{_MONTHS})\b")
# What a date in the year (or the month) a question names counts for among a sentence's dates:
# more than any nearness to the question's words (a word next to a value scores 1).
TIME_NAMED_BONUS = 10.0


def _beside(sentence: str, word: str) -> Callable[[tuple[int, int]], float] | None:
    """A span's closeness to `word` in `sentence` (any ending: "licence", "licensed"), in
    characters, or None when `sentence` does not use it."""
    found = [m.span() for m in re.finditer(rf"\b{re.escape(word[:5])}\w*", sentence, re.I)]
    if not found:
        return None

    def score(span: tuple[int, int]) -> float:
        # the characters between the span and the word, after it counting double: a number
        # follows what it numbers ("licence CR000212", "reference P/2023/0917")
        return -min(
            span[0] - end if span[0] >= end else 2 * (start - span[1]) for start, end in found
        )

    return score


def _nearness(question: str, sentence: str) -> Callable[[tuple[int, int]], float]:
    """A span's closeness to the question's words in `sentence`: for each word the two share,
    1 / (1 + gap)² for its nearest occurrence, summed; the gap counts the words between and
    CLAUSE_GAP more for each clause mark (, ; : parentheses, dashes) between and CONJUNCTION_GAP
    more for each conjunction. A value belongs to the words of its own clause: in "signed on 21
    November 2007 and came into force on 1 May 2009" the second date sits next to "force", while
    the agreement's name, before both, says nothing of which date is asked for; in "a B.A. from
    Yonsei University and his PhD from Murdoch University" the PhD is Murdoch's."""
    wanted = {stem for _, stem in word_stems(question)}
    starts = [w.start() for w in _ALL_WORDS.finditer(sentence)]
    # A country is one word under any of its names: "Malaysia's Prime Minister" answers "Which
    # Malaysian leader", "the ROK's second-largest partner" is Korea's.
    places = named_places(question)
    countries = [
        (bisect.bisect_left(starts, a), bisect.bisect_left(starts, b), f"country:{place}")
        for a, b, place in place_mentions(sentence)
        if place in places
    ]
    shared = [
        (i, stem)
        for i, stem in word_stems(sentence)
        if stem in wanted and not any(a <= i < b for a, b, _ in countries)
    ] + [(a, place) for a, _, place in countries]
    marks = [m.start() for m in _CLAUSE_MARK.finditer(sentence)]
    joins = [m.start() for m in _CONJUNCTION.finditer(sentence)]
    # the words of a field's label after a value name the next field's value, not it: in
    # "Reception phone: 01736 555 0192 Out-of-hours warden: 07700 900 845"
    labels = [m.span() for m in _FIELD_LABEL.finditer(sentence)] if sentence.count(":") > 1 else []

    def apart(a: int, b: int) -> int:
        """The words a clause mark or conjunction in sentence[a:b] adds to a gap."""
        between = bisect.bisect_left(marks, b) - bisect.bisect_left(marks, a)
        return CLAUSE_GAP * between + CONJUNCTION_GAP * (
            bisect.bisect_left(joins, b) - bisect.bisect_left(joins, a)
        )

    def score(span: tuple[int, int]) -> float:
        bound = _BOUND.match(sentence, span[0])  # the value's first word (or where it is)
        first = bisect.bisect_left(starts, bound.end() if bound else span[0])
        after = bisect.bisect_left(starts, span[1])  # the first word after the value
        nearest: dict[str, int] = {}
        for i, stem in shared:
            if i < first:
                gap = first - i - 1 + apart(starts[i], span[0])
            elif i >= after:
                if any(a <= starts[i] < b for a, b in labels):
                    continue  # another field's label
                gap = i - after + apart(span[1], starts[i])
            else:
                continue  # inside the value itself
            nearest[stem] = min(gap, nearest.get(stem, gap))
        return sum(1 / (1 + gap) ** 2 for gap in nearest.values())

    return score


_SHARE_OF_WHOLE = re.compile(
    r"\s+of\s+(?:the\s+)?(?:total|price|cost|fee|booking|balance|amount|hire|bill)\b", re.I
)
# A list item's number at the start of a line: "1. sends the Inspectorate a questionnaire".
_LIST_NUMBER = re.compile(r"(?m)^[ \t]*\(?\d{1,3}[.)](?=[ \t])")
# A field's label inside a line of several: words up to a colon, none of them a digit.
_FIELD_LABEL = re.compile(
    r"(?<![\w:])[A-Za-z][\w'’&/()-]*(?:[ \t]+[A-Za-z][\w'’&/()-]*){0,4}(?=:\s)"
)


# What every date, amount or number needs somewhere in the sentence: a cheap test that spares the
# full patterns most sentences of a passage (the highlight asks of several per answer).
_MAYBE_DATE = re.compile(rf"\d|\b(?:{_MONTHS})\b")  # a clock time has digits too
_MAYBE_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.I)


@lru_cache(maxsize=16384)  # the same sentences come back question after question
def _candidates(kind: str, sentence: str, rated: bool = False) -> list[tuple[int, int]]:
    """Spans of values of `kind`, in order, the longest at each position, none inside another
    (`rated`: a share counts as money). Cached: callers must not change the list."""
    if kind == "date" and not _MAYBE_DATE.search(sentence):
        return []
    if kind in ("quantity", "money") and not _MAYBE_NUMBER.search(sentence):
        return []
    if kind == "date":
        found = [
            m.span()
            for m in _DATE.finditer(sentence)
            if not YEARLESS_UNIT_AFTER.match(sentence, m.end())
        ]
    elif kind == "money":
        found = [m.span() for m in _MONEY.finditer(sentence)]
        found = sorted(
            set(found)
            | {
                m.span("amount")
                for m in KEYED_AMOUNT.finditer(sentence)
                if not any(a <= m.start("amount") < b for a, b in found)
            }
        )
        if rated:  # "A deposit of 25% is payable": a charge told as a share, and beside an
            # amount when a share of the whole ("25% of the total (£30 minimum)")
            shares = [m.span() for m in SHARE_VALUE.finditer(sentence)]
            found = sorted(
                set(found)
                | {(a, b) for a, b in shares if not found or _SHARE_OF_WHOLE.match(sentence, b)}
            )
    elif kind == "quantity":
        dates = [
            m.span()
            for m in _DATE.finditer(sentence)
            if not YEARLESS_UNIT_AFTER.match(sentence, m.end())  # "2048 bits" is no year
        ]
        dates += [m.span() for m in REFERENCE.finditer(sentence)]  # not values either
        dates += [m.span() for m in _LIST_NUMBER.finditer(sentence)]  # "1. sends the ..."
        found = [
            m.span()
            for m in _QUANTITY.finditer(sentence)
            if not any(a <= m.start() < b for a, b in dates)
            and not _ordinal(sentence, m.start(), m.end())
        ]
    elif kind == "rank":
        found = [m.span() for m in RANK.finditer(sentence)]
    elif kind == "licence":
        found = licence_spans(sentence)
    elif kind == "specific":
        found = specific_spans(sentence)
    elif kind == "person":
        found = _names_before_addresses(
            sentence, [_whole_name(sentence, span) for span in person_spans(sentence)]
        )
    else:
        # a list of paths is several answers, not one
        addresses = [*address_spans(sentence), *phone_spans(sentence)]
        named = [span for span in place_spans(sentence) if span not in addresses]
        found = _merged(named, sentence, _PLACE_IN_PLACE, _LIST_GOES_ON) + addresses
    return sorted(found, key=lambda span: (span[0], span[0] - span[1]))


_TO_ADDRESS = re.compile(r"\s*[<(]")


def _names_before_addresses(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Without the e-mail address that follows a name ("Josip Rodin <joy@...>"): who is asked
    for is the name."""
    return [
        (a, b)
        for i, (a, b) in enumerate(spans)
        if not (i and "@" in sentence[a:b] and _TO_ADDRESS.fullmatch(sentence, spans[i - 1][1], a))
    ]


# A name's next word: capitalised, or a particle before one ("Annelies de Groot", "Ludwig van
# Beethoven").
_SECOND_BARREL = re.compile(r"-[A-Z][\w'’]*")
_NAME_WORD = re.compile(
    r"\s+(?:(?:de|van|von|der|den|da|di|du|le|la|del|della|dos|das|ter|ten|bin|binti|al)\s+)?"
    r"[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[a-z]+|-[A-Z][\w'’]*)?"  # "Jang-keun", "Llewellyn-Price", "Ødegård"
)


_UNTITLED_WORD = re.compile(
    r"\b(?!(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sir|Dame|Cllr|Revd|Rev|Lord|Lady)\b)"
    r"[A-ZÀ-ÖØ-Þ][^\W\d_A-Z]+"
)


def _whole_name(sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    """A person's span carried over the capitalised words that follow ("H.E. Lee" ->
    "H.E. Lee Jang-keun") and the second half of a double-barrelled name ("Dr Gareth Llewellyn"
    -> "Dr Gareth Llewellyn-Price")."""
    start, end = span
    barrel = _SECOND_BARREL.match(sentence, end)
    if barrel:
        end = barrel.end()
    for _ in range(3):
        word = _NAME_WORD.match(sentence, end)
        if word is None or (
            # "Oliver Grant Centre Manager": a name of two words or more ends before a post
            len(_UNTITLED_WORD.findall(sentence, start, end)) >= 2
            and POST_AHEAD.match(sentence, end)
        ):
            break
        end = word.end()
    return start, end


# "Bali, Indonesia": a place and the place it lies in are one answer; "Singapore, Hanoi, and
# Panmunjom" are three, as the list goes on after the second.
_PLACE_IN_PLACE = re.compile(r",\s*")
_LIST_GOES_ON = re.compile(r",?\s+(?:and|or)\s+[A-Z]")


def _merged(
    spans: list[tuple[int, int]],
    sentence: str = "",
    joiner: re.Pattern[str] | None = None,
    unless_after: re.Pattern[str] | None = None,
) -> list[tuple[int, int]]:
    """Overlapping spans joined into one (and spans with only `joiner` between them, unless
    `unless_after` follows the second)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        between = sentence[out[-1][1] : start] if out else ""
        joined = (
            joiner is not None
            and out
            and start >= out[-1][1]
            and joiner.fullmatch(between)
            and not (unless_after is not None and unless_after.match(sentence, end))
        )
        if out and (start < out[-1][1] or joined):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _ordinal(sentence: str, start: int, end: int) -> bool:
    """Whether the number at `start`..`end` is an ordinal ("13th"), a list marker ("19. The") or
    the pronoun "one" ("one of the keys", "this one")."""
    after = sentence[end : end + 2]
    # a list's or a listing's line marker: "19. The", "1 $ lintian -i ..."
    marker = not sentence[:start].strip() and (
        after[:1] in (".", ")") or _PROMPT.match(sentence, end) is not None
    )
    pronoun = (
        sentence[start:end].lower() == "one"
        and _ONE_AS_PRONOUN.match(sentence, end)
        and not _ONE_COUNTED.search(sentence, max(0, start - 16), start)
    )
    return after in ("st", "nd", "rd", "th") or marker or bool(pronoun)


# "one of the keys", "this one.", "one that ...", and "one" as anybody: "one can avoid ...".
_PROMPT = re.compile(r"\s+[$#>]\s")
_ONE_COUNTED = re.compile(r"\b(?:only|exactly|just|at most|at least|no more than)\s+$", re.I)
_ONE_AS_PRONOUN = re.compile(
    r"\s+of\b|\s*[.,;:)]|\s*$|\s+(?:is|was|that|which|who)\b"
    r"|\s+(?:can|cannot|can't|could|may|might|must|should|would|will|shall|need|needs|has to"
    r"|had to|ought)\b",
    re.I,
)


def _with_unit(sentence: str, end: int, asked: str) -> int:
    """`end` moved past up to MAX_UNIT_WORDS following words the question uses too, stopping at
    a stopword once a word of meaning is taken: "12 fellowships", not "12 fellowships will be";
    "one can run" for "How many can run?"."""
    wanted = set(_WORD.findall(asked))
    took_a_noun = False
    for _ in range(MAX_UNIT_WORDS):
        word = _WORD.match(sentence, end + 1) if sentence[end : end + 1] == " " else None
        if word is None or word.group(0).lower() not in wanted - _NOT_UNIT:
            break
        if is_stopword(word.group(0)):
            if took_a_noun:
                break
        else:
            took_a_noun = True
        end = word.end()
    return end
