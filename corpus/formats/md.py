"""Markdown: plain text whose '#' headings become sections; inline markup loses its symbols."""

from __future__ import annotations

import re

from ..records import Heading
from ..text import normalise_text
from .base import Format, Read, decode_text


def read(data: bytes, doc_id: str) -> Read:
    text, headings = read_markdown(decode_text(data, doc_id))
    return Read(text, [], headings, "")


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# Bounded spans ({1,500}): an unclosed "[" or "*" must not make each opener scan the whole line.
_MD_IMAGE = re.compile(r"!\[([^\]]{0,500})\]\([^)]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]]{1,500})\]\([^)]{0,2000}\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.{1,500}?)\1|(?<![\w*])\*(?!\s)(.{1,500}?)(?<!\s)\*(?![\w*])")
_MD_CODE = re.compile(r"`([^`]+)`")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _strip_inline_markdown(line: str) -> str:
    line = _MD_IMAGE.sub(r"\1", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_CODE.sub(r"\1", line)
    return _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3), line)


def read_markdown(raw: str) -> tuple[str, list[Heading]]:
    """Markdown becomes plain text: headings lose their '#', inline markup its symbols."""
    raw = _HTML_COMMENT.sub("", raw)
    parts: list[str] = []  # lines and separators, in order; offsets are counted as they are added
    length = 0
    headings: list[Heading] = []
    blank = True  # no blank lines at the start, and never two in a row
    for line in normalise_text(raw).split("\n"):
        match = _MD_HEADING.match(line)
        line = _strip_inline_markdown(match.group(2) if match else line).strip()
        if not line:
            blank = True
            continue
        separator = "" if not parts else "\n\n" if blank else "\n"
        parts.append(separator)
        length += len(separator)
        if match:
            headings.append(Heading(length, length + len(line), line, len(match.group(1))))
        parts.append(line)
        length += len(line)
        blank = False
    return "".join(parts), headings


FORMATS = (Format("md", (".md", ".markdown"), read),)
