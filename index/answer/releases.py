"""Versions and changelogs: which release a question names, and whether a text tells of it.

"When was small caps support added?" is answered by a changelog's item under its release's
heading; "What changed in 3.2.0?" is not answered by a line that names 3.1.4. A version is named
by its number, its series ("3.1.x") or, beside its product or a label, without its ".0" parts
("brisk 3.0" for 3.0.0).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from citeqa.index.retrieval.keyword import word_stems

from .coverage import askers_own, question_names
from .named_things import numbered_names
from .narrowing import VERSION, release_heading
from .passage_reading import CARRIES_ON, LEADS_IN
from .patterns import asks
from .spelling import release_number, version_or_series

# Share of the question's topic weight, but for what the document's card and headings name, an
# item of a changelog must hold to tell the change asked: "Dropped the legacy Merrow Sans
# Condensed family" does not tell when small caps were added.
RELEASE_ITEM_SHARE = 0.5


def tells_the_change(
    question: str, text: str, asked: AbstractSet[str], weights: Mapping[str, float]
) -> bool:
    """Whether the changelog item `text` (with its section's heading) holds RELEASE_ITEM_SHARE of
    the weight of the stems `asked` (the question's topic but for what its document and headings
    name), and tells the kind of change the question asks, when it tells one ("Added" is not
    "removed")."""
    total = sum(weights.get(stem, 0.0) for stem in asked)
    held = {stem for _, stem in word_stems(text)} & asked
    if total and sum(weights.get(stem, 0.0) for stem in held) < RELEASE_ITEM_SHARE * total:
        return False
    kinds = [kind for kind, words in enumerate(_CHANGES) if words.search(question)]
    told = [kind for kind, words in enumerate(_CHANGES) if words.search(text)]
    return not kinds or not told or bool(set(kinds) & set(told))


# The kinds of change a changelog tells, each in the words it and a question use.
_CHANGES = tuple(
    re.compile(words, re.I)
    for words in (
        r"\b(?:add(?:s|ed|ing)?|introduc\w*|new|support(?:s|ed)? for)\b",
        r"\b(?:remov\w*|drop(?:s|ped)?|delet\w*|no longer)\b",
        r"\b(?:fix(?:es|ed)?|resolv\w*|bug)\b",
        r"\bdeprecat\w*",
        r"\b(?:rename[ds]?|renaming)\b",
    )
)


# A version a question names: three parts or more ("3.2.0"), or two after the word ("version
# 3.2", "release 2.14").
_NAMED_VERSION = re.compile(
    r"(?<![\w.])v?\d+\.\d+\.\d+(?:\.\d+)*(?![\w.]*\d)|\b(?:version|release)\s+v?\d+\.\d+(?!\.?\d)",
    re.I,
)


def holds_version(version: str, text: str) -> bool:
    """Whether `text` names `version` ("3.1.2" in "[3.1.2] - 2024-02-03", "v3.1.2") or the
    series it belongs to ("3.1.x", "3.x")."""
    return re.search(rf"(?<![\w.])v?{version_or_series(version)}(?!\w|\.\d)", text) is not None


def holds_release(version: str, text: str, product: str | None) -> bool:
    """`holds_version`, or `text` names it without its ".0" parts beside its `product` or a
    label ("brisk 3.0 was released", "Version 3.0" for 3.0.0; not "Apache License 2.0")."""
    if holds_version(version, text):
        return True
    # a text names a release so only beside its product or a label ("brisk 3.0", "version
    # 3.0"): "Apache License 2.0" is no release 2.0.0
    short = release_number(version)
    if short == version:
        return False
    label = r"version|release|v" + (f"|{re.escape(product)}" if product else "")
    return re.search(rf"(?i:\b(?:{label}))\s*{re.escape(short)}(?!\w|\.\d)", text) is not None


def versions_named(question: str) -> set[str]:
    """The versions `question` names (`_NAMED_VERSION`, or a dotted number after a name:
    "pdfmill 1.0"), as bare numbers."""
    named = {re.sub(r"^\D+", "", m.group(0)) for m in _NAMED_VERSION.finditer(question)}
    return named | {number for _, number in numbered_names(question) if "." in number}


# A dotted number: "3.0", "v1.2.0", "0.8.x" aside.
_DOTTED = re.compile(r"[vV]?\d+(?:\.\d+)+")
_CURRENCY_BEFORE = re.compile(r"[£$€¥]\s?$")


def dotted_numbers_named(question: str) -> set[str]:
    """The versions and other dotted numbers `question` gives, but not an amount ("£3.50") nor
    one the asker tells of themselves ("We're stuck on 2.9 ...": coverage.askers_own)."""
    own = askers_own(question)
    return {
        name.lstrip("vV")
        for name in question_names(question)
        if _DOTTED.fullmatch(name)
        and name not in own
        and not any(
            _CURRENCY_BEFORE.search(question[: m.start()])
            for m in re.finditer(re.escape(name), question)
        )
    }


_REPLACED = re.compile(
    r"\b(?:replac(?:es|ed|ing)|supersed(?:es|ed|ing)|previous(?:ly)?|prior to|formerly)\s+"
    r"(?:the\s+)?(?:(?:version|release|v)\s*)?\d+(?:\.\d+)+",
    re.I,
)


def another_version(versions: set[str], text: str, previous: str = "") -> bool:
    """Whether `text`, or the sentence `previous` to it when it leads into it ("Version 3.2.1,
    prepared by:") or `text` carries on its subject ("It was prepared by ..."), names a version
    but none of `versions`: "Version 3.2.1, prepared by ..." does not tell what was prepared for
    3.2.0. A sentence of its own after one naming the versions a fix concerns ("All users of
    3.0.0 to 3.2.0 should upgrade. Reported by ...") tells of the section's version."""
    if previous and (LEADS_IN.search(previous) or CARRIES_ON.match(text)):
        text = previous + " " + text
    # a version a text says it replaces is not the one it tells of: "Effective from: 1 February
    # 2024 (replaces v2.0 of 1 August 2022)" is 2.1's
    text = _REPLACED.sub(" ", text)
    told = {m.group(0).lstrip("v") for m in VERSION.finditer(text)}
    # a release may be told without its ".0" parts: "brisk 3.0" is 3.0.0
    shortened = {release_number(v) for v in versions}
    return bool(told) and not told & shortened and not any(holds_version(v, text) for v in versions)


# "When did LarchKV 3.0.0 come out?", "Release date of 2.5.0?": asked of a version's release, which
# its release's heading tells ("3.0.0 — 2024-03-04") or words of a release do ("was released on",
# "shipped"); not the date its support ends ("2.5.x receives security fixes until 31 December
# 2024") nor the page's own ("Last updated: 2 February 2025").
_ASKS_RELEASE_DATE = re.compile(
    r"\brelease(?:d)?\s+(?:date|day)\b"
    r"|\bwhen\b[^?]*\b(?:releas\w*|c[oa]me out|ship(?:s|ped)?|tagged|launch\w*|out)\b",
    re.I,
)
_TELLS_RELEASE = re.compile(
    r"\b(?:releas\w*|c[oa]me out|ship(?:s|ped)?|tagged|launch\w*|available|published|out now"
    r"|GA)\b",
    re.I,
)


def asks_release_date(question: str) -> bool:
    """Whether `question` asks when a version it names came out (`_ASKS_RELEASE_DATE`)."""
    return bool(versions_named(question)) and asks(_ASKS_RELEASE_DATE, question) is not None


# A version with its date beside it: "for version 4.19.0, 18 August 2022", "prior to 3.32.0
# (2020-05-22)".
_VERSION_DATED = re.compile(
    r"\d+(?:\.\d+)+\]?\s*[(,:–—-]\s*(?:\d{4}-\d\d-\d\d|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}"
    r"|[A-Z][a-z]+\s+\d{1,2},?\s+\d{4})"
)


def tells_release(text: str, header: str = "") -> bool:
    """Whether `text` tells a release: a release's heading (narrowing.release_heading), a version
    with its date beside it (`_VERSION_DATED`), or words of a release in it or in the `header`
    row of its table ("Version | Released | Support ends")."""
    return (
        release_heading(text)
        or _VERSION_DATED.search(text) is not None
        or _TELLS_RELEASE.search(f"{header} {text}") is not None
    )
