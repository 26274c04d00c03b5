"""Spreadsheet rows as text (.xlsx, .csv): what a row reads like, where it lies, and the bounds.

A sheet starts with its name as a level-1 heading (a workbook's sheets; a CSV file has none). Each
data row is one paragraph, and one `Page(number=the row's number in the sheet, start, label=the
sheet name)`, so a passage cites its sheet and its first and last row. A row repeats its sheet's
header, so it reads alone: "Country: Laos; Capital: Vientiane; Population: 7.4 million". The
header is the sheet's first non-empty row when all its cells are text and not numbers; a sheet
without one gives its rows as cells joined by "; ". Empty cells are left out; empty rows skipped.

Bounds: a file stops being read at MAX_ROWS data rows or MAX_CHARS characters (DocumentError: the
file is too large to index row by row); a sheet stops at MAX_EMPTY_RUN empty rows in a row (what
lies further down is not read, so a sheet declaring a million empty rows costs milliseconds); a
row with more than MAX_COLUMNS filled cells is refused; a cell keeps its first MAX_CELL_CHARS.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from ..records import Page
from ..text import normalise_line
from .base import DocumentError, Read, TextBuilder

MAX_ROWS = 100_000  # about 11,000 passages of nine rows: an hour of embedding on two cores
MAX_CHARS = 20_000_000
MAX_EMPTY_RUN = 10_000
MAX_COLUMNS = 1_000
MAX_CELL_CHARS = 5_000
MAX_WIDTH = 16_384  # Excel's last column, XFD: the widest a row can be, filled or not
_NUMBER = re.compile(r"^[-+]?[\d.,%$€£ ]+$")


def cell_text(value: object) -> str:
    """A cell's value as a spreadsheet shows it: 7400000.0 as "7400000", a midnight date as a
    date, TRUE/FALSE for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return normalise_line(str(value)[:MAX_CELL_CHARS])


class RowText:
    """Rows in, text and pages out: one sheet after another, each with its header."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.builder = TextBuilder()
        self.pages: list[Page] = []
        self.rows = 0

    def add_sheet(self, name: str, rows: Iterable[Sequence[object]], heading: bool = True) -> None:
        """A sheet's rows in order, the first being row 1; `heading`: the name opens the sheet."""
        header: list[str] | None = None
        started = opened = False
        empty_run = 0
        for number, values in enumerate(rows, start=1):
            if len(values) > MAX_WIDTH:
                raise DocumentError(
                    f"{self.doc_id}: row {number} of {name or 'the file'} has {len(values):,} "
                    f"columns, more than the {MAX_WIDTH:,} a spreadsheet has"
                )
            cells = [cell_text(v) for v in values]
            filled = sum(1 for c in cells if c)
            if not filled:
                empty_run += 1
                if empty_run >= MAX_EMPTY_RUN:
                    return
                continue
            empty_run = 0
            if filled > MAX_COLUMNS:
                raise DocumentError(
                    f"{self.doc_id}: row {number} of {name or 'the file'} has {filled:,} filled "
                    f"cells, more than the {MAX_COLUMNS} citeqa reads"
                )
            if not started:
                started = True
                if all(not c or not _NUMBER.match(c) for c in cells):
                    header = cells
                    continue
            # The sheet's first row starts at its heading, so a passage opening there cites it.
            start = self.builder.length + (2 if self.builder.parts else 0)
            if heading and not opened:
                self.builder.add([name], 1)
            opened = True
            self.builder.add([_row_line(header, cells)])
            self.pages.append(Page(number, start, name))
            self.rows += 1
            if self.rows > MAX_ROWS or self.builder.length > MAX_CHARS:
                raise DocumentError(
                    f"{self.doc_id}: more than {MAX_ROWS:,} rows or {MAX_CHARS // 10**6} million "
                    "characters; split the file to index it"
                )

    def read(self, title: str) -> Read:
        text = self.builder.read(title)
        return Read(text.text, self.pages, text.headings, text.title)


# A two-column sheet of keys and their values, by its header: "Field | Value", "Item | Detail".
_KEY_HEADERS = frozenset(
    "field item key property attribute parameter setting label topic question".split()
)
_VALUE_HEADERS = frozenset(
    "value values detail details description answer information info setting".split()
)


def _keys_and_values(header: list[str]) -> bool:
    filled = [cell.lower() for cell in header if cell]
    return len(filled) == 2 and (filled[0] in _KEY_HEADERS or filled[1] in _VALUE_HEADERS)


def _row_line(header: list[str] | None, cells: list[str]) -> str:
    if header is None:
        return "; ".join(c for c in cells if c)
    if _keys_and_values(header) and len(cells) >= 2 and cells[0] and cells[1]:
        # a sheet of settings reads as its fields: "Document: Service Catalogue 2025/26", not
        # "Field: Document; Value: Service Catalogue 2025/26"
        return f"{cells[0]}: {'; '.join(c for c in cells[1:] if c)}"
    pairs = []
    for i, cell in enumerate(cells):
        if not cell:
            continue
        label = header[i] if i < len(header) else ""
        pairs.append(f"{label}: {cell}" if label else cell)
    return "; ".join(pairs)
