"""The service over each vector store, side by side in one run: FAISS (the index's own files),
Milvus Lite (in-process) and a Milvus server.

    python -m citeqa.eval.bench.stores [--seconds 20] [--clients 16] [--out var/bench]

For each store a copy of the shipped corpus is indexed in a temporary home and served by
`citeqa serve` (one worker, 127.0.0.1): `/ask` one question at a time (HTTP round trip and the
server's took_ms), then `--clients` threads asking for `--seconds` (requests/s), then adding
one small document at a time (POST /documents until it answers 201, nothing else running). The
server column needs CITEQA_MILVUS_URI=http(s)://... (`make bench-stores` starts a server for the
run); each store's vectors go to a collection of the run's own. Figures go to OUT/stores.json.
"""

from __future__ import annotations

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import click
import httpx

from citeqa.service.settings import SHIPPED_CORPUS

from .common import Service, machine, percentiles, write_json
from .query import DEFAULT_SET, load_test, questions_from, sequential_ms

K = 5
WARM_UP = 5  # questions asked before timing: the first ones load pages and plan kernels


def store_env(store: str, server_uri: str) -> dict[str, str]:
    """The CITEQA_* variables selecting `store` (faiss, milvus-lite, milvus-server)."""
    if store == "faiss":
        return {"CITEQA_VECTOR_STORE": "faiss"}
    collection = f"bench_{secrets.token_hex(4)}"
    uri = server_uri if store == "milvus-server" else ""  # "": Lite in HOME/milvus.db
    return {
        "CITEQA_VECTOR_STORE": "milvus",
        "CITEQA_MILVUS_URI": uri,
        "CITEQA_MILVUS_COLLECTION": collection,
    }


def measure(
    store: str, env: dict[str, str], questions: list[str], clients: int, seconds: float, adds: int
) -> dict[str, Any]:
    key = secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory(prefix=f"citeqa-bench-{store}-") as tmp:
        home, corpus = Path(tmp) / "home", Path(tmp) / "corpus"
        shutil.copytree(SHIPPED_CORPUS, corpus)
        full_env = {**os.environ, "CITEQA_HOME": str(home), "HF_HUB_OFFLINE": "1", **env}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "citeqa.service.cli", "ingest", str(corpus)],
            env=full_env,
            check=True,
            capture_output=True,
            timeout=900,
        )
        ingest_seconds = time.perf_counter() - started
        with Service(home, 1, {**env, "CITEQA_API_KEY": key}) as service:
            sequential_ms(service.url, questions[:WARM_UP], K)
            http, took = sequential_ms(service.url, questions, K)
            loaded = load_test(service.url, questions, K, clients, seconds)
            add_ms = []
            with httpx.Client(base_url=service.url, headers={"X-API-Key": key}, timeout=120) as c:
                for i in range(adds):
                    fact = f"the heron council {secrets.token_hex(4)} met in {1900 + i}"
                    text = f"Bench note {i}: {fact}."
                    begun = time.perf_counter()
                    answer = c.post("/documents", files={"file": (f"note-{i}.txt", text.encode())})
                    add_ms.append((time.perf_counter() - begun) * 1000)
                    answer.raise_for_status()
            rss = service.rss_mb()
    return {
        "store": store,
        "ingest_seconds": round(ingest_seconds, 1),
        "ask_http_ms": percentiles(http),
        "ask_server_ms": percentiles(took),
        "throughput": {k: v for k, v in loaded.items() if not k.startswith("_")},
        "add_one_document_ms": {
            "median": round(statistics.median(add_ms), 1),
            "min": round(min(add_ms), 1),
            "max": round(max(add_ms), 1),
            "n": len(add_ms),
        },
        "service_rss_mb": rss,
    }


@click.command()
@click.option("--seconds", default=20.0, show_default=True, help="Length of the load test.")
@click.option("--clients", default=16, show_default=True, help="Client threads in the load test.")
@click.option("--adds", default=10, show_default=True, help="Documents added one at a time.")
@click.option("--questions", type=click.Path(path_type=Path, exists=True), default=DEFAULT_SET)
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/bench"))
def main(seconds: float, clients: int, adds: int, questions: Path, out: Path) -> None:
    """The service over FAISS, Milvus Lite and a Milvus server: figures to OUT/stores.json."""
    server_uri = os.environ.get("CITEQA_MILVUS_URI", "")
    stores = ["faiss", "milvus-lite"]
    if server_uri.startswith(("http://", "https://")):
        stores.append("milvus-server")
    else:
        click.echo("no CITEQA_MILVUS_URI=http(s)://...: the Milvus server is left out", err=True)
    asked = questions_from(questions)
    results = []
    for store in stores:
        click.echo(f"{store} ...", err=True)
        results.append(measure(store, store_env(store, server_uri), asked, clients, seconds, adds))
    path = write_json(out, "stores.json", {"machine": machine(), "k": K, "stores": results})
    click.echo(
        f"{'store':<14} {'/ask p50 ms':>12} {'took p50 ms':>12} {clients:>3}-client req/s"
        f" {'p50 ms':>8} {'add doc ms':>11}"
    )
    for r in results:
        t = r["throughput"]
        click.echo(
            f"{r['store']:<14} {r['ask_http_ms']['p50']:>12} {r['ask_server_ms']['p50']:>12}"
            f" {t['requests_per_second']:>16} {t['latency_ms']['p50']:>8}"
            f" {r['add_one_document_ms']['median']:>11}"
        )
    click.echo(f"-> {path}")


if __name__ == "__main__":
    main()
