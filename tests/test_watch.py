"""Watched folders: `citeqa serve --watch` and `citeqa watch` as real processes over a real index,
files made and changed by the test; and the watcher's rules in-process with the real model."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.storage import ingest, load_current, read_manifest
from citeqa.service.settings import Settings, load_settings
from citeqa.service.watch import Watcher, is_temporary
from citeqa.service.writes import Writer

from .conftest import tiny_corpus

KEY = {"X-API-Key": "s3cret-key"}
# Short intervals keep the tests quick; the stability interval is longer than the debounce so a
# paused writer can be caught between its two writes.
WATCH_ENV = {
    "CITEQA_WATCH_DEBOUNCE_SECONDS": "0.3",
    "CITEQA_WATCH_STABLE_SECONDS": "1.0",
}
EDITOR_FILES = [
    ".#kites.txt",
    "kites.txt~",
    ".kites.txt.swp",
    ".kites.txt.swx",
    "4913",
    "~$report.docx",
    ".~lock.report.docx#",
    "kites.tmp",
    ".DS_Store",
    "#kites.txt#",
]


# --- the rules, in-process ------------------------------------------------------------------


@pytest.mark.parametrize("name", EDITOR_FILES)
def test_editor_files_are_temporary(name: str) -> None:
    assert is_temporary(name)


@pytest.mark.parametrize("name", ["kites.txt", "notes~draft.md", "4913.txt", "report.docx"])
def test_documents_are_not_temporary(name: str) -> None:
    assert not is_temporary(name)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CITEQA_WATCH_DEBOUNCE_SECONDS": "0"}, "CITEQA_WATCH_DEBOUNCE_SECONDS"),
        ({"CITEQA_WATCH_STABLE_SECONDS": "-1"}, "CITEQA_WATCH_STABLE_SECONDS"),
        (
            {"CITEQA_WATCH_DEBOUNCE_SECONDS": "3", "CITEQA_WATCH_MAX_WAIT_SECONDS": "2"},
            "must not be below CITEQA_WATCH_DEBOUNCE_SECONDS",
        ),
        ({"CITEQA_WATCH": "true", "CITEQA_WORKERS": "2"}, "CITEQA_WATCH needs CITEQA_WORKERS=1"),
    ],
)
def test_bad_watch_settings_are_refused(
    env: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        load_settings()


@pytest.fixture
def indexed(tmp_path: Path, encoder: Encoder) -> tuple[Settings, Writer]:
    """The two-document corpus indexed; a Writer over it (the service's, with merges inline)."""
    corpus = tiny_corpus(tmp_path)
    settings = Settings(home=tmp_path / "home", corpus=corpus, watch_stable_seconds=0)
    ingest([corpus], encoder, settings.home, settings.build_options())
    return settings, Writer(settings, encoder, lambda: None, background_merges=False)


def test_a_group_of_changes_is_one_version(indexed: tuple[Settings, Writer]) -> None:
    settings, writer = indexed
    corpus = settings.corpus
    watcher = Watcher(settings, writer, [corpus])
    (corpus / "kites.txt").write_text("Box kites were invented by Lawrence Hargrave in 1893.")
    (corpus / "bees.md").write_text("# Bees\n\nBumble bees buzz to shake pollen loose.")
    (corpus / "otters.txt").rename(corpus / "sea-otters.txt")
    for name in EDITOR_FILES:
        (corpus / name).write_text("Sea otters hold hands; an editor's copy.")
    (corpus / "notes.xyz").write_text("A file no format reads.")
    changed = [corpus / n for n in ("kites.txt", "bees.md", "otters.txt", "sea-otters.txt")]
    before = read_manifest(settings.home)
    batch = watcher.apply([*changed, *(corpus / n for n in [*EDITOR_FILES, "notes.xyz"])])

    assert batch is not None and before is not None
    assert batch.added == ["kites.txt", "sea-otters.txt"]
    assert batch.changed == ["bees.md"] and batch.removed == ["otters.txt"]
    assert len(batch.skipped) == 1
    assert batch.skipped[0].startswith("notes.xyz: unsupported file type '.xyz'")
    after = read_manifest(settings.home)
    assert after is not None and after.version == batch.version != before.version
    assert set(after.documents) == {"bees.md", "kites.txt", "sea-otters.txt"}
    assert watcher.apply(changed) is None  # nothing left to do: no new version


def test_a_renamed_folder_moves_its_documents_in_one_version(
    indexed: tuple[Settings, Writer],
) -> None:
    settings, writer = indexed
    corpus = settings.corpus
    watcher = Watcher(settings, writer, [corpus])
    (corpus / "birds").mkdir()
    for name in ("heron", "stork", "crane"):
        (corpus / "birds" / f"{name}.txt").write_text(f"The {name} waits in the reeds.")
    first = watcher.apply([corpus / "birds"])  # a new folder: its files, found by reading it
    assert first is not None and first.added == [
        "birds/crane.txt",
        "birds/heron.txt",
        "birds/stork.txt",
    ]
    (corpus / "birds").rename(corpus / "waders")
    moved = watcher.apply([corpus / "birds", corpus / "waders"])
    assert moved is not None
    assert moved.added == ["waders/crane.txt", "waders/heron.txt", "waders/stork.txt"]
    assert moved.removed == first.added and moved.documents == 5


def test_the_start_syncs_what_changed_unwatched_but_removes_little(
    indexed: tuple[Settings, Writer],
) -> None:
    settings, writer = indexed
    corpus = settings.corpus
    for i in range(5):
        (corpus / f"note-{i}.txt").write_text(f"Field note {i} about the heron.")
    watcher = Watcher(settings, writer, [corpus])
    started = watcher.apply([], everything=True)
    assert started is not None and len(started.added) == 5

    (corpus / "otters.txt").unlink()  # one file gone while nobody watched: removed at start
    (corpus / "bees.md").write_text("# Bees\n\nBumble bees buzz to shake pollen loose.")
    again = watcher.apply([], everything=True)
    assert again is not None and again.removed == ["otters.txt"] and again.changed == ["bees.md"]

    for i in range(4):  # more than 3 and over 10 %: a start never removes that many
        (corpus / f"note-{i}.txt").unlink()
    assert watcher.apply([], everything=True) is None
    manifest = read_manifest(settings.home)
    assert manifest is not None and len(manifest.documents) == 6


def test_uploads_and_other_sources_are_never_touched(
    indexed: tuple[Settings, Writer], tmp_path: Path
) -> None:
    settings, writer = indexed
    writer.add("whales.txt", b"Blue whales sing at a pitch too low for people to hear.")
    watched = tmp_path / "watched"
    watched.mkdir()
    watcher = Watcher(settings, writer, [watched])
    (watched / "whales.txt").write_text("A second whales file, in the watched folder.")
    (watched / "kites.txt").write_text("Box kites were invented by Lawrence Hargrave in 1893.")
    batch = watcher.apply([watched / "whales.txt", watched / "kites.txt"])
    assert batch is not None and batch.added == ["kites.txt"]
    assert batch.skipped and "'whales.txt' is taken by" in batch.skipped[0]

    (watched / "whales.txt").unlink()  # the upload of that id stays
    assert watcher.apply([watched / "whales.txt"]) is None
    (watched / "kites.txt").unlink()
    batch = watcher.apply([watched / "kites.txt"])
    assert batch is not None and batch.removed == ["kites.txt"]
    manifest = read_manifest(settings.home)
    assert manifest is not None
    assert set(manifest.documents) == {"whales.txt", "otters.txt", "bees.md"}
    assert (settings.uploads_folder / "whales.txt").is_file()
    assert str(watched.resolve()) in manifest.roots  # the watched folder is a source of record


def test_a_file_written_while_read_waits(indexed: tuple[Settings, Writer]) -> None:
    settings, writer = indexed
    slow = Settings(home=settings.home, corpus=settings.corpus, watch_stable_seconds=0.5)
    watcher = Watcher(slow, writer, [settings.corpus])
    path = settings.corpus / "log.txt"
    path.write_text("The keeper lit the lamp at dusk.")

    def append() -> None:
        time.sleep(0.2)  # while the watcher waits for the file to settle
        with path.open("a") as f:
            f.write(" The keeper put it out at dawn.")

    writing = threading.Thread(target=append)
    writing.start()
    assert watcher.apply([path]) is None  # it moved: left for the next round
    writing.join()
    batch = watcher.apply([])  # the next round takes the deferred file, now whole
    assert batch is not None and batch.added == ["log.txt"]
    index = load_current(settings.home, writer.encoder)
    assert "dawn" in index.documents["log.txt"].text


# --- real processes -------------------------------------------------------------------------


@dataclass
class Served:
    client: httpx.Client
    settings: Settings
    process: subprocess.Popen[str]
    log: Path  # the server's stderr

    def log_lines(self, pattern: str) -> list[str]:
        return re.findall(pattern, self.log.read_text(errors="replace"), re.MULTILINE)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(settings: Settings, args: list[str], log: Path, out: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "CITEQA_HOME": str(settings.home),
        "CITEQA_API_KEY": "s3cret-key",
        "HF_HUB_OFFLINE": "1",
        **WATCH_ENV,
    }
    with log.open("w") as err, out.open("w") as stdout:
        return subprocess.Popen(
            [sys.executable, "-m", "citeqa.service.cli", *args],
            env=env,
            stdout=stdout,
            stderr=err,
            text=True,
        )


def _until(check: Callable[[], Any], what: str, seconds: float = 10.0) -> Any:
    """Poll `check` until it returns something true; fail saying `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.1)


@pytest.fixture
def served(tmp_path: Path, encoder: Encoder) -> Iterator[Served]:
    """`citeqa serve --watch` on the indexed two-document corpus, watching it."""
    corpus = tiny_corpus(tmp_path)
    settings = Settings(home=tmp_path / "home", corpus=corpus)
    ingest([corpus], encoder, settings.home, settings.build_options())
    port = _free_port()
    log = tmp_path / "serve.log"
    process = _start(settings, ["serve", "--watch", "--port", str(port)], log, tmp_path / "out")
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    try:
        served = Served(client, settings, process, log)

        def up() -> bool:
            assert process.poll() is None, log.read_text()
            try:
                client.get("/health")
            except httpx.TransportError:
                return False
            return bool(served.log_lines(r"^watching "))

        _until(up, "the server answers and watches", 120)
        yield served
    finally:
        client.close()
        process.send_signal(signal.SIGTERM)  # the watcher stops with the app
        # uvicorn shuts down gracefully, then ends by the signal it was sent.
        assert process.wait(timeout=60) in (0, -signal.SIGTERM), log.read_text()
    text = log.read_text()
    assert "Application shutdown complete" in text and "Traceback" not in text


def _ids(client: httpx.Client) -> set[str]:
    response = client.get("/documents")
    assert response.status_code == 200, response.text
    return {d["id"] for d in response.json()["documents"]}


def _cited(client: httpx.Client, question: str) -> list[tuple[str, str]]:
    """(document, text) of every passage /ask returns for `question`."""
    response = client.post("/ask", json={"question": question, "k": 10})
    assert response.status_code == 200, response.text
    return [(p["citation"]["document"], p["text"]) for p in response.json()["passages"]]


@pytest.mark.slow
def test_created_changed_renamed_and_deleted_files_are_answered(served: Served) -> None:
    client, corpus = served.client, served.settings.corpus
    question = "Who invented the box kite?"

    (corpus / "kites.txt").write_text("Box kites were invented by Lawrence Hargrave in 1893.")
    _until(lambda: "kites.txt" in _ids(client), "a new file is listed")
    assert _cited(client, question)[0] == ("kites.txt", (corpus / "kites.txt").read_text())

    # Saved the way vim saves: a probe file, a backup, the swap file, then the new bytes.
    (corpus / "4913").write_text("")
    (corpus / "4913").unlink()
    (corpus / "kites.txt~").write_text((corpus / "kites.txt").read_text())
    (corpus / ".kites.txt.swp").write_bytes(b"b0VIM 9.0\x00" + bytes(100))
    (corpus / "kites.txt").write_text("Box kites were first flown by Samuel Cody in 1901.")
    _until(lambda: "Cody" in client.get("/documents/kites.txt").json()["text"], "a change is seen")
    cited = _cited(client, question)
    assert cited[0][0] == "kites.txt" and "Cody" in cited[0][1]
    assert not any("Hargrave" in text for _, text in cited)

    (corpus / "kites.txt").rename(corpus / "kite-history.txt")
    _until(
        lambda: {"kite-history.txt"} == _ids(client) - {"otters.txt", "bees.md"},
        "a rename is seen",
    )
    assert _cited(client, question)[0][0] == "kite-history.txt"

    (corpus / "kite-history.txt").unlink()
    _until(lambda: _ids(client) == {"otters.txt", "bees.md"}, "a deletion is seen")
    assert not any("kite" in doc for doc, _ in _cited(client, question))

    # None of the editor's files ever became a document; the service is still the same process.
    assert _ids(client) == {"otters.txt", "bees.md"} and served.process.poll() is None
    assert not served.log_lines(r"^skipped .*(4913|kites\.txt~|swp)")


@pytest.mark.slow
def test_temporary_and_unreadable_files_never_appear(served: Served) -> None:
    client, corpus = served.client, served.settings.corpus
    for name in EDITOR_FILES:
        (corpus / name).write_text("Sea otters hold hands in an editor's temporary file.")
    (corpus / "notes.xyz").write_text("A file no format reads.")
    (corpus / "broken.pdf").write_bytes(b"plain text, not a pdf")
    (corpus / "whales.txt").write_text("Blue whales sing too low for people to hear.")
    _until(lambda: "whales.txt" in _ids(client), "the readable file is listed")
    _until(lambda: served.log_lines(r"^skipped broken\.pdf: .*PDF"), "a bad PDF is logged")
    assert served.log_lines(r"^skipped notes\.xyz: unsupported file type '\.xyz'")
    assert _ids(client) == {"otters.txt", "bees.md", "whales.txt"}
    assert served.process.poll() is None


@pytest.mark.slow
def test_http_writes_and_watched_changes_both_land_once(served: Served) -> None:
    client, corpus = served.client, served.settings.corpus
    kelp = b"Sea otters wrap themselves in kelp so they do not drift apart."
    # PUT replaces the watched file itself; the watcher sees that change and finds it indexed.
    put = client.put("/documents/otters.txt", files={"file": ("otters.txt", kelp)}, headers=KEY)
    assert put.status_code == 200, put.text
    (corpus / "kites.txt").write_text("Box kites were invented by Lawrence Hargrave in 1893.")
    whales = {"file": ("whales.txt", b"Blue whales sing too low for people to hear.")}
    assert client.post("/documents", files=whales, headers=KEY).status_code == 201
    _until(lambda: {"kites.txt", "whales.txt"} <= _ids(client), "both writes are listed")

    # The PUT's change came before the saved file's, so it was looked at by now: not again.
    pattern = r"^index \S+: (\d+) added, (\d+) changed, (\d+) removed"
    batches = _until(lambda: served.log_lines(pattern), "the write is logged")  # after it
    assert [tuple(map(int, b)) for b in batches] == [(1, 0, 0)]
    assert client.get("/documents/otters.txt").json()["text"] == kelp.decode()
    assert (served.settings.uploads_folder / "whales.txt").is_file()
    assert _ids(client) == {"otters.txt", "bees.md", "kites.txt", "whales.txt"}


@pytest.mark.slow
def test_a_burst_is_a_few_versions_and_answers_never_fail(served: Served) -> None:
    client, corpus = served.client, served.settings.corpus
    asked: list[int] = []
    stop = threading.Event()

    def ask_meanwhile() -> None:
        with httpx.Client(base_url=str(client.base_url), timeout=30) as own:
            while not stop.is_set():
                response = own.post("/ask", json={"question": "Why do sea otters hold hands?"})
                asked.append(response.status_code)

    asking = threading.Thread(target=ask_meanwhile)
    asking.start()
    try:
        for i in range(100):
            (corpus / f"note-{i:03}.txt").write_text(
                f"Field note {i}: the heron number {i} waited in the reeds by pond {i}."
            )
        _until(lambda: len(_ids(client)) == 102, "all 100 files are listed", 120)
    finally:
        stop.set()
        asking.join()
    pattern = r"^index \S+: (\d+) added, \d+ changed, \d+ removed"

    def all_logged() -> bool:  # each write is logged just after it is published
        return sum(int(n) for n in served.log_lines(pattern)) == 100

    _until(all_logged, "the writes are logged")
    batches = served.log_lines(pattern)
    assert 1 <= len(batches) <= 3, batches  # one write for the burst, not one per file
    assert asked and set(asked) == {200}


@pytest.mark.slow
def test_a_file_written_in_two_parts_is_indexed_whole(served: Served) -> None:
    client, corpus = served.client, served.settings.corpus
    path = corpus / "lighthouse.txt"
    first, rest = "The lighthouse keeper lit the lamp at dusk.", " He put it out at dawn."
    seen: list[str] = []
    stop = threading.Event()

    def watch_document() -> None:
        with httpx.Client(base_url=str(client.base_url), timeout=30) as own:
            while not stop.is_set():
                response = own.get("/documents/lighthouse.txt")
                if response.status_code == 200:
                    seen.append(response.json()["text"])
                time.sleep(0.05)

    polling = threading.Thread(target=watch_document)
    polling.start()
    try:
        with path.open("w") as f:
            f.write(first)
            f.flush()
            # Longer than the debounce (0.3 s), shorter than the stability interval (1 s).
            time.sleep(0.6)
            f.write(rest)
        _until(lambda: seen, "the document is listed")
        time.sleep(1.5)  # a half version published after the whole one would show up here
    finally:
        stop.set()
        polling.join()
    assert set(seen) == {first + rest}


@pytest.mark.slow
def test_watch_in_the_foreground_prints_each_change_and_stops_on_ctrl_c(
    tmp_path: Path, encoder: Encoder
) -> None:
    corpus = tiny_corpus(tmp_path)
    settings = Settings(home=tmp_path / "home", corpus=corpus)
    ingest([corpus], encoder, settings.home, settings.build_options())
    log, out = tmp_path / "watch.log", tmp_path / "watch.out"
    process = _start(settings, ["watch"], log, out)
    try:
        _until(lambda: "watching " in log.read_text(), "the watcher starts", 120)
        (corpus / "kites.txt").write_text("Box kites were invented by Lawrence Hargrave in 1893.")
        line = _until(
            lambda: re.search(
                r"^index (\S+): 1 added, 0 changed, 0 removed \(3 documents\)$",
                out.read_text(),
                re.MULTILINE,
            ),
            "the change is printed",
        )
        manifest = read_manifest(settings.home)
        assert manifest is not None and manifest.version == line.group(1)
        assert "kites.txt" in manifest.documents
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0, log.read_text()
        assert "Traceback" not in log.read_text()
    finally:
        process.kill()
        process.wait()


def test_watch_of_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "CITEQA_HOME": str(tmp_path / "home")}
    for args, message in [
        (["watch"], "no index yet"),
        (["watch", str(tmp_path / "missing")], "does not exist"),
        (["serve", "--watch", "--workers", "2"], "--watch needs one worker"),
    ]:
        result = subprocess.run(
            [sys.executable, "-m", "citeqa.service.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert result.returncode != 0 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
