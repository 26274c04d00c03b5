"""A write killed half-way loses nothing. A real `kill -9` stops a process at each step of a
write's file changes (`writes._staged`); the next `citeqa ingest`, rebuild or service start then
finishes or undoes the change, as the index says, and leaves no hidden files behind."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.storage import ingest, read_manifest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings
from citeqa.service.writes import recover_corpus

from .conftest import LiveServer, tiny_corpus

OLD = "Sea otters hold hands while they sleep so they drift together."
NEW = "Sea otters crack shellfish open with stones they keep in a skin pouch."

pytestmark = pytest.mark.slow  # writes killed and recovered in subprocesses

# Runs one write's file change in a child process and kills it with SIGKILL at `point`:
# "upload" (new bytes written, nothing renamed), "between-renames" (the old file moved aside, the
# new one not yet in place), "renamed" (both renames done, nothing published) or "published"
# (the new index version published, the old file not yet deleted).
KILLED_WRITE = """
import os, signal, sys
from citeqa.corpus import parse_document
from citeqa.index.storage import update
from citeqa.service import writes
from citeqa.service.settings import Settings

point, doc_id, new = sys.argv[1:4]
settings = Settings()
data = None if new == "-" else new.encode()
real_replace = os.replace

def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)

def replace(src, dst):
    if point == "upload":
        die()
    real_replace(src, dst)
    if point == "between-renames":
        die()

writes.os.replace = replace
with writes._staged(settings.corpus / doc_id, data):
    if point == "published":
        encoder = settings.load_encoder()
        changes = {"upserts": [parse_document(data, doc_id)]} if data else {"deletes": [doc_id]}
        update(settings.home, encoder, settings.build_options(encoder), root=settings.corpus,
               **changes)
    die()
"""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _hidden(corpus: Path) -> list[str]:
    return sorted(p.name for p in corpus.iterdir() if p.name.startswith("."))


@pytest.fixture
def settings(tmp_path: Path, encoder: Encoder) -> Settings:
    settings = Settings(home=tmp_path / "home", corpus=tiny_corpus(tmp_path))
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    return settings


def _kill_during(settings: Settings, point: str, new: str | None) -> None:
    env = {
        **os.environ,
        "CITEQA_HOME": str(settings.home),
        "CITEQA_CORPUS": str(settings.corpus),
        "HF_HUB_OFFLINE": "1",
    }
    args = [point, "otters.txt", "-" if new is None else new]
    done = subprocess.run(
        [sys.executable, "-c", KILLED_WRITE, *args], env=env, timeout=300, check=False
    )
    assert done.returncode == -9, "the write was not killed"


@pytest.mark.parametrize(
    ("point", "new", "indexed"),
    [
        ("upload", NEW, OLD),  # a replace killed before it renamed anything
        ("between-renames", NEW, OLD),  # the document's file is missing: moved aside
        ("renamed", NEW, OLD),  # the new bytes in place, never published
        ("published", NEW, NEW),  # published; the old copy still aside
        ("renamed", None, OLD),  # a removal killed before publishing: the file is aside
        ("published", None, None),  # a removal published; the old copy still aside
    ],
)
def test_the_next_ingest_finishes_or_undoes_a_killed_write(
    settings: Settings, point: str, new: str | None, indexed: str | None
) -> None:
    _kill_during(settings, point, new)
    assert _hidden(settings.corpus), "the killed write left nothing to recover"
    manifest = read_manifest(settings.home)
    assert manifest is not None
    assert manifest.documents.get("otters.txt") == (indexed and _sha(indexed))

    result = subprocess.run(
        [sys.executable, "-m", "citeqa.service.cli", "ingest", "--json"],
        env={
            **os.environ,
            "CITEQA_HOME": str(settings.home),
            "CITEQA_CORPUS": str(settings.corpus),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _hidden(settings.corpus) == []
    otters = settings.corpus / "otters.txt"
    if indexed is None:
        assert not otters.exists()
    else:
        assert otters.read_text() == indexed
    # The corpus folder now says what the index said: the ingest changed nothing.
    after = read_manifest(settings.home)
    assert after is not None and after.documents == manifest.documents
    if point != "upload":  # an upload killed before any rename leaves nothing but itself
        assert "interrupted write" in result.stderr


def test_the_service_start_puts_back_a_file_a_killed_replace_moved_aside(
    settings: Settings, encoder: Encoder
) -> None:
    _kill_during(settings, "between-renames", NEW)
    assert not (settings.corpus / "otters.txt").exists()
    with LiveServer(Engine(settings, encoder)) as client:
        assert (settings.corpus / "otters.txt").read_text() == OLD
        assert _hidden(settings.corpus) == []
        response = client.get("/documents/otters.txt")
        assert response.status_code == 200 and OLD in response.json()["text"]


def test_what_the_index_cannot_vouch_for_is_left_alone(settings: Settings) -> None:
    """Neither copy holds the indexed bytes (both edited by hand, say), or the hidden name does
    not say which file it was: nothing is touched."""
    corpus = settings.corpus
    (corpus / "otters.txt").write_text("Otters, edited by hand since the last ingest.")
    (corpus / ".replaced-0123456789ab-otters.txt").write_text("someone's own draft")
    (corpus / ".replaced-0123456789ab").write_text(OLD)
    assert recover_corpus(settings) == []
    assert _hidden(corpus) == [".replaced-0123456789ab", ".replaced-0123456789ab-otters.txt"]
    assert (corpus / "otters.txt").read_text().startswith("Otters, edited")
