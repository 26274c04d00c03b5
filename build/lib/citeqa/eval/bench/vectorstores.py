"""Vector store benchmark: the FAISS store against Milvus Lite on the same random unit vectors.

    python -m citeqa.eval.bench.vectorstores [--n 10000] [--dimension 384] [--out var/bench]

Per engine: seconds to open (create) a store, to add n vectors (in slices of 1,000, as segments
would come), question latency (k=10, one query at a time), `get` of 100 ids, `delete_documents`
of one document, and reopening. For Milvus Lite also the import of pymilvus, which starts the
first time a store opens. Writes vectorstores.json; every search is checked against numpy.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import click
import numpy as np

from citeqa.index.vectorstores import ModelIdentity, open_vector_store

from .common import percentiles, write_json


def _seconds(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def measure(location: Path, n: int, dimension: int, queries: int) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(n, dimension)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(n, dtype=np.int64) + (3 << 32)
    docs = [f"doc-{i // 20}.pdf" for i in range(n)]  # 20 passages a document
    model = ModelIdentity("bench", dimension, "random")
    started = time.perf_counter()
    store = open_vector_store(location, model)
    result: dict[str, Any] = {"open_s": _seconds(started)}
    started = time.perf_counter()
    for start in range(0, n, 1_000):
        store.add(
            ids[start : start + 1_000], docs[start : start + 1_000], vectors[start : start + 1_000]
        )
    result["add_s"] = _seconds(started)
    asked = vectors[rng.choice(n, queries, replace=False)] + rng.normal(
        scale=0.05, size=(queries, dimension)
    ).astype(np.float32)
    latencies, hits = [], []
    for query in asked:
        started = time.perf_counter()
        hits.append(store.search(query, 10)[0])
        latencies.append((time.perf_counter() - started) * 1000)
    # Checked afterwards: BLAS threads still spinning after a matrix product slow the next search.
    exact = sum(
        list(found) == list(ids[np.argsort(-(vectors @ query))[:10]])
        for found, query in zip(hits, asked, strict=True)
    )
    result["search_ms"] = percentiles(latencies)
    result["search_exact_share"] = exact / queries
    started = time.perf_counter()
    store.get(ids[rng.choice(n, 100, replace=False)])
    result["get_100_ms"] = round((time.perf_counter() - started) * 1000, 2)
    started = time.perf_counter()
    result["delete_document_rows"] = store.delete_documents(["doc-7.pdf"])
    result["delete_document_ms"] = round((time.perf_counter() - started) * 1000, 2)
    started = time.perf_counter()
    store.close()
    result["close_s"] = _seconds(started)
    started = time.perf_counter()
    store = open_vector_store(location, model)
    result["reopen_s"] = _seconds(started)
    result["count_after_reopen"] = store.count()
    store.close()
    return result


@click.command()
@click.option("--n", default=10_000, help="Vectors stored.")
@click.option("--dimension", default=384)
@click.option("--queries", default=200)
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/bench"))
def main(n: int, dimension: int, queries: int, out: Path) -> None:
    started = time.perf_counter()
    import pymilvus  # noqa: F401  (what opening the first Milvus store pays once)

    report: dict[str, Any] = {"n": n, "dimension": dimension, "queries": queries}
    report["pymilvus_import_s"] = _seconds(started)
    with tempfile.TemporaryDirectory() as tmp:
        report["faiss"] = measure(Path(tmp) / "faiss", n, dimension, queries)
        report["milvus_lite"] = measure(Path(tmp) / "vectors.db", n, dimension, queries)
    path = write_json(out, "vectorstores.json", report)
    for engine in ("faiss", "milvus_lite"):
        r = report[engine]
        click.echo(
            f"{engine}: open {r['open_s']} s, add {n} in {r['add_s']} s, search p50 "
            f"{r['search_ms']['p50']} ms p95 {r['search_ms']['p95']} ms (exact "
            f"{r['search_exact_share']:.0%}), get 100 {r['get_100_ms']} ms, delete a document "
            f"{r['delete_document_ms']} ms, reopen {r['reopen_s']} s"
        )
    click.echo(f"pymilvus import {report['pymilvus_import_s']} s; {path}")


if __name__ == "__main__":
    main()
