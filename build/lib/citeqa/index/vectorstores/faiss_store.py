"""The FAISS vector store: a folder holding one file, `vectors.npz`, searched exactly in memory.

The file holds the ids (int64[n]), the vectors (float32[n, d]), each row's document as a number
into a list of document ids, and the model that made the vectors, so a single atomic rename
publishes all of them together: every write builds the new arrays, writes them under a temporary
name, fsyncs and renames over the old file, and only then replaces what is in memory. A write that
fails (a full disk) leaves both the file and the store as they were.

Search is FAISS's exact inner-product scan (`faiss.knn`, as retrieval/dense.py does for small
indexes); ids are looked up through a sorted copy of the ids (`np.searchsorted`), vectorised.
One process writes a store; a reader in another process sees a write when it opens the store.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

import faiss
import numpy as np

from .base import (
    ModelIdentity,
    VectorStoreError,
    check_add,
    check_ids,
    check_query,
    empty_hits,
    missing_ids_error,
)

FILE = "vectors.npz"
FORMAT = 1


class FaissStore:
    """A FAISS store folder, loaded; see vectorstores/base.py for the contract."""

    def __init__(
        self,
        folder: Path,
        model: ModelIdentity,
        ids: np.ndarray,
        vectors: np.ndarray,
        doc_index: np.ndarray,
        documents: list[str],
    ) -> None:
        self.folder = folder
        self.model = model
        self._set(ids, vectors, doc_index, documents)

    def _set(
        self, ids: np.ndarray, vectors: np.ndarray, doc_index: np.ndarray, documents: list[str]
    ) -> None:
        self._ids = ids  # int64[n]
        self._vectors = vectors  # float32[n, d]
        self._doc_index = doc_index  # int32[n], row -> position in _documents
        self._documents = documents
        self._order = np.argsort(ids, kind="stable")  # ids[_order] is sorted: for lookups

    # --- reads -----------------------------------------------------------------------------

    def count(self) -> int:
        return len(self._ids)

    def search(
        self, query: np.ndarray, k: int, doc_ids: Sequence[str] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        vector = check_query(query, self.model.dimension)
        if doc_ids is not None:
            return self._search_documents(vector, k, doc_ids)
        k = min(k, len(self._ids))
        if k <= 0:
            return empty_hits()
        scores, rows = faiss.knn(vector[None, :], self._vectors, k, faiss.METRIC_INNER_PRODUCT)
        return self._ids[rows[0]], scores[0].astype(np.float32)

    def _search_documents(
        self, vector: np.ndarray, k: int, doc_ids: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """An exact scan of the rows of `doc_ids` only (their vectors gathered, then scored)."""
        wanted = set(doc_ids)
        numbers = [i for i, doc in enumerate(self._documents) if doc in wanted]
        rows = np.flatnonzero(np.isin(self._doc_index, numbers))
        k = min(k, rows.size)
        if k <= 0:
            return empty_hits()
        scores, found = faiss.knn(
            vector[None, :], self._vectors[rows], k, faiss.METRIC_INNER_PRODUCT
        )
        return self._ids[rows[found[0]]], scores[0].astype(np.float32)

    def get(self, ids: np.ndarray) -> np.ndarray:
        rows, found = self._rows(check_ids(ids))
        if not found.all():
            raise missing_ids_error(np.asarray(ids)[~found].tolist())
        return self._vectors[rows]

    def _rows(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows int64[m], found bool[m]) of `ids`; rows of ids not found are meaningless."""
        if len(self._ids) == 0:
            return np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=bool)
        sorted_ids = self._ids[self._order]
        at = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
        return self._order[at], sorted_ids[at] == ids

    # --- writes ----------------------------------------------------------------------------

    def add(self, ids: np.ndarray, doc_ids: Sequence[str], vectors: np.ndarray) -> None:
        new_ids, docs, matrix = check_add(ids, doc_ids, vectors, self.model.dimension)
        if len(new_ids) == 0:
            return
        keep = ~np.isin(self._ids, new_ids)  # an id added again is overwritten
        documents = list(self._documents)
        number = {doc: i for i, doc in enumerate(documents)}
        for doc in docs:
            if doc not in number:
                number[doc] = len(documents)
                documents.append(doc)
        self._write(
            np.concatenate([self._ids[keep], new_ids]),
            np.concatenate([self._vectors[keep], matrix]),
            np.concatenate(
                [self._doc_index[keep], np.array([number[d] for d in docs], dtype=np.int32)]
            ),
            documents,
        )

    def delete(self, ids: np.ndarray) -> None:
        self._remove(np.isin(self._ids, check_ids(ids)))

    def delete_documents(self, doc_ids: Sequence[str]) -> int:
        wanted = set(doc_ids)
        numbers = [i for i, doc in enumerate(self._documents) if doc in wanted]
        return self._remove(np.isin(self._doc_index, numbers))

    def _remove(self, rows: np.ndarray) -> int:
        removed = int(rows.sum())
        if removed:
            keep = ~rows
            self._write(
                self._ids[keep], self._vectors[keep], self._doc_index[keep], self._documents
            )
        return removed

    def _write(
        self, ids: np.ndarray, vectors: np.ndarray, doc_index: np.ndarray, documents: list[str]
    ) -> None:
        """Persist this state atomically, then make it the store's."""
        used, doc_index = np.unique(doc_index, return_inverse=True)  # forget documents gone
        documents = [documents[i] for i in used]
        doc_index = doc_index.astype(np.int32)
        _save(self.folder, self.model, ids, vectors, doc_index, documents)
        self._set(ids, np.ascontiguousarray(vectors), doc_index, documents)

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""


def open_faiss_store(folder: Path, model: ModelIdentity, *, create: bool = True) -> FaissStore:
    """The FAISS store in `folder`, created empty for `model` if there is none (unless `create`
    is False). VectorStoreMismatchError if it holds another model's vectors."""
    path = folder / FILE
    if not path.is_file():
        if not create:
            raise VectorStoreError(f"no vector store in {folder}")
        folder.mkdir(parents=True, exist_ok=True)
        empty = np.zeros((0, model.dimension), dtype=np.float32)
        _save(folder, model, np.zeros(0, np.int64), empty, np.zeros(0, np.int32), [])
        return FaissStore(folder, model, np.zeros(0, np.int64), empty, np.zeros(0, np.int32), [])
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT:
                raise VectorStoreError(
                    f"{path} has format {meta.get('format')}, this citeqa reads {FORMAT}: "
                    "rebuild the index (`citeqa ingest --rebuild`)"
                )
            recorded = ModelIdentity(meta["fingerprint"], int(meta["dimension"]), meta["model"])
            model.check(recorded, f"the vector store {folder}")
            ids, vectors, doc_index = data["ids"], data["vectors"], data["doc_index"]
            documents = list(meta["documents"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise VectorStoreError(
            f"the vector store {path} is damaged ({type(err).__name__}: {err}): "
            "rebuild the index (`citeqa ingest --rebuild`)"
        ) from err
    if not (len(ids) == len(vectors) == len(doc_index)) or vectors.shape[1:] != (model.dimension,):
        raise VectorStoreError(f"the vector store {path} is damaged: its arrays disagree")
    return FaissStore(folder, model, ids, vectors, doc_index, documents)


def _save(
    folder: Path,
    model: ModelIdentity,
    ids: np.ndarray,
    vectors: np.ndarray,
    doc_index: np.ndarray,
    documents: list[str],
) -> None:
    meta = {
        "format": FORMAT,
        "fingerprint": model.fingerprint,
        "dimension": model.dimension,
        "model": model.name,
        "documents": documents,  # JSON, not a numpy str array: those drop trailing NULs
    }
    meta_bytes = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), np.uint8)
    tmp = folder / f".{FILE}.{secrets.token_hex(4)}"
    try:
        with tmp.open("wb") as f:
            np.savez(f, ids=ids, vectors=vectors, doc_index=doc_index, meta=meta_bytes)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, folder / FILE)
    finally:
        tmp.unlink(missing_ok=True)  # gone already unless writing it failed
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename itself
    finally:
        os.close(fd)
