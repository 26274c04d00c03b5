"""The encoder backends: ONNX gives torch's vectors, int8 nearly so and says so in its identity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from citeqa.corpus import ChunkSettings
from citeqa.index import (
    BuildOptions,
    Encoder,
    IndexMismatchError,
    ModelError,
    ingest,
    load_current,
    load_encoder,
    search,
)

TEXTS = [
    "When did the ROK become a full Dialogue Partner of ASEAN?",
    "x",
    "A literal [PAD] in the text is a word piece the model reads, not padding.",
    # longer than the model reads (256 word pieces): both backends must cut it at the same place
    "The secretariat published a long report on trade and culture. " * 60,
]


@pytest.fixture(scope="module")
def torch_encoder() -> Encoder:
    return load_encoder(backend="torch")


@pytest.fixture(scope="module")
def int8_encoder() -> Encoder:
    return load_encoder(backend="onnx-int8")


def test_onnx_vectors_are_torch_vectors(encoder: Encoder, torch_encoder: Encoder) -> None:
    assert encoder.backend == "onnx" and encoder.max_tokens == torch_encoder.max_tokens == 256
    cosines = (encoder.encode(TEXTS) * torch_encoder.encode(TEXTS)).sum(axis=1)
    assert cosines.min() > 0.99999
    assert encoder.fingerprint == torch_encoder.fingerprint  # indexes move freely between them


def test_int8_is_close_but_not_the_same_model(int8_encoder: Encoder, encoder: Encoder) -> None:
    vectors = int8_encoder.encode(TEXTS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = (vectors * encoder.encode(TEXTS)).sum(axis=1)
    assert cosines.min() > 0.97 and cosines.max() < 0.99999
    assert int8_encoder.fingerprint != encoder.fingerprint


def test_an_index_knows_its_backend(
    tmp_path: Path, torch_encoder: Encoder, encoder: Encoder, int8_encoder: Encoder
) -> None:
    corpus, home = tmp_path / "c", tmp_path / "home"
    corpus.mkdir()
    (corpus / "otters.txt").write_text("Sea otters hold hands while they sleep.")
    (corpus / "bees.txt").write_text("Honey bees dance to tell the hive where flowers are.")
    ingest([corpus], torch_encoder, home, BuildOptions(ChunkSettings()))
    index = load_current(home, encoder)  # built by torch, answered by onnx
    assert index.manifest.backend == "torch"
    assert search(index, encoder, "Why do otters hold hands?", 1)[0].passage.doc_id == "otters.txt"
    with pytest.raises(IndexMismatchError, match="rebuild"):
        load_current(home, int8_encoder)


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(ModelError, match="torch, onnx, onnx-int8"):
        load_encoder(backend="tensorrt")
