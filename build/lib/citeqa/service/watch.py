"""Keeping an index in step with folders: file changes, grouped by burst, become index writes.

watchfiles (the Rust `notify` crate: inotify, FSEvents, ReadDirectoryChangesW) reports changed
paths and groups a burst of them; each group becomes at most one new index version, written
through the service's own write path (`Writer.locked` and `Writer.publish`), so a watched change
and an HTTP write never interleave. Event kinds are not trusted (an editor's save is a delete and
a create, a rename is two unrelated paths): each changed path is looked at as it is now, and the
index is made to match it.

A watched folder is a source of record: its files are indexed under ids relative to it, a file
removed from it leaves the index, and documents whose files live elsewhere (the uploads folder,
other sources) are never touched.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from citeqa.corpus import Document, DocumentError, iter_corpus_files, kind_of, parse_document
from citeqa.corpus.loading import is_sidecar, source_sha256
from citeqa.corpus.metadata import SIDECAR_SUFFIX
from citeqa.index.storage import (
    IngestError,
    Manifest,
    StorageFullError,
    StoreError,
    read_manifest,
)
from citeqa.index.storage.files import file_sha256

from .settings import Settings
from .writes import Writer, read_exclusions

log = logging.getLogger("citeqa.watch")

# Files editors, office suites and browsers write beside a document or while saving it; never
# documents. Hidden names (.#x, .x.swp, .x.swx, .~lock.x#, .DS_Store) fall under the hidden-file
# rule the loaders already follow.
TEMP_PREFIXES = (".", "~$", "#")  # hidden; Office owner files (~$report.docx); Emacs auto-saves
TEMP_SUFFIXES = ("~", ".tmp", ".swp", ".swx", ".part", ".crdownload")
TEMP_NAMES = frozenset({"4913"})  # vim creates and deletes it to test that a folder is writable
# Files deleted while nobody watched leave the index at start only as `citeqa ingest` would
# remove them without --prune: at most 3, or at most 10 % of the documents.
ORPHANS_REMOVED_AT_START = 3
ORPHANS_SHARE = 0.10
# How often the watcher wakes without changes: to retry deferred files and to see a stop.
IDLE_WAKE_MS = 500


def is_temporary(name: str) -> bool:
    """Whether a file name is an editor's temporary, backup or lock file (or hidden)."""
    return name.startswith(TEMP_PREFIXES) or name.endswith(TEMP_SUFFIXES) or name in TEMP_NAMES


@dataclass
class Batch:
    """One applied group of changes: the version it published, the ids it added, changed and
    removed, and the files it skipped ("<file>: <reason>")."""

    version: str | None = None
    documents: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"index {self.version}: {len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed ({self.documents} documents)"
        )


@dataclass
class _Plan:
    """What a group of changed paths asks of the index, before it is checked against it."""

    files: dict[Path, tuple[Path, str]] = field(default_factory=dict)  # file -> (root, doc id)
    gone: set[str] = field(default_factory=set)  # ids whose file, or folder, is gone


def watched_roots(settings: Settings) -> list[Path]:
    """The index's sources of record, less the uploads folder (its files change only through
    the write API, which indexes them itself); IngestError when there are none to watch."""
    manifest = read_manifest(settings.home)
    if manifest is None:
        raise IngestError("no index yet: run `citeqa ingest`, or give the folder to watch")
    uploads = settings.uploads_folder.resolve()
    roots = [Path(r) for r in manifest.roots if Path(r).resolve() != uploads]
    if not roots:
        raise IngestError("the index records no source folders: give the folder to watch")
    return roots


class Watcher:
    """Watches `roots` (folders or files) and applies their changes to the index of `writer`.

    `run` blocks until `stop`; `start` runs it in a daemon thread. Every applied group of
    changes is handed to `on_batch`; a change that fails is logged and the watcher goes on.
    """

    def __init__(
        self,
        settings: Settings,
        writer: Writer,
        roots: Sequence[Path],
        on_batch: Callable[[Batch], None] | None = None,
    ):
        missing = [r for r in roots if not r.exists()]
        if missing:
            raise IngestError(f"{missing[0]}: no such file or folder")
        self.settings = settings
        self.writer = writer
        self.roots = list(dict.fromkeys(r.expanduser().resolve() for r in roots))
        self.on_batch = on_batch or (lambda batch: log.info("%s", batch.line()))
        self.stopping = threading.Event()
        self._deferred: set[Path] = set()  # files still being written: looked at again
        self._resync = False  # the sync at start is still to be done (it could not write)
        self._told: set[str] = set()  # the skipped files reported, with their reasons
        self._thread: threading.Thread | None = None
        self.error: str | None = None  # why `run` ended, when not asked to stop
        # Files here change with every write (the index) or through the write API (uploads).
        self._own = [settings.home.resolve(), settings.uploads_folder.resolve()]

    # --- running ---------------------------------------------------------------------------

    def start(self) -> None:
        log.info("watching %s", ", ".join(str(r) for r in self.roots))
        self._thread = threading.Thread(target=self.run, name="citeqa-watch", daemon=True)
        self._thread.start()

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float | None = 30.0) -> None:
        """Stop watching; a group being applied is finished first (up to `timeout`)."""
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        """Bring the index in step with the roots, then apply their changes until `stop`."""
        try:
            self._watch()
        except Exception as err:  # e.g. the system's limit of inotify watches: said, not hidden
            self.error = f"watching stopped: {err}"
            log.error("%s", self.error)

    def _watch(self) -> None:
        first = True
        for changes in watchfiles.watch(
            *self._watch_paths(),
            watch_filter=self._wanted,
            step=round(self.settings.watch_debounce_seconds * 1000),
            debounce=round(self.settings.watch_max_wait_seconds * 1000),
            rust_timeout=IDLE_WAKE_MS,
            yield_on_timeout=True,
            stop_event=self.stopping,
            raise_interrupt=False,
        ):
            # The first pass (changes or a timeout, once the watch is in place, so nothing
            # made meanwhile is missed) also syncs what changed while nobody watched.
            if first or changes or self._deferred:
                self.apply([Path(p) for _, p in changes], everything=first)
            first = False

    def _watch_paths(self) -> list[Path]:
        # A file is watched through its folder: an editor's save replaces the file (a new
        # inode), which a watch on the file itself would not follow.
        paths = [r if r.is_dir() else r.parent for r in self.roots]
        return [p for p in dict.fromkeys(paths) if not any(q in p.parents for q in paths)]

    def _wanted(self, change: watchfiles.Change, path: str) -> bool:
        return not is_temporary(Path(path).name) and self._root_of(Path(path)) is not None

    def _root_of(self, path: Path) -> tuple[Path, str] | None:
        """(root, doc id) of a path inside a root, None for paths outside them, hidden ones and
        those of the home or the uploads folder."""
        if any(path == own or own in path.parents for own in self._own):
            return None
        for root in self.roots:
            if path == root:
                return root, "" if root.is_dir() else root.name
            if root in path.parents:
                rel = path.relative_to(root)
                if any(part.startswith(".") for part in rel.parts):
                    return None
                return root, rel.as_posix()
        return None

    # --- applying --------------------------------------------------------------------------

    def apply(self, paths: Iterable[Path], everything: bool = False) -> Batch | None:
        """Make the index match `paths` as they are now (`everything`: every file of the roots,
        and every indexed document whose file is gone); None when nothing changed. Files left
        over from an earlier call (still being written then) are looked at again."""
        paths = {*paths, *self._deferred}
        everything = everything or self._resync
        self._deferred, self._resync = set(), False
        plan = self._plan(paths, everything)
        if not plan.files and not plan.gone:
            return None
        self._wait_until_stable(plan)
        try:
            with self.writer.locked():
                batch = self._publish(plan)
        except (IngestError, StorageFullError) as err:
            # Another write held the lock too long, or the disk is full: tried again later.
            log.warning("watched changes not applied yet: %s", err)
            self._deferred |= paths
            self._resync |= everything
            return None
        except (StoreError, OSError) as err:  # e.g. an index of another model: said, not raised
            log.warning("watched changes not applied: %s", err)
            return None
        except Exception as err:  # the watcher outlives a failed write; the index is unchanged
            log.exception("watched changes not applied: %s", err)
            return None
        for problem in batch.skipped:
            if problem not in self._told:  # a file appended to all day is reported once
                self._told.add(problem)
                log.warning("skipped %s", problem)
        if batch.version is not None:
            self.on_batch(batch)
            return batch
        return None

    def _plan(self, paths: Iterable[Path], everything: bool) -> _Plan:
        plan = _Plan()
        manifest = read_manifest(self.settings.home)
        indexed = manifest.documents if manifest else {}
        if everything:
            paths = [*paths, *self.roots]
            plan.gone = set(self._orphans(manifest))
        for path in paths:
            if is_sidecar(path.name):  # a sidecar's change (or removal) is its file's
                path = path.with_name(path.name[: -len(SIDECAR_SUFFIX)])
            found = self._root_of(path)
            if found is None:
                continue
            root, doc_id = found
            if path == root and not root.exists():
                log.warning("the watched source %s is gone: no document is removed", root)
            elif path.is_dir():
                for file, _ in iter_corpus_files(path):
                    if not is_temporary(file.name) and (where := self._root_of(file)):
                        plan.files[file] = where
            elif path.exists():
                if not is_temporary(path.name):
                    plan.files[path] = (root, doc_id)
            else:  # a file, or a whole folder, gone (or renamed away)
                plan.gone |= {doc_id, *(d for d in indexed if d.startswith(doc_id + "/"))}
        return plan

    def _orphans(self, manifest: Manifest | None) -> list[str]:
        """Indexed ids with no file in any source: left by changes made while nobody watched.
        None while a recorded source is missing (an unmounted disk is not a deletion)."""
        if manifest is None:
            return []
        missing = [r for r in manifest.roots if not Path(r).exists()]
        if missing:
            log.warning("the recorded source %s is missing: no document is removed", missing[0])
            return []
        sources = self._sources(manifest)
        gone = [d for d in manifest.documents if _file_for(d, sources) is None]
        if len(gone) > max(ORPHANS_REMOVED_AT_START, ORPHANS_SHARE * len(manifest.documents)):
            log.warning(
                "%d indexed documents have no file (%s, ...): none is removed; "
                "`citeqa ingest --prune` removes them",
                len(gone),
                gone[0],
            )
            return []
        return gone

    def _wait_until_stable(self, plan: _Plan) -> None:
        """Files whose size or mtime moves over CITEQA_WATCH_STABLE_SECONDS are still being
        written: they wait for the next group (their next write brings them back anyway)."""
        before = {p: _stamp(p) for p in plan.files}
        if not before or self.settings.watch_stable_seconds == 0:
            return
        time.sleep(self.settings.watch_stable_seconds)
        for path, stamp in before.items():
            if _stamp(path) != stamp:
                del plan.files[path]
                self._deferred.add(path)

    def _publish(self, plan: _Plan) -> Batch:
        """Check `plan` against the index as it is under the write lock, and publish."""
        manifest = read_manifest(self.settings.home)
        indexed = manifest.documents if manifest else {}
        excluded = read_exclusions(self.settings.home)
        sources = self._sources(manifest)
        batch = Batch()
        upserts: list[Document] = []
        for path, (root, doc_id) in sorted(plan.files.items()):
            if doc_id in excluded:
                continue  # `citeqa remove` took it out; `citeqa ingest --include` brings it back
            other = _file_for(doc_id, sources, but=root)
            if other is not None:
                batch.skipped.append(f"{path}: its id {doc_id!r} is taken by {other}; rename one")
                continue
            result = self._read(path, doc_id, indexed.get(doc_id))
            if isinstance(result, Document):
                upserts.append(result)
            elif isinstance(result, str):
                batch.skipped.append(result)
        deletes = sorted(
            doc_id
            for doc_id in plan.gone
            if doc_id in indexed and _file_for(doc_id, sources) is None
        )
        if not upserts and not deletes:
            return batch
        if not upserts and set(deletes) >= set(indexed):
            batch.skipped += [f"{d}: the last document of the index stays" for d in deletes]
            return batch
        recorded = {Path(r).resolve() for r in manifest.roots} if manifest else set()
        new_roots = [r for r in self.roots if r not in recorded]
        report = self.writer.publish(upserts, deletes, new_roots[0] if new_roots else None)
        for root in new_roots[1:]:  # a second unrecorded root: recorded by an empty write
            report = self.writer.publish([], [], root)
        batch.version, batch.documents = report.version, report.documents
        batch.added = sorted(d.id for d in upserts if d.id not in indexed)
        batch.changed = sorted(d.id for d in upserts if d.id in indexed)
        batch.removed = deletes
        return batch

    def _read(self, path: Path, doc_id: str, indexed_sha: str | None) -> object:
        """The document to index from `path`; None when there is nothing to do (unchanged,
        gone, still being written); a "<file>: <reason>" string when it cannot be indexed."""
        try:
            kind_of(doc_id)
        except DocumentError as err:
            return str(err)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None  # gone since it changed: its removal is a change of its own
        except OSError as err:
            return f"{path}: cannot read the file ({err.strerror})"
        sha = hashlib.sha256(data).hexdigest()
        sidecar_path = path.with_name(path.name + SIDECAR_SUFFIX)
        try:
            sidecar = sidecar_path.read_bytes()
        except FileNotFoundError:
            sidecar = None
        except OSError as err:
            return f"{sidecar_path}: cannot read the file ({err.strerror})"
        if source_sha256(data, sidecar) == indexed_sha:
            return None
        try:
            doc = parse_document(data, doc_id, sidecar, path.stat().st_mtime)
        except DocumentError as err:
            # An indexed document keeps its last readable version rather than leaving.
            return str(err)
        try:
            whole = file_sha256(path) == sha
        except OSError:
            whole = False
        if not whole:  # written to while it was read: read again once it settles
            self._deferred.add(path)
            return None
        return doc

    def _sources(self, manifest: Manifest | None) -> list[Path]:
        """Where indexed documents' files may be: the uploads folder, the recorded sources and
        the watched roots."""
        recorded = [Path(r).resolve() for r in manifest.roots] if manifest else []
        roots = [self.settings.uploads_folder.resolve(), *recorded, *self.roots]
        return list(dict.fromkeys(roots))


def _file_for(doc_id: str, sources: list[Path], but: Path | None = None) -> Path | None:
    """The file of `doc_id` in one of `sources` other than `but`; None when it has none."""
    for root in sources:
        if root == but:
            continue
        if root.is_dir():
            path = root / doc_id
            if path.is_file() and root in path.resolve().parents:
                return path
        elif root.name == doc_id and root.is_file():
            return root
    return None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def log_to_stderr() -> None:
    """Applied groups of changes and skipped files as lines on stderr, unless the host process
    configured the logger itself."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
