"""How ingest feeds the model: batches cut by a word-piece budget, run side by side on threads,
sentences shared by neighbouring passages embedded once, and passage vectors made from their
sentences' vectors."""

from __future__ import annotations

import numpy as np

from citeqa.corpus import Passage
from citeqa.index.encoder import Encoder, load_encoder
from citeqa.index.encoder.onnx import token_budget_batches
from citeqa.index.retrieval.sentences import embed_passages, passage_sentences


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


def test_no_text_is_embedded_twice(encoder: Encoder) -> None:
    shared = "The bridge opened to traffic in 1932."
    alone = "Its towers stand 227 metres tall."  # a passage of one sentence
    texts = [f"Workers built it from steel. {shared}", f"{shared} It carries six lanes now.", alone]
    passages = [
        Passage(id=f"doc.txt#{i}", doc_id="doc.txt", text=t, start=0, end=len(t))
        for i, t in enumerate(texts)
    ]
    calls: list[list[str]] = []
    original = encoder.encode

    def counting(texts: list[str], *args: object, **kwargs: object) -> np.ndarray:
        calls.append(list(texts))
        return original(texts, *args, **kwargs)  # type: ignore[arg-type]

    encoder.encode = counting  # type: ignore[method-assign]
    try:
        vectors, sentences = embed_passages(passages, encoder)
    finally:
        del encoder.encode
    assert sentences is not None
    # three passages; five sentences, four distinct, and only they go through the model
    distinct = {"Workers built it from steel.", shared, "It carries six lanes now.", alone}
    assert len(calls) == 1 and sorted(calls[0]) == sorted(distinct)  # no passage embedded whole
    spans = [(row, a, b) for row, t in enumerate(texts) for a, b in passage_sentences(t)]
    assert sentences.rows.tolist() == [list(s) for s in spans]
    decoded = sentences.vectors.astype(np.float32) * sentences.scales[:, None]
    assert np.array_equal(decoded[1], decoded[2])  # the shared sentence, in both passages
    assert float(decoded[4] @ vectors[2]) > 0.998  # a one-sentence passage: its sentence's vector
    assert float(decoded[1] @ encoder.encode([shared])[0]) > 0.998


def test_a_passage_vector_is_its_sentences_mean_weighted_by_length(encoder: Encoder) -> None:
    first, second = (
        "Rain fell for nine days.",
        "The harbour wall gave way under the weight of the sea.",
    )
    text = f"{first} {second}"
    passage = Passage(id="doc.txt#0", doc_id="doc.txt", text=text, start=0, end=len(text))
    vectors, sentences = embed_passages([passage], encoder)
    assert sentences is not None and len(sentences) == 2
    # the mean of the sentence vectors as stored (int8 codes times their scale) ...
    stored = sentences.vectors.astype(np.float32) * sentences.scales[:, None]
    mean = len(first) * stored[0] + len(second) * stored[1]
    mean /= np.linalg.norm(mean)
    assert np.abs(vectors[0] - mean).max() < 1e-5
    # ... which is the mean of the sentences embedded alone, but for the codes' rounding
    alone = encoder.encode([first, second])
    exact = len(first) * alone[0] + len(second) * alone[1]
    assert float(vectors[0] @ exact) / float(np.linalg.norm(exact)) > 0.9999
    assert abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-5
    # the whole passage embedded agrees closely, and without sentences that is what is stored
    whole = encoder.encode([text])[0]
    assert float(vectors[0] @ whole) > 0.8
    plain, none = embed_passages([passage], encoder, sentences=False)
    assert none is None and np.abs(plain[0] - whole).max() < 1e-5
