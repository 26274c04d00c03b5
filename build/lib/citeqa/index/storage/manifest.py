"""Index versions on disk: the manifest, publishing a version, collecting garbage.

Layout under the home folder (`CITEQA_HOME`):

    segments/<name>/                  immutable slices of the index (segment.py)
    indexes/<version>/manifest.json   model, chunking, documents and the segment each one is
                                      read from, format version
    CURRENT                           the name of the version being served

A write embeds only the documents it adds or changes, into one new segment; the new version's
manifest lists the older segments it keeps and which documents each one holds live. Replaced and
removed documents' rows stay in their segment, dead, until a merge (merge.py) rewrites it.
Writing a version is build.py's; this module names, publishes and collects them.

A segment and a version are written under temporary names, fsynced and renamed into place; the
version is made current by atomically replacing CURRENT, so readers never see a half-written
version. A write that fails (a full disk, any error) removes what it wrote and leaves CURRENT as
it was; `kill -9` leaves only unreferenced files, which the next write's garbage collection removes.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from citeqa.corpus import LOADER_VERSION, ChunkSettings, Document
from citeqa.index.encoder.base import Encoder
from citeqa.index.vectorstores.base import VectorStore, VectorStoreError

from .files import fsync_dir, is_disk_full, sync
from .segment import open_texts, passage_ids, stored_rows
from .staging import staged_names

# Bumped whenever a reader of this code could not read what an older writer wrote. An index in
# another format is not read: `citeqa ingest` rebuilds it from its documents (docs/storage.md).
FORMAT_VERSION = 5  # 5: documents carry metadata and dates (textstore DOC_META)


class StoreError(RuntimeError):
    """Base of the errors about the index on disk."""


class NoIndexError(StoreError):
    """No index has been built in this home yet."""


class IndexMismatchError(StoreError):
    """The index on disk was built by another model or format; it must be rebuilt."""


class IndexFormatError(IndexMismatchError):
    """The index on disk is in another on-disk format than this citeqa reads: rebuild it."""


class IndexDamagedError(IndexMismatchError):
    """An index version's files are missing, truncated or corrupt."""


class StorageFullError(StoreError):
    """No space (or quota) left to write: nothing was published, the current version answers."""


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


# --- on disk -----------------------------------------------------------------------------------


def new_version_name() -> str:
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
    used = staged_names(home)  # an unfinished ingest's segments: the next ingest resumes them
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
        try:
            store.delete(passage_ids(seq, np.arange(rows)))
        except VectorStoreError as err:  # the version is published; the rows are unreachable
            logging.getLogger("citeqa").warning(
                "could not delete the vectors of removed segment %s: %s", segment.name, err
            )


def read_manifest(home: Path) -> Manifest | None:
    """The current version's manifest alone (cheap: no vectors, no texts), or None."""
    version = current_version(home)
    if version is None:
        return None
    try:
        return Manifest(**json.loads((home / "indexes" / version / "manifest.json").read_text()))
    except (OSError, ValueError, TypeError):
        return None


def stored_documents(home: Path, manifest: Manifest, ids: list[str]) -> dict[str, Document]:
    """The documents `ids` as `manifest`'s version holds them, reading only their segments'
    texts (no vectors, no BM25)."""
    wanted: dict[str, set[str]] = {}
    for doc_id in ids:
        wanted.setdefault(manifest.placement[doc_id], set()).add(doc_id)
    found = {}
    for name, doc_ids in wanted.items():
        texts = open_texts(home / "segments" / name)
        for doc_id in doc_ids:
            row = texts.find(doc_id)
            if row is not None:
                found[doc_id] = texts.document(row).load()
    return found
