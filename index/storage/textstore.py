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
    segments/<name>/documents.npy  int64[documents, 12] (DOC_* columns): its strings, its
                                   passage rows and its rows of the two below; DOC_META is a
                                   JSON object: {"metadata": {...}, "modified": ISO date,
                                   "ingested": ISO date}
    segments/<name>/document_keys.npy  int64[documents]: a 64-bit hash of each document's id,
                                   sorted, documents.npy in the same order: a document is found
                                   by id with one binary search over numbers
    segments/<name>/pages.npy      int64[pages, 3]: number, start, label (a string)
    segments/<name>/headings.npy   int64[headings, 4]: start, end, title (a string), level
    segments/<name>/passages.npy   int64[rows, 8] in vector order (PASSAGE_* columns); -1 is None

A string is a row of strings.npy; repeated small strings (kinds, section titles, page labels) are
stored once.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import numpy as np

from citeqa.corpus import Document, Heading, LazyPassages, Page, Passage

TEXT_FILES = (
    "texts.bin",
    "strings.npy",
    "documents.npy",
    "document_keys.npy",
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
    DOC_META,
) = range(12)
DOC_COLUMNS = 12
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
CACHED_PASSAGES = 1024  # per segment (about 1.5 kB each for English text)
CACHED_DOCUMENTS = 1024


# Characters encoded at a time: a long document's text (a 50 MB file: ~95 MB in UTF-16) goes
# into the store's bytes without a whole encoded copy beside it.
ENCODE_SLICE = 1 << 22


def append_encoded(blob: bytearray, text: str, slice_chars: int = ENCODE_SLICE) -> int:
    """Append `text` to `blob` in the narrowest fixed-width encoding that holds it (1, 2 or 4
    bytes a character), `slice_chars` characters at a time; its width."""
    start = len(blob)
    for width in (1, 2):
        try:
            for i in range(0, len(text), slice_chars):
                piece = text[i : i + slice_chars]
                # strict: UTF-16 refuses lone surrogates, which it could not give back one for one
                data = piece.encode(CODECS[width])
                if len(data) != width * len(piece):  # a character outside the BMP: two units
                    raise UnicodeError
                blob += data
            return width
        except UnicodeError:  # too narrow: start again one width wider
            del blob[start:]
    for i in range(0, len(text), slice_chars):
        blob += text[i : i + slice_chars].encode(CODECS[4], "surrogatepass")
    return 4


def document_key(doc_id: str) -> int:
    """A stable 64-bit hash of a document id (Python's own hash() changes with each process)."""
    digest = hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def decode(data: bytes | bytearray, width: int) -> str:
    return data.decode(CODECS[width], "surrogatepass" if width == 4 else "strict")


class TextStoreBuilder:
    """Builds a TextStore in memory from documents and passages added one at a time (a passage
    after its document), so that reading JSON Lines never holds more than one document's objects."""

    def __init__(self) -> None:
        self.blob = bytearray()
        self.strings = array("q")  # (first byte, end byte, width) a string
        self.shared: dict[str, int] = {}
        self.doc_index: dict[str, int] = {}  # id -> order added
        self.doc_ids: list[str] = []
        self.documents = array("q")  # DOC_* columns a document, passage rows left at 0
        # The time a document is first indexed; one per builder, so a segment's documents agree.
        self.now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.pages, self.headings, self.passages = array("q"), array("q"), array("q")

    def _add(self, text: str) -> int:
        start = len(self.blob)
        width = append_encoded(self.blob, text)
        self.strings.extend((start, len(self.blob), width))
        return len(self.strings) // 3 - 1

    def _add_shared(self, text: str | None) -> int:
        """A small string that repeats (a kind, a section title, a page label), stored once."""
        if text is None:
            return NONE
        if text not in self.shared:
            self.shared[text] = self._add(text)
        return self.shared[text]

    def add_document(self, doc: Document) -> None:
        if doc.id in self.doc_index:
            raise ValueError(f"two documents have the id {doc.id!r}")
        self.doc_index[doc.id] = len(self.doc_ids)
        self.doc_ids.append(doc.id)
        page_start, heading_start = len(self.pages) // 3, len(self.headings) // 4
        for page in doc.pages:
            self.pages.extend((page.number, page.start, self._add_shared(page.label)))
        for h in doc.headings:
            self.headings.extend((h.start, h.end, self._add_shared(h.title), h.level))
        self.documents.extend(
            (
                self._add(doc.id),
                self._add(doc.title),
                self._add_shared(doc.sha256),
                self._add_shared(doc.kind),
                self._add(doc.text),
                0,
                0,
                page_start,
                len(self.pages) // 3,
                heading_start,
                len(self.headings) // 4,
                self._add(self._meta(doc)),
            )
        )

    def _meta(self, doc: Document) -> str:
        """The DOC_META string: a document kept from an older segment keeps its dates."""
        ingested = doc.ingested or self.now
        return json.dumps(
            {"metadata": doc.metadata, "modified": doc.modified or ingested, "ingested": ingested},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def add_passage(
        self,
        id: str,
        doc_id: str,
        start: int,
        end: int,
        page: int | None = None,
        page_end: int | None = None,
        page_label: str | None = None,
        section: str | None = None,
    ) -> None:
        """The next passage row (the Passage fields but its text, which is the document's)."""
        head, _, ordinal = id.rpartition("#")
        if head != doc_id or not ordinal.isdigit() or str(int(ordinal)) != ordinal:
            raise ValueError(f"passage id {id!r} is not '<document id>#<ordinal>'")
        if doc_id not in self.doc_index:
            raise ValueError(f"passage {id!r} of a document not added before it")
        self.passages.extend(
            (
                self.doc_index[doc_id],
                int(ordinal),
                start,
                end,
                NONE if page is None else page,
                NONE if page_end is None else page_end,
                self._add_shared(page_label),
                self._add_shared(section),
            )
        )

    def finish(self) -> TextStore:
        """The store: documents in the order of their keys, each with its passage rows."""
        passages = _table(self.passages, 8)
        documents = _table(self.documents, DOC_COLUMNS)
        owners = passages[:, PASSAGE_DOC]
        count = np.bincount(owners, minlength=len(documents))
        rows = np.arange(len(passages))
        first = np.full(len(documents), len(passages), np.int64)
        np.minimum.at(first, owners, rows)
        end = np.zeros(len(documents), np.int64)
        np.maximum.at(end, owners, rows + 1)
        has = count > 0
        if np.any(end[has] - first[has] != count[has]):
            scattered = self.doc_ids[int(np.flatnonzero(has & (end - first != count))[0])]
            raise ValueError(f"the passages of {scattered!r} are not contiguous")
        documents[:, DOC_ROW_START] = np.where(has, first, 0)
        documents[:, DOC_ROW_END] = np.where(has, end, 0)
        keys = np.array([document_key(doc_id) for doc_id in self.doc_ids], np.int64)
        order = np.argsort(keys, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        passages[:, PASSAGE_DOC] = rank[owners]
        return TextStore(
            self.blob,
            _table(self.strings, 3),
            documents[order],
            keys[order],
            _table(self.pages, 3),
            _table(self.headings, 4),
            passages,
        )


def _table(values: array, columns: int) -> np.ndarray:  # type: ignore[type-arg]
    return np.frombuffer(values, dtype=np.int64).reshape(-1, columns).copy()


@dataclass
class TextStore:
    """The documents and passages of one segment: tables and strings, in memory (`build`) or
    memory-mapped (`open`). Row i of `passages` is the passage embedded by vector row i."""

    blob: bytes | bytearray | mmap.mmap  # texts.bin
    strings: np.ndarray
    documents: np.ndarray
    document_keys: np.ndarray
    pages: np.ndarray
    headings: np.ndarray
    passages: np.ndarray

    @classmethod
    def build(cls, docs: Iterable[Document], passages: Iterable[Passage]) -> TextStore:
        """The store of `docs` and their `passages` (in vector order; a document's passages are
        contiguous), in memory. Passage texts are not stored: they are cut out of the document."""
        builder = TextStoreBuilder()
        for doc in docs:
            builder.add_document(doc)
        for p in passages:
            builder.add_passage(
                p.id, p.doc_id, p.start, p.end, p.page, p.page_end, p.page_label, p.section
            )
        return builder.finish()

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
            blob: bytes | bytearray | mmap.mmap = (
                mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
            )
        if isinstance(blob, mmap.mmap):
            blob.madvise(mmap.MADV_RANDOM)  # a passage reads a few hundred bytes
        # Plain arrays over the maps: indexing a np.memmap costs several microseconds more.
        tables = [np.asarray(np.load(folder / name, mmap_mode="r")) for name in _TABLES]
        store = cls(blob, *tables)
        store.check()
        return store

    def check(self) -> None:
        """Shapes and bounds that a truncated or foreign file would break (ValueError)."""
        widths = {"strings": 3, "documents": DOC_COLUMNS, "pages": 3, "headings": 4, "passages": 8}
        for name, width in widths.items():
            table = getattr(self, name)
            if table.ndim != 2 or table.shape[1] != width or table.dtype != np.int64:
                raise ValueError(f"{name}.npy has shape {table.shape} of {table.dtype}")
        if self.document_keys.shape != (len(self.documents),):
            raise ValueError(f"document_keys.npy has shape {self.document_keys.shape}")
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

    def __post_init__(self) -> None:
        # The passages and documents read last, kept: the same ones come back question after
        # question (on the dev set: all of them), and reading one costs about 5 us. Bounded, so a
        # worker's memory does not grow with the index.
        self._cached_passage = lru_cache(maxsize=CACHED_PASSAGES)(self._read_passage)
        self._cached_find = lru_cache(maxsize=CACHED_DOCUMENTS)(self._find)
        self._cached_document = lru_cache(maxsize=CACHED_DOCUMENTS)(partial(StoredDocument, self))

    def passage(self, row: int) -> Passage:
        return self._cached_passage(row)

    def _read_passage(self, row: int) -> Passage:
        doc, ordinal, start, end, page, page_end, label, section = self.passages[row].tolist()
        fields = self.documents[doc].tolist()
        doc_id, text_string = self.string(fields[DOC_ID]), fields[DOC_TEXT]
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
        """The row of `doc_id` in `documents`, or None."""
        return self._cached_find(doc_id)

    def _find(self, doc_id: str) -> int | None:
        key = document_key(doc_id)
        row = int(np.searchsorted(self.document_keys, key))
        while row < len(self.document_keys) and self.document_keys[row] == key:
            if self.string(int(self.documents[row, DOC_ID])) == doc_id:
                return row
            row += 1  # another id with the same hash: a 1 in 2^64 chance
        return None

    def document(self, i: int) -> StoredDocument:
        return self._cached_document(i)

    def spans(self) -> Iterator[tuple[int, str, int, int]]:
        """(document row, id, first passage row, end passage row) of every document, in
        passage row order."""
        columns = np.array(self.documents[:, [DOC_ID, DOC_ROW_START, DOC_ROW_END]])
        for row in np.argsort(columns[:, 1], kind="stable").tolist():
            doc_id, start, end = columns[row].tolist()
            yield row, self.string(doc_id) or "", start, end


TRAIL_LOOKBACK = 500  # headings read back from a passage for the ones enclosing it


class StoredDocument:
    """A document of a TextStore: its small fields read at once, its text, pages and headings
    when asked for (`characters` and `page_count` need neither)."""

    __slots__ = (
        "_described",
        "_row",
        "_store",
        "characters",
        "id",
        "kind",
        "page_count",
        "sha256",
        "title",
    )

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
        self._described: dict[str, Any] | None = None

    def _meta(self) -> dict[str, Any]:
        if self._described is None:
            raw = self._store.string(int(self._store.documents[self._row, DOC_META]))
            self._described = json.loads(raw or "{}")
        return self._described

    @property
    def metadata(self) -> dict[str, str | list[str]]:
        """What the document says about itself (corpus/metadata.py)."""
        return dict(self._meta().get("metadata", {}))

    @property
    def modified(self) -> str:
        """ISO 8601 UTC: the source's modification date, else its file's, else `ingested`."""
        return str(self._meta().get("modified", ""))

    @property
    def ingested(self) -> str:
        """ISO 8601 UTC: when this content was first indexed."""
        return str(self._meta().get("ingested", ""))

    @property
    def text(self) -> str:
        return self._store.string(int(self._store.documents[self._row, DOC_TEXT])) or ""

    def opening(self, chars: int) -> str:
        """The first `chars` characters of the text, read without the rest."""
        string = int(self._store.documents[self._row, DOC_TEXT])
        return self._store._slice(string, 0, min(chars, self.characters))

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

    def heading_trail(self, offset: int) -> list[str]:
        """The titles of the headings a passage starting at `offset` stands under, outermost
        first ("[v1.6.0] — 2024-06-25", "Changed"), not one starting there: what a passage
        cut from its section's top no longer says. Read by bisection, each title once."""
        start, end = self._store.documents[self._row, [DOC_HEADING_START, DOC_HEADING_END]].tolist()
        table = self._store.headings[start:end]
        at = int(np.searchsorted(table[:, 0], offset, side="left"))
        # a heading opening the passage is its own, and closes the sections of its level
        level = int(table[at, 3]) if at < len(table) and table[at, 0] == offset else None
        at -= 1
        trail: list[int] = []
        # a heading of a higher level than the last kept encloses it; a few hundred back is
        # far enough for any real outline
        for row in range(at, max(at - TRAIL_LOOKBACK, -1), -1):
            if level is None or table[row, 3] < level:
                trail.append(int(table[row, 2]))
                level = int(table[row, 3])
                if level <= 1:
                    break
        return [self._store.string(title) or "" for title in reversed(trail)]

    def load(self) -> Document:
        """The whole Document, text included."""
        return Document(
            self.id,
            self.title,
            self.text,
            self.sha256,
            self.kind,
            self.pages,
            self.headings,
            self.metadata,
            self.modified,
            self.ingested,
        )


class Passages(LazyPassages):
    """The passages of a TextStore, each read when indexed."""

    def __init__(self, store: TextStore) -> None:
        self._store = store

    def __len__(self) -> int:
        return self._store.rows

    def _read(self, row: int) -> Passage:
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
