"""Query-path benchmark: /ask over HTTP against the bare floor (encode + FAISS flat search),
measured side by side in one run, then throughput under concurrent clients; then a question
filtered to 1 % of a 100,000-passage index against the same unfiltered (filtered.py; needs
`make eval-scifact`, skipped without it).

    python -m citeqa.eval.bench.query [--home HOME] [--out DIR]
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import click
import faiss
import httpx
import matplotlib
import numpy as np

from citeqa.index.storage import load_current
from citeqa.service.settings import Settings

from . import filtered as filtered_bench
from .common import Service, machine, percentiles, save_png, write_json

matplotlib.use("Agg")
import matplotlib.pyplot as plt

DEFAULT_SET = Path(__file__).resolve().parent.parent / "sets" / "asean-dev.jsonl"


def questions_from(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r.get("question") or r.get("text") for r in rows if r.get("question") or r.get("text")]


class Floor:
    """The bare floor: the service's model (same backend, same encoder threads) encodes one
    question and a bare FAISS flat index searches the same vectors."""

    def __init__(self, home: Path, threads: int) -> None:
        self.encoder = Settings(home=home).load_encoder(threads=threads)  # as the service does
        index = load_current(home, self.encoder)
        vectors = index.vectors_of(index.live_rows())
        self.flat = faiss.IndexFlatIP(vectors.shape[1])
        self.flat.add(np.asarray(vectors))

    def ms(self, questions: list[str], k: int) -> list[float]:
        timings = []
        for q in questions:
            started = time.perf_counter()
            self.flat.search(self.encoder.encode([q]), k)
            timings.append((time.perf_counter() - started) * 1000)
        return timings


def sequential_ms(url: str, questions: list[str], k: int) -> tuple[list[float], list[float]]:
    """(HTTP round trips, server-side took_ms) for one client asking one question at a time."""
    http, server = [], []
    with httpx.Client(base_url=url, timeout=30) as client:
        for q in questions:
            started = time.perf_counter()
            response = client.post("/ask", json={"question": q, "k": k})
            http.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            server.append(response.json()["took_ms"])
    return http, server


def load_test(url: str, questions: list[str], k: int, clients: int, seconds: float) -> dict:  # type: ignore[type-arg]
    """`clients` threads asking in a loop for `seconds`: requests/s, errors, latencies."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client_loop(offset: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=url, timeout=30) as client:
            i = offset
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    ok = client.post(
                        "/ask", json={"question": questions[i % len(questions)], "k": k}
                    )
                    failed = ok.status_code != 200
                except httpx.HTTPError:
                    failed = True
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    errors += failed
                i += clients

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "clients": clients,
        "seconds": round(wall, 2),
        "requests": len(latencies),
        "errors": errors,
        "requests_per_second": round(len(latencies) / wall, 1),
        "latency_ms": percentiles(latencies),
        "_latencies": latencies,
    }


def plot(out: Path, series: dict[str, list[float]]) -> Path:
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for label, values in series.items():
        ordered = sorted(values)
        ax.plot(ordered, [(i + 1) / len(ordered) for i in range(len(ordered))], label=label)
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms, log scale)")
    ax.set_ylabel("fraction of requests")
    ax.set_title("citeqa /ask latency vs the bare encode + search floor (2 cores)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    path = out / "query_latency.png"
    save_png(fig, path)
    return path


@click.command()
@click.option(
    "--home",
    type=click.Path(path_type=Path),
    default=None,
    help="Index home (default CITEQA_HOME).",
)
@click.option("--questions", type=click.Path(path_type=Path, exists=True), default=DEFAULT_SET)
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/bench"))
@click.option(
    "--rounds", default=3, help="Passes over the questions, each by the floor then over HTTP."
)
@click.option("-k", default=5)
@click.option("--clients", default=16)
@click.option("--seconds", default=20.0)
@click.option("--workers", default=1, help="uvicorn workers of the measured service.")
@click.option(
    "--filtered-real",
    type=click.Path(path_type=Path),
    default=Path("var/beir-scifact"),
    help="The filtered case's source of real vectors (make eval-scifact); skipped if missing.",
)
@click.option(
    "--filtered-beir",
    type=click.Path(path_type=Path),
    default=Path("../shared/beir/scifact"),
    help="The filtered case's texts and questions (a BEIR folder).",
)
@click.option(
    "--filtered-passages", default=100_000, help="Passages of the filtered case; 0 skips."
)
def main(
    home: Path | None,
    questions: Path,
    out: Path,
    rounds: int,
    k: int,
    clients: int,
    seconds: float,
    workers: int,
    filtered_real: Path,
    filtered_beir: Path,
    filtered_passages: int,
) -> None:
    """Measure the query path and write query.json and query_latency.png to OUT."""
    # machine() reads the load average at the end, raised by this run's own 16 clients: the
    # machine is shared, so the load before the run says more about the figures.
    load_before = os.getloadavg()
    home = (home or Settings().home).resolve()
    once = questions_from(questions)
    asked = once * rounds
    threads = Settings().query_threads
    bare = Floor(home, threads)
    floor: list[float] = []
    http: list[float] = []
    server: list[float] = []
    with Service(home, workers) as service:
        sequential_ms(service.url, asked[:20], k)  # warm-up
        bare.ms(asked[:20], k)
        # The floor and /ask take turns, a pass over the questions each: on the shared machine
        # a burst of other work then falls on both rather than on one (in two phases, one such
        # burst raised a run's /ask p50 from about 7.3 to 11.4 ms while its floor stayed 4.4).
        for i in range(rounds):
            click.echo(
                f"pass {i + 1}/{rounds}: floor (encode + FAISS flat, {threads} encoder "
                f"thread(s)), then /ask over HTTP, {len(once)} questions one at a time ...",
                err=True,
            )
            floor += bare.ms(once, k)
            passed_http, passed_server = sequential_ms(service.url, once, k)
            http += passed_http
            server += passed_server
        click.echo(f"{clients} concurrent clients for {seconds:.0f} s ...", err=True)
        load = load_test(service.url, asked, k, clients, seconds)
        rss = service.rss_mb()
    result = {
        "machine": machine(),
        "load_average_at_start": load_before,
        "home": str(home),
        "questions": len(asked),
        "k": k,
        "workers": workers,
        "floor_ms": percentiles(floor),
        "http_ms": percentiles(http),
        "server_took_ms": percentiles(server),
        "p50_ratio_http_to_floor": round(percentiles(http)["p50"] / percentiles(floor)["p50"], 2),
        "load": {key: v for key, v in load.items() if not key.startswith("_")},
        "service_rss_mb": rss,
    }
    scoped: dict[str, Any] | None = None
    found = (filtered_real / "CURRENT").is_file() and (filtered_beir / "corpus.jsonl").is_file()
    if filtered_passages and found:
        click.echo(f"filtered: a 1 % filter on {filtered_passages} passages ...", err=True)
        scoped = filtered_bench.run(
            filtered_real, filtered_beir, out / "filtered-home", filtered_passages, k, rounds, 100
        )
        result["filtered"] = scoped
    elif filtered_passages:
        click.echo(f"filtered case skipped: no {filtered_real} (make eval-scifact)", err=True)
    write_json(out, "query.json", result)
    png = plot(
        out,
        {
            "floor (encode + search)": floor,
            "/ask over HTTP": http,
            f"/ask, {clients} clients": load["_latencies"],
        },
    )
    floor_p, http_p = percentiles(floor), percentiles(http)
    click.echo(
        f"floor p50 {floor_p['p50']} ms | /ask HTTP p50 {http_p['p50']} "
        f"p95 {http_p['p95']} p99 {http_p['p99']} ms "
        f"(x{result['p50_ratio_http_to_floor']} floor) | {clients} clients: "
        f"{load['requests_per_second']} req/s, {load['errors']} errors, p50 "
        f"{load['latency_ms']['p50']} ms | RSS {rss} MB | load average at start "
        f"{load_before[0]:.2f}\n-> {out / 'query.json'}, {png}"
    )
    if scoped is not None:
        click.echo(filtered_bench.summary(scoped))


if __name__ == "__main__":
    main()
