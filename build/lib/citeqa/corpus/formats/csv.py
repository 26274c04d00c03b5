"""Comma- (or tab-, semicolon-, bar-) separated values (.csv, .tsv, stdlib csv): the rows of one
sheet, as `rows.RowText` lays them out, under no sheet heading; the Page label is "".

The dialect is guessed by csv.Sniffer from the first 64 KB (when it cannot tell, the commonest
of , ; tab | in the first line, else a comma; tab for .tsv). A row's number is its record's
number in the file, as a spreadsheet opening it shows.
Bounded: a physical line longer than MAX_LINE_CHARS or with more than `rows.MAX_WIDTH` delimiters
is refused before the csv module splits it, and a field over the csv module's limit is refused.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import PurePosixPath

from .base import DocumentError, Format, Read, decode_text
from .rows import MAX_WIDTH, RowText

MAX_LINE_CHARS = 1_000_000
_SAMPLE_CHARS = 64 * 1024
_DELIMITERS = ",;\t|"


def read(data: bytes, doc_id: str) -> Read:
    text = decode_text(data, doc_id)
    dialect = _dialect(text[:_SAMPLE_CHARS], doc_id.lower().endswith(".tsv"))
    rows = RowText(doc_id)
    lines = _bounded_lines(text, dialect.delimiter, doc_id)
    try:
        rows.add_sheet("", csv.reader(lines, dialect), heading=False)
    except csv.Error as err:
        raise DocumentError(f"{doc_id}: not readable as CSV ({err})") from err
    return rows.read(PurePosixPath(doc_id).stem)


def _dialect(sample: str, tabs: bool) -> type[csv.Dialect]:
    if tabs:
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        pass
    # The Sniffer gives up on small or irregular samples: the header line's commonest
    # candidate is the delimiter then (a header rarely quotes one), else a comma.
    header = sample.split("\n", 1)[0]
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])

    class Guessed(csv.excel):
        delimiter = best if counts[best] else ","

    return Guessed


def _bounded_lines(text: str, delimiter: str, doc_id: str) -> Iterator[str]:
    """The text's lines (with their ends), each checked before the csv module sees it; a search
    bounded at MAX_LINE_CHARS finds an overlong line without reading all of it."""
    position, number = 0, 0
    while position < len(text):
        number += 1
        end = text.find("\n", position, position + MAX_LINE_CHARS + 1)
        if end < 0:
            if len(text) - position > MAX_LINE_CHARS:
                raise DocumentError(
                    f"{doc_id}: line {number} is longer than {MAX_LINE_CHARS:,} characters; "
                    "not a table citeqa reads"
                )
            end = len(text) - 1
        line = text[position : end + 1]
        position = end + 1
        if line.count(delimiter) > MAX_WIDTH:
            raise DocumentError(
                f"{doc_id}: line {number} has more than {MAX_WIDTH:,} columns; "
                "not a table citeqa reads"
            )
        yield line


FORMATS = (Format("csv", (".csv", ".tsv"), read, locator="row"),)
