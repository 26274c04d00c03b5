"""Running a QA set through the service's own search: in-process (an `Engine`) or over HTTP.

Both backends answer with the service's `AskResponse`, so the rest of the evaluation never knows
which one it talked to. Latency is wall time per question as the caller sees it, in milliseconds:
`Engine.ask` in-process, the whole POST /ask round trip over HTTP (the server's own `took_ms` is
kept beside it).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import httpx
from tqdm import tqdm

from citeqa.index.encoder import ModelError
from citeqa.index.storage import StoreError
from citeqa.service.engine import Engine, InvalidQuestion
from citeqa.service.models import AskResponse, Filter
from citeqa.service.settings import Settings

from .metrics import Judged, coverage, first_answer_rank
from .qaset import QAItem, QASet, Skipped, Span, load_set


class EvalError(RuntimeError):
    """The evaluation cannot go on; the message says why, in one line."""


class Backend(Protocol):
    mode: str  # "in-process" or "http"
    where: str  # CITEQA_HOME or the URL

    def stats(self) -> dict[str, Any]: ...
    def document_ids(self) -> list[str]: ...
    def document_text(self, doc_id: str) -> str: ...
    def ask(self, question: str, k: int, scope: Filter | None = None) -> AskResponse: ...


class InProcess:
    """The `Engine` the service itself uses, on the index in `settings.home`."""

    mode = "in-process"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.where = str(engine.settings.home)

    @classmethod
    def from_settings(cls, settings: Settings, k: int) -> InProcess:
        if k > settings.max_k:  # the evaluator may ask for more than the service allows
            settings = settings.model_copy(update={"max_k": k})
        try:
            return cls(Engine(settings))
        except ModelError as err:
            raise EvalError(str(err)) from err

    def stats(self) -> dict[str, Any]:
        stats = self._call(lambda: self.engine.stats().model_dump())
        settings = self.engine.settings
        return {
            **stats,
            "min_answer_score": settings.min_answer_score,
            "abstain_sentence_cosine": settings.abstain_sentence_cosine,
        }

    def document_ids(self) -> list[str]:
        return self._call(lambda: list(self.engine.index().sorted_ids))

    def document_text(self, doc_id: str) -> str:
        return self._call(lambda: self.engine.document(doc_id).text)

    def ask(self, question: str, k: int, scope: Filter | None = None) -> AskResponse:
        return self._call(lambda: self.engine.ask(question, k, scope))

    @staticmethod
    def _call(fn: Any) -> Any:
        try:
            return fn()
        except (StoreError, InvalidQuestion) as err:  # no index, another model, a bad k
            raise EvalError(str(err)) from err


class Http:
    """A running citeqa service at `url` (POST /ask, GET /stats, GET /documents[/{id}]).

    `api_key` goes in X-API-Key: the read key (or the write key) of a service that has
    CITEQA_READ_KEY set.
    """

    mode = "http"

    def __init__(self, url: str, timeout: float = 60.0, api_key: str | None = None) -> None:
        self.where = url.rstrip("/")
        headers = {"X-API-Key": api_key} if api_key else {}
        self.client = httpx.Client(base_url=self.where, timeout=timeout, headers=headers)

    def stats(self) -> dict[str, Any]:
        return dict(self._request("GET", "/stats"))

    def document_ids(self) -> list[str]:
        """Every id, a page of GET /documents at a time."""
        ids: list[str] = []
        params: dict[str, Any] = {"limit": 1000}
        while True:
            page = self._request("GET", "/documents", params=params)
            ids += [d["id"] for d in page["documents"]]
            if page.get("next_cursor") is None:
                return ids
            params["cursor"] = page["next_cursor"]

    def document_text(self, doc_id: str) -> str:
        return str(self._request("GET", "/documents/" + quote(doc_id, safe="/"))["text"])

    def ask(self, question: str, k: int, scope: Filter | None = None) -> AskResponse:
        request: dict[str, Any] = {"question": question, "k": k}
        if scope is not None:
            request["filter"] = scope.model_dump(mode="json", exclude_none=True, by_alias=True)
        return AskResponse.model_validate(self._request("POST", "/ask", json=request))

    def close(self) -> None:
        self.client.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as err:
            raise EvalError(f"cannot reach {self.where}{path}: {err}") from err
        if response.status_code != 200:
            try:
                detail = response.json().get("detail", response.text)
            except ValueError:
                detail = response.text[:200]
            raise EvalError(
                f"{method} {self.where}{path} answered {response.status_code}: {detail}"
            )
        try:
            return response.json()
        except ValueError as err:
            raise EvalError(f"{method} {self.where}{path} did not answer JSON") from err


@dataclass
class Outcome:
    item: QAItem
    response: AskResponse
    latency_ms: float  # wall time seen by the evaluator
    judged: Judged


@dataclass
class RunResult:
    set_path: Path
    mode: str
    where: str
    k: int
    stats: dict[str, Any]  # GET /stats at the start: model, index_version, chunking, ...
    outcomes: list[Outcome]
    started_at: str  # ISO 8601, UTC
    seconds: float
    warnings: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # evidence not in the index


def validate(path: Path, backend: Backend, skip_missing: bool = False) -> QASet:
    """The whole set checked against the backend's documents (QASetError lists every problem);
    with `skip_missing`, questions whose documents are not in the index are set aside."""
    return load_set(path, backend.document_ids(), backend.document_text, skip_missing)


def judge(item: QAItem, response: AskResponse, latency_ms: float) -> Judged:
    """Score one answer against its item's evidence and answers."""
    returned = [
        Span(p.citation.document, p.citation.start, p.citation.end) for p in response.passages
    ]
    cover = coverage(returned, [ev.spans for ev in item.evidence])
    texts = [p.text for p in response.passages]
    answer_rank = first_answer_rank(texts, item.answers) if item.answers else None
    return Judged(
        item.kind, item.answerable, not response.answerable, cover, answer_rank, latency_ms
    )


def run_set(qaset: QASet, backend: Backend, k: int, progress: bool = True) -> RunResult:
    """Ask every question of a validated set with `k` passages and judge each answer.

    One untimed warm-up question goes first, so the percentiles describe steady-state answers
    rather than the first call's one-off set-up (thread pools, lazy imports).
    """
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    stats = backend.stats()
    backend.ask(qaset.items[0].question, k)
    started = time.perf_counter()
    outcomes = []
    bar = tqdm(
        qaset.items,
        desc="eval",
        unit="q",
        file=sys.stderr,
        disable=not progress,
        mininterval=0.2 if sys.stderr.isatty() else 10.0,
    )
    for item in bar:
        t0 = time.perf_counter()
        response = backend.ask(item.question, k, item.scope)
        latency_ms = (time.perf_counter() - t0) * 1000
        outcomes.append(Outcome(item, response, latency_ms, judge(item, response, latency_ms)))
    warnings = []
    versions = sorted({o.response.index_version for o in outcomes})
    if versions != [stats["index_version"]]:
        warnings.append(
            f"the index changed during the run ({stats['index_version']} at the start, "
            f"answers from {', '.join(versions)}): evidence spans may not match; run again"
        )
    return RunResult(
        set_path=qaset.path,
        mode=backend.mode,
        where=backend.where,
        k=k,
        stats=stats,
        outcomes=outcomes,
        started_at=started_at,
        seconds=round(time.perf_counter() - started, 3),
        warnings=warnings,
        skipped=list(qaset.skipped),
    )
