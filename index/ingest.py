"""Files on disk -> a new current index version, re-embedding only what changed."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from citeqa.corpus import LOADER_VERSION, ChunkSettings, Document, DocumentError, load_corpus

from .embedding import Encoder
from .store import (
    IndexMismatchError,
    IndexVersion,
    Manifest,
    NoIndexError,
    build_index,
    load_current,
)


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
    on_progress: Callable[[int, int], None] | None = None  # (passages embedded, to embed)


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
) -> IngestReport:
    """Make the index mirror the documents under `roots` (folders or files).

    Files whose bytes are unchanged are not parsed again and keep their passages and vectors;
    `rebuild` re-reads and re-embeds everything.
    """
    started = time.perf_counter()
    for root in roots:
        if not root.exists():
            raise IngestError(f"{root}: no such file or folder")
    with ingest_lock(home):
        previous = current_or_none(home, encoder)
        same_loader = previous and previous.manifest.loader_version == LOADER_VERSION
        known = previous.documents if previous and same_loader and not rebuild else {}
        docs: list[Document] = []
        skipped: list[str] = []
        for item in load_corpus(roots, known):
            if isinstance(item, DocumentError):
                skipped.append(str(item))
            else:
                docs.append(item)
        if not docs:
            where = ", ".join(str(r) for r in roots)
            raise IngestError(f"no readable .txt, .md or .pdf documents under {where}")
        _refuse_duplicate_ids(docs)
        manifest = _build(docs, encoder, home, options, None if rebuild else previous, roots)
    return _report(previous, manifest, skipped, started)


def update(
    home: Path,
    encoder: Encoder,
    options: BuildOptions,
    *,
    upserts: Sequence[Document] = (),
    deletes: Sequence[str] = (),
    root: Path | None = None,
) -> IngestReport:
    """A new version: the current one with `upserts` added or replaced and `deletes` removed.

    The caller holds `ingest_lock(home)`. Nothing is read from the corpus folders, so the cost is
    that of the changed documents (plus writing the version). `root` joins the recorded roots.
    """
    started = time.perf_counter()
    previous = current_or_none(home, encoder)
    docs = dict(previous.documents) if previous else {}
    for doc_id in deletes:
        docs.pop(doc_id, None)
    docs.update({doc.id: doc for doc in upserts})
    if not docs:
        raise IngestError("the index would be empty: at least one document must remain")
    roots = [Path(r) for r in previous.manifest.roots] if previous else []
    if root is not None and str(root) not in {str(r) for r in roots}:
        roots.append(root)
    manifest = _build(list(docs.values()), encoder, home, options, previous, roots)
    return _report(previous, manifest, [], started)


def current_or_none(home: Path, encoder: Encoder) -> IndexVersion | None:
    """The current version, or None when there is none usable (absent, other model or format)."""
    try:
        return load_current(home, encoder)
    except (NoIndexError, IndexMismatchError):
        return None


def _build(
    docs: list[Document],
    encoder: Encoder,
    home: Path,
    options: BuildOptions,
    previous: IndexVersion | None,
    roots: Sequence[Path],
) -> Manifest:
    return build_index(
        docs,
        encoder,
        home,
        options.chunking,
        previous,
        roots=roots,
        batch_size=options.batch_size,
        progress=options.progress,
        on_progress=options.on_progress,
        keep_versions=options.keep_versions,
    )


def _report(
    previous: IndexVersion | None, manifest: Manifest, skipped: list[str], started: float
) -> IngestReport:
    old = previous.manifest.documents if previous else {}
    new = manifest.documents
    return IngestReport(
        version=manifest.version,
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


def _refuse_duplicate_ids(docs: list[Document]) -> None:
    seen: set[str] = set()
    for doc in docs:
        if doc.id in seen:
            raise IngestError(f"two documents have the id {doc.id!r}: give them distinct names")
        seen.add(doc.id)
