"""The memory-mapped text store: every document and passage comes back exactly as written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from citeqa.corpus import (
    ChunkSettings,
    Document,
    Heading,
    Passage,
    chunk_document,
    load_document,
)
from citeqa.index.storage import textstore
from citeqa.index.storage.textstore import (
    Documents,
    Passages,
    TextStore,
    append_encoded,
    decode,
)

from .pdfs import make_pdf

TEXTS = {
    "ascii.txt": "Sea otters hold hands. They sleep in kelp beds off the coast.",
    "latin.txt": "Café société: déjà vu à Zürich. Ærøskøbing lies on Ærø.",
    "greek.md": "# Ελληνικά\n\nΗ Αθήνα είναι η πρωτεύουσα. 東京は日本の首都です。",
    "astral.txt": "Emoji 🦦 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters. A lone surrogate \ud800 stays as it is.",
}


def _docs() -> list[Document]:
    docs = [
        Document(i, i.split(".")[0].title(), t, f"sha-{i}", i[-3:].strip("."))
        for i, t in TEXTS.items()
    ]
    docs.append(Document("empty.txt", "", "", "sha-empty", "txt"))
    docs[2].headings.append(Heading(0, 10, "Ελληνικά", 1))
    docs[0].metadata.update({"team": "finance", "tags": ["q3", "budget"]})
    docs[0].modified = "2024-05-01T00:00:00Z"
    docs[1].ingested = "2023-01-02T03:04:05Z"
    return docs


def _store_round_trip(
    docs: list[Document], passages: list[Passage], folder: Path
) -> tuple[TextStore, TextStore]:
    built = TextStore.build(docs, passages)
    built.write(folder)
    return built, TextStore.open(folder)


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("plain", 1),
        ("é ü ÿ", 1),
        ("Ω 東", 2),
        ("🦦", 4),
        ("a\ud800b", 4),
        ("\udc00\ud800", 4),
        ("", 1),
    ],
)
def test_each_string_is_stored_in_the_narrowest_width_and_comes_back(text: str, width: int) -> None:
    data = bytearray()
    got_width = append_encoded(data, text)
    assert got_width == width and len(data) == width * len(text)
    assert decode(data, got_width) == text


def test_documents_and_passages_round_trip_exactly(tmp_path: Path) -> None:
    docs = _docs()
    passages = [
        p
        for doc in docs
        for p in chunk_document(doc, ChunkSettings(target_words=4, overlap_words=1))
    ]
    assert len(passages) > len(docs)
    for store in _store_round_trip(docs, passages, tmp_path):
        assert store.rows == len(passages)
        assert list(Passages(store)) == passages
        for p in Passages(store):
            doc = Documents(store)[p.doc_id]
            assert doc.text[p.start : p.end] == p.text
        documents = Documents(store)
        assert sorted(documents) == sorted(d.id for d in docs) and len(documents) == len(docs)
        for doc in docs:
            stored = documents[doc.id]
            # A document's dates default to the time it is first indexed; given ones are kept.
            ingested = doc.ingested or stored.ingested
            assert stored.ingested[:2] == "20" and stored.ingested.endswith("Z")
            assert stored.load() == replace(
                doc, modified=doc.modified or ingested, ingested=ingested
            )
            assert stored.metadata == doc.metadata
            assert (stored.characters, stored.page_count) == (len(doc.text), len(doc.pages))
        assert "missing.txt" not in documents and "" not in documents
        with pytest.raises(KeyError):
            documents["missing.txt"]


def test_a_pdf_keeps_its_pages_labels_and_sections(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "report.pdf",
        [
            ["Preface", "", "This report counts the otters of the bay in spring."],
            ["1 Counting", "", "Volunteers counted 212 otters along the northern shore."],
            ["2 Results", "", "The population grew by nine percent since the last count."],
        ],
        labels=[(0, "/r", 1), (1, "/D", 1)],
    )
    doc = load_document(path)
    assert len(doc.pages) == 3
    passages = chunk_document(doc, ChunkSettings(target_words=8, overlap_words=2))
    assert {p.page_label for p in passages} >= {"i", "1"}
    for store in _store_round_trip([doc], passages, tmp_path):
        assert list(Passages(store)) == passages
        stored = Documents(store)[doc.id]
        assert stored.load() == replace(doc, ingested=stored.ingested)


def test_passage_rows_stay_in_vector_order_across_documents(tmp_path: Path) -> None:
    """Documents are stored by id, passages in the order given (the vectors' order)."""
    b = Document("b.txt", "B", "Beta one. Beta two.", "sb", "txt")
    a = Document("a.txt", "A", "Alpha one. Alpha two.", "sa", "txt")
    passages = [
        Passage("b.txt#0", "b.txt", "Beta one.", 0, 9),
        Passage("a.txt#0", "a.txt", "Alpha one. Alpha two.", 0, 21, section="Intro"),
    ]
    for store in _store_round_trip([b, a], passages, tmp_path):
        assert list(Passages(store)) == passages
        assert [(doc_id, s, e) for _, doc_id, s, e in store.spans()] == [
            ("b.txt", 0, 1),
            ("a.txt", 1, 2),
        ]
        assert Passages(store)[-1] == passages[-1] and Passages(store)[0:1] == passages[:1]
        with pytest.raises(IndexError):
            Passages(store)[2]


def test_a_foreign_passage_id_or_scattered_passages_are_refused() -> None:
    doc = Document("a.txt", "A", "One. Two. Three.", "s", "txt")
    with pytest.raises(ValueError, match="is not"):
        TextStore.build([doc], [Passage("x#0", "a.txt", "One.", 0, 4)])
    b = Document("b.txt", "B", "Bee.", "s", "txt")
    scattered = [
        Passage("a.txt#0", "a.txt", "One.", 0, 4),
        Passage("b.txt#0", "b.txt", "Bee.", 0, 4),
        Passage("a.txt#1", "a.txt", "Two.", 5, 9),
    ]
    with pytest.raises(ValueError, match="contiguous"):
        TextStore.build([doc, b], scattered)


def test_a_truncated_store_is_refused(tmp_path: Path) -> None:
    doc = Document("a.txt", "A", "Sea otters hold hands.", "s", "txt")
    TextStore.build([doc], [Passage("a.txt#0", "a.txt", doc.text, 0, len(doc.text))]).write(
        tmp_path
    )
    data = (tmp_path / "texts.bin").read_bytes()
    (tmp_path / "texts.bin").write_bytes(data[:-3])
    with pytest.raises(ValueError, match=r"texts\.bin"):
        TextStore.open(tmp_path)
    np.save(tmp_path / "passages.npy", np.zeros((1, 5), np.int64))
    with pytest.raises(ValueError, match=r"passages\.npy"):
        TextStore.open(tmp_path)


def test_documents_whose_keys_collide_are_still_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document is found by a 64-bit hash of its id, then its id is compared."""
    monkeypatch.setattr(textstore, "document_key", lambda doc_id: 7)
    docs = _docs()
    for store in _store_round_trip(docs, [], tmp_path):
        documents = Documents(store)
        assert [documents[d.id].load().text for d in docs] == [d.text for d in docs]
        assert [documents[d.id].id for d in docs] == [d.id for d in docs]
        assert "missing.txt" not in documents


def test_a_passage_stands_under_the_headings_that_enclose_it(tmp_path: Path) -> None:
    """The trail of a passage: each heading of a higher level than the one after it, back to
    the top; not a sibling section's heading, nor one starting where the passage does (which
    closes the sections of its level)."""
    text = "Changelog\n[1.6.0]\nAdded\n- a\nChanged\n- b\n[1.5.0]\nFixed\n- c\n"
    titles = ["Changelog", "[1.6.0]", "Added", "Changed", "[1.5.0]", "Fixed"]
    levels = [1, 2, 3, 3, 2, 3]
    doc = Document("CHANGELOG.md", "Changelog", text, "sha-c", "md")
    for title, level in zip(titles, levels, strict=True):
        start = text.index(title + "\n")
        doc.headings.append(Heading(start, start + len(title), title, level))
    TextStore.build([doc], []).write(tmp_path)
    stored = Documents(TextStore.open(tmp_path))["CHANGELOG.md"]
    assert stored.heading_trail(text.index("- b")) == ["Changelog", "[1.6.0]", "Changed"]
    assert stored.heading_trail(text.index("- c")) == ["Changelog", "[1.5.0]", "Fixed"]
    assert stored.heading_trail(text.index("[1.5.0]")) == ["Changelog"]
    assert stored.heading_trail(0) == []
