"""Sentence vectors: stored beside the passages, scored at search, copied by merges, optional in
segments written before them. Real model, small corpora made here."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from citeqa.corpus import ChunkSettings, parse_document
from citeqa.index.answer import highlight
from citeqa.index.answer.abstain import answer_strength
from citeqa.index.encoder import Encoder
from citeqa.index.retrieval import search
from citeqa.index.retrieval.fusion import DENSE_WEIGHT
from citeqa.index.retrieval.sentences import (
    SENTENCE_ROWS_FILE,
    SENTENCE_SCALES_FILE,
    SENTENCES_FILE,
    passage_sentences,
)
from citeqa.index.storage import BuildOptions, ingest, load_current, update
from citeqa.index.storage.manifest import read_manifest
from citeqa.index.storage.merge import compact
from citeqa.index.storage.segment import segment_looks_whole
from citeqa.index.storage.version import IndexVersion
from citeqa.index.vectorstores import close_opened_stores
from citeqa.service.settings import Settings

from .conftest import tiny_corpus

NO_MERGE = BuildOptions(ChunkSettings(), compact=False)

# One long passage about a lighthouse, of which a single sentence is about the question; two short
# passages nearer the question as a whole (pets, animals that hunt rodents) but not answering it.
LIGHTHOUSE = (
    "The Harrow Point lighthouse was built of granite blocks quarried on the island in 1871. "
    "Its lantern room holds a first-order Fresnel lens that was shipped from Paris in forty "
    "crates. Three keepers lived there in rotation and logged the weather every four hours. "
    "The tower was painted with black and white bands so sailors could tell it apart from its "
    "neighbours. In winter storms, waves broke over the gallery and salt crusted the windows. "
    "The keepers kept a cat that caught the mice in the oil store. "
    "Supply boats called once a fortnight with coal, paraffin and letters. "
    "The light was automated in 1962 and the keepers' cottages became a small museum."
)
CAT = "The keepers kept a cat that caught the mice in the oil store."
QUESTION = "Which animal hunted rodents for the keepers?"


def _write_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "lighthouse.txt").write_text(LIGHTHOUSE)
    (corpus / "vets.txt").write_text(
        "Veterinary clinics advise owners of dogs, cats and rabbits on vaccination schedules, "
        "diet and dental care for their animals."
    )
    (corpus / "farm.txt").write_text(
        "Barn owls and kestrels nest in the old farm buildings, and the farmer welcomes them "
        "because they keep the fields free of voles."
    )
    return corpus


@pytest.fixture(scope="module")
def animals_home(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    root = tmp_path_factory.mktemp("animals")
    home = root / "home"
    ingest([_write_corpus(root)], encoder, home, BuildOptions(ChunkSettings()))
    return home


def _drop_sentence_files(home: Path) -> None:
    """Make every segment look like one written before sentence vectors existed."""
    for segment in (home / "segments").iterdir():
        (segment / SENTENCES_FILE).unlink()
        (segment / SENTENCE_ROWS_FILE).unlink()
        (segment / SENTENCE_SCALES_FILE).unlink()


def test_a_segment_stores_each_passage_sentence_embedded(
    animals_home: Path, encoder: Encoder
) -> None:
    index = load_current(animals_home, encoder)
    (segment,) = index.segments
    sentences = segment.sentences
    assert sentences is not None
    assert sentences.vectors.dtype == np.int8 and sentences.rows.dtype == np.int32
    assert sentences.scales is not None and sentences.scales.dtype == np.float32
    expected = [
        (row, a, b) for row, p in enumerate(segment.passages) for a, b in passage_sentences(p.text)
    ]
    assert sentences.rows.tolist() == [list(r) for r in expected]
    texts = [segment.passages[row].text[a:b] for row, a, b in expected]
    assert CAT in texts
    fresh = encoder.encode(texts)
    stored = np.asarray(sentences.vectors, dtype=np.float32) * sentences.scales[:, None]
    cosines = np.sum(fresh * stored, axis=1) / np.linalg.norm(stored, axis=1)
    assert np.all(cosines > 0.9995)  # int8 rounding only
    all_rows = np.arange(len(sentences))
    query = fresh[0]
    assert np.allclose(sentences.cosines(all_rows, query), stored @ query, atol=1e-6)
    assert isinstance(sentences.vectors, np.memmap) or isinstance(sentences.vectors.base, np.memmap)


def test_a_sentence_close_to_the_question_lifts_its_passage(
    animals_home: Path, encoder: Encoder, tmp_path: Path
) -> None:
    """The lighthouse passage as a whole is the least like the question (cosine 0.26 against
    0.28 and 0.34), but its sentence about the cat is by far the closest (0.59): with sentence
    scoring it ranks first, with passage cosines alone last."""
    index = load_current(animals_home, encoder)
    first = search(index, encoder, QUESTION, 3)[0]
    assert first.passage.doc_id == "lighthouse.txt"
    start, end = highlight(QUESTION, first.passage.text, index.keyword, first.sentences)
    assert first.passage.text[start:end] == CAT
    best = max(first.sentences, key=lambda s: s[2])
    assert first.passage.text[best[0] : best[1]] == CAT
    assert best[2] > first.dense_score + 0.2

    # An index written without sentence vectors: passages embedded whole, scored by their cosine.
    older = tmp_path / "older"
    options = BuildOptions(ChunkSettings(), sentence_vectors=False)
    ingest([_write_corpus(tmp_path / "corpus-again")], encoder, older, options)
    hits = search(load_current(older, encoder), encoder, QUESTION, 3)
    assert [h.passage.doc_id for h in hits][-1] == "lighthouse.txt"


def test_a_segment_without_sentence_vectors_is_searched_by_passage_cosine(
    animals_home: Path, encoder: Encoder, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(animals_home, home)
    _drop_sentence_files(home)
    manifest = read_manifest(home)
    assert manifest is not None
    (name,) = manifest.segments
    assert segment_looks_whole(home / "segments" / name, encoder.dimension)  # not a repair
    index = load_current(home, encoder)
    assert index.segments[0].sentences is None
    hits = search(index, encoder, QUESTION, 3)
    assert all(h.sentences == () for h in hits)
    cosines = np.array([h.dense_score for h in hits])
    keyword = np.array([h.keyword_score for h in hits])
    # All three passages are candidates: the fused score is the passage-cosine formula exactly.
    expected = DENSE_WEIGHT * _min_max(cosines) + (1 - DENSE_WEIGHT) * _min_max(keyword)
    assert [h.score for h in hits] == pytest.approx(expected.tolist(), abs=1e-6)

    # A newer segment beside it has sentence vectors; the older one is searched as before.
    note = parse_document(b"A lighthouse keeper's dog once chased rats off the pier.", "dog.txt")
    update(home, encoder, NO_MERGE, upserts=[note])
    mixed = load_current(home, encoder)
    assert [s.sentences is None for s in mixed.segments] == [True, False]
    by_doc = {h.passage.doc_id: h for h in search(mixed, encoder, QUESTION, 4)}
    assert by_doc["dog.txt"].sentences and by_doc["farm.txt"].sentences == ()

    # `citeqa ingest --rebuild` embeds the sentences of everything again.
    ingest([animals_home.parent / "corpus"], encoder, home, NO_MERGE, rebuild=True)
    rebuilt = load_current(home, encoder)
    assert all(s.sentences is not None for s in rebuilt.segments)


def _min_max(x: np.ndarray) -> np.ndarray:
    return (x - x.min()) / (x.max() - x.min()) if x.max() > x.min() else np.zeros_like(x)


def _sentence_table(index: IndexVersion) -> dict[tuple[str, str], np.ndarray]:
    """(document id, sentence text) -> stored vector, over the live rows of `index`."""
    table = {}
    dead = set(index.dead.tolist())
    for segment, offset in zip(index.segments, index.offsets, strict=True):
        if segment.sentences is None:
            continue
        for i, (row, a, b) in enumerate(segment.sentences.rows.tolist()):
            if offset + row not in dead:
                passage = segment.passages[row]
                scale = 1.0 if segment.sentences.scales is None else segment.sentences.scales[i]
                table[(passage.doc_id, passage.text[a:b])] = (
                    np.asarray(segment.sentences.vectors[i], dtype=np.float32) * scale
                )
    return table


def test_a_merge_keeps_sentences_aligned_with_their_passages(
    tmp_path: Path, encoder: Encoder
) -> None:
    home = tmp_path / "home"
    ingest([tiny_corpus(tmp_path)], encoder, home, NO_MERGE)
    _drop_sentence_files(home)  # the first segment predates sentence vectors
    notes = {
        "owls.txt": "Barn owls hunt at dusk. They swallow voles whole.",
        "voles.txt": "Field voles dig shallow runs. A female may raise 40 young a year.",
    }
    docs = [parse_document(text.encode(), name) for name, text in notes.items()]
    update(home, encoder, NO_MERGE, upserts=docs)  # one segment: owls row 0, voles row 1
    # owls.txt replaced: row 0 of that segment is dead, so the merge moves voles' row.
    replaced = "Barn owls hunt at night. They cough up pellets of bones and fur."
    update(home, encoder, NO_MERGE, upserts=[parse_document(replaced.encode(), "owls.txt")])
    before = load_current(home, encoder)
    assert len(before.segments) == 3 and before.dead.size == 1
    table = _sentence_table(before)

    assert compact(home) is not None
    after = load_current(home, encoder)
    (merged,) = after.segments
    sentences = merged.sentences
    assert sentences is not None
    # Every live passage with sentence vectors before has them after, the same bytes, at the
    # spans of its own text; the first segment's passages (otters, bees) have none.
    assert _sentence_table(after).keys() == table.keys()
    for (doc_id, text), vector in _sentence_table(after).items():
        assert np.array_equal(vector, table[(doc_id, text)])
    for row, passage in enumerate(merged.passages):
        a, b = int(sentences.starts[row]), int(sentences.starts[row + 1])
        if passage.doc_id in ("otters.txt", "bees.md"):
            assert a == b
        else:
            spans = [tuple(r[1:]) for r in sentences.rows[a:b].tolist()]
            assert spans == passage_sentences(passage.text)
    hits = search(after, encoder, "What do owls cough up?", 1)
    assert hits[0].passage.text == replaced and hits[0].sentences


@pytest.fixture
def _close_stores() -> Iterator[None]:
    yield
    close_opened_stores()


@pytest.mark.usefixtures("_close_stores")
def test_with_milvus_the_sentence_vectors_stay_in_the_segment(
    tmp_path: Path, encoder: Encoder
) -> None:
    settings = Settings(home=tmp_path / "home", vector_store="milvus")  # type: ignore[arg-type]
    ingest([_write_corpus(tmp_path)], encoder, settings.home, settings.build_options(encoder))
    store = settings.open_vector_store(encoder)
    index = load_current(settings.home, encoder, store=store)
    (segment,) = index.segments
    assert segment.vectors is None and segment.sentences is not None
    assert (segment.path / SENTENCES_FILE).is_file()
    assert not (segment.path / "vectors.npy").exists()
    assert search(index, encoder, QUESTION, 1)[0].passage.doc_id == "lighthouse.txt"


def test_a_sentence_close_in_meaning_is_about_the_question() -> None:
    """A paraphrase shares few of the question's words; its cosine can vouch for it instead."""
    question = "When did the lighthouse stop needing keepers?"
    sentence = "The light was automated in 1962."
    stems = {"light", "autom"}
    topic = {"lighthous", "stop", "need", "keeper"}
    weights = dict.fromkeys(topic, 1.0)
    passages = [[(sentence, stems, 0.72)]]
    assert answer_strength(question, topic, weights, passages, 0.3) is None
    assert answer_strength(question, topic, weights, passages, 0.3, min_cosine=0.7) is not None
    unknown = [[(sentence, stems, math.nan)]]
    assert answer_strength(question, topic, weights, unknown, 0.3, min_cosine=0.7) is None


def test_sentence_vectors_can_be_switched_off(tmp_path: Path, encoder: Encoder) -> None:
    """CITEQA_SENTENCE_VECTORS=false: half the embedding at ingest, passage cosine at search."""
    settings = Settings(home=tmp_path / "home", sentence_vectors=False)
    ingest([tiny_corpus(tmp_path)], encoder, settings.home, settings.build_options(encoder))
    index = load_current(settings.home, encoder)
    (segment,) = index.segments
    assert segment.sentences is None and not (segment.path / SENTENCES_FILE).exists()
    hit = search(index, encoder, "Why do sea otters hold hands?", 1)[0]
    assert hit.passage.doc_id == "otters.txt" and hit.sentences == ()
