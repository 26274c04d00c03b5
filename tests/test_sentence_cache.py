"""Sentences an ingest has embedded are not embedded again in a later window, part or file
(index/retrieval/sentence_cache.py), and a cached sentence counts as where it was first embedded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from citeqa.corpus import ChunkSettings, Passage
from citeqa.corpus.sentences import split_sentences
from citeqa.index.encoder import Encoder
from citeqa.index.retrieval import sentences as sentences_module
from citeqa.index.retrieval.sentence_cache import ENTRY_OVERHEAD, SentenceCache, sentence_key
from citeqa.index.retrieval.sentences import embed_passages, quantise
from citeqa.index.storage import BuildOptions, ingest
from citeqa.index.storage.windows import assembling, embed_part

BOILERPLATE = (
    "This document is provided as is, without warranty of any kind. "
    "Report errors in it to the documentation team."
)


def passage(doc: str, text: str) -> Passage:
    return Passage(id=f"{doc}#0", doc_id=doc, text=text, start=0, end=len(text))


def counting(encoder: Encoder, calls: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    original = encoder.encode

    def encode(texts: list[str], *args: object, **kwargs: object) -> np.ndarray:
        calls.extend(texts)
        return original(texts, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(encoder, "encode", encode)


def test_a_cached_sentence_is_not_embedded_again_and_gives_the_same_vectors(
    encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = [passage("a.txt", f"The pump runs at night. {BOILERPLATE}")]
    second = [passage("b.txt", f"The valve opens at dawn. {BOILERPLATE}")]
    plain_vectors, plain_sentences = embed_passages(second, encoder)
    calls: list[str] = []
    counting(encoder, calls, monkeypatch)
    monkeypatch.setattr(sentences_module, "KNOWN_SLICE", 1)  # the cached ones one at a time
    cache = SentenceCache(encoder.dimension, 1_000_000)
    embed_passages(first, encoder, cache=cache)
    assert len(cache) == 3
    calls.clear()
    vectors, sentences = embed_passages(second, encoder, cache=cache)
    assert calls == ["The valve opens at dawn."]  # the boilerplate's two sentences were cached
    assert plain_sentences is not None and sentences is not None
    # the same vectors, but for the model's rounding in batches of other texts
    assert np.allclose(vectors, plain_vectors, atol=1e-5)
    assert np.abs(sentences.vectors.astype(int) - plain_sentences.vectors).max() <= 1
    assert np.allclose(sentences.scales, plain_sentences.scales, rtol=1e-4)


def test_the_cache_keeps_no_more_than_its_budget(encoder: Encoder) -> None:
    cache = SentenceCache(encoder.dimension, 2 * (encoder.dimension + ENTRY_OVERHEAD))
    assert cache.capacity == 2
    texts = ["One.", "Two.", "Three."]
    codes, scales = quantise(encoder.encode(texts))
    cache.add([sentence_key(t) for t in texts], codes, scales)
    assert len(cache) == 2
    found = cache.find([sentence_key(t) for t in [*texts, "Four."]])
    assert found.tolist() == [0, 1, -1, -1]
    kept_codes, kept_scales = cache.vectors(found[:2])
    assert np.array_equal(kept_codes, codes[:2]) and np.array_equal(kept_scales, scales[:2])
    assert SentenceCache(encoder.dimension, 0).capacity == 0


def test_windows_of_one_part_share_the_cache(
    tmp_path: Path, encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    passages = [passage("manual.txt", f"Step {n} is listed here. {BOILERPLATE}") for n in range(6)]
    whole, _ = embed_passages(passages, encoder)
    calls: list[str] = []
    counting(encoder, calls, monkeypatch)
    window = len(passages[0].text) * 2  # three windows of two passages
    key = {"model": "the test's"}
    with assembling(tmp_path, passages, key, window):
        made = embed_part(
            passages,
            encoder,
            tmp_path,
            key,
            window_chars=window,
            cache=SentenceCache(encoder.dimension, 1_000_000),
        )
        assert np.allclose(made.vectors, whole, atol=1e-6)
    boilerplate = [BOILERPLATE[a:b] for a, b in split_sentences(BOILERPLATE)]
    steps = [f"Step {n} is listed here." for n in range(6)]
    assert sorted(calls) == sorted(steps + boilerplate)  # the boilerplate once, not thrice


def test_an_ingest_embeds_text_repeated_across_files_once(tmp_path: Path, encoder: Encoder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, topic in [("pumps.txt", "The pump runs at night."), ("valves.txt", "Valves open.")]:
        (corpus / name).write_text(f"{topic}\n\n{BOILERPLATE}\n")
    reports = {}
    for mb in (64.0, 0.0):
        # one file a part, so the repeat crosses parts, not just windows
        options = BuildOptions(ChunkSettings(), part_mb=1e-6, sentence_cache_mb=mb)
        home = tmp_path / f"home-{mb}"
        reports[mb] = ingest([corpus], encoder, home, options)
    assert reports[0.0].sentences_embedded == 6
    assert reports[64.0].sentences_embedded == 4  # the boilerplate's two sentences once
    assert reports[64.0].passages == reports[0.0].passages == 2
