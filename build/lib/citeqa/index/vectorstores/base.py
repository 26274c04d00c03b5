"""Where passage vectors live: a small interface, with FAISS (a folder) and Milvus behind it.

A store holds unit vectors (float32[d]) keyed by int64 passage ids, each tagged with the id of its
document, and answers inner-product (= cosine) top-k questions. It records the model that made its
vectors (fingerprint and dimension) when it is created and refuses to open for another one.

Semantics every engine keeps (tests/test_vectorstore.py checks them on each):

- `add` with an id already present **overwrites** it (vector and document id): re-adding a
  segment after a crash is then harmless. The same id twice in one call is a ValueError.
- `delete` of an id that is not there is not an error; `delete_documents` returns the rows removed.
- `search` returns at most `k` (ids, scores), best first; fewer when the store holds fewer.
  Given document ids, it searches only their rows.
- `get` returns the vectors in the order of the ids asked for, KeyError if one is missing.
- Every write is visible to the next call on the same store, and durable once it returns.

    from citeqa.index.vectorstores import ModelIdentity, open_vector_store
    store = open_vector_store("var/vectors", ModelIdentity.of(encoder))          # FAISS folder
    store = open_vector_store("var/vectors.db", ModelIdentity.of(encoder))       # Milvus Lite
    store = open_vector_store("http://milvus:19530", ModelIdentity.of(encoder))  # Milvus server
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from citeqa.index.encoder.base import Encoder

DOC_ID_MAX_BYTES = 4096  # Milvus VARCHAR lengths are bytes; a path is at most 4096 on Linux


class VectorStoreError(RuntimeError):
    """Base of the errors about a vector store."""


class VectorStoreUnavailable(VectorStoreError):
    """The store did not answer (a server down, restarting or too slow): try again later."""


class VectorStoreMismatchError(VectorStoreError):
    """The store was built for another model or dimension (or by something else): rebuild it."""


@dataclass(frozen=True)
class ModelIdentity:
    """What a store's vectors were made with. Only fingerprint and dimension are compared."""

    fingerprint: str
    dimension: int
    name: str = ""  # for messages only

    @classmethod
    def of(cls, encoder: Encoder) -> ModelIdentity:
        return cls(encoder.fingerprint, encoder.dimension, encoder.name)

    def check(self, recorded: ModelIdentity, where: str) -> None:
        """Raise VectorStoreMismatchError unless `recorded` (from the store) is this model."""
        if (recorded.fingerprint, recorded.dimension) != (self.fingerprint, self.dimension):
            raise VectorStoreMismatchError(
                f"{where} holds vectors of model {recorded.name or '?'!r} "
                f"({recorded.fingerprint}, {recorded.dimension} dimensions), but the configured "
                f"model is {self.name or '?'!r} ({self.fingerprint}, {self.dimension} dimensions): "
                "rebuild the index (`citeqa ingest --rebuild`) to re-embed with it"
            )


class VectorStore(Protocol):
    """Unit vectors float32[d] keyed by int64 passage ids, each tagged with its document id."""

    model: ModelIdentity

    def add(self, ids: np.ndarray, doc_ids: Sequence[str], vectors: np.ndarray) -> None:
        """Store `vectors` (float32[n, d]) under `ids` (int64[n]), row i belonging to document
        `doc_ids[i]`; an id already present is overwritten."""
        ...

    def delete(self, ids: np.ndarray) -> None:
        """Remove these ids (int64[m]); ids not present are ignored."""
        ...

    def delete_documents(self, doc_ids: Sequence[str]) -> int:
        """Remove every row of these documents; returns the number of rows removed."""
        ...

    def search(
        self, query: np.ndarray, k: int, doc_ids: Sequence[str] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(ids int64[m], scores float32[m]) of the m = min(k, count) rows with the largest
        inner product with `query` (float32[d]), best first; with `doc_ids`, only rows of
        those documents (the filter is applied inside the search, not to its results)."""
        ...

    def get(self, ids: np.ndarray) -> np.ndarray:
        """float32[len(ids), d], the stored vectors in the order asked; KeyError if one is
        missing."""
        ...

    def count(self) -> int:
        """Rows stored."""
        ...

    def close(self) -> None:
        """Release files, connections and (Milvus Lite) the embedded server. Idempotent."""
        ...


# --- argument checks shared by the engines ------------------------------------------------------


def check_ids(ids: np.ndarray | Sequence[int]) -> np.ndarray:
    """int64[n] from anything integer-like and one-dimensional."""
    array = np.asarray(ids)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"ids must be a 1-d array of integers, got {array.dtype}{array.shape}")
    if array.dtype == np.uint64 and array.max() > np.iinfo(np.int64).max:
        raise ValueError("ids must fit in int64")
    return array.astype(np.int64, copy=False)


def check_add(
    ids: np.ndarray | Sequence[int], doc_ids: Sequence[str], vectors: np.ndarray, dimension: int
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The arguments of `add`, checked and converted: (int64[n], n doc ids, float32[n, d])."""
    id_array = check_ids(ids)
    docs = list(doc_ids)
    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    if matrix.ndim != 2 or matrix.shape[1] != dimension:
        raise ValueError(f"vectors must be float32[n, {dimension}], got shape {matrix.shape}")
    if not len(id_array) == len(docs) == len(matrix):
        raise ValueError(
            f"{len(id_array)} ids, {len(docs)} document ids and {len(matrix)} vectors: "
            "they must be as many"
        )
    if len(np.unique(id_array)) != len(id_array):
        raise ValueError("the same id appears twice in one add")
    for doc in docs:
        if not isinstance(doc, str) or not doc:
            raise ValueError(f"document ids must be non-empty strings, got {doc!r}")
        if len(doc.encode("utf-8")) > DOC_ID_MAX_BYTES:
            raise ValueError(f"document id longer than {DOC_ID_MAX_BYTES} bytes: {doc[:80]!r}...")
    if not np.isfinite(matrix).all():
        raise ValueError("vectors must be finite")
    return id_array, docs, matrix


def check_query(query: np.ndarray, dimension: int) -> np.ndarray:
    vector = np.ascontiguousarray(query, dtype=np.float32)
    if vector.shape != (dimension,):
        raise ValueError(f"query must be float32[{dimension}], got shape {vector.shape}")
    return vector


def missing_ids_error(missing: Sequence[int]) -> KeyError:
    shown = ", ".join(str(i) for i in list(missing)[:10])
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return KeyError(f"{len(missing)} ids not in the store: {shown}{more}")


def empty_hits() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
