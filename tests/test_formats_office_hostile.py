"""Hostile decks, workbooks, CSV, e-books and e-mail: each is refused with a one-line
DocumentError (or read within its bounds) in bounded time, never a hang or a memory blow-up."""

from __future__ import annotations

import base64
import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from citeqa.corpus import Document, DocumentError, load_corpus, parse_document
from citeqa.corpus.formats.csv import MAX_LINE_CHARS
from citeqa.corpus.formats.eml import MAX_BODY_BYTES
from citeqa.corpus.formats.rows import MAX_EMPTY_RUN, MAX_WIDTH

from .docxs import lighthouse_docx
from .officefiles import capitals_xlsx, mekong_epub, volcano_pptx
from .test_formats import timed

PACKAGES: dict[str, Callable[[], bytes]] = {
    ".docx": lighthouse_docx,
    ".xlsx": capitals_xlsx,
    ".pptx": volcano_pptx,
    ".epub": mekong_epub,
}
# The member each format's library (or reader) parses first.
MAIN_PART = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/worksheets/sheet1.xml",
    ".pptx": "ppt/presentation.xml",
    ".epub": "OEBPS/content.opf",
}


def _replace(package: bytes, name: str, data: bytes) -> bytes:
    made = zipfile.ZipFile(io.BytesIO(package))
    parts = {i.filename: made.read(i) for i in made.infolist()}
    parts[name] = data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in parts.items():
            archive.writestr(member, content)
    return out.getvalue()


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """Under 2 MB that declares 210 MB unpacked, in one member."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("payload.xml", "w", force_zip64=True) as f:
            for _ in range(210):
                f.write(b"\0" * 2**20)
    bomb = out.getvalue()
    assert len(bomb) < 2_000_000
    return bomb


@pytest.mark.parametrize("suffix", sorted(PACKAGES))
def test_zip_bombs_are_refused_before_inflating(zip_bomb: bytes, suffix: str) -> None:
    message = timed(lambda: parse_document(zip_bomb, "bomb" + suffix), 2)
    assert "unpacks to 210 MB" in message and "\n" not in message


@pytest.mark.parametrize(
    ("suffix", "member"), [*MAIN_PART.items(), (".epub", "OEBPS/text/ch2.xhtml")]
)
def test_entity_expansion_is_refused_in_each_xml_format(suffix: str, member: str) -> None:
    """ "Billion laughs": nine levels of ten entities each would be 3 GB of "lol"."""
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{entities}]><r>&l9;</r>'
    laughs = _replace(PACKAGES[suffix](), member, xml.encode())
    message = timed(lambda: parse_document(laughs, "laughs" + suffix), 2)
    assert f"{member} declares XML entities" in message


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pptx"])
def test_encrypted_office_files_are_password_protected(suffix: str) -> None:
    # An encrypted Office file is an OLE2 compound file holding the encrypted package.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    assert "password-protected" in timed(lambda: parse_document(ole, "locked" + suffix), 2)


@pytest.mark.parametrize("suffix", [".xlsx", ".pptx", ".epub"])
def test_a_zip_that_is_not_the_format_is_a_document_error(suffix: str) -> None:
    package = _replace(PACKAGES[".docx"](), "notes.txt", b"a zip of another kind")
    message = timed(lambda: parse_document(package, "other" + suffix), 5)
    assert "not a readable" in message or "the package has no" in message
    assert "not a" in timed(lambda: parse_document(b"PK\x03\x04 truncated", "x" + suffix), 2)


# --- spreadsheets --------------------------------------------------------------------------------

_SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_a_sheet_of_a_million_empty_rows_is_read_in_bounded_time() -> None:
    """A sheet declaring A1:XFD1048576, its last row a million rows down: the empty rows are
    skipped until MAX_EMPTY_RUN of them, and nothing further down is read."""
    rows = (
        f'<row r="1">{_cell("A1", "Name")}</row><row r="2">{_cell("A2", "Alpha")}</row>'
        f'<row r="1000000">{_cell("A1000000", "Omega")}</row>'
    )
    sheet = (
        f'<worksheet {_SHEET_NS}><dimension ref="A1:XFD1048576"/>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    workbook = _replace(capitals_xlsx(), "xl/worksheets/sheet1.xml", sheet.encode())
    assert len(workbook) < 20_000
    started = time.monotonic()
    doc = parse_document(workbook, "sparse.xlsx")
    assert time.monotonic() - started < 5
    assert doc.text.startswith("Capitals\n\nName: Alpha\n\nRivers") and "Omega" not in doc.text
    assert MAX_EMPTY_RUN < 1_000_000


def test_a_row_with_too_many_filled_cells_is_refused() -> None:
    cells = "".join(f'<c r="{_column(i)}1"><v>{i}</v></c>' for i in range(1, 1_202))
    sheet = f"<worksheet {_SHEET_NS}><sheetData><row r='1'>{cells}</row></sheetData></worksheet>"
    workbook = _replace(capitals_xlsx(), "xl/worksheets/sheet1.xml", sheet.encode())
    assert "1,201 filled cells" in timed(lambda: parse_document(workbook, "wide.xlsx"), 5)


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_a_csv_line_of_100_mb_is_refused_quickly() -> None:
    huge = b"Name,Note\n" + b"x" * 100_000_000 + b"\n"
    message = timed(lambda: parse_document(huge, "huge.csv"), 10)
    assert f"line 2 is longer than {MAX_LINE_CHARS:,} characters" in message


def test_a_csv_with_absurdly_many_columns_is_refused() -> None:
    wide = b",".join(b"c%d" % i for i in range(MAX_WIDTH + 10)) + b"\n1,2\n"
    assert f"more than {MAX_WIDTH:,} columns" in timed(lambda: parse_document(wide, "w.csv"), 5)
    commas = b"a" + b"," * (MAX_WIDTH * 3) + b"\n"
    assert "columns" in timed(lambda: parse_document(commas, "commas.csv"), 5)


def test_a_csv_field_over_the_csv_limit_is_refused() -> None:
    field = b'Name,Note\nOne,"' + b"y" * 200_000 + b'"\n'
    assert "field larger than field limit" in timed(lambda: parse_document(field, "f.csv"), 5)


# --- e-mail --------------------------------------------------------------------------------------


def _eml(part_headers: str, payload: bytes) -> bytes:
    head = (
        "From: a@example.org\nTo: b@example.org\nSubject: Data\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="B"\n\n--B\n'
    )
    return (
        head.encode()
        + part_headers.encode()
        + b"Content-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(payload)
        + b"\n--B--\n"
    )


def test_an_eml_with_a_huge_base64_body_is_refused() -> None:
    body = _eml("Content-Type: text/plain\n", b"words " * (MAX_BODY_BYTES // 6 + 1000))
    message = timed(lambda: parse_document(body, "dump.eml"), 15)
    assert f"body is larger than {MAX_BODY_BYTES // 2**20} MB" in message


def test_a_huge_base64_attachment_is_listed_not_decoded() -> None:
    big = _eml(
        'Content-Type: application/zip\nContent-Disposition: attachment; filename="x.zip"\n',
        bytes(12 * 2**20),
    )
    started = time.monotonic()
    doc = parse_document(big, "big.eml")
    assert time.monotonic() - started < 15
    assert doc.text.endswith("Attachment: x.zip (application/zip, 12.0 MB) not indexed")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just a line of text", "not an e-mail message"),
        (b"\x00\x01\x02" * 100, "binary data"),
    ],
)
def test_text_that_is_not_an_email_is_refused(data: bytes, message: str) -> None:
    assert message in timed(lambda: parse_document(data, "x.eml"), 2)


def test_a_folder_lists_each_hostile_file_and_indexes_the_rest(tmp_path: Path) -> None:
    (tmp_path / "good.csv").write_bytes(b"Port,Depth\nKlang,15 m\n")
    (tmp_path / "locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    (tmp_path / "huge.csv").write_bytes(b"a," * (MAX_WIDTH + 1))
    loaded = list(load_corpus([tmp_path]))
    assert [d.id for d in loaded if isinstance(d, Document)] == ["good.csv"]
    skipped = sorted(str(e) for e in loaded if isinstance(e, DocumentError))
    assert [s.split(":")[0] for s in skipped] == ["huge.csv", "locked.xlsx"]
    assert "columns" in skipped[0] and "password-protected" in skipped[1]
