"""Index versions on disk: publishing one, loading one, merging segments, collecting garbage.

Layout under the home folder (`CITEQA_HOME`):

    segments/<name>/                  immutable slices of the index (segment.py)
    indexes/<version>/manifest.json   model, chunking, documents and the segment each one is
                                      read from, format version
    CURRENT                           the name of the version being served

A write embeds only the documents it adds or changes, into one new segment; the new version's
manifest lists the older segments it keeps and which documents each one holds live. Replaced and
removed documents' rows stay in their segment, dead, until a merge (`compact`) rewrites it.

A segment and a version are written under temporary names, fsynced and renamed into place; the
version is made current by atomically replacing CURRENT, so readers never see a half-written
version. A write that fails (a full disk, any error) removes what it wrote and leaves CURRENT as
it was; `kill -9` leaves only unreferenced files, which the next write's garbage collection removes.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import secrets
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import numpy as np

from citeqa.corpus import LOADER_VERSION, ChunkSettings, Document, Passage, chunk_document

from .embedding import Encoder
from .keyword import SegmentedKeywordIndex
from .segment import (
    Segment,
    fsync_dir,
    load_segment,
    passage_ids,
    read_documents,
    seal_segment,
    segment_name,
    stored_rows,
    sync,
    write_segment,
)
from .sentence_vectors import SentenceScores, SentenceVectors, concatenate, embed_sentences, ranges
from .vectorstore import VectorStore

FORMAT_VERSION = 3  # 3: segments; 2: one folder a version (vectors and BM25 rewritten each time)
MERGE_FACTOR = 4  # the newest segments are merged while together they are >= 1/4 of the one before
MAX_DEAD_FRACTION = 0.5  # a segment with more rows dead than this is rewritten without them
MAX_SEGMENTS = 24
# Merges up to this many rows run inside the write that calls for them (well under a second
# here); larger ones run after it, in the background (the service) or at the end (the CLI).
SMALL_MERGE_ROWS = 20_000


class StoreError(RuntimeError):
    """Base of the errors about the index on disk."""


class NoIndexError(StoreError):
    """No index has been built in this home yet."""


class IndexMismatchError(StoreError):
    """The index on disk was built by another model or format; it must be rebuilt."""


class IndexDamagedError(IndexMismatchError):
    """An index version's files are missing, truncated or corrupt."""


class StorageFullError(StoreError):
    """No space (or quota) left to write: nothing was published, the current version answers."""


DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_disk_full(err: BaseException) -> bool:
    return isinstance(err, OSError) and err.errno in DISK_FULL


@dataclass
class Manifest:
    version: str
    created_at: str
    format_version: int
    model: str
    model_fingerprint: str
    dimension: int
    chunking: dict[str, int]
    documents: dict[str, str]  # doc id -> sha256 of the source file
    passages: int  # live passages
    reused_documents: int = 0  # documents kept from the previous version without re-embedding
    roots: list[str] = field(default_factory=list)  # the folders and files the documents came from
    loader_version: int = LOADER_VERSION
    backend: str = "torch"  # what ran the model: torch and onnx give the same vectors, int8 not
    # name -> rows (live or dead), oldest first
    segments: dict[str, int] = field(default_factory=dict)
    placement: dict[str, str] = field(default_factory=dict)  # doc id -> segment holding it live
    doc_passages: dict[str, int] = field(default_factory=dict)  # doc id -> passages
    vector_store: str = "faiss"  # "faiss": in the segments' files; "milvus": in a collection

    def live_rows(self) -> Counter[str]:
        """segment name -> rows of documents live in it."""
        live: Counter[str] = Counter({name: 0 for name in self.segments})
        for doc_id, name in self.placement.items():
            live[name] += self.doc_passages[doc_id]
        return live

    def next_seq(self) -> int:
        return max((int(name.split("-")[0]) for name in self.segments), default=0) + 1


@dataclass
class IndexVersion:
    """A loaded, searchable version: its segments' rows in one global row space (segment i's
    row r is global row offsets[i] + r); rows of replaced or removed documents are `dead`."""

    path: Path
    manifest: Manifest
    segments: list[Segment]
    offsets: list[int]
    documents: dict[str, Document]  # the live documents
    passages: list[Passage]  # every row, dead ones too, in global row order
    dead: np.ndarray  # sorted global rows of documents not live in their segment
    segment_dead: list[np.ndarray] = field(repr=False)  # the same, per segment, as segment rows
    keyword: SegmentedKeywordIndex = field(repr=False)
    store: VectorStore | None = field(default=None, repr=False)  # where vectors live if not files

    @cached_property
    def passage_counts(self) -> Counter[str]:
        """doc id -> number of passages."""
        return Counter(self.manifest.doc_passages)

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
                vectors = np.asarray(segment.sentences.vectors[taken], dtype=np.float32)
                cosines[at] = vectors @ query
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

    def dense_search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(global rows, cosines) of the k live passages nearest `query`, best first."""
        if self.store is not None:
            return self._store_search(query, k)
        rows, scores = [], []
        parts = zip(self.segments, self.offsets, self.segment_dead, strict=True)
        for segment, offset, dead in parts:
            found, cosines = segment.dense.search(query, k, dead)  # type: ignore[union-attr]
            rows.append(found + offset)
            scores.append(cosines)
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        all_rows, all_scores = np.concatenate(rows), np.concatenate(scores)
        best = np.argsort(-all_scores, kind="stable")[:k]
        return all_rows[best], all_scores[best]

    def _store_search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Search the external store, keeping the rows live in this version: the store also
        holds rows of other versions (dead ones until a merge, new ones not yet published),
        so ask for more until k are live or the store has no more."""
        assert self.store is not None
        fetch, total = 2 * k + 16, None
        while True:
            ids, scores = self.store.search(query, fetch)
            rows = self.rows_of(ids)
            live = rows >= 0
            if self.dead.size:
                live &= ~np.isin(rows, self.dead)
            if live.sum() >= k or len(ids) < fetch:
                return rows[live][:k], scores[live][:k]
            total = total if total is not None else self.store.count()
            if fetch >= total:
                return rows[live][:k], scores[live][:k]
            fetch *= 4


# --- writing -----------------------------------------------------------------------------------


def build_index(
    fresh: Sequence[Document],
    kept: Iterable[str],
    encoder: Encoder,
    home: Path,
    chunking: ChunkSettings,
    previous: Manifest | None = None,
    *,
    roots: Sequence[Path] = (),
    batch_size: int = 32,
    progress: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    keep_versions: int = 3,
    store: VectorStore | None = None,
    sentence_vectors: bool = True,
) -> Manifest:
    """Publish a new current version: `previous`'s documents named in `kept` as they are (not
    read, not re-embedded) and the `fresh` documents chunked and embedded (passages, then their
    sentences: sentence_vectors.py) into a new segment. `on_progress` counts passages only.

    `previous` must be compatible (`is_compatible`); with None every document must be fresh.
    The cost is that of the fresh documents, whatever the size of the index.
    """
    kept = sorted(set(kept))
    if kept and previous is None:
        raise ValueError("documents can only be kept from a previous version")
    fresh = sorted(fresh, key=lambda d: d.id)
    segments = dict(previous.segments) if previous else {}
    placement = {doc_id: previous.placement[doc_id] for doc_id in kept} if previous else {}
    doc_passages = {doc_id: previous.doc_passages[doc_id] for doc_id in kept} if previous else {}
    documents = {doc_id: previous.documents[doc_id] for doc_id in kept} if previous else {}
    passages = [p for doc in fresh for p in chunk_document(doc, chunking)]
    vectors = encoder.encode_many([p.text for p in passages], batch_size, progress, on_progress)
    sentences = (
        embed_sentences(passages, encoder, batch_size, progress) if sentence_vectors else None
    )
    written: list[Path] = []
    with publishing(home, written):
        if fresh:
            seq = previous.next_seq() if previous else 1
            name = segment_name(seq)
            folder = home / "segments"
            fingerprint = encoder.fingerprint
            written.append(
                write_segment(
                    folder,
                    name,
                    seq,
                    fresh,
                    passages,
                    vectors,
                    fingerprint,
                    store=store,
                    sentences=sentences,
                )
            )
            segments[name] = len(passages)
            counts = Counter(p.doc_id for p in passages)
            for doc in fresh:
                placement[doc.id], doc_passages[doc.id] = name, counts[doc.id]
                documents[doc.id] = doc.sha256
        used = set(placement.values())
        manifest = Manifest(
            version=_new_version_name(),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            format_version=FORMAT_VERSION,
            model=encoder.name,
            model_fingerprint=encoder.fingerprint,
            backend=encoder.backend,
            dimension=encoder.dimension,
            chunking=asdict(chunking),
            documents=dict(sorted(documents.items())),
            passages=sum(doc_passages.values()),
            reused_documents=len(kept),
            roots=[str(r) for r in roots],
            segments={n: rows for n, rows in segments.items() if n in used},
            placement=dict(sorted(placement.items())),
            doc_passages=dict(sorted(doc_passages.items())),
            vector_store=store_kind(store),
        )
        publish(home, manifest)
    collect_garbage(home, keep_versions, store)
    return manifest


def store_kind(store: VectorStore | None) -> str:
    return "faiss" if store is None else "milvus"


def is_compatible(
    manifest: Manifest | None,
    encoder: Encoder,
    chunking: ChunkSettings,
    store: VectorStore | None = None,
) -> bool:
    """Whether a new version can keep `manifest`'s passages and vectors as they are."""
    return (
        manifest is not None
        and manifest.format_version == FORMAT_VERSION
        and manifest.vector_store == store_kind(store)
        and manifest.model_fingerprint == encoder.fingerprint
        and manifest.dimension == encoder.dimension
        and manifest.chunking == asdict(chunking)
    )


def publish(home: Path, manifest: Manifest) -> None:
    """Write the version and make it current, or leave CURRENT as it was and raise."""
    final = _write_version(home, manifest)
    try:
        set_current(home, manifest.version)
    except BaseException:
        if current_version(home) != manifest.version:  # not published: nobody reads it
            shutil.rmtree(final, ignore_errors=True)
        raise


@contextmanager
def publishing(home: Path, written: list[Path]) -> Iterator[None]:
    """Around writing segments (appended to `written`) and publishing the version that uses
    them: if the block fails, the segments no version reads are removed at once (giving back
    the space a full disk needs) and a full disk raises StorageFullError."""
    try:
        yield
    except BaseException as err:
        current = read_manifest(home)
        for path in written:
            if current is None or path.name not in current.segments:
                shutil.rmtree(path, ignore_errors=True)
        if not is_disk_full(err):
            raise
        serving = current_version(home)
        raise StorageFullError(
            "no space left on the device holding the index (CITEQA_HOME): the new version was "
            "not written and "
            + (f"{serving} still answers" if serving else "there is still no index")
            + "; free some space and try again"
        ) from err


def compact(
    home: Path,
    encoder: Encoder,
    keep_versions: int = 3,
    max_rows: int | None = None,
    store: VectorStore | None = None,
) -> Manifest | None:
    """Merge segments while the merge policy asks for it; the caller holds the ingest lock.

    The newest segments are merged while together they hold at least 1/MERGE_FACTOR of the rows
    of the one before, so segment sizes fall geometrically (few segments to search) and each
    passage is rewritten O(log n) times in all; a mostly dead segment is rewritten without its
    dead rows. Nothing is re-embedded. `max_rows`: stop before a merge rewriting more rows than
    this (`pending_merge` then says one is due). Returns the last version published, or None.
    """
    published = None
    while run := pending_merge(home):
        manifest = read_manifest(home)
        assert manifest is not None
        if max_rows is not None and sum(manifest.segments[n] for n in run) > max_rows:
            break
        if manifest.vector_store != store_kind(store):
            break  # another store's index: the next ingest rebuilds it
        published = _merge(home, manifest, run, keep_versions, store)
    return published


def pending_merge(home: Path) -> list[str]:
    """The segments the merge policy would merge next in the current version, or []."""
    manifest = read_manifest(home)
    if manifest is None or manifest.format_version != FORMAT_VERSION:
        return []
    return plan_merge(manifest)


def plan_merge(manifest: Manifest) -> list[str]:
    """The consecutive segments to merge next (one alone: rewrite without dead rows), or []."""
    names = list(manifest.segments)
    live = manifest.live_rows()
    if len(names) >= 2:
        run, total = [names[-1]], live[names[-1]]
        for name in reversed(names[:-1]):
            if total * MERGE_FACTOR < live[name]:
                break
            run.insert(0, name)
            total += live[name]
        if len(run) >= 2:
            return run
    for name in names:
        if live[name] < (1 - MAX_DEAD_FRACTION) * manifest.segments[name]:
            return [name]
    if len(names) > MAX_SEGMENTS:
        pairs = [(live[a] + live[b], i) for i, (a, b) in enumerate(itertools.pairwise(names))]
        _, i = min(pairs)
        return names[i : i + 2]
    return []


def _merge(
    home: Path,
    manifest: Manifest,
    run: list[str],
    keep_versions: int,
    store: VectorStore | None,
) -> Manifest:
    """Publish `manifest` with the segments `run` rewritten as one holding their live rows."""
    segments = [load_segment(home / "segments" / name, manifest.dimension) for name in run]
    docs, parts = [], []
    passages: list[Passage] = []
    sentence_parts: list[SentenceVectors] = []  # none for rows of segments written without
    for segment in segments:
        for doc_id, (start, end) in segment.doc_rows.items():
            if manifest.placement.get(doc_id) == segment.name:
                docs.append(segment.documents[doc_id])
                if segment.sentences is not None:
                    sentence_parts.append(segment.sentences.of_passages(start, end, len(passages)))
                passages.extend(segment.passages[start:end])
                if store is None:
                    parts.append(segment.vectors[start:end])  # type: ignore[index]
                else:
                    parts.append(store.get(segment.ids(range(start, end))))
    kept = [(n, rows) for n, rows in manifest.segments.items() if n not in run]
    position = list(manifest.segments).index(run[0])
    placement = dict(manifest.placement)
    written: list[Path] = []
    with publishing(home, written):
        if docs:
            seq, vectors = manifest.next_seq(), np.concatenate(parts)
            sentences = concatenate(sentence_parts, len(passages), manifest.dimension)
            name = segment_name(seq)
            largest = max(segments, key=lambda s: s.rows)  # its trained IVF may serve again
            written.append(
                write_segment(
                    home / "segments",
                    name,
                    seq,
                    docs,
                    passages,
                    vectors,
                    manifest.model_fingerprint,
                    ivf_from=largest.path,
                    store=store,
                    sentences=sentences,
                )
            )
            kept.insert(position, (name, len(passages)))
            placement.update({doc.id: name for doc in docs})
        new = Manifest(
            **{
                **asdict(manifest),
                "version": _new_version_name(),
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "reused_documents": len(manifest.documents),
                "segments": dict(kept),
                "placement": placement,
            }
        )
        publish(home, new)
    collect_garbage(home, keep_versions, store)
    return new


def upgrade_format(home: Path, keep_versions: int = 3) -> Manifest | None:
    """Turn a current format-2 version (one folder holding everything) into a format-3 version
    of one segment, by hard links: nothing is re-embedded. The caller holds the ingest lock.
    Returns the new manifest, or None when there was nothing to upgrade."""
    old = read_manifest(home)
    if old is None or old.format_version != 2:
        return None
    source = home / "indexes" / old.version
    counts = Counter(json.loads(line)["doc_id"] for line in _lines(source / "passages.jsonl"))
    name = segment_name(1)
    tmp = home / "segments" / f".tmp-{name}"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    skip = shutil.ignore_patterns("manifest.json")
    written: list[Path] = []
    with publishing(home, written):
        shutil.copytree(source, tmp, copy_function=os.link, ignore=skip)
        written.append(seal_segment(tmp, tmp.parent / name, 1, old.passages, old.model_fingerprint))
        new = Manifest(
            **{
                **asdict(old),
                "version": _new_version_name(),
                "format_version": FORMAT_VERSION,
                "reused_documents": len(old.documents),
                "segments": {name: old.passages},
                "placement": {doc_id: name for doc_id in old.documents},
                "doc_passages": {doc_id: counts[doc_id] for doc_id in old.documents},
            }
        )
        publish(home, new)
    collect_garbage(home, keep_versions)
    return new


def _lines(path: Path) -> Iterable[str]:
    with path.open(encoding="utf-8") as f:
        yield from f


# --- on disk -----------------------------------------------------------------------------------


def _new_version_name() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ-") + secrets.token_hex(3)


def _write_version(home: Path, manifest: Manifest) -> Path:
    indexes = home / "indexes"
    indexes.mkdir(parents=True, exist_ok=True)
    tmp, final = indexes / f".tmp-{manifest.version}", indexes / manifest.version
    tmp.mkdir()
    try:
        with (tmp / "manifest.json").open("w") as f:
            json.dump(asdict(manifest), f, indent=1)
            sync(f)
        fsync_dir(tmp)
        os.rename(tmp, final)
        fsync_dir(indexes)
        return final
    except BaseException:
        # A half-written version is removed at once (after a crash, the next ingest's
        # collect_garbage does it). `final` is not current yet, so no reader can be using it.
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        raise


def set_current(home: Path, version: str) -> None:
    """Point CURRENT at `version` in one atomic rename."""
    tmp = home / f".CURRENT.{secrets.token_hex(4)}"
    try:
        with tmp.open("w") as f:
            f.write(version + "\n")
            sync(f)
        os.replace(tmp, home / "CURRENT")
    finally:
        tmp.unlink(missing_ok=True)  # gone already unless writing it failed
    fsync_dir(home)


def current_version(home: Path) -> str | None:
    try:
        return (home / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


def collect_garbage(home: Path, keep: int, store: VectorStore | None = None) -> None:
    """Remove unfinished versions and segments, all but the newest `keep` finished versions
    (never CURRENT), and the segments no remaining version reads, with their rows in `store`.
    The caller holds the ingest lock. A process still serving a removed version keeps its open
    and mapped files."""
    indexes, segments = home / "indexes", home / "segments"
    current = current_version(home)
    for leftover in [*indexes.glob(".tmp-*"), *segments.glob(".tmp-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    versions = sorted(p for p in indexes.iterdir() if not p.name.startswith("."))
    for old in versions[: max(len(versions) - max(keep, 1), 0)]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
    used: set[str] = set()
    for version in indexes.iterdir():
        try:
            used.update(json.loads((version / "manifest.json").read_text()).get("segments", {}))
        except (OSError, ValueError, AttributeError):
            continue  # damaged: it cannot load anyway
    if segments.is_dir():
        for segment in segments.iterdir():
            if segment.name not in used and not segment.name.startswith("."):
                _forget_vectors(segment, store)
                shutil.rmtree(segment, ignore_errors=True)


def _forget_vectors(segment: Path, store: VectorStore | None) -> None:
    """Delete a removed segment's rows from the external store (without one at hand they stay
    there, unreachable: searches keep only rows of the version they serve)."""
    if store is None:
        return
    try:
        seq, rows, in_store = stored_rows(segment)
    except (OSError, ValueError, KeyError):
        return
    if in_store:
        store.delete(passage_ids(seq, np.arange(rows)))


def read_manifest(home: Path) -> Manifest | None:
    """The current version's manifest alone (cheap: no vectors, no texts), or None."""
    version = current_version(home)
    if version is None:
        return None
    try:
        return Manifest(**json.loads((home / "indexes" / version / "manifest.json").read_text()))
    except (OSError, ValueError, TypeError):
        return None


# --- loading -----------------------------------------------------------------------------------


def stored_documents(home: Path, manifest: Manifest, ids: list[str]) -> dict[str, Document]:
    """The documents `ids` as `manifest`'s version holds them, reading only their segments'
    documents.jsonl (no vectors, no BM25)."""
    wanted: dict[str, set[str]] = {}
    for doc_id in ids:
        wanted.setdefault(manifest.placement[doc_id], set()).add(doc_id)
    found = {}
    for name, doc_ids in wanted.items():
        for doc in read_documents(home / "segments" / name):
            if doc.id in doc_ids:
                found[doc.id] = doc
    return found


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
        raise IndexMismatchError(
            f"index {manifest.version} has format {manifest.format_version}, this citeqa reads "
            f"{FORMAT_VERSION}: run `citeqa ingest`"
            + (
                " (it upgrades format 2 without re-embedding)"
                if manifest.format_version == 2
                else " --rebuild"
            )
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
    passages: list[Passage] = []
    segment_dead: list[np.ndarray] = []
    documents: dict[str, Document] = {}
    for segment in segments:
        offsets.append(len(passages))
        passages.extend(segment.passages)
        ranges = []
        for doc_id, (start, end) in segment.doc_rows.items():
            if manifest.placement.get(doc_id) == segment.name:
                documents[doc_id] = segment.documents[doc_id]
            else:
                ranges.append(np.arange(start, end, dtype=np.int64))
        segment_dead.append(np.concatenate(ranges) if ranges else np.zeros(0, np.int64))
    missing = set(manifest.placement) - set(documents)
    if missing:
        raise ValueError(f"documents not found in their segments: {sorted(missing)[:3]}")
    dead_rows = [d + o for d, o in zip(segment_dead, offsets, strict=True)]
    dead = np.concatenate(dead_rows) if dead_rows else np.zeros(0, np.int64)
    keyword = SegmentedKeywordIndex([s.keyword for s in segments], offsets, dead)
    return IndexVersion(
        path, manifest, segments, offsets, documents, passages, dead, segment_dead, keyword, store
    )
