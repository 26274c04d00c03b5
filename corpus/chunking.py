"""`Document` -> `Passage`s: sentence-aligned windows of about `target_words`, with overlap."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .locators import locator_of
from .records import Document, LazyPassages, Passage
from .sentences import iter_sentences


@dataclass(frozen=True)
class ChunkSettings:
    target_words: int = 180  # a passage closes before it would pass this many words
    overlap_words: int = 40  # trailing sentences (up to this many words) open the next passage

    @property
    def min_words(self) -> int:
        """A passage shorter than this is not closed at a heading but runs into the next section."""
        return self.target_words // 4


@dataclass(frozen=True, slots=True)
class _Unit:
    start: int
    end: int
    words: int
    heading: bool


def chunk_document(doc: Document, settings: ChunkSettings | None = None) -> list[Passage]:
    """Cut a document into passages; `doc.text[p.start:p.end] == p.text` holds for each.

    A passage never cuts a sentence, except a "sentence" longer than `target_words` (a table or
    a list without punctuation), which is cut at word boundaries so that no passage grows unbounded.
    In a spreadsheet (locator "row") every heading is a sheet: a passage never crosses one.
    """
    return [
        passage_of(doc, ordinal, start, end)
        for ordinal, (start, end) in enumerate(passage_spans(doc, settings))
    ]


def passage_spans(
    doc: Document, settings: ChunkSettings | None = None
) -> Iterator[tuple[int, int]]:
    """(start, end) in `doc.text` of each passage `chunk_document` makes, in order."""
    settings = settings or ChunkSettings()
    min_words = 0 if locator_of(doc.kind) == "row" else settings.min_words
    current: list[_Unit] = []
    words = 0  # in `current`
    # Sentences are read one at a time and a passage is made as soon as its window closes: a
    # large document's sentences (about 550,000 in a 50 MB text) are never all held at once.
    for unit in _units(doc, settings.target_words):
        at_heading = unit.heading and words >= min_words
        if current and (at_heading or words + unit.words > settings.target_words):
            yield current[0].start, current[-1].end
            current = [] if at_heading else _overlap(current, settings.overlap_words)
            words = sum(u.words for u in current)
            # The carried sentences give way when they and the new one would pass the target.
            while current and words + unit.words > settings.target_words:
                words -= current.pop(0).words
        current.append(unit)
        words += unit.words
    if current:
        yield current[0].start, current[-1].end


class ChunkedPassages(LazyPassages):
    """The passages of some documents, in order, kept as (document, start, end) rows and made
    when read: a large document's passages are then slices of its text made on demand, not
    copies all held at once (a 50 MB text's 46,000 passages hold 66 MB of text as copies)."""

    def __init__(self, docs: Sequence[Document], settings: ChunkSettings | None = None) -> None:
        self.docs = list(docs)
        rows = array("q")  # document index, ordinal, start, end per passage
        for i, doc in enumerate(self.docs):
            for ordinal, (start, end) in enumerate(passage_spans(doc, settings)):
                rows.extend((i, ordinal, start, end))
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows) // 4

    def __iter__(self) -> Iterator[Passage]:
        return (self._read(i) for i in range(len(self)))

    def _read(self, row: int) -> Passage:
        doc, ordinal, start, end = self._rows[4 * row : 4 * row + 4]
        return passage_of(self.docs[doc], ordinal, start, end)


def _units(doc: Document, max_words: int) -> Iterator[_Unit]:
    heading_starts = {h.start for h in doc.headings}
    for start, end in iter_sentences(doc.text):
        words = len(doc.text[start:end].split())
        if words <= max_words:  # nearly every sentence: counted once, no regex
            yield _Unit(start, end, words, start in heading_starts)
            continue
        for a, b in _cut_long(doc.text, start, end, max_words):
            yield _Unit(a, b, len(doc.text[a:b].split()), a in heading_starts)


def _cut_long(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    words = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    return [
        (start + words[i][0], start + words[min(i + max_words, len(words)) - 1][1])
        for i in range(0, len(words), max_words)
    ]


def _overlap(window: list[_Unit], overlap_words: int) -> list[_Unit]:
    """The longest run of trailing sentences within `overlap_words` (never the whole window)."""
    carried: list[_Unit] = []
    total = 0
    for unit in reversed(window[1:]):
        if unit.heading or total + unit.words > overlap_words:
            break
        carried.insert(0, unit)
        total += unit.words
    return carried


def passage_of(doc: Document, ordinal: int, start: int, end: int) -> Passage:
    """Passage `ordinal` of `doc`, `doc.text[start:end]`, with its page and section."""
    first, last = doc.page_at(start), doc.page_at(end - 1)
    return Passage(
        id=f"{doc.id}#{ordinal}",
        doc_id=doc.id,
        text=doc.text[start:end],
        start=start,
        end=end,
        page=first.number if first else None,
        page_end=last.number if last else None,
        page_label=first.label if first else None,
        section=doc.main_section(start, end),
    )
