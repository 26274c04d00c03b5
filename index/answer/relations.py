"""What a question asks of a relation or an order, and what a sentence must say to tell it.

"Where is AFoCO headquartered?" asks where a body sits, not where it met; "Which country is
Korea's largest trading partner?" asks which comes first in an order; "What is the default page
size?" asks of the default, not the maximum. Each asks a sentence to say so in one of the many
words it goes by.
"""

from __future__ import annotations

import re

from .narrowing import DEFAULT_WORDS
from .patterns import asks

# "What is the default page size?" is not answered by "the maximum page size of 65536": a
# sentence telling another setting of the thing (a maximum, a minimum, a limit, a range) answers it
# only when it or the one before it tells the default as such ("by default", "defaults to",
# "normally", "unless ...", "when omitted"). "The server listens on port 5432" tells nothing else
# and may answer.
_OTHER_SETTING = re.compile(
    r"\b(?:maximum|minimum|max|min|upper|lower|limit|limits|limited|at most|at least|up to"
    r"|largest|smallest|highest|lowest|more than|less than|fewer than|cannot exceed|exceeds?"
    r"|between \S+ and|as (?:large|high|many|much|big|small|low|few|little) as)\b",
    re.I,
)
_TELLS_DEFAULT = re.compile(
    rf"{DEFAULT_WORDS}|\bunless\b|\botherwise\b"
    r"|\bfalls? back\b|\bomitted\b|\bnot (?:given|specified|set)\b|\bif (?:not|no|none|unset)\b"
    r"|\bwhen (?:not|no|unset)\b|\bpreset\b",
    re.I,
)


# "Which country is Korea's largest trading partner?" asks which comes first in an order: a
# sentence that ranks nothing ("Korea's trade with China has slowed") does not say.
ASKS_RANKING = re.compile(
    r"\b(?:largest|biggest|smallest|highest|lowest|greatest|fastest|slowest|longest|shortest"
    r"|most (?:important|populous|common|popular|visited|significant)|top"
    # not a filename's "leading numbers", a line's "leading spaces"
    r"|leading(?!\s+(?:numbers?|digits?|zeros?|zeroes|spaces?|characters?|whitespace|slash)))\b",
    re.I,
)
RANKS = re.compile(
    r"\b\w+est\b|\b(?:most|least|top|leading|main|major|primary|chief|principal|first|second"
    r"|third|fourth|fifth|rank\w*|maximum|minimum|max|min|limit\w*|record|peak|upper|lower"
    r"|number one|No\.\s?1|dominant|dominates|the bulk|of all)\b|\bthan any\b",
    re.I,
)


# A question asking where a body sits, when or by whom it came to be, or when someone was born
# or died asks of that relation: "Where is AFoCO headquartered?" is not answered by a meeting
# AFoCO held in Seoul, nor "When was the Centre in Bangkok founded?" by an agreement it signed in
# 2019, after a sentence on when another centre opened. The answering sentence itself tells the
# relation, in one of the many words it goes by ("is run from", "dates back to", "the brainchild
# of", "(1815-1852)"). The question's verb closes its clause ("When was X founded?", "... founded
# by?"), so "the newly established fund" or "based on" asks of no relation.
_ASKS_BUILT = re.compile(
    r"\b(?:was|were|is|are|has been|have been)\s+(?:\S+\s+){0,8}?(?:built|constructed|erected)\b",
    re.I,
)
_RELATIONS: tuple[tuple[re.Pattern[str], frozenset[str], re.Pattern[str]], ...] = (
    (
        re.compile(r"\bheadquarter(?:s|ed)\b|\bwhere\b[^?]*\bbased\b(?!\s+on)|\bbased in wh", re.I),
        frozenset({"place"}),
        re.compile(
            r"\b(?:headquarter\w*|HQ|based|seat(?:ed)?|located|locat\w+|secretariats?|offices?"
            r"|home|sits?|situated|run from|operat\w+ (?:out of|from)|works? out of|hosted|housed"
            r"|resid\w+|domicil\w+|registered|campus|establish\w* in|relocat\w*|moved"
            r"|liv(?:e|es|ing) in)\b",
            re.I,
        ),
    ),
    (
        re.compile(
            r"(?<!that )(?<!which )(?<!who )\b(?:was|were|is|are|has been|have been|be)\s+"
            r"(?!(?:\S+\s+){0,8}?(?:newly|recently|that|which)\b)(?:\S+\s+){0,8}?(?:first\s+)?"
            r"(?:founded|established|set up|created|formed|inaugurated|launched|opened)"
            r"\s*(?:\?|by\b|in\b|as\b|$)"
            r"|^\s*who\s+(?:founded|established|set up|created|formed)\b",
            re.I,
        ),
        frozenset({"date", "person"}),
        re.compile(
            r"\b(?:found(?:ed|ing|ers?)|cofound\w*|co-found\w*|establish\w*|set up|sets up"
            r"|setting up|creat\w+|form(?:ed|ation|ing)|inaugura\w*|launch\w*|open(?:ed|ing|s)?"
            r"|start\w*|began|begun|begin\w*|since|birth|born|incorporat\w*"
            r"|came into (?:being|existence)|entered into force|dates? (?:back|from)|origins?|roots"
            r"|goes back|constitut\w+|charter\w*|instituted|grew out of|spun (?:out|off)"
            r"|conceiv\w+|first (?:held|edition)|releas\w+|went live|debut\w*|made available"
            r"|shipped|came out|kick\w* off|rolled out|unveil\w*|introduc\w*|brainchild"
            r"|dreamed up|written|develop\w*|design\w*|initiat\w*|pioneer\w*|held|lift\w* off"
            r"|orbit|welcom\w*|first \w+ed|first students)\b",
            re.I,
        ),
    ),
    (
        # a building's: "When was the clubhouse built?" is not answered by an AGM held in it
        _ASKS_BUILT,
        frozenset({"date", "person"}),
        re.compile(
            r"\b(?:built|build\w*|rebuilt|construct\w*|erect\w*|dates? (?:back|from)|completed"
            r"|opened|architect\w*|designed)\b",
            re.I,
        ),
    ),
    (
        re.compile(r"\b(?:born|died|die)\b(?!\s+out)", re.I),
        frozenset({"date", "place"}),
        re.compile(
            r"\b(?:born|birth\w*|died|death|dead|passed away|native of|killed|executed"
            r"|assassinat\w*|perish\w*|succumb\w*|lost (?:his|her|their|its) li(?:fe|ves)|shut down"
            r"|discontinued|abandoned|closed)\b"
            # "(1815-1852)", "(7 November 1867 – 4 July 1934)", "b. 1815"
            r"|\bb\.\s*\d|\([^()]*\b\d{3,4}\s*[-–]\s*[^()]*\b\d{3,4}\)",
            re.I,
        ),
    ),
)


# A body or a person is named with a capital ("the Nordic Energy Council", "Ada Lovelace"); "When
# was bug 4512 opened?" or "When is the backup created?" asks of no founding.
_NAMED_SUBJECT = re.compile(r"(?<=\S\s)[A-Z]")


def asked_relation(question: str, kind: str) -> re.Pattern[str] | None:
    """What a sentence must say to tell the relation `question` asks of a named body or person
    (`_RELATIONS`), or None when it asks of none."""
    # a building is asked of its building whatever its name's case ("When was the clubhouse
    # built?" is not answered by the AGM held in it)
    if asks(_NAMED_SUBJECT, question) is None and not asks(_ASKS_BUILT, question):
        return None
    for asking, kinds, tells in _RELATIONS:
        if kind in kinds and asking.search(question):
            return tells
    return None


def another_setting(text: str, before: str) -> bool:
    """Whether `text` tells another setting than the default (a maximum, a limit, a range) and
    neither it nor the sentence `before` it tells the default as such ("By default, the client
    retries. It makes at most 3 attempts." tells it)."""
    return (
        _OTHER_SETTING.search(text) is not None
        and _TELLS_DEFAULT.search(before) is None
        and _TELLS_DEFAULT.search(text) is None
    )
