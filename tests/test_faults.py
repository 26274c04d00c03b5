"""The Milvus server killed (SIGKILL) under a running `citeqa serve`: during an upload and during
a rebuild. The write fails with a 503 saying why, nothing indexed is lost, reads answer 503 with
the reason (never a 500, never a hang) while the documents' list still answers, and once the
server is back on its data the next write completes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.storage import ingest, read_manifest
from citeqa.index.vectorstores import close_opened_stores
from citeqa.service.settings import Settings

from .conftest import tiny_corpus
from .milvus_server import MilvusServer, MilvusUnavailable, start_milvus
from .served import Served

pytestmark = pytest.mark.slow  # a Milvus server killed and restarted (about a minute each)

TIMEOUT = 5  # CITEQA_MILVUS_TIMEOUT for these services: how long any Milvus call may take
ZEBRA = b"The zebra parliament met in 1777 on the moon."
QUESTION = "When did the zebra parliament meet?"


@pytest.fixture(scope="module")
def own_server() -> Iterator[MilvusServer]:
    """A server of this module's own: the tests kill it."""
    try:
        server = start_milvus()
    except MilvusUnavailable as err:
        pytest.skip(str(err))
    yield server
    server.stop()


def _home(tmp_path: Path, encoder: Encoder, server: MilvusServer, corpus: Path) -> dict[str, str]:
    """A home indexed into `server` (collection `faults`, made anew): the service's environment."""
    from pymilvus import MilvusClient

    client = MilvusClient(server.uri)
    client.drop_collection("faults")
    client.close()
    settings = Settings(
        home=tmp_path / "home",
        corpus=corpus,
        vector_store="milvus",
        milvus_uri=server.uri,
        milvus_collection="faults",
    )
    ingest([corpus], encoder, settings.home, settings.build_options(encoder))
    close_opened_stores()
    return {
        "CITEQA_HOME": str(settings.home),
        "CITEQA_CORPUS": str(corpus),
        "CITEQA_VECTOR_STORE": "milvus",
        "CITEQA_MILVUS_URI": server.uri,
        "CITEQA_MILVUS_COLLECTION": "faults",
        "CITEQA_MILVUS_TIMEOUT": str(TIMEOUT),
        "CITEQA_API_KEY": "w",
    }


def _long_document(sentences: int = 800) -> bytes:
    """800 sentences make about 130 passages: seconds of embedding, so the server dies while it
    runs."""
    lines = [
        f"Report {i} of the lighthouse keepers notes that beacon {i} burned {i % 97} nights "
        f"in the year {1800 + i % 200} before the storm season ended."
        for i in range(sentences)
    ]
    return " ".join(lines).encode()


def _check_down(client: httpx.Client, documents: int) -> None:
    """While the server is down: clear 503s for what needs it, quickly; the rest answers."""
    started = time.monotonic()
    asked = client.post("/ask", json={"question": "Why do sea otters hold hands?"})
    assert time.monotonic() - started < 3 * TIMEOUT  # bounded: no retrying for minutes
    assert asked.status_code == 503, asked.text
    assert "vector store" in asked.json()["detail"] and "Milvus" in asked.json()["detail"]
    assert asked.headers["retry-after"]
    ready = client.get("/health/ready")
    assert ready.status_code == 503 and "vector store" in ready.json()["detail"]
    assert client.get("/health").status_code == 200
    listed = client.get("/documents")  # the texts are in the home, not in Milvus
    assert listed.status_code == 200 and len(listed.json()["documents"]) == documents
    assert client.get("/stats").json()["documents"] == documents


def _wait_back(client: httpx.Client, timeout: float = 240) -> float:
    """Seconds until /health/ready answers 200 again (Milvus reloads the collection itself)."""
    started = time.monotonic()
    while client.get("/health/ready").status_code != 200:
        assert time.monotonic() - started < timeout, "the service did not become ready again"
        time.sleep(1)
    return time.monotonic() - started


def test_milvus_killed_during_an_upload(
    tmp_path: Path, encoder: Encoder, own_server: MilvusServer
) -> None:
    env = _home(tmp_path, encoder, own_server, tiny_corpus(tmp_path))
    with Served(env, tmp_path / "serve.log") as served, served.client("w") as client:
        before = read_manifest(Path(env["CITEQA_HOME"]))
        assert before is not None
        answers: list[httpx.Response | Exception] = []

        def post() -> None:
            try:
                data = {"file": ("lighthouse.txt", _long_document())}
                answers.append(client.post("/documents", files=data, timeout=300))
            except httpx.HTTPError as err:
                answers.append(err)

        upload = threading.Thread(target=post)
        upload.start()
        time.sleep(1.0)  # the upload is being embedded
        own_server.kill()
        upload.join(timeout=300)
        assert not upload.is_alive(), "the upload hangs"
        (failed,) = answers
        assert isinstance(failed, httpx.Response), failed
        assert failed.status_code == 503, failed.text
        assert "nothing was changed" in failed.json()["detail"]
        # Nothing of the failed write stays: no file, no version.
        assert not (Path(env["CITEQA_HOME"]) / "uploads" / "lighthouse.txt").exists()
        assert read_manifest(Path(env["CITEQA_HOME"])) == before
        _check_down(client, documents=2)

        started = time.monotonic()
        own_server.restart()
        answering = time.monotonic() - started
        back = _wait_back(client)
        print(
            f"server answering {answering:.0f} s after its restart, citeqa ready {back:.0f} s later"
        )
        assert (
            client.post("/ask", json={"question": "Why do sea otters hold hands?"}).json()[
                "passages"
            ][0]["citation"]["document"]
            == "otters.txt"
        )
        added = client.post("/documents", files={"file": ("zebra.txt", ZEBRA)})
        assert added.status_code == 201, added.text
        top = client.post("/ask", json={"question": QUESTION}).json()["passages"][0]
        assert top["citation"]["document"] == "zebra.txt"
        assert client.get("/stats").json()["documents"] == 3
    log = served.log.read_text()
    assert " 500 " not in log, log[-4000:]  # no request failed unexplained


def test_milvus_killed_during_a_rebuild(
    tmp_path: Path, encoder: Encoder, own_server: MilvusServer
) -> None:
    corpus = tiny_corpus(tmp_path)
    (corpus / "lighthouse.txt").write_bytes(_long_document(300))
    env = _home(tmp_path, encoder, own_server, corpus)
    with Served(env, tmp_path / "serve.log") as served, served.client("w") as client:
        version = client.get("/stats").json()["index_version"]
        documents = client.get("/stats").json()["documents"]
        job = client.post("/index/rebuild").json()["job"]
        deadline = time.monotonic() + 120
        # Killed once embedding has begun: this corpus is one slice of the encoder, so no count
        # moves before its vectors are all made.
        while client.get(f"/jobs/{job}").json()["progress"].get("stage") != "embedding":
            assert time.monotonic() < deadline, "the rebuild never began embedding"
            time.sleep(0.02)
        own_server.kill()
        deadline = time.monotonic() + 120
        while (state := client.get(f"/jobs/{job}").json())["state"] not in ("done", "failed"):
            assert time.monotonic() < deadline, f"the rebuild hangs: {json.dumps(state)}"
            time.sleep(0.5)
        assert state["state"] == "failed", state
        assert "vector store" in state["error"] and "Milvus" in state["error"]
        _check_down(client, documents)
        assert client.get("/stats").json()["index_version"] == version  # the old one serves

        started = time.monotonic()
        own_server.restart()
        answering = time.monotonic() - started
        back = _wait_back(client)
        print(
            f"server answering {answering:.0f} s after its restart, citeqa ready {back:.0f} s later"
        )
        asked = client.post("/ask", json={"question": "When did beacon 7 burn?"})
        assert asked.status_code == 200
        assert asked.json()["passages"][0]["citation"]["document"] == "lighthouse.txt"
        job = client.post("/index/rebuild").json()["job"]
        deadline = time.monotonic() + 600
        while (state := client.get(f"/jobs/{job}").json())["state"] not in ("done", "failed"):
            assert time.monotonic() < deadline, "the second rebuild did not finish"
            time.sleep(0.5)
        assert state["state"] == "done", state
        stats = client.get("/stats").json()
        assert stats["index_version"] != version and stats["documents"] == documents
    log = served.log.read_text()
    assert " 500 " not in log, log[-4000:]


def test_the_cli_says_in_one_line_that_the_server_is_unreachable(tmp_path: Path) -> None:
    from .served import free_port

    env = {
        **os.environ,
        "CITEQA_HOME": str(tmp_path / "home"),
        "CITEQA_VECTOR_STORE": "milvus",
        "CITEQA_MILVUS_URI": f"http://127.0.0.1:{free_port()}",  # nothing listens there
        "CITEQA_MILVUS_TIMEOUT": "2",
        "HF_HUB_OFFLINE": "1",
    }
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "citeqa.service.cli", "ingest", str(tiny_corpus(tmp_path))],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert "Milvus server at http://127.0.0.1:" in line
    assert time.monotonic() - started < 60
