"""`citeqa ask|documents|stats|add|remove --url`: the CLI as a client of a real `citeqa serve`
process, printing what it prints in-process; the service's refusals as one line, exit 1. And
the filter options of `citeqa ask`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.storage.ingest import ingest
from citeqa.service.settings import Settings

from .test_filters import ARCHIVE, OTTER_NOTES, OTTER_QUESTION, make_corpus

pytestmark = pytest.mark.slow  # a served process, and a CLI process per command

CITEQA = [sys.executable, "-m", "citeqa.service.cli"]
KEY = "write-key-for-tests"


def run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "CITEQA_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    for name in ("CITEQA_API_KEY", "CITEQA_READ_KEY"):
        full.pop(name, None)
    full.update(env)
    return subprocess.run(
        [*CITEQA, *args], capture_output=True, text=True, env=full, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    root = tmp_path_factory.mktemp("cli-client")
    settings = Settings(home=root / "home")
    ingest([make_corpus(root)], encoder, settings.home, settings.build_options(encoder))
    return settings.home


@pytest.fixture(scope="module")
def url(home: Path) -> Iterator[str]:
    """A real `citeqa serve` on the home, writes enabled with KEY."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "CITEQA_HOME": str(home), "CITEQA_API_KEY": KEY, "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen(
        [*CITEQA, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{address}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("citeqa serve did not start")
            time.sleep(0.2)
        yield address
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def _one_line_error(result: subprocess.CompletedProcess[str], *says: str) -> None:
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for part in says:
        assert part in lines[0], lines[0]


def _no_timing(text: str) -> dict:
    body = json.loads(text)
    body.pop("took_ms")
    return body


def test_ask_over_http_prints_what_ask_prints_in_process(home: Path, url: str) -> None:
    args = ["ask", OTTER_QUESTION, "-k", "3", "--folder", "archive/"]
    local = _no_timing(_ok(run(home, *args, "--json")))
    remote = _no_timing(_ok(run(home, *args, "--json", "--url", url)))
    assert remote == local
    assert {p["citation"]["document"].split("/")[0] for p in local["passages"]} == {"archive"}
    assert len(local["passages"]) == 3
    assert _ok(run(home, *args, "--url", url)) == _ok(run(home, *args))


def test_ask_filter_options(home: Path, url: str) -> None:
    def documents(*options: str) -> set[str]:
        out = _ok(run(home, "ask", OTTER_QUESTION, "--json", "--url", url, *options))
        return {p["citation"]["document"] for p in json.loads(out)["passages"]}

    assert documents("--kind", "pdf") == {"reports/kelp-survey.pdf"}
    assert documents("--meta", "team=finance") == {"reports/finance-q3.md"}
    assert documents("-d", "reports/short.txt", "-d", "notes/otters-01.txt") == {
        "reports/short.txt",
        "notes/otters-01.txt",
    }
    dated = '{"modified": {"from": "2022-01-01", "to": "2022-12-31"}}'
    assert documents("--filter", dated) == {"handbooks/seals.docx"}
    assert documents("--title", "harbour seal", "--kind", "docx") == {"handbooks/seals.docx"}
    nothing = run(home, "ask", OTTER_QUESTION, "--url", url, "--kind", "html")
    assert "No document matches the filter" in _ok(nothing)
    _one_line_error(
        run(home, "ask", OTTER_QUESTION, "--filter", '{"modified": {"from": "2024-13-01"}}'),
        "filter.modified.from",
    )
    _one_line_error(run(home, "ask", OTTER_QUESTION, "--filter", '{"colour": 1}'), "filter.colour")
    _one_line_error(run(home, "ask", OTTER_QUESTION, "--meta", "team"), "--meta takes NAME=VALUE")


def test_documents_and_stats_over_http(home: Path, url: str) -> None:
    table = _ok(run(home, "documents", "--url", url))
    assert table == _ok(run(home, "documents"))
    lines = table.splitlines()
    assert lines[0].split() == ["id", "kind", "pages", "passages", "title"]
    assert len(lines) == 1 + OTTER_NOTES + ARCHIVE + 4
    assert any(line.startswith("reports/kelp-survey.pdf") and " pdf " in line for line in lines)
    listed = json.loads(_ok(run(home, "documents", "--json", "--url", url)))
    assert listed["next_cursor"] is None and len(listed["documents"]) == listed["total"]
    detail = json.loads(_ok(run(home, "documents", "reports/finance-q3.md", "--url", url)))
    assert detail["metadata"]["team"] == "finance"
    remote, local = (json.loads(_ok(run(home, "stats", *u))) for u in (["--url", url], []))
    assert remote == local and remote["documents"] == OTTER_NOTES + ARCHIVE + 4


def test_add_and_remove_over_http(home: Path, url: str, tmp_path: Path) -> None:
    note = tmp_path / "walrus.txt"
    note.write_text("Walruses use their tusks to haul themselves onto the ice.")
    _one_line_error(run(home, "add", str(note), "--url", url), "HTTP 401")
    _one_line_error(run(home, "add", str(note), "--url", url, "--key", "wrong"), "HTTP 403")
    added = _ok(run(home, "add", str(note), "--url", url, CITEQA_API_KEY=KEY))
    assert added.strip() == "added walrus.txt: 1 passages"
    answer = json.loads(
        _ok(
            run(
                home,
                "ask",
                "What do walruses use their tusks for?",
                "--json",
                "--url",
                url,
                "-d",
                "walrus.txt",
            )
        )
    )
    assert answer["passages"][0]["citation"]["document"] == "walrus.txt"
    _one_line_error(run(home, "add", str(note), "--url", url, CITEQA_API_KEY=KEY), "HTTP 409")
    removed = _ok(run(home, "remove", "walrus.txt", "--url", url, "--key", KEY))
    assert removed.strip() == "removed walrus.txt"
    _one_line_error(run(home, "remove", "walrus.txt", "--url", url, "--key", KEY), "HTTP 404")
    _one_line_error(run(home, "documents", "walrus.txt", "--url", url), "HTTP 404")


def test_no_service_at_the_address_is_one_line(home: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    _one_line_error(
        run(home, "stats", "--url", f"http://127.0.0.1:{port}"), "cannot reach the service"
    )
