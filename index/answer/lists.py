"""Values told in a list that pairs them with things in order ("A and B were held in 2021 and
2022 respectively"): the one belonging to the thing a question names."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from citeqa.index.retrieval.keyword import word_stems

from .patterns import asks

# "A and B were held in 2021 and 2022 respectively": the values pair with the things in order.
_RESPECTIVELY = re.compile(r"[\s,]*\(?respectively\b", re.I)
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)", re.I)
_ITEMS_GAP = re.compile(r",\s*(?:and\s+)?|\s+and\s+", re.I)
# Where the last thing of the list ends and what is said of them all begins.
_PREDICATE = re.compile(r"\b(?:which|that|who|were|was|are|is|have|has|had)\b", re.I)


def respective_value(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of values listed "... respectively", the one in the place of the thing the question
    names ("the SOMHD and the Health Ministers Meeting, first held in October 2021 and May 2022
    respectively": the meeting's is May 2022); all of `spans` when no such list or no thing
    stands out."""
    listed = _respective_run(sentence, spans)
    if len(listed) < 2:
        return spans
    things = _ITEMS_GAP.split(sentence[: listed[0][0]])[-len(listed) :]
    if len(things) < len(listed):
        return spans
    last = _PREDICATE.search(things[-1])
    things[-1] = things[-1][: last.start()] if last else things[-1]
    wanted = {stem for _, stem in word_stems(question)}
    shared = [len(wanted & {stem for _, stem in word_stems(thing)}) for thing in things]
    best = max(shared)
    if shared.count(best) > 1:
        return spans
    return [listed[shared.index(best)]]


# A question asking for several things of a kind: "What are the delays?", "Which countries
# ...?", "Where were his three meetings?", "Who are the trustees?" ("Which of the documents" asks
# for one).
_PLURAL_NOUN = (
    r"(?!(?:does|goes|is|was|has|this|its|his|hers|yours|ours|theirs|always|perhaps|whereas"
    r"|towards|across|unless|plus|besides|news|series|means|species|basis|status|various)\b)"
    r"[a-z][\w-]*[a-z](?<![su]s)(?<!is)s"
)
_ASKS_SEVERAL = re.compile(
    r"\b(?:what|which|who|where|when)\s+(?:are|were)\b"
    rf"|\b(?:what|which)\s+(?:(?!of\b|the\b)[\w-]+\s+){{0,2}}?{_PLURAL_NOUN}\b"
    rf"|\b(?:two|three|four|five|six|seven|eight|nine|ten|both|[2-9])\s+"
    rf"(?:[\w-]+\s+){{0,2}}?{_PLURAL_NOUN}\b",
    re.I,
)
_ASKS_ONE = re.compile(r"\bhow (?:many|much|long|often)\b|\bwhich (?:one|of)\b", re.I)
# Between the items of a list written on one line: "Singapore, Hanoi, and Panmunjom", "2, 5 or
# 10 days", "Dr Ann Wu and Mr Bob Hale".
_TIGHT_GAP = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+", re.I)


def asks_several(question: str) -> bool:
    """Whether `question` asks for several values, not one ("What are the delays?", "Where
    were the three meetings?"; not "How many ...?")."""
    return asks(_ASKS_SEVERAL, question) is not None and asks(_ASKS_ONE, question) is None


def whole_list(
    sentence: str, spans: list[tuple[int, int]], chosen: tuple[int, int]
) -> tuple[int, int]:
    """`chosen` carried over the values of `spans` listed with it on one line ("in Singapore,
    Hanoi, and Panmunjom"): for a question asking for several, the list is the answer."""
    ordered = sorted(set(spans) | {chosen})
    i = j = ordered.index(chosen)
    while i > 0 and _TIGHT_GAP.fullmatch(sentence, ordered[i - 1][1], ordered[i][0]):
        i -= 1
    while j + 1 < len(ordered) and _TIGHT_GAP.fullmatch(sentence, ordered[j][1], ordered[j + 1][0]):
        j += 1
    return ordered[i][0], ordered[j][1]


def _respective_run(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The values, in order, of the list that "respectively" closes (none when it is not there)."""
    for i in range(len(spans) - 1, -1, -1):
        if _RESPECTIVELY.match(sentence, spans[i][1]):
            run = [spans[i]]
            while i > 0 and _LIST_GAP.fullmatch(sentence, spans[i - 1][1], spans[i][0]):
                i -= 1
                run.insert(0, spans[i])
            return run
    return []


# "Which two roads did North Korea blow up?", "What are the eight core lines of effort?" ask for
# the things a count counts: "detonated explosives on two major roads cutting off ..." or "into
# eight core lines of effort, in alignment with three key visions" counts them without naming
# them, an answer one level less fine than asked.
_COUNT_WORDS = "two three four five six seven eight nine ten eleven twelve".split()
# a word naming the things' kind, not the verb or the clause after it ("roads did Norway")
_KIND_WORD = (
    r"(?!(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|should|may|might"
    r"|must|that|which|who|in|on|at|to|for|from|by|with|the|a|an)\b)[\w-]+"
)
_COUNTED = (
    rf"(?P<count>{'|'.join(_COUNT_WORDS)}|[2-9]|1[0-2])\s+(?P<things>{_KIND_WORD}"
    rf"(?:\s+{_KIND_WORD}){{0,2}})"
)
_ASKS_THE_THINGS = re.compile(
    r"\b(?:which|what)\s+(?:exactly\s+|precisely\s+)?(?:are\s+|were\s+|is\s+)?"
    rf"(?:the\s+|its\s+|their\s+|all\s+|those\s+|these\s+)?{_COUNTED}",
    re.I,
)
# "KASI has eight core lines of effort. What are they?": the count is told first.
_ASKS_THEM = re.compile(
    r"\bwhat\s+(?:exactly\s+|precisely\s+)?(?:are|were)\s+(?:they|these|those)\W*$", re.I
)
_COUNTED_BEFORE = re.compile(rf"\b{_COUNTED}", re.I)
# Between the items of a list: a comma, "and", a bullet or a numbered line; not a line break
# alone, as text is often wrapped.
_ITEM_GAP = re.compile(r"[,;•]|\b(?:and|or)\b|\n\s*(?:[-*]|\d+[.)])\s", re.I)


# A sentence going on to list what the one before counted: "They are ...", "These include ...",
# "First, ...", a bullet.
_LIST_GOES_ON = re.compile(
    r"\s*(?:they|these|those|namely|first(?:ly)?|[-•*]|\d+[.)]\s"
    r"|the\s+(?:[\w-]+\s+){0,3}?(?:are|were|include|includes|comprise)\b)",
    re.I,
)


# The things named right before their count: "Korea and Japan, the two countries that ...".
_NAMED_BEFORE = re.compile(r"(?:,|\band\b)[^,;.]{1,60}?,\s*(?:the|these|those|both|all)\s+$", re.I)
# A list told one item a sentence: "First, ...", "Firstly, ...", "1. ...".
_ITEM_BY_ITEM = re.compile(r"\s*(?:first(?:ly)?\b|1[.)]\s)", re.I)


def things_asked(question: str) -> tuple[int, frozenset[str]] | None:
    """How many things `question` asks to be named and the stems of the words naming their kind
    ("Which two major roads ...?": 2, {major, road}), or None when it asks for no such list."""
    found = asks(_ASKS_THE_THINGS, question)
    if found is None and (them := asks(_ASKS_THEM, question)):
        found = _COUNTED_BEFORE.search(question, 0, them.start())
    if found is None:
        return None
    count = found.group("count").lower()
    number = int(count) if count.isdigit() else _COUNT_WORDS.index(count) + 2
    return number, frozenset(stem for _, stem in word_stems(found.group("things")))


def names_the_things(
    asked: tuple[int, frozenset[str]], sentence: str, stems: AbstractSet[str], following: str = ""
) -> bool:
    """Whether `sentence` (`stems`: its stems) may name the things `asked` (`things_asked`): it
    speaks of their kind ("roads") or lists as many items as asked ("position Korea as a
    contributor ..., a springboard ..., and a partner ..."), and where it counts them ("two
    major roads") as many items follow the count, in it or in the sentence `following` it ("It
    rests on three visions. They are a free, an open and a fair region."), as it counts, or a
    colon opens their list."""
    number, kind = asked
    if not kind & stems and len(_ITEM_GAP.findall(sentence)) < number - 1:
        return False
    count = rf"\b(?:{_COUNT_WORDS[number - 2]}|{number})\s+"
    for found in re.finditer(rf"{count}((?:[\w-]+\s+){{0,3}}[\w-]+)", sentence, re.I):
        if not kind & {stem for _, stem in word_stems(found.group(1))}:
            continue
        if _NAMED_BEFORE.search(sentence, 0, found.start()):
            continue  # "Korea and Japan, the two countries that ..."
        rest = sentence[found.end() :]
        if _ITEM_BY_ITEM.match(following):
            return True  # "We make four recommendations. First, ..."
        if _LIST_GOES_ON.match(following):
            rest += " " + following
        if len(_ITEM_GAP.findall(rest)) < number - 1 and ":" not in rest:
            return False
    return True


def list_follows(asked: tuple[int, frozenset[str]], sentence: str, following: str) -> bool:
    """Whether `sentence` counts the things `asked` (`things_asked`) and the sentence
    `following` it goes on to list them ("We make four recommendations." "First, ..."): the
    two answer together."""
    number, kind = asked
    count = rf"\b(?:{_COUNT_WORDS[number - 2]}|{number})\s+((?:[\w-]+\s+){{0,3}}[\w-]+)"
    counts = any(
        kind & {stem for _, stem in word_stems(found.group(1))}
        for found in re.finditer(count, sentence, re.I)
    )
    return counts and bool(_ITEM_BY_ITEM.match(following) or _LIST_GOES_ON.match(following))


# "How is the US$4 million split between the programmes?", "how is the ODA divided among the
# member states" ask for the parts of a whole: a sentence telling the whole alone ("backed by
# US$4 million") answers one level less fine. The parts are told as numbers.
_ASKS_PARTS = re.compile(
    r"\bhow\s+(?:is|was|are|were|does|did|do|will)\b[^?]*?\b(?:split|divided|broken down"
    r"|distributed|allocated|shared out|apportioned)\b|\bbreakdown\b",
    re.I,
)
_NUMBER = re.compile(r"(?<![\w.])(?!(?:19|20)\d\d\b)\d[\d,.]*(?![\w])")  # not a year
# How parts are told: "each", "respectively", "split", "of which", "while", "gets", "Of the 60
# beds, 12 are reserved ...", a share.
_DIVIDES = re.compile(
    r"\b(?:each|respectively|split|divided|shares?|allocat\w+|distribut\w+|breakdown|between"
    r"|among|apiece|of which|of whom|while|whereas|rest|remaining|remainder|gets?|receiv\w+"
    r"|goes|go|went|reserved|set aside)\b|%|\bper ?cent\b|^\s*of (?:the|these|those)\b",
    re.I,
)


def asks_parts(question: str) -> bool:
    """Whether `question` asks how a whole divides into parts (`_ASKS_PARTS`)."""
    return asks(_ASKS_PARTS, question) is not None


def tells_parts(question: str, sentence: str) -> bool:
    """Whether `sentence` divides something into parts: two numbers or more that `question`
    does not give (not years), told as parts ("each", "respectively", "of which", a share)."""
    given = {m.group(0).rstrip(".,") for m in _NUMBER.finditer(question)}
    told = {m.group(0).rstrip(".,") for m in _NUMBER.finditer(sentence)} - given
    return len(told) >= 2 and _DIVIDES.search(sentence) is not None
