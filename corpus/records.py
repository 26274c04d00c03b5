"""The records the corpus stage hands to the index stage: `Document` and `Passage`."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import overload


@dataclass(frozen=True)
class Page:
    """One physical page of a paginated document: it starts at `start` in the document text."""

    number: int  # 1-based physical page
    start: int
    label: str  # the printed page label (pypdf `page_labels`), e.g. "iv" or "12"


@dataclass(frozen=True)
class Heading:
    """A section heading; it governs the text from `start` to the next heading."""

    start: int
    end: int
    title: str
    level: int = 1


@dataclass
class Document:
    """A loaded, normalised document. `text` is what every character offset refers to."""

    id: str  # path relative to the corpus root, with forward slashes
    title: str
    text: str
    sha256: str  # of the source file's bytes
    kind: str  # the format: "txt", "md", "pdf", "html", "docx", "xlsx", ... (corpus/formats/)
    pages: list[Page] = field(default_factory=list)  # empty for unpaginated documents
    headings: list[Heading] = field(default_factory=list)
    # What the document says about itself (front matter, file properties, a sidecar .meta.json):
    # names to a string or a list of strings (corpus/metadata.py).
    metadata: dict[str, str | list[str]] = field(default_factory=dict)
    modified: str = ""  # ISO 8601 UTC: the source's modification date, else the file's mtime
    ingested: str = ""  # ISO 8601 UTC: when this content was first indexed (set by the index)

    def page_at(self, offset: int) -> Page | None:
        """The page holding character `offset`, or None for unpaginated documents."""
        if not self.pages:
            return None
        return self.pages[max(bisect.bisect_right(self._page_starts, offset) - 1, 0)]

    def main_section(self, start: int, end: int) -> str | None:
        """The section that covers most of `text[start:end]` (a passage may cross a heading)."""
        starts = self._heading_starts
        first, last = bisect.bisect_right(starts, start), bisect.bisect_left(starts, end)
        cuts = [start, *starts[first:last], end]
        spans = [(b - a, self.section_at(a)) for a, b in pairwise(cuts)]
        return max(spans, key=lambda span: span[0])[1]

    def section_at(self, offset: int) -> str | None:
        """The title of the innermost heading in force at `offset`."""
        i = bisect.bisect_right(self._heading_starts, offset) - 1
        return self.headings[i].title if i >= 0 else None

    # Built once, not per call: a 50 MB file has ~14,000 headings and ~46,000 passages, and a
    # list per lookup made chunking quadratic. (Headings and pages are sorted by start.)
    @cached_property
    def _heading_starts(self) -> list[int]:
        return [h.start for h in self.headings]

    @cached_property
    def _page_starts(self) -> list[int]:
        return [p.start for p in self.pages]


@dataclass(frozen=True)
class Passage:
    """A contiguous, sentence-aligned span of a document: `doc.text[start:end] == text`."""

    id: str  # "<doc id>#<ordinal>"
    doc_id: str
    text: str
    start: int
    end: int
    page: int | None = None  # first physical page (1-based), None when unpaginated
    page_end: int | None = None  # last physical page; equals `page` unless the passage spans pages
    page_label: str | None = None
    section: str | None = None


class LazyPassages(Sequence[Passage]):
    """A read-only sequence of passages, each read when indexed: subclasses give `__len__` and
    `_read(row)` for a row in range."""

    def _read(self, row: int) -> Passage:
        raise NotImplementedError

    @overload
    def __getitem__(self, row: int) -> Passage: ...
    @overload
    def __getitem__(self, row: slice) -> list[Passage]: ...
    def __getitem__(self, row: int | slice) -> Passage | list[Passage]:
        if isinstance(row, slice):
            return [self._read(r) for r in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        return self._read(row)
