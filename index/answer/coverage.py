"""Whether the passages found cover what the question pins down: each country or bloc it names,
and each year.

A question about another country than the documents' ("What did Japan pledge to ASEAN in
2023?") finds the same passages, with the same cosines, as the one they answer about Korea; what
tells them apart is that no passage names Japan. So every country (or bloc, or its people: "the
Japanese government") and every year the question names must appear in the judged passages or
their documents' cards, under one of its usual names ("ROK", "South Korea", "Republic of Korea").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .question_types import COUNTRIES, years

# The names a country or bloc goes by in English texts, its people's adjective among them: the
# first is the canonical one. Countries not listed here go by their name alone.
ALIASES: tuple[tuple[str, ...], ...] = (
    ("korea", "south korea", "republic of korea", "rok", "korean", "koreans"),
    ("united states", "u.s.", "us", "usa", "america", "american", "americans"),
    ("european union", "eu", "european"),
    ("united kingdom", "uk", "britain", "british"),
    ("japan", "japanese"),
    ("china", "chinese", "prc"),
    ("india", "indian", "indians"),
    ("australia", "australian", "australians"),
    ("new zealand", "new zealander"),
    ("canada", "canadian", "canadians"),
    ("russia", "russian", "russians"),
    ("laos", "lao pdr", "lao"),
    ("viet nam", "vietnam", "vietnamese"),
    ("myanmar", "burma", "myanmarese"),
    ("philippines", "filipino", "filipinos", "philippine"),
    ("indonesia", "indonesian", "indonesians"),
    ("malaysia", "malaysian", "malaysians"),
    ("singapore", "singaporean", "singaporeans"),
    ("thailand", "thai"),
    ("cambodia", "cambodian", "cambodians"),
    ("brunei", "brunei darussalam", "bruneian"),
    ("timor-leste", "east timor", "timorese"),
    ("germany", "german", "germans"),
    ("france", "french"),
)
_CANONICAL = {name: names[0] for names in ALIASES for name in names}
_NAMES = {names[0]: names for names in ALIASES}
# Names a question may use for a country beyond COUNTRIES: blocs, short forms, its people.
_OTHER_NAMES = "|".join(
    re.escape(name) for name in sorted(_CANONICAL, key=len, reverse=True) if name not in ("us",)
)
# A name ends at a word's end; a hyphen may join two names ("ROK-US"), not a name and a word.
_LONGEST_FIRST = "|".join(sorted(COUNTRIES.split("|"), key=len, reverse=True))
_NAMED = re.compile(rf"\b({_LONGEST_FIRST}|US|{_OTHER_NAMES})(?!\w|(?-i:-[a-z]))", re.I)


_CURRENCY_AFTER = re.compile(r"\s*(dollars?|\$|cents?)\b", re.I)


def named_places(question: str) -> set[str]:
    """The countries and blocs `question` names, each by its canonical name (lower case)."""
    found = set()
    for match in _NAMED.finditer(question):
        text = match.group(0)
        if text.lower() == "us" and text != "US":
            continue  # the pronoun "us", not the United States
        if _CURRENCY_AFTER.match(question, match.end()):
            continue  # "US dollars" names a currency, not the country
        found.add(_CANONICAL.get(text.lower(), text.lower()))
    return found


def uncovered(question: str, texts: Iterable[str]) -> list[str]:
    """What `question` names (countries, blocs, years) that none of `texts` mentions."""
    joined = " ".join(texts)
    return uncovered_places(named_places(question), joined) + sorted(
        years(question) - years(joined)
    )


def uncovered_places(places: Iterable[str], text: str) -> list[str]:
    """The places (canonical names, from `named_places`) that `text` does not mention."""
    lower = text.lower()
    return [
        place
        for place in sorted(places)
        if not any(_mentions(lower, name) for name in _NAMES.get(place, (place,)))
    ]


def _mentions(lower_text: str, name: str) -> bool:
    if name == "us":  # only the capitalised abbreviation counts in a text, never the pronoun
        return False
    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w|-[a-z])", lower_text) is not None
