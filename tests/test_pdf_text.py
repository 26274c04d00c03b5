"""Clean PDF text: running heads, page numbers, contents and index pages, identifiers and titles.

Each PDF is made here with fpdf2 (tests/pdfs.py) the way TeX and DocBook manuals are laid out: a
contents page with dot leaders, a running head carrying the page number, a footer on every page,
function headings whose underscores are typeset as spaces, a back-of-book index. It is read
through the real loader and, for ranking, indexed with the real model and asked through Engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citeqa.corpus import Document, chunk_document, load_document
from citeqa.corpus.formats.pdf_clean import drop_navigation, page_lines
from citeqa.index.encoder import Encoder
from citeqa.index.storage import ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .pdfs import make_pdf

FOOTER = "GNU Libtasn1 Reference Manual"
HEADS = [
    "Chapter 1: Introduction 1",
    "Chapter 2: Error handling functions 2",
    "Chapter 3: Structure functions 3",
    "Function Index 4",
]
PERROR = (
    "Prints a string to the standard error stream describing the error code that a "
    "libtasn1 function returned, so that a program can report the failure to its user."
)


def manual_pages() -> list[list[str]]:
    contents = [
        "Table of Contents",
        "1 Introduction . . . . . . . . . . . . . . . . . . . . . . . . 1",
        "2 Error handling functions . . . . . . . . . . . . . . . 2",
        "2.1 Printing errors . . . . . . . . . . . . . . . . . . . . 2",
        "3 Structure functions . . . . . . . . . . . . . . . . . . . . 3",
        "3.1 Creating structures . . . . . . . . . . . . . . . . . 3",
        "Function Index . . . . . . . . . . . . . . . . . . . . . . . 4",
    ]
    introduction = [
        HEADS[0],
        "1 Introduction",
        "",
        "Libtasn1 is a library for Abstract Syntax Notation One and the Distinguished",
        "Encoding Rules. It parses module definitions and encodes and decodes values.",
        "The library is written in portable C and has no dependencies beyond libc.",
        "It is used by GnuTLS to read certificates, and by Shishi for Kerberos tickets.",
        "This manual describes the functions of the library and its three utilities,",
        "which compile definitions, encode values and decode them from the command line.",
    ]
    errors = [
        HEADS[1],
        "2 Error handling functions",
        "",
        "asn1 perror",
        "void asn1_perror (int error)",
        "error: is an error returned by a libtasn1 function.",
        "Prints a string to the standard error stream describing the error code that a",
        "libtasn1 function returned, so that a program can report the failure to its user.",
        "asn1 strerror",
        "const char * asn1_strerror (int error)",
        "Returns a pointer to a statically allocated string that describes the error.",
    ]
    structures = [
        HEADS[2],
        "3 Structure functions",
        "",
        "asn1 create element",
        "int asn1_create_element (asn1_node definitions, const char * source_name)",
        "Creates a structure of the type named by source_name from the definitions,",
        "ready for values to be written into it with asn1_write_value.",
        "The structure must be freed with asn1_delete_structure when it is not needed.",
    ]
    index = [
        HEADS[3],
        "Function Index",
        "asn1_create_element . . . . . . . . . . . . . . . . 3",
        "asn1_delete_structure . . . . . . . . . . . . . . . 3",
        "asn1_perror . . . . . . . . . . . . . . . . . . . . . . 2",
        "asn1_strerror . . . . . . . . . . . . . . . . . . . . 2",
        "asn1_write_value . . . . . . . . . . . . . . . . . . . 3",
    ]
    pages = [contents, introduction, errors, structures, index]
    return [[*lines, "", "", FOOTER] for lines in pages]


@pytest.fixture(scope="module")
def manual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("manual")
    return make_pdf(
        folder / "libtasn1.pdf",
        manual_pages(),  # type: ignore[arg-type]
        title="libtasn1.dvi",
        labels=[(0, "/r", 1), (1, "/D", 1)],
    )


@pytest.fixture(scope="module")
def manual_doc(manual: Path) -> Document:
    return load_document(manual)


def test_running_heads_and_footers_are_not_text_nor_sections(manual_doc: Document) -> None:
    doc = manual_doc
    for head in [*HEADS[:3], FOOTER]:
        assert head not in doc.text
    assert "Chapter" not in doc.text
    names = {h.title for h in doc.headings} | {p.section for p in chunk_document(doc)}
    assert not any(n and ("Chapter" in n or "Manual" in n) for n in names)
    assert "2 Error handling functions" in names
    assert [p.label for p in doc.pages] == ["i", "1", "2", "3", "4"]


def test_contents_and_index_pages_are_left_out(manual_doc: Document) -> None:
    doc = manual_doc
    assert ". . ." not in doc.text and "Table of Contents" not in doc.text
    assert "Function Index" not in doc.text
    pages = {p.page for p in chunk_document(doc)} | {p.page_end for p in chunk_document(doc)}
    assert pages == {2, 3, 4}
    # The emptied pages keep their place, so the pages after them keep their numbers.
    sentence = doc.text.index("Prints a string")
    assert doc.page_at(sentence).number == 3  # type: ignore[union-attr]


def test_underscores_typeset_as_spaces_are_restored(manual_doc: Document) -> None:
    text = manual_doc.text
    assert "asn1 perror" not in text and "asn1 create element" not in text
    assert text.count("asn1_perror") >= 2 and "asn1_create_element" in text
    assert "source_name" in text and "asn1_write_value" in text


def test_metadata_title_of_a_file_name_gives_way(manual_doc: Document) -> None:
    assert manual_doc.title not in {"libtasn1.dvi", "Table of Contents", FOOTER}


@pytest.fixture(scope="module")
def engine(manual: Path, tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Engine:
    root = tmp_path_factory.mktemp("manual-index")
    folder = root / "docs"
    folder.mkdir()
    (folder / manual.name).write_bytes(manual.read_bytes())
    (folder / "otters.txt").write_text(
        "Sea otters hold hands while they sleep so that they drift together.\n\n"
        "An otter that finds an error in its nest rebuilds it before the tide turns."
    )
    settings = Settings(home=root / "home")
    ingest([folder], encoder, settings.home, settings.build_options())
    return Engine(settings, encoder)


def test_the_description_ranks_first_not_the_index_line(engine: Engine) -> None:
    top = engine.ask("What does asn1_perror do?", 5).passages[0]
    assert top.citation.document == "libtasn1.pdf"
    assert PERROR in " ".join(top.text.split())
    assert top.citation.page == 3
    text = engine.document("libtasn1.pdf").text
    assert text[top.citation.start : top.citation.end] == top.text


def test_a_contents_page_is_never_an_answer(engine: Engine) -> None:
    for question in ["Which structure functions are there?", "Where is the function index?"]:
        for passage in engine.ask(question, 10).passages:
            if passage.citation.document == "libtasn1.pdf":
                assert passage.citation.page not in (1, 5)
                assert ". . ." not in passage.text


def test_title_from_the_largest_type_not_the_author_line(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "survey.pdf",
        [
            [
                ("Harbour Survey of the Northern Bay", 24),
                ("Jane Marlowe", 12),
                "jane.marlowe at harbour.example",
                "",
                "The survey measured the depth of the harbour at forty points in May.",
                "Dredging is needed along the eastern quay before the autumn storms.",
            ],
            ["Results", "", "The deepest point lies nine metres below the lowest tide."],
        ],
        title="Microsoft Word - survey.docx",
    )
    doc = load_document(path)
    assert doc.title == "Harbour Survey of the Northern Bay"
    assert "Jane Marlowe" not in [h.title for h in doc.headings]
    assert "Results" in [h.title for h in doc.headings]


def test_a_real_metadata_title_is_kept(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "census.pdf",
        [[("Contents", 20), "The otters of the bay were counted from the cliffs in June."]],
        title="The Otter Census of 2024",
        author="Otter Society",
    )
    assert load_document(path).title == "The Otter Census of 2024"


def test_code_and_formula_lines_are_not_sections(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "code.pdf",
        [
            [
                "Building the Library",
                "",
                "Run the configure script first, then build the library with make.",
                "QUILT_PATCHES=debian/patches",
                "The variable tells quilt where the patches of the package live.",
                "x = a + b",
                "The sum is stored in x before the library returns it to the caller.",
            ]
        ],
    )
    doc = load_document(path)
    assert [h.title for h in doc.headings] == ["Building the Library"]
    assert "QUILT_PATCHES=debian/patches" in doc.text


def test_ligatures_become_letters(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "ligatures.pdf",
        [["The \ufb01nance o\ufb03ce \ufb02oated the \ufb01rst bond of the harbour trust."]],
        unicode_font=True,
    )
    text = load_document(path).text
    assert "finance office floated the first bond" in text
    assert not any(c in text for c in "\ufb00\ufb01\ufb02\ufb03\ufb04")


def test_line_repairs() -> None:
    assert page_lines("the manip\x02\r\nulation of\r\ndata") == ["the manip-", "ulation of", "data"]
    assert page_lines("a self\x02reliant fleet") == ["a self-", "reliant fleet"]
    assert page_lines("soft\u00ad\nhyphen and a soft\u00adhyphen") == [
        "softhyphen and a softhyphen"
    ]
    assert page_lines("i n t  b l o c k s ;") == ["int blocks;"]
    assert page_lines("a b c d") == ["a b c d"]  # four letters may be a list, not code


def test_a_table_of_numbers_is_not_an_index() -> None:
    table = [
        "Harbour tonnage by year",
        "Northport 2019 4512",
        "Eastbay 2019 3920",
        "Northport 2020 4721",
        "Eastbay 2020 2210",
        "Westcliff 2020 1985",
        "Northport 2021 5002",
    ]
    pages, navigation = drop_navigation([table, ["Some prose follows."]])
    assert pages[0] == table and navigation.pages == []
