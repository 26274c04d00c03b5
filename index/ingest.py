"""Files on disk -> a new current index version, re-embedding only what changed."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from citeqa.corpus import ChunkSettings, Document, DocumentError, load_corpus

from .embedding import Encoder
from .store import IndexMismatchError, IndexVersion, NoIndexError, build_index, load_current


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


@contextmanager
def ingest_lock(home: Path) -> Iterator[None]:
    """One writer per home: a second ingest is refused at once rather than interleaved."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / "ingest.lock").open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise IngestError(
                f"another ingest is running in {home}; try again when it ends"
            ) from err
        lock.truncate(0)
        lock.write(str(os.getpid()))
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ingest(
    roots: Sequence[Path],
    encoder: Encoder,
    home: Path,
    chunking: ChunkSettings,
    *,
    rebuild: bool = False,
    batch_size: int = 32,
    keep_versions: int = 3,
    progress: bool = False,
) -> IngestReport:
    """Make the index mirror the documents under `roots` (folders or files).

    Unchanged documents keep their passages and vectors; `rebuild` re-embeds everything.
    """
    started = time.perf_counter()
    for root in roots:
        if not root.exists():
            raise IngestError(f"{root}: no such file or folder")
    with ingest_lock(home):
        docs: list[Document] = []
        skipped: list[str] = []
        for item in load_corpus(roots):
            if isinstance(item, DocumentError):
                skipped.append(str(item))
            else:
                docs.append(item)
        if not docs:
            where = ", ".join(str(r) for r in roots)
            raise IngestError(f"no readable .txt, .md or .pdf documents under {where}")
        _refuse_duplicate_ids(docs)
        previous = _previous(home, encoder)
        manifest = build_index(
            docs,
            encoder,
            home,
            chunking,
            previous=None if rebuild else previous,
            batch_size=batch_size,
            progress=progress,
            keep_versions=keep_versions,
        )
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


def _previous(home: Path, encoder: Encoder) -> IndexVersion | None:
    try:
        return load_current(home, encoder)
    except (NoIndexError, IndexMismatchError):
        return None


def _refuse_duplicate_ids(docs: list[Document]) -> None:
    seen: set[str] = set()
    for doc in docs:
        if doc.id in seen:
            raise IngestError(f"two documents have the id {doc.id!r}: give them distinct names")
        seen.add(doc.id)
