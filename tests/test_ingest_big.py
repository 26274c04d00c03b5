"""Big ingests: documents go through in parts (a segment each), a killed `citeqa ingest` resumes
without embedding again what it finished, chunking stays linear in the text's length, and the
progress counts reach a log (stderr not a terminal) and the rebuild job's `GET /jobs/{id}`."""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from citeqa.corpus import (
    ChunkSettings,
    Document,
    chunk_document,
    load_document,
    parse_document,
)
from citeqa.index.encoder import Encoder
from citeqa.index.storage import read_manifest
from citeqa.index.storage.ingest import ingest
from citeqa.index.storage.segment import Segment, load_segment
from citeqa.index.storage.staging import read_staged
from citeqa.index.storage.windows import WINDOWS_DIR
from citeqa.service.engine import Engine
from citeqa.service.settings import SHIPPED_CORPUS, Settings

from .conftest import LiveServer, tiny_corpus
from .pdfs import make_pdf

CITEQA = [sys.executable, "-m", "citeqa.service.cli"]
KEY = "write-key-big-ingest"


def real_text(words: int, seed: int, headings: float = 0.1) -> str:
    """`words` words of the shipped documents' own text, paragraphs shuffled and numbered so no
    two copies are equal (real sentences and headings, repeated with variation); a heading
    before about `headings` of the paragraphs."""
    paragraphs = []
    for path in sorted(SHIPPED_CORPUS.glob("*.md")) + sorted(SHIPPED_CORPUS.glob("*.txt")):
        text = path.read_text(errors="ignore")
        paragraphs += [p.strip() for p in text.split("\n\n") if len(p.split()) >= 8]
    rng = random.Random(seed)
    out: list[str] = []
    count = 0
    while count < words:
        paragraph = rng.choice(paragraphs)
        if rng.random() < headings:
            out.append(f"## Part {len(out)}")  # a heading now and then, as in real files
        out.append(f"{paragraph} (Item {len(out)}.)")
        count += len(paragraph.split()) + 2
    return "\n\n".join(out) + "\n"


def citeqa(home: Path, *args: str, **settings: str) -> subprocess.Popen[str]:
    env = {**os.environ, "CITEQA_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    env |= {f"CITEQA_{name.upper()}": value for name, value in settings.items()}
    return subprocess.Popen(
        [*CITEQA, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def test_ingest_logs_a_line_per_stage_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    corpus = tiny_corpus(tmp_path)
    done = citeqa(tmp_path / "home", "ingest", str(corpus))
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    lines = [line for line in err.splitlines() if " ingest " in line]
    stages = [line.split(" ingest ")[1].split(":")[0] for line in lines]
    assert stages[0] == "reading" and stages[-1] == "done"
    assert "embedding" in stages and "writing" in stages
    assert "\r" not in err  # no bar drawn into a log
    assert "files 2/2" in lines[-1]
    assert "passages 2 chunked, 2 embedded" in lines[-1], lines[-1]
    assert "2 written" in lines[-1]
    assert "2 documents, 2 passages" in out


def test_the_rebuild_job_reports_the_counts(tmp_path: Path, encoder: Encoder) -> None:
    corpus = tiny_corpus(tmp_path)
    settings = Settings(home=tmp_path / "home", corpus=corpus, api_key=KEY)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    with LiveServer(Engine(settings, encoder)) as client:
        started = client.post("/index/rebuild", headers={"X-API-Key": KEY})
        assert started.status_code == 202, started.text
        deadline = time.monotonic() + 120
        url = f"/jobs/{started.json()['job']}"
        while (job := client.get(url, headers={"X-API-Key": KEY}).json())["state"] not in (
            "done",
            "failed",
        ):
            assert time.monotonic() < deadline, "the rebuild did not finish"
            time.sleep(0.1)
    assert job["state"] == "done", job
    progress = job["progress"]
    assert progress["stage"] == "done"
    assert progress["files_read"] == progress["files_total"] == 2
    assert progress["bytes_done"] == progress["bytes_total"] > 0
    assert progress["passages_chunked"] == progress["passages_embedded"] == 2
    assert progress["passages_written"] == 2 and progress["sentences_embedded"] >= 2


@pytest.mark.slow
def test_a_killed_ingest_resumes_and_embeds_only_the_rest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(12):
        (corpus / f"report-{n:02d}.txt").write_text(real_text(600, seed=n))
    home = tmp_path / "home"
    # ~4 kB files in parts of ~8 kB: six parts, a segment each, staged as they are written.
    part = {"ingest_part_mb": "0.008", "sentence_vectors": "false"}
    first = citeqa(home, "ingest", str(corpus), **part)
    deadline = time.monotonic() + 600
    while len(getattr(read_staged(home), "segments", {})) < 2:
        assert first.poll() is None, first.communicate()[1]
        assert time.monotonic() < deadline, "no part was written in time"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert read_manifest(home) is None  # nothing was published
    staged = read_staged(home)
    assert staged is not None
    finished = sum(sum(s.passages.values()) for s in staged.segments.values())
    kept = {d for s in staged.segments.values() for d in s.documents}
    again = citeqa(home, "ingest", str(corpus), "--json", **part)
    out, err = again.communicate(timeout=900)
    assert again.returncode == 0, err
    report = json.loads(out)
    assert report["documents"] == 12
    assert report["resumed"] == len(kept) >= 2
    assert report["embedded"] == 12 - len(kept)
    # Only what no finished segment (or finished window of the part it was in) holds.
    assert report["passages_resumed"] >= finished
    assert report["passages_embedded"] + report["passages_resumed"] == report["passages"]
    assert read_staged(home) is None  # published: nothing left to resume
    # The resumed index holds every passage of every file, as an uninterrupted ingest would.
    chunks = [
        chunk_document(load_document(path, path.name), Settings().chunking)
        for path in sorted(corpus.iterdir())
    ]
    assert report["passages"] == sum(len(c) for c in chunks)


@pytest.mark.slow
def test_a_killed_ingest_of_one_big_file_resumes_its_finished_windows(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "handbook.md").write_text(real_text(2500, seed=7))
    home = tmp_path / "home"
    # One file, one part; its passages embedded in windows of ~3,000 characters, each kept under
    # HOME/embedding as it is done (test_windows.py checks the windows' sentence vectors).
    small = {"ingest_part_mb": "0.003", "sentence_vectors": "false"}
    first = citeqa(home, "ingest", str(corpus), **small)
    deadline = time.monotonic() + 600
    while len(list((home / WINDOWS_DIR).glob("*.npz"))) < 2:
        assert first.poll() is None, first.communicate()[1]
        assert time.monotonic() < deadline, "no window was finished in time"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert read_manifest(home) is None and read_staged(home) is None  # no segment either
    again = citeqa(home, "ingest", str(corpus), "--json", **small)
    out, err = again.communicate(timeout=900)
    assert again.returncode == 0, err
    report = json.loads(out)
    assert report["passages_resumed"] >= 2 * 2  # at least two windows of several passages
    assert report["passages_embedded"] + report["passages_resumed"] == report["passages"]
    assert not (home / WINDOWS_DIR).exists()  # published: nothing left to resume

    # The resumed index holds what an uninterrupted ingest makes, vector for vector.
    fresh_home = tmp_path / "fresh-home"
    whole = citeqa(fresh_home, "ingest", str(corpus), "--json", **small)
    assert json.loads(whole.communicate(timeout=900)[0])["passages"] == report["passages"]
    resumed, fresh = (_only_segment(h) for h in (home, fresh_home))
    assert resumed.texts.rows == fresh.texts.rows
    assert resumed.vectors is not None and fresh.vectors is not None
    assert np.allclose(resumed.vectors, fresh.vectors, atol=1e-5)


def _only_segment(home: Path) -> Segment:
    manifest = read_manifest(home)
    assert manifest is not None
    (name,) = manifest.segments
    return load_segment(home / "segments" / name, manifest.dimension)


@pytest.mark.slow
def test_a_big_ingest_writes_a_segment_per_part(tmp_path: Path, encoder: Encoder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(6):
        (corpus / f"notes-{n}.md").write_text(real_text(1200, seed=100 + n))
    settings = Settings(home=tmp_path / "home", ingest_part_mb=0.015, sentence_vectors=False)
    counts: list[dict[str, object]] = []
    options = settings.build_options(on_progress=counts.append, compact=False)
    report = ingest([corpus], encoder, settings.home, options)
    assert report.segments_written == 3
    manifest = read_manifest(settings.home)
    assert manifest is not None and len(manifest.segments) == 3
    # The parts went one after another: the first was written before the last was read.
    first_written = next(i for i, c in enumerate(counts) if c["segments_written"] == 1)
    assert counts[first_written]["files_read"] < 6
    assert counts[-1]["passages_written"] == report.passages == manifest.passages


@pytest.mark.slow
def test_chunking_time_grows_linearly_with_the_text() -> None:
    """8x the text (and its headings) takes about 8x the CPU time; a lookup that scanned every
    heading for every passage made it ~30x here (and 270 s for a 50 MB file)."""
    small = parse_document(real_text(100_000, seed=1, headings=0.6).encode(), "small.md")
    large = parse_document(real_text(800_000, seed=1, headings=0.6).encode(), "large.md")
    assert len(large.headings) > 7 * len(small.headings) > 7000

    def seconds(doc: Document) -> float:
        best = float("inf")
        for _ in range(2):
            started = time.process_time()
            chunk_document(doc, ChunkSettings())
            best = min(best, time.process_time() - started)
        return best

    ratio = seconds(large) / seconds(small)
    assert ratio < 14, f"8x the text took {ratio:.1f}x the time"


@pytest.mark.slow
def test_a_two_thousand_page_pdf_chunks_with_its_pages(tmp_path: Path) -> None:
    text = real_text(2000 * 70, seed=7, headings=0)
    words = text.encode("latin-1", "ignore").decode("latin-1").split()  # Helvetica's letters
    lines = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
    pages = [lines[i * 5 : i * 5 + 5] for i in range(2000)]
    doc = load_document(make_pdf(tmp_path / "long.pdf", pages))
    assert len(doc.pages) == 2000
    started = time.process_time()
    passages = chunk_document(doc)
    assert time.process_time() - started < 60
    assert passages[0].page == 1 and passages[-1].page_end == 2000
    for before, after in itertools.pairwise(passages):
        assert before.page is not None and after.page is not None
        assert before.page <= after.page <= (after.page_end or 0)
        assert doc.text[after.start : after.end] == after.text
