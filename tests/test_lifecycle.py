"""Index lifecycle: the write API, incremental updates seen live, jobs, crashes and locks."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

import httpx
import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.retrieval import search
from citeqa.index.storage import current_version, ingest, ingest_lock, load_current, read_manifest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .conftest import LiveServer, tiny_corpus
from .docxs import lighthouse_docx
from .pdfs import make_pdf

pytestmark = pytest.mark.slow  # served processes killed and restarted

KEY = {"X-API-Key": "s3cret-key"}


def _settings(tmp_path: Path, **extra: object) -> Settings:
    corpus = tiny_corpus(tmp_path)
    return Settings(home=tmp_path / "home", corpus=corpus, **extra)  # type: ignore[arg-type]


@pytest.fixture
def served(tmp_path: Path, encoder: Encoder) -> Iterator[tuple[httpx.Client, Settings]]:
    settings = _settings(tmp_path, api_key="s3cret-key", max_upload_mb=1)
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    with LiveServer(Engine(settings, encoder)) as client:
        yield client, settings


def _top_text(client: httpx.Client, question: str) -> str:
    return client.post("/ask", json={"question": question, "k": 1}).json()["passages"][0]["text"]


def _all_texts(client: httpx.Client, question: str) -> list[str]:
    body = client.post("/ask", json={"question": question, "k": 50}).json()
    return [p["text"] for p in body["passages"]]


def test_add_replace_delete_are_answered_at_once(served: tuple[httpx.Client, Settings]) -> None:
    client, settings = served
    question = "When does the clock museum open?"
    added = client.post(
        "/documents",
        files={
            "file": ("museum.txt", b"The clock museum opens at nine every morning.", "text/plain")
        },
        headers=KEY,
    )
    assert added.status_code == 201, added.text
    assert added.json()["id"] == "museum.txt" and added.json()["passages"] == 1
    assert (settings.uploads_folder / "museum.txt").is_file()
    assert "nine" in _top_text(client, question)

    replaced = client.put(
        "/documents/museum.txt",
        files={"file": ("museum.txt", b"The clock museum opens at eleven every morning.")},
        headers=KEY,
    )
    assert replaced.status_code == 200, replaced.text
    assert "eleven" in _top_text(client, question)
    assert not any("nine" in t for t in _all_texts(client, question))  # the old text is gone

    assert client.delete("/documents/museum.txt", headers=KEY).status_code == 204
    assert not any("museum" in t for t in _all_texts(client, question))
    assert "museum.txt" not in {d["id"] for d in client.get("/documents").json()["documents"]}
    assert not (settings.uploads_folder / "museum.txt").exists()
    # The original documents still answer.
    assert "otters" in _top_text(client, "Why do sea otters hold hands?")


def test_every_read_after_a_write_sees_the_new_version(
    served: tuple[httpx.Client, Settings],
) -> None:
    client, _ = served
    before = client.get("/stats").json()["index_version"]
    upload = {"file": ("kites.txt", b"The kite festival is held on the windiest beach.")}
    assert client.post("/documents", files=upload, headers=KEY).status_code == 201
    with ThreadPoolExecutor(8) as pool:  # reads racing each other right after the write
        seen = list(pool.map(lambda _: client.get("/stats").json()["index_version"], range(16)))
    assert before not in seen and len(set(seen)) == 1
    listed = client.get("/documents").json()
    assert listed["index_version"] == seen[0] and "kites.txt" in {
        d["id"] for d in listed["documents"]
    }


def test_writes_need_the_key(
    served: tuple[httpx.Client, Settings], tmp_path: Path, encoder: Encoder
) -> None:
    client, _ = served
    upload = {"file": ("a.txt", b"Some text about kites.")}
    assert client.post("/documents", files=upload).status_code == 401
    wrong = client.post("/documents", files=upload, headers={"X-API-Key": "guess"})
    assert wrong.status_code == 403 and "s3cret" not in wrong.text
    assert client.delete("/documents/otters.txt").status_code == 401
    assert client.post("/index/rebuild").status_code == 401

    no_key = _settings(tmp_path / "other")
    ingest([no_key.corpus], encoder, no_key.home, no_key.build_options())
    with LiveServer(Engine(no_key, encoder)) as other:
        refused = other.post("/documents", files=upload, headers=KEY)
        assert refused.status_code == 403 and "CITEQA_API_KEY" in refused.json()["detail"]


@pytest.mark.parametrize(
    ("name", "data", "status", "detail"),
    [
        ("virus.exe", b"MZ....", 415, "unsupported file type"),
        ("backup.tar.gz", gzip.compress(b"tar", mtime=0), 415, "unsupported file type '.tar.gz'"),
        (
            "bomb.txt.gz",
            gzip.compress(bytes(60 * 2**20), 9, mtime=0),
            422,
            "decompresses to more than",
        ),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), 422, "password"),
        ("deep.html", b"<div>" * 5000 + b"x", 422, "nested more than"),
        ("fake.pdf", b"plain text, not a pdf", 422, "not a PDF"),
        ("broken.pdf", b"%PDF-1.4\n%%EOF garbage", 422, "PDF"),
        ("empty.txt", b"", 422, "no text"),
        ("image.txt", bytes(range(256)) * 8, 422, "binary data"),
        ("otters.txt", b"A second otters file.", 409, "already exists"),
    ],
)
def test_bad_uploads_change_nothing(
    served: tuple[httpx.Client, Settings], name: str, data: bytes, status: int, detail: str
) -> None:
    client, settings = served
    before_files = sorted(p.name for p in settings.corpus.iterdir())
    before_version = current_version(settings.home)
    response = client.post("/documents", files={"file": (name, data)}, headers=KEY)
    assert response.status_code == status and detail in response.json()["detail"]
    assert sorted(p.name for p in settings.corpus.iterdir()) == before_files
    assert current_version(settings.home) == before_version
    assert "otters" in _top_text(client, "Why do sea otters hold hands?")


def test_oversize_upload_is_413_and_changes_nothing(served: tuple[httpx.Client, Settings]) -> None:
    client, settings = served
    big = b"word " * (300 * 1024)  # 1.5 MB against a 1 MB limit
    response = client.post("/documents", files={"file": ("big.txt", big)}, headers=KEY)
    assert response.status_code == 413 and "CITEQA_MAX_UPLOAD_MB" in response.json()["detail"]
    assert not (settings.uploads_folder / "big.txt").exists()


def test_hostile_names_stay_inside_the_uploads_folder(
    served: tuple[httpx.Client, Settings],
) -> None:
    client, settings = served
    for name, stored in [
        ("../../escape.txt", "escape.txt"),
        ("..\\..\\win.txt", "win.txt"),
        (".hidden.md", "hidden.md"),
        ("a" * 300 + ".txt", "a" * 116 + ".txt"),
        ("ﬁle name.txt", "file name.txt"),
    ]:
        response = client.post(
            "/documents", files={"file": (name, b"Lanterns glow softly at dusk.")}, headers=KEY
        )
        assert response.status_code == 201, (name, response.text)
        assert response.json()["id"] == stored
        assert (settings.uploads_folder / stored).is_file()
    assert not (settings.uploads_folder.parent / "escape.txt").exists()


def test_replace_and_delete_unknown_documents_are_404(
    served: tuple[httpx.Client, Settings],
) -> None:
    client, _ = served
    put = client.put("/documents/nope.txt", files={"file": ("nope.txt", b"Text.")}, headers=KEY)
    assert put.status_code == 404
    assert client.delete("/documents/nope.txt", headers=KEY).status_code == 404
    assert client.delete("/documents/../../etc/passwd", headers=KEY).status_code == 404


def test_upload_of_a_pdf_keeps_its_pages(
    served: tuple[httpx.Client, Settings], tmp_path: Path
) -> None:
    client, _ = served
    pdf = make_pdf(
        tmp_path / "almanac.pdf",
        [
            ["Tides", "", "The spring tide is highest at the full moon."],
            ["Winds", "", "The mistral blows from the north in winter."],
        ],
    )
    response = client.post(
        "/documents", files={"file": ("almanac.pdf", pdf.read_bytes())}, headers=KEY
    )
    assert response.status_code == 201 and response.json()["pages"] == 2
    body = client.post(
        "/ask", json={"question": "Where does the mistral blow from?", "k": 1}
    ).json()
    assert body["passages"][0]["citation"]["document"] == "almanac.pdf"
    assert body["passages"][0]["citation"]["page_end"] == 2


def test_uploads_of_html_docx_and_gzip_are_indexed(served: tuple[httpx.Client, Settings]) -> None:
    client, settings = served
    page = b"<title>Kites</title><nav>Menu</nav><h1>Kites</h1><p>Box kites fly in light wind.</p>"
    uploads = {
        "kites.html": page,
        "Harbour Notes.MD.gz": gzip.compress(b"# Harbour\n\nThe harbour gate shuts at ten."),
        "lighthouse.docx": lighthouse_docx(),
    }
    for name, data in uploads.items():
        response = client.post("/documents", files={"file": (name, data)}, headers=KEY)
        assert response.status_code == 201, (name, response.text)
    assert (settings.uploads_folder / "Harbour Notes.md.gz").is_file()
    for question, document in [
        ("What wind do box kites fly in?", "kites.html"),
        ("When does the harbour gate shut?", "Harbour Notes.md.gz"),
        ("When does the keeper trim the wick?", "lighthouse.docx"),
    ]:
        top = client.post("/ask", json={"question": question, "k": 1}).json()["passages"][0]
        assert top["citation"]["document"] == document
    replaced = client.put(
        "/documents/Harbour Notes.md.gz", files={"file": ("harbour.md", b"# H")}, headers=KEY
    )
    assert replaced.status_code == 422 and "keep the type" in replaced.json()["detail"]


def test_rebuild_job_reports_progress_and_publishes(served: tuple[httpx.Client, Settings]) -> None:
    client, settings = served
    (settings.corpus / "budget.ods").write_bytes(b"PK\x03\x04")  # listed, not indexed
    before = client.get("/stats").json()["index_version"]
    started = client.post("/index/rebuild", headers=KEY)
    assert started.status_code == 202
    job_id = started.json()["job"]
    deadline = time.monotonic() + 60
    while (job := client.get(f"/jobs/{job_id}", headers=KEY).json())["state"] not in (
        "done",
        "failed",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["state"] == "done", job
    progress = job["progress"]
    assert progress["stage"] == "done" and progress["documents"] == 2
    assert progress["passages_written"] == progress["passages_chunked"] > 0
    assert job["result"]["embedded"] == 2
    [skipped] = job["result"]["skipped"]
    assert skipped.startswith("budget.ods: unsupported file type '.ods' (supported: .csv,")
    assert client.get("/stats").json()["index_version"] == job["result"]["version"] != before
    assert client.get("/jobs/0000000000000000", headers=KEY).status_code == 404


def test_served_process_sees_an_ingest_from_elsewhere(
    served: tuple[httpx.Client, Settings], encoder: Encoder
) -> None:
    client, settings = served
    (settings.corpus / "kites.txt").write_text(
        "Box kites were invented by Lawrence Hargrave in 1893."
    )
    report = ingest([settings.corpus], encoder, settings.home, settings.build_options())
    deadline = time.monotonic() + 5
    while client.get("/stats").json()["index_version"] != report.version:
        assert time.monotonic() < deadline, "the service did not switch to the new version"
        time.sleep(0.1)
    assert "Hargrave" in _top_text(client, "Who invented the box kite?")


def _run_cli(
    settings: Settings, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    env = {**os.environ, "CITEQA_HOME": str(settings.home), "HF_HUB_OFFLINE": "1", **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "citeqa.service.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_kill_9_during_rebuild_leaves_the_old_version_answering(
    tmp_path: Path, encoder: Encoder
) -> None:
    settings = _settings(tmp_path)
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    version = current_version(settings.home)
    for i in range(100):  # enough passages (about 200) that embedding takes seconds
        (settings.corpus / f"note-{i:03}.txt").write_text(
            f"Field note {i}. " + "The heron waited in the reeds for the fish to move. " * 20
        )

    # A version half-written by an earlier crash: the next ingest must clean it up.
    leftover = settings.home / "indexes" / ".tmp-20200101T000000000000Z-dead00"
    leftover.mkdir()
    (leftover / "documents.jsonl").write_text('{"id": "half')

    process = _run_cli(settings, "ingest", str(settings.corpus), "--rebuild")
    assert process.stderr is not None
    for line in process.stderr:  # a line per stage: killed once embedding has begun
        if "ingest embedding:" in line:
            break
    assert process.poll() is None, "the rebuild ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert current_version(settings.home) == version
    index = load_current(settings.home, encoder)
    assert (
        search(index, encoder, "Why do sea otters hold hands?", 1)[0].passage.doc_id == "otters.txt"
    )

    again = _run_cli(settings, "ingest", str(settings.corpus))
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert current_version(settings.home) != version
    assert not list((settings.home / "indexes").glob(".tmp-*"))  # the leftover is cleaned


def test_second_ingest_at_once_is_refused(tmp_path: Path, encoder: Encoder) -> None:
    settings = _settings(tmp_path)
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    version = current_version(settings.home)
    with ingest_lock(settings.home):
        process = _run_cli(settings, "ingest", str(settings.corpus))
        _, err = process.communicate(timeout=120)
    assert process.returncode == 1 and "another ingest is running" in err
    assert current_version(settings.home) == version


def test_cli_add_and_remove_mirror_the_http_verbs(tmp_path: Path, encoder: Encoder) -> None:
    settings = _settings(tmp_path)
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    note = tmp_path / "lighthouse notes.txt"
    note.write_text("The lighthouse at Cape Wrath was built in 1828.")
    env_corpus = {"CITEQA_CORPUS": str(settings.corpus)}

    added = _run_cli(settings, "add", str(note), "--json", env=env_corpus)
    out, err = added.communicate(timeout=120)
    assert added.returncode == 0, err
    record = json.loads(out)
    assert record["id"] == "lighthouse notes.txt" and record["passages"] == 1
    assert (settings.uploads_folder / "lighthouse notes.txt").is_file()

    again = _run_cli(settings, "add", str(note), env=env_corpus)
    _, err = again.communicate(timeout=120)
    assert again.returncode == 1 and "already exists" in err and "--replace" in err

    removed = _run_cli(settings, "remove", "lighthouse notes.txt", env=env_corpus)
    _, err = removed.communicate(timeout=120)
    assert removed.returncode == 0, err
    assert "lighthouse notes.txt" not in load_current(settings.home, encoder).documents
    assert not (settings.uploads_folder / "lighthouse notes.txt").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_serving(server: subprocess.Popen[str], port: int) -> httpx.Client:
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
    deadline = time.monotonic() + 90
    while True:
        assert time.monotonic() < deadline and server.poll() is None, "server did not start"
        try:
            if client.get("/stats").status_code == 200:
                return client
        except httpx.TransportError:
            time.sleep(0.2)


def _upload(port: int, name: str, data: bytes) -> None:
    """POST a document; the server may die under it (then there is no answer to check)."""
    with suppress(httpx.TransportError):
        httpx.post(
            f"http://127.0.0.1:{port}/documents",
            files={"file": (name, data)},
            headers=KEY,
            timeout=120,
        )


def test_kill_9_during_an_upload_leaves_the_old_version_answering(
    tmp_path: Path, encoder: Encoder
) -> None:
    settings = _settings(tmp_path)
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    version = current_version(settings.home)
    port = _free_port()
    key = {"CITEQA_API_KEY": "s3cret-key", "CITEQA_CORPUS": str(settings.corpus)}
    server = _run_cli(settings, "serve", "--port", str(port), env=key)
    big = "".join(  # about 180 passages: embedding them takes the server seconds
        f"Report {i}. The lighthouse keeper logged the storm of night {i} in the red book. " * 12
        + "\n\n"
        for i in range(120)
    ).encode()
    try:
        _wait_until_serving(server, port)
        uploading = threading.Thread(
            target=_upload, args=(port, "lighthouse.txt", big), daemon=True
        )
        uploading.start()
        deadline = time.monotonic() + 60
        while not (settings.uploads_folder / "lighthouse.txt").exists():  # staged: now embedding
            assert time.monotonic() < deadline, "the upload never reached the uploads folder"
            time.sleep(0.02)
        assert current_version(settings.home) == version, "published before it could be killed"
        server.send_signal(signal.SIGKILL)
    finally:
        server.kill()
        server.wait(timeout=30)

    assert current_version(settings.home) == version
    index = load_current(settings.home, encoder)
    assert "lighthouse.txt" not in index.documents
    assert search(index, encoder, "Why do sea otters hold hands?", 1)[0].passage.doc_id == (
        "otters.txt"
    )
    # The next run completes the upload: the file reached the uploads folder, so it is indexed.
    again = _run_cli(settings, "ingest", str(settings.corpus))
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    index = load_current(settings.home, encoder)
    assert "lighthouse.txt" in index.documents and "otters.txt" in index.documents
    assert not list((settings.home / "indexes").glob(".tmp-*"))


def test_every_worker_process_switches_to_a_new_version(tmp_path: Path, encoder: Encoder) -> None:
    settings = _settings(tmp_path)
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    port = _free_port()
    server = _run_cli(settings, "serve", "--port", str(port), "--workers", "2")
    try:
        _wait_until_serving(server, port)
        (settings.corpus / "kites.txt").write_text("Box kites were invented in 1893.")
        version = ingest(
            [settings.corpus], encoder, settings.home, settings.build_options()
        ).version
        time.sleep(1.5)  # each worker looks at CURRENT at most once a second
        # New connections each time, so that the requests spread over both workers.
        seen = {
            httpx.get(f"http://127.0.0.1:{port}/stats").json()["index_version"] for _ in range(20)
        }
        assert seen == {version}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("file", ["vectors.npy", "texts.bin", "passages.npy"])
def test_a_damaged_version_is_refused_and_the_last_good_one_answers(
    tmp_path: Path, encoder: Encoder, file: str
) -> None:
    settings = _settings(tmp_path)
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    good = current_version(settings.home)
    live = Engine(settings, encoder, recheck_seconds=0.0)
    assert live.ask("Why do sea otters hold hands?", 1).index_version == good

    (settings.corpus / "kites.txt").write_text("Box kites were invented in 1893.")
    options = settings.build_options(compact=False)  # the new document in a segment of its own
    damaged = ingest([settings.corpus], encoder, settings.home, options).version
    manifest = read_manifest(settings.home)
    assert manifest is not None
    damaged_file = settings.home / "segments" / list(manifest.segments)[-1] / file
    data = damaged_file.read_bytes()
    damaged_file.write_bytes(data[: len(data) // 2])  # truncated, as by a full disk
    assert current_version(settings.home) == damaged

    # A running service keeps the version it has; a starting one falls back to the last good one.
    assert live.ask("Why do sea otters hold hands?", 1).index_version == good
    fresh = Engine(settings, encoder)
    answer = fresh.ask("Why do sea otters hold hands?", 1)
    assert answer.index_version == good and answer.passages[0].citation.document == "otters.txt"

    # `citeqa ingest` repairs: it embeds the damaged segment's documents again.
    repaired = ingest([settings.corpus], encoder, settings.home, settings.build_options())
    assert repaired.embedded == 1
    assert live.ask("Who invented box kites?", 1).index_version == repaired.version
