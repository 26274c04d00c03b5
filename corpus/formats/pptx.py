"""PowerPoint decks (.pptx, python-pptx): a slide is a page. Each slide is one `Page(number=the
slide's number, start, label="")`; its title is a level-1 heading; then the text of its other
shapes in reading order (top to bottom, then left to right), a table row as a line of its cells
joined by " | ", grouped shapes opened; then its speaker notes, as a block starting "Notes: " so a
reader sees they were not on the slide.

The package passes `zips.open_package` (zip bombs, entity declarations, encryption) first.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pptx.shapes.base import BaseShape

from ..records import Page
from .base import DocumentError, Format, Read, TextBuilder
from .zips import open_package

MAX_GROUP_DEPTH = 32  # groups of groups: real decks nest two or three deep


def read(data: bytes, doc_id: str) -> Read:
    import pptx  # on first use: python-pptx takes ~0.2 s to import, which no other command needs

    open_package(data, doc_id, ".pptx").close()
    builder = TextBuilder()
    pages: list[Page] = []
    try:
        deck = pptx.Presentation(io.BytesIO(data))
        title = deck.core_properties.title or ""
        for number, slide in enumerate(deck.slides, start=1):
            start = builder.length + (2 if builder.parts else 0)
            heading = slide.shapes.title
            if heading is not None and heading.has_text_frame:
                builder.add([heading.text_frame.text], 1)
            for shape in _in_reading_order(slide.shapes, 0, doc_id):
                if heading is not None and shape.shape_id == heading.shape_id:
                    continue
                builder.add(list(_shape_lines(shape)))
            if slide.has_notes_slide:
                notes = slide.notes_slide.notes_text_frame
                if notes is not None and notes.text.strip():
                    builder.add(["Notes: " + notes.text])
            pages.append(Page(number, start, ""))
    except DocumentError:
        raise
    except Exception as err:
        # A damaged package fails anywhere inside python-pptx (a missing part, bad XML, a
        # wrong content type); whatever it is, the file is unreadable, not the server.
        raise DocumentError(f"{doc_id}: not a readable .pptx ({type(err).__name__})") from err
    read = builder.read(title)
    # A slide without text starts where the next one does: of pages at one offset, the last
    # holds the text; a slide with no text after the last text holds none.
    ends = [p.start for p in pages[1:]] + [len(read.text)]
    kept = [p for p, end in zip(pages, ends, strict=True) if p.start < end]
    return Read(read.text, kept, read.headings, read.title)


def _in_reading_order(shapes: Iterable[BaseShape], depth: int, doc_id: str) -> Iterator[BaseShape]:
    if depth > MAX_GROUP_DEPTH:
        raise DocumentError(f"{doc_id}: shapes grouped more than {MAX_GROUP_DEPTH} deep")
    from pptx.shapes.group import GroupShape  # imported by read() already

    placed = sorted(shapes, key=lambda s: (s.top or 0, s.left or 0))
    for shape in placed:
        if isinstance(shape, GroupShape):
            yield from _in_reading_order(shape.shapes, depth + 1, doc_id)
        else:
            yield shape


def _shape_lines(shape: BaseShape) -> Iterator[str]:
    if getattr(shape, "has_text_frame", False):
        for paragraph in shape.text_frame.paragraphs:  # type: ignore[attr-defined]
            yield paragraph.text
    elif getattr(shape, "has_table", False):
        for row in shape.table.rows:  # type: ignore[attr-defined]
            cells = [" ".join(cell.text.split()) for cell in row.cells]
            yield " | ".join(c for c in cells if c)


FORMATS = (Format("pptx", (".pptx",), read, locator="slide"),)
