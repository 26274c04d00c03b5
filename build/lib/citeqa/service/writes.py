"""Adding, replacing and removing documents, and rebuild jobs: the write side of the service.

Every write holds the home's ingest lock while it changes the uploads folder (or, for a replaced
document of an ingested source, that source's folder) and publishes the new index version, and
undoes its file change if publishing fails, so a failed write changes nothing. The new bytes
are written before anything is replaced, and the rest is renames, so undoing a change needs no
disk space: a full disk fails the write (StorageFullError) and changes nothing.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from citeqa.corpus import Document, DocumentError, format_suffix, parse_document
from citeqa.index.encoder import Encoder
from citeqa.index.storage import (
    IngestError,
    IngestReport,
    StorageFullError,
    StoreError,
    ingest,
    ingest_lock,
    read_manifest,
    update,
)
from citeqa.index.storage.files import file_sha256, is_disk_full
from citeqa.index.storage.merge import compact, pending_merge

from .names import unknown_id_message
from .settings import Settings

log = logging.getLogger("citeqa")

MAX_NAME_CHARS = 120
# Hidden files of a write in progress (corpus loaders skip hidden files).
UPLOAD_PREFIX = ".upload-"  # the new bytes, before they take the document's name
ASIDE_PREFIX = ".replaced-"  # the old file, while its replacement or removal is published


class WriteConflict(RuntimeError):
    """The document already exists (add) or another write holds the lock."""


class UnknownDocument(KeyError):
    """args: the id, and the message to show (it names the nearest known ids)."""

    @property
    def message(self) -> str:
        return str(self.args[1]) if len(self.args) > 1 else f"no document with id {self.args[0]!r}"


@dataclass(frozen=True)
class Removal:
    """What `Writer.remove` did: `deleted`, the uploaded file it deleted; else `excluded`: the
    document came from an ingested source, whose file stays, and later ingests leave it out."""

    doc_id: str
    deleted: Path | None = None
    excluded: bool = False


EXCLUSIONS_FILE = "excluded.json"


def read_exclusions(home: Path) -> set[str]:
    """The ids `citeqa remove` took out of ingested sources (HOME/excluded.json)."""
    try:
        ids = json.loads((home / EXCLUSIONS_FILE).read_text())
    except FileNotFoundError:
        return set()
    except (OSError, ValueError) as err:
        raise StoreError(f"{home / EXCLUSIONS_FILE}: cannot read the excluded ids ({err})") from err
    return {str(i) for i in ids} if isinstance(ids, list) else set()


def write_exclusions(home: Path, ids: set[str]) -> None:
    """Record `ids` as excluded; none: the file is removed."""
    if not ids:
        (home / EXCLUSIONS_FILE).unlink(missing_ok=True)
        return
    home.mkdir(parents=True, exist_ok=True)
    tmp = home / f".{EXCLUSIONS_FILE}.{secrets.token_hex(4)}"
    try:
        tmp.write_text(json.dumps(sorted(ids), indent=1))
        os.replace(tmp, home / EXCLUSIONS_FILE)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        if is_disk_full(err):
            raise StorageFullError(
                "no space left on the device holding CITEQA_HOME: nothing was changed"
            ) from err
        raise


def safe_document_name(filename: str) -> str:
    """A file name that is safe to create inside the corpus folder, or DocumentError.

    Only the last path component is kept (no traversal), Unicode is NFKC-folded (no look-alike
    tricks), characters outside letters, digits and ". _ - ( )" become "_", leading dots go (no
    hidden files), and the stem is shortened so the name fits in `MAX_NAME_CHARS`.
    """
    name = unicodedata.normalize("NFKC", filename).replace("\\", "/").split("/")[-1]
    name = re.sub(r"[^\w.()\- ]", "_", name, flags=re.ASCII).strip(" .")
    name = re.sub(r"\s+", " ", name).lstrip(".-")
    suffix = format_suffix(name)  # UnsupportedType for a type no format reads; ".md.gz" whole
    stem = name[: len(name) - len(suffix)][: MAX_NAME_CHARS - len(suffix)].strip(" .") or "document"
    return stem + suffix


class Writer:
    """The write operations of one service process over one home and its uploads folder."""

    def __init__(
        self,
        settings: Settings,
        encoder: Encoder,
        on_publish: Callable[[], None],
        *,
        background_merges: bool = True,
    ):
        self.settings = settings
        self.encoder = encoder
        self.on_publish = on_publish  # called after each new version, e.g. to reload at once
        # A service merges large runs of segments after answering; a CLI process, which would
        # exit under the merge, does them before it returns.
        self.background_merges = background_merges
        self.jobs = JobStore(settings.home / "jobs")
        self._compacting = threading.Lock()

    def add(self, filename: str, data: bytes, *, replace: str | None = None) -> Document:
        """Parse, store and index a document. `replace`: the id it replaces (PUT).

        A new document's file goes to the uploads folder (CITEQA_UPLOADS, default HOME/uploads);
        a replacement takes the place of the file it replaces.
        """
        doc_id = replace or safe_document_name(filename)
        if replace is not None:
            same_type = format_suffix(safe_document_name(filename)) == format_suffix(replace)
            if not same_type:
                raise DocumentError(
                    f"{filename!r}: a replacement must keep the type of {replace!r}"
                )
        doc = parse_document(data, doc_id)  # refuses bad content before anything is written
        with ingest_lock(self.settings.home, self.settings.write_wait_seconds):
            indexed = self._indexed_ids()
            if replace is None and doc_id in indexed:
                raise WriteConflict(
                    f"{doc_id!r} already exists; PUT /documents/{doc_id} replaces it"
                )
            if replace is not None and replace not in indexed:
                raise UnknownDocument(replace, unknown_id_message(replace, indexed))
            path, root = self.file_of(doc_id) if replace is not None else (None, None)
            if path is None or root is None:
                root = self.settings.uploads_folder
                path = _inside(root, doc_id)
            where = (
                f"the uploads folder (CITEQA_UPLOADS, {root})"
                if root == self.settings.uploads_folder
                else str(root)
            )
            with _staged(path, data, where):
                self._update(root, upserts=[doc])
        return doc

    def remove(self, doc_id: str) -> Removal:
        """Take a document out of the index. Its file is deleted when it is in the uploads
        folder; a document of an ingested source keeps its file and is recorded as excluded
        (HOME/excluded.json), so later ingests leave it out until `citeqa ingest --include`."""
        with ingest_lock(self.settings.home, self.settings.write_wait_seconds):
            indexed = self._indexed_ids()
            if doc_id not in indexed:
                raise UnknownDocument(doc_id, unknown_id_message(doc_id, indexed))
            path, root = self.file_of(doc_id)
            if path is not None and root == self.settings.uploads_folder:
                with _staged(path, None):
                    self._update(None, deletes=[doc_id])
                return Removal(doc_id, deleted=path)
            excluded = read_exclusions(self.settings.home)
            write_exclusions(self.settings.home, excluded | {doc_id})
            try:
                self._update(None, deletes=[doc_id])
            except BaseException:
                write_exclusions(self.settings.home, excluded)
                raise
            return Removal(doc_id, excluded=True)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """The home's write lock, as `add` and `remove` take it (a write waits for another up to
        CITEQA_WRITE_WAIT_SECONDS): a caller deciding what to change from the index as it is
        holds it across reading the index and `publish`."""
        with ingest_lock(self.settings.home, self.settings.write_wait_seconds):
            yield

    def publish(
        self, upserts: list[Document], deletes: list[str], root: Path | None = None
    ) -> IngestReport:
        """Index documents whose files are already in place (a watched folder): nothing is
        staged, moved or excluded. `root` joins the recorded sources. The caller holds
        `locked()`."""
        return self._update(root, upserts=upserts, deletes=deletes)

    def file_of(self, doc_id: str) -> tuple[Path | None, Path | None]:
        """(the file, the folder it was ingested from) of an indexed document: the uploads
        folder first, then the recorded sources; (None, None) when no file is found."""
        uploads = self.settings.uploads_folder
        for root in [uploads, *(r for r in self._recorded_roots() if r != uploads)]:
            if root.is_dir():
                with suppress(UnknownDocument):
                    path = _inside(root, doc_id)
                    if path.is_file():
                        return path, root
            elif root.name == doc_id and root.is_file():
                return root, root.parent
        return None, None

    def start_rebuild(self) -> Job:
        """Re-read and re-embed the corpus in a background thread; progress goes to the job."""
        job = self.jobs.create("rebuild")

        def run() -> None:
            saved: list[Any] = [0.0, ""]  # when the job file was last written, at which stage

            def progress(counts: dict[str, Any]) -> None:
                # The counts change per file and per slice of passages: the file is rewritten at
                # most twice a second, and at every change of stage.
                now = time.monotonic()
                if counts["stage"] != saved[1] or now - saved[0] >= 0.5:
                    saved[:] = [now, counts["stage"]]
                    self.jobs.save(job, progress=counts)

            try:
                self.jobs.save(job, state="running")
                for note in recover_corpus(self.settings):
                    log.warning("interrupted write: %s", note)
                options = self.settings.build_options(self.encoder, on_progress=progress)
                report = ingest(
                    self._roots(),
                    self.encoder,
                    self.settings.home,
                    options,
                    rebuild=True,
                    exclude=read_exclusions(self.settings.home),
                    own_roots=[self.settings.uploads_folder],
                )
                self.on_publish()
                self.jobs.save(job, state="done", result=asdict(report))
            except Exception as err:  # the job reports any failure; the old version keeps serving
                # Saved in memory even when the job file cannot be written (a full disk).
                with suppress(OSError, StoreError):
                    self.jobs.save(job, state="failed", error=str(err))

        threading.Thread(target=run, name=f"rebuild-{job.id}", daemon=True).start()
        return job

    def _update(self, root: Path | None, **changes: list) -> IngestReport:  # type: ignore[type-arg]
        report = update(
            self.settings.home,
            self.encoder,
            self.settings.build_options(self.encoder),
            root=root,
            merge_all=not self.background_merges,
            **changes,
        )  # small merges included; a large one (rare) is left to the background
        self.on_publish()
        if self.background_merges and pending_merge(self.settings.home):
            self._merge_in_background()
        return report

    def _merge_in_background(self) -> None:
        """Run the merges a write left pending (store.compact), holding the ingest lock, so a
        write arriving meanwhile waits for it (up to CITEQA_WRITE_WAIT_SECONDS)."""
        if not self._compacting.acquire(blocking=False):
            return  # one is running; it will see this write's segment too

        def run() -> None:
            try:
                with ingest_lock(self.settings.home, self.settings.write_wait_seconds):
                    options = self.settings.build_options(self.encoder)
                    published = compact(
                        self.settings.home, options.keep_versions, store=options.store
                    )
                if published is not None:
                    self.on_publish()
            except Exception as err:  # the versions written so far stay; the next write retries
                log.warning("merging index segments failed: %s", err)
            finally:
                self._compacting.release()

        threading.Thread(target=run, name="compact", daemon=True).start()

    def _roots(self) -> list[Path]:
        """Where the indexed documents came from (as recorded), else the corpus folder."""
        return [r for r in self._recorded_roots() if r.exists()] or [self.settings.corpus]

    def _recorded_roots(self) -> list[Path]:
        manifest = read_manifest(self.settings.home)
        return [Path(r) for r in manifest.roots] if manifest else []

    def _indexed_ids(self) -> set[str]:
        manifest = read_manifest(self.settings.home)
        return set(manifest.documents) if manifest else set()


def _inside(root: Path, doc_id: str) -> Path:
    """Where a document's file lives in the folder `root`; never outside it."""
    resolved = root.resolve()
    path = (resolved / doc_id).resolve()
    if resolved not in path.parents:
        raise UnknownDocument(doc_id)
    return path


@contextmanager
def _staged(path: Path, data: bytes | None, where: str = "") -> Iterator[None]:
    """`path` holds `data` (None: is removed) inside the block, and is put back if it fails.

    The new bytes go to a hidden file first (StorageFullError if they do not fit); the old file
    is moved aside, not copied, so putting it back is a rename and cannot run out of space.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = _write_hidden(path, data, where) if data is not None else None
    aside = _aside(path)
    had_old = path.exists()
    try:
        if had_old:
            os.replace(path, aside)
        if fresh is not None:
            os.replace(fresh, path)
        yield
    except BaseException:
        if fresh is not None:
            fresh.unlink(missing_ok=True)
        if had_old:
            os.replace(aside, path)
        elif fresh is not None:
            path.unlink(missing_ok=True)
        raise
    if had_old:
        aside.unlink(missing_ok=True)


def _aside(path: Path) -> Path:
    """Where `path` waits while it is replaced or removed: a hidden name that also says which
    file it was, so that a write killed half-way can be finished or undone later
    (`recover_interrupted_writes`). A name too long for that gets a bare token."""
    token = secrets.token_hex(6)
    named = path.with_name(f"{ASIDE_PREFIX}{token}-{path.name}")
    return named if len(os.fsencode(named.name)) <= 255 else path.with_name(ASIDE_PREFIX + token)


def _write_hidden(path: Path, data: bytes, where: str = "") -> Path:
    """`data` written and fsynced to a hidden file beside `path` (which loaders skip)."""
    tmp = path.with_name(f"{UPLOAD_PREFIX}{secrets.token_hex(6)}")
    try:
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as err:
        tmp.unlink(missing_ok=True)
        if is_disk_full(err):
            raise StorageFullError(
                f"no space left on the device holding {where or path.parent}: "
                "nothing was changed; free some space and try again"
            ) from err
        raise
    return tmp


def recover_corpus(settings: Settings) -> list[str]:
    """`recover_interrupted_writes` on the folders writes change (the uploads folder, the corpus
    folder and the recorded sources), under the ingest lock; skipped (and left to the next start
    or ingest) while another writer holds it."""
    try:
        with ingest_lock(settings.home):
            manifest = read_manifest(settings.home)
            if manifest is None:
                return []
            # Ids are relative to the folder the index was built from: only then do they say
            # which documents of this folder are indexed and which are not.
            roots = [Path(r).resolve() for r in manifest.roots]
            folders = [settings.uploads_folder.resolve(), settings.corpus.resolve(), *roots]
            done: list[str] = []
            for folder in dict.fromkeys(folders):
                mirrored = folder in roots
                done += recover_interrupted_writes(folder, manifest.documents, mirrored)
    except IngestError:
        return []
    return done


def recover_interrupted_writes(
    corpus: Path, indexed: Mapping[str, str], mirrored: bool = False
) -> list[str]:
    """Finish or undo the file changes of writes that were killed half-way (a crash, kill -9,
    power loss) in the corpus folder; `indexed`: doc id -> sha256 of the indexed bytes, and
    `mirrored` when the index was built from this folder (so a name it lacks is not indexed).
    The caller holds the ingest lock, so no live write is half-way. Returns what it did.

    The index decides: a file moved aside whose bytes are the indexed ones goes back (the write
    was never published); one whose replacement is indexed, or whose removal is, is deleted (it
    was published). An unfinished upload was never published and is deleted. Anything else is
    left as it is.
    """
    done: list[str] = []
    if not corpus.is_dir():
        return done
    for folder, _, names in os.walk(corpus):
        for name in names:
            path = Path(folder) / name
            if name.startswith(UPLOAD_PREFIX):
                path.unlink(missing_ok=True)
                done.append(f"removed the unfinished upload {path}")
            elif name.startswith(ASIDE_PREFIX) and (
                note := _settle(path, corpus, indexed, mirrored)
            ):
                done.append(note)
    return done


def _settle(aside: Path, corpus: Path, indexed: Mapping[str, str], mirrored: bool) -> str | None:
    original = aside.name[len(ASIDE_PREFIX) :].partition("-")[2]
    if not original:
        return None  # a bare token: which file it was is unknown
    target = aside.with_name(original)
    wanted = indexed.get(target.relative_to(corpus).as_posix())
    if wanted is None:
        if not mirrored or target.exists():
            return None  # nothing says which copy is right
        aside.unlink()
        return f"removed the old copy of {target} (its removal is indexed)"
    if file_sha256(aside) == wanted and (not target.exists() or file_sha256(target) != wanted):
        os.replace(aside, target)
        return f"put back {target} (its replacement or removal was never published)"
    if target.exists() and file_sha256(target) == wanted:
        aside.unlink()
        return f"removed the replaced copy of {target} (the replacement is indexed)"
    return None


# --- jobs --------------------------------------------------------------------------------------


@dataclass
class Job:
    id: str
    kind: str
    state: str = "queued"  # queued, running, done, failed
    # The ingest's counts (index/storage/progress.py: stage, files, passages chunked, embedded,
    # written, seconds and seconds left)
    progress: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    finished_at: str | None = None
    result: dict | None = None  # type: ignore[type-arg]
    error: str | None = None


class JobStore:
    """Jobs as small JSON files under the home, so every worker process can report on them."""

    def __init__(self, folder: Path):
        self.folder = folder
        # This process's jobs as last changed, so their state is known even if a job file
        # could not be written (a full disk); other worker processes read the files.
        self._mine: dict[str, Job] = {}

    def create(self, kind: str) -> Job:
        job = Job(secrets.token_hex(8), kind, created_at=_now())
        self.save(job)
        return job

    def save(self, job: Job, **changes: object) -> None:
        for key, value in changes.items():
            setattr(job, key, value)
        if job.state in ("done", "failed") and job.finished_at is None:
            job.finished_at = _now()
        self._mine[job.id] = copy.copy(job)  # a snapshot: readers never see a half-made change
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{job.id}.{secrets.token_hex(4)}"
        try:
            tmp.write_text(json.dumps(asdict(job)))
            os.replace(tmp, self.folder / f"{job.id}.json")
        except OSError as err:
            tmp.unlink(missing_ok=True)
            if is_disk_full(err):
                raise StorageFullError(
                    "no space left on the device holding CITEQA_HOME to record the job; "
                    "free some space and try again"
                ) from err
            raise

    def get(self, job_id: str) -> Job | None:
        if not re.fullmatch(r"[0-9a-f]{16}", job_id):
            return None
        if job_id in self._mine:
            return self._mine[job_id]
        try:
            return Job(**json.loads((self.folder / f"{job_id}.json").read_text()))
        except (OSError, ValueError, TypeError):
            return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
