"""A loaded, searchable index version: its segments in one global row space, and loading one.

Segment i's row r is global row offsets[i] + r; rows of documents replaced or removed since the
segment was written are dead and never come back from a search. Segments already loaded for an
older version are shared, so a reload after a write reads only the new segments.
"""

from __future__ import annotations

import bisect
import json
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from citeqa.corpus import LazyPassages, Passage
from citeqa.index.encoder.base import Encoder
from citeqa.index.retrieval.keyword import SegmentedKeywordIndex
from citeqa.index.retrieval.scope import Allowed, DocumentFilter
from citeqa.index.retrieval.sentences import SentenceScores, ranges
from citeqa.index.vectorstores.base import VectorStore

from .manifest import (
    FORMAT_VERSION,
    IndexDamagedError,
    IndexFormatError,
    IndexMismatchError,
    Manifest,
    NoIndexError,
    StoreError,
    current_version,
    store_kind,
)
from .segment import Segment, load_segment
from .textstore import DOC_ID, DOC_KIND, DOC_ROW_END, DOC_ROW_START, StoredDocument

CACHED_SCOPES = 64  # filters whose allowed rows a version keeps (a mask is one byte a passage)
# A Milvus search takes the allowed documents as a `doc_id in [...]` expression up to this many;
# a wider filter searches unfiltered and keeps the allowed rows, fetching more until k are found.
STORE_FILTER_DOCUMENTS = 4096


class VersionPassages(LazyPassages):
    """Every row of a version, dead ones too, in global row order; each read when indexed."""

    def __init__(self, segments: list[Segment], offsets: list[int]) -> None:
        self._segments, self._offsets = segments, offsets
        self._size = sum(s.rows for s in segments)

    def __len__(self) -> int:
        return self._size

    def _read(self, row: int) -> Passage:
        i = bisect.bisect_right(self._offsets, row) - 1
        return self._segments[i].passages[row - self._offsets[i]]


class LiveDocuments(Mapping[str, StoredDocument]):
    """The live documents of a version by id, each read from its segment when looked up."""

    def __init__(self, placement: dict[str, str], segments: list[Segment]) -> None:
        self._placement = placement
        self._segments = {s.name: s for s in segments}

    def __getitem__(self, doc_id: str) -> StoredDocument:
        return self._segments[self._placement[doc_id]].documents[doc_id]

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._placement

    def __iter__(self) -> Iterator[str]:
        return iter(self._placement)

    def __len__(self) -> int:
        return len(self._placement)


@dataclass
class IndexVersion:
    """A loaded, searchable version: its segments' rows in one global row space (segment i's
    row r is global row offsets[i] + r); rows of replaced or removed documents are `dead`."""

    path: Path
    manifest: Manifest
    segments: list[Segment]
    offsets: list[int]
    documents: LiveDocuments  # the live documents
    passages: VersionPassages  # every row, dead ones too, in global row order
    dead: np.ndarray  # sorted global rows of documents not live in their segment
    segment_dead: list[np.ndarray] = field(repr=False)  # the same, per segment, as segment rows
    keyword: SegmentedKeywordIndex = field(repr=False)
    store: VectorStore | None = field(default=None, repr=False)  # where vectors live if not files
    _scopes: dict[DocumentFilter, Allowed] = field(default_factory=dict, repr=False)
    _scopes_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def passage_counts(self) -> Counter[str]:
        """doc id -> number of passages."""
        return Counter(self.manifest.doc_passages)

    @cached_property
    def sorted_ids(self) -> list[str]:
        """The live document ids in order (pages of GET /documents)."""
        return sorted(self.documents)

    def live_rows(self) -> np.ndarray:
        return np.setdiff1d(np.arange(len(self.passages)), self.dead, assume_unique=True)

    def vectors_of(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """float32[len(rows), d]: the vectors of these global rows, in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        if self.store is not None:
            return self.store.get(self.ids_of(rows))
        out = np.empty((len(rows), self.manifest.dimension), np.float32)
        which = np.searchsorted(self.offsets, rows, side="right") - 1
        for i, segment in enumerate(self.segments):
            mine = np.flatnonzero(which == i)
            if mine.size:
                out[mine] = segment.vectors[rows[mine] - self.offsets[i]]  # type: ignore[index]
        return out

    def sentence_scores(
        self, rows: Sequence[int] | np.ndarray, query: np.ndarray
    ) -> SentenceScores:
        """The cosines between `query` (float32[d]) and the sentences of these global rows, in
        that order (a row of a segment written without sentence vectors has none)."""
        rows = np.asarray(rows, dtype=np.int64)
        which = np.searchsorted(self.offsets, rows, side="right") - 1
        firsts, counts = np.zeros(len(rows), np.int64), np.zeros(len(rows), np.int64)
        for i, segment in enumerate(self.segments):
            mine = np.flatnonzero(which == i)
            if mine.size and segment.sentences is not None:
                local = rows[mine] - self.offsets[i]
                firsts[mine] = segment.sentences.starts[local]
                counts[mine] = segment.sentences.starts[local + 1] - firsts[mine]
        bounds = np.concatenate([[0], np.cumsum(counts)])
        spans = np.empty((int(bounds[-1]), 2), np.int32)
        cosines = np.empty(int(bounds[-1]), np.float32)
        for i, segment in enumerate(self.segments):
            mine = np.flatnonzero((which == i) & (counts > 0))
            if mine.size and segment.sentences is not None:
                at = ranges(bounds[mine], counts[mine])
                taken = ranges(firsts[mine], counts[mine])
                cosines[at] = segment.sentences.cosines(taken, query)
                spans[at] = segment.sentences.rows[taken, 1:]
        return SentenceScores(bounds, spans, cosines)

    def ids_of(self, rows: np.ndarray) -> np.ndarray:
        """The passage ids ((seq << 32) | segment row) of these global rows."""
        which = np.searchsorted(self.offsets, rows, side="right") - 1
        seqs = np.array([s.seq for s in self.segments], dtype=np.int64)[which]
        return (seqs << np.int64(32)) | (rows - np.asarray(self.offsets, dtype=np.int64)[which])

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """The global rows of these passage ids; -1 for ids of no segment of this version."""
        offset_of = {s.seq: o for s, o in zip(self.segments, self.offsets, strict=True)}
        rows_in = {s.seq: s.rows for s in self.segments}
        seqs, local = ids >> np.int64(32), ids & np.int64(0xFFFFFFFF)
        return np.array(
            [
                offset_of[q] + r if q in offset_of and r < rows_in[q] else -1
                for q, r in zip(seqs.tolist(), local.tolist(), strict=True)
            ],
            dtype=np.int64,
        )

    def allowed(self, wanted: DocumentFilter) -> Allowed:
        """The live passages of the documents `wanted` matches (computed once per filter)."""
        found = self._scopes.get(wanted)
        if found is None:
            found = self._allowed(wanted)
            with self._scopes_lock:
                if len(self._scopes) >= CACHED_SCOPES:
                    self._scopes.clear()  # bounded and simple: refilled by the filters in use
                self._scopes[wanted] = found
        return found

    def _allowed(self, wanted: DocumentFilter) -> Allowed:
        mask = np.zeros(len(self.passages), dtype=bool)
        ids: list[str] = []
        by_name = {s.name: (s, o) for s, o in zip(self.segments, self.offsets, strict=True)}
        if wanted.documents is not None and len(wanted.documents) < len(self.documents):
            # A list of ids: look each up rather than read every document of the version.
            for doc_id in sorted(wanted.documents):
                name = self.manifest.placement.get(doc_id)
                if name is not None:
                    segment, offset = by_name[name]
                    row = segment.texts.find(doc_id)
                    if row is not None and self._take(segment, offset, row, wanted, mask):
                        ids.append(doc_id)
            return Allowed(mask, tuple(ids))
        for segment, offset in zip(self.segments, self.offsets, strict=True):
            table = segment.texts.documents
            rows = np.arange(len(table))
            if wanted.kinds is not None:  # kinds are shared strings: compared by number
                kinds = np.unique(table[:, DOC_KIND])
                take = [k for k in kinds.tolist() if segment.texts.string(k) in wanted.kinds]
                rows = rows[np.isin(table[:, DOC_KIND], take)]
            for row in rows.tolist():
                doc_id = segment.texts.string(int(table[row, DOC_ID])) or ""
                if self.manifest.placement.get(doc_id) != segment.name:
                    continue  # replaced or removed since this segment was written
                if wanted.matches_name(doc_id) and self._take(segment, offset, row, wanted, mask):
                    ids.append(doc_id)
        return Allowed(mask, tuple(sorted(ids)))

    @staticmethod
    def _take(
        segment: Segment, offset: int, row: int, wanted: DocumentFilter, mask: np.ndarray
    ) -> bool:
        """Mark the passages of the segment's document `row` if `wanted` matches it."""
        if not wanted.matches(segment.texts.document(row)):
            return False
        start, end = segment.texts.documents[row, [DOC_ROW_START, DOC_ROW_END]].tolist()
        mask[offset + start : offset + end] = True
        return True

    def dense_search(
        self, query: np.ndarray, k: int, allowed: Allowed | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(global rows, cosines) of the k live passages nearest `query`, best first; only
        rows of `allowed` when given (searched there, not filtered afterwards)."""
        if self.store is not None:
            return self._store_search(query, k, allowed)
        rows, scores = [], []
        parts = zip(self.segments, self.offsets, self.segment_dead, strict=True)
        for segment, offset, dead in parts:
            if allowed is not None:
                local = allowed.mask[offset : offset + segment.rows]
                if not local.any():
                    continue
                found, cosines = segment.dense.search(query, k, None, local)  # type: ignore[union-attr]
            else:
                found, cosines = segment.dense.search(query, k, dead)  # type: ignore[union-attr]
            rows.append(found + offset)
            scores.append(cosines)
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        all_rows, all_scores = np.concatenate(rows), np.concatenate(scores)
        best = np.argsort(-all_scores, kind="stable")[:k]
        return all_rows[best], all_scores[best]

    def _store_search(
        self, query: np.ndarray, k: int, allowed: Allowed | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Search the external store, keeping the rows live in this version: the store also
        holds rows of other versions (dead ones until a merge, new ones not yet published),
        so ask for more until k are live or the store has no more. `allowed`: the store
        searches only the allowed documents (up to STORE_FILTER_DOCUMENTS of them)."""
        assert self.store is not None
        if allowed is not None and not allowed.documents:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        narrow = allowed is not None and len(allowed.documents) <= STORE_FILTER_DOCUMENTS
        doc_ids = allowed.documents if narrow and allowed is not None else None
        fetch, total = 2 * k + 16, None
        while True:
            ids, scores = self.store.search(query, fetch, doc_ids)
            rows = self.rows_of(ids)
            live = rows >= 0
            if self.dead.size:
                live &= ~np.isin(rows, self.dead)
            if allowed is not None:
                live &= allowed.mask[np.maximum(rows, 0)]
            if live.sum() >= k or len(ids) < fetch:
                return rows[live][:k], scores[live][:k]
            total = total if total is not None else self.store.count()
            if fetch >= total:
                return rows[live][:k], scores[live][:k]
            fetch *= 4


# --- loading -----------------------------------------------------------------------------------


def load_current(
    home: Path,
    encoder: Encoder,
    reuse: IndexVersion | None = None,
    store: VectorStore | None = None,
) -> IndexVersion:
    """The version CURRENT names, checked against the encoder that will query it. Segments
    already loaded in `reuse` (an older version) are shared rather than read again."""
    version = current_version(home)
    if version is None:
        raise NoIndexError(f"no index in {home}: run `citeqa ingest` first")
    return load_version(home / "indexes" / version, encoder, reuse, store)


def load_last_good(home: Path, encoder: Encoder, store: VectorStore | None = None) -> IndexVersion:
    """The current version, or, when its files are damaged, the newest older one that loads.

    Raises the current version's error when no version loads (or another model built them).
    """
    try:
        return load_current(home, encoder, store=store)
    except IndexDamagedError as damaged:
        current = current_version(home)
        older = sorted(
            (p for p in (home / "indexes").iterdir() if not p.name.startswith(".")),
            reverse=True,
        )
        for path in older:
            if path.name == current:
                continue
            try:
                return load_version(path, encoder, store=store)
            except StoreError:
                continue
        raise damaged


def load_version(
    path: Path,
    encoder: Encoder,
    reuse: IndexVersion | None = None,
    store: VectorStore | None = None,
) -> IndexVersion:
    """A version from disk; IndexMismatchError for another model or format, IndexDamagedError
    when its files are missing, truncated or corrupt."""
    try:
        return _load_version(path, encoder, reuse, store)
    except StoreError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RuntimeError) as err:
        raise IndexDamagedError(
            f"index {path.name} is damaged ({type(err).__name__}: {err}); "
            "run `citeqa ingest --rebuild`"
        ) from err


def _load_version(
    path: Path, encoder: Encoder, reuse: IndexVersion | None, store: VectorStore | None
) -> IndexVersion:
    try:
        manifest = Manifest(**json.loads((path / "manifest.json").read_text()))
    except (OSError, ValueError, TypeError) as err:
        raise IndexDamagedError(
            f"index {path.name} has no readable manifest ({err}); run `citeqa ingest --rebuild`"
        ) from err
    if manifest.format_version != FORMAT_VERSION:
        raise IndexFormatError(
            f"index {manifest.version} is in on-disk format {manifest.format_version}, and this "
            f"citeqa reads format {FORMAT_VERSION}: run `citeqa ingest` to rebuild it from its "
            "documents"
        )
    if (manifest.model_fingerprint, manifest.dimension) != (encoder.fingerprint, encoder.dimension):
        raise IndexMismatchError(
            f"index {manifest.version} was built with model {manifest.model!r} "
            f"({manifest.model_fingerprint}), but the configured model is {encoder.name!r} "
            f"({encoder.fingerprint}): run `citeqa ingest --rebuild` to re-embed with it"
        )
    if manifest.vector_store != store_kind(store):
        raise IndexMismatchError(
            f"index {manifest.version} keeps its vectors in {manifest.vector_store}, but the "
            f"configured vector store is {store_kind(store)} (CITEQA_VECTOR_STORE): set it "
            "back, or run `citeqa ingest --rebuild` to index into the configured one"
        )
    loaded = {s.name: s for s in reuse.segments} if reuse is not None else {}
    folder = path.parent.parent / "segments"
    segments = [
        loaded.get(name) or load_segment(folder / name, manifest.dimension)
        for name in manifest.segments
    ]
    return assemble(path, manifest, segments, store)


def assemble(
    path: Path, manifest: Manifest, segments: list[Segment], store: VectorStore | None = None
) -> IndexVersion:
    """The version `manifest` describes over its loaded `segments`."""
    offsets: list[int] = []
    segment_dead: list[np.ndarray] = []
    placed = Counter(manifest.placement.values())
    live = manifest.live_rows()
    total = 0
    for segment in segments:
        offsets.append(total)
        total += segment.rows
        if live[segment.name] == segment.rows and placed[segment.name] == len(segment.documents):
            # Every document of the segment is live in it: no need to read their ids.
            segment_dead.append(np.zeros(0, np.int64))
            continue
        ranges, found = [], 0
        for _, doc_id, start, end in segment.texts.spans():
            if manifest.placement.get(doc_id) == segment.name:
                found += 1
            else:
                ranges.append(np.arange(start, end, dtype=np.int64))
        if found != placed[segment.name]:
            raise ValueError(
                f"segment {segment.name} holds {found} of the {placed[segment.name]} documents "
                "the manifest places there"
            )
        segment_dead.append(np.concatenate(ranges) if ranges else np.zeros(0, np.int64))
    missing = set(placed) - {s.name for s in segments}
    if missing:
        raise ValueError(f"documents placed in segments the version lacks: {sorted(missing)[:3]}")
    documents = LiveDocuments(manifest.placement, segments)
    passages = VersionPassages(segments, offsets)
    dead_rows = [d + o for d, o in zip(segment_dead, offsets, strict=True)]
    dead = np.concatenate(dead_rows) if dead_rows else np.zeros(0, np.int64)
    keyword = SegmentedKeywordIndex([s.keyword for s in segments], offsets, dead)
    return IndexVersion(
        path, manifest, segments, offsets, documents, passages, dead, segment_dead, keyword, store
    )
