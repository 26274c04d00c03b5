"""Dense search: exact while small, memory-mapped IVF beyond FLAT_LIMIT, same answers."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from citeqa.corpus import ChunkSettings
from citeqa.index.encoder import Encoder
from citeqa.index.retrieval import dense, search
from citeqa.index.retrieval.dense import ExactSearch, IvfSearch, build_ivf, open_dense_index
from citeqa.index.storage import BuildOptions, ingest, load_current

from .conftest import tiny_corpus


def _clustered(n: int, d: int = 64, seed: int = 1) -> np.ndarray:
    """Unit vectors around 200 centres, as embeddings of related passages lie."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((200, d))
    vectors = centres[rng.integers(0, 200, n)] + 0.6 * rng.standard_normal((n, d))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)


def test_ivf_finds_what_exact_search_finds(tmp_path: Path) -> None:
    vectors = _clustered(20_000)
    np.save(tmp_path / "vectors.npy", vectors)
    faiss.write_index(build_ivf(vectors), str(tmp_path / dense.IVF_FILE))
    mapped = np.load(tmp_path / "vectors.npy", mmap_mode="r")
    ivf = open_dense_index(tmp_path, mapped)
    assert isinstance(ivf, IvfSearch)
    exact = ExactSearch(mapped)
    queries = _clustered(100, seed=2)
    recall = np.mean(
        [len(set(ivf.search(q, 10)[0]) & set(exact.search(q, 10)[0])) / 10 for q in queries]
    )
    assert recall >= 0.95
    rows, scores = exact.search(queries[0], 5)
    assert rows.tolist() == np.argsort(-(vectors @ queries[0]))[:5].tolist()
    assert np.allclose(scores, vectors[rows] @ queries[0], atol=1e-5)


def test_a_large_version_is_searched_through_ivf(
    tmp_path: Path, encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tiny_corpus(tmp_path)
    for i in range(40):
        (corpus / f"note-{i}.txt").write_text(f"Field note {i}: the heron waited by pond {i}.")
    monkeypatch.setattr(dense, "FLAT_LIMIT", 10)  # this small corpus counts as large
    ingest([corpus], encoder, tmp_path / "home", BuildOptions(ChunkSettings()))
    index = load_current(tmp_path / "home", encoder)
    (segment,) = index.segments
    assert (segment.path / dense.IVF_FILE).is_file() and isinstance(segment.dense, IvfSearch)
    hit = search(index, encoder, "Why do sea otters hold hands?", 1)[0]
    assert hit.passage.doc_id == "otters.txt"
