"""Words typed with a slip of the keys: "bedrom" for "bedroom", "adress" for "address".

A question is typed in haste; a document is not. Where the answer layer asks whether a text names a
word of the question, a word of five letters or more one slip from a word of the text names it.
A version is written in more than one way too: "0.9" as "0.9.0", "0.8.1" within "0.8.x".
"""

from __future__ import annotations

import re

LETTERS = re.compile(r"[a-z]+").findall


def one_slip_apart(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one slip of the keys: a letter left out, added, changed or
    two letters swapped."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) == len(word):
        diff = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and typed[diff[0]] == word[diff[1]]
            and typed[diff[1]] == word[diff[0]]
        )
    short, long = sorted((typed, word), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def version_or_series(version: str) -> str:
    """A pattern for how a text may write `version`: itself, with ".0" added ("0.9" is
    "0.9.0"), or a series holding it ("0.8.1" in "0.8.x", "0.8.*", "0.x")."""
    parts = version.split(".")
    series = [r"\.".join(map(re.escape, parts[:n])) + r"\.[xX*]" for n in range(1, len(parts))]
    return "(?:" + "|".join([re.escape(version) + r"(?:\.0)*", *series]) + ")"


def release_number(version: str) -> str:
    """`version` without the ".0" parts a text may leave off ("3.0.0" is "3.0"; "0.9" and
    "3.0.1" stay as they are)."""
    parts = version.split(".")
    while len(parts) > 2 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)
