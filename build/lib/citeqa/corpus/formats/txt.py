"""Plain text: paragraphs as they are; a one-line paragraph that reads like a title is a heading."""

from __future__ import annotations

from ..records import Heading
from ..text import looks_like_heading, normalise_text
from .base import Format, Read, decode_text, first_line


def read(data: bytes, doc_id: str) -> Read:
    text, headings = read_plain(decode_text(data, doc_id))
    return Read(text, [], headings, first_line(text))


def read_plain(raw: str) -> tuple[str, list[Heading]]:
    text = normalise_text(raw)
    headings = []
    offset = 0
    paragraphs = text.split("\n\n")
    for i, para in enumerate(paragraphs):
        # A heading is a one-line paragraph that reads like a title and is followed by more text.
        if "\n" not in para and i + 1 < len(paragraphs) and looks_like_heading(para):
            headings.append(Heading(offset, offset + len(para), para))
        offset += len(para) + 2
    return text, headings


FORMATS = (Format("txt", (".txt", ".text"), read),)
