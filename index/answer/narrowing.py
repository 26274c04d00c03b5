"""What a question asks of a value beyond its kind: a share, a count of the thing it names, the
part rather than the whole, a version; a city rather than a country, a web address, a path of
the user's or of the system. Each narrows the values of the asked kind a sentence holds
(short_answer.answer_values), for the short answer, the highlight and the abstention rule alike.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache

from citeqa.index.retrieval.keyword import is_stopword, word_stems

from .coverage import named_places, place_mentions
from .numbers import NUMBER_WORD
from .patterns import asks
from .places import DOMAIN_PATH, is_country, is_street, phone_spans
from .question_types import (
    ASKS_DEFAULT,
    ASKS_EMAIL,
    ASKS_FREQUENCY,
    ASKS_PHONE,
    ASKS_URL,
    FREQUENCY,
    REFERENCE,
    asking_clause,
)
from .rows import CELL_BREAK
from .spelling import LETTERS, one_slip_apart

_WORD = re.compile(r"[\w'’-]+")
MAX_COUNTED_WORDS = 3  # words after "how many" naming what it counts: "How many Korean tourists"
# Words after a count that may name what it counts: "six switchable VT100-like character consoles".
COUNTED_WITHIN = 5

_ASKS_SHARE = re.compile(r"\b(percentage|per ?cent|proportion|share)\b", re.I)
_ASKS_DISCOUNT = re.compile(r"\bdiscounts?\b|\bhow much (?:is )?off\b", re.I)
# A share is a percentage or a fraction ("a third", "half of", "one-fifth").
_SHARE = re.compile(
    r"%|per ?cent|percent|\b(?:half|third|thirds|quarter|quarters|fifth|fifths|tenth|tenths)\b",
    re.I,
)
# A share is a level: "What share of the trade ...?" is not answered by how much something grew
# ("an increase of 5.7 per cent", "rose 4%", "a 3% drop"), which "By what percentage did it
# grow?" asks for. "Its share increased to 5.1 per cent" tells the level it came to.
_CHANGE_WORDS = (
    r"increase|decrease|rise|growth|decline|drop|jump|gain|fall|surge|reduction|cut|contraction"
)
_ASKS_CHANGE = re.compile(
    r"\bby (?:what|how)\b|\b(?:grow|grew|grown|rise|rose|risen|increase[sd]?|decrease[sd]?"
    r"|fall|fell|fallen|drop(?:ped)?|jump(?:ed)?|decline[sd]?|climb(?:ed)?|expand(?:ed)?"
    r"|shr[aiu]nk|change[sd]?)\b",
    re.I,
)
_CHANGE_BEFORE = re.compile(
    rf"\b(?:(?:{_CHANGE_WORDS})s?\s+of|(?:increas|decreas|declin|reduc)ed(?:\s+by)?|rose|grew"
    r"|fell|dropped|jumped|gained|climbed|surged|expanded|shrank|up|down|by)"
    r"(?:\s+(?:about|around|nearly|almost|some|just|only|over|more than))?\s+$",
    re.I,
)
_CHANGE_AFTER = re.compile(rf"\s+(?:{_CHANGE_WORDS}|more|less|higher|lower)\b", re.I)


def _a_change(sentence: str, span: tuple[int, int]) -> bool:
    """Whether the percentage at `span` tells how much something changed, not a level."""
    before = sentence[max(0, span[0] - 40) : span[0]]
    return bool(_CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(sentence, span[1]))


# "How many" asks for a count: not a share, an amount of money or a multiple.
# "how many", "the maximum number of": a count of what follows
_ASKS_COUNT = re.compile(
    r"\bhow many\b(?! times)|\b(?:the|a|total|maximum|minimum|max|min|default)\s+number\s+of\b"
    r"|^\s*(?:number|no\.?)\s+of\b",  # a keyword query's "number of bedrooms riverside quarter"
    re.I,
)
_ASKS_TIMES = re.compile(r"\bhow many times\b", re.I)
# "31 times", "twice", "on 3 occasions", "2x"; not "4 time zones"
_TOLD_AS_TIMES = re.compile(r"\btimes\b|\boccasions\b|^(?:twice|once|thrice)\b|^\d+x\b", re.I)
_NOT_COUNT = re.compile(
    r"%|per ?cent|percent|[$€£¥₩]|\btimes\b|fold\b"
    # a measure joined to its unit says how big each is, not how many: "Four 1,000-litre tanks"
    r"|[-‐](?:(?:kilo|centi|milli)?met(?:re|er)s?|km|cm|mm|miles?|foot|feet|inch(?:es)?|litres?"
    r"|liters?|gallons?|kg|kilos?|(?:kilo)?grams?|tonnes?|acres?|hectares?)\b",
    re.I,
)
# "two or more databases", "one or more files" say "several", "some": not how many there are
# ("a dozen or more" is an estimate, and an answer).
_OR_MORE = re.compile(r"\s+or\s+more\b", re.I)
_FEWEST = frozenset({"one", "two", "1", "2"})
_ASKS_FEWEST = re.compile(r"\b(?:minimum|min|fewest|least|smallest|lowest)\b", re.I)
# "What is the absolute ceiling / the highest I can raise ...?" asks for a hard limit: not a
# default, nor "two or more", which is a floor.
_ASKS_CEILING = re.compile(
    r"\b(?:ceiling|maximum|max|highest|largest|upper (?:limit|bound)|most|cap|at most)\b", re.I
)


# "What's the hard ceiling I can raise X to?", "How high can I set X?": the bound a setting may
# be raised to, not what it is set to by default ("set to 10 by default").
_ASKS_HARD_LIMIT = re.compile(
    r"\b(?:hard|absolute|upper)\s+(?:ceiling|limit|maximum|max|bound|cap)\b"
    r"|\b(?:highest|largest|most|max|maximum|high|large|big|far)\b[^?]{0,40}?"
    r"\b(?:raise|raised|increase|increased|set|go)\b",
    re.I,
)
# A clause telling a default: "which is set to 10 by default", "defaults to 999"; not "and can
# be set as high as 512 MB" after it.
_CLAUSE_MARK = re.compile(r"[,;:()]|\.(?!\d)|\s(?:and|but|or|while|whereas)\s", re.I)
# The words that tell a value as a default (abstain.py adds the conditions that tell one: "unless",
# "when omitted", which in a clause of its own may bound a limit instead).
DEFAULT_WORDS = r"\bdefaults?\b|\bdefaulting\b|\bnormally\b|\bout of the box\b"
_TELLS_DEFAULT = re.compile(DEFAULT_WORDS, re.I)


def _told_as_default(sentence: str, start: int, end: int) -> bool:
    """Whether the clause holding the value at `start`..`end` tells it as a default."""
    marks = [m.end() for m in _CLAUSE_MARK.finditer(sentence, 0, start)]
    after = _CLAUSE_MARK.search(sentence, end)
    clause = sentence[marks[-1] if marks else 0 : after.start() if after else len(sentence)]
    return _TELLS_DEFAULT.search(clause) is not None


def _asks_ceiling(question: str) -> bool:
    """Whether `question` asks for a hard limit (and not for a setting's default)."""
    return asks(_ASKS_CEILING, question) is not None and asks(ASKS_DEFAULT, question) is None


# "How many of the languages ... does it support?" asks for the part, told as "122 of the 139
# languages": the number after "the" names the whole.
_ASKS_PART = re.compile(r"\bhow many of\b", re.I)
_PART_OF = re.compile(r"\s+of\b", re.I)
# ... before another "141 of the languages" told beside it: the part whose whole is a number.
_PART_OF_A_NUMBER = re.compile(r"\s+of\s+(?:the\s+|all\s+)?\d", re.I)
# "which version", "the current stable release", "in which release"
_ASKS_VERSION = re.compile(  # not a version given: "the default in version 2.4"
    r"\bversion\b(?!\s+v?\d)|\b(?:current|latest|newest|stable|which|what)\s+release\b", re.I
)
# A value labelled as a version or a format's number measures nothing: '<?xml version="1.0"?>',
# 'source format "3.0 (quilt)"'.
# "will be removed in 1.0", "since 2.4": a dotted number after a word of time is a release.
_RELEASED_IN = re.compile(r"\b(?:in|since|until|till|before|after)\s+v?$", re.I)


def _release_named(sentence: str, start: int, end: int) -> bool:
    """Whether the number at `start`..`end` names a release ("removed in 1.0"), not a measure
    ("in 1.5 seconds")."""
    return (
        VERSION.fullmatch(sentence, start, end) is not None
        and _RELEASED_IN.search(sentence, max(0, start - 8), start) is not None
        and UNIT_AFTER.match(sentence, end) is None
    )


_VERSION_LABEL = re.compile(
    r"\bversion(?:\s+number)?\s*(?:[=:]|\(\s*(?:currently|now)?|is|currently)?\s*[\"“'‘]?\s*$"
    r"|\b(?:format|release)\s*=?\s*[\"“'‘]\s*$",
    re.I,
)
# Nothing is counted as "3.0" ("source format 3.0 (quilt)"), though "7.5 hours" may be measured.
_ROUND_VERSION = re.compile(r"\d+\.0+")
# "How many architectures does Debian 12 support?": "Debian 13" names another release of it.
_NAME_WITH_A_NUMBER = re.compile(r"\b([A-Z][\w+-]*)\s+\d")


def _release_of_a_name_asked(question: str, sentence: str, at: int) -> bool:
    """Whether the number at `at` follows a name the question gives with a number of its own."""
    before = sentence[max(0, at - 40) : at]
    return any(before.endswith(f"{name} ") for name in _NAME_WITH_A_NUMBER.findall(question))


# "version 7", "Debian 12", "the cache file version number (currently 7)", "release is 3"
_LABELLED_VERSION = re.compile(
    r"(?:\b(?:[Vv]ersion|[Rr]elease)(?:\s+number)?(?:\s*\(?\s*(?:currently|now|is))?|\bv"
    r"|\S\s[A-Z][\w+-]*)\s*$"
)
# A version: dotted numbers with what follows them ("3.7.0", "4.19.0", "1.0.1-1~rc1").
VERSION = re.compile(r"(?<![\w.~+-])v?\d+(?:\.\d+)+(?:[-~+:][\w.~+:-]*[\w])?")


def asks_version(question: str) -> bool:
    """Whether `question` asks for a version or a release ("In which version was X added?"), not
    one it gives ("the default in version 2.4")."""
    return asks(_ASKS_VERSION, question) is not None


def asks_release_of(question: str, kind: str | None) -> bool:
    """Whether `question` is answered by the heading of the release a changelog's item stands
    under: which version (a quantity) made a change, or when (a date) a release that made it
    came out ("When was the release that stopped --recursive entering .git folders?", "When
    was small caps support added?")."""
    if kind == "quantity":
        return asks_version(question)
    return kind == "date" and asks(_ASKS_WHEN_CHANGED, question) is not None


# "When was the release that ...?", "When was X added?": a change a changelog tells.
_ASKS_WHEN_CHANGED = re.compile(
    r"\bwhen\b[^?]*\b(?:release|version)\s+(?:that|which|where|in which)\b"
    r"|\bwhen\s+(?:was|were|did)\b[^?]*\b(?:added|removed|dropped|fixed|introduced|deprecated"
    r"|renamed)\b",
    re.I,
)


def release_heading(text: str) -> bool:
    """Whether `text` is a heading naming a release: "2.4.1 — 2024-09-09", "[v1.6.0]", "Version
    3.1.0 (2024-05-01)"."""
    return len(text) <= RELEASE_HEADING_CHARS and _RELEASE_HEADING.match(text) is not None


# A release's heading: its version first (maybe after its name, "Version" or "Release"), then a
# date, a dash or nothing ("2.4.1 — 2024-09-09", "[v1.6.0]", "tagwright 2.0.0 (2024-01-10)"),
# not a section's number before its title ("2.1 ASN.1 syntax") nor a list's item.
_RELEASE_HEADING = re.compile(
    r"\s*#*\s*(?:(?:version|release|[\w.-]+)\s+)?\[?v?\d+(?:\.\d+)+(?:[-+~][\w.]+)?\]?"
    r"\s*(?:[-–—:(|,]|\d{4}-\d\d|$)",
    re.I,
)
_LINE = re.compile(r"[^\n]+")


RELEASE_HEADING_CHARS = 60  # a heading, not a sentence naming a version
_ASKS_CITY = re.compile(r"\b(which|what)\s+(\w+\s+){0,2}?(city|cities|town|capital)\b", re.I)
# "Which (ASEAN) member state", "which country": a city ("Kuala Lumpur") names none.
_ASKS_COUNTRY = re.compile(
    r"\b(which|what)\s+(\w+\s+){0,2}?(country|countries|nations?|member states?)\b", re.I
)
# "Where is the home page?" asks for a web address, not the e-mail address beside it.
_ASKS_WEB = re.compile(r"\b(home ?page|web ?(site|page)|site|url|download(ed)?)\b", re.I)
_WEB_ADDRESS = re.compile(rf"(?:https?|ftp)://|www\.|{DOMAIN_PATH}", re.I)
_ANY_ADDRESS = re.compile(r"(?:https?|ftp)://|www\.|[\w.+-]+@|[~/$]", re.I)
# A user's own files live under the home directory ("~/.config/app", "$XDG_CONFIG_HOME/app"),
# the system's from the root ("/etc/app").
_ASKS_PER_USER = re.compile(
    r"\b(?:per-user|per user|user's|users'|your own|home directory)\b", re.I
)
_ASKS_SYSTEM_WIDE = re.compile(r"\b(?:system-wide|system wide|site-wide|global|all users)\b", re.I)
_ASKS_DIRECTORY = re.compile(r"\b(?:directory|directories|folders?)\b", re.I)
# A file's bare name ("fonts.conf"), not a path or an address.
_FILE_NAME = re.compile(r"[\w.+-]+\.[A-Za-z]\w{0,5}")
_USER_PATH = re.compile(r"~|\$\{?(?:HOME|XDG_\w+_HOME)\b")


# A unit the question asks the value in ("What is the timeout, in seconds, ...?", "How large, in
# bytes, ...?"), by family: a value followed by a noun of another kind ("two passes", "one file")
# does not measure what is asked. A bare number ("is 65536.") may still.
_UNIT_FAMILIES = {
    "time": r"(?:milli|micro|nano)?seconds?|ms|secs?|s|minutes?|mins?|hours?|hrs?"
    r"|(?:working |business |calendar |clear |school )?days?|weeks?"
    r"|months?|years?|decades?",
    "size": r"(?:kilo|mega|giga|tera|peta)?bytes?|bits?|[KMGTP]i?B|kB|octets?",
    "length": r"(?:kilo|centi|milli)?met(?:re|er)s?|km|cm|mm|m|miles?|feet|foot|ft|inch(?:es)?",
    "text": r"characters?|chars?|letters?|digits?|words?|lines?|columns?",
    "share": r"%|per ?cent|percent|percentage points?",
    "screen": r"pixels?|px|points?|pt|dpi",
    "mass": r"(?:kilo|milli)?grams?|kg|mg|g|lbs?|tonnes?|ounces?|oz",
    "speed": r"mph|kph|km/h|rpm|knots?|m/s|[KMG]bps|[KMG]bit/s|bps",
    "temperature": r"°\s?[CF]|degrees(?: (?:C|F|Celsius|Fahrenheit))?",
    "loudness": r"dB(?:A|\(A\))?|decibels?",
    "energy": r"[kKM]?Wh|(?:kilo)?watt[- ]?hours?",
    "power": r"[kKM]?W|(?:kilo|mega)?watts?",
}
_ASKED_UNIT = re.compile(
    r"\bin\s+(?:(?P<time>(?:milli|micro)?seconds|minutes|hours|days|weeks|months|years)"
    r"|(?P<size>(?:kilo|mega|giga|tera)?bytes|bits|[KMGT]i?B)"
    r"|(?P<length>(?:kilo|centi|milli)?met(?:re|er)s|km|miles|feet|inches)"
    r"|(?P<text>characters|digits|words|lines|columns)"
    r"|(?P<share>per ?cent|percent|percentages?)"
    r"|(?P<screen>pixels|points))\b",
    re.I,
)
# Units of area and volume, which no question asks in but "what size" is told by.
_SPACE_UNITS = (
    r"litres?|liters?|gallons?|m2|m3|m²|m³|sq\.?\s?(?:m|ft|metres?|feet)|square\s(?:metres?|feet)"
    r"|acres?|hectares?|rods?"
)
_FAMILY_UNIT = {
    family: re.compile(rf"(?:\s*|[-‐])(?:{units})(?![\w])", re.I)
    for family, units in {
        **_UNIT_FAMILIES,
        # how long: a time, a length, or a length of text or data ("60 characters", "2048 bits")
        "extent": "|".join(_UNIT_FAMILIES[family] for family in ("time", "length", "text", "size")),
        # what size: data's, or a thing's in space ("1,000-litre", "125 m²")
        "dimension": f"{_UNIT_FAMILIES['size']}|{_UNIT_FAMILIES['length']}|{_SPACE_UNITS}",
    }.items()
}
# A unit right after a number: "30 seconds", "64 KiB", "4096-byte".
UNIT_AFTER = re.compile(r"(?:\s*|[-‐])(?:" + "|".join(_UNIT_FAMILIES.values()) + r")(?![\w])", re.I)
# "How much faster is X than Y?" asks for a ratio or a difference: "30 times", "20%", "twice as",
# "10 seconds faster", not "One commenter noted ...".
_COMPARATIVES = (
    r"faster|slower|quicker|larger|smaller|bigger|higher|lower|longer|shorter|cheaper|dearer"
    r"|greater|heavier|lighter|wider|narrower|deeper|older|newer|younger|stronger|weaker|better"
    r"|worse|more|less|fewer|further|farther|earlier|later|hotter|colder|warmer|cooler|richer"
    r"|poorer|safer|easier|harder"
)
_ASKS_COMPARISON = re.compile(rf"\bhow (?:much|many times) (?P<than>{_COMPARATIVES})\b", re.I)
_RATIO = re.compile(r"(?:\s*(?:%|per ?cent|percent|times|x|fold|-fold))\b|\s*%", re.I)
_TWICE = re.compile(r"^(?:twice|double|triple|half)", re.I)


def _compares(sentence: str, span: tuple[int, int], than: str) -> bool:
    """Whether the value at `span` tells how much more: a ratio ("30 times", "20%", "twice"), or
    a difference the question's own comparative follows ("2 seconds faster")."""
    a, b = span
    value = sentence[a:b]
    if _TWICE.match(value) or _RATIO.search(value) or _RATIO.match(sentence, b):
        return True
    after = _WORD.findall(sentence[b : b + 40])[:3]
    return any(word.lower() in (than.lower(), "more", "less", "fewer") for word in after)


ASKS_RANGE = re.compile(
    r"\b(?:numbers?|numeric|values?|ports?|prefix(?:es)?) ranges?\b|\branges? of\b", re.I
)
_RANGE_WORD = r"\s*(?:-|–|to|through|thru|and)\s*"
_RANGE_AFTER = re.compile(rf"{_RANGE_WORD}\d")
_RANGE_BEFORE = re.compile(rf"\d{_RANGE_WORD}$")
# The rest of a range after its first bound: "6000| to 6063".
RANGE_REST = re.compile(r"\s*(?:-|–|to|through|thru)\s*\d[\d,]*(?:\.\d+)?\b")


def _in_a_range(sentence: str, start: int, end: int) -> bool:
    """Whether the value at `start`..`end` is, or bounds, a range of numbers ("30 through 39",
    "between 512 and 65536", "1024-2047"), not a glob's "[0-9]"."""
    value = sentence[start:end]
    if " through " in value or " thru " in value:
        return True
    before = sentence[max(0, start - 12) : start]
    if "[" in before and "]" not in before[before.rindex("[") :]:
        return False  # inside a glob's brackets
    return bool(
        _RANGE_AFTER.match(sentence, end)
        or _RANGE_BEFORE.search(sentence, max(0, start - 12), start)
    )


def _counts_other_things(question: str, unit: re.Match[str]) -> bool:
    """Whether `question` counts something other than the unit its "in <unit>" names: "How many
    people attended the biggest protest in years?"."""
    count = asks(_ASKS_COUNT, question)
    if count is None:
        return False
    counted = _counted(question, count.end())
    return not counted & {stem for _, stem in word_stems(unit.group(0))}


def _in_asked_unit(sentence: str, span: tuple[int, int], family: str) -> bool:
    """Whether the value at `span` may be one in a unit of `family`: its unit is of that family,
    or it has no unit and no noun of its own after it."""
    a, b = span
    if _FAMILY_UNIT[family].search(sentence[a:b]) or _FAMILY_UNIT[family].match(sentence, b):
        return True
    if family == "size" and re.search(r"\d[KMGT]$", sentence[a:b]):
        return True  # "a 64K buffer"
    if UNIT_AFTER.match(sentence, b):
        return False  # a unit of another kind: "30 days" for "in bytes"
    after = _WORD.match(sentence, b + 1) if sentence[b : b + 1] == " " else None
    return after is None or not word_stems(after.group(0))


def asked_quantities(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of the numbers at `spans` in `sentence`, those `question` asks for: a share for "what
    share" (a level, not a change, unless it asks how much something grew), a count of what
    "how many" names (the part for "how many of the X"), a version for "which version", a
    frequency for "how often" ("twice a year", "every 6 hours", "daily")."""
    if asks(ASKS_FREQUENCY, question):  # not the numbers: how often
        return _precise_when_asked(
            question, sentence, [m.span() for m in FREQUENCY.finditer(sentence)]
        )
    if asks(_ASKS_TIMES, question) and not asks(_ASKS_COMPARISON, question):
        # "How many times does it call X?" is told "31 times" or "twice", not by any number
        spans = [
            (a, b) for a, b in spans if _TOLD_AS_TIMES.search(sentence[a:b] + sentence[b : b + 11])
        ]
    if asks(_ASKS_DISCOUNT, asking_clause(question)):  # "12% off", as often as "£10 off"
        spans = [(a, b) for a, b in spans if _SHARE.search(sentence, a, b)] or spans
    if asks(_ASKS_SHARE, asking_clause(question)):  # not a scene's "out of proportion"
        spans = [(a, b) for a, b in spans if _SHARE.search(sentence, a, b)]
        if not asks(_ASKS_CHANGE, question):
            spans = [span for span in spans if not _a_change(sentence, span)]
    elif count := asks(_ASKS_COUNT, question):
        counted = _counted(question, count.end())
        spans = [
            (a, b)
            for a, b in spans
            if not _NOT_COUNT.search(sentence, a, b)
            and sentence[a - 1 : a] != "="  # a setting's value counts nothing: "isOptimized=1"
            and _counts(sentence, a, b, counted)
            and not _release_of_a_name_asked(question, sentence, a)
            and not _ROUND_VERSION.fullmatch(sentence, a, b)
        ]
        if asks(_ASKS_PART, question):
            spans = (
                [(a, b) for a, b in spans if _PART_OF_A_NUMBER.match(sentence, b)]
                or [(a, b) for a, b in spans if _PART_OF.match(sentence, b)]
                or spans
            )
    # "one or more pages" says "some": not how many, nor what a setting is by default or at most
    if (
        asks(_ASKS_COUNT, question) or asks(ASKS_DEFAULT, question) or _asks_ceiling(question)
    ) and not asks(_ASKS_FEWEST, question):
        spans = [
            (a, b)
            for a, b in spans
            if not (sentence[a:b].lower() in _FEWEST and _OR_MORE.match(sentence, b))
        ]
    if asks(_ASKS_HARD_LIMIT, question) and not asks(ASKS_DEFAULT, question):
        spans = [(a, b) for a, b in spans if not _told_as_default(sentence, a, b)]
    if asks(ASKS_RANGE, question):  # "which file number range": "30 through 39", "512-65536"
        spans = [(a, b) for a, b in spans if _in_a_range(sentence, a, b)]
    if (unit := asks(_ASKED_UNIT, question)) and not _counts_other_things(question, unit):
        family = unit.lastgroup or ""
        spans = [span for span in spans if _in_asked_unit(sentence, span, family)]
    elif measured_in := _measured_in(question):
        # "What temperature does a bisque firing reach?": "1060 °C", not the cone's "04", and
        # never a value in another measure's unit ("48 hours")
        unit_of = _FAMILY_UNIT[measured_in]
        spans = [
            span
            for span in spans
            if _in_asked_unit(sentence, span, measured_in)
            # how far a place is, in the time it takes to get there: "a 7-minute walk"
            or (measured_in == "length" and _in_asked_unit(sentence, span, "time"))
        ]
        spans = [
            (a, b) for a, b in spans if unit_of.search(sentence, a, b) or unit_of.match(sentence, b)
        ] or spans
    if comparison := asks(_ASKS_COMPARISON, question):
        spans = [span for span in spans if _compares(sentence, span, comparison.group("than"))]
    if not asks(_ASKS_VERSION, question):
        spans = [
            (a, b)
            for a, b in spans
            if not _VERSION_LABEL.search(sentence, 0, a) and not _release_named(sentence, a, b)
        ]
    if asks(_ASKS_VERSION, question):
        # "Section 2.6", but not a release's heading: "2.4.1 — 2024-09-09"
        headings = [m.span() for m in _LINE.finditer(sentence) if release_heading(m.group(0))]
        references = [
            m.span()
            for m in REFERENCE.finditer(sentence)
            if not any(a <= m.start() < b for a, b in headings)
        ]
        versions = [
            m.span()
            for m in VERSION.finditer(sentence)
            if not any(a <= m.start() < b for a, b in references)
        ]
        # A whole number is a version only when told as one ("version 7", "Debian 12"): "3
        # Utilities" is a heading's number.
        spans = versions or [
            (a, b)
            for a, b in spans
            if _LABELLED_VERSION.search(sentence, 0, a)
            and not any(x <= a < y for x, y in references)
        ]
    asks_port, asks_age = _asks_port_or_age(question)
    if asks_port:  # a port is a bare number: not "10 seconds"
        spans = [(a, b) for a, b in spans if not UNIT_AFTER.match(sentence, b)]
    if asks_age:  # "the minimum age": not "two 3-hour lessons"
        spans = [span for span in spans if _an_age(sentence, span)]
    spans = _dimension_asked(question, sentence, spans)
    return _bound_asked(question, sentence, _precise_when_asked(question, sentence, spans))


_ASKS_PORT = re.compile(r"\b(?:which|what)\s+(?:[\w-]+\s+)?port\b|\bport\s+(?:number|does)\b", re.I)
_ASKS_AGE = re.compile(
    r"\b(?:minimum|maximum|min|max|lowest|youngest)\s+age\b|\bage\s+limit\b", re.I
)
# What may follow an age: "16 and over", "18 years old", "14+", "8-year-olds", "16 to fly solo".
_AGE_AFTER = frozenset(
    "year years yr yrs old olds month months and or plus over older upwards".split()
)


@lru_cache(maxsize=1024)  # asked of every sentence judged for one question
def _asks_port_or_age(question: str) -> tuple[bool, bool]:
    return asks(_ASKS_PORT, question) is not None, asks(_ASKS_AGE, question) is not None


def _an_age(sentence: str, span: tuple[int, int]) -> bool:
    """Whether the value at `span` may be an age: in years or months, or with no noun of its own
    after it ("aged 16 and over", "14 to fly solo"), not a count of other things ("two 3-hour
    lessons", "at least 4 people")."""
    a, b = span
    unit = UNIT_AFTER.match(sentence, b)
    value = sentence[a:b] + (unit.group(0) if unit else "")
    if re.search(r"\d[-\s]?(?:hours?|minutes?|days?|weeks?|seconds?)\b", value, re.I):
        return False
    after = _WORD.match(sentence, b + 1) if sentence[b : b + 1] in (" ", "-") else None
    if after is None or after.group(0).lower() in _AGE_AFTER:
        return True
    return not word_stems(after.group(0))


# A dimension asked ("how tall", "the width of"), the unit family that measures it, and the words
# that tell it beside a value: "52 cm wide and 168 cm high" answers "how tall" with 168 cm. Depth
# and length are told too, never asked here ("how long" is mostly a time): they claim their
# values. "How high can I raise X" asks a limit, not a height.
_DIMENSIONS: tuple[tuple[re.Pattern[str] | None, tuple[str, ...], re.Pattern[str]], ...] = (
    (
        re.compile(r"\bhow wide\b|\bwidths?\b", re.I),
        ("length", "screen", "text"),  # "lines 100 characters wide", beside the word only
        re.compile(r"\b(?:wide|width|across)\b", re.I),
    ),
    (
        re.compile(r"\bhow tall\b|\bheights?\b", re.I),
        ("length", "screen"),
        re.compile(r"\b(?:tall|high|height)\b", re.I),
    ),
    (
        re.compile(r"\bhow heavy\b|\bweigh(?:s|t|ts)?\b", re.I),
        ("mass",),
        re.compile(r"\b(?:weigh(?:s|t|ts|ing)?|heavy)\b", re.I),
    ),
    (None, ("length",), re.compile(r"\b(?:deep|depth)\b", re.I)),
    (None, ("length",), re.compile(r"\b(?:long|length)\b", re.I)),
)
# Characters either side of a value (with its unit) its dimension's word may stand in.
DIMENSION_REACH = 30


def _dimension_asked(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of the values, those in the unit of the dimension `question` asks for ("how heavy": kg,
    not cm) and, of several, those whose nearest dimension word is the one asked ("52 cm wide,
    168 cm tall": 168 cm is tall); with none in its unit, those with no unit beside the asked
    word ("40 storeys high"), if any."""
    asked = next(
        (i for i, (asks, _, _) in enumerate(_DIMENSIONS) if asks and asks.search(question)), None
    )
    if asked is None:
        return spans
    units = [_FAMILY_UNIT[family] for family in _DIMENSIONS[asked][1]]

    def unit_of(a: int, b: int) -> re.Match[str] | None:
        return next(
            (m for unit in units if (m := unit.search(sentence, a, b) or unit.match(sentence, b))),
            None,
        )

    words = [
        (m.start(), m.end(), i)
        for i, (_, _, told) in enumerate(_DIMENSIONS)
        for m in told.finditer(sentence)
    ]

    def nearest(a: int, b: int) -> int | None:
        with_unit = unit_of(a, b)
        b = max(b, with_unit.end()) if with_unit else b  # "52 cm" ends after its unit
        apart = [
            (max(start - b, a - end, 0), family)
            for start, end, family in words
            if max(start - b, a - end, 0) <= DIMENSION_REACH
        ]
        return min(apart)[1] if apart else None

    # characters measure a width only beside its word: "a 2000 characters limit" is no width
    measured = [
        (a, b)
        for a, b in spans
        if (unit := unit_of(a, b))
        and (not _FAMILY_UNIT["text"].fullmatch(unit.group(0)) or nearest(a, b) == asked)
    ]
    if not measured:
        return [
            (a, b) for a, b in spans if nearest(a, b) == asked and not UNIT_AFTER.match(sentence, b)
        ]
    beside = [(a, b) for a, b in measured if nearest(a, b) == asked]
    return beside or measured


# A bound told before a value: "must be greater than 2048 bits (4096 bits is preferred)" gives
# the least allowed, "shouldn't be longer than about 60 characters", "at most 125" the most. A
# negation makes a floor's words a ceiling ("no more than", "cannot be increased above").
_NEGATION = r"(?:\bno|\bnot|n['’]t|\bnever|\bcannot)"
_APPROXIMATELY = r"(?:about|around|roughly|approximately|some)\s+"
_UPPER_BOUND = re.compile(
    r"(?:\b(?:at most|up to|maximum of|max(?:imum)?\.?|limit(?:ed)? (?:of|to)|capped at)"
    rf"|{_NEGATION}\s+(?:\w+\s+){{0,3}}?(?:more|longer|larger|bigger|higher|greater"
    r"|above|beyond|over|exceed(?:ing)?)(?:\s+than)?)"
    rf"\s+(?:{_APPROXIMATELY})?$",
    re.I,
)
_LOWER_BOUND = re.compile(
    r"\b(?:at least|minimum of|min(?:imum)?\.?|no (?:less|fewer|smaller|shorter|lower) than"
    r"|not (?:less|fewer|smaller|shorter|lower) than|(?:greater|more|longer|larger|bigger|higher)"
    rf" than)\s+(?:{_APPROXIMATELY})?$",
    re.I,
)
_FIRST_DIGIT = re.compile(rf"\d|\b(?:{NUMBER_WORD})\b", re.I)


def _bound_told(sentence: str, start: int, end: int) -> str | None:
    """ "lower" or "upper" when the value at `start`..`end` is told as a bound, else None."""
    number = _FIRST_DIGIT.search(sentence, start, end)
    at = number.start() if number else start  # a span may hold its "up to" itself
    before = sentence[max(0, at - 60) : at]
    if _UPPER_BOUND.search(before):
        return "upper"
    return "lower" if _LOWER_BOUND.search(before) else None


def _bound_asked(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of values told as bounds, the kind of bound `question` asks for, when told: the least
    allowed for "minimum", the most for "maximum" or "how high can"."""
    if len(spans) < 2:
        return spans
    if asks(_ASKS_FEWEST, question):
        wanted = "lower"
    elif _asks_ceiling(question) or asks(_ASKS_HARD_LIMIT, question):
        wanted = "upper"
    else:
        return spans
    bounded = [(a, b) for a, b in spans if _bound_told(sentence, a, b) == wanted]
    return bounded or spans


# "every few minutes", "a few dozen bytes", "several hundred", "dozens of": a quantity that does
# not say how much. No digit in it, and a word of vagueness in it, or a round number ("dozen",
# "hundred") with one right before it: "several three-day workshops" tells three days.
_VAGUE_IN = re.compile(
    r"\b(?:few|several|many|multiple|various|numerous|couple|dozens|hundreds|thousands|millions"
    r"|tens)\b",
    re.I,
)
_ROUND = re.compile(r"(?:dozen|hundred|thousand|million|billion)s?", re.I)
_VAGUE_BEFORE = re.compile(
    r"\b(?:few|several|many|various|numerous|couple of|a number of)\s*$", re.I
)
_UNIT_WORD = re.compile(r"\s*(?:of\s+)?([A-Za-z]+)")


def told_vaguely(sentence: str, start: int, end: int) -> bool:
    """Whether the quantity at `start`..`end` of `sentence` is told without saying how much
    ("every few minutes", "a few dozen bytes")."""
    if re.search(r"\d", sentence[start:end]):
        return False
    return bool(
        _VAGUE_IN.search(sentence, start, end)
        or (
            _ROUND.fullmatch(sentence, start, end)
            and _VAGUE_BEFORE.search(sentence, max(0, start - 16), start)
        )
    )


def value_unit(sentence: str, start: int, end: int) -> str:
    """The word a quantity is counted in, singular and lower-case: its own last word ("every
    few minutes" -> minute) or the word after it ("15 minutes", "a few dozen of bytes");
    "" when none follows."""
    words = sentence[start:end].split()  # one word is the number itself: "three", "dozen"
    last = re.sub(r"[^A-Za-z]", "", words[-1]) if len(words) > 1 else ""
    if not last or _ROUND.fullmatch(last) or _VAGUE_IN.fullmatch(last):
        after = _UNIT_WORD.match(sentence, end)
        last = after.group(1) if after else ""
    last = last.lower()
    return last[:-1] if last.endswith("s") and len(last) > 3 else last


def _precise_when_asked(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """`spans` without the quantities told vaguely when the question asks in a unit ("in
    minutes" asks how many) or when the sentence tells one precisely in the same unit ("every
    few minutes ... every 15 minutes"); "every few hours ... archived monthly" keeps both."""
    vague = [(a, b) for a, b in spans if told_vaguely(sentence, a, b)]
    if not vague:
        return spans
    unit = asks(_ASKED_UNIT, question)
    if unit and not _counts_other_things(question, unit):
        return [span for span in spans if span not in vague]
    told_precisely = {value_unit(sentence, a, b) for a, b in spans if (a, b) not in vague}
    return [
        (a, b)
        for a, b in spans
        if (a, b) not in vague or value_unit(sentence, a, b) not in told_precisely
    ]


def asked_places(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of the places at `spans` in `sentence`, those `question` asks for: not a country for
    "which city", a country for "which country"; a web address for a home page; a path under
    the home directory for a per-user place, one from the root for a system-wide one."""
    if asks(_ASKS_CITY, question) or asks(_ASKS_COUNTRY, question):
        # a city or a country is a name, not a web address or a path
        spans = [(a, b) for a, b in spans if not _ANY_ADDRESS.match(sentence, a)]
    if asks(_ASKS_CITY, question):
        spans = [
            (a, b)
            for a, b in spans
            if not is_country(sentence[a:b]) and not is_street(sentence[a:b])
        ]
    elif asks(_ASKS_COUNTRY, question):
        # a country, or a place with its country ("Vientiane, Lao PDR"), the question's own not
        # among them under any of its names ("ROK" for "Korea")
        named = named_places(question)
        spans = [
            (a, b)
            for a, b in spans
            if is_country(sentence[a:b].rsplit(",", 1)[-1])
            and not {place for _, _, place in place_mentions(sentence[a:b])} & named
        ]
    phones = phone_spans(sentence)
    if asks(ASKS_PHONE, question):  # a number to call, not the e-mail address beside it
        return [span for span in spans if span in phones]
    spans = [span for span in spans if span not in phones]
    if asks(ASKS_EMAIL, question):  # an e-mail address, not the web page beside it
        spans = [(a, b) for a, b in spans if "@" in sentence[a:b]]
    elif asks(ASKS_URL, question):  # a web address has one form
        spans = [(a, b) for a, b in spans if _WEB_ADDRESS.match(sentence, a)]
    elif asks(_ASKS_WEB, question):
        spans = [(a, b) for a, b in spans if _WEB_ADDRESS.match(sentence, a)] or spans
    if asks(_ASKS_DIRECTORY, question):  # a directory, not a file named by its suffix
        spans = [(a, b) for a, b in spans if "@" not in sentence[a:b]]  # nor a mailbox
        spans = [(a, b) for a, b in spans if not _FILE_NAME.fullmatch(sentence, a, b)] or spans
    if asks(_ASKS_PER_USER, question):
        spans = [(a, b) for a, b in spans if _USER_PATH.match(sentence, a)] or spans
    elif asks(_ASKS_SYSTEM_WIDE, question):
        spans = [(a, b) for a, b in spans if sentence.startswith("/", a)] or spans
    return spans


@lru_cache(maxsize=1024)  # asked of every sentence judged for one question
def _counted(question: str, at: int) -> frozenset[str]:
    """The stems of what "how many" counts: up to three words after it, to the first stopword
    or "per" ("How many Korean tourists visited ..." -> korean, tourist, visit; "How many of the
    ABC projects ..." -> abc, project; "How many times per day" -> time)."""
    stems: set[str] = set()
    of_the = _OF_THE.match(question, at)
    if of_the:
        at = of_the.end()
    for word in _WORD.findall(question[at:])[:MAX_COUNTED_WORDS]:
        found = word_stems(word)
        if not found or word.lower() in _RATE_WORDS:  # "how many times per day": times
            break
        stems.update(stem for _, stem in found)
    for stem in list(stems):  # "kids" are counted as "children", "people" as "persons"
        stems |= _COUNTED_ALIKE.get(stem, set())
    return frozenset(stems)


# People are counted by what they are there as: "How many people joined?" of "about 40
# participants".
_PEOPLE = frozenset(
    stem
    for word in (
        "people persons participants attendees visitors members volunteers students delegates"
        " guests runners players staff employees workers patients residents users swimmers"
        " children adults pupils learners trainees speakers entrants competitors spectators"
        " customers clients passengers riders walkers riders cyclists contributors applicants"
        " candidates researchers scientists teachers nurses doctors vets officers"
    ).split()
    for _, stem in word_stems(word)
)
_COUNTED_ALIKE = {
    "kid": {"child", "children"},
    "child": {"kid", "children"},
    "children": {"kid", "child"},
    "peopl": _PEOPLE,
    "person": _PEOPLE,
}


_RATE_WORDS = frozenset({"per", "each", "every"})
_AGE_BEFORE = re.compile(r"\b(?:aged|ages?)\s+$", re.I)
_MORE = frozenset({"more", "less", "fewer", "other", "additional", "extra", "further"})
_NEXT_NUMBER = re.compile(r"[ \t]+\d+(?![\w.,:/-])")
_NUMBER_BEFORE = re.compile(r"(?<![\w.,:/-])\d+[ \t]+$")
_OF_THE = re.compile(r"\s+of\s+(?:the\s+|these\s+|those\s+|its\s+|their\s+)?", re.I)
# Nouns that count sorts of a thing, not the thing: "two types of source packages" does not say
# how many source packages there are.
_SORTS = frozenset(
    stem
    for word in ("type", "kind", "sort", "class", "category", "form", "variety", "flavour")
    for _, stem in word_stems(word)
)


_FRACTION = re.compile(r"\d\.\d")
_SCALE = re.compile(r"(?:thousand|million|billion|trillion|[kKmMbB]n?)", re.I)


# The key a number is given under, the words before its colon: "journal papers: " of
# "- Peer-reviewed journal papers: 27", "ects: " of "credits: 60; ects: 30".
_KEYED_COUNT = re.compile(r"([A-Za-z][\w -]{0,40}):\s*$")


def _counts(sentence: str, start: int, end: int, counted: AbstractSet[str]) -> bool:
    """Whether the number ending at `end` counts what is asked: it is followed by one of the
    `counted` words within COUNTED_WITHIN words, or by no noun of its own ("reaching 740,000 in
    2025"). "the two centers" does not say how many visitors came, nor "two types of X" how many
    X."""
    if not counted:
        return True
    keyed = _KEYED_COUNT.search(sentence, max(0, start - 60), start)
    if keyed and {stem for _, stem in word_stems(keyed.group(1))} & counted:
        return True  # "Peer-reviewed journal papers: 27", "credits: 60; ects: 30"
    if " | " in sentence or "\t" in sentence:  # a table's cell: its neighbours count their own
        sentence, start, end = _cell_around(sentence, start, end)
    if {stem for _, stem in word_stems(sentence[start:end])} & counted:
        return True  # "a 4096-byte page" for "how many bytes"
    after = _WORD.findall(sentence[end : end + 80])[:COUNTED_WITHIN]
    if _AGE_BEFORE.search(sentence, 0, start):
        return False  # "Patients aged 16 and 17" counts no patients
    if _NEXT_NUMBER.match(sentence, end) or _NUMBER_BEFORE.search(sentence, 0, start):
        return False  # one of a run of arguments, "_shellmath_multiply 1 2 3", counts nothing
    while after and after[0].lower() in _MORE:
        after = after[1:]  # "one more function" counts functions
    if not after or not word_stems(after[0]):
        # a count is whole: "1.009" with no noun of its own counts nothing ("1.5 million" may)
        return _FRACTION.search(sentence, start, end) is None or bool(
            after and _SCALE.fullmatch(after[0])
        )
    head = {stem for _, stem in word_stems(after[0])}
    if head & _SORTS and not head & counted:
        return False
    return any(stem in counted for word in after for _, stem in word_stems(word))


# A whole told with a part of it: "412 items, of which 286 were repaired", "27 volunteers, 9 of
# whom are electricians", "140 entries, including 12 late ones".
_SUBSET_BEFORE = re.compile(
    r"\bof\s+(?:which|whom|these|them)\b|\bincluding\b|\bamong\s+them\b", re.I
)
_SUBSET_AFTER = re.compile(r"\s+of\s+(?:which|whom|these|them)\b", re.I)
_CLAUSE_END = re.compile(r"[.;:]\s")
# Words after the part that may tell what sets it apart from the whole.
SUBSET_WORDS = 5


def subset_asked(
    question: str, sentence: str, spans: list[tuple[int, int]], chosen: tuple[int, int]
) -> tuple[int, int]:
    """`chosen`, or the part of it a count asks for: "How many items were repaired?" of "412
    items, of which 286 were repaired" is 286: a question word beyond what it counts (repaired)
    is told after the part, and not between the whole and the part."""
    count = asks(_ASKS_COUNT, question)
    if count is None:
        return chosen
    counted = _counted(question, count.end())
    asked = {stem for _, stem in word_stems(question)} - counted
    starts = [a for a, _ in spans]
    best, best_shared = chosen, 0
    for at, (start, end) in enumerate(spans):
        between = sentence[chosen[1] : start]
        if (
            start < chosen[1]
            or len(between.split()) > SUBSET_WORDS + 3
            or _CLAUSE_END.search(between)
        ):
            continue
        until = starts[at + 1] if at + 1 < len(spans) else len(sentence)
        told = sentence[end:until]
        told_after = _SUBSET_AFTER.match(told)
        marker = told_after or _SUBSET_BEFORE.search(between)
        if marker is None:
            continue
        if told_after:
            told = told[told_after.end() :]
        # the whole's own words ("items,") are not what sets the part apart
        whole = between if told_after else between[: marker.start()]
        telling = {stem for i, stem in word_stems(told) if i < SUBSET_WORDS}
        shared = len((telling - {stem for _, stem in word_stems(whole)}) & asked)
        if shared > best_shared:
            best, best_shared = (start, end), shared
    return best


def _cell_around(sentence: str, start: int, end: int) -> tuple[str, int, int]:
    """The cell of a table's row holding `start`..`end`, and where the value lies in it."""
    begin = max((m.end() for m in CELL_BREAK.finditer(sentence, 0, start)), default=0)
    after = CELL_BREAK.search(sentence, end)
    line_end = sentence.find("\n", end)
    stop = min(
        after.start() if after else len(sentence), line_end if line_end >= 0 else len(sentence)
    )
    begin = max(begin, sentence.rfind("\n", 0, start) + 1)
    return sentence[begin:stop], start - begin, end - begin


# "What is the default page size?" asks for a size: a sentence telling a count of pages ("the
# maximum number of pages ... 1073741823") answers another attribute. The measure's own word, a
# word of its sense or a unit of its family tells it ("65536 bytes", "up to 60 characters").
_MEASURE_TOLD = {
    # a word's start or end may be an identifier's "_": "max_queue_depth", "SQLITE_MAX_LENGTH"
    "size": r"(?<![A-Za-z])siz(?:e|es|ed|ing)(?![a-z])"
    r"|\b(?:big|bigger|large|larger|small|smaller)\b"
    rf"|(?<![\w])(?:{_UNIT_FAMILIES['size']}|{_UNIT_FAMILIES['length']})(?![\w])"
    # a thing's size in space: "1,000-litre tanks", "125 m²", "two acres"
    rf"|\b(?:{_SPACE_UNITS})(?!\w)",
    "length": r"(?<![A-Za-z])length[a-z]*|\b(?:long|longer|short|shorter)\b"
    + "".join(
        rf"|(?<![\w])(?:{_UNIT_FAMILIES[family]})(?![\w])" for family in ("text", "length", "size")
    ),
    "depth": r"(?<![A-Za-z])depth[a-z]*|\b(?:deep|deeper|levels?|nest\w*)\b",
    "population": r"\bpopulat\w*|\b(?:inhabitants?|residents?|people|citizens?|persons?)\b",
    "port": r"(?<![A-Za-z])ports?(?![a-z])",
    "time": rf"(?<![A-Za-z])(?:interval|timeout|time-out|delay|duration|every|period)s?(?![a-z])"
    rf"|(?<![\w])(?:{_UNIT_FAMILIES['time']})(?![\w])",
    "speed": r"(?<![A-Za-z])speeds?(?![a-z])|\b(?:fast|faster|slow|slower)\b|\bmph\b|\bkph\b"
    r"|\bkm/h|\bm/s\b|\brpm\b|\bknots?\b|\bper (?:hour|second|minute)\b|/s\b|\bbps\b",
    "temperature": r"(?<![A-Za-z])temperatures?(?![a-z])|°|\bdegrees?\b|\b(?:hot|cold|warm)\b",
    "weight": r"(?<![A-Za-z])weigh\w*|\b(?:heavy|heavier|light|lighter)\b"
    rf"|(?<![\w])(?:{_UNIT_FAMILIES['mass']})(?![\w])",
    "height": r"(?<![A-Za-z])height\w*|\b(?:tall|taller|high|higher)\b"
    rf"|(?<![\w])(?:{_UNIT_FAMILIES['length']})(?![\w])",
    # a rate is a share or a ratio: "25% tariffs", "a growth rate of 5.7 per cent"
    "rate": r"(?<![A-Za-z])rates?(?![a-z])|%|\bper ?cent\b|\bpercent\b|\bratio\b|\bper\b",
    # a version is any number the quantity check reads as one; what it is of is asked below
    "version": r"\d",
}
_MEASURES = {
    "size": "size",
    "length": "length",
    "depth": "depth",
    "population": "population",
    "port": "port",
    "interval": "time",
    "timeout": "time",
    "delay": "time",
    "duration": "time",
    "rate": "rate",
    "version": "version",
    "speed": "speed",
    "temperature": "temperature",
    "weight": "weight",
    "height": "height",
}
_ASKED_MEASURE = re.compile(
    r"\bwhat\s+(?:is|was|are|were)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+['’]s\s+)?"
    r"(?:(?!(?:of|for|between|the|a|an|to|in|on|at|by|from|with|and|or|about)\b)[\w-]+\s+){0,4}?"
    rf"(?P<measure>{'|'.join(_MEASURES)})s?\b"
    rf"|\b(?:what|which)\s+(?:[\w-]+\s+){{0,2}}?(?P<which>{'|'.join(_MEASURES)})s?\b",
    re.I,
)


# Words before a measure that say which of its values is asked, not what it measures: "the
# default size", "the maximum length".
_MEASURE_MODIFIERS = frozenset(
    "default maximum max minimum min total average overall current new initial typical standard"
    " recommended allowed largest smallest highest lowest exact actual usual normal upper lower"
    " hard soft the a an its their what which is was are were"
    # nor what any version is of: "which fontconfig package version"
    " package packages software program tool library release file source binary upstream".split()
)


def measured_thing(question: str) -> str | None:
    """What the size, length, depth, rate or version `question` asks is of, the word named right
    before it in lower case ("page" for "the default page size", "meson" for "the minimum meson
    version", "success" for "the success rate"), or None. A delay or a timeout is told of its
    thing less often ("Other NMUs: 10 days" for "the DELAYED queue delay"): not asked."""
    question = asking_clause(question)  # "Do you know what the page size is?" asks it
    if lasting := asks(_LASTING, question):  # "how long does each class last?": class
        return _with_its_name(question, lasting.start("thing"), lasting.group("thing"))
    asked = asks(_ASKED_MEASURE, question)
    if asked is None:
        return None
    measure = (asked.group("measure") or asked.group("which")).lower()
    if _MEASURES[measure] not in ("size", "length", "depth", "version", "rate"):
        return None
    start = asked.start("measure") if asked.group("measure") else asked.start("which")
    before = re.search(r"([\w-]+)\s+$", question[:start])
    if before is None or before.group(1).lower() in _MEASURE_MODIFIERS:
        return None
    if _MEASURES[measure] == "rate" and before.group(1).lower() in _RATE_OF_ANY:
        return None
    return _with_its_name(question, before.start(1), before.group(1))


def _with_its_name(question: str, start: int, thing: str) -> str:
    """`thing` (at `start` in `question`), in lower case, with the name before it that tells
    which one it is ("avif encoding" of "How long does AVIF encoding take?", "rust toolchain"
    of "Which Rust toolchain version ...?"): a text may tell either ("AVIF is much slower:
    expect 1–3 seconds", "Building needs Rust 1.75")."""
    name = _NAME_BEFORE.search(question, 0, start)
    if name is None or is_stopword(name.group(1)):
        return thing.lower()
    return f"{name.group(1)} {thing}".lower()


_NAME_BEFORE = re.compile(r"(?<!^)(?<![.?!]\s)\b([A-Z][\w+-]*)\s+$")


# How long a thing lasts, asked of the thing: "How long does each class last?" is not answered
# by "Membership lasts 12 months" (the noun before the verb).
_LASTING = re.compile(
    r"\bhow\s+long\s+(?:does|do|did|will|would|is|are)\s+(?:the\s+|each\s+|a\s+|an\s+|one\s+"
    r"|every\s+|your\s+|my\s+|our\s+)?(?:[\w-]+\s+){0,2}?(?P<thing>[a-z][\w-]{2,})\s+"
    r"(?:last|take|run)s?\b",
    re.I,
)


# Words before "rate" that tell how it is counted, not what of: "the hourly rate" is told "£30
# an hour", "the growth rate" "grew by 4%"; "the success rate" is not "the exchange rate".
_RATE_OF_ANY = frozenset(
    "hourly daily weekly monthly annual yearly growth flat base basic going day night mileage"
    " per unit".split()
)


# What a price is asked of: "How much does a raised bed cost?", "What is the fee for a
# replacement card?", "price of a family ticket", "porcelain veneer price", "How much does it
# cost to charge my car?" (the thing is the doing: "charge").
_PRICED = re.compile(
    r"\bhow\s+much\s+(?:(?:does|do|did|will|would|should|is|are|was|were)\s+)?(?:it\s+costs?\s+to\s+"
    # what is done, and to what: "to hire a bike at the park" (hire, bike)
    r"(?P<doing>[a-z]+)(?:\s+(?:an?|the|my|our|your|one)\s+(?P<done_to>[a-z][\w-]*))?"
    r"|(?P<subject>(?:(?!cost)[\w'’()-]+\s+){1,9}?)(?:ended\s+up\s+)?"
    r"(?:cost|costs|costing)\b)"
    # "What did a half plot cost for the year?": what costs, before the verb
    r"|\bwhat\s+(?:does|do|did|will|would|should)\s+(?P<costing>(?:(?!cost)[\w'’()-]+\s+){1,9}?)"
    r"cost\b"
    r"|\b(?:price|cost|fee|fare|charge|rent)s?\s+(?:of|for)\s+(?P<of>[^?.,;]+)"
    # a keyword query: "porcelain veneer price"
    r"|^\s*(?P<query>(?:[\w'’()-]+\s+){1,4}?)(?:price|cost|fee|fare|charge|rent)s?\s*\??\s*$",
    re.I,
)
# Where the priced thing's noun phrase ends: a preposition or a clause after it.
_PHRASE_END = re.compile(
    r"\s+(?:on|at|in|for|from|to|with|by|per|during|if|when|after|before|between|and|or|beyond"
    r"|over|above|under|below|except|including|excluding|without|than|within|past)\b",
    re.I,
)


_COUNT_WORD = re.compile(rf"\d+|{NUMBER_WORD}|a|an|each|every", re.I)
# Words that name no particular thing: "how much will three items cost?"
# Words of no thing of their own: a price table keys its rows by the sort ("Under 10 - Under
# 11 | £175"), not by the player or the person it is paid for.
_GENERIC_THINGS = frozenset(
    "item items thing things stuff one ones service services person people player players"
    " individual individuals participant participants someone".split()
)


def priced_thing(question: str) -> tuple[str, ...]:
    """The words of what a price `question` asks is of, in lower case ("raised", "bed" for "How
    much does a raised bed cost at the allotments?", "family", "ticket" for "the price of a
    family ticket on route 1", "charge" for "How much does it cost to charge my car?"); none
    when it asks of no thing it names ("How much did it cost?")."""
    asked = asks(_PRICED, asking_clause(question))
    if asked is None:
        return ()
    if asked.group("doing"):
        done_to = (asked.group("done_to") or "").lower()
        if done_to and done_to not in _GENERIC_THINGS and not _COUNT_WORD.fullmatch(done_to):
            return (asked.group("doing").lower(), done_to)
        return (asked.group("doing").lower(),)
    phrase = (
        asked.group("subject")
        or asked.group("costing")
        or asked.group("of")
        or asked.group("query")
        or ""
    ).strip()
    phrase = _PHRASE_END.split(phrase, maxsplit=1)[0]
    words = [
        w.lower().strip("()")
        for w in _WORD.findall(phrase)
        if w.lower() not in _MEASURE_MODIFIERS
        and not is_stopword(w)
        and not _COUNT_WORD.fullmatch(w)  # "three items": what is counted is priced
        and w.lower() not in _GENERIC_THINGS
    ]
    # what is done to the thing, when the thing is named too: "the charge for taking away a
    # fridge-freezer" is the fridge-freezer's, whatever the price list calls the taking away
    things = [w for w in words if not _DOING_WORD.fullmatch(w)]
    return tuple(things if asked.group("of") and things else words)


# A verb's -ing form or a particle the stopwords keep: "taking", "away" ("off", "out" are
# stopwords, gone already).
_DOING_WORD = re.compile(r"[a-z]{3,}ing|away|back")


# A sum asked by a name of its own, which a text gives it too: a deposit is not the hire fee
# beside it, a fine not the charge ("How much is the deposit?" of a fee table).
_SUM_OF_ITS_OWN = re.compile(
    r"\b(deposit|refund|fine|salary|wage|stipend|excess|penalty|allowance|prize)s?\b",
    re.I,
)


def sum_asked(question: str) -> tuple[str, ...]:
    """The name `question` asks a sum of money by, when the sum has one of its own ("deposit"
    for "how much is the deposit?"), in lower case; none for a price, a fee or a cost."""
    return tuple(m.group(1).lower() for m in _SUM_OF_ITS_OWN.finditer(asking_clause(question)))


def thing_told(thing: str, text: str) -> bool:
    """Whether `text` names `thing` (`measured_thing`): as a word under any of its forms, as
    a part of an identifier ("queue" in "max_queue_depth"), or, for a word of five letters or
    more, misspelt by one letter ("bedrom" for "bedroom")."""
    wanted = {stem for _, stem in word_stems(thing)}
    # a slip may hide the word's ending from the stemmer too: "returnig" for "returns" shares
    # all but its last two letters
    start = thing[: len(thing) - 2] if len(thing) >= 8 else None
    return (
        bool(wanted & {stem for _, stem in word_stems(text)})
        or re.search(rf"(?<![a-z]){re.escape(thing)}", text.lower()) is not None
        or (len(thing) >= 5 and any(one_slip_apart(thing, w) for w in LETTERS(text.lower())))
        or (start is not None and re.search(rf"\b{re.escape(start)}", text.lower()) is not None)
    )


# A unit the question names, of a measure nothing else tells: "the chimes' decibel limit" is
# not answered by "no more than 12 seconds", "the pump's kW rating" by a price.
_NAMED_UNIT = re.compile(
    r"\b(?P<loudness>decibels?|dB\(?A?\)?)(?!\w)"
    r"|\b(?P<energy>(?:kilo)?watt[- ]?hours?|[kM]?Wh)\b"
    r"|\b(?P<power>kilowatts?|kW|watts?|megawatts?|MW)\b"
    r"|\b(?P<speed>mph|kph|km/h|knots)(?!\w)"
    r"|\b(?P<temperature>celsius|fahrenheit|centigrade)\b"
)
_UNIT_TOLD = {
    "loudness": re.compile(r"\bdecibels?\b|\d\s?dB", re.I),
    "energy": re.compile(r"\d\s?[kM]?Wh\b|watt[- ]?hours?", re.I),
    "power": re.compile(r"\d\s?(?:[kKM]?W\b|watts?\b|kilowatts?\b|megawatts?\b)"),
    "speed": re.compile(_MEASURE_TOLD["speed"], re.I),
    "temperature": re.compile(_MEASURE_TOLD["temperature"], re.I),
}


# A measure asked by its word, by the family of the units that tell it.
_MEASURE_UNITS = {
    "temperature": "temperature",
    "speed": "speed",
    "weight": "mass",
    "size": "dimension",
}
_ASKS_DISTANCE = re.compile(r"\bhow\s+far\b(?!\s+(?:in\s+)?(?:advance|ahead|back|before))", re.I)
_ASKS_TIME_AHEAD = re.compile(r"\bhow\s+(?:far|long)\s+(?:in\s+)?(?:advance|ahead|before)", re.I)
_ASKS_LOUDNESS = re.compile(
    r"\bhow loud(?:ly)?\b|\b(?:sound|noise|volume|music)\s+(?:levels?|limits?|ceiling)\b", re.I
)


@lru_cache(maxsize=1024)  # asked of every sentence judged for one question
def _measured_in(question: str) -> str | None:
    """The family of units (`_UNIT_FAMILIES`) a value `question` asks for is told in, when its
    measure has units of its own: a temperature, a speed, a weight, a unit it names."""
    unit = asks(_NAMED_UNIT, question)
    if unit is not None and unit.lastgroup in _UNIT_FAMILIES:
        return unit.lastgroup
    if asks(_ASKS_LOUDNESS, question):  # "how loud can the band be", "the noise limit"
        return "loudness"
    if asks(_ASKS_DISTANCE, question):  # "how far did it fly": "671 km", not "3.7 g"
        return "length"
    if asks(_ASKS_TIME_AHEAD, question):  # "how far in advance": "14 days", not "1,140"
        return "time"
    if asks(_ASKS_TIME_TAKEN, question):  # "how long does it take": "1–3 seconds", not "speed 6"
        return "time"
    if asks(_ASKS_HOW_LONG, question):  # "how long is the wait": "12-15 months", not "11 plots"
        return "extent"
    asked = asks(_ASKED_MEASURE, asking_clause(question))
    if asked is None:
        return None
    return _MEASURE_UNITS.get((asked.group("measure") or asked.group("which")).lower())


# "How long" else asks a time or a length ("How long is the wait?", "How long is the trail?",
# "How long may the description be?");
# not a count ("how long a list"), nor an age asked as "how long ago".
_ASKS_HOW_LONG = re.compile(r"\bhow\s+long\b(?!\s+(?:a|an|ago)\b)", re.I)
# How long a thing takes is a time: "How long does a release build take on an 8-core machine?"
_ASKS_TIME_TAKEN = re.compile(
    r"\bhow\s+long\s+(?:does|do|did|will|would|should|can|could|might|is|are|was|were)\b"
    r"[^?]*?\btak(?:e|es|ing)\b",
    re.I,
)


def measure_told(question: str, text: str) -> bool:
    """Whether `text` tells the measure `question` asks of ("the default page size", "which
    port", "what is the timeout", "the decibel limit"), or the question asks for none."""
    unit = asks(_NAMED_UNIT, question)
    if unit is not None and unit.lastgroup is not None:
        return _UNIT_TOLD[unit.lastgroup].search(text) is not None
    if asks(_ASKS_LOUDNESS, question):
        return _UNIT_TOLD["loudness"].search(text) is not None
    if asks(_ASKS_TIME_TAKEN, question):  # "How long does a build take?": not "Rust 1.75"
        return re.search(_MEASURE_TOLD["time"], text, re.I) is not None
    asked = asks(_ASKED_MEASURE, asking_clause(question))
    if asked is None:
        return True
    measure = _MEASURES[(asked.group("measure") or asked.group("which")).lower()]
    return re.search(_MEASURE_TOLD[measure], text, re.I) is not None
