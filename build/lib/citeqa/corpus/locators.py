"""Where a span of a document lies, in the terms of its format: pages of a PDF, slides of a deck,
rows of a sheet, sections of everything else. One shape for every format (`Location`), computed
from a document's page map and headings, so a citation can be checked in the original file."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from .formats import FORMATS
from .records import Heading, Page

# The kinds of locator (Format.locator): what `Location.first`/`last`/`answer` count.
LOCATOR_TYPES = ("page", "slide", "row", "section")
_LOCATOR_OF_KIND = {f.kind: f.locator for f in FORMATS}


def locator_of(kind: str) -> str:
    """The locator type of documents of `kind` ("section" for a kind no format records)."""
    return _LOCATOR_OF_KIND.get(kind, "section")


@dataclass(frozen=True)
class Location:
    """A passage's place in its document, and the place of its answering sentence.

    For "page", "slide" and "row": `first`..`last` are the 1-based pages, slides or rows the
    passage covers and `answer` the one holding the highlighted sentence; `label` is the printed
    page label of `answer` (PDF) or the sheet name (rows). For "section" they are None.
    `section_path` is the chain of headings in force at the answering sentence, outermost first.
    """

    type: str
    first: int | None
    last: int | None
    answer: int | None
    label: str | None
    section_path: tuple[str, ...]

    def describe(self) -> str:
        """The location as a reader would write it: "pp. 8-9 (answer on p. 9)", "slide 3",
        "Prices, rows 4-9", "Install › Debian"."""
        parts = [self._units()] if self.first is not None else []
        if self.section_path and self.type != "row":
            parts.append(" › ".join(self.section_path))
        return ", ".join(p for p in parts if p)

    def _units(self) -> str:
        first, last, answer = self.first, self.last, self.answer
        one, many = {"page": ("p.", "pp."), "slide": ("slide", "slides"), "row": ("row", "rows")}[
            self.type
        ]
        span = f"{one} {first}" if last in (None, first) else f"{many} {first}-{last}"
        if self.type == "row" and self.label:
            span = f"{self.label}, {span}"
        if answer is not None and last not in (None, first):
            span += f" (answer on {one} {answer})"
        if self.type == "page" and self.label and self.label != str(answer):
            span += f" [printed {self.label}]"
        return span


def locate(
    kind: str,
    pages: Sequence[Page],
    headings: Sequence[Heading],
    start: int,
    end: int,
    answer_at: int | None = None,
) -> Location:
    """The location of `text[start:end]` of a document of `kind`, whose answering sentence
    begins at document offset `answer_at` (default: `start`)."""
    locator = locator_of(kind)
    at = start if answer_at is None else min(max(answer_at, start), max(end - 1, start))
    path = section_path(headings, at)
    if locator == "section" or not pages:
        return Location("section", None, None, None, None, path)
    first, last, answer = (_page_at(pages, x) for x in (start, max(end - 1, start), at))
    return Location(locator, first.number, last.number, answer.number, answer.label or None, path)


def _page_at(pages: Sequence[Page], offset: int) -> Page:
    starts = [p.start for p in pages]
    return pages[max(bisect.bisect_right(starts, offset) - 1, 0)]


def section_path(headings: Sequence[Heading], offset: int) -> tuple[str, ...]:
    """The titles of the headings in force at `offset`, outermost first: each heading closes
    those of its own level and deeper."""
    chain: list[Heading] = []
    for heading in headings:
        if heading.start > offset:
            break
        while chain and chain[-1].level >= heading.level:
            chain.pop()
        chain.append(heading)
    return tuple(h.title for h in chain)
