"""Which years a sentence gives figures of, beyond the years it names.

"This year" stands for the year its document's card names; a report's figures are of the year
its card gives, unless the passage names a later one; "an increase of 4.9% on 2023/24" gives no
figure for 2023/24; "Fees for 2026/27 will be published in March 2026" gives none for 2026/27.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from .patterns import asks
from .question_types import dated, years

# "This year marks the 20th anniversary" in a piece whose card dates it 2025 answers "in 2025", and
# "About 12 fellowships will be awarded in this call" in a call for 2025 answers "the 2025 call".
_THIS_YEAR = re.compile(
    r"\b(?:this|the current) (?:year|call|round|edition|season|cycle|term|semester|session"
    r"|programme|program)\b",
    re.I,
)


def the_documents_year(card: str, text: str, passage: str) -> set[str]:
    """The year a document is of, when its card names one only ("Financial summary for the year
    ended 31 December 2023") or a year running over two ("Annual Report 2023/24 ... 1 April
    2023 to 31 March 2024"), and neither `text` nor the `passage` read so far names another
    (a later one: an earlier is its history, "Founded 1978"): "Retained for reserves: £20,860"
    is 2023's, but a list led into by "The officers for 2024-25 are:" is not of the year the
    rules were adopted."""
    named = _without_history(dated(card))
    if not named:
        return set()
    first = min(int(year[:4]) for year in named)
    last = max(int(year[-4:]) for year in named)
    if last - first > 1:  # one year, or a year running over two ("1 April 2023 to 31 March 2024")
        return set()
    # a year the text names is another period it is of, but an earlier one it is compared with:
    # "TOTAL: 112.2 tonnes (2023: 147.5 tonnes)" in a 2024 report
    compared = {
        year for m in _COMPARED_YEAR.finditer(text) if int(year := m.group(1) or m.group(2)) < first
    }
    if dated(text) - compared:
        return set()
    # an earlier year the passage names is the document's history ("Founded 1978"), not
    # another period it is of
    later = {other for other in dated(passage) - named if int(other[:4]) > last}
    return set() if later else set(named)


# What a text says of a year whose figures it does not give yet: "Fees for 2026/27 will be
# published in March 2026", "Dates for 2027 are to be confirmed".
_YET_TO_COME = re.compile(
    r"\b(?:will|shall)\s+be\s+(?:published|announced|confirmed|set|agreed|decided|released"
    r"|posted|available)\b|\bto\s+be\s+(?:confirmed|announced|decided|agreed|set)\b"
    r"|\bnot\s+(?:yet\s+)?(?:been\s+)?(?:published|announced|confirmed|set|decided|known)\b"
    r"|\btbc\b|\btba\b",
    re.I,
)
_ASKS_WHEN_TOLD = re.compile(r"\b(?:publish|announc|confirm|releas|decid)\w*", re.I)


def yet_to_come(question: str, asked: AbstractSet[str], previous: str, text: str) -> bool:
    """Whether the years `asked` are named, in `text` or the sentence `previous` to it, only by
    one saying their figures are still to come: "Fees for 2026/27 will be published in March
    2026. Every fee is made up of ... £120" tells no fee for 2026/27 (but when it comes out)."""
    if asks(_ASKS_WHEN_TOLD, question):
        return False
    naming = [part for part in (previous, text) if asked & dated(part)]
    return bool(naming) and all(_YET_TO_COME.search(part) for part in naming)


# A year another figure is measured against: "an increase of 4.9% on 2023/24", "10% up on 2023",
# "higher than in 2022" (not "up from 2,986 in 2022", which gives 2022's figure).
_MEASURED_AGAINST = re.compile(
    r"\b(?:on|over|than(?:\s+in)?|against|versus|vs\.?|compared (?:with|to))\s+(?:the\s+)?"
    r"((?:19|20)\d\d(?:\s*[-/–]\s*\d{2,4})?)\b",
    re.I,
)


def compared_only(text: str) -> set[str]:
    """The years and periods `text` names only as what another figure is measured against: "a
    Band D charge of £71.18, an increase of 4.9% on 2023/24" gives no charge for 2023/24."""
    against = [m for m in _MEASURED_AGAINST.finditer(text)]
    if not against:
        return set()
    compared = set().union(*(dated(m.group(1)) for m in against))
    return compared - dated(_MEASURED_AGAINST.sub(" ", text))


# A year a figure is set beside: "(2023: 147.5 tonnes)", "up from 96 in 2023", "against 2023's".
_COMPARED_YEAR = re.compile(
    r"\((?:[^()]*?\s)?((?:19|20)\d\d)\b[^()]*\)"
    r"|\b(?:than|from|against|versus|vs\.?|compared (?:with|to))\s+(?:in\s+)?((?:19|20)\d\d)\b",
    re.I,
)
HISTORY_YEARS = 3  # a year this much older than the latest a card names is its history


def _without_history(named: AbstractSet[str]) -> AbstractSet[str]:
    """The years and periods a document's card names but those well before the latest: a
    "Membership Guide 2024/25" that was "Founded 1978" is of 2024."""
    if len(named) < 2:
        return named
    latest = max(int(year[:4]) for year in named)
    return {year for year in named if int(year[-4:]) > latest - HISTORY_YEARS}


def this_year(text: str, stems: AbstractSet[str]) -> set[str]:
    """The years "this year" in `text` may stand for: those its document's card names (a
    sentence's `stems` hold its card's, years among them), none when it does not say so."""
    if _THIS_YEAR.search(text) is None:
        return set()
    return {stem for stem in stems if len(stem) == 4 and years(stem)}
