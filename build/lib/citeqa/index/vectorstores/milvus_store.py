"""The Milvus vector store, through pymilvus's MilvusClient: a server, or Milvus Lite in-process.

A uri `http(s)://host:19530` is a Milvus server (standalone or distributed, optional token); a
path ending in `.db` is Milvus Lite (the `milvus-lite` package): pymilvus starts its pure-Python
engine behind a gRPC server on a free 127.0.0.1 port, in threads of this process (no child
process), and the `.db` "file" is a folder with a LOCK held until the server stops. `close()`
stops it (otherwise it lives until the process exits). One process at a time can open a Lite
database: several service workers need a server (`milvus-lite server`, or Milvus itself).

One collection (default `citeqa_passages`): `id` INT64 primary key (the passage id), `doc_id`
VARCHAR, `vector` FLOAT_VECTOR(d); metric IP on unit vectors; index FLAT (exact: the same hits and
scores as the FAISS store) unless told otherwise. The model's fingerprint and dimension are
collection properties, checked at open.

Semantics, as vectorstores/base.py states them, and how Milvus is made to keep them:
- overwrite on add: `upsert` (delete + insert), because a Milvus server's `insert` keeps both rows
  of a repeated primary key (Milvus Lite happens to overwrite; a server does not);
- read-your-writes: the collection's consistency level is Strong; Milvus Lite ignores consistency
  levels (writes land in its memtable, visible at once) but searches unflushed rows by a slow
  scan (~375 ms a question at 10k rows against ~7 ms flushed), so writes to Lite are flushed;
- rows removed by `delete_documents`: the ids are queried by a filter, then deleted by id, until
  none is left, since delete results carry no reliable count across versions;
- `count()` is `count(*)` (exact after deletes), not the collection statistics, which a server
  updates only at compaction;
- every call is bounded by `timeout` seconds: pymilvus would otherwise retry an unreachable
  server 75 times (about 3.5 minutes) before failing. A call that fails, or a server that does not
  answer in time, raises VectorStoreUnavailable naming the server.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import grpc
import numpy as np
from pymilvus import DataType, MilvusClient, MilvusException

from .base import (
    ModelIdentity,
    VectorStoreError,
    VectorStoreMismatchError,
    VectorStoreUnavailable,
    check_add,
    check_ids,
    check_query,
    empty_hits,
    missing_ids_error,
)

COLLECTION = "citeqa_passages"
FORMAT = "1"
MAX_TOP_K = 16_384  # Milvus refuses a larger limit (and offset + limit) per search or query
ROWS_PER_WRITE = 2_000  # 3 MB of 384-d vectors a message: well under gRPC's 64 MB
TIMEOUT = 10.0  # seconds a call may take; a Strong search of a server waits ~0.2 s for a tick
# Calls that take `timeout=` (the static schema and index-params builders do not).
_BOUNDED = frozenset(
    "create_collection create_index delete describe_collection drop_collection flush get "
    "has_collection list_collections load_collection query search upsert".split()
)
IDS_PER_CALL = 1_000  # ids in one `id in [...]` expression
DOCS_PER_CALL = 100  # document ids in one `doc_id in [...]` expression
PROPERTY = {
    "fingerprint": "citeqa.model_fingerprint",
    "dimension": "citeqa.dimension",
    "model": "citeqa.model",
    "format": "citeqa.format",
}

_lite_lock = threading.Lock()
_lite_users: Counter[str] = Counter()  # Lite database folder -> stores open on it here


def quote(value: str) -> str:
    """`value` as a double-quoted Milvus filter string literal.

    Backslash and double quote are escaped, and so are CR and LF, which neither Milvus's grammar
    nor Milvus Lite's tokenizer accepts raw inside a literal (tab, for good measure). Everything
    else, any Unicode included, stands for itself in both.
    """
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


class _BoundedClient:
    """A MilvusClient whose calls carry a timeout and fail as VectorStoreUnavailable."""

    def __init__(self, client: MilvusClient, where: str, timeout: float) -> None:
        self.client = client
        self.where = where
        self.timeout = timeout

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)
        if name not in _BOUNDED:
            return method

        def bounded(*args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("timeout", self.timeout)
            try:
                return method(*args, **kwargs)
            except MilvusException as err:
                raise VectorStoreUnavailable(
                    f"the vector store ({self.where}) failed: {err.message}"
                ) from err
            except grpc.RpcError as err:  # a deadline or a lost channel pymilvus lets through
                code = err.code().name if isinstance(err, grpc.Call) else "unavailable"
                raise VectorStoreUnavailable(
                    f"the vector store ({self.where}) failed: {code.lower()}"
                ) from err

        return bounded


class MilvusStore:
    """A Milvus collection of passage vectors; see vectorstores/base.py for the contract."""

    def __init__(
        self,
        client: Any,  # a _BoundedClient
        collection: str,
        model: ModelIdentity,
        *,
        lite_path: str | None,
        consistency: str,
        search_params: dict[str, Any],
    ) -> None:
        self.client = client
        self.collection = collection
        self.model = model
        self.lite_path = lite_path  # the Milvus Lite folder this store keeps open, if any
        self.consistency = consistency
        self.search_params = search_params
        self._closed = False

    # --- reads -----------------------------------------------------------------------------

    def count(self) -> int:
        rows = self.client.query(
            self.collection,
            filter="",
            output_fields=["count(*)"],
            consistency_level=self.consistency,
        )
        return int(rows[0]["count(*)"])

    def search(
        self, query: np.ndarray, k: int, doc_ids: Sequence[str] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        vector = check_query(query, self.model.dimension)
        k = min(k, MAX_TOP_K)
        if k <= 0 or (doc_ids is not None and not doc_ids):
            return empty_hits()
        # Milvus applies the filter expression inside the search (pre-filtering the segments'
        # rows by the scalar field), so a narrow filter still gets its k nearest.
        expression = (
            "" if doc_ids is None else f"doc_id in [{', '.join(quote(d) for d in doc_ids)}]"
        )
        hits = self.client.search(
            self.collection,
            data=[vector.tolist()],
            filter=expression,
            limit=k,
            anns_field="vector",
            output_fields=["id"],  # an empty list would bring every field back from Lite
            search_params={"metric_type": "IP", "params": self.search_params},
            consistency_level=self.consistency,
        )[0]
        return np.asarray(hits.ids, dtype=np.int64), np.asarray(hits.distances, dtype=np.float32)

    def get(self, ids: np.ndarray) -> np.ndarray:
        wanted = check_ids(ids)
        found: dict[int, list[float]] = {}
        for chunk in _chunks(wanted.tolist(), IDS_PER_CALL):
            rows = self.client.get(
                self.collection,
                ids=chunk,
                output_fields=["vector"],
                consistency_level=self.consistency,
            )
            found.update((int(row["id"]), row["vector"]) for row in rows)
        missing = [i for i in wanted.tolist() if i not in found]
        if missing:
            raise missing_ids_error(missing)
        if not len(wanted):
            return np.zeros((0, self.model.dimension), dtype=np.float32)
        return np.array([found[i] for i in wanted.tolist()], dtype=np.float32)

    # --- writes ----------------------------------------------------------------------------

    def add(self, ids: np.ndarray, doc_ids: Sequence[str], vectors: np.ndarray) -> None:
        """Upserts in slices of ROWS_PER_WRITE: not atomic as a whole, but repeatable (an id
        added again overwrites), so a failed add is retried, not undone."""
        new_ids, docs, matrix = check_add(ids, doc_ids, vectors, self.model.dimension)
        for start in range(0, len(new_ids), ROWS_PER_WRITE):
            end = start + ROWS_PER_WRITE
            rows = [
                {"id": i, "doc_id": doc, "vector": vector}
                for i, doc, vector in zip(
                    new_ids[start:end].tolist(), docs[start:end], matrix[start:end], strict=True
                )
            ]
            self.client.upsert(self.collection, rows)
        self._settle()

    def delete(self, ids: np.ndarray) -> None:
        for chunk in _chunks(check_ids(ids).tolist(), IDS_PER_CALL):
            self.client.delete(self.collection, ids=chunk)
        self._settle()

    def delete_documents(self, doc_ids: Sequence[str]) -> int:
        removed = 0
        for chunk in _chunks(sorted(set(doc_ids)), DOCS_PER_CALL):
            expression = f"doc_id in [{', '.join(quote(doc) for doc in chunk)}]"
            while True:  # each round deletes what the last query found: it ends
                rows = self.client.query(
                    self.collection,
                    filter=expression,
                    output_fields=["id"],
                    limit=MAX_TOP_K,
                    consistency_level=self.consistency,
                )
                if not rows:
                    break
                found = [int(row["id"]) for row in rows]
                for ids in _chunks(found, IDS_PER_CALL):
                    self.client.delete(self.collection, ids=ids)
                removed += len(found)
        self._settle()
        return removed

    def _settle(self) -> None:
        """Milvus Lite: seal the memtable into an indexed segment (see the module docstring).
        A server needs nothing: Strong consistency already shows the write."""
        if self.lite_path is not None:
            self.client.flush(self.collection)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.client.close()
        if self.lite_path is not None:
            _release_lite(self.lite_path)


def open_milvus_store(
    uri: str,
    model: ModelIdentity,
    *,
    token: str | None = None,
    collection: str = COLLECTION,
    index_type: str = "FLAT",
    index_params: dict[str, Any] | None = None,
    search_params: dict[str, Any] | None = None,
    consistency: str = "Strong",
    create: bool = True,
    timeout: float = TIMEOUT,
) -> MilvusStore:
    """The store in `collection` at `uri`, created empty for `model` if missing (unless `create`
    is False); VectorStoreMismatchError if it holds another model's vectors.

    `index_type` and `index_params` apply when the collection is created (FLAT: exact; on a
    server at scale e.g. "HNSW" with {"M": 16, "efConstruction": 200}, searched with
    `search_params` {"ef": 64}). `consistency` is used by every read: "Strong" sees every write
    made before it; "Bounded" skips the wait at the price of a few seconds' staleness.
    `timeout`: seconds each call may take before VectorStoreUnavailable.
    """
    lite_path = None
    if uri.startswith(("http://", "https://")):
        try:
            client = MilvusClient(uri=uri, token=token or "", timeout=timeout)
        except MilvusException as err:
            raise VectorStoreUnavailable(
                f"cannot reach the Milvus server at {uri}: {err.message}"
            ) from err
    elif uri.endswith(".db"):
        lite_path = str(Path(uri).expanduser().resolve())
        Path(lite_path).parent.mkdir(parents=True, exist_ok=True)
        with _lite_lock:
            _lite_users[lite_path] += 1
        try:
            client = MilvusClient(uri=lite_path)
        except BaseException as err:
            _release_lite(lite_path)
            if isinstance(err, MilvusException):  # the engine logged why; usually its LOCK
                raise VectorStoreError(
                    f"cannot open the Milvus Lite database {lite_path} ({err.message}): is it "
                    "open in another process? Milvus Lite serves one process at a time; for "
                    "several (e.g. service workers) run a Milvus server"
                ) from err
            raise
    else:
        raise ValueError(
            f"not a Milvus uri: {uri!r} (http(s)://host:port for a server, "
            "a path ending in .db for Milvus Lite)"
        )
    store = MilvusStore(
        _BoundedClient(client, f"Milvus at {uri}" if lite_path is None else lite_path, timeout),
        collection,
        model,
        lite_path=lite_path,
        consistency=consistency,
        search_params=search_params or {},
    )
    try:
        where = f"the Milvus collection {collection!r} at {uri}"
        if client.has_collection(collection):
            _check_collection(client, collection, model, where)
            client.load_collection(collection)  # a reopened collection starts released
        elif create:
            _create_collection(client, collection, model, index_type, index_params or {})
        else:
            raise VectorStoreError(f"{where} does not exist")
    except BaseException:
        store.close()
        raise
    return store


def _create_collection(
    client: Any,
    collection: str,
    model: ModelIdentity,
    index_type: str,
    index_params: dict[str, Any],
) -> None:
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("doc_id", DataType.VARCHAR, max_length=4096)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=model.dimension)
    indexes = client.prepare_index_params()
    indexes.add_index("vector", index_type=index_type, metric_type="IP", params=index_params)
    client.create_collection(
        collection,
        schema=schema,
        consistency_level="Strong",
        properties={
            PROPERTY["fingerprint"]: model.fingerprint,
            PROPERTY["dimension"]: str(model.dimension),
            PROPERTY["model"]: model.name,
            PROPERTY["format"]: FORMAT,
        },
    )
    # Not waited for: pymilvus would poll every 0.5 s (and Milvus Lite logs an error for the
    # timestamp that polling asks for). An empty collection's index is there at once.
    client.create_index(collection, indexes, sync=False)
    client.load_collection(collection)


def _check_collection(client: Any, collection: str, model: ModelIdentity, where: str) -> None:
    info = client.describe_collection(collection)
    properties = info.get("properties", {})
    fields = {field["name"]: field for field in info.get("fields", [])}
    vector = fields.get("vector", {})
    if (
        properties.get(PROPERTY["format"]) != FORMAT
        or PROPERTY["fingerprint"] not in properties
        or vector.get("type") != DataType.FLOAT_VECTOR
        or "doc_id" not in fields
    ):
        raise VectorStoreMismatchError(
            f"{where} was not made by this citeqa (no model recorded, or another schema): "
            "rebuild the index into a new collection (`citeqa ingest --rebuild`)"
        )
    recorded = ModelIdentity(
        properties[PROPERTY["fingerprint"]],
        int(vector.get("params", {}).get("dim", properties.get(PROPERTY["dimension"], 0))),
        properties.get(PROPERTY["model"], ""),
    )
    model.check(recorded, where)


def _release_lite(path: str) -> None:
    """One store fewer on this Lite database; the last one stops its server and frees its LOCK."""
    with _lite_lock:
        _lite_users[path] -= 1
        last = _lite_users[path] <= 0
        if last:
            del _lite_users[path]
    if last:
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(path)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
