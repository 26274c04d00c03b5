"""Word documents (.docx, python-docx): paragraphs in order; a paragraph styled "Heading N" or
"Title" is a section heading, a table row is a line of its cells, list items are lines of one block.
Footnotes (word/footnotes.xml, which python-docx 1.x does not expose) follow the body under a
"Footnotes" heading, one line each, "[n] text", numbered in the order Word stores them.

Bounded: the package passes `zips.open_package` (zip bombs, entity declarations, encryption)
before python-docx reads it.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

from .base import DocumentError, Format, Read, TextBuilder
from .zips import open_package, parse_xml, read_member

_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FOOTNOTES = "word/footnotes.xml"


def read(data: bytes, doc_id: str) -> Read:
    # On first use: python-docx takes ~0.1 s to import, which no other command needs.
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    with open_package(data, doc_id, ".docx") as archive:
        notes = _footnotes(archive, doc_id) if _FOOTNOTES in archive.namelist() else []
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
        if notes:
            builder.add(["Footnotes"], 1)
            builder.add([f"[{n}] {note}" for n, note in enumerate(notes, start=1)])
    except DocumentError:
        raise
    except Exception as err:
        # A damaged package fails anywhere inside python-docx (a missing part, bad XML, a
        # wrong content type); whatever it is, the file is unreadable, not the server.
        raise DocumentError(f"{doc_id}: not a readable .docx ({type(err).__name__})") from err
    return builder.read(title)


def _footnotes(archive: zipfile.ZipFile, doc_id: str) -> list[str]:
    """The text of each real footnote (the separator and continuation notes have a w:type)."""
    root = parse_xml(read_member(archive, _FOOTNOTES, doc_id), doc_id, _FOOTNOTES)
    notes = []
    for note in root.iter(f"{_W}footnote"):
        if note.get(f"{_W}type") not in (None, "normal"):
            continue
        paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in note.iter(f"{_W}p")]
        text = " ".join(" ".join(paragraphs).split())
        if text:
            notes.append(text)
    return notes


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
