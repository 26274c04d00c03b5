"""The short answer inside an answering sentence: the date, the amount, the number with its unit,
the name or the place a typed question asks for (question_types.asked_type).

Plain regular expressions over one sentence, no model: a span is returned only when a value of
the asked kind is there and the question does not name it already ("When did X happen in 2010?"
is not answered by "2010"). The first such value in the sentence is taken, the longest form of it
("13 March 2009" over "2009").
"""

from __future__ import annotations

import re

from .question_types import asked_type, person_spans, place_spans

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DATE = re.compile(
    rf"\b{_DAY}(?:\s*[-–]\s*{_DAY})?\s+(?:{_MONTHS})\.?,?\s+{_YEAR}\b"  # 13 March 2009
    rf"|\b(?:{_MONTHS})\.?\s+{_DAY},?\s+{_YEAR}\b"  # March 13, 2009
    rf"|\b(?:{_MONTHS})\.?\s+{_YEAR}\b"  # March 2009
    rf"|\b{_DAY}\s+(?:{_MONTHS})\b"  # 13 March
    rf"|\b{_YEAR}(?:\s*[-–/]\s*(?:{_YEAR}|\d\d))?\b"  # 2009, 2024-2029
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    "|hundred|a hundred|dozens?|a dozen|half|a half|a quarter|a third|twice|double|triple"
)
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion|mn|bn|[kKmMbB])\b)?"
_NUMBER = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|\b(?:{_NUMBER_WORDS})\b(?:[- ](?:{_NUMBER_WORDS})\b)*)"
_TIME_UNIT = r"(?:years?|months?|weeks?|days?|hours?|minutes?)"
_CURRENCY_WORD = (
    r"dollars?|euros?|won|yen|yuan|renminbi|rupiah|ringgit|baht|pesos?|dong|kyats?|riels?|kip"
    r"|pounds?|rupees?"
)
_MONEY = re.compile(
    rf"(?:US\$|USD|S\$|A\$|\$|€|£|¥|₩|\b(?:KRW|EUR|JPY|CNY|SGD)\b)\s?\d[\d,]*(?:\.\d+)?{_SCALE}"
    rf"|{_NUMBER}{_SCALE}\s*(?:{_CURRENCY_WORD})\b",
    re.I,
)
_QUANTITY = re.compile(
    rf"(?:(?:more than|over|about|around|nearly|almost|some|up to|at least)\s)?"
    rf"(?:(?:US\$|USD|\$|€|£|¥|₩)\s?)?{_NUMBER}{_SCALE}"
    rf"(?:\s*(?:%|per ?cent|percent|times)|[-‐]{_TIME_UNIT}\b|[-‐]fold\b)?"
    r"(?![-‐][A-Za-z])",  # not "two-way", "one-off": a number word inside a compound
    re.I,
)
_ASKS_SHARE = re.compile(r"\b(percentage|per ?cent|proportion|share)\b", re.I)
_SHARE = re.compile(r"%|per ?cent|percent", re.I)
_UNIT_GIVEN = re.compile(rf"%|per ?cent|percent|times|fold|{_TIME_UNIT}|[$€£¥₩]", re.I)
# Words that join a number to nothing: not part of its unit ("eight core lines of effort").
_NOT_UNIT = frozenset("of the a an and or to in on at by for with from as is are was were".split())
_WORD = re.compile(r"[\w'’-]+")
MAX_UNIT_WORDS = 3  # words after a number that the question also uses: "1,000 digital specialists"


def short_answer(question: str, sentence: str) -> tuple[int, int] | None:
    """(start, end) in `sentence` of the value `question` asks for, or None (an untyped question,
    or no such value the question does not name already)."""
    kind = asked_type(question)
    if kind is None:
        return None
    spans = _candidates(kind, sentence)
    if kind == "quantity" and _ASKS_SHARE.search(question):
        shares = [(a, b) for a, b in spans if _SHARE.search(sentence, a, b)]
        spans = shares or spans
    for start, end in spans:
        value = sentence[start:end].strip()
        if value and value.lower() not in question.lower():
            if kind == "quantity" and not _UNIT_GIVEN.search(sentence, start, end):
                end = _with_unit(sentence, end, question.lower())
            return start, end
    return None


def _candidates(kind: str, sentence: str) -> list[tuple[int, int]]:
    """Spans of values of `kind`, in order, the longest at each position, none inside another."""
    if kind == "date":
        found = [m.span() for m in _DATE.finditer(sentence)]
    elif kind == "money":
        found = [m.span() for m in _MONEY.finditer(sentence)]
    elif kind == "quantity":
        dates = [m.span() for m in _DATE.finditer(sentence)]
        found = [
            m.span()
            for m in _QUANTITY.finditer(sentence)
            if not any(a <= m.start() < b for a, b in dates)
            and not _ordinal(sentence, m.start(), m.end())
        ]
    elif kind == "person":
        found = [_whole_name(sentence, span) for span in person_spans(sentence)]
    else:
        found = _merged(place_spans(sentence))
    return sorted(found, key=lambda span: (span[0], span[0] - span[1]))


_NAME_WORD = re.compile(r"\s+[A-Z][\w'’]*(?:-[a-z]+)?")


def _whole_name(sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    """A person's span carried over the capitalised words that follow ("H.E. Lee" ->
    "H.E. Lee Jang-keun")."""
    start, end = span
    for _ in range(3):
        word = _NAME_WORD.match(sentence, end)
        if word is None:
            break
        end = word.end()
    return start, end


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined into one."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _ordinal(sentence: str, start: int, end: int) -> bool:
    """Whether the number at `start`..`end` is an ordinal ("13th") or a list marker ("19. The")."""
    after = sentence[end : end + 2]
    marker = not sentence[:start].strip() and after[:1] in (".", ")")
    return after in ("st", "nd", "rd", "th") or marker


def _with_unit(sentence: str, end: int, asked: str) -> int:
    """`end` moved past up to MAX_UNIT_WORDS following words the question uses too."""
    wanted = set(_WORD.findall(asked))
    for _ in range(MAX_UNIT_WORDS):
        word = _WORD.match(sentence, end + 1) if sentence[end : end + 1] == " " else None
        if word is None or word.group(0).lower() not in wanted - _NOT_UNIT:
            break
        end = word.end()
    return end
