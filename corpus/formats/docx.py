"""Word documents (.docx, python-docx): paragraphs in order; a paragraph styled "Heading N" or
"Title" is a section heading, a table row is a line of its cells, list items are lines of one block.

Bounded: the zip's entries are counted and their declared sizes summed before anything is
inflated (zipfile never inflates past an entry's declared size), so a zip bomb is refused cheaply.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from .base import DocumentError, Format, Read, TextBuilder

# A 300-page report with images is about 20 MB unpacked; text-only XML far less.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 10_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .docx, or an old binary .doc
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.I)


def read(data: bytes, doc_id: str) -> Read:
    if data.startswith(_OLE_MAGIC):
        raise DocumentError(
            f"{doc_id}: a password-protected or old-format (.doc) Word file; "
            "remove the password or save it as .docx"
        )
    _check_zip(data, doc_id)
    try:
        document = docx.Document(io.BytesIO(data))
        title = document.core_properties.title or ""
        builder = TextBuilder()
        lines: list[str] = []  # consecutive list items, one block
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph) and _is_list_item(item) and not _heading_level(item):
                lines.append(item.text)
                continue
            builder.add(lines)
            lines = []
            if isinstance(item, Table):
                builder.add(_rows(item))
            else:
                builder.add([item.text], _heading_level(item))
        builder.add(lines)
    except DocumentError:
        raise
    except Exception as err:
        # A damaged package fails anywhere inside python-docx (a missing part, bad XML, a
        # wrong content type); whatever it is, the file is unreadable, not the server.
        raise DocumentError(f"{doc_id}: not a readable .docx ({type(err).__name__})") from err
    return builder.read(title)


def _check_zip(data: bytes, doc_id: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise DocumentError(f"{doc_id}: not a .docx (not a zip package: {err})") from err
    unpacked = sum(e.file_size for e in entries)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        raise DocumentError(
            f"{doc_id}: unpacks to {unpacked // 2**20} MB in {len(entries)} parts, more than "
            f"the {MAX_UNPACKED_BYTES // 2**20} MB a .docx may hold here"
        )
    if any(e.flag_bits & 0x1 for e in entries):
        raise DocumentError(f"{doc_id}: the .docx is encrypted; remove the password first")


def _heading_level(paragraph: Paragraph) -> int:
    name = paragraph.style.name if paragraph.style is not None else ""
    if (name or "").lower() == "title":
        return 1
    match = _HEADING_STYLE.match(name or "")
    return int(match.group(1)) if match else 0


def _is_list_item(paragraph: Paragraph) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    return numbered or name.lower().startswith("list")


def _rows(table: Table) -> list[str]:
    """One line per row: its cells' text joined by " | "; a merged cell counts once."""
    rows = []
    for row in table.rows:
        seen: list[object] = []
        cells = []
        for cell in row.cells:
            if any(cell._tc is s for s in seen):
                continue
            seen.append(cell._tc)
            cells.append(" ".join(cell.text.split()))
        rows.append(" | ".join(c for c in cells if c))
    return rows


FORMATS = (Format("docx", (".docx",), read),)
