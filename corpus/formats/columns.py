"""Plain text's tables: columns lined up with runs of spaces or tabs, or parted by dot leaders,
which normalising a line to single spaces would lose ("Janet Okoro        Chair (user
representative)" would read as one name of three words). Where two lines in a row or more each
part their words so, the runs become " | ", the cell break every table reaches the index with
(as Markdown's and HTML's do), and rule lines under a header ("-------  ------") go."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# A run of two spaces or more, or a tab, between two words: not after a sentence's end or a
# key's colon ("end.  Next", "Name:      Dr Samuel Osei" say no column). A dot leader parts a
# key from its value as a column does ("Beverly .......... Ruth Okonjo", "Anita Shah) ...
# directed by"), an ellipsis closing a word does not ("We waited... and").
_GAP = re.compile(
    r"(?<=[^\s.!?:;,])(?: {2,}|\s*\t\s*)(?=\S)|(?<=\S)(?:\s*\.{4,}|\s+\.{3})\s*(?=\S)"
)
_RULE = re.compile(r"\s*[-=_+|]{3,}(?:\s+[-=_+|]{3,})*\s*")
COLUMNED_LINES = 2  # lines in a row parted into columns that make a table


def columns_marked(pieces: Iterable[str]) -> Iterator[str]:
    """The text of `pieces` (consecutive pieces of one text) with the columns of its tables
    parted by " | ", a line at a time, each with its newline."""
    block: list[str] = []  # a run of lines each parted into columns, or rules
    for line in _lines(pieces):
        if _RULE.fullmatch(line.rstrip("\n")) or _GAP.search(line.strip()):
            block.append(line)
            continue
        yield from _table(block)
        block = []
        yield line
    yield from _table(block)


def _table(block: list[str]) -> Iterator[str]:
    """`block`'s lines as a table's rows when COLUMNED_LINES or more of them are parted into
    columns (its rules dropped), else as they are."""
    rows = [line for line in block if not _RULE.fullmatch(line.rstrip("\n"))]
    if len(rows) < COLUMNED_LINES:
        yield from block
        return
    for line in rows:
        indent = len(line) - len(line.lstrip())
        yield line[:indent] + _GAP.sub(" | ", line[indent:].rstrip()) + "\n"


def _lines(pieces: Iterable[str]) -> Iterator[str]:
    """The lines of the text `pieces` make, each with its newline (the last may lack one)."""
    rest = ""
    for piece in pieces:
        lines = (rest + piece).split("\n")
        rest = lines.pop()
        for line in lines:
            yield line + "\n"
    if rest:
        yield rest
