"""Plain text: paragraphs as they are; a one-line paragraph that reads like a title is a heading."""

from __future__ import annotations

from collections.abc import Iterable

from ..records import Heading
from ..text import looks_like_heading, normalise_text
from .base import Format, Read, decoded_blocks, first_line
from .columns import columns_marked


def read(data: bytes, doc_id: str) -> Read:
    text, headings = read_plain(columns_marked(decoded_blocks(data, doc_id)))
    return Read(text, [], headings, first_line(text))


def read_plain(raw: str | Iterable[str]) -> tuple[str, list[Heading]]:
    text = normalise_text(raw)
    headings = []
    start = 0
    # Paragraph by paragraph, not `text.split`: a list of every paragraph of a large file would
    # hold a second copy of its text.
    while (end := text.find("\n\n", start)) >= 0:
        # A heading is a one-line paragraph that reads like a title and is followed by more text.
        if text.find("\n", start, end) < 0 and looks_like_heading(para := text[start:end]):
            headings.append(Heading(start, end, para))
        start = end + 2
    return text, headings


FORMATS = (Format("txt", (".txt", ".text"), read),)
