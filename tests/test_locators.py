"""One citation shape for every format: pages, slides, rows or sections, and the place of the
answering sentence itself (not only where its passage begins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeqa.corpus import Heading, Page
from citeqa.corpus.formats import FORMATS
from citeqa.corpus.locators import LOCATOR_TYPES, Location, locate, locator_of, section_path
from citeqa.index.encoder import Encoder
from citeqa.index.storage.ingest import ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .pdfs import make_pdf

PAGES = [Page(1, 0, "i"), Page(2, 100, "ii"), Page(3, 250, "1")]


def test_every_format_names_a_known_locator() -> None:
    assert {f.locator for f in FORMATS} <= set(LOCATOR_TYPES)
    assert locator_of("pdf") == "page"
    assert locator_of("txt") == "section"
    assert locator_of("no-such-kind") == "section"


def test_a_passage_over_two_pages_is_cited_at_the_page_of_its_answer() -> None:
    place = locate("pdf", PAGES, [], 90, 180, answer_at=120)
    assert (place.type, place.first, place.last, place.answer) == ("page", 1, 2, 2)
    assert place.label == "ii"  # the printed label of the answer's page
    assert place.describe() == "pp. 1-2 (answer on p. 2) [printed ii]"


def test_the_answer_offset_is_kept_inside_the_passage() -> None:
    assert locate("pdf", PAGES, [], 90, 180, answer_at=400).answer == 2
    assert locate("pdf", PAGES, [], 120, 180, answer_at=5).answer == 2


def test_unpaginated_documents_are_located_by_their_sections() -> None:
    headings = [Heading(0, 5, "Guide", 1), Heading(50, 57, "Install", 2)]
    place = locate("md", [], headings, 60, 90, answer_at=70)
    assert place == Location("section", None, None, None, None, ("Guide", "Install"))
    assert place.describe() == "Guide › Install"


def test_section_path_closes_headings_of_the_same_or_a_deeper_level() -> None:
    headings = [
        Heading(0, 1, "A", 1),
        Heading(10, 11, "A.1", 2),
        Heading(20, 21, "A.1.a", 3),
        Heading(30, 31, "A.2", 2),
        Heading(40, 41, "B", 1),
    ]
    assert section_path(headings, 25) == ("A", "A.1", "A.1.a")
    assert section_path(headings, 35) == ("A", "A.2")
    assert section_path(headings, 45) == ("B",)
    assert section_path(headings, 0) == ("A",)
    assert section_path([], 10) == ()


@pytest.mark.parametrize(
    ("place", "text"),
    [
        (Location("slide", 3, 3, 3, None, ("Results",)), "slide 3, Results"),
        (Location("row", 4, 9, 7, "Prices", ("Prices",)), "Prices, rows 4-9 (answer on row 7)"),
        (Location("page", 5, 5, 5, "5", ()), "p. 5"),
        (Location("section", None, None, None, None, ()), ""),
    ],
)
def test_a_location_reads_as_a_reader_would_write_it(place: Location, text: str) -> None:
    assert place.describe() == text


FILLER = [
    "Chapter {n} is about unrelated matters of page {n}.",
    "It discusses weather, tides and the colour of the sea on page {n}.",
]


def test_the_citation_gives_the_page_of_the_highlighted_sentence(
    tmp_path: Path, encoder: Encoder
) -> None:
    """A passage that begins on page 2 and whose answering sentence is on page 3 is cited as
    pages 2-3 with its answer on page 3 (the passage's first page alone would mislead)."""
    pages = [
        [line.format(n=1) for line in FILLER],
        [
            "Magic numbers identify file types without their names.",
            "A file type detector reads the first bytes of a file.",
        ],
        [
            "The file starts with the magic string MIME-Magic followed by a newline.",
            "Each rule then names a priority and a type.",
        ],
    ]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_pdf(corpus / "spec.pdf", pages, title="Shared MIME-info Database")
    home = tmp_path / "home"
    settings = Settings(home=home)
    ingest([corpus], encoder, home, settings.build_options())
    answer = Engine(settings, encoder).ask("What magic string does the file start with?", 3)
    first = answer.passages[0]
    location = first.citation.location
    a, b = first.highlight.start, first.highlight.end
    assert "MIME-Magic" in first.text[a:b]
    assert location.type == "page"
    assert location.first is not None and location.last is not None
    assert location.first <= 2 and location.last == 3  # the passage spans pages 2-3
    assert location.answer == 3
    assert "answer on p. 3" in location.text
    assert first.citation.page == location.first  # the passage's own first page, as before
