"""Replicas: several `citeqa serve` processes over one CITEQA_HOME, their vectors in one Milvus
server. `--workers 2` and a second service on another port all answer, and a write through any
of them is served by all within a second."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pymilvus import MilvusClient

from citeqa.index.encoder import Encoder
from citeqa.index.storage import ingest
from citeqa.index.vectorstores import close_opened_stores
from citeqa.service.settings import Settings

from .conftest import tiny_corpus
from .milvus_server import MilvusServer
from .served import Served
from .test_observability import metric

pytestmark = pytest.mark.slow  # a Milvus server and three service processes

ZEBRA = b"The zebra parliament met in 1777 on the moon."
QUESTION = "When did the zebra parliament meet?"
VISIBLE_WITHIN = 1.0  # seconds: each process rereads CURRENT at most once a second


@pytest.fixture
def shared_home(
    tmp_path: Path, encoder: Encoder, milvus_server: MilvusServer
) -> Iterator[dict[str, str]]:
    """A home indexed into a collection of its own on the tests' server: the environment every
    replica is started with."""
    collection = f"replicas_{secrets.token_hex(4)}"
    env = {
        "CITEQA_HOME": str(tmp_path / "home"),
        "CITEQA_CORPUS": str(tiny_corpus(tmp_path)),
        "CITEQA_VECTOR_STORE": "milvus",
        "CITEQA_MILVUS_URI": milvus_server.uri,
        "CITEQA_MILVUS_COLLECTION": collection,
        "CITEQA_API_KEY": "w",
    }
    settings = Settings(
        home=tmp_path / "home",
        vector_store="milvus",
        milvus_uri=milvus_server.uri,
        milvus_collection=collection,
    )
    ingest([Path(env["CITEQA_CORPUS"])], encoder, settings.home, settings.build_options(encoder))
    close_opened_stores()
    yield env
    client = MilvusClient(milvus_server.uri)
    client.drop_collection(collection)
    client.close()


def _top_document(client: object, question: str) -> str | None:
    answer = client.post("/ask", json={"question": question})  # type: ignore[attr-defined]
    assert answer.status_code == 200, answer.text
    passages = answer.json()["passages"]
    return passages[0]["citation"]["document"] if passages else None


def _wait_seen(clients: list, question: str, document: str | None, streak: int = 6) -> float:  # type: ignore[type-arg]
    """Seconds from now until every client serves the write (`document` ranked first; None:
    "zebra.txt" never returned) in each of its answers from then on; AssertionError after 10 s.
    Clients are asked in turn, a new connection each time, so any worker may answer; a client
    counts as serving it after `streak` such answers in a row."""
    started = time.monotonic()
    last_miss = dict.fromkeys(range(len(clients)), started)
    hits = dict.fromkeys(range(len(clients)), 0)
    while min(hits.values()) < streak:
        assert time.monotonic() - started < 10, "a replica did not serve the write in 10 s"
        for i, client in enumerate(clients):
            top = _top_document(client, question)
            if (top != "zebra.txt") if document is None else (top == document):
                hits[i] += 1
            else:
                hits[i], last_miss[i] = 0, time.monotonic()
    return max(last_miss.values()) - started


def test_two_workers_and_a_second_service_share_one_home_and_one_milvus(
    tmp_path: Path, shared_home: dict[str, str]
) -> None:
    with (
        Served(shared_home, tmp_path / "a.log", workers=2) as a,
        Served(shared_home, tmp_path / "b.log") as b,
        a.client("w") as to_a,
        b.client("w") as to_b,
    ):
        # Both workers of A answer (told apart by their pid), and B does. Requests go in
        # parallel, so that a worker busy with one leaves the next to the other; a worker may
        # still be loading the model when A first answers.
        pids: set[str] = set()
        deadline = time.monotonic() + 120
        with ThreadPoolExecutor(8) as pool:
            while len(pids) < 2:
                assert time.monotonic() < deadline, f"only worker {pids} of A answered"
                for text in pool.map(lambda _: to_a.get("/metrics").text, range(16)):
                    pids |= {s for s in text.splitlines() if s.startswith("citeqa_worker_info")}
        assert _top_document(to_b, "Why do sea otters hold hands?") == "otters.txt"
        version = to_a.get("/stats").json()["index_version"]
        assert to_b.get("/stats").json()["index_version"] == version

        added = to_a.post("/documents", files={"file": ("zebra.txt", ZEBRA)})
        assert added.status_code == 201, added.text
        lag_add = _wait_seen([to_a, to_b], QUESTION, "zebra.txt")

        removed = to_b.delete("/documents/zebra.txt")
        assert removed.status_code == 204, removed.text
        lag_remove = _wait_seen([to_a, to_b], QUESTION, None)

        print(f"served by every replica within {lag_add:.2f} s (add), {lag_remove:.2f} s (remove)")
        assert lag_add <= VISIBLE_WITHIN and lag_remove <= VISIBLE_WITHIN
        stats = [c.get("/stats").json() for c in (to_a, to_b)]
        assert stats[0]["index_version"] == stats[1]["index_version"] != version
        assert metric(to_b.get("/metrics").text, "citeqa_index_documents") == 2


def test_two_writers_through_two_services_queue_on_the_home_lock(
    tmp_path: Path, shared_home: dict[str, str]
) -> None:
    """Uploads through both services at once: one writer at a time (the home's lock), none
    lost, every document served by both."""
    with (
        Served(shared_home, tmp_path / "a.log") as a,
        Served(shared_home, tmp_path / "b.log") as b,
        a.client("w") as to_a,
        b.client("w") as to_b,
    ):
        uploads = [
            ((to_a, to_b)[i % 2], f"fact{i}.txt", f"The heron council number {i} met on Mars.")
            for i in range(6)
        ]
        with ThreadPoolExecutor(6) as pool:
            answers = list(
                pool.map(
                    lambda u: u[0].post("/documents", files={"file": (u[1], u[2].encode())}),
                    uploads,
                )
            )
        assert [r.status_code for r in answers] == [201] * 6, [r.text for r in answers]
        time.sleep(VISIBLE_WITHIN)
        for client in (to_a, to_b):
            listed = {d["id"] for d in client.get("/documents").json()["documents"]}
            assert {name for _, name, _ in uploads} <= listed
            assert client.get("/stats").json()["documents"] == 8
