"""What an operator sees of a running service: a request id on every answer, one log line per
request (plain text, or JSON with CITEQA_LOG_FORMAT=json), and Prometheus metrics at /metrics.

Questions and keys are never logged. Metrics live in one registry per app (so several apps in
one process, as the tests make, do not share counters); with several worker processes each
scrape reads the worker that answers it, told apart by the `pid` of `citeqa_worker_info`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("citeqa.requests")

REQUEST_ID_HEADER = "x-request-id"
# A caller's id is echoed only when it is short and plain, so it cannot forge log lines.
_GOOD_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Seconds: /ask answers in milliseconds; writes embed documents and take seconds to minutes.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
# Seconds: adding a page and merging small segments take well under a second; a rebuild of a
# large corpus, an hour (8,910 SciFact passages: 275 s on 2 cores).
WRITE_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600)
# Questions per forward pass of the query encoder (BatchingEncoder caps a batch at 64).
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64)


@dataclass
class Metrics:
    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    answers: Counter
    writes: Histogram  # index versions published, by operation (index/storage TIMING_HOOKS)
    batches: Histogram  # the query encoder's batch sizes (BatchingEncoder.on_batch)

    @classmethod
    def create(cls, index_state: Callable[[], dict[str, Any] | None]) -> Metrics:
        registry = CollectorRegistry()
        registry.register(_IndexCollector(index_state))
        return cls(
            registry,
            Counter(
                "citeqa_requests",
                "HTTP requests answered, by route template, method and status",
                ["route", "method", "status"],
                registry=registry,
            ),
            Histogram(
                "citeqa_request_seconds",
                "Time to answer a request, by route template and method",
                ["route", "method"],
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            Counter(
                "citeqa_answers",
                "Questions answered, by whether the documents were judged to answer them",
                ["answerable"],
                registry=registry,
            ),
            Histogram(
                "citeqa_index_write_seconds",
                "Time to publish an index version: ingest (a rebuild), update (an upload, "
                "replacement or removal, with the small merges after it) or merge",
                ["operation"],
                buckets=WRITE_BUCKETS,
                registry=registry,
            ),
            Histogram(
                "citeqa_encoder_batch_size",
                "Questions encoded in one forward pass (concurrent questions share one)",
                buckets=BATCH_BUCKETS,
                registry=registry,
            ),
        )

    def observe_write(self, home: Path) -> Callable[[Path, str, float], None]:
        """A TIMING_HOOKS callback recording the writes to `home` only (several apps, each
        with a home of its own, may run in one process)."""

        def hook(written: Path, operation: str, seconds: float) -> None:
            if written == home:
                self.writes.labels(operation).observe(seconds)

        return hook


class _IndexCollector(Collector):
    """The served index's size and version, read when Prometheus scrapes."""

    def __init__(self, index_state: Callable[[], dict[str, Any] | None]) -> None:
        self.index_state = index_state

    def collect(self) -> Iterator[Any]:
        info = InfoMetricFamily("citeqa_worker", "This worker process")
        info.add_metric([], {"pid": str(os.getpid())})
        yield info
        state = self.index_state()
        if state is None:
            return
        version = InfoMetricFamily("citeqa_index", "The index version being served")
        version.add_metric([], {"version": state["version"], "model": state["model"]})
        yield version
        for name, text in (
            ("documents", "Documents in the served index"),
            ("passages", "Passages in the served index"),
            ("segments", "Segments the served index reads"),
        ):
            yield GaugeMetricFamily(f"citeqa_index_{name}", text, value=state[name])


class RequestObserver:
    """Gives every request an id (the caller's X-Request-ID when plain, else a new one), echoes
    it on the answer, times the request and counts it by route template, and logs one line."""

    def __init__(self, app: ASGIApp, metrics: Metrics, json_logs: bool) -> None:
        self.app = app
        self.metrics = metrics
        self.json_logs = json_logs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = given if _GOOD_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500  # what the client sees if the app fails before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope["method"]
            self.metrics.requests.labels(route, method, str(status)).inc()
            self.metrics.latency.labels(route, method).observe(seconds)
            self._log(request_id, method, route, status, seconds)

    def _log(self, request_id: str, method: str, route: str, status: int, seconds: float) -> None:
        duration_ms = round(seconds * 1000, 2)
        if self.json_logs:
            line = json.dumps(
                {
                    "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "level": "info",
                    "request_id": request_id,
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": duration_ms,
                }
            )
        else:
            line = f"{request_id} {method} {route} {status} {duration_ms} ms"
        log.info(line)
