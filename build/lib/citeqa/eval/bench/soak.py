"""Soak: the real service, on loopback, under reading clients and a writer at the same time.

    python -m citeqa.eval.bench.soak [--seconds 60] [--clients 16] [--out var/bench] [--name soak]

A copy of the shipped corpus is indexed in a temporary CITEQA_HOME and served by `citeqa serve`
(127.0.0.1 only) with a write key and a read key. `--clients` threads ask the shipped set's
questions in a loop while one writer uploads small made-up documents (each with a fact no other
document holds), replaces some, deletes some and starts one `POST /index/rebuild` half-way.
Everything stops after `--seconds` (or `--max-requests` / `--max-writes`); then every written
document must answer its own question in the top 3 and be served by GET /documents/{id}, and
every deleted one must be gone (404, its fact never returned). Figures go to OUT/soak.json and
OUT/soak_latency.png (NAME.json, NAME_latency.png); the exit code is 1 when any request failed
or any check did not hold.

With CITEQA_VECTOR_STORE=milvus and CITEQA_MILVUS_URI set (`make soak-milvus` starts a Milvus
server for it) the vectors go to a collection of the run's own on that server.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click
import httpx
from tqdm import tqdm

from citeqa.service.settings import SHIPPED_CORPUS

from .common import Service, machine, write_json
from .query import DEFAULT_SET, questions_from
from .soak_report import plot, verify
from .soak_workload import Reads, Writes

K = 5  # passages per question


@dataclass(frozen=True)
class Limits:
    seconds: float
    clients: int
    max_requests: int
    max_writes: int
    write_pause: float  # seconds between two writes
    workers: int


def reader(
    url: str,
    key: str,
    questions: list[str],
    first: int,
    reads: Reads,
    stop_at: float,
    limits: Limits,
) -> None:
    """Ask questions[first], questions[first + clients], ... until the deadline or the cap."""
    with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=60) as client:
        i = first
        while time.monotonic() < stop_at and reads.count < limits.max_requests:
            question = questions[i % len(questions)]
            started = time.perf_counter()
            try:
                response = client.post("/ask", json={"question": question, "k": K})
                ok = response.status_code == 200 and len(response.json()["passages"]) == K
                problem = "" if ok else f"{response.status_code} {response.text[:200]}"
            except (httpx.HTTPError, ValueError, KeyError) as err:
                problem = f"{type(err).__name__}: {err}"
            reads.record(started, (time.perf_counter() - started) * 1000, problem)
            i += limits.clients


def writer(
    client: httpx.Client, writes: Writes, stop_at: float, rebuild_at: float, limits: Limits
) -> None:
    """Add, add, replace, add, delete, ... and one rebuild once `rebuild_at` has passed."""
    cycle = ["add", "add", "replace", "add", "delete"]
    n = 0
    while time.monotonic() < stop_at and writes.count < limits.max_writes:
        if writes.job is None and time.monotonic() >= rebuild_at:
            writes.start_rebuild(client)
        op = cycle[n % len(cycle)]
        n += 1
        if op != "add" and not writes.live:
            op = "add"
        getattr(writes, op)(client)
        time.sleep(limits.write_pause)


def prepare(workdir: Path, extra_env: dict[str, str]) -> tuple[Path, Path]:
    """A copy of the shipped corpus indexed in a home of its own: (home, corpus)."""
    home, corpus = workdir / "home", workdir / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    env = {**os.environ, "CITEQA_HOME": str(home), "HF_HUB_OFFLINE": "1", **extra_env}
    subprocess.run(
        [sys.executable, "-m", "citeqa.service.cli", "ingest", str(corpus)],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return home, corpus


def log_problems(log: Path) -> list[str]:
    """Server log lines that say something went wrong (access lines of 2xx answers do not)."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [line for line in lines if "Traceback" in line or "ERROR" in line or "Exception" in line]


def soak(questions: list[str], limits: Limits) -> tuple[dict[str, Any], Reads, Writes]:
    """Run the whole soak in a temporary home: (figures, reads, writes)."""
    read_key, write_key = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    reads = Reads()
    store = os.environ.get("CITEQA_VECTOR_STORE", "faiss")
    # A collection of this run's own, so a shared server's other collections are left alone.
    own = {"CITEQA_MILVUS_COLLECTION": f"soak_{secrets.token_hex(4)}"} if store == "milvus" else {}
    with tempfile.TemporaryDirectory(prefix="citeqa-soak-") as tmp:
        click.echo("indexing a copy of the shipped corpus ...", err=True)
        home, corpus = prepare(Path(tmp), own)
        writes = Writes(corpus)
        env = {
            **own,
            "CITEQA_CORPUS": str(corpus),
            "CITEQA_API_KEY": write_key,
            "CITEQA_READ_KEY": read_key,
            "CITEQA_WRITE_WAIT_SECONDS": "120",  # writes queue behind the rebuild, not 409
        }
        log = Path(tmp) / "server.log"
        with (
            Service(home, limits.workers, env, {"X-API-Key": read_key}, log) as service,
            httpx.Client(
                base_url=service.url, headers={"X-API-Key": write_key}, timeout=300
            ) as write_client,
            httpx.Client(
                base_url=service.url, headers={"X-API-Key": write_key}, timeout=60
            ) as watcher,
        ):
            unkeyed = httpx.get(service.url + "/stats").status_code  # the read key is enforced
            started = time.monotonic()
            stop_at = started + limits.seconds
            reads.started = writes.started = time.perf_counter()
            threads = [
                threading.Thread(
                    target=reader,
                    args=(service.url, read_key, questions, i, reads, stop_at, limits),
                )
                for i in range(limits.clients)
            ]
            rebuild_at = started + limits.seconds / 2
            threads.append(
                threading.Thread(
                    target=writer, args=(write_client, writes, stop_at, rebuild_at, limits)
                )
            )
            for t in threads:
                t.start()
            # The job is watched from here, once a second, while the writer waits behind it.
            _progress(threads, limits.seconds, reads, writes, lambda: writes.poll_rebuild(watcher))
            writes.finish_rebuild(watcher, timeout=300)
            wall = time.monotonic() - started
            click.echo("verifying every document written and deleted ...", err=True)
            # Uploaded documents' files live in the uploads folder (CITEQA_UPLOADS, default
            # HOME/uploads), not in the ingested corpus folder.
            checks = verify(write_client, writes, home / "uploads")
            rss = service.rss_mb()
        problems_logged = log_problems(log)
    read_figures, write_figures = reads.summary(wall), writes.summary()
    errors = read_figures["errors"] + write_figures["errors"]
    passed = errors == 0 and unkeyed == 401 and not checks["problems"] and not problems_logged
    result = {
        "machine": machine(),
        "settings": {"k": K, "vector_store": store, **asdict(limits)},
        "passed": passed,
        "errors": errors,
        "wall_seconds": round(wall, 2),
        "unkeyed_read_status": unkeyed,
        "reads": read_figures,
        "writes": write_figures,
        "verification": checks,
        "server_log_problems": problems_logged[:20],
        "service_rss_mb": rss,
    }
    return result, reads, writes


@click.command()
@click.option("--seconds", default=60.0, show_default=True, help="How long clients and writer run.")
@click.option("--clients", default=16, show_default=True, help="Reading client threads.")
@click.option("--max-requests", default=200_000, show_default=True, help="Cap on /ask requests.")
@click.option("--max-writes", default=400, show_default=True, help="Cap on write requests.")
@click.option("--write-pause", default=0.2, show_default=True, help="Seconds between writes.")
@click.option("--workers", default=1, show_default=True, help="uvicorn workers of the service.")
@click.option("--questions", type=click.Path(path_type=Path, exists=True), default=DEFAULT_SET)
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/bench"))
@click.option("--name", default="soak", show_default=True, help="Output file names' stem.")
def main(
    seconds: float,
    clients: int,
    max_requests: int,
    max_writes: int,
    write_pause: float,
    workers: int,
    questions: Path,
    out: Path,
    name: str,
) -> None:
    """Soak the service with reads and writes; figures to OUT/soak.json and soak_latency.png."""
    limits = Limits(seconds, clients, max_requests, max_writes, write_pause, workers)
    result, reads, writes = soak(questions_from(questions), limits)
    result["settings"]["questions"] = str(questions)
    write_json(out, f"{name}.json", result)
    png = plot(out / f"{name}_latency.png", reads, writes, clients)
    r, w, v = result["reads"], result["writes"], result["verification"]
    click.echo(
        f"{r['requests']} requests ({r['requests_per_second']}/s), {result['errors']} errors, "
        f"/ask p50 {r['latency_ms']['p50']} p99 {r['latency_ms']['p99']} ms | {w['done']} "
        f"writes {w['by_kind']} | verified {v['live']} live ({v['rank_1']} at rank 1), "
        f"{v['deleted']} deleted: {len(v['problems'])} problems | "
        f"{'PASSED' if result['passed'] else 'FAILED'}\n-> {out / f'{name}.json'}, {png}"
    )
    if not result["passed"]:
        sys.exit(1)


def _progress(
    threads: list[threading.Thread],
    seconds: float,
    reads: Reads,
    writes: Writes,
    every_second: Callable[[], object],
) -> None:
    """A bar over the soak's seconds with the running counts, until every thread is done."""
    with tqdm(
        total=round(seconds),
        desc="soak",
        unit="s",
        file=sys.stderr,
        mininterval=1.0 if sys.stderr.isatty() else 10.0,
    ) as bar:
        begun = time.monotonic()
        while any(t.is_alive() for t in threads):
            time.sleep(1.0)
            every_second()
            bar.set_postfix(
                requests=reads.count,
                errors=reads.errors + writes.errors,
                writes=writes.count,
                refresh=False,
            )
            bar.update(min(round(time.monotonic() - begun), bar.total) - bar.n)
        for t in threads:
            t.join()


if __name__ == "__main__":
    main()
