"""Decks, workbooks, CSV, e-books, e-mail, Markdown through markdown-it, DOCX footnotes.

Each file is made here with its format's own library (tests/officefiles.py), read through the real
loader and chunker, indexed with the real model and asked about. Text, pages (slides, rows and
sheets) and headings are compared exactly; every passage must cite its own text.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from citeqa.corpus import Document, chunk_document, parse_document
from citeqa.corpus.formats import BY_SUFFIX
from citeqa.corpus.formats.md import _pieces, read_markdown
from citeqa.corpus.locators import locator_of
from citeqa.index.encoder import Encoder
from citeqa.index.storage import IngestReport, ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .docxs import lighthouse_docx
from .officefiles import (
    CAPITALS_TEXT,
    FERRY_HEADERS,
    FERRY_TEXT,
    HARBOURS_TEXT,
    MEKONG_TEXT,
    VOLCANO_TEXT,
    capitals_xlsx,
    ferry_eml,
    harbours_csv,
    mekong_epub,
    volcano_pptx,
)


def _cites_itself(doc: Document) -> None:
    passages = chunk_document(doc)
    assert passages and all(doc.text[p.start : p.end] == p.text for p in passages)


# --- the registry --------------------------------------------------------------------------------


def test_each_format_names_its_locator() -> None:
    assert {s: BY_SUFFIX[s].locator for s in (".pdf", ".pptx", ".xlsx", ".csv", ".tsv")} == {
        ".pdf": "page",
        ".pptx": "slide",
        ".xlsx": "row",
        ".csv": "row",
        ".tsv": "row",
    }
    paged = (".pdf", ".pptx", ".xlsx", ".png", ".jpg", ".jpeg", ".tif", ".tiff")  # images: pages
    others = {f.locator for s, f in BY_SUFFIX.items() if s not in paged}
    assert others - {"row"} == {"section"}
    assert locator_of("epub") == locator_of("eml") == locator_of("md") == "section"
    assert (locator_of("xlsx"), locator_of("csv"), locator_of("pptx")) == ("row", "row", "slide")


# --- PPTX ----------------------------------------------------------------------------------------


def test_pptx_slides_are_pages_with_titles_tables_and_notes() -> None:
    doc = parse_document(volcano_pptx(), "volcanoes.pptx")
    assert doc.text == VOLCANO_TEXT and doc.kind == "pptx" and doc.title == "Volcano Talk"
    assert [(h.title, h.level) for h in doc.headings] == [("Mount Fuji", 1), ("Eruptions", 1)]
    # Slide 3 has no text: no page of its own.
    assert [(p.number, p.label) for p in doc.pages] == [(1, ""), (2, "")]
    assert doc.page_at(doc.text.index("1707")).number == 1  # type: ignore[union-attr]
    assert doc.page_at(doc.text.index("Krakatoa | 1883")).number == 2  # type: ignore[union-attr]
    assert doc.page_at(doc.text.index("Notes: The Krakatoa")).number == 2  # type: ignore[union-attr]
    _cites_itself(doc)


# --- XLSX and CSV --------------------------------------------------------------------------------


def test_xlsx_rows_repeat_the_header_and_cite_sheet_and_row() -> None:
    doc = parse_document(capitals_xlsx(), "asia.xlsx")
    assert doc.text == CAPITALS_TEXT and doc.kind == "xlsx"
    assert doc.title == "Mainland Southeast Asia"
    assert [(p.number, p.label) for p in doc.pages] == [
        (2, "Capitals"),
        (4, "Capitals"),  # row 3 is empty: skipped, and the numbering still the sheet's
        (2, "Rivers"),
    ]
    assert [(h.title, h.level) for h in doc.headings] == [("Capitals", 1), ("Rivers", 1)]
    # The first row of a sheet starts at the sheet's heading.
    assert doc.pages[0].start == 0 and doc.pages[2].start == doc.text.index("Rivers")
    passages = chunk_document(doc)
    assert [(p.page, p.page_end, p.page_label, p.section) for p in passages] == [
        (2, 4, "Capitals", "Capitals"),
        (2, 2, "Rivers", "Rivers"),  # short as the first is, it does not run into the next sheet
    ]
    _cites_itself(doc)


def test_a_sheet_without_a_header_row_joins_its_cells() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append([1990, "Mekong flood", 3.5])
    book.active.append([2011, "Chao Phraya flood", 12])
    out = io.BytesIO()
    book.save(out)
    doc = parse_document(out.getvalue(), "floods.xlsx")
    assert doc.text == "Sheet\n\n1990; Mekong flood; 3.5\n\n2011; Chao Phraya flood; 12"
    assert [p.number for p in doc.pages] == [1, 2] and doc.title == "floods"


def test_a_sheet_of_keys_and_values_reads_as_its_fields() -> None:
    """A two-column sheet headed "Field | Value" (or "Item | Detail") gives each row as the field
    it names: "Payment terms: 30 days", not "Field: Payment terms; Value: 30 days". A sheet of
    two columns of things keeps its header's labels."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Overview"
    for row in (["Field", "Value"], ["Payment terms", "30 days from invoice date"]):
        book.active.append(row)
    capitals = book.create_sheet("Capitals")
    for row in (["Country", "Capital"], ["Laos", "Vientiane"]):
        capitals.append(row)
    out = io.BytesIO()
    book.save(out)
    doc = parse_document(out.getvalue(), "catalogue.xlsx")
    assert "Payment terms: 30 days from invoice date" in doc.text
    assert "Field:" not in doc.text
    assert "Country: Laos; Capital: Vientiane" in doc.text


@pytest.mark.parametrize(("name", "delimiter"), [("h.csv", ";"), ("h.csv", ","), ("h.tsv", "\t")])
def test_csv_dialects_and_row_numbers(name: str, delimiter: str) -> None:
    doc = parse_document(harbours_csv(delimiter), name)
    assert doc.text == HARBOURS_TEXT and doc.kind == "csv" and doc.title == "h"
    assert [(p.number, p.label) for p in doc.pages] == [(2, ""), (4, "")]
    assert doc.headings == []
    _cites_itself(doc)


def test_many_rows_make_passages_that_name_their_first_and_last_row() -> None:
    lines = ["Island,Province,Area"] + [
        f"Island {n},Province {n % 7},{n * 3} square kilometres" for n in range(1, 301)
    ]
    doc = parse_document("\n".join(lines).encode(), "islands.csv")
    passages = chunk_document(doc)
    assert len(passages) > 5
    for p in passages:
        assert p.page is not None and p.page_end is not None and p.page <= p.page_end
        first_row = int(p.text.split(";")[0].removeprefix("Island: Island "))
        assert p.page == first_row + 1  # row 1 is the header
        assert f"Island {p.page_end - 1};" in p.text
    _cites_itself(doc)


# --- EPUB ----------------------------------------------------------------------------------------


def test_epub_chapters_in_spine_order_are_sections() -> None:
    doc = parse_document(mekong_epub(), "mekong.epub")
    assert doc.text == MEKONG_TEXT and doc.kind == "epub" and doc.title == "Tales of the Mekong"
    # The Delta opens with no heading: its <title> is one. The navigation page is not text.
    assert [(h.title, h.level) for h in doc.headings] == [("The Source", 1), ("The Delta", 1)]
    assert doc.section_at(doc.text.index("Nine channels")) == "The Delta"
    assert "Chapter" not in doc.text and "margin" not in doc.text
    _cites_itself(doc)


def test_epub_with_drm_encrypted_chapters_is_refused() -> None:
    encryption = b"""<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
 xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
<enc:CipherData><enc:CipherReference URI="OEBPS/text/ch2.xhtml"/></enc:CipherData>
</enc:EncryptedData></encryption>"""
    locked = mekong_epub(extra={"META-INF/encryption.xml": encryption})
    with pytest.raises(Exception, match="DRM-protected"):
        parse_document(locked, "locked.epub")


# --- E-mail --------------------------------------------------------------------------------------


@pytest.mark.parametrize("html_only", [False, True])
def test_eml_headers_body_and_attachment_list(html_only: bool) -> None:
    doc = parse_document(ferry_eml(html_only), "ferry.eml")
    assert doc.text == FERRY_TEXT and doc.kind == "eml" and doc.title == "Ferry schedule change"
    assert doc.text.startswith(FERRY_HEADERS)
    assert "timetable" not in doc.text.split("Attachment:")[0]  # the PDF's bytes are not text
    _cites_itself(doc)


# --- Markdown ------------------------------------------------------------------------------------

README = """---
title: "Rice Terraces"
region: Ifugao
tags: [unesco, rice]
---
[![build](https://img.shields.io/badge/build-passing-green.svg)](https://ci.example.org)

Banaue
======

The terraces were carved <b>2,000 years</b> ago, by [hand][h],
and are fed by *mountain* springs.

```sh
# not a heading
make terraces
```

    # indented code, not a heading either

- stone walls
- mud walls
  - clay

<p align="center">Kept as <i>text</i></p><!-- a comment -->

| Terrace | Height |
|---|---|
| Batad | 1,000 m |

## Upkeep ##

The walls are repaired after each rainy season

in a communal work day.

[h]: https://example.org/hands "Hands"
"""

README_TEXT = (
    "Banaue\n\n"
    "The terraces were carved 2,000 years ago, by hand,\nand are fed by mountain springs.\n\n"
    "# not a heading\nmake terraces\n\n"
    "# indented code, not a heading either\n\n"
    "- stone walls\n- mud walls\n- clay\n\n"
    "Kept as text\n\n"
    "Terrace | Height\nBatad | 1,000 m\n\n"
    "Upkeep\n\n"
    "The walls are repaired after each rainy season in a communal work day."
)


def test_markdown_through_a_real_parser() -> None:
    read = read_markdown(README, "terraces.md")
    assert read.text == README_TEXT
    assert [(h.title, h.level) for h in read.headings] == [("Banaue", 1), ("Upkeep", 2)]
    assert all(read.text[h.start : h.end] == h.title for h in read.headings)
    doc = parse_document(README.encode(), "terraces.md")  # the loader reads the front matter
    assert doc.title == "Rice Terraces" and doc.text == README_TEXT
    assert doc.metadata == {"region": "Ifugao", "tags": ["unesco", "rice"]}
    _cites_itself(doc)


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("# Only a heading", "Only a heading"),
        ("- one\n- # Two\n- three\n\nAfter.", "- one\n- Two\n- three\n\nAfter."),  # in order
        ("3. third\n4) fourth", "3. third\n\n4) fourth"),  # a new delimiter: a new list
        ("Text with ![a figure](f.png) in it.", "Text with a figure in it."),
        ("Inline `code` and ~~not struck~~ text.", "Inline code and ~~not struck~~ text."),
        ("[unclosed " * 2000, ("[unclosed " * 2000).strip()),
        ("*" * 5000 + "x", "*" * 5000 + "x"),
    ],
)
def test_markdown_edge_cases(source: str, text: str) -> None:
    assert read_markdown(source).text == text


def test_markdown_is_parsed_in_pieces_that_keep_fences_whole() -> None:
    fence = "```\n" + "# code, not a heading\n" * 8000 + "```\n\n"  # 176,000 characters
    prose = "Monsoon rains arrive in June.\n\n" * 4000
    source = "# Rains\n\n" + prose + fence + prose + "## Dry season\n\nNovember is dry.\n"
    assert len(_pieces(source)) > 3 and "".join(_pieces(source)) == source
    read = read_markdown(source)
    assert [h.title for h in read.headings] == ["Rains", "Dry season"]
    assert read.text.count("# code, not a heading") == 8000


def test_markdown_past_its_parse_budget_is_read_as_plain_paragraphs() -> None:
    plain = read_markdown("# Rains\n\nMonsoon *rains*\narrive in June.", budget_s=0)
    assert plain.text == "# Rains\n\nMonsoon *rains*\narrive in June." and plain.headings == []
    started = time.monotonic()
    brackets = read_markdown("[" * 1_000_000, budget_s=1)  # some 30 s through markdown-it-py
    assert time.monotonic() - started < 10
    assert "".join(brackets.text.split()) == "[" * 1_000_000  # pieces of a line: paragraphs


# --- DOCX footnotes ------------------------------------------------------------------------------

FOOTNOTES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>--</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> The lamp
 burns paraffin.</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="2"><w:p><w:r><w:t>Keepers log the weather </w:t></w:r><w:r><w:t>hourly.</w:t>
</w:r></w:p></w:footnote>
</w:footnotes>"""


def _with_member(package: bytes, name: str, data: bytes) -> bytes:
    made = zipfile.ZipFile(io.BytesIO(package))
    parts = {i.filename: made.read(i) for i in made.infolist()}
    parts[name] = data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in parts.items():
            archive.writestr(member, content)
    return out.getvalue()


def test_docx_footnotes_follow_the_body() -> None:
    doc = parse_document(_with_member(lighthouse_docx(), "word/footnotes.xml", FOOTNOTES), "l.docx")
    assert doc.text.endswith(
        "The oil store is checked every Sunday.\n\n"
        "Footnotes\n\n[1] The lamp burns paraffin.\n[2] Keepers log the weather hourly."
    )
    assert (
        doc.headings[-1].title == "Footnotes" and doc.section_at(len(doc.text) - 1) == "Footnotes"
    )


# --- indexed and asked, with the real model ------------------------------------------------------

FOLDER = {
    "volcanoes.pptx": volcano_pptx,
    "asia.xlsx": capitals_xlsx,
    "harbours.csv": harbours_csv,
    "mekong.epub": mekong_epub,
    "ferry.eml": ferry_eml,
    "terraces.md": lambda: README.encode(),
}


@pytest.fixture(scope="module")
def indexed(
    tmp_path_factory: pytest.TempPathFactory, encoder: Encoder
) -> tuple[Engine, IngestReport]:
    root = tmp_path_factory.mktemp("office")
    folder = root / "docs"
    folder.mkdir()
    for name, make in FOLDER.items():
        (folder / name).write_bytes(make())
    settings = Settings(home=root / "home")
    report = ingest([folder], encoder, settings.home, settings.build_options())
    return Engine(settings, encoder), report


@pytest.mark.parametrize(
    ("question", "document", "answer", "page"),
    [
        ("When did Mount Fuji last erupt?", "volcanoes.pptx", "1707", 1),
        ("How far away was the Krakatoa blast heard?", "volcanoes.pptx", "4,800 km", 2),
        ("What is the capital of Laos?", "asia.xlsx", "Vientiane", 2),
        ("How long is the Mekong river in km?", "asia.xlsx", "4909", 2),
        ("How deep is the harbour at Laem Chabang?", "harbours.csv", "16 m", 2),
        ("Where does the Mekong rise?", "mekong.epub", "Tibet", None),
        ("When does the morning ferry to Koh Samui leave?", "ferry.eml", "06:45", None),
        ("How old are the Banaue rice terraces?", "terraces.md", "2,000 years", None),
    ],
)
def test_a_passage_of_each_format_ranks_first(
    indexed: tuple[Engine, IngestReport],
    question: str,
    document: str,
    answer: str,
    page: int | None,
) -> None:
    engine, report = indexed
    assert report.added == sorted(FOLDER) and report.skipped == []
    top = engine.ask(question, 3).passages[0]
    assert top.citation.document == document and answer in top.text
    if page is None:
        assert top.citation.page is None
    else:  # short slides share a passage, as short PDF pages do: the span names them
        assert top.citation.page <= page <= top.citation.page_end  # type: ignore[operator]
    text = engine.document(document).text
    assert text[top.citation.start : top.citation.end] == top.text


def test_a_spreadsheet_citation_names_its_sheet_and_rows(
    indexed: tuple[Engine, IngestReport],
) -> None:
    engine, _ = indexed
    top = engine.ask("How long is the Mekong river in km?", 3).passages[0]
    assert (top.citation.page, top.citation.page_end, top.citation.page_label) == (2, 2, "Rivers")
    where = top.citation.location
    assert (where.type, where.first, where.last, where.answer, where.label) == (
        "row",
        2,
        2,
        2,
        "Rivers",
    )
    assert where.text == "Rivers, row 2"
    laos = engine.ask("What is the capital of Laos?", 3).passages[0].citation.location
    assert (laos.type, laos.first, laos.last, laos.answer, laos.label) == (
        "row",
        2,
        4,
        2,
        "Capitals",
    )


def test_a_deck_citation_names_the_slide_of_the_answer(
    indexed: tuple[Engine, IngestReport],
) -> None:
    engine, _ = indexed
    top = engine.ask("How far away was the Krakatoa blast heard?", 3).passages[0]
    where = top.citation.location
    assert (where.type, where.first, where.last, where.answer) == ("slide", 1, 2, 2)
    assert where.text.startswith("slides 1-2 (answer on slide 2)")
    csv_row = engine.ask("How deep is the harbour at Laem Chabang?", 3).passages[0]
    assert csv_row.citation.location.type == "row" and csv_row.citation.location.label is None


@pytest.mark.parametrize("name", sorted(FOLDER))
def test_indexed_text_is_the_loaders(indexed: tuple[Engine, IngestReport], name: str) -> None:
    engine, _ = indexed
    doc = parse_document(FOLDER[name](), name)
    assert engine.document(name).text == doc.text
    assert engine.document(name).sections == [h.title for h in doc.headings]
