"""Issue 7, a full disk while an index version is written, over real HTTP and the real CLI.

Two ways to fill the disk:
- injected: `os.fsync` fails with ENOSPC for the one file or folder a table row names, as ext4,
  XFS or NFS report a full disk at fsync (delayed allocation). This is fault injection at the OS
  boundary; every other call, and all of citeqa, runs for real.
- real: CITEQA_HOME on a small tmpfs filled to the last page (needs root and `mount`; skipped
  with the reason otherwise).

Every failed write must answer 507 `{"detail": ...}` (the CLI: one line, exit code 1), leave
CURRENT, the index folder and the corpus folder exactly as they were, keep answering with the
same passages, and the same write must succeed once there is space again.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.storage import current_version
from citeqa.index.storage.ingest import ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .conftest import LiveServer, tiny_corpus

KEY = {"X-API-Key": "k"}
OTTERS = "Why do sea otters hold hands?"
TRACE_MARKERS = ("Traceback", 'File "', "site-packages", ", line ")
NO_SPACE = "no space left on the device"


class FullDisk:
    """While `failing` is set, fsync of a path it matches raises ENOSPC; `hits` counts them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.failing: Callable[[str], bool] | None = None
        self.hits = 0
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if self.failing is not None and self.failing(os.readlink(f"/proc/self/fd/{fd}")):
                self.hits += 1
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)


@dataclass
class Served:
    client: httpx.Client
    settings: Settings


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("disk-full")
    corpus = tiny_corpus(root)
    settings = Settings(home=root / "home", corpus=corpus, api_key="k")  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    with LiveServer(Engine(settings, encoder)) as client:
        yield Served(client, settings)


@dataclass(frozen=True)
class Snapshot:
    """What a failed write must not change."""

    current: str | None
    indexes: list[str]
    segments: list[str]
    home: list[str]  # but jobs/ and uploads/, which a refused rebuild or upload may create
    corpus: dict[str, bytes]
    uploads: dict[str, bytes]
    answer: list[dict]  # the passages /ask returns for OTTERS


def snapshot(client: httpx.Client, settings: Settings) -> Snapshot:
    answer = client.post("/ask", json={"question": OTTERS, "k": 5})
    assert answer.status_code == 200, answer.text
    uploads = settings.uploads_folder
    return Snapshot(
        current_version(settings.home),
        sorted(p.name for p in (settings.home / "indexes").iterdir()),
        sorted(p.name for p in (settings.home / "segments").iterdir()),
        sorted(p.name for p in settings.home.iterdir() if p.name not in ("jobs", "uploads")),
        {p.name: p.read_bytes() for p in sorted(settings.corpus.iterdir())},  # hidden ones too
        {p.name: p.read_bytes() for p in sorted(uploads.iterdir())} if uploads.is_dir() else {},
        answer.json()["passages"],
    )


def assert_clear_507(response: httpx.Response, where: str = "CITEQA_HOME") -> None:
    assert response.status_code == 507, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    assert set(response.json()) == {"detail"} and NO_SPACE in detail and where in detail
    assert not any(marker in response.text for marker in TRACE_MARKERS), detail


def _upload(client: httpx.Client, name: str, text: str) -> httpx.Response:
    return client.post("/documents", files={"file": (name, text.encode())}, headers=KEY)


def _top_document(client: httpx.Client, question: str) -> str:
    body = client.post("/ask", json={"question": question, "k": 1}).json()
    return str(body["passages"][0]["citation"]["document"])


def _ends(name: str) -> Callable[[str], bool]:
    return lambda path: path.endswith(name)


# Each step of publishing a version (and of storing the upload) where the disk can fill up.
STEPS: list[tuple[str, Callable[[str], bool], str]] = [
    ("upload-file", lambda path: "/.upload-" in path, "CITEQA_UPLOADS"),
    ("texts", _ends("/texts.bin"), "CITEQA_HOME"),
    ("passages", _ends("/passages.npy"), "CITEQA_HOME"),
    ("vectors", _ends("/vectors.npy"), "CITEQA_HOME"),
    ("keyword", lambda path: "/keyword/" in path, "CITEQA_HOME"),
    ("segment-meta", _ends("/segment.json"), "CITEQA_HOME"),
    (
        "segment-folder",
        lambda path: re.search(r"/segments/\.tmp-[^/]+$", path) is not None,
        "CITEQA_HOME",
    ),
    ("segment-in-place", _ends("/segments"), "CITEQA_HOME"),  # renamed, no version uses it
    ("manifest", _ends("/manifest.json"), "CITEQA_HOME"),
    (
        "version-folder",
        lambda path: re.search(r"/indexes/\.tmp-[^/]+$", path) is not None,
        "CITEQA_HOME",
    ),
    ("after-rename", _ends("/indexes"), "CITEQA_HOME"),  # the version is in place, not current
    ("current-file", lambda path: "/.CURRENT." in path, "CITEQA_HOME"),
]


@pytest.mark.parametrize(("step", "failing", "where"), STEPS, ids=[s[0] for s in STEPS])
def test_upload_on_a_full_disk_changes_nothing(
    served: Served,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
    failing: Callable[[str], bool],
    where: str,
) -> None:
    client, settings = served.client, served.settings
    name, fact = f"almanac-{step}.txt", f"The {step} comet returns every 76 years."
    before = snapshot(client, settings)
    disk = FullDisk(monkeypatch)
    disk.failing = failing

    assert_clear_507(_upload(client, name, fact), where)
    assert disk.hits >= 1, "the fault was never reached: the write path changed"
    assert snapshot(client, settings) == before  # same CURRENT, files and answer
    assert client.get(f"/documents/{name}").status_code == 404

    disk.failing = None  # space is back: the same upload succeeds and is answered
    added = _upload(client, name, fact)
    assert added.status_code == 201, added.text
    assert _top_document(client, f"How often does the {step} comet return?") == name
    after = snapshot(client, settings)
    assert after.current != before.current
    assert [n for n in after.indexes + after.segments if n.startswith(".")] == []
    assert [n for n in after.home if n.startswith(".CURRENT")] == []


def test_replace_delete_and_rebuild_on_a_full_disk_change_nothing(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, settings = served.client, served.settings
    disk = FullDisk(monkeypatch)
    disk.failing = _ends("/vectors.npy")
    before = snapshot(client, settings)

    replaced = client.put(
        "/documents/otters.txt",
        files={"file": ("otters.txt", b"Sea otters juggle pebbles at noon.")},
        headers=KEY,
    )
    assert_clear_507(replaced)
    disk.failing = _ends("/manifest.json")  # a delete writes no vectors: only a new manifest
    assert_clear_507(client.delete("/documents/otters.txt", headers=KEY))
    assert snapshot(client, settings) == before  # the old file is back, the old text answers
    disk.failing = _ends("/vectors.npy")

    started = client.post("/index/rebuild", headers=KEY)
    assert started.status_code == 202, started.text
    deadline = time.monotonic() + 60
    while (job := client.get(f"/jobs/{started.json()['job']}", headers=KEY).json())[
        "state"
    ] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["state"] == "failed" and NO_SPACE in job["error"], job
    assert snapshot(client, settings) == before
    assert disk.hits >= 3


# --- the CLI ---------------------------------------------------------------------------------

# `citeqa` with fsync failing (ENOSPC) inside any index version being written.
FULL_DISK_CLI = """
import errno, os, sys
real_fsync = os.fsync
def fsync(fd):
    if "/indexes/.tmp-" in os.readlink(f"/proc/self/fd/{fd}"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    real_fsync(fd)
os.fsync = fsync
from citeqa.service.cli import main
sys.argv[0] = "citeqa"
main()
"""


def _citeqa(home: Path, *args: str, full_disk: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CITEQA_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    command = ["-c", FULL_DISK_CLI] if full_disk else ["-m", "citeqa.service.cli"]
    return subprocess.run(
        [sys.executable, *command, *args], env=env, capture_output=True, text=True, timeout=300
    )


def _assert_one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    """One error line, last; before it only the ingest's progress log lines ("12:00:01 ingest
    reading: ..."), which the CLI writes to a stderr that is not a terminal."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    others = [line for line in lines if not re.match(r"\d\d:\d\d:\d\d ingest ", line)]
    assert others == [lines[-1]], result.stderr
    assert lines[-1].startswith("Error: " + NO_SPACE), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_ingest_on_a_full_disk_is_one_line_and_changes_nothing(
    tmp_path: Path, encoder: Encoder
) -> None:
    corpus = tiny_corpus(tmp_path)
    home = tmp_path / "home"
    ingest([corpus], encoder, home, Settings(home=home).build_options())
    version, folders = current_version(home), sorted((home / "indexes").iterdir())

    _assert_one_line_error(_citeqa(home, "ingest", str(corpus), "--rebuild", full_disk=True))
    assert current_version(home) == version and sorted((home / "indexes").iterdir()) == folders

    again = _citeqa(home, "ingest", str(corpus), "--rebuild")
    assert again.returncode == 0, again.stderr
    assert current_version(home) != version


# --- a real full disk: CITEQA_HOME on a small tmpfs --------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as err:
        reason = getattr(err, "stderr", "") or str(err)
        pytest.skip(f"cannot mount a tmpfs here (needs root): {reason.strip()}")
    try:
        yield mount_point
    finally:
        # Lazy: the server's memory-mapped keyword index may still hold files open.
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(disk: Path) -> Path:
    """Write a ballast file until the disk refuses even one more byte."""
    ballast = disk / "ballast"
    with ballast.open("wb", buffering=0) as f:
        for size in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError as err:
                assert err.errno == errno.ENOSPC, err
    assert shutil.disk_usage(disk).free < 4096
    return ballast


@pytest.mark.slow
def test_a_real_full_disk(small_disk: Path, tmp_path: Path, encoder: Encoder) -> None:
    corpus = tiny_corpus(tmp_path)  # on the ordinary disk; the index on the small one
    settings = Settings(home=small_disk / "home", corpus=corpus, api_key="k")  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    with LiveServer(Engine(settings, encoder)) as client:
        before = snapshot(client, settings)
        ballast = _fill(small_disk)

        kites = _upload(client, "kites.txt", "Box kites were invented in 1893.")
        assert_clear_507(kites, "CITEQA_UPLOADS")  # the uploads folder is in the home
        assert_clear_507(client.post("/index/rebuild", headers=KEY))  # no room to record a job
        _assert_one_line_error(_citeqa(settings.home, "ingest", str(corpus), "--rebuild"))
        assert snapshot(client, settings) == before
        assert client.get("/documents/kites.txt").status_code == 404

        ballast.unlink()
        added = _upload(client, "kites.txt", "Box kites were invented in 1893.")
        assert added.status_code == 201, added.text
        assert _top_document(client, "When were box kites invented?") == "kites.txt"
        rebuilt = _citeqa(settings.home, "ingest", str(corpus), "--rebuild")
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert [p.name for p in (settings.home / "indexes").iterdir() if p.name[0] == "."] == []
