"""What an operator sees: request ids, /health/ready, /metrics and one log line per request."""

from __future__ import annotations

import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.storage import ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .conftest import LiveServer, tiny_corpus


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the Prometheus text `text`."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        sample, _, value = line.rpartition(" ")
        if sample == (f"{name}{{{wanted}}}" if labels else name):
            return float(value)
    raise AssertionError(f"no sample {name} {labels} in /metrics")


def test_every_answer_carries_a_request_id(http: httpx.Client) -> None:
    mine = http.post("/ask", json={"question": "trade"}, headers={"X-Request-ID": "job-42.a"})
    assert mine.headers["x-request-id"] == "job-42.a"
    made = http.get("/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    forged = http.get("/health", headers={"X-Request-ID": 'x" level=error'}).headers
    assert re.fullmatch(r"[0-9a-f]{32}", forged["x-request-id"])  # not echoed: not plain


def test_ready_names_the_version_it_serves(http: httpx.Client) -> None:
    ready = http.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "index_version": http.get("/stats").json()["index_version"],
    }


def test_metrics_count_requests_answers_and_the_index(http: httpx.Client) -> None:
    before = http.get("/metrics").text
    asked = [http.post("/ask", json={"question": "When was the CSP agreed?"}) for _ in range(3)]
    off = http.post("/ask", json={"question": "What is the capital of France?"})
    after = http.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text

    def value(text: str, name: str, **labels: str) -> float:
        try:
            return metric(text, name, **labels)
        except AssertionError:
            return 0.0  # not counted yet

    def grew(name: str, **labels: str) -> float:
        return value(text, name, **labels) - value(before, name, **labels)

    assert all(a.status_code == 200 for a in asked) and off.json()["answerable"] is False
    assert grew("citeqa_requests_total", route="/ask", method="POST", status="200") == 4
    assert grew("citeqa_request_seconds_count", route="/ask", method="POST") == 4
    assert grew("citeqa_answers_total", answerable="false") == 1
    stats = http.get("/stats").json()
    assert metric(text, "citeqa_index_documents") == stats["documents"]
    assert metric(text, "citeqa_index_passages") == stats["passages"]
    assert f'version="{stats["index_version"]}"' in text


def test_json_logs_are_one_object_a_request_without_the_question(
    tmp_path: Path, encoder: Encoder
) -> None:
    settings = Settings(home=tmp_path / "home", corpus=tiny_corpus(tmp_path), log_format="json")
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    keep = Keep()
    logging.getLogger("citeqa.requests").addHandler(keep)
    try:
        with LiveServer(Engine(settings, encoder)) as client:
            client.post(
                "/ask", json={"question": "secret otter plans"}, headers={"X-Request-ID": "r1"}
            )
    finally:
        logging.getLogger("citeqa.requests").removeHandler(keep)
    (line,) = [entry for entry in lines if '"r1"' in entry]
    record = json.loads(line)
    assert record["request_id"] == "r1" and record["route"] == "/ask"
    assert record["status"] == 200 and record["duration_ms"] > 0
    assert "otter" not in line


@pytest.mark.parametrize("path", ["/health", "/health/ready"])
def test_health_checks_are_open_even_with_a_read_key(
    tmp_path: Path, encoder: Encoder, path: str
) -> None:
    settings = Settings(home=tmp_path / "h", corpus=tiny_corpus(tmp_path), read_key="r")  # type: ignore[arg-type]
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    with LiveServer(Engine(settings, encoder)) as client:
        assert client.get(path).status_code == 200
        assert client.get("/metrics").status_code == 401


def test_metrics_time_writes_and_count_encoder_batches(tmp_path: Path, encoder: Encoder) -> None:
    settings = Settings(
        home=tmp_path / "h",
        corpus=tiny_corpus(tmp_path),
        api_key="w",  # type: ignore[arg-type]
        read_key="r",  # type: ignore[arg-type]
    )
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    key = {"X-API-Key": "w"}
    with LiveServer(Engine(settings, encoder)) as client:
        assert client.get("/metrics", headers={"X-API-Key": "wrong"}).status_code == 403
        before = client.get("/metrics", headers=key).text
        note = b"The zebra parliament met in 1777 on the moon."
        added = client.post("/documents", files={"file": ("zebra.txt", note)}, headers=key)
        assert added.status_code == 201, added.text
        job = client.post("/index/rebuild", headers=key).json()["job"]
        deadline = time.monotonic() + 120
        while client.get(f"/jobs/{job}", headers=key).json()["state"] not in ("done", "failed"):
            assert time.monotonic() < deadline, "the rebuild did not finish"
            time.sleep(0.1)
        questions = [f"Where do otters sleep, question {i}?" for i in range(12)]
        with ThreadPoolExecutor(6) as pool:
            answers = list(
                pool.map(
                    lambda q: client.post("/ask", json={"question": q}, headers=key), questions
                )
            )
        assert all(a.status_code == 200 for a in answers)
        text = client.get("/metrics", headers={"X-API-Key": "r"}).text

    def grew(name: str, **labels: str) -> float:
        try:
            was = metric(before, name, **labels)
        except AssertionError:
            was = 0.0
        return metric(text, name, **labels) - was

    assert grew("citeqa_index_write_seconds_count", operation="update") == 1
    assert grew("citeqa_index_write_seconds_count", operation="ingest") == 1
    assert grew("citeqa_index_write_seconds_sum", operation="ingest") > 0
    # Every question is encoded once, alone or in a batch with others.
    assert grew("citeqa_encoder_batch_size_sum") == len(questions)
    assert 1 <= grew("citeqa_encoder_batch_size_count") <= len(questions)
    assert metric(text, "citeqa_index_documents") == 3
