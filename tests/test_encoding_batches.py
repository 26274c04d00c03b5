"""How ingest feeds the model: batches cut by a word-piece budget, run side by side on threads,
and sentences shared by neighbouring passages embedded once; none of it changes a vector."""

from __future__ import annotations

import numpy as np

from citeqa.corpus import Passage
from citeqa.index.encoder import Encoder, load_encoder
from citeqa.index.encoder.onnx import token_budget_batches
from citeqa.index.retrieval.sentences import embed_sentences, passage_sentences


def test_batches_hold_each_row_once_longest_first_within_the_budget() -> None:
    lengths = [5, 300, 40, 40, 7, 120, 3, 256, 41]
    batches = token_budget_batches(lengths, budget=256)
    rows = np.concatenate(batches).tolist()
    assert sorted(rows) == list(range(len(lengths)))
    assert [lengths[r] for r in rows] == sorted(lengths, reverse=True)
    assert batches[0].tolist() == [1]  # longer than the budget: a batch of its own
    for batch in batches:
        padded = len(batch) * max(lengths[r] for r in batch)
        assert len(batch) == 1 or padded <= 256
    assert len(batches[-1]) > 4  # short texts go many to a batch


def test_batches_on_threads_give_each_text_its_own_vector(encoder: Encoder) -> None:
    texts = [f"Sentence number {n} talks about {'rivers ' * (n % 17)}and boats." for n in range(90)]
    texts += ["", "x", "A literal [PAD] token in the text is read, not masked."]
    threaded = load_encoder(threads=2)
    assert threaded.model.workers == 2  # type: ignore[attr-defined]
    together = threaded.encode_many(texts, batch_size=4)  # many small batches, two threads
    alone = np.concatenate([encoder.encode([t]) for t in texts])
    assert np.abs(together - alone).max() < 1e-5


def test_a_sentence_shared_by_two_passages_is_embedded_once(encoder: Encoder) -> None:
    shared = "The bridge opened to traffic in 1932."
    texts = [f"Workers built it from steel. {shared}", f"{shared} It carries six lanes now."]
    passages = [
        Passage(id=f"doc.txt#{i}", doc_id="doc.txt", text=t, start=0, end=len(t))
        for i, t in enumerate(texts)
    ]
    calls: list[int] = []
    original = encoder.encode_many

    def counting(texts: list[str], *args: object, **kwargs: object) -> np.ndarray:
        calls.append(len(texts))
        return original(texts, *args, **kwargs)  # type: ignore[arg-type]

    encoder.encode_many = counting  # type: ignore[method-assign]
    try:
        sentences = embed_sentences(passages, encoder)
    finally:
        del encoder.encode_many
    assert calls == [3]  # four sentences, three distinct
    spans = [(row, a, b) for row, t in enumerate(texts) for a, b in passage_sentences(t)]
    assert sentences.rows.tolist() == [list(s) for s in spans]
    vectors = sentences.vectors.astype(np.float32) * sentences.scales[:, None]
    assert np.array_equal(vectors[1], vectors[2])  # the shared sentence, in both passages
    fresh = encoder.encode([texts[r][a:b] for r, a, b in spans])
    assert np.all(np.sum(vectors * fresh, axis=1) > 0.999)
