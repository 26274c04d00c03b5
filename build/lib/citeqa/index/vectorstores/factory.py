"""Opening a vector store by where it is: a FAISS folder, a Milvus Lite file or a Milvus server."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .base import ModelIdentity, VectorStore
from .faiss_store import open_faiss_store


def open_vector_store(
    location: str | Path, model: ModelIdentity, *, token: str | None = None, **options: Any
) -> VectorStore:
    """The store at `location`, created empty for `model` if there is none.

    `http(s)://host:port` is a Milvus server (`token`: "user:password" or an API key), a path
    ending in `.db` a Milvus Lite database on this machine (a folder, despite the name), any other
    path a FAISS store folder. `options` go to the engine's opening function. Raises
    VectorStoreMismatchError when the store was made for another model.
    """
    spec = str(location)
    if spec.startswith(("http://", "https://")) or spec.endswith(".db"):
        # Imported here: pymilvus is an optional extra (citeqa[milvus]) and costs 0.4 s to load.
        from .milvus_store import open_milvus_store

        return open_milvus_store(spec, model, token=token, **options)
    return open_faiss_store(Path(spec), model, **options)


@dataclass(frozen=True)
class VectorStoreSpec:
    """Where an index keeps its vectors when not in its own segment files (CITEQA_VECTOR_STORE):
    opened on first use for the model that queries it, once per process (Milvus Lite allows one
    process, and every caller in it must share that one client)."""

    uri: str
    token: str | None = field(default=None, repr=False)
    collection: str | None = None  # None: the engine's default collection
    timeout: float | None = None  # seconds a call to a server may take; None: the engine's

    def open(self, model: ModelIdentity) -> VectorStore:
        key = (self.uri, self.token, self.collection, model.fingerprint, model.dimension)
        options: dict[str, Any] = {}
        if self.collection is not None:
            options["collection"] = self.collection
        if self.timeout is not None:
            options["timeout"] = self.timeout
        with _opened_lock:
            if key not in _opened:
                _opened[key] = open_vector_store(self.uri, model, token=self.token, **options)
            return _opened[key]


_opened: dict[tuple[str, str | None, str | None, str, int], VectorStore] = {}
_opened_lock = threading.Lock()


def close_opened_stores() -> None:
    """Close every store `VectorStoreSpec.open` opened (at exit, or between tests)."""
    with _opened_lock:
        for store in _opened.values():
            store.close()
        _opened.clear()
