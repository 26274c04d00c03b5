"""An index version on disk, and building one from documents.

Layout under the home folder (`CITEQA_HOME`):

    indexes/<version>/manifest.json   model, dimension, chunking, document hashes, format version
    indexes/<version>/documents.jsonl one document a line, with its normalised text
    indexes/<version>/passages.jsonl  one passage a line, in vector order, as offsets (no text copy)
    indexes/<version>/vectors.npy     float32[n_passages, dimension], L2-normalised
    CURRENT                           the name of the version being served

A version is written under a temporary name, fsynced, renamed into place, and only then made
current by atomically replacing CURRENT, so readers never see a half-written version. A write
that fails (a full disk, any error) removes what it wrote and leaves CURRENT as it was.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import numpy as np

from citeqa.corpus import (
    LOADER_VERSION,
    ChunkSettings,
    Document,
    Heading,
    Page,
    Passage,
    chunk_document,
)

from .dense import DenseIndex, open_dense_index, write_dense_index
from .embedding import Encoder
from .keyword import KeywordIndex

FORMAT_VERSION = 2  # 2: a keyword (BM25) index beside the vectors


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
    passages: int
    reused_documents: int = 0  # documents whose passages and vectors came from the previous version
    roots: list[str] = field(default_factory=list)  # the folders and files the documents came from
    loader_version: int = LOADER_VERSION
    backend: str = "torch"  # what ran the model: torch and onnx give the same vectors, int8 not


@dataclass
class IndexVersion:
    """A loaded, searchable index version. `vectors` row i embeds `passages[i]`."""

    path: Path
    manifest: Manifest
    documents: dict[str, Document]
    passages: list[Passage]
    vectors: np.ndarray  # float32[n, d], a read-only memory map of vectors.npy
    dense: DenseIndex = field(repr=False)
    keyword: KeywordIndex = field(repr=False)

    @cached_property
    def passage_counts(self) -> Counter[str]:
        """doc id -> number of passages."""
        return Counter(p.doc_id for p in self.passages)


def build_index(
    documents: Iterable[Document],
    encoder: Encoder,
    home: Path,
    chunking: ChunkSettings,
    previous: IndexVersion | None = None,
    *,
    roots: Sequence[Path] = (),
    batch_size: int = 32,
    progress: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    keep_versions: int = 3,
) -> Manifest:
    """Chunk and embed `documents` into a new version under `home` and make it current.

    Documents whose source hash, chunking and model match `previous` reuse its passages and
    vectors instead of being re-embedded, so an update costs in proportion to what changed.
    """
    docs = sorted(documents, key=lambda d: d.id)
    reusable = _reusable_rows(previous, encoder, chunking)
    plan: list[tuple[Document, list[Passage], np.ndarray | None]] = []
    for doc in docs:
        rows = reusable.get((doc.id, doc.sha256))
        # The same file can read differently after a loader change: reuse needs the same text.
        if (
            previous is not None
            and rows is not None
            and previous.documents[doc.id].text == doc.text
        ):
            plan.append((doc, [previous.passages[i] for i in rows], previous.vectors[rows]))
        else:
            plan.append((doc, chunk_document(doc, chunking), None))
    texts = [p.text for _, passages, vectors in plan if vectors is None for p in passages]
    fresh = encoder.encode_many(texts, batch_size, progress, on_progress)
    parts, row = [], 0
    for _, passages, vectors in plan:
        if vectors is None:
            vectors, row = fresh[row : row + len(passages)], row + len(passages)
        parts.append(vectors)
    all_passages = [p for _, passages, _ in plan for p in passages]
    manifest = Manifest(
        version=_new_version_name(),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        format_version=FORMAT_VERSION,
        model=encoder.name,
        model_fingerprint=encoder.fingerprint,
        backend=encoder.backend,
        dimension=encoder.dimension,
        chunking=asdict(chunking),
        documents={d.id: d.sha256 for d in docs},
        passages=len(all_passages),
        reused_documents=sum(v is not None for _, _, v in plan),
        roots=[str(r) for r in roots],
    )
    matrix = np.concatenate(parts) if parts else np.zeros((0, encoder.dimension), np.float32)
    keyword = KeywordIndex.build([p.text for p in all_passages])
    _publish(home, manifest, docs, all_passages, matrix, keyword)
    collect_garbage(home, keep_versions)
    return manifest


def _publish(
    home: Path,
    manifest: Manifest,
    docs: list[Document],
    passages: list[Passage],
    vectors: np.ndarray,
    keyword: KeywordIndex,
) -> None:
    """Write the version and make it current, or leave everything as it was and raise
    (StorageFullError when the disk or quota is full)."""
    try:
        final = _write_version(home, manifest, docs, passages, vectors, keyword)
        try:
            set_current(home, manifest.version)
        except BaseException:
            if current_version(home) != manifest.version:  # not published: nobody reads it
                shutil.rmtree(final, ignore_errors=True)
            raise
    except OSError as err:
        if not is_disk_full(err):
            raise
        serving = current_version(home)
        raise StorageFullError(
            "no space left on the device holding the index (CITEQA_HOME): the new version was "
            "not written and "
            + (f"{serving} still answers" if serving else "there is still no index")
            + "; free some space and try again"
        ) from err


def _reusable_rows(
    previous: IndexVersion | None, encoder: Encoder, chunking: ChunkSettings
) -> dict[tuple[str, str], list[int]]:
    """(doc id, sha256) -> vector rows, for the previous version's documents that can be reused."""
    if previous is None:
        return {}
    m = previous.manifest
    if m.model_fingerprint != encoder.fingerprint or m.chunking != asdict(chunking):
        return {}
    rows: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(previous.passages):
        rows.setdefault((p.doc_id, m.documents[p.doc_id]), []).append(i)
    return rows


# --- on disk -----------------------------------------------------------------------------------


def _new_version_name() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ-") + secrets.token_hex(3)


def _write_version(
    home: Path,
    manifest: Manifest,
    docs: list[Document],
    passages: list[Passage],
    vectors: np.ndarray,
    keyword: KeywordIndex,
) -> Path:
    indexes = home / "indexes"
    indexes.mkdir(parents=True, exist_ok=True)
    tmp, final = indexes / f".tmp-{manifest.version}", indexes / manifest.version
    tmp.mkdir()
    try:
        return _write_files(tmp, final, manifest, docs, passages, vectors, keyword)
    except BaseException:
        # A half-written version is removed at once (after a crash, the next ingest's
        # collect_garbage does it), giving back the space a full disk needs. `final` is not
        # current yet, so no reader can be using it.
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        raise


def _write_files(
    tmp: Path,
    final: Path,
    manifest: Manifest,
    docs: list[Document],
    passages: list[Passage],
    vectors: np.ndarray,
    keyword: KeywordIndex,
) -> Path:
    _write_lines(tmp / "documents.jsonl", (asdict(d) for d in docs))
    passage_rows = ({k: v for k, v in asdict(p).items() if k != "text"} for p in passages)
    _write_lines(tmp / "passages.jsonl", passage_rows)
    with (tmp / "vectors.npy").open("wb") as f:
        np.save(f, vectors)
        _sync(f)
    write_dense_index(vectors, tmp)
    keyword.save(tmp / "keyword")
    for written in (tmp / "keyword").iterdir():
        with written.open("rb+") as f:
            _sync(f)
    _fsync_dir(tmp / "keyword")
    with (tmp / "manifest.json").open("w") as f:
        json.dump(asdict(manifest), f, indent=2)
        _sync(f)
    _fsync_dir(tmp)
    os.rename(tmp, final)
    _fsync_dir(final.parent)
    return final


def _write_lines(path: Path, rows: Iterable[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False))
            f.write("\n")
        _sync(f)


def _sync(f) -> None:  # type: ignore[no-untyped-def]
    f.flush()
    os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def set_current(home: Path, version: str) -> None:
    """Point CURRENT at `version` in one atomic rename."""
    tmp = home / f".CURRENT.{secrets.token_hex(4)}"
    try:
        with tmp.open("w") as f:
            f.write(version + "\n")
            _sync(f)
        os.replace(tmp, home / "CURRENT")
    finally:
        tmp.unlink(missing_ok=True)  # gone already unless writing it failed
    _fsync_dir(home)


def current_version(home: Path) -> str | None:
    try:
        return (home / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


def collect_garbage(home: Path, keep: int) -> None:
    """Remove unfinished versions and all but the newest `keep` finished ones (never CURRENT)."""
    indexes = home / "indexes"
    current = current_version(home)
    for leftover in indexes.glob(".tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    versions = sorted(p for p in indexes.iterdir() if not p.name.startswith("."))
    for old in versions[: max(len(versions) - max(keep, 1), 0)]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)


def read_manifest(home: Path) -> Manifest | None:
    """The current version's manifest alone (cheap: no vectors, no texts), or None."""
    version = current_version(home)
    if version is None:
        return None
    try:
        return Manifest(**json.loads((home / "indexes" / version / "manifest.json").read_text()))
    except (OSError, ValueError, TypeError):
        return None


def load_current(home: Path, encoder: Encoder) -> IndexVersion:
    """The version CURRENT names, checked against the encoder that will query it."""
    version = current_version(home)
    if version is None:
        raise NoIndexError(f"no index in {home}: run `citeqa ingest` first")
    return load_version(home / "indexes" / version, encoder)


def load_last_good(home: Path, encoder: Encoder) -> IndexVersion:
    """The current version, or, when its files are damaged, the newest older one that loads.

    Raises the current version's error when no version loads (or another model built them).
    """
    try:
        return load_current(home, encoder)
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
                return load_version(path, encoder)
            except StoreError:
                continue
        raise damaged


def load_version(path: Path, encoder: Encoder) -> IndexVersion:
    """A version from disk; IndexMismatchError for another model or format, IndexDamagedError
    when its files are missing, truncated or corrupt."""
    try:
        return _load_version(path, encoder)
    except StoreError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise IndexDamagedError(
            f"index {path.name} is damaged ({type(err).__name__}: {err}); "
            "run `citeqa ingest --rebuild`"
        ) from err


def _load_version(path: Path, encoder: Encoder) -> IndexVersion:
    try:
        manifest = Manifest(**json.loads((path / "manifest.json").read_text()))
    except (OSError, ValueError, TypeError) as err:
        raise IndexDamagedError(
            f"index {path.name} has no readable manifest ({err}); run `citeqa ingest --rebuild`"
        ) from err
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"index {manifest.version} has format {manifest.format_version}, this citeqa reads "
            f"{FORMAT_VERSION}: run `citeqa ingest --rebuild`"
        )
    if (manifest.model_fingerprint, manifest.dimension) != (encoder.fingerprint, encoder.dimension):
        raise IndexMismatchError(
            f"index {manifest.version} was built with model {manifest.model!r} "
            f"({manifest.model_fingerprint}), but the configured model is {encoder.name!r} "
            f"({encoder.fingerprint}): run `citeqa ingest --rebuild` to re-embed with it"
        )
    documents = {}
    for row in _read_lines(path / "documents.jsonl"):
        row["pages"] = [Page(**p) for p in row["pages"]]
        row["headings"] = [Heading(**h) for h in row["headings"]]
        documents[row["id"]] = Document(**row)
    passages = [
        Passage(text=documents[row["doc_id"]].text[row["start"] : row["end"]], **row)
        for row in _read_lines(path / "passages.jsonl")
    ]
    vectors = np.asarray(np.load(path / "vectors.npy", mmap_mode="r"))  # shared by workers
    if vectors.shape != (len(passages), manifest.dimension):
        raise IndexDamagedError(
            f"index {manifest.version} is damaged: {vectors.shape[0]} vectors for "
            f"{len(passages)} passages; run `citeqa ingest --rebuild`"
        )
    dense = open_dense_index(path, vectors)
    keyword = KeywordIndex.load(path / "keyword", len(passages))
    return IndexVersion(path, manifest, documents, passages, vectors, dense, keyword)


def _read_lines(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)
