"""Sentence vectors pooled from their passage's own forward pass (index/tokens.py and
sentence_vectors.embed_passages): the passage vector is the one `encode` gives, a sentence pools
exactly its own word pieces, and a passage longer than the model's window still gets a vector for
every sentence. Real model."""

from __future__ import annotations

import numpy as np

from citeqa.corpus import Passage
from citeqa.index import Encoder
from citeqa.index.sentence_vectors import embed_passages, passage_sentences
from citeqa.index.tokens import pool_spans, span_tokens

OTTERS = "Sea otters hold hands while they sleep. Honey bees dance to show where flowers are."


def _passage(text: str, n: int = 0) -> Passage:
    return Passage(id=f"doc.txt#{n}", doc_id="doc.txt", text=text, start=0, end=len(text))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def test_the_passage_vectors_are_those_encode_gives(encoder: Encoder) -> None:
    texts = [OTTERS, "x", "The secretariat published a long report on trade. " * 40]
    vectors, sentences = embed_passages([_passage(t, i) for i, t in enumerate(texts)], encoder, 2)
    assert np.array_equal(vectors, encoder.encode(texts))  # the same graph, the same numbers
    assert sentences.passages == 3 and len(sentences) == sum(
        len(passage_sentences(t)) for t in texts
    )


def test_a_sentence_pools_the_word_pieces_of_its_span(encoder: Encoder) -> None:
    (out,) = encoder.encode_tokens([OTTERS])
    (encoding,) = out.batch.encodings
    spans = passage_sentences(OTTERS)
    assert [OTTERS[a:b] for a, b in spans][1] == "Honey bees dance to show where flowers are."
    inside = span_tokens(encoding, spans)
    pieces = [[encoding.tokens[i] for i in np.flatnonzero(row)] for row in inside]
    assert pieces == [
        ["sea", "otter", "##s", "hold", "hands", "while", "they", "sleep", "."],
        ["honey", "bees", "dance", "to", "show", "where", "flowers", "are", "."],
    ]
    pooled, read = pool_spans(OTTERS, encoding, out.tokens[0], spans)
    assert read.all()
    for row, vector in zip(inside, pooled, strict=True):
        expected = _unit(out.tokens[0][row].mean(axis=0))
        assert np.allclose(vector, expected, atol=1e-6)
    # In context, not alone: close to the sentence embedded by itself, but not the same vector.
    alone = encoder.encode([OTTERS[a:b] for a, b in spans])
    cosines = np.sum(pooled * alone, axis=1)
    assert np.all(cosines > 0.5) and np.all(cosines < 0.999)
    # and nearer its own sentence's question than the other sentence is
    question = encoder.encode(["Which insects dance?"])[0]
    assert pooled[1] @ question > pooled[0] @ question


def test_a_passage_longer_than_the_window_gets_a_vector_per_sentence(encoder: Encoder) -> None:
    text = " ".join(
        f"Report {n} describes the harbour of town number {n} and its {n * 3} fishing boats."
        for n in range(1, 31)
    )
    spans = passage_sentences(text)
    assert len(spans) == 30
    (out,) = encoder.encode_tokens([text])
    (encoding,) = out.batch.encodings
    assert len(encoding.ids) == encoder.max_tokens and encoding.overflowing  # cut by the window
    _, read = pool_spans(text, encoding, out.tokens[0], spans)
    assert read[0] and not read[-1]
    last_read = int(np.flatnonzero(read).max())
    assert read[: last_read + 1].all()  # what the window holds whole is pooled in context

    _, sentences = embed_passages([_passage(text)], encoder)
    assert sentences.rows.tolist() == [[0, a, b] for a, b in spans]
    stored = np.asarray(sentences.vectors, dtype=np.float32)
    assert np.allclose(np.linalg.norm(stored, axis=1), 1.0, atol=1e-3)
    alone = encoder.encode([text[a:b] for a, b in spans])
    cosines = np.sum(stored * alone, axis=1)
    assert np.all(cosines[last_read + 1 :] > 0.999)  # cut off (or straddling): embedded alone
    assert np.all(cosines[: last_read + 1] < 0.999)  # read in context
