"""The soak's workload and what it records: made-up documents, the reads, and the writes.

Each document states one fact about a made-up observatory whose name no other document holds,
so its question has one right passage and a deleted document's name must never come back.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from .common import percentiles

SYLLABLES = "ka lo mi ra ve zu tor quen bri sol dra fen gal hux ith jor nav pel".split()
EXPECTED = {"add": 201, "replace": 200, "delete": 204, "rebuild": 202, "job": 200}
SAMPLES = 10  # failures kept verbatim in the report


@dataclass(frozen=True)
class Fact:
    doc_id: str
    name: str  # made up, in no other document
    year: int
    founder: str

    @property
    def sentence(self) -> str:
        return f"The {self.name} observatory was founded in {self.year} by {self.founder}."

    @property
    def question(self) -> str:
        return f"When was the {self.name} observatory founded?"

    @property
    def text(self) -> str:
        return (
            f"{self.sentence} Its telescope opens to visitors on clear nights, and its library "
            "keeps the logbooks of every comet seen from the hill."
        )


@dataclass
class Reads:
    """Every /ask: when it started (s since `started`), how long it took (ms), what failed."""

    started: float = 0.0
    times: list[float] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    def record(self, began: float, latency_ms: float, problem: str) -> None:
        with self.lock:
            self.times.append(began - self.started)
            self.latencies_ms.append(latency_ms)
            if problem:
                self.errors += 1
                if len(self.samples) < SAMPLES:
                    self.samples.append(problem)

    def summary(self, wall: float) -> dict[str, Any]:
        return {
            "requests": self.count,
            "errors": self.errors,
            "error_samples": self.samples,
            "requests_per_second": round(self.count / wall, 1) if wall else None,
            "latency_ms": percentiles(self.latencies_ms),
        }


@dataclass
class Write:
    kind: str
    at: float  # s since the start
    latency_ms: float
    status: int


class Writes:
    """The writer's requests and the state they should have left: live, replaced, deleted."""

    def __init__(self, corpus: Path, seed: int = 7) -> None:
        self.corpus = corpus
        self.rng = random.Random(seed)
        self.started = 0.0
        self.done: list[Write] = []
        self.errors = 0
        self.samples: list[str] = []
        self.live: dict[str, Fact] = {}
        self.old: dict[str, list[Fact]] = {}  # replaced versions of live documents
        self.deleted: dict[str, Fact] = {}
        self.job: str | None = None
        self.job_state: dict[str, Any] = {}
        self.rebuild_span: tuple[float, float | None] = (0.0, None)
        self._names: set[str] = set()
        self._lock = threading.Lock()  # the writer thread writes, the main thread polls the job

    @property
    def count(self) -> int:
        """Writes sent so far (adds, replaces, deletes, rebuilds; not the job polls)."""
        return sum(w.kind != "job" for w in self.done)

    # --- the operations -------------------------------------------------------------------

    def add(self, client: httpx.Client) -> None:
        fact = Fact(f"soak-{len(self._names):04}.txt", self._new_name(), *self._details())
        response = self._send(client, "add", "POST", "/documents", fact)
        if response is not None:
            if response.json().get("id") != fact.doc_id:
                self._fail("add", f"stored as {response.json().get('id')!r}, not {fact.doc_id}")
            self.live[fact.doc_id] = fact

    def replace(self, client: httpx.Client) -> None:
        doc_id = self.rng.choice(sorted(self.live))
        old = self.live[doc_id]
        year, founder = self._details()
        while year == old.year:
            year, founder = self._details()
        fact = replace(old, year=year, founder=founder)
        if self._send(client, "replace", "PUT", f"/documents/{doc_id}", fact) is not None:
            self.old.setdefault(doc_id, []).append(old)
            self.live[doc_id] = fact

    def delete(self, client: httpx.Client) -> None:
        doc_id = self.rng.choice(sorted(self.live))
        if self._send(client, "delete", "DELETE", f"/documents/{doc_id}", None) is not None:
            self.deleted[doc_id] = self.live.pop(doc_id)
            self.old.pop(doc_id, None)

    def start_rebuild(self, client: httpx.Client) -> None:
        self.rebuild_span = (time.perf_counter() - self.started, None)
        response = self._send(client, "rebuild", "POST", "/index/rebuild", None)
        self.job = response.json()["job"] if response is not None else ""

    def poll_rebuild(self, client: httpx.Client) -> bool:
        """True once the rebuild job has ended (or could not start)."""
        if not self.job or self.rebuild_span[1] is not None:
            return self.job is not None
        response = self._send(client, "job", "GET", f"/jobs/{self.job}", None)
        if response is None:
            return False
        self.job_state = response.json()
        if self.job_state.get("state") in ("done", "failed"):
            self.rebuild_span = (self.rebuild_span[0], time.perf_counter() - self.started)
            if self.job_state["state"] == "failed":
                self._fail("rebuild", f"job failed: {self.job_state.get('error')}")
            return True
        return False

    def finish_rebuild(self, client: httpx.Client, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.job is not None and not self.poll_rebuild(client):
            if time.monotonic() > deadline:
                self._fail("rebuild", f"job {self.job} did not end within {timeout:.0f} s")
                return
            time.sleep(0.5)
        if self.job is None:
            self._fail("rebuild", "the soak ended before the rebuild was started")

    # --- bookkeeping ----------------------------------------------------------------------

    def _send(
        self, client: httpx.Client, kind: str, method: str, path: str, fact: Fact | None
    ) -> httpx.Response | None:
        """The response when it has the expected status, else None (and an error recorded)."""
        files = {"file": (fact.doc_id, fact.text.encode())} if fact else None
        began = time.perf_counter()
        try:
            response = client.request(method, path, files=files)
        except httpx.HTTPError as err:
            response, problem = None, f"{type(err).__name__}: {err}"
        status = response.status_code if response is not None else 0
        with self._lock:
            self.done.append(
                Write(kind, began - self.started, (time.perf_counter() - began) * 1000, status)
            )
        if response is not None and response.status_code == EXPECTED[kind]:
            return response
        if response is not None:
            problem = f"{response.status_code} {response.text[:200]}"
        self._fail(kind, f"{method} {path}: {problem}")
        return None

    def _fail(self, kind: str, problem: str) -> None:
        with self._lock:
            self.errors += 1
            if len(self.samples) < SAMPLES:
                self.samples.append(f"{kind}: {problem}")

    def _new_name(self) -> str:
        while True:
            name = "".join(self.rng.choice(SYLLABLES) for _ in range(3)).capitalize()
            if name.lower() not in self._names:
                self._names.add(name.lower())
                return name

    def _details(self) -> tuple[int, str]:
        founder = "".join(self.rng.choice(SYLLABLES) for _ in range(2)).capitalize()
        return self.rng.randint(1200, 1899), f"Dr. {founder}"

    def summary(self) -> dict[str, Any]:
        with self._lock:
            done = list(self.done)
        by_kind = Counter(w.kind for w in done)
        return {
            "done": sum(w.kind != "job" for w in done),
            "by_kind": dict(by_kind),
            "errors": self.errors,
            "error_samples": self.samples,
            "latency_ms": {
                kind: percentiles([w.latency_ms for w in done if w.kind == kind])
                for kind in by_kind
            },
            "documents_live": len(self.live),
            "documents_replaced": len(self.old),
            "documents_deleted": len(self.deleted),
            "rebuild": {
                "job": self.job,
                "state": self.job_state.get("state"),
                "progress": self.job_state.get("progress"),
                "seconds": (
                    round(self.rebuild_span[1] - self.rebuild_span[0], 2)
                    if self.rebuild_span[1] is not None
                    else None
                ),
            },
        }
