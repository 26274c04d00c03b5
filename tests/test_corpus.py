"""Stage 1: files -> documents -> passages, on the shipped corpus and on files made here."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from citeqa.corpus import (
    ChunkedPassages,
    ChunkSettings,
    Document,
    DocumentError,
    chunk_document,
    load_corpus,
    load_document,
)
from citeqa.corpus.sentences import split_sentences
from citeqa.service.settings import SHIPPED_CORPUS

from .pdfs import make_pdf

SHIPPED = [d for d in load_corpus([SHIPPED_CORPUS])]


def test_every_shipped_document_loads() -> None:
    assert all(not isinstance(d, DocumentError) for d in SHIPPED)
    assert sorted(d.id for d in SHIPPED) == sorted(p.name for p in SHIPPED_CORPUS.iterdir())
    for doc in SHIPPED:
        assert len(doc.text) > 5000 and doc.title and len(doc.sha256) == 64


@pytest.mark.parametrize("doc", SHIPPED, ids=lambda d: d.id)
def test_passages_cite_their_document_exactly(doc) -> None:  # type: ignore[no-untyped-def]
    settings = ChunkSettings()
    passages = chunk_document(doc, settings)
    assert passages
    previous_start = -1
    for p in passages:
        assert doc.text[p.start : p.end] == p.text
        assert p.text.strip() == p.text and p.text
        assert p.start > previous_start  # offsets strictly increase
        previous_start = p.start
        assert len(p.text.split()) <= settings.target_words
        if doc.kind == "pdf":
            assert p.page is not None and p.page_end is not None and p.page <= p.page_end
        else:
            assert p.page is None
    # Consecutive passages overlap or touch: nothing of the text is left out between them.
    for a, b in itertools.pairwise(passages):
        assert b.start <= a.end + 2


@pytest.mark.parametrize("doc", SHIPPED, ids=lambda d: d.id)
def test_passages_never_cut_a_sentence(doc) -> None:  # type: ignore[no-untyped-def]
    sentence_starts = {s for s, _ in split_sentences(doc.text)}
    sentence_ends = {e for _, e in split_sentences(doc.text)}
    for p in chunk_document(doc):
        assert p.start in sentence_starts and p.end in sentence_ends


def test_pdf_text_repairs_and_page_map() -> None:
    pdf = next(d for d in SHIPPED if d.kind == "pdf")
    assert [p.number for p in pdf.pages] == [1, 2, 3, 4, 5]
    assert (
        "The ROK was accorded a full Dialogue Partner status by ASEAN at the 24th ASEAN" in pdf.text
    )
    assert "  " not in pdf.text  # the PDF's justified spacing is collapsed
    assert "ADMM-Plus" in pdf.text  # a hyphen that belongs to the word survives a line break
    assert pdf.section_at(pdf.text.index("On trade and investment")) == "Economic Cooperation"
    # A paragraph running from page 1 onto page 2 is joined, and the join is on page 2.
    joined = pdf.text.index("Peace and Prosperity at the 22nd")
    assert pdf.page_at(joined).number == 1
    assert pdf.page_at(pdf.text.index("regional recovery")).number == 2


def test_markdown_headings_become_sections_and_markup_goes() -> None:
    md = next(d for d in SHIPPED if d.kind == "md")
    assert "**" not in md.text and "\n#" not in md.text
    titles = [h.title for h in md.headings]
    assert "Introduction" in titles and "The Background of Korea-ASEAN CSP" in titles
    passages = chunk_document(md)
    intro = next(p for p in passages if "elevated their partnership" in p.text)
    assert intro.section == "Introduction"


def test_made_pdf_pages_hyphenation_and_labels(tmp_path: Path) -> None:
    filler = "The committee met again and reviewed the accounts of the year with great care"
    pages = [
        [
            "Annual Report of the Harbour Trust",
            "",
            "Introduction",
            "The trust values self-reliance above all. Its members promote regional coop-",
            "eration between the ports of the coast and the towns along the river valley.",
            f"{filler}.",
        ],
        [
            f"{filler}. The members also discussed the self-",
            "reliance of the fishing fleet and agreed on a new schedule for the",
            "harbour pilots and the dredging of the main channel in the spring.",
        ],
        [
            "Storm Records",
            "",
            "The lighthouse keeper recorded the great storm of the winter in the logbook of",
            "the northern tower, noting waves of nine metres at the harbour entrance.",
        ],
    ]
    path = make_pdf(
        tmp_path / "report.pdf",
        pages,
        title="Harbour Trust Report",
        labels=[(0, "/r", 1), (1, "/D", 1)],
    )
    doc = load_document(path)
    assert doc.title == "Harbour Trust Report"
    assert [(p.number, p.label) for p in doc.pages] == [(1, "i"), (2, "1"), (3, "2")]
    assert "regional cooperation between the ports" in doc.text  # line-end hyphen undone
    assert "self-reliance of the fishing fleet" in doc.text  # a real compound keeps its hyphen
    assert "coop-" not in doc.text
    sentence = "The lighthouse keeper recorded the great storm"
    passage = next(p for p in chunk_document(doc, ChunkSettings(30, 5)) if sentence in p.text)
    assert passage.page == 3 and passage.page_label == "2"
    assert doc.page_at(doc.text.index(sentence)).number == 3
    assert doc.section_at(doc.text.index(sentence)) == "Storm Records"
    assert "the logbook of the northern tower" in doc.text  # a wrapped line joined with a space


def test_text_normalisation(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(
        "Notes\r\n\r\nThe \ufb01nance   office\tclosed.\x00 It re-opened.\r\n".encode()
    )
    doc = load_document(path)
    assert doc.text == "Notes\n\nThe finance office closed. It re-opened."
    assert doc.title == "Notes"
    assert [h.title for h in doc.headings] == ["Notes"]


def test_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Caf\xe9 society met in M\xfcnchen.".encode("cp1252"))
    assert load_document(path).text == "Café society met in München."


def test_sentence_splitter() -> None:
    text = (
        "9. At the Summit in Nov. 2022, Dr. Lee spoke. U.S. policy changed in 2019. "
        "Growth was 3.5 percent! Why? J. Smith agreed.\nThis line wraps\n"
        "onto the next line.\n\nHeading Here\nText follows."
    )
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "9. At the Summit in Nov. 2022, Dr. Lee spoke.",
        "U.S. policy changed in 2019.",
        "Growth was 3.5 percent!",
        "Why?",
        "J. Smith agreed.",
        "This line wraps\nonto the next line.",
        "Heading Here",
        "Text follows.",
    ]


def test_a_question_mark_inside_parentheses_ends_no_sentence() -> None:
    # the shellmath README: "Bash maintainer (BDFL?) Chet Ramey sounds a (brighter?) note"
    text = "Bash maintainer (BDFL?) Chet Ramey sounds a note. Is it? (Yes!) Then we go."
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "Bash maintainer (BDFL?) Chet Ramey sounds a note.",
        "Is it?",
        "(Yes!)",
        "Then we go.",
    ]


def test_a_parenthesis_of_more_than_one_word_or_an_exclamation_ends_a_sentence() -> None:
    for text, first in [
        ("Version 2.0 is out (finally!) It includes many fixes.", "Version 2.0 is out (finally!)"),
        ("Is the bug fixed (in sid?) Check the tracker.", "Is the bug fixed (in sid?)"),
    ]:
        a, b = split_sentences(text)[0]
        assert text[a:b] == first


def test_an_abbreviation_after_a_hyphen_ends_no_sentence() -> None:
    text = "Since 2012 the Korea-U.S. Free Trade Agreement has held. It was signed earlier."
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "Since 2012 the Korea-U.S. Free Trade Agreement has held.",
        "It was signed earlier.",
    ]


def test_a_title_before_a_name_ends_no_sentence() -> None:
    """Clergy, officers and office-holders are titled with a period as often as doctors."""
    text = (
        "Welfare: Rev. Samuel Eddy. Opened by the Rt. Hon. Ada Price and Capt. Jo Roe. It rained."
    )
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "Welfare: Rev. Samuel Eddy.",
        "Opened by the Rt. Hon. Ada Price and Capt. Jo Roe.",
        "It rained.",
    ]


def test_a_dotted_leader_ends_no_sentence() -> None:
    """A scoring table set with leaders keeps each line's label with its value; an ellipsis
    before the next sentence still ends one."""
    text = (
        "Weights:\n\n  Excellence ............ 50%\n"
        "  Impact for coastal communities ......... 25%\n"
        "  European Union ........ 3 years\nIt was late... 2 people came."
    )
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "Weights:",
        "Excellence ............ 50%",
        "Impact for coastal communities ......... 25%",
        "European Union ........ 3 years",
        "It was late...",
        "2 people came.",
    ]


def test_a_list_of_officers_set_with_leaders_keeps_each_record_whole() -> None:
    """ "Treasurer ........... Dr Simon Achebe" and the address line under it are one record: the
    leader ends no sentence, and the next officer's line starts another."""
    text = (
        "OFFICERS\n\n"
        "Chairman ............ Mr Graham Pell\n"
        "                      chair@example.org   07700 900 102\n"
        "Treasurer ........... Dr Simon Achebe\n"
        "                      treasurer@example.org\n"
    )
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "OFFICERS",
        "Chairman ............ Mr Graham Pell\n"
        "                      chair@example.org   07700 900 102",
        "Treasurer ........... Dr Simon Achebe\n                      treasurer@example.org",
    ]


def test_overlong_sentence_is_cut_into_bounded_passages(tmp_path: Path) -> None:
    path = tmp_path / "table.txt"
    path.write_text(" ".join(f"cell{i}" for i in range(1000)))
    doc = load_document(path)
    passages = chunk_document(doc, ChunkSettings(100, 20))
    assert all(len(p.text.split()) <= 100 for p in passages)
    assert " ".join(p.text for p in passages).split() == doc.text.split()


def test_chunks_overlap_by_whole_sentences(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(" ".join(f"Sentence number {i} has exactly six words." for i in range(60)))
    passages = chunk_document(load_document(path), ChunkSettings(60, 14))
    assert len(passages) > 3
    for a, b in itertools.pairwise(passages):
        assert b.start < a.end  # overlap
        assert b.text.startswith("Sentence number")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "no text"),
        ("blank.md", b"   \n\n  ", "no text"),
        ("image.png", b"\x89PNG", "not a readable image"),
        ("image.bmp", b"BM", "unsupported file type"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
    ],
)
def test_unreadable_files_get_a_clear_error(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=message):
        load_document(path)


def test_pdf_of_blank_pages_says_so(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "blank.pdf", [[], []])
    with pytest.raises(DocumentError, match="its pages are blank"):
        load_document(path)


def test_chunked_passages_are_the_chunkers_passages_made_on_demand() -> None:
    """The build holds a part's passages as (document, start, end) rows and makes each when
    read: the same passages, in the same order, as chunk_document's lists."""
    docs = sorted(
        (d for d in load_corpus([SHIPPED_CORPUS]) if isinstance(d, Document)), key=lambda d: d.id
    )
    settings = ChunkSettings(target_words=60, overlap_words=15)
    expected = [p for doc in docs for p in chunk_document(doc, settings)]
    passages = ChunkedPassages(docs, settings)
    assert len(docs) > 1 and len(passages) == len(expected) > 100
    assert list(passages) == expected
    assert passages[5:9] == expected[5:9] and passages[-1] == expected[-1]
    assert passages[::-7] == expected[::-7]
    with pytest.raises(IndexError):
        passages[len(expected)]
