"""Retrieval quality mechanics: hybrid fusion, repeats removed, highlights inside passages."""

from __future__ import annotations

import random
from pathlib import Path

import bm25s
import numpy as np
import pytest
import Stemmer

from citeqa.corpus import ChunkSettings, Document, chunk_document, load_corpus
from citeqa.index.encoder import Encoder
from citeqa.index.retrieval import search
from citeqa.index.retrieval.fusion import looked_up_values
from citeqa.index.retrieval.keyword import (
    CARD_OPENING_CHARS,
    KeywordIndex,
    SegmentedKeywordIndex,
    _index_tokens,
    keyword_texts,
    stored_card,
)
from citeqa.index.storage import BuildOptions, IndexVersion, ingest, load_current
from citeqa.service.engine import Engine
from citeqa.service.settings import SHIPPED_CORPUS

OPTIONS = BuildOptions(ChunkSettings())
NO_MERGE = BuildOptions(ChunkSettings(), compact=False)


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


def test_a_lookup_by_a_quoted_code_ranks_its_record_first(tmp_path: Path, encoder: Encoder) -> None:
    """ "Which region has the code QK?" over a long code table and a guide that talks about the
    codes: BM25 weighs "QK" little in a table passage of many rows, the encoder not at all; the
    row giving QK as a field's value answers."""
    rng = random.Random(7)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    codes = sorted({rng.choice(letters) + rng.choice(letters) for _ in range(400)})
    corpus = tmp_path / "c"
    corpus.mkdir()
    rows = [f"{code},{code}X,Region of {rng.choice(letters)}{code.lower()}ia" for code in codes]
    (corpus / "regions.csv").write_text("alpha_2,alpha_3,name\n" + "\n".join(rows) + "\n")
    (corpus / "guide.md").write_text(
        "# Region codes\n\nEach region has a two-letter code and a three-letter code. "
        "The two-letter code of a region is used in addresses; which region has which code "
        "is listed in the table. Codes are upper case, two letters for the short code.\n"
    )
    ingest([corpus], encoder, tmp_path / "home", OPTIONS)
    index = load_current(tmp_path / "home", encoder)
    for code in codes[::40]:
        hits = search(index, encoder, f"Which region has the two-letter code {code}?", 5)
        assert f"alpha_2: {code};" in hits[0].passage.text, code
    # an acronym the question names as its subject looks nothing up
    assert search(index, encoder, f"What is the {codes[3]} region known for?", 5)[0].score == 1.0
    # a code that no record holds ranks by relevance alone
    hits = search(index, encoder, "Which region has the two-letter code Q9?", 5)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("Which country has the two-letter code MK?", {"MK"}),
        ("A file shows currency BAM. What is its name?", {"BAM"}),
        ('What is the name for currency code "JPY"?', {"JPY"}),
        ("Which country has the alpha-2 code NO?", {"NO"}),
        ("Which currency has numeric code 997?", {"997"}),
        # an acronym names a subject; a number is no code of a table's row
        ("What is the CSP?", set()),
        ("What is the key CSP commitment?", set()),
        ("What does error code 404 mean?", set()),
        ("What does CA stand for?", set()),
    ],
)
def test_a_lookup_is_by_a_code_quoted_after_its_code_word(question: str, codes: set[str]) -> None:
    assert looked_up_values(question) == codes


def _report(author: str, rng: random.Random, fact: str) -> str:
    """A byline, some 260 words that name neither the author nor the fact's subject, the fact."""
    words = "river budget council school bridge harvest market clinic rail forest".split()
    filler = " ".join(
        f"The {rng.choice(words)} plan for {rng.choice(words)} was reviewed in week {n}."
        for n in range(30)
    )
    return f"Harbour Outlook\n\nBy {author}, Institute of Port Studies\n\n{filler}\n\n{fact}"


def _reports(tmp_path: Path) -> Path:
    """Two reports giving one figure differently, by two authors, and four on other topics."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    rng = random.Random(7)
    fact = "The terminal is expected to handle {} containers a year."
    (corpus / "outlook-a.txt").write_text(_report("Miriam Okonkwo", rng, fact.format("900,000")))
    (corpus / "outlook-b.txt").write_text(_report("Tobias Lindqvist", rng, fact.format("400,000")))
    for n, topic in enumerate(["rail freight", "river ferries", "airport cargo", "toll roads"]):
        (corpus / f"other-{n}.txt").write_text(
            _report(f"Author {n}", rng, f"Traffic of {topic} doubled in a decade.")
        )
    return corpus


def _found_by_author(index: IndexVersion) -> bool:
    """Whether BM25 finds Lindqvist's figure by his name, which its passage does not hold."""
    (row,) = [r for r, p in enumerate(index.passages) if "400,000" in p.text]
    assert "Lindqvist" not in index.passages[row].text
    rows, _ = index.keyword.search("Lindqvist", 10)
    return row in rows.tolist()


def test_a_question_naming_the_author_finds_that_authors_passage(
    tmp_path: Path, encoder: Encoder
) -> None:
    """The question names an author who appears only in the byline, passages away from the
    figure. The keyword index reads each passage with its document's card (file name, title,
    opening words), so that author's passage ranks first."""
    ingest([_reports(tmp_path)], encoder, tmp_path / "home", OPTIONS)
    index = load_current(tmp_path / "home", encoder)
    assert _found_by_author(index)
    question = "According to Lindqvist, how many containers will the new harbour terminal handle?"
    first = search(index, encoder, question, 3)[0]
    assert first.passage.doc_id == "outlook-b.txt"
    assert "400,000" in first.passage.text


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


def test_the_card_read_from_the_index_is_the_card_bm25_indexed(
    tmp_path: Path, encoder: Encoder
) -> None:
    """The abstention rule reads a document's card from the first characters of its stored
    text; the keyword index was built from the whole text: the same card either way, for a
    document far longer than the characters read and one stored wider than latin-1."""
    corpus = _reports(tmp_path)
    long_text = "Ἀθῆναι 😀 " + "λόγος " * 40 + "Seoul Busan " * 400  # UTF-32, > 2,000 chars
    (corpus / "sub").mkdir()
    (corpus / "sub" / "Ἀθῆναι-notes_2025.txt").write_text(long_text)
    ingest([corpus], encoder, tmp_path / "home", OPTIONS)
    index = load_current(tmp_path / "home", encoder)
    docs = [index.documents[doc_id].load() for doc_id in index.documents]
    passages = list(index.passages)
    indexed = keyword_texts(docs, passages)  # what write_segment hands to BM25
    for passage, text in zip(passages, indexed, strict=True):
        stored = index.documents[passage.doc_id]
        assert text == f"{passage.text}\n{stored_card(stored)}"
    long_doc = index.documents["sub/Ἀθῆναι-notes_2025.txt"]
    assert long_doc.characters > 2 * CARD_OPENING_CHARS
    assert long_doc.opening(25) == long_doc.load().text[:25]
    assert long_doc.opening(10**9) == long_doc.load().text
    assert stored_card(long_doc).startswith("Ἀθῆναι notes 2025. ")
    assert "Lindqvist" in stored_card(index.documents["outlook-b.txt"])


def test_keyword_index_matrix_is_bm25s_own_bit_for_bit() -> None:
    """The score matrix is written in place rather than by bm25s.index (memory); it must be
    the matrix bm25s makes of the same word ids: the shipped corpus's passages with their
    cards, one text with repeated words and one with no searchable word."""
    docs = [d for d in load_corpus([SHIPPED_CORPUS]) if isinstance(d, Document)]
    passages = [p for doc in docs for p in chunk_document(doc)]
    assert len(passages) > 50
    texts = [*keyword_texts(docs, passages), "rice rice rice trade", "of the and"]
    ours = KeywordIndex.build(iter(texts))
    vocab: dict[str, int] = {}
    ids = [
        [vocab.setdefault(stem, len(vocab)) for stem in _index_tokens(text) or [""]]
        for text in texts
    ]
    theirs = bm25s.BM25()
    theirs.index((ids, vocab), show_progress=False)
    assert ours.bm25.vocab_dict == theirs.vocab_dict
    assert ours.bm25.scores["num_docs"] == theirs.scores["num_docs"] == len(texts)
    for name in ("data", "indices", "indptr"):
        mine, bm25s_own = ours.bm25.scores[name], theirs.scores[name]
        assert mine.dtype == bm25s_own.dtype and np.array_equal(mine, bm25s_own), name


def test_a_version_number_is_searched_whole() -> None:
    """ "When was pdfmill 0.8.0 released?" reaches the changelog heading of 0.8.0, not those of
    the releases around it, which share every other word; "0.9" reaches "0.9.0", its release."""
    texts = [
        "## 0.9.0 - 2024-11-18\n\n- pdfmill released with faster merging of files.",
        "## 0.8.1 - 2024-06-30\n\n- pdfmill released with a fix for merging files.",
        "## 0.8.0 - 2024-05-27\n\n- pdfmill released with merging of files.",
        "## 0.7.0 - 2024-01-09\n\n- pdfmill released with splitting of files.",
        "The README of pdfmill describes merging and splitting files.",
    ]
    index = SegmentedKeywordIndex([KeywordIndex.build(texts)], [0], np.zeros(0, np.int64))
    rows, _ = index.search("When was pdfmill 0.8.0 released?", 3)
    assert rows[0] == 2
    rows, _ = index.search("what changed in v0.9?", 3)
    assert rows[0] == 0
    tokens = _index_tokens("v2.3.1 and 2.0.0, for £1,000.50")
    assert tokens == ["v2", "000", "50", "2.3.1", "2.0.0", "2.0"]


def test_a_release_s_changelog_section_is_lifted(tmp_path: Path, encoder: Encoder) -> None:
    """ "When was tollgate 1.3.0 released?" reaches the section headed "[1.3.0] - 2024-04-14",
    whose items share no word with the question, among the first passages, with those about
    releasing."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "README.md").write_text(
        "# tollgate\n\ntollgate is released under the Apache License 2.0. Releases are made"
        " when a fix or a feature is ready, and each release is tagged on GitHub.\n\n"
        "## Releasing\n\nA maintainer releases tollgate by tagging the main branch; the"
        " release notes are written from the changelog.\n"
    )
    (corpus / "RELEASING.md").write_text(
        "# Releasing tollgate\n\n"
        + "\n\n".join(
            f"## Step {n}\n\nWhen tollgate is released, the maintainer {task} before the"
            " release is announced."
            for n, task in enumerate(
                ["tags the release", "writes the release notes", "signs the released tag"], 1
            )
        )
        + "\n"
    )
    sections = "\n\n".join(
        f"## [1.{minor}.0] - 2024-0{minor + 1}-14\n\n### Added\n\n"
        f"- Store option number {minor} for the limiter's counters and its cluster keys."
        for minor in range(1, 6)
    )
    (corpus / "CHANGELOG.md").write_text(f"# Changelog\n\n{sections}\n")
    ingest([corpus], encoder, tmp_path / "home", BuildOptions(ChunkSettings(target_words=40)))
    index = load_current(tmp_path / "home", encoder)
    hits = search(index, encoder, "When was tollgate 1.3.0 released?", 3)
    assert any("[1.3.0] - 2024-04-14" in hit.passage.text for hit in hits)


def test_keyword_index_read_text_by_text_scores_as_bm25s_own_tokenizer() -> None:
    """The keyword index is built from a stream of texts (word ids made as each is read); its
    scores are those of bm25s indexing the same texts' words through its own tokenizer, a text
    with no searchable word standing as one empty word."""
    texts = [
        "Tariffs on rice fell in 2010 under the trade agreement.",
        "The fontconfig file lives in the user's configuration folder.",
        "Bugs in procps are reported to the Debian bug tracker.",
        "Rice exports grew after tariffs were cut; trade with Korea doubled.",
        "of the and",  # stopwords only
    ]
    stemmer = Stemmer.Stemmer("english")

    def words(text: str) -> list[str]:
        tokens = bm25s.tokenize(
            text, stopwords="en_plus", stemmer=stemmer, return_ids=False, show_progress=False
        )
        return list(tokens[0])

    ours = KeywordIndex.build(text for text in texts)
    theirs = bm25s.BM25()
    theirs.index([words(text) or [""] for text in texts], show_progress=False)
    assert ours.size == len(texts)
    for question in ["rice tariffs", "trade Korea", "where is the fontconfig file", "bug tracker"]:
        query = words(question)
        assert query
        np.testing.assert_allclose(ours.bm25.get_scores(query), theirs.get_scores(query), rtol=1e-6)
