"""Retrieval quality mechanics: hybrid fusion, repeats removed, highlights inside passages."""

from __future__ import annotations

import random
from pathlib import Path

from citeqa.corpus import ChunkSettings
from citeqa.index import BuildOptions, Encoder, ingest, load_current, search
from citeqa.service.engine import Engine

OPTIONS = BuildOptions(ChunkSettings())


def test_hybrid_finds_exact_codes_that_dense_confuses(tmp_path: Path, encoder: Encoder) -> None:
    """Forty near-identical notes differing only in a made-up code: a dense vector barely
    tells "ZQ-57" from "ZQ-75"; the keyword side matches the code exactly."""
    rng = random.Random(1)
    verbs = ["shelved", "approved", "delayed", "cancelled", "extended", "audited", "merged"]
    months = ["January", "March", "May", "July", "September", "November"]
    corpus = tmp_path / "c"
    corpus.mkdir()
    for n in range(40, 80):
        verb, month = rng.choice(verbs), rng.choice(months)
        (corpus / f"p{n}.txt").write_text(f"Project ZQ-{n} was {verb} in {month} after the review.")
    ingest([corpus], encoder, tmp_path / "home", OPTIONS)
    index = load_current(tmp_path / "home", encoder)
    dense_right = hybrid_right = 0
    for n in range(40, 80):
        question = f"What happened to project ZQ-{n}?"
        rows, _ = index.dense_search(encoder.encode([question])[0], 1)
        dense_right += index.passages[rows[0]].doc_id == f"p{n}.txt"
        hybrid_right += search(index, encoder, question, 1)[0].passage.doc_id == f"p{n}.txt"
    assert hybrid_right >= 35
    assert hybrid_right >= dense_right + 10


def test_the_same_text_in_two_documents_is_returned_once(tmp_path: Path, encoder: Encoder) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    fact = "The Vasa warship sank in Stockholm harbour on its maiden voyage in 1628."
    (corpus / "ships.txt").write_text(fact)
    (corpus / "ships-copy.txt").write_text(fact)
    (corpus / "other.txt").write_text("Stockholm is built on fourteen islands.")
    ingest([corpus], encoder, tmp_path / "home", OPTIONS)
    index = load_current(tmp_path / "home", encoder)
    hits = search(index, encoder, "When did the Vasa sink?", 3)
    assert [h.passage.text for h in hits].count(fact) == 1
    assert len(hits) == 2


def test_overlapping_passages_do_not_crowd_the_top(shipped_engine: Engine) -> None:
    answer = shipped_engine.ask("ASEAN-ROK dialogue relations summit", k=10)
    spans = [(p.citation.document, p.citation.start, p.citation.end) for p in answer.passages]
    for i, (doc, start, end) in enumerate(spans):
        for other_doc, other_start, other_end in spans[:i]:
            if doc == other_doc:
                shared = min(end, other_end) - max(start, other_start)
                assert shared <= 0.5 * (end - start)


def test_highlights_lie_inside_passages_and_hold_sentences(shipped_engine: Engine) -> None:
    for question in ["When was the ASEAN-Korea Centre established?", "What is KASI?", "trade"]:
        for p in shipped_engine.ask(question, k=5).passages:
            assert 0 <= p.highlight.start < p.highlight.end <= len(p.text)
            sentence = p.text[p.highlight.start : p.highlight.end]
            assert sentence.strip() == sentence and len(sentence.split()) >= 1


def test_scores_are_ordered_and_explained(shipped_engine: Engine) -> None:
    hits = search(shipped_engine.index(), shipped_engine.encoder, "What does MSMB stand for?", 5)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert 0 < hits[-1].score <= hits[0].score <= 1
    assert hits[0].keyword_score > 0 and -1 <= hits[0].dense_score <= 1
