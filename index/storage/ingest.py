"""Files on disk -> a new current index version, re-embedding only what changed."""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from citeqa.corpus import (
    LOADER_VERSION,
    ChunkSettings,
    Document,
    DocumentError,
    Unchanged,
    iter_corpus_files,
    kind_of,
    load_corpus,
)
from citeqa.corpus.loading import file_sha256 as source_file_sha256
from citeqa.index.encoder.base import Encoder
from citeqa.index.vectorstores.base import VectorStore, VectorStoreError

from .build import build_index
from .manifest import (
    IndexMismatchError,
    Manifest,
    StoreError,
    is_compatible,
    read_manifest,
    stored_documents,
)
from .merge import SMALL_MERGE_ROWS, compact, report_timing
from .segment import segment_looks_whole

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
    seconds: float = 0.0


@dataclass(frozen=True)
class BuildOptions:
    chunking: ChunkSettings
    batch_size: int = 32
    keep_versions: int = 3
    progress: bool = False  # a tqdm bar on stderr
    compact: bool = True  # merge segments after publishing (the service does it in the background)
    on_progress: Callable[[int, int], None] | None = None  # (passages embedded, to embed)
    store: VectorStore | None = None  # an external vector store (Milvus); None: the segments' files
    sentence_vectors: bool = True  # embed each passage's sentences too (retrieval, ~2x the cost)


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
        previous = compatible_manifest(read_manifest(home), encoder, options)
        base = None if rebuild else previous
        known = base.documents if base and base.loader_version == LOADER_VERSION else {}
        if base:  # documents of a damaged segment are read and embedded again: a repair
            whole = {
                n
                for n in base.segments
                if segment_looks_whole(home / "segments" / n, base.dimension)
            }
            known = {d: sha for d, sha in known.items() if base.placement[d] in whole}
        fresh: list[Document] = []
        unchanged: list[str] = []
        skipped: list[str] = []
        own = {r.resolve() for r in own_roots}
        origin: dict[str, Path] = {}
        items = ((item, root) for root in roots for item in load_corpus([root], known))
        for item, root in items:
            if not isinstance(item, DocumentError):
                if item.id in exclude and root.resolve() not in own:
                    continue
                if item.id in origin and origin[item.id] != root:
                    raise IngestError(
                        f"two documents have the id {item.id!r}, one under {origin[item.id]} "
                        f"and one under {root}: rename one of them"
                    )
                origin[item.id] = root
            if isinstance(item, DocumentError):
                skipped.append(str(item))
            elif isinstance(item, Unchanged):
                unchanged.append(item.id)
            else:
                fresh.append(item)
        if not fresh and not unchanged:
            where = ", ".join(str(r) for r in roots)
            listed = "; ".join(skipped[:5]) + (f"; {len(skipped) - 5} more" if skipped[5:] else "")
            raise IngestError(
                f"no readable documents under {where}" + (f" (skipped {listed})" if listed else "")
            )
        _refuse_duplicate_ids([d.id for d in fresh] + unchanged)
        if base and base.loader_version != LOADER_VERSION:
            # Parsed again by a newer loader: what still reads the same keeps its vectors.
            same = _reads_the_same(home, base, fresh)
            fresh = [d for d in fresh if d.id not in same]
            unchanged += same
        manifest = _build(fresh, unchanged, encoder, home, options, base, roots)
        merged = _merge_after(home, options)
    report = _report(previous, manifest, skipped, started, merged)
    report_timing(home, "ingest", report.seconds)
    return report


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
    own = {r.resolve() for r in own_roots}
    origin: dict[str, Path] = {}
    plan = IngestPlan()
    for root in roots:
        for path, doc_id in iter_corpus_files(root):
            try:
                kind_of(doc_id)
            except DocumentError:
                continue
            if doc_id in exclude and root.resolve() not in own:
                continue
            if doc_id in origin and origin[doc_id] != root:
                raise IngestError(
                    f"two documents have the id {doc_id!r}, one under {origin[doc_id]} "
                    f"and one under {root}: rename one of them"
                )
            origin[doc_id] = root
            if doc_id not in indexed:
                plan.added.append(doc_id)
            elif source_file_sha256(path) == indexed[doc_id]:
                plan.unchanged.append(doc_id)
            else:
                plan.changed.append(doc_id)
    plan.removed = sorted(d for d in indexed if d not in origin)
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
    return build_index(
        fresh,
        kept,
        encoder,
        home,
        options.chunking,
        previous,
        roots=roots,
        batch_size=options.batch_size,
        progress=options.progress,
        on_progress=options.on_progress,
        keep_versions=options.keep_versions,
        store=options.store,
        sentence_vectors=options.sentence_vectors,
    )


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


def _refuse_duplicate_ids(ids: list[str]) -> None:
    seen: set[str] = set()
    for doc_id in ids:
        if doc_id in seen:
            raise IngestError(f"two documents have the id {doc_id!r}: give them distinct names")
        seen.add(doc_id)
