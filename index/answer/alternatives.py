"""Whether a sentence tells another case than the one a question asks: the fare for a child when an
adult's is asked, the rate paid at the airport when online is, the price per day when per week is.

Price lists, timetables and rules give one value per case, in sentences alike in every other word;
a question names its case by one word of a set of alternatives ("adult", "child", "senior"). A
sentence naming another of the set, and not the question's, tells the other case. The sets are of
plain English alternatives, not of any document's terms.
"""

from __future__ import annotations

import re
from functools import lru_cache

from citeqa.index.retrieval.keyword import is_stopword

from .coverage import in_a_stated_span
from .numbers import CARDINALS
from .patterns import asks
from .question_types import CLOSING, OPENING, asked_type, asking_clause
from .rows import CELL_BREAK, TABLE_ROW, keyed_by_another_band

# Each set: its alternatives, each a pattern of the forms a text or a question writes it in.
_ALTERNATIVES: tuple[tuple[str, ...], ...] = (
    # who pays or takes part
    (
        r"adults?",
        r"child(?:ren)?(?:['’]s)?|kids?|juniors?|infants?|bab(?:y|ies)|under[- ]\d+s|youth"
        r"|young people",
        r"seniors?|pensioners?|over[- ]6\d+s|65\+",
        r"students?",
        r"teens?|teenagers?",
        r"famil(?:y|ies)",
    ),
    (
        r"men(?:['’]s)?|gentlemen|male|boys?(?:['’]s?)?",
        r"women(?:['’]s)?|ladies|female|girls?(?:['’]s?)?",
    ),
    (r"members?(?!ship)", r"non-members?"),
    (r"full[- ]time", r"part[- ]time"),
    (r"home (?:students?|fees?|rates?)|domestic", r"international|overseas"),
    (r"business(?:es)?|commercial|non-household", r"households?|domestic|residential"),
    (r"residents?", r"non-residents?|visitors?"),
    # how often or for how long a price runs
    (
        r"(?:per|a|each|every) (?:hour|hr)|hourly",
        r"(?:per|a|each|every) day|daily|day tickets?|day pass(?:es)?",
        r"(?:per|a|each|every) week|weekly|week tickets?|week pass(?:es)?",
        r"(?:per|a|each|every) month|monthly",
        r"(?:per|a|each|every) (?:year|annum)|annual(?:ly)?|yearly",
    ),
    # how a thing is bought or done
    (
        r"online|on the web(?:site)?|in the app|on our website",
        r"at the (?:airport|desk|counter|station|gate|door)|in person|at reception|on board"
        r"|by (?:tele)?phone",
    ),
    # when
    (r"weekdays?|monday to friday|mon(?:day)?[-–]fri(?:day)?", r"weekends?|saturdays?|sundays?"),
    (r"off-peak", r"(?<!off-)peak"),
    (r"spring", r"summer", r"autumn|fall", r"winter"),
    (
        r"out[- ]of[- ]hours|after hours|overnight|at night|night-?time",
        r"(?:during|within) (?:office|opening|working|normal) hours|in hours|daytime",
    ),
    # which way
    (r"single|one-way", r"returns?"),
    # which line: a fax is not the telephone
    (r"fax(?:es)?", r"tel(?:ephone)?|phone(?:\s+number)?|call\s+us"),
    # which of a post's holders: the deputy is not the chief
    (
        r"chief|head|lead|principal|senior|(?<![\w-])chair(?:s|ed|man|woman|person)?",
        r"deputy|assistant|vice[- ]\w+|junior",
    ),
    # which telephone: a landline's number ("01632 960417") is not the mobile asked for
    (
        r"mobiles?|cell ?phones?|cell numbers?|(?<![\w£$€.,])(?:07\d{3}|\+44\s?7\d{3})\s?\d{6}",
        r"landlines?|(?<![\w£$€.,])(?:0[1-3]\d{1,3}|\+44\s?[1-3]\d{1,3})(?:[\s-]?\d{3,4}){2}",
    ),
)
_COMPILED = tuple(
    tuple(re.compile(rf"\b(?:{alternative})(?![\w-])", re.I) for alternative in alternatives)
    for alternatives in _ALTERNATIVES
)


# The two sides of a bound: "over 20 kg" and "under 20 kg" are two cases of one number.
_ABOVE = re.compile(
    r"\b(?:over|above|more than|heavier than|longer than|older than|at least)\s+(\d[\d,.]*)", re.I
)
_BELOW = re.compile(
    r"\b(?:under|below|less than|up to|lighter than|shorter than|younger than|at most)\s+"
    r"(\d[\d,.]*)",
    re.I,
)


@lru_cache(maxsize=1024)  # asked of every judged sentence of the same question
def _asked(question: str) -> tuple[tuple[int, frozenset[int]], ...]:
    """The sets of alternatives `question` names one of: (the set's index, the alternatives it
    names) each."""
    found = []
    for index, alternatives in enumerate(_COMPILED):
        named = frozenset(i for i, pattern in enumerate(alternatives) if pattern.search(question))
        if named:
            found.append((index, named))
    return tuple(found)


@lru_cache(maxsize=1024)
def _bounds(question: str) -> tuple[frozenset[str], frozenset[str]]:
    """The numbers `question` gives a lower bound of ("over 20 kg") and an upper one."""
    return frozenset(_ABOVE.findall(question)), frozenset(_BELOW.findall(question))


def _other_side(question: str, sentence: str) -> bool:
    """Whether `question` asks one side of a bound ("a dog over 20 kg") and `sentence` tells the
    other side of the same number only ("Dog spay (under 20 kg)")."""
    above, below = _bounds(question)
    for numbers, asked, other in ((above, _ABOVE, _BELOW), (below, _BELOW, _ABOVE)):
        if (
            numbers
            and numbers & set(other.findall(sentence))
            and not numbers & set(asked.findall(sentence))
        ):
            return True
    return False


_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", re.I)
_DAY_RANGE = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\s*(?:-|–|—|to|until|through"
    r"|thru)\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b",
    re.I,
)


def _days(text: str) -> set[str]:
    """The days of the week `text` names, a range's days between its ends among them ("Monday
    to Saturday" names Wednesday)."""
    days = {m.group(1).lower() for m in _DAY.finditer(text)}
    for m in _DAY_RANGE.finditer(text):
        first, last = _DAYS.index(m.group(1).lower()), _DAYS.index(m.group(2).lower())
        days.update(_DAYS[first : last + 1] if first <= last else _DAYS[first:] + _DAYS[: last + 1])
    return days


@lru_cache(maxsize=1024)  # asked of every judged sentence of the same question
def _days_asked(question: str) -> frozenset[str]:
    return frozenset(_days(question))


def another_day(question: str, sentence: str) -> bool:
    """Whether `question` asks of a day of the week ("on Sundays") and `sentence` tells of
    others only ("every Saturday 9:00–10:00 am")."""
    asked = _days_asked(question)
    if not asked or _EVERY_DAY_BUT.search(sentence):
        return False  # "daily except Monday" tells of Sunday too
    told = _days(sentence)
    return bool(told) and not told & asked


_EVERY_DAY_BUT = re.compile(
    r"\b(?:except|excluding|apart from|other than|but not|daily|every day|seven days|7 days)\b",
    re.I,
)


_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
)


@lru_cache(maxsize=1024)
def _months_asked(question: str) -> frozenset[str]:
    """The months `question` names, by their first three letters ("May I ...?" names none)."""
    return frozenset(
        m.group(1)[:3]
        for m in _MONTH.finditer(question)
        if not (m.group(1) == "May" and _MAY_ASKS.match(question, m.start()))
    )


def another_month(question: str, sentence: str) -> bool:
    """Whether `question` asks of a month ("the Induction Day in September") and `sentence`
    dates things in others only ("Thursday 11 April 2024"); a span of months ("April to
    October") tells each month inside it, so it is left to the rest of the rule."""
    asked = _months_asked(question)
    if not asked or _MONTH_SPAN.search(sentence):
        return False
    told = {m.group(1)[:3] for m in _MONTH.finditer(sentence)}
    return bool(told) and not told & asked


_MONTHS_ALTERNATION = _MONTH.pattern[2:-2]  # the months' names, without their group's bounds
_DAY_OF_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(\d{{1,2}})(?:st|nd|rd|th)?)?\s+{_MONTHS_ALTERNATION}"
)


@lru_cache(maxsize=1024)
def _days_of_months_asked(question: str) -> frozenset[tuple[int, str]]:
    """The days of months `question` names ("on 8 July 2024": (8, "Jul"))."""
    return frozenset((int(m.group(1)), m.group(3)[:3]) for m in _DAY_OF_MONTH.finditer(question))


def another_date(question: str, sentence: str) -> bool:
    """Whether `question` asks of a day of a month ("the café on 8 July 2024") and `sentence`
    dates things on other days of that month only ("13 July 2024 | Back hall | Sunita Desai");
    a span of days ("1-14 July") holds those inside it."""
    asked = _days_of_months_asked(question)
    if not asked:
        return False
    told = []
    for m in _DAY_OF_MONTH.finditer(sentence):
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        told.append((first, last, m.group(3)[:3]))
    months = {month for _, month in asked}
    of_the_month = [(a, b, month) for a, b, month in told if month in months]
    return bool(of_the_month) and not any(
        a <= day <= b and month == asked_month
        for a, b, month in of_the_month
        for day, asked_month in asked
    )


# "May I bring my dog?": the verb, not the month
_MAY_ASKS = re.compile(r"May\s+(?:I|we|you|they|he|she|it|one|my|our|children|dogs?)\b")
_MONTH_SPAN = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*(?:-|–|—|to|until|through)"
    r"\s*(?:\d{1,2}\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
)


def another_case(question: str, sentence: str, context: str) -> bool:
    """Whether `sentence` tells another case than `question` asks (one of a set of alternatives
    the question names): it or its `context` (the heading and the lead-in it stands under) names
    another of the set and neither names the question's ("Household charges" over a row, for
    business charges); or the other side of a bound the question gives ("under 20 kg" for
    "over 20 kg")."""
    if (
        _other_side(question, sentence)
        or another_day(question, sentence)
        or another_month(question, sentence)
        or another_date(question, sentence)
        or another_count(question, sentence)
        or keyed_by_another_band(question, sentence)
    ):
        return True
    for index, asked in _asked(question):
        alternatives = _COMPILED[index]
        told = {
            i
            for i, pattern in enumerate(alternatives)
            if pattern.search(sentence) or pattern.search(context)
        }
        if told and not told & asked:
            return True
    return False


_COUNT = r"\d{1,4}|" + "|".join(CARDINALS)


def _number(count: str) -> int:
    word = count.lower()
    if word in ("per", "a", "an", "each"):
        return 1
    return CARDINALS[word] if word in CARDINALS else int(count)


# A case named by its count of a unit: "a 2-day course", "a three-year licence", "the 95-day
# notice account" (not an age: "my 8-year-old" is the asker's own, told in bounds, "under 10s")
_COUNTED_CASE = re.compile(rf"(?<![\w.,])({_COUNT})-([a-z]{{3,}}?)s?\b(?![-\s]olds?\b)", re.I)
_PLURALS = {"person": "people", "child": "children", "man": "men", "woman": "women"}


@lru_cache(maxsize=256)
def _counted_cases(question: str) -> tuple[tuple[int, re.Pattern[str]], ...]:
    """The cases `question` names by a count of a unit, each as its count and a pattern of the
    unit counted in a text ("2-day": 2, "(\\d+) days?")."""
    if asked_type(question) not in ("money", "quantity"):
        return ()
    cases = []
    for match in _COUNTED_CASE.finditer(question):
        count, unit = match.group(1).lower(), match.group(2).lower()
        units = "|".join(map(re.escape, filter(None, (unit, _PLURALS.get(unit)))))
        if re.search(rf"\b(?:per|a|an|each|every)\s+(?:{units})\b", question, re.I):
            continue  # a rate asked: "the rate per metre" for "a 10-metre lorry"
        # "per day" is the price of one day
        told = re.compile(rf"(?<![\w.,])({_COUNT}|per|a|an|each)[-\s]?(?:{units})s?\b", re.I)
        cases.append((_number(count), told))
    return tuple(cases)


def another_count(question: str, sentence: str) -> bool:
    """Whether `sentence` prices or counts the case of another count of the unit `question` names
    its case by: "1 day | €89" for "How much is a 2-day course?", "3 hours" for "a 4-hour
    delay"; a span of counts holding the question's ("3-5 days") tells it."""
    for count, told in _counted_cases(question):
        found = list(told.finditer(sentence))
        if (
            found
            and count not in {_number(m.group(1)) for m in found}
            and not in_a_stated_span(str(count), sentence)
            # a bound holds more counts than its own: "more than 3 hours", "up to 6 people"
            and not any(
                _BOUND.search(sentence, max(0, m.start() - 16), m.end() + 12) for m in found
            )
        ):
            return True
    return False


_BOUND = re.compile(
    r"\b(?:more|less|fewer|longer|shorter|over|under|up to|at least|at most|min(?:imum)?"
    r"|max(?:imum)?|within|beyond|exceed\w*|upwards|plus)\b|\+",
    re.I,
)


# Words before a noun that say which of its values or how many, not what kind of it: "the
# minimum age", "a new member", "all crew".
_NO_KIND = frozenset(
    "new old first last next main other minimum maximum min max total annual current standard"
    " normal full general basic extra additional own same different each every latest early"
    " late average default usual typical whole single certain various further final present"
    " previous following above below more most less least many much few several any"
    " specific particular exact precise right correct best good proper"
    " two three four five six seven eight nine ten eleven twelve".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@lru_cache(maxsize=256)
def _kinds_asked(question: str) -> tuple[tuple[str, str], ...]:
    """The things `question` names by their kind, each as the kind's word and the noun's stem:
    "shore crew" ("shore", "crew")."""
    words = _WORD.findall(asking_clause(question))
    kinds = []
    # a noun phrase's opening after a small word ("for shore crew", "the exeter shop"), not a
    # verb and its object ("give Norway")
    for before, kind, noun in zip(["the", *words], words, words[1:], strict=False):
        if (
            is_stopword(before)
            and len(kind) > 2
            and len(noun) > 2
            and not is_stopword(kind)
            and not is_stopword(noun)
            and kind.lower() not in _NO_KIND
            and not kind[0].isupper()  # a name's words are judged as names
            and not noun[0].isupper()
            and not kind.endswith(("'s", "’s", "'", "’"))  # whose, not which kind
        ):
            kinds.append((kind.lower(), noun.lower().rstrip("s")))
    return tuple(kinds)


_TEXT_WORD = re.compile(r"[A-Za-z][\w'’-]*")


@lru_cache(maxsize=16384)  # the same sentences come back question after question
def _words_before(noun: str, text: str) -> tuple[str, ...]:
    """The words right before each use of the noun whose stem is `noun` in `text` ("seagoing"
    of "seagoing crew"), "" where none is (the noun opens the text or follows a sign)."""
    if noun not in text.lower():  # the cheap test first: most texts have none
        return ()
    words = list(_TEXT_WORD.finditer(text))
    found = []
    for i, word in enumerate(words):
        if word.group(0).lower() in (noun, noun + "s", noun + "es"):
            before = words[i - 1] if i else None
            joined = before is not None and text[before.end() : word.start()].isspace()
            found.append(before.group(0) if joined and before is not None else "")
    return tuple(found)


def _starts_a_word(start: str, text: str) -> bool:
    """Whether a word of `text` starts with `start` ("shore" of "Shoreline", not of "ashore")."""
    at = text.find(start)
    while at >= 0:
        if at == 0 or not text[at - 1].isalnum():
            return True
        at = text.find(start, at + 1)
    return False


def another_kind(question: str, sentence: str, context: str, passage: str) -> bool:
    """Whether `sentence` tells of another kind of the thing `question` names by its kind, a
    kind its `passage` names too, so that the kinds are set apart there: "The minimum age for
    seagoing crew is 17" for "the minimum age for shore crew" in a handbook for "seagoing crew,
    shore crew and fundraisers"; not when it or its `context` (the headings and lead-in it stands
    under) names the kind asked."""
    for kind, noun in _kinds_asked(question):
        found = _words_before(noun, sentence)
        others = [
            word
            for word in found
            # "IC models" is a kind, "the Methane Initiative" a name
            if (word.islower() or word.isupper()) and not is_stopword(word) and word not in _NO_KIND
        ]
        if not others or len(others) < len(found):
            continue
        if _starts_a_word(kind[:5], f"{sentence} {context}".lower()):
            continue
        if kind in (word.lower() for word in _words_before(noun, passage)):
            return True  # (a kind the passage never sets apart is a paraphrase's word, perhaps)
    return False


# How far from a value the case it is told of may stand: "£18 per adult", "for juniors £9".
CASE_REACH = 40
_CLAUSE_BREAK = re.compile(r"[;.]\s|\s[-–—]\s")


def value_of_the_case(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of values told each beside its case ("£18 per adult and £9 for juniors under 18"), those
    beside the case `question` names ("sanction fee junior": £9); all of `spans` when the
    values are not told so."""
    if len(spans) < 2:
        return spans
    for index, asked in _asked(question):
        alternatives = _COMPILED[index]
        cases = []
        for at, (a, b) in enumerate(spans):
            before_end = spans[at - 1][1] if at else 0
            after_end = spans[at + 1][0] if at + 1 < len(spans) else len(sentence)
            # within the value's own clause: "£80; part-time candidates have £30"
            before = sentence[max(before_end, a - CASE_REACH) : a]
            after = sentence[b : min(after_end, b + CASE_REACH)]
            near = _CLAUSE_BREAK.split(before)[-1] + " " + _CLAUSE_BREAK.split(after)[0]
            cases.append({i for i, pattern in enumerate(alternatives) if pattern.search(near)})
        kept = [span for span, told in zip(spans, cases, strict=True) if told & asked]
        # the others told of another case, or of none in clauses of their own ("£80; part-time
        # candidates have £30")
        contrasted = any(told and not told & asked for told in cases) or (
            not any(told for span, told in zip(spans, cases, strict=True) if span not in kept)
            and _CLAUSE_BREAK.search(sentence, spans[0][0], spans[-1][1]) is not None
        )
        if kept and len(kept) < len(spans) and contrasted:
            return kept
    return spans


# A span of the clock, which tells both ends of a time: "09:00 - 13:00", "9am to 1pm".
_SPAN_OF_TIME = re.compile(r"\d\s*(?:[ap]\.?m\.?)?\s*(?:-|–|—|to)\s*\d", re.I)


def tells_the_other_end(question: str, text: str) -> bool:
    """Whether `question` asks when a thing ends and `text` tells only when it starts ("All
    talks begin at 7:30 pm" for "What time does the hall close?"), or the other way round."""
    end = end_asked(question)
    if end is None:
        return False
    if TABLE_ROW.search(text):
        key = CELL_BREAK.split(text, maxsplit=1)[0]
        if OPENING.search(key) or CLOSING.search(key):
            text = key  # "Nominations open | Monday 5 February 2024" tells when they open
        elif not _FROM_CLOCK.search(text):
            return False  # a table's row tells its ends by its columns
    if _SPAN_OF_TIME.search(text):  # "09:00 - 13:00" tells both ends
        return False
    # "Results Night | Thursday 14 March 2024, from 19:30" tells when it starts
    opening, closing = OPENING.search(text) or _FROM_CLOCK.search(text), CLOSING.search(text)
    return bool(closing and not opening) if end == "opening" else bool(opening and not closing)


@lru_cache(maxsize=1024)  # asked of every sentence judged for one question
def end_asked(question: str) -> str | None:
    """ "opening" or "closing" when `question` asks one end of a time, else None."""
    asking = asking_clause(question)
    opening, closing = asks(OPENING, asking), asks(CLOSING, asking)
    if bool(opening) == bool(closing):
        return None
    return "opening" if opening else "closing"


_FROM_CLOCK = re.compile(r"\bfrom\s+(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:[ap]\.?m\b)?", re.I)


# The case a value is told for, in brackets right after it (and its unit): "3 kW (single-phase)
# or 6 kW (three-phase)", "£12 (members), £18 (non-members)".
_BRACKETED_CASE = re.compile(r"\s*(?:[A-Za-z%°£$€/.]{1,6}\s*)?\(([^()]{2,40})\)")


def value_of_the_bracketed_case(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of values each told with its case in brackets after it, those whose case `question`
    names ("in the three-phase AW12": 6 kW); all of `spans` when it names none of them or all."""
    if len(spans) < 2:
        return spans
    asked = re.sub(r"[-‐–]", " ", question.lower())
    cases = []
    for _, b in spans:
        bracket = _BRACKETED_CASE.match(sentence, b)
        case = re.sub(r"[-‐–]", " ", bracket.group(1).lower()).strip() if bracket else ""
        cases.append(case)
    if sum(1 for case in cases if case) < 2:
        return spans
    kept = [
        span
        for span, case in zip(spans, cases, strict=True)
        if case and re.search(rf"(?<!\w){re.escape(case)}(?!\w)", asked)
    ]
    return kept if kept and len(kept) < len(spans) else spans
