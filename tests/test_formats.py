"""The formats beyond .txt, .md and .pdf: HTML, DOCX, gzip-compressed text, UTF-16/32 text.

Each file is made here with the format's own library (python-docx, gzip) or by hand (HTML), read
through the real loader, indexed with the real model, and asked about. Hostile files (a gzip bomb,
a zip bomb, deeply nested HTML, an encrypted or garbage .docx) must be refused with a
DocumentError quickly.
"""

from __future__ import annotations

import gzip
import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from citeqa.corpus import (
    DocumentError,
    UnsupportedType,
    chunk_document,
    format_suffix,
    kind_of,
    load_corpus,
    parse_document,
)
from citeqa.corpus.formats import txt
from citeqa.corpus.formats.columns import columns_marked
from citeqa.corpus.formats.gz import MAX_DECOMPRESSED_BYTES
from citeqa.corpus.formats.html import MAX_DEPTH, MAX_HTML_BYTES
from citeqa.index.encoder import Encoder
from citeqa.index.storage import IngestReport, ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings
from citeqa.service.writes import safe_document_name

from .docxs import lighthouse_docx

# --- files made here -----------------------------------------------------------------------------

OTTERS_HTML = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The Otter Report</title>
<style>p { color: red }</style><script>var tracking = "pixel";</script></head>
<body>
<header><a href="/">Home</a><nav><ul><li><a href="/about">About us</a></li></ul></nav></header>
<h1>Sea Otters</h1>
<p>Sea otters hold   hands while they <b>sleep</b>, so that they drift together.</p>
<h2>Tools</h2>
<p>A sea otter keeps a favourite stone<br>in a pouch under its foreleg to crack shells.</p>
<pre>dive   depth: 30 m
dive   time: 5 min</pre>
<table><tr><th>Year</th><th>Otters counted</th></tr><tr><td>1911</td><td>2,000</td></tr></table>
<ul><li>kelp forests</li><li>sea urchins</li></ul>
<footer>Copyright the Otter Society</footer>
</body></html>"""

OTTERS_TEXT = (
    "Sea Otters\n\n"
    "Sea otters hold hands while they sleep, so that they drift together.\n\n"
    "Tools\n\n"
    "A sea otter keeps a favourite stone\nin a pouch under its foreleg to crack shells.\n\n"
    "dive depth: 30 m\ndive time: 5 min\n\n"
    "Year | Otters counted\n1911 | 2,000\n\n"
    "kelp forests\nsea urchins\n\n"
    "Copyright the Otter Society"
)


LIGHTHOUSE_TEXT = (
    "Lighthouse Keeping\n\n"
    "The keeper lights the lamp at dusk and trims the wick at midnight.\n\n"
    "Supplies\n\n"
    "paraffin oil\nspare wicks\n\n"
    "Item | Stock\nOil | forty gallons\n\n"
    "The oil store is checked every Sunday."
)

BEES_MD = b"# Bees\n\nHoney bees dance a waggle dance to tell the hive where the flowers are.\n"
KELP_HTML = b"<title>Kelp</title><h1>Giant kelp</h1><p>Giant kelp grows half a metre a day.</p>"
TIDES = "Tides\n\nThe spring tide is highest two days after the full moon.\n"


# --- the registry --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "suffix"),
    [
        ("page.HTML", "html", ".html"),
        ("page.xhtml", "html", ".xhtml"),
        ("report.docx", "docx", ".docx"),
        ("notes.MD.gz", "md", ".md.gz"),
        ("log.v2.txt.gz", "txt", ".txt.gz"),
        ("archive/page.htm.gz", "html", ".htm.gz"),
        ("old.pdf", "pdf", ".pdf"),
    ],
)
def test_a_name_names_its_format(name: str, kind: str, suffix: str) -> None:
    assert kind_of(name) == kind and format_suffix(name) == suffix


@pytest.mark.parametrize("name", ["data.tar.gz", "bare.gz", "sheet.ods", "README", "x.doc"])
def test_other_names_are_unsupported(name: str) -> None:
    with pytest.raises(UnsupportedType, match="unsupported file type"):
        kind_of(name)


def test_upload_names_keep_a_two_part_suffix() -> None:
    assert safe_document_name("My Notes.MD.gz") == "My Notes.md.gz"
    assert safe_document_name("../w*eb/page.Html") == "page.html"
    long = safe_document_name("n" * 300 + ".txt.gz")
    assert long.endswith("n.txt.gz") and len(long) == 120
    with pytest.raises(UnsupportedType):
        safe_document_name("backup.tar.gz")


# --- UTF-16 and UTF-32 ---------------------------------------------------------------------------

WIDE = "Tides\n\nThe spring tide is highest after the full moon, says Jörg. 潮汐"


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
def test_utf16_and_utf32_text_is_read(encoding: str) -> None:
    data = WIDE.encode(encoding)
    if encoding.startswith("utf-32-"):
        data = ("\ufeff" + WIDE).encode(encoding)  # UTF-32 is recognised by its mark
    doc = parse_document(data, "tides.txt")
    assert doc.text == WIDE and doc.title == "Tides"
    assert [h.title for h in doc.headings] == ["Tides"]


def test_utf16_markdown_keeps_its_headings() -> None:
    doc = parse_document("# Tides\n\nNeap tides are weakest.".encode("utf-16"), "tides.md")
    assert doc.text == "Tides\n\nNeap tides are weakest." and doc.headings[0].title == "Tides"


def test_nul_bytes_on_both_sides_are_still_binary() -> None:
    with pytest.raises(DocumentError, match="binary data"):
        parse_document(bytes(range(256)) * 8, "image.txt")
    with pytest.raises(DocumentError, match="binary data"):
        parse_document(b"\x00" * 100, "zeros.txt")


# --- gzip ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "text", "headings"),
    [
        ("bees.md.gz", BEES_MD, BEES_MD.decode()[2:].strip(), ["Bees"]),
        ("tides.txt.gz", TIDES.encode(), TIDES.strip(), ["Tides"]),
        ("tides16.txt.gz", TIDES.encode("utf-16"), TIDES.strip(), ["Tides"]),
        (
            "kelp.html.gz",
            KELP_HTML,
            "Giant kelp\n\nGiant kelp grows half a metre a day.",
            ["Giant kelp"],
        ),
    ],
)
def test_gzip_is_read_as_the_format_inside(
    name: str, data: bytes, text: str, headings: list[str]
) -> None:
    doc = parse_document(gzip.compress(data), name)
    assert doc.text == text
    assert [h.title for h in doc.headings] == headings and doc.kind == kind_of(name)


def timed(read: Callable[[], object], seconds: float) -> str:
    """The DocumentError message of `read()`, which must fail within `seconds`."""
    started = time.monotonic()
    with pytest.raises(DocumentError) as caught:
        read()
    assert time.monotonic() - started < seconds
    return str(caught.value)


def test_gzip_bomb_is_refused_at_the_bound() -> None:
    bomb = gzip.compress(b"\0" * (MAX_DECOMPRESSED_BYTES + 2**20), compresslevel=1)
    assert len(bomb) < 500_000
    message = timed(lambda: parse_document(bomb, "bomb.txt.gz"), 5)
    assert "decompresses to more than 50 MB" in message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not gzip at all", "not a readable gzip file"),
        (
            gzip.compress(b"Otters sleep holding hands." * 50, mtime=0)[:-30],
            "not a readable gzip file",
        ),
        (gzip.compress(bytes(range(256)) * 8, mtime=0), "binary data"),
    ],
)
def test_broken_gzip_is_a_document_error(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        parse_document(data, "notes.txt.gz")


# --- HTML ----------------------------------------------------------------------------------------


def test_html_main_text_headings_pre_and_tables() -> None:
    doc = parse_document(OTTERS_HTML, "otters.html")
    assert doc.text == OTTERS_TEXT
    assert doc.title == "The Otter Report" and doc.kind == "html"
    assert [(h.title, h.level) for h in doc.headings] == [("Sea Otters", 1), ("Tools", 2)]
    assert doc.section_at(doc.text.index("favourite stone")) == "Tools"
    for noise in ("tracking", "color", "About us", "Home"):
        assert noise not in doc.text


def test_a_pages_own_header_and_footer_are_read_unless_they_are_menus() -> None:
    """Small sites put who runs the page, when it was updated and how to reach them in its header
    and footer; a header or footer made of links is the site's menu."""
    page = b"""<html><body>
    <header><a href="/">Home</a> | <a href="/fees">Fees</a> | <a href="/faq">FAQ</a></header>
    <header><p>Harbour Kayaks &middot; Last updated 4 May 2026</p></header>
    <main><h1>Hire prices</h1><p>A single kayak costs &pound;25 for two hours.</p></main>
    <footer><p>Harbour Kayaks Ltd, 3 Quay Lane, Porthmoor PM2 7QA &middot; 01632 960 118</p>
    <p><a href="/privacy">Privacy</a></p></footer>
    <footer><a href="/terms">Terms</a> <a href="/cookies">Cookies</a></footer>
    </body></html>"""
    doc = parse_document(page, "prices.html")
    assert doc.text == (
        "Harbour Kayaks \u00b7 Last updated 4 May 2026\n\n"
        "Hire prices\n\n"
        "A single kayak costs \u00a325 for two hours.\n\n"
        "Harbour Kayaks Ltd, 3 Quay Lane, Porthmoor PM2 7QA \u00b7 01632 960 118\n\n"
        "Privacy"
    )
    without_main = page.replace(b"<main>", b"<div>").replace(b"</main>", b"</div>")
    assert parse_document(without_main, "prices.html").text == doc.text


def test_a_listing_set_in_a_table_cell_keeps_its_lines() -> None:
    """Manuals shade a listing by setting it in a one-cell table: its lines are still lines,
    and a data table's cells still share their row's line."""
    page = b"""<html><body><p>Each bit turns on a kind of message:</p>
    <TABLE BORDER="0"><TR><TD><PRE CLASS="PROGRAMLISTING">  Name    Value  Meaning
  MATCH       1  Brief information about matching
  CONFIG   1024  Monitor which config files are loaded</PRE></TD></TR></TABLE>
    <table><tr><td>Oil</td><td>forty gallons</td></tr></table></body></html>"""
    doc = parse_document(page, "manual.html")
    assert doc.text == (
        "Each bit turns on a kind of message:\n\n"
        "Name Value Meaning\n"
        "MATCH 1 Brief information about matching\n"
        "CONFIG 1024 Monitor which config files are loaded\n\n"
        "Oil | forty gallons"
    )


def test_html_main_element_is_the_page_text() -> None:
    page = b"""<html><body><div class="sidebar">Subscribe to our newsletter</div>
    <main><article><header><h1>Kelp</h1></header><p>Kelp is an alga.</p>
    <footer>Filed under seaweed.</footer></article></main><p>Cookie notice</p></body></html>"""
    doc = parse_document(page, "kelp.html")
    assert doc.text == "Kelp\n\nKelp is an alga.\n\nFiled under seaweed."
    assert doc.title == "Kelp"  # no <title>: the first heading
    empty_main = b"<main> </main><p>The text lies outside the main element.</p>"
    assert parse_document(empty_main, "odd.html").text == "The text lies outside the main element."


def test_xhtml_and_declared_charsets() -> None:
    xhtml = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Caf\xc3\xa9s</title></head>'
        b"<body><h2>Menu</h2><p>Caf\xc3\xa9 cr\xc3\xa8me<br/>served hot.</p></body></html>"
    )
    doc = parse_document(xhtml, "menu.xhtml")
    assert doc.text == "Menu\n\nCafé crème\nserved hot." and doc.title == "Cafés"
    legacy = b'<meta charset="windows-1252"><p>Caf\xe9 in M\xfcnchen</p>\x00'
    assert parse_document(legacy, "old.html").text == "Café in München"
    assert parse_document(OTTERS_HTML.decode().encode("utf-16"), "o.html").text == OTTERS_TEXT


def test_deeply_nested_html_is_refused_quickly() -> None:
    deep = b"<p>Before.</p>" + b"<div>" * 200_000 + b"deep" + b"</div>" * 200_000
    message = timed(lambda: parse_document(deep, "deep.html"), 5)
    assert f"nested more than {MAX_DEPTH} deep" in message
    fine = b"<div>" * 100 + b"Shallow enough." + b"</div>" * 100
    assert parse_document(fine, "ok.html").text == "Shallow enough."


def test_oversize_html_is_refused_before_parsing() -> None:
    huge = b"<p>" + b"a" * MAX_HTML_BYTES + b"</p>"
    assert "larger than 50 MB" in timed(lambda: parse_document(huge, "huge.html"), 2)


def test_html_without_text_or_binary_is_a_document_error() -> None:
    with pytest.raises(DocumentError, match="no text"):
        parse_document(b"<html><script>only code</script></html>", "empty.html")
    with pytest.raises(DocumentError, match="binary data"):
        parse_document(bytes(range(256)) * 8, "image.html")


# --- DOCX ----------------------------------------------------------------------------------------


def test_docx_headings_lists_and_tables() -> None:
    doc = parse_document(lighthouse_docx(), "manual.docx")
    assert doc.text == LIGHTHOUSE_TEXT
    assert doc.title == "Lighthouse Manual" and doc.kind == "docx"
    assert [(h.title, h.level) for h in doc.headings] == [
        ("Lighthouse Keeping", 1),
        ("Supplies", 2),
    ]
    assert doc.section_at(doc.text.index("forty gallons")) == "Supplies"


def _zip(entries: dict[str, bytes], level: int = 1) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_docx_zip_bomb_is_refused_before_inflating() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as f:
            for _ in range(210):
                f.write(b"\0" * 2**20)
    bomb = out.getvalue()
    assert len(bomb) < 2_000_000
    assert "unpacks to 210 MB" in timed(lambda: parse_document(bomb, "bomb.docx"), 2)


def test_docx_entity_expansion_is_not_expanded() -> None:
    """ "Billion laughs": nine levels of ten entities each would be 3 GB of "lol"."""
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "lol">{entities}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&l9; Otters.</w:t></w:r></w:p></w:body></w:document>"
    )
    made = zipfile.ZipFile(io.BytesIO(lighthouse_docx()))
    parts = {i.filename: made.read(i) for i in made.infolist()}
    laughs = _zip({**parts, "word/document.xml": xml.encode()})
    assert "declares XML entities" in timed(lambda: parse_document(laughs, "laughs.docx"), 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # An encrypted Office file is an OLE compound file, not a zip package.
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "password-protected"),
        (b"PK\x03\x04 not really a zip", "not a .docx"),
        (b"just some text", "not a .docx"),
        (_zip({"notes.txt": b"a zip, but no Word document inside"}), "not a readable .docx"),
        (_zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<<<"}), "not a readable"),
    ],
)
def test_encrypted_or_garbage_docx_is_a_document_error(data: bytes, message: str) -> None:
    assert message in timed(lambda: parse_document(data, "locked.docx"), 5)


# --- folders: nothing is skipped in silence ------------------------------------------------------


def test_a_folder_lists_every_file_it_does_not_index(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Sea otters hold hands while they sleep.")
    (tmp_path / "photo.bmp").write_bytes(b"BM\x00\x00")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "budget.ods").write_bytes(b"PK\x03\x04")
    (tmp_path / "backup.tar.gz").write_bytes(gzip.compress(b"x"))
    (tmp_path / ".hidden.txt").write_text("Hidden files stay out of the index.")
    loaded = list(load_corpus([tmp_path]))
    skipped = sorted(str(x) for x in loaded if isinstance(x, DocumentError))
    assert [x.id for x in loaded if not isinstance(x, DocumentError)] == ["good.txt"]
    assert [s.split(":")[0] for s in skipped] == ["backup.tar.gz", "photo.bmp", "sub/budget.ods"]
    assert all("unsupported file type" in s for s in skipped)
    assert "'.tar.gz'" in skipped[0] and "'.bmp'" in skipped[1]


# --- indexed and asked, with the real model ------------------------------------------------------

FOLDER = {
    "otters.html": OTTERS_HTML,
    "lighthouse.docx": b"",  # made in the fixture (python-docx)
    "bees.md.gz": gzip.compress(BEES_MD),
    "kelp.html.gz": gzip.compress(KELP_HTML),
    "tides.txt": TIDES.encode("utf-16"),
    "photo.bmp": b"BM\x00\x00",
}


@pytest.fixture(scope="module")
def indexed(
    tmp_path_factory: pytest.TempPathFactory, encoder: Encoder
) -> tuple[Engine, IngestReport]:
    root = tmp_path_factory.mktemp("formats")
    folder = root / "docs"
    folder.mkdir()
    for name, data in FOLDER.items():
        (folder / name).write_bytes(data or lighthouse_docx())
    settings = Settings(home=root / "home")
    report = ingest([folder], encoder, settings.home, settings.build_options())
    return Engine(settings, encoder), report


def test_the_ingest_report_lists_the_skipped_file(indexed: tuple[Engine, IngestReport]) -> None:
    _, report = indexed
    assert report.added == sorted(n for n in FOLDER if n != "photo.bmp")
    assert report.skipped == ["photo.bmp: unsupported file type '.bmp' " + SUPPORTED_LIST]


SUPPORTED_LIST = (
    "(supported: .csv, .docx, .eml, .epub, .htm, .html, .jpeg, .jpg, .markdown, .md, .pdf, .png, "
    ".pptx, .text, .tif, .tiff, .tsv, .txt, .xht, .xhtml, .xlsx; "
    "and .gz of html, md, txt files)"
)


@pytest.mark.parametrize(
    ("question", "document", "answer"),
    [
        ("Why do sea otters hold hands while sleeping?", "otters.html", "drift together"),
        ("Where does a sea otter keep its stone?", "otters.html", "pouch under its foreleg"),
        ("When does the lighthouse keeper trim the wick?", "lighthouse.docx", "midnight"),
        ("How much oil is in stock at the lighthouse?", "lighthouse.docx", "forty gallons"),
        ("How do honey bees tell the hive where flowers are?", "bees.md.gz", "waggle dance"),
        ("How fast does giant kelp grow?", "kelp.html.gz", "half a metre a day"),
        ("When is the spring tide highest?", "tides.txt", "two days after the full moon"),
    ],
)
def test_a_passage_of_each_format_ranks_first(
    indexed: tuple[Engine, IngestReport], question: str, document: str, answer: str
) -> None:
    engine, _ = indexed
    top = engine.ask(question, 3).passages[0]
    assert top.citation.document == document and answer in top.text
    text = engine.document(document).text
    assert text[top.citation.start : top.citation.end] == top.text


@pytest.mark.parametrize("name", sorted(n for n in FOLDER if n != "photo.bmp"))
def test_passages_of_each_format_cite_their_text(
    indexed: tuple[Engine, IngestReport], name: str
) -> None:
    engine, _ = indexed
    data = FOLDER[name] or lighthouse_docx()
    doc = parse_document(data, name)
    assert engine.document(name).text == doc.text
    passages = chunk_document(doc)
    assert passages and all(doc.text[p.start : p.end] == p.text for p in passages)
    assert engine.document(name).sections == [h.title for h in doc.headings]


def test_a_plain_text_table_s_columns_become_cells() -> None:
    """Columns lined up with spaces or tabs part into " | " cells, as a Markdown table's do; the
    rule under the header goes. Prose with two spaces after a full stop, a key's aligned value
    and a line alone keep their words as they are."""
    text = (
        "PRESENT\n"
        "  Janet Okoro        Chair (user representative)\n"
        "  Robert Ellis       Secretary\n"
        "\n"
        "Heading                          Amount\n"
        "-------------------------------  -----------\n"
        "Travel and subsistence              24,000\n"
        "Equipment\t\t86,000\n"
        "\n"
        "It ended.  Then we left.\nName:         Dr Samuel Osei\nOffice:       H 3.02\n"
        "Claire Whitfield   Leisure Services Manager\n"
    )
    read = txt.read(text.encode(), "minutes.txt").text
    assert "Janet Okoro | Chair (user representative)\nRobert Ellis | Secretary" in read
    assert "Heading | Amount\nTravel and subsistence | 24,000\nEquipment | 86,000" in read
    assert "---" not in read
    assert "It ended. Then we left." in read
    assert "Name: Dr Samuel Osei\nOffice: H 3.02" in read
    assert "Claire Whitfield Leisure Services Manager" in read
    # the same, read in pieces cut anywhere
    pieces = [text[i : i + 7] for i in range(0, len(text), 7)]
    assert "".join(columns_marked(pieces)) == "".join(columns_marked([text]))


def test_dot_leaders_part_a_key_from_its_value() -> None:
    """Lines whose key and value a dot leader parts read as a table's rows, as aligned columns
    do; an ellipsis in prose and a leader on a line alone stay as written."""
    text = (
        "CASTING (confirmed 9 July 2024):\n"
        "  Beverly .......... Ruth Okonjo\n"
        "  Laurence ......... Martin Dobbs\n"
        "  M1.1  First coating deposited ........ achieved 22 March 2023\n"
        "\n"
        "We waited... and then the doors opened.\n"
        "Total .......... 47 applicants\n"
    )
    read = txt.read(text.encode(), "casting.txt").text
    assert "Beverly | Ruth Okonjo\nLaurence | Martin Dobbs\n" in read
    assert "M1.1 | First coating deposited | achieved 22 March 2023" in read
    assert "We waited... and then the doors opened." in read
    assert "Total .......... 47 applicants" in read
