"""The `citeqa` command, run as a real subprocess: same JSON as HTTP, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from .models import NO_ATTENTION_MASK, model_copy

CITEQA = [sys.executable, "-m", "citeqa.service.cli"]


def run(home: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """`citeqa *args` on `home`, with more CITEQA_ settings given by name (model="...")."""
    env = {**os.environ, "CITEQA_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    env |= {f"CITEQA_{name.upper()}": value for name, value in settings.items()}
    return subprocess.run(
        [*CITEQA, *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def without_timing(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "took_ms"}


def test_ask_json_prints_exactly_the_http_body(shipped_home: Path, http: httpx.Client) -> None:
    question = "When did the ASEAN-ROK investment agreement take effect?"
    result = run(shipped_home, "ask", question, "-k", "3", "--json")
    assert result.returncode == 0, result.stderr
    from_cli = json.loads(result.stdout)
    from_http = http.post("/ask", json={"question": question, "k": 3}).json()
    assert without_timing(from_cli) == without_timing(from_http)
    assert from_cli["passages"][0]["citation"]["page"] == 3


def test_ask_prints_a_readable_answer(shipped_home: Path) -> None:
    result = run(shipped_home, "ask", "When did the ROK become a full Dialogue Partner?", "-k", "1")
    assert result.returncode == 0, result.stderr
    assert (
        "[1]" in result.stdout
        and "asean-secretariat-overview-asean-rok-csp.pdf, p. 1" in result.stdout
    )
    assert "July 1991" in result.stdout


def test_errors_are_one_line_without_traceback(shipped_home: Path, tmp_path: Path) -> None:
    cases = [
        (run(shipped_home, "ask", "  "), "question must not be empty"),
        (run(shipped_home, "ask", "trade", "-k", "0"), "k must be between 1 and 50"),
        (run(tmp_path / "empty-home", "ask", "trade"), "run `citeqa ingest`"),
        (run(tmp_path / "h", "ingest", str(tmp_path / "missing")), "no such file or folder"),
        (run(shipped_home, "documents", "missing.txt"), "no document with id"),
    ]
    for result, message in cases:
        assert result.returncode == 1
        assert message in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.slow
def test_a_model_onnx_cannot_run_stops_each_command_in_one_line(tmp_path: Path) -> None:
    model = model_copy(tmp_path / "model", NO_ATTENTION_MASK)
    settings = {"model": str(model), "model_cache": str(tmp_path / "cache")}
    home = tmp_path / "home"
    for args in (["ingest"], ["ask", "trade"], ["serve", "--port", "9"]):
        result = run(home, *args, **settings)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "set CITEQA_BACKEND=torch" in result.stderr


def test_bad_setting_is_named(shipped_home: Path) -> None:
    env = {**os.environ, "CITEQA_HOME": str(shipped_home), "CITEQA_MAX_K": "lots"}
    result = subprocess.run(
        [*CITEQA, "stats"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 1 and "CITEQA_MAX_K" in result.stderr


def test_ingest_reports_what_changed(tmp_path: Path) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "owls.md").write_text("# Owls\n\nOwls hunt at night and sleep by day.")
    (corpus / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    (corpus / "slides.key").write_bytes(b"PK\x03\x04")  # a type citeqa does not read
    result = run(tmp_path / "home", "ingest", str(corpus), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["added"] == ["owls.md"] and report["documents"] == 1
    assert [s.split(":")[0] for s in report["skipped"]] == ["bad.pdf", "slides.key"]
    assert "unsupported file type '.key'" in report["skipped"][1]
    again = run(tmp_path / "home", "ingest", str(corpus))
    assert "1 unchanged; 0 embedded" in again.stdout
    assert "skipped slides.key: unsupported file type '.key'" in again.stderr
