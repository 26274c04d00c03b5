"""Cleaned PDF lines -> one text with its page map and headings, and the document's title.

Paragraphs are rebuilt from lines (end-of-line hyphens undone, wrapped lines joined); headings
are short title-like lines, never a code, formula, copyright or author line; the title is the
PDF's /Title when it is a real one, else the largest type on the first page.
"""

from __future__ import annotations

import re

from ..records import Heading, Page
from ..text import ends_sentence, is_list_item, looks_like_heading, normalise_line

# Characters that mark a line as code or a formula rather than a heading ("int main(void)",
# "x = a + b", "QUILT_PATCHES=debian/patches").
_CODE = re.compile(r"[(){}\[\];=<>|\\_*/#@$%^~`+]|->|::")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved", re.I)
_NAVIGATION = re.compile(r"^(?:table of contents|contents|index|list of \w+)$", re.I)
# "Chapter 2" alone names no section: the chapter's title follows it.
_PART_NUMBER = re.compile(r"^(?:chapter|part|appendix|section)\s+[\dA-Z]{1,4}\.?$", re.I)
# Words that head a part of many documents but name none of them.
_GENERIC = {
    "abstract",
    "appendix",
    "chapter",
    "contents",
    "description",
    "index",
    "introduction",
    "name",
    "note",
    "notes",
    "caution",
    "important",
    "tip",
    "warning",
    "preface",
    "synopsis",
    "table of contents",
}
# /Title values written by tools rather than authors.
_TOOL_TITLE = re.compile(
    r"^(?:untitled\d*|document\d*|microsoft (?:word|powerpoint) - .*|slide \d+|title|none|"
    r".*\.(?:dvi|tex|docx?|pdf|indd|qxd|rtf|odt|txt|ps))$",
    re.I,
)


def letters_share(line: str) -> float:
    return sum(c.isalpha() for c in line) / max(len(line.replace(" ", "")), 1)


def is_section_line(line: str, author: str = "") -> bool:
    """Whether a line may name a section: words, not code, a formula, a copyright or an author."""
    if _CODE.search(line) or _COPYRIGHT.search(line) or _NAVIGATION.match(line):
        return False
    if _PART_NUMBER.match(line):
        return False
    if letters_share(line) < 0.6 or "@" in line or "http" in line.lower():
        return False
    return not (author and line.lower() in author.lower())


def is_title(line: str, author: str = "") -> bool:
    """Whether a line may be a document's title: a section line naming more than a part."""
    words = line.split()
    bare = _NUMBERED.sub("", line).lower().rstrip(".:")  # "1. Introduction" -> "introduction"
    if not words or len(line) > 200 or bare in _GENERIC:
        return False
    return is_section_line(line, author) and sum(c.isalpha() for c in line) >= 4


def metadata_title(title: str, author: str) -> str:
    """The /Title entry when an author wrote it: not empty, a file name, or a tool's default."""
    title = normalise_line(title)
    if not title or _TOOL_TITLE.match(title) or (author and title == normalise_line(author)):
        return ""
    return title if is_title(title) or len(title.split()) >= 2 else ""


def join_lines(
    pages_lines: list[list[str]], labels: list[str], author: str = ""
) -> tuple[str, list[Page], list[Heading]]:
    """Rebuild paragraphs from PDF lines: undo end-of-line hyphenation and line wrapping."""
    all_text = "\n".join(x for lines in pages_lines for x in lines)
    words = {w.lower() for w in re.findall(r"\w+", all_text)}
    # \b: one attempt per word, not one per letter (a 100,000-letter "word" stays linear).
    compounds = {w.lower() for w in re.findall(r"\b\w+-\w+", all_text)}
    widths = sorted(len(x) for lines in pages_lines for x in lines)
    full_width = widths[int(len(widths) * 0.9)] if widths else 80
    parts: list[str] = []
    length = 0
    pages: list[Page] = []
    headings: list[Heading] = []
    prev: str | None = None
    prev_heading = False
    byline = _byline(pages_lines[0]) if pages_lines else set()
    for number, lines in enumerate(pages_lines, start=1):
        label = labels[number - 1] if number - 1 < len(labels) else str(number)
        pages.append(Page(number, length, label))
        for i, line in enumerate(lines):
            sep = "" if prev is None else _separator(prev, line, prev_heading, full_width)
            if sep == "" and prev is not None and _drop_hyphen(prev, line, words, compounds):
                parts[-1] = parts[-1][:-1]  # "coop-" + "eration" -> "cooperation"
                length -= 1
            parts.append(sep)
            length += len(sep)
            if i == 0:
                pages[-1] = Page(number, length, label)
            has_next = i + 1 < len(lines) or number < len(pages_lines)
            is_heading = sep != " " and has_next and _pdf_heading(line, full_width)
            if is_heading and is_section_line(line, author) and (number, i) not in byline:
                headings.append(Heading(length, length + len(line), line))
            parts.append(line)
            length += len(line)
            prev, prev_heading = line, is_heading
    return "".join(parts), pages, headings


_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?\s")
_NAME_LIKE = re.compile(r"^(?:[A-Z][\w'’.-]*\s?){2,4}$")


def _byline(first_page: list[str]) -> set[tuple[int, int]]:
    """(page 1, line) of the first page's author and affiliation lines: between the title and
    the first sentence or numbered heading, a line of two to four capitalised words ("Thomas
    Leonard") or one with an address."""
    out = set()
    for i, line in enumerate(first_page[1:], start=1):
        if ends_sentence(line) or _NUMBERED.match(line):
            break
        if _NAME_LIKE.match(line) or "@" in line or " at " in line or "http" in line:
            out.add((1, i))
    return out


# "7.12 How do I put a package on hold?": a numbered question heads a section of a FAQ.
_NUMBERED_QUESTION = re.compile(r"^\d+(?:\.\d+)+\.?\s+[A-Z][^.!]*\?$")


def _pdf_heading(line: str, full_width: int) -> bool:
    if _NUMBERED_QUESTION.match(line) and len(line.split()) <= 15:
        return True
    return looks_like_heading(line) and len(line) < 0.75 * full_width


def _separator(prev: str, line: str, prev_heading: bool, full_width: int) -> str:
    """What goes between two consecutive PDF lines: nothing, a space or a paragraph break."""
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and line[:1].islower():
        return ""  # a word broken at the line end, even in a heading ("build pack-" + "ages?")
    if prev_heading or is_list_item(line):
        return "\n\n"
    if _pdf_heading(line, full_width) and ends_sentence(prev):
        return "\n\n"
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha():
        return ""  # a word broken at the line end ("coop-" + "eration", "ADMM-" + "Plus")
    if ends_sentence(prev) and len(prev) < 0.75 * full_width:
        return "\n\n"
    return " "


def _drop_hyphen(prev: str, line: str, words: set[str], compounds: set[str]) -> bool:
    """Whether the hyphen ending `prev` only marks a line break rather than a compound word."""
    head = re.findall(r"(\w+)-$", prev)
    tail = re.findall(r"^\w+", line)
    if not head or not tail or not line[:1].islower():
        return False
    # Keep real compounds ("self-reliance") when the text never spells the word unbroken.
    return (head[0] + tail[0]).lower() in words or f"{head[0]}-{tail[0]}".lower() not in compounds


def choose_title(
    metadata: str, author: str, large_lines: list[str], headings: list[Heading], fallback: str
) -> str:
    """The PDF's /Title if real; else the first page's largest line(s); else the first heading
    that can be a title; else `fallback` (the file's name)."""
    title = metadata_title(metadata, author)
    if title:
        return title
    large = normalise_line(" ".join(large_lines))
    if large and is_title(large, author):
        return large
    for heading in headings:
        # A numbered heading ("2 Error handling") names a part, not the document.
        if is_title(heading.title, author) and not _NUMBERED.match(heading.title):
            return heading.title
    return fallback
