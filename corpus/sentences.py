"""Sentence boundaries as character spans, so passages and highlights can cite exact offsets.

A rule-based splitter: the libraries that do better (punkt, wtpsplit) need trained data that cannot
be downloaded here, and the corpora this serves are mostly edited prose where these rules hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .text import ends_sentence, is_list_item, looks_like_heading

# Words that end with a period without ending a sentence ("Dr. Lee", "Rev. Samuel Eddy", "e.g.
# this", "U.S. policy").
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof rev revd fr hon rt capt col lt sgt insp supt cllr maj
    st jr sr vs etc e.g i.e cf al no nos fig figs gen gov sen rep inc ltd co
    corp dept est approx jan feb mar apr jun jul aug sep sept oct nov dec mt ft vol pp p ed eds
    u.s u.k u.n h.e a.m p.m ph.d m.a b.a""".split()
)
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_LEADER_VALUE = re.compile(r"[ \t]+\d[\d.,]*\s*(?:%|[A-Za-z]{1,8})?[ \t]*(?:\n|$)")
_LEADER = re.compile(r"[ \t]\.{4,}")  # four dots or more after a space: no ellipsis
_ON_THE_LINE = re.compile(r"[ \t]*[^\s.]")
# A line of a list set with leaders ("Chairman ............ Mr Graham Pell") starts a record of
# its own, whose next lines (an address, a telephone number) are its own.
_LEADER_LINE = re.compile(r"\S[ \t]+\.{4,}[ \t]*\S")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of `text[start:end]`, without surrounding whitespace.

    Paragraph breaks always end a sentence; a single line break ends one only when the line reads
    as finished (closing punctuation, a heading, or a list item next), so hard-wrapped text
    keeps its sentences whole.
    """
    return list(iter_sentences(text, start, end))


def iter_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """`split_sentences`, one span at a time (a large document's are never all held at once)."""
    end = len(text) if end is None else end
    for block_start, block_end in _blocks(text, start, end):
        yield from _split_block(text, block_start, block_end)


def _blocks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Runs of lines that no sentence crosses."""
    line_start = block_start = start
    while line_start < end:
        nl = text.find("\n", line_start, end)
        line_end = end if nl < 0 else nl
        line = text[line_start:line_end]
        next_start = line_end + 1
        next_nl = text.find("\n", next_start, end)
        next_line = text[next_start : end if next_nl < 0 else next_nl]
        breaks = (
            nl < 0
            or not line.strip()
            or not next_line.strip()
            or ends_sentence(line)
            or (looks_like_heading(line.strip()) and not next_line.lstrip()[:1].islower())
            or is_list_item(next_line.lstrip())
            or _LEADER_LINE.search(next_line) is not None
        )
        if breaks:
            if text[block_start:line_end].strip():
                yield block_start, line_end
            block_start = next_start
        line_start = next_start


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    sentence_start = start
    for match in _END.finditer(text, start, end):
        # Only the word before the period matters: look back a bounded window, not to the
        # sentence start, or a run of skipped abbreviations ("e.g. e.g. ...") turns quadratic.
        token = _TOKEN_BEFORE.search(
            text, max(sentence_start, match.start() - 64), match.start() + 1
        )
        if token is None:
            continue
        word = token.group(1).lower().rstrip(".").lstrip("\"'“‘(")
        if _asides(text, sentence_start, match):
            continue
        if match.group(0).startswith("...") and _LEADER_VALUE.match(text, match.end()):
            continue  # a dotted leader to its value: "Feasibility ............ 25%"
        if _LEADER.match(text, match.start() - 1) and _ON_THE_LINE.match(text, match.end()):
            continue  # or to a name: "Treasurer ........... Dr Simon Achebe"
        if text[match.start()] == "." and (
            word in ABBREVIATIONS
            or word.rsplit("-", 1)[-1] in ABBREVIATIONS  # "the Korea-U.S. Free Trade Agreement"
            or _is_initial(word)
            or (word.isdigit() and _starts_sentence(text, sentence_start, token.start()))  # "9."
        ):
            continue
        spans.append((sentence_start, match.end()))
        sentence_start = match.end()
    spans.append((sentence_start, end))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s[0] < s[1]]


def _asides(text: str, sentence_start: int, match: re.Match[str]) -> bool:
    """Whether a question mark closes a one-word parenthesis inside the sentence: "Bash
    maintainer (BDFL?) Chet Ramey" asks nothing and ends nothing; "Is it fixed (in sid?) Check
    the tracker." and "It is out (finally!) It fixes ..." are two sentences each."""
    if not match.group(0).startswith("?)"):
        return False
    opened = text.rfind("(", max(sentence_start, match.start() - 32), match.start())
    inside = opened >= 0 and not any(c in ") \n\t" for c in text[opened + 1 : match.start()])
    return inside and not _starts_sentence(text, sentence_start, opened)


def _starts_sentence(text: str, sentence_start: int, position: int) -> bool:
    """Whether only whitespace lies between the sentence start and `position` (no slicing: the
    check stays constant-time however long the sentence has grown)."""
    i = sentence_start
    while i < position and text[i].isspace():
        i += 1
    return i >= position


def _is_initial(word: str) -> bool:
    """A single letter ("J. Smith") or a dotted acronym ("A.S.E.A.N")."""
    return (len(word) == 1 and word.isalpha()) or bool(re.fullmatch(r"(\w\.)+\w", word))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
