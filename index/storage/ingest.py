"""Files on disk -> a new current index version, re-embedding only what changed."""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citeqa.corpus import (
    LOADER_VERSION,
    ChunkSettings,
    Document,
    DocumentError,
    Unchanged,
    iter_corpus_files,
    kind_of,
    load_file,
)
from citeqa.corpus.loading import file_sha256 as source_file_sha256
from citeqa.index.encoder.base import INGEST_BATCH_SIZE, Encoder
from citeqa.index.vectorstores.base import VectorStore, VectorStoreError

from .build import (
    SENTENCE_CACHE_MB,
    Part,
    Written,
    build_index,
    ingest_key,
    new_manifest,
    write_parts,
)
from .manifest import (
    IndexMismatchError,
    Manifest,
    StoreError,
    collect_garbage,
    is_compatible,
    publish,
    publishing,
    read_manifest,
    stored_documents,
)
from .merge import SMALL_MERGE_ROWS, compact, report_timing
from .progress import IngestProgress
from .segment import segment_looks_whole
from .staging import Staged, clear_staged, read_staged
from .windows import WINDOW_CHARS, clear_windows

log = logging.getLogger("citeqa")


class IngestError(RuntimeError):
    """The ingest cannot run (nothing to index, another ingest holds the lock)."""


@dataclass
class IngestReport:
    version: str
    documents: int
    passages: int
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "<file>: <reason>"
    embedded: int = 0  # documents chunked and embedded by this run (the rest were reused)
    resumed: int = 0  # documents found in the segments of an interrupted ingest, not embedded
    passages_embedded: int = 0  # by this run
    passages_resumed: int = 0  # vectors an interrupted ingest had made (segments and windows)
    sentences_embedded: int = 0  # distinct sentences embedded by this run
    segments_written: int = 0  # by this run, before any merge
    seconds: float = 0.0


@dataclass(frozen=True)
class BuildOptions:
    chunking: ChunkSettings
    batch_size: int = INGEST_BATCH_SIZE
    keep_versions: int = 3
    progress: bool = False  # a tqdm bar on stderr
    log_progress: bool = False  # a log line per stage (for a stderr that is not a terminal)
    compact: bool = True  # merge segments after publishing (the service does it in the background)
    on_progress: Callable[[dict[str, Any]], None] | None = None  # the counts (progress.Counts)
    store: VectorStore | None = None  # an external vector store (Milvus); None: the segments' files
    sentence_vectors: bool = True  # embed the passages' sentences, their means the passages'
    sentence_encoder: Encoder | None = None  # what embeds the sentences; None: the encoder
    # Documents are read, embedded and written in parts of about this many MB of files, so an
    # ingest holds one part's passages and vectors at a time (a larger file is a part alone,
    # embedded in windows of at most this many MB of passage text: windows.py).
    part_mb: float = 16.0
    # Codes of the sentences embedded so far kept up to this many MB, so that text repeated
    # across windows, parts and files is embedded once (retrieval/sentence_cache.py).
    sentence_cache_mb: float = SENTENCE_CACHE_MB

    @property
    def embeds_with_encoder(self) -> bool:
        """Whether writes run the index's encoder: not when passages are their sentences' means
        and another encoder embeds the sentences (the encoder then only embeds questions)."""
        return not (self.sentence_vectors and self.sentence_encoder is not None)


@contextmanager
def ingest_lock(home: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """One writer per home. A second one waits up to `wait_seconds`, then is refused."""
    home.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    with (home / "ingest.lock").open("a+") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as err:
                if time.monotonic() >= deadline:
                    raise IngestError(
                        f"another ingest is running in {home}; try again when it ends"
                    ) from err
                time.sleep(0.05)
        try:
            yield  # the kernel drops the lock if this process dies, so no stale lock survives
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ingest(
    roots: Sequence[Path],
    encoder: Encoder,
    home: Path,
    options: BuildOptions,
    *,
    rebuild: bool = False,
    exclude: Collection[str] = (),
    own_roots: Collection[Path] = (),
) -> IngestReport:
    """Make the index mirror the documents under `roots` (folders or files).

    Files whose bytes are unchanged are not parsed again and keep their passages and vectors;
    `rebuild` re-reads and re-embeds everything. Documents whose ids are in `exclude` are left
    out, except those under `own_roots` (a folder whose files are removed, not excluded).
    """
    started = time.perf_counter()
    for root in roots:
        if not root.exists():
            raise IngestError(f"{root}: no such file or folder")
    with ingest_lock(home):
        current = read_manifest(home)
        previous = compatible_manifest(current, encoder, options)
        base = None if rebuild else previous
        known = base.documents if base and base.loader_version == LOADER_VERSION else {}
        if base:  # documents of a damaged segment are read and embedded again: a repair
            whole = {
                n
                for n in base.segments
                if segment_looks_whole(home / "segments" / n, base.dimension)
            }
            known = {d: sha for d, sha in known.items() if base.placement[d] in whole}
        key = ingest_key(
            encoder,
            options.chunking,
            options.store,
            options.sentence_vectors,
            options.sentence_encoder,
        )
        staged = _resumable(home, current, key, encoder.dimension)
        files = _listing(roots, exclude, own_roots)
        progress = IngestProgress(options.progress, options.log_progress, options.on_progress)
        progress.start(len(files), sum(size for _, _, size in files))
        seen = _Seen()
        parts = _parts(files, known, staged, base, home, options, progress, seen)
        written: list[Path] = []
        try:
            with publishing(home, written):
                made = write_parts(
                    parts,
                    home,
                    encoder,
                    options.chunking,
                    first_seq=max(
                        [base.next_seq() if base else 1]
                        + [s.seq + 1 for s in staged.segments.values()]
                        + ([current.next_seq()] if current else [])
                    ),
                    batch_size=options.batch_size,
                    progress=progress,
                    store=options.store,
                    sentence_vectors=options.sentence_vectors,
                    sentence_encoder=options.sentence_encoder,
                    staged=staged,
                    window_chars=min(WINDOW_CHARS, max(int(options.part_mb * 1e6), 1)),
                    sentence_cache_mb=options.sentence_cache_mb,
                )
                if not made and not seen.unchanged and not seen.resumed:
                    where = ", ".join(str(r) for r in roots)
                    skipped = seen.skipped
                    listed = "; ".join(skipped[:5]) + (
                        f"; {len(skipped) - 5} more" if skipped[5:] else ""
                    )
                    raise IngestError(
                        f"no readable documents under {where}"
                        + (f" (skipped {listed})" if listed else "")
                    )
                resumed = _resumed_segments(staged, seen.resumed)
                manifest = new_manifest(
                    encoder,
                    options.chunking,
                    base,
                    [d for d in seen.unchanged if d not in seen.resumed],
                    [*resumed, *made],
                    roots,
                    options.store,
                )
                progress.stage("writing")
                publish(home, manifest)
            clear_staged(home)
            clear_windows(home)
            collect_garbage(home, options.keep_versions, options.store)
            progress.stage("merging")
            merged = _merge_after(home, options)
        finally:
            progress.close()
    report = _report(previous, manifest, seen.skipped, started, merged)
    counts = progress.counts
    report.resumed = len(seen.resumed)
    report.embedded -= len(seen.resumed)
    report.passages_embedded = counts.passages_embedded
    report.passages_resumed = counts.passages_resumed
    report.sentences_embedded = counts.sentences_embedded
    report.segments_written = counts.segments_written
    report_timing(home, "ingest", report.seconds)
    return report


@dataclass
class _Seen:
    """What reading the files found besides documents to embed."""

    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "<file>: <reason>"
    resumed: dict[str, str] = field(default_factory=dict)  # doc id -> staged segment


def _listing(
    roots: Sequence[Path], exclude: Collection[str], own_roots: Collection[Path]
) -> list[tuple[Path, str, int]]:
    """(path, doc id, bytes) of the files to read, refusing one id under two roots."""
    own = {r.resolve() for r in own_roots}
    origin: dict[str, Path] = {}
    files = []
    for root in roots:
        for path, doc_id in iter_corpus_files(root):
            if doc_id in exclude and root.resolve() not in own:
                continue
            if doc_id in origin and origin[doc_id] != root:
                raise IngestError(
                    f"two documents have the id {doc_id!r}, one under {origin[doc_id]} "
                    f"and one under {root}: rename one of them"
                )
            origin[doc_id] = root
            try:
                size = path.stat().st_size
            except OSError:
                size = 0  # load_file reports why it cannot be read
            files.append((path, doc_id, size))
    return files


def _resumable(home: Path, current: Manifest | None, key: dict[str, Any], dimension: int) -> Staged:
    """The segments an interrupted ingest left (staging.py) that this one may keep: same key,
    numbered above the current version's segments, and whole on disk."""
    staged = read_staged(home)
    above = (current.next_seq() - 1) if current else 0
    usable = staged.reusable(key, above) if staged else Staged(key)
    usable.segments = {
        name: segment
        for name, segment in usable.segments.items()
        if segment_looks_whole(home / "segments" / name, dimension)
    }
    return usable


def _resumed_segments(staged: Staged, resumed: dict[str, str]) -> list[Written]:
    """The staged segments this ingest keeps, holding live only the documents it resumes."""
    out = []
    for name, segment in sorted(staged.segments.items(), key=lambda item: item[1].seq):
        docs = {d: sha for d, sha in segment.documents.items() if resumed.get(d) == name}
        if docs:
            out.append(Written(name, segment.rows, docs, segment.passages))
    return out


def _parts(
    files: list[tuple[Path, str, int]],
    known: dict[str, str],
    staged: Staged,
    base: Manifest | None,
    home: Path,
    options: BuildOptions,
    progress: IngestProgress,
    seen: _Seen,
) -> Iterator[Part]:
    """The documents to embed, read one file at a time and grouped into parts of about
    `options.part_mb`; what needs no embedding (unchanged, resumed, unreadable) goes to `seen`."""
    in_staged = staged.documents()
    # A file whose bytes a staged segment holds is not parsed again either.
    shas = known | {doc_id: sha for doc_id, (_, sha) in in_staged.items()}
    limit = options.part_mb * 1e6
    docs: list[Document] = []
    size = 0
    for path, doc_id, nbytes in files:
        item = load_file(path, doc_id, shas)
        progress.add(files_read=1, bytes_read=nbytes)
        if isinstance(item, DocumentError):
            seen.skipped.append(str(item))
        elif isinstance(item, Unchanged):
            if doc_id in in_staged and in_staged[doc_id][1] == item.sha256:
                name = in_staged[doc_id][0]
                seen.resumed[doc_id] = name
                progress.add(passages_resumed=staged.segments[name].passages[doc_id])
            else:
                seen.unchanged.append(doc_id)
        elif base and base.loader_version != LOADER_VERSION and _reads_the_same(home, base, [item]):
            seen.unchanged.append(doc_id)  # parsed again by a newer loader, read the same
        else:
            progress.add(documents=1)
            docs.append(item)
            size += nbytes
            if size >= limit:
                yield Part(docs, size)
                docs, size = [], 0
            continue
        progress.add(bytes_done=nbytes, bytes_reused=nbytes)
    if docs:
        yield Part(docs, size)


@dataclass
class IngestPlan:
    """What an ingest of some roots would do to the current index, from the files' bytes alone
    (nothing is parsed or embedded): ids added, changed, removed and unchanged."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def plan_ingest(
    roots: Sequence[Path],
    home: Path,
    *,
    exclude: Collection[str] = (),
    own_roots: Collection[Path] = (),
) -> IngestPlan:
    """What `ingest(roots, ..., exclude=, own_roots=)` would add, change and remove (files of a
    type no format reads are left out; a file that then fails to parse is counted as added)."""
    for root in roots:
        if not root.exists():
            raise IngestError(f"{root}: no such file or folder")
    manifest = read_manifest(home)
    indexed = manifest.documents if manifest else {}
    files = _listing(roots, exclude, own_roots)
    plan = IngestPlan()
    for path, doc_id, _ in files:
        try:
            kind_of(doc_id)
        except DocumentError:
            continue
        if doc_id not in indexed:
            plan.added.append(doc_id)
        elif source_file_sha256(path) == indexed[doc_id]:
            plan.unchanged.append(doc_id)
        else:
            plan.changed.append(doc_id)
    listed = {doc_id for _, doc_id, _ in files}
    plan.removed = sorted(d for d in indexed if d not in listed)
    return plan


def update(
    home: Path,
    encoder: Encoder,
    options: BuildOptions,
    *,
    upserts: Sequence[Document] = (),
    deletes: Sequence[str] = (),
    root: Path | None = None,
    merge_all: bool = False,
) -> IngestReport:
    """A new version: the current one with `upserts` added or replaced and `deletes` removed.

    The caller holds `ingest_lock(home)`. Nothing else is read or re-embedded, so the cost is
    that of the changed documents, not of the index. `root` joins the recorded roots. Merges of
    up to SMALL_MERGE_ROWS rows follow the write; `merge_all`: larger ones too (a process that
    cannot leave them to the background).
    """
    started = time.perf_counter()
    previous = read_manifest(home)
    base = compatible_manifest(previous, encoder, options)
    if previous is not None and base is None:
        raise IndexMismatchError(
            f"index {previous.version} was built with another model, chunking or format: "
            "run `citeqa ingest --rebuild` before adding or removing documents"
        )
    replaced = {doc.id for doc in upserts} | set(deletes)
    kept = [doc_id for doc_id in (base.documents if base else {}) if doc_id not in replaced]
    if not kept and not upserts:
        raise IngestError("the index would be empty: at least one document must remain")
    roots = [Path(r) for r in previous.roots] if previous else []
    if root is not None and str(root) not in {str(r) for r in roots}:
        roots.append(root)
    manifest = _build(list(upserts), kept, encoder, home, options, base, roots)
    merged = _merge_after(home, options, max_rows=None if merge_all else SMALL_MERGE_ROWS)
    report = _report(previous, manifest, [], started, merged)
    report_timing(home, "update", report.seconds)
    return report


def _merge_after(home: Path, options: BuildOptions, max_rows: int | None = None) -> Manifest | None:
    """Merge segments after a write has been published (see merge.compact). A failure here is
    logged, not raised: the write itself is done and answers."""
    if not options.compact:
        return None
    try:
        return compact(home, options.keep_versions, max_rows, options.store)
    except (OSError, StoreError, VectorStoreError) as err:
        log.warning("merging index segments failed (the index is complete without it): %s", err)
        return None


def compatible_manifest(
    manifest: Manifest | None, encoder: Encoder, options: BuildOptions
) -> Manifest | None:
    """`manifest` when a new version can keep its documents as they are, else None."""
    return manifest if is_compatible(manifest, encoder, options.chunking, options.store) else None


def _reads_the_same(home: Path, base: Manifest, docs: list[Document]) -> list[str]:
    """The ids of `docs` whose file and extracted text are those `base` indexed."""
    same_file = {d.id: d for d in docs if base.documents.get(d.id) == d.sha256}
    stored = stored_documents(home, base, list(same_file))
    return [i for i, d in same_file.items() if i in stored and stored[i].text == d.text]


def _build(
    fresh: list[Document],
    kept: list[str],
    encoder: Encoder,
    home: Path,
    options: BuildOptions,
    previous: Manifest | None,
    roots: Sequence[Path],
) -> Manifest:
    progress = IngestProgress(options.progress, options.log_progress, options.on_progress)
    try:
        return build_index(
            fresh,
            kept,
            encoder,
            home,
            options.chunking,
            previous,
            roots=roots,
            batch_size=options.batch_size,
            progress=progress,
            keep_versions=options.keep_versions,
            store=options.store,
            sentence_vectors=options.sentence_vectors,
            sentence_encoder=options.sentence_encoder,
            sentence_cache_mb=options.sentence_cache_mb,
        )
    finally:
        progress.close()


def _report(
    previous: Manifest | None,
    manifest: Manifest,
    skipped: list[str],
    started: float,
    merged: Manifest | None = None,
) -> IngestReport:
    """What `manifest` changed from `previous`; `merged`: the version a merge published after."""
    old = previous.documents if previous else {}
    new = manifest.documents
    return IngestReport(
        version=(merged or manifest).version,
        documents=len(new),
        passages=manifest.passages,
        added=sorted(d for d in new if d not in old),
        changed=sorted(d for d in new if d in old and old[d] != new[d]),
        removed=sorted(d for d in old if d not in new),
        unchanged=sorted(d for d in new if old.get(d) == new[d]),
        skipped=skipped,
        embedded=len(new) - manifest.reused_documents,
        seconds=round(time.perf_counter() - started, 3),
    )
