"""A segment's documents and passages on disk, memory-mapped and read on demand.

Loading a segment reads no text and makes no object per passage or document: a passage (its
text, id and citation fields) is read when search looks at it, a document's text when it is asked
for. The files are shared by every worker process through the page cache.

    segments/<name>/texts.bin      every string of the segment back to back (document texts, ids,
                                   titles, section titles, page labels), each in the narrowest
                                   fixed-width encoding that holds its characters (latin-1,
                                   UTF-16 without surrogates, or UTF-32: CPython's own choice), so
                                   a character offset is a byte offset divided by the width and a
                                   passage is cut out of its document in O(1)
    segments/<name>/strings.npy    int64[strings, 3]: first byte, end byte, width (1, 2 or 4)
    segments/<name>/documents.npy  int64[documents, 11] sorted by document id (DOC_* columns):
                                   its strings, its passage rows and its rows of the two below
    segments/<name>/pages.npy      int64[pages, 3]: number, start, label (a string)
    segments/<name>/headings.npy   int64[headings, 4]: start, end, title (a string), level
    segments/<name>/passages.npy   int64[rows, 8] in vector order (PASSAGE_* columns); -1 is None

A string is a row of strings.npy; repeated small strings (kinds, section titles, page labels) are
stored once.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np

from citeqa.corpus import Document, Heading, Page, Passage

TEXT_FILES = (
    "texts.bin",
    "strings.npy",
    "documents.npy",
    "pages.npy",
    "headings.npy",
    "passages.npy",
)
_TABLES = TEXT_FILES[1:]
CODECS = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}
(
    DOC_ID,
    DOC_TITLE,
    DOC_SHA256,
    DOC_KIND,
    DOC_TEXT,
    DOC_ROW_START,
    DOC_ROW_END,
    DOC_PAGE_START,
    DOC_PAGE_END,
    DOC_HEADING_START,
    DOC_HEADING_END,
) = range(11)
(
    PASSAGE_DOC,  # a row of documents.npy
    PASSAGE_ORDINAL,  # the passage id is "<doc id>#<ordinal>"
    PASSAGE_START,
    PASSAGE_END,
    PASSAGE_PAGE,
    PASSAGE_PAGE_END,
    PASSAGE_PAGE_LABEL,
    PASSAGE_SECTION,
) = range(8)
NONE = -1


def encode(text: str) -> tuple[int, bytes]:
    """(width, bytes): `text` in the narrowest fixed-width encoding that holds it."""
    if text.isascii():
        return 1, text.encode("ascii")
    try:
        return 1, text.encode("latin-1")
    except UnicodeEncodeError:
        pass
    try:  # strict: refuses lone surrogates, which UTF-16 could not give back one for one
        data = text.encode("utf-16-le")
        if len(data) == 2 * len(text):  # no character outside the BMP (they take two units)
            return 2, data
    except UnicodeEncodeError:
        pass
    return 4, text.encode("utf-32-le", "surrogatepass")


def decode(data: bytes, width: int) -> str:
    return data.decode(CODECS[width], "surrogatepass" if width == 4 else "strict")


class _Writer:
    """Collects the strings and tables of a TextStore being built."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.strings: list[tuple[int, int, int]] = []
        self.size = 0
        self.shared: dict[str, int] = {}

    def add(self, text: str) -> int:
        width, data = encode(text)
        self.chunks.append(data)
        self.strings.append((self.size, self.size + len(data), width))
        self.size += len(data)
        return len(self.strings) - 1

    def add_shared(self, text: str | None) -> int:
        """A small string that repeats (a kind, a section title, a page label), stored once."""
        if text is None:
            return NONE
        if text not in self.shared:
            self.shared[text] = self.add(text)
        return self.shared[text]


@dataclass
class TextStore:
    """The documents and passages of one segment: tables and strings, in memory (`build`) or
    memory-mapped (`open`). Row i of `passages` is the passage embedded by vector row i."""

    blob: bytes | mmap.mmap  # texts.bin
    strings: np.ndarray
    documents: np.ndarray
    pages: np.ndarray
    headings: np.ndarray
    passages: np.ndarray

    @classmethod
    def build(cls, docs: Iterable[Document], passages: Sequence[Passage]) -> TextStore:
        """The store of `docs` and their `passages` (in vector order; a document's passages are
        contiguous), in memory. Passage texts are not stored: they are cut out of the document."""
        writer = _Writer()
        docs = sorted(docs, key=lambda d: d.id)
        doc_row = {doc.id: i for i, doc in enumerate(docs)}
        rows: dict[str, list[int]] = {}
        table = np.empty((len(passages), 8), np.int64)
        for i, p in enumerate(passages):
            head, _, ordinal = p.id.rpartition("#")
            if head != p.doc_id or not ordinal.isdigit() or str(int(ordinal)) != ordinal:
                raise ValueError(f"passage id {p.id!r} is not '<document id>#<ordinal>'")
            rows.setdefault(p.doc_id, []).append(i)
            table[i] = (
                doc_row[p.doc_id],
                int(ordinal),
                p.start,
                p.end,
                NONE if p.page is None else p.page,
                NONE if p.page_end is None else p.page_end,
                writer.add_shared(p.page_label),
                writer.add_shared(p.section),
            )
        documents = np.empty((len(docs), 11), np.int64)
        pages: list[tuple[int, int, int]] = []
        headings: list[tuple[int, int, int, int]] = []
        for i, doc in enumerate(docs):
            mine = rows.get(doc.id, [])
            if mine and mine != list(range(mine[0], mine[-1] + 1)):
                raise ValueError(f"the passages of {doc.id!r} are not contiguous")
            first, end = (mine[0], mine[-1] + 1) if mine else (0, 0)
            page_start, heading_start = len(pages), len(headings)
            pages.extend((p.number, p.start, writer.add_shared(p.label)) for p in doc.pages)
            headings.extend(
                (h.start, h.end, writer.add_shared(h.title), h.level) for h in doc.headings
            )
            documents[i] = (
                writer.add(doc.id),
                writer.add(doc.title),
                writer.add_shared(doc.sha256),
                writer.add_shared(doc.kind),
                writer.add(doc.text),
                first,
                end,
                page_start,
                len(pages),
                heading_start,
                len(headings),
            )
        if set(rows) - set(doc_row):
            raise ValueError(f"passages of unknown documents: {sorted(set(rows) - set(doc_row))}")
        return cls(
            b"".join(writer.chunks),
            np.array(writer.strings, np.int64).reshape(-1, 3),
            documents,
            np.array(pages, np.int64).reshape(-1, 3),
            np.array(headings, np.int64).reshape(-1, 4),
            table,
        )

    def write(self, folder: Path) -> None:
        """The files into `folder`, fsynced (the caller fsyncs the folder)."""
        with (folder / TEXT_FILES[0]).open("wb") as f:
            f.write(self.blob)
            _sync(f)
        for name in _TABLES:
            with (folder / name).open("wb") as f:
                np.save(f, getattr(self, name.removesuffix(".npy")))
                _sync(f)

    @classmethod
    def open(cls, folder: Path) -> TextStore:
        """The store written into `folder`, memory-mapped (shared by every process that maps it)."""
        with (folder / TEXT_FILES[0]).open("rb") as f:
            size = f.seek(0, 2)
            blob: bytes | mmap.mmap = (
                mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
            )
        if isinstance(blob, mmap.mmap):
            blob.madvise(mmap.MADV_RANDOM)  # a passage reads a few hundred bytes
        tables = [np.load(folder / name, mmap_mode="r") for name in _TABLES]
        store = cls(blob, *tables)
        store.check()
        return store

    def check(self) -> None:
        """Shapes and bounds that a truncated or foreign file would break (ValueError)."""
        widths = {"strings": 3, "documents": 11, "pages": 3, "headings": 4, "passages": 8}
        for name, width in widths.items():
            table = getattr(self, name)
            if table.ndim != 2 or table.shape[1] != width or table.dtype != np.int64:
                raise ValueError(f"{name}.npy has shape {table.shape} of {table.dtype}")
        if len(self.strings) and int(self.strings[-1, 1]) != len(self.blob):
            raise ValueError(f"texts.bin holds {len(self.blob)} bytes, strings.npy needs more")

    # --- reading --------------------------------------------------------------------------

    @property
    def rows(self) -> int:
        return len(self.passages)

    def string(self, i: int) -> str | None:
        if i == NONE:
            return None
        start, end, width = self.strings[i].tolist()
        return decode(self.blob[start:end], width)

    def _slice(self, i: int, start: int, end: int) -> str:
        """Characters [start, end) of string `i`."""
        first, last, width = self.strings[i].tolist()
        a, b = first + start * width, first + end * width
        if not first <= a <= b <= last:
            raise ValueError(f"characters {start}:{end} are outside string {i}")
        return decode(self.blob[a:b], width)

    def passage(self, row: int) -> Passage:
        doc, ordinal, start, end, page, page_end, label, section = self.passages[row].tolist()
        doc_id_string, text_string = self.documents[doc, [DOC_ID, DOC_TEXT]].tolist()
        doc_id = self.string(doc_id_string)
        assert doc_id is not None
        return Passage(
            id=f"{doc_id}#{ordinal}",
            doc_id=doc_id,
            text=self._slice(text_string, start, end),
            start=start,
            end=end,
            page=None if page == NONE else page,
            page_end=None if page_end == NONE else page_end,
            page_label=self.string(label),
            section=self.string(section),
        )

    def find(self, doc_id: str) -> int | None:
        """The row of `doc_id` in `documents` (binary search over the sorted ids), or None."""
        low, high = 0, len(self.documents)
        while low < high:
            middle = (low + high) // 2
            if self.string(int(self.documents[middle, DOC_ID])) < doc_id:  # type: ignore[operator]
                low = middle + 1
            else:
                high = middle
        if low < len(self.documents) and self.string(int(self.documents[low, DOC_ID])) == doc_id:
            return low
        return None

    def document(self, i: int) -> StoredDocument:
        return StoredDocument(self, i)

    def spans(self) -> Iterator[tuple[int, str, int, int]]:
        """(document row, id, first passage row, end passage row) of every document, in
        passage row order."""
        columns = np.array(self.documents[:, [DOC_ID, DOC_ROW_START, DOC_ROW_END]])
        for row in np.argsort(columns[:, 1], kind="stable").tolist():
            doc_id, start, end = columns[row].tolist()
            yield row, self.string(doc_id) or "", start, end


class StoredDocument:
    """A document of a TextStore: its small fields read at once, its text, pages and headings
    when asked for (`characters` and `page_count` need neither)."""

    __slots__ = ("_row", "_store", "characters", "id", "kind", "page_count", "sha256", "title")

    def __init__(self, store: TextStore, row: int) -> None:
        self._store, self._row = store, row
        fields = store.documents[row].tolist()
        self.id: str = store.string(fields[DOC_ID]) or ""
        self.title: str = store.string(fields[DOC_TITLE]) or ""
        self.sha256: str = store.string(fields[DOC_SHA256]) or ""
        self.kind: str = store.string(fields[DOC_KIND]) or ""
        text_start, text_end, width = store.strings[fields[DOC_TEXT]].tolist()
        self.characters = (text_end - text_start) // width
        self.page_count = fields[DOC_PAGE_END] - fields[DOC_PAGE_START]

    @property
    def text(self) -> str:
        return self._store.string(int(self._store.documents[self._row, DOC_TEXT])) or ""

    @property
    def pages(self) -> list[Page]:
        start, end = self._store.documents[self._row, [DOC_PAGE_START, DOC_PAGE_END]].tolist()
        return [
            Page(number, begin, self._store.string(label) or "")
            for number, begin, label in self._store.pages[start:end].tolist()
        ]

    @property
    def headings(self) -> list[Heading]:
        start, end = self._store.documents[self._row, [DOC_HEADING_START, DOC_HEADING_END]].tolist()
        return [
            Heading(begin, finish, self._store.string(title) or "", level)
            for begin, finish, title, level in self._store.headings[start:end].tolist()
        ]

    def load(self) -> Document:
        """The whole Document, text included."""
        return Document(
            self.id, self.title, self.text, self.sha256, self.kind, self.pages, self.headings
        )


class Passages(Sequence[Passage]):
    """The passages of a TextStore as a read-only sequence, each read when indexed."""

    def __init__(self, store: TextStore) -> None:
        self._store = store

    def __len__(self) -> int:
        return self._store.rows

    @overload
    def __getitem__(self, row: int) -> Passage: ...
    @overload
    def __getitem__(self, row: slice) -> list[Passage]: ...
    def __getitem__(self, row: int | slice) -> Passage | list[Passage]:
        if isinstance(row, slice):
            return [self._store.passage(r) for r in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        return self._store.passage(row)


class Documents(Mapping[str, StoredDocument]):
    """The documents of a TextStore by id, each read when looked up."""

    def __init__(self, store: TextStore) -> None:
        self._store = store

    def __getitem__(self, doc_id: str) -> StoredDocument:
        row = self._store.find(doc_id)
        if row is None:
            raise KeyError(doc_id)
        return self._store.document(row)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self._store.find(doc_id) is not None

    def __iter__(self) -> Iterator[str]:
        return (doc_id for _, doc_id, _, _ in self._store.spans())

    def __len__(self) -> int:
        return len(self._store.documents)


def _sync(f) -> None:  # type: ignore[no-untyped-def]
    f.flush()
    os.fsync(f.fileno())
