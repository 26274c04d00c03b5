"""Markdown (markdown-it-py, CommonMark with GFM tables): the text a reader sees, as blocks.

- ATX ("# Title") and setext (underlined) headings are sections; a "#" line inside fenced or
  indented code is code, kept as text, never a heading.
- Inline markup loses its symbols; inline HTML loses its tags (its text stays); an HTML block is
  read by the HTML reader (html.py), so only its text remains.
- A link made only of images (a badge such as "[![build](…)](…)") is dropped; a lone image keeps
  its alt text. Link-reference definitions ("[id]: https://…") are not text.
- A list is one block, a line per item (nested items too) starting with its marker as written
  ("- ", "2. "); a table row is a line of its cells joined by " | "; a paragraph keeps its line
  breaks.
- YAML front matter (a YAML mapping between "---" lines at the top) is not text; the loader
  reads it as the document's metadata and title (corpus/metadata.py).
- A paragraph broken mid-sentence (one ending in a letter or comma, the next starting in lower
  case) is joined again with a space, as `text.normalise_text` does for plain text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from ..text import normalise_line, normalise_text
from .base import DocumentError, Format, Read, TextBuilder, decode_text
from .html import read as read_html

PIECE_CHARS = 100_000
PARSE_BUDGET_S = 10.0
MAX_LINK_OPENERS = 10_000  # per piece; 25,000 balanced links parse in 0.3 s
MAX_UNCLOSED_BRACKETS = 200
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BROKEN_END = re.compile(r"[\w,]$")


def read(data: bytes, doc_id: str) -> Read:
    return read_markdown(decode_text(data, doc_id).replace("\x00", ""), doc_id)


def _parser(first: bool, links: bool) -> MarkdownIt:
    # A parser per call: cheap (about 0.1 ms), and no state is shared between threads. Front
    # matter can only open the file: a later piece starting with "---" is a thematic break.
    parser = MarkdownIt("commonmark").enable("table")
    if not links:
        parser.disable(["link", "image"])
    return parser.use(front_matter_plugin) if first else parser


def _bracket_flood(piece: str) -> bool:
    """Whether link parsing would crawl: markdown-it-py scans ahead from every "[" for its "]",
    so 100,000 unclosed openers take seconds. Real link lists close their brackets and hold a
    few thousand links per piece; a flood leaves hundreds open or piles up tens of thousands."""
    opened = piece.count("[")
    return opened > MAX_LINK_OPENERS or opened - piece.count("]") > MAX_UNCLOSED_BRACKETS


def read_markdown(raw: str, doc_id: str = "", budget_s: float = PARSE_BUDGET_S) -> Read:
    """Markdown source -> its text, headings (exact offsets), title and front matter.

    The source is parsed in pieces of at most PIECE_CHARS, cut at blank lines outside fenced
    code, sharing one environment (a reference defined in an earlier piece serves later ones).
    markdown-it-py reads prose at about 1 MB/s but pathological markup (100,000 "[" or table
    rows) at some 30 KB/s: once parsing has taken `budget_s`, the remaining pieces are read as
    plain paragraphs, so any file is read in bounded time. A piece flooded with "[" is read
    with its brackets as text, not links (`_bracket_flood`).
    """
    walker = _Walker(doc_id)
    env: dict[str, object] = {}
    deadline = time.monotonic() + budget_s
    for i, piece in enumerate(_pieces(raw)):
        if time.monotonic() < deadline:
            parser = _parser(first=i == 0, links=not _bracket_flood(piece))
            walker.walk(parser.parse(piece, env))
        else:
            walker.plain(piece)
    read = walker.builder.read()
    return read


def _pieces(raw: str) -> list[str]:
    """`raw` cut into pieces of about PIECE_CHARS at blank lines outside fenced code. Fenced code
    is never cut (markdown-it reads it fast, line by line); a run of text with no blank line is
    cut at a line start, or, a single line, anywhere."""
    pieces: list[str] = []
    start = position = 0
    cut = -1  # a place to cut in the current piece: after a blank line or a closing fence
    fence = ""  # the open fence's marker, "" outside fenced code
    while position < len(raw):
        newline = raw.find("\n", position)
        end = len(raw) if newline < 0 else newline + 1
        line, before = raw[position:end], fence
        opener = _FENCE.match(line)
        if opener and (not fence or opener.group(1).startswith(fence)):
            fence = "" if fence else opener.group(1)
            cut = end if not fence else cut
        elif not fence and not line.strip():
            cut = end
        if end - start <= PIECE_CHARS or (fence and cut <= start):
            position = end
            continue
        if cut > start:
            at, fence = cut, ""  # a cut is only ever made outside a fence
        elif position > start:
            at, fence = position, before
        else:
            at, fence = start + PIECE_CHARS, before
        pieces.append(raw[start:at])
        start = position = at  # the lines after the cut are scanned again
        cut = -1
    pieces.append(raw[start:])
    return [p for p in pieces if p]


class _Walker:
    """Block tokens in order -> TextBuilder blocks; inline tokens -> lines of plain text."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.builder = TextBuilder()
        self.lists = 0  # depth inside lists: their paragraphs are lines of one block
        self.list_lines: list[str] = []
        self.marker = ""  # the marker of the list item whose first line is next
        self.in_table = False
        self.rows: list[str] = []  # a table's rows
        self.cells: list[str] = []  # the row being read
        # The last paragraph, held back in case the next one continues its sentence.
        self.paragraph: list[str] = []

    def walk(self, tokens: Sequence[Token]) -> None:
        heading = 0
        for token in tokens:
            kind = token.type
            if kind == "front_matter":
                # Front matter is data, kept out of the text (corpus/metadata.py reads it); an
                # opening block that is no YAML mapping is a page's rule around text: text.
                if not _is_mapping(token.content):
                    self.plain(token.content)
            elif kind == "heading_open" and not (self.lists or self.in_table):
                self._flush()
                heading = int(token.tag[1])  # inside a list, a heading is one of its lines
            elif kind == "heading_close":
                heading = 0
            elif kind == "inline":
                lines = _inline_lines(token.children or [])
                if heading:
                    self.builder.add(lines, heading)
                elif self.in_table:
                    self.cells.append(" ".join(lines))
                elif self.lists:
                    self.list_lines.append(self.marker + " ".join(lines))
                    self.marker = ""
                else:
                    self._paragraph(lines)
            elif kind in ("bullet_list_open", "ordered_list_open"):
                if not self.lists:
                    self._flush()
                self.lists += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists -= 1
                if not self.lists:
                    self.builder.add(self.list_lines)
                    self.list_lines = []
            elif kind == "list_item_open":
                # The item's marker as written ("- ", "3. "), so the line reads as in the file.
                self.marker = f"{token.info}{token.markup} "
            elif kind in ("fence", "code_block"):
                self._code(token.content.split("\n"))
            elif kind == "html_block":
                self._code(self._html_text(token.content).split("\n"))
            elif kind == "table_open":
                self._flush()
                self.in_table = True
            elif kind == "tr_close":
                self.rows.append(" | ".join(c for c in self.cells if c))
                self.cells = []
            elif kind == "table_close":
                self.builder.add(self.rows)
                self.rows, self.in_table = [], False
            elif kind in ("hr", "blockquote_open", "blockquote_close"):
                self._flush()
        self._flush()

    def plain(self, piece: str) -> None:
        """A piece read without the parser: its paragraphs as they are."""
        for paragraph in normalise_text(piece).split("\n\n"):
            self._paragraph(paragraph.split("\n"))
        self._flush()

    def _paragraph(self, lines: list[str]) -> None:
        kept = [x for x in (normalise_line(line) for line in lines) if x]
        if not kept:
            return
        if self.paragraph and _BROKEN_END.search(self.paragraph[-1]) and kept[0][:1].islower():
            self.paragraph[-1] += " " + kept[0]
            self.paragraph.extend(kept[1:])
            return
        self._flush()
        self.paragraph = kept

    def _code(self, lines: list[str]) -> None:
        if self.lists:
            self.list_lines.extend(lines)
        else:
            self._flush()
            self.builder.add(lines)

    def _flush(self) -> None:
        self.builder.add(self.paragraph)
        self.paragraph = []

    def _html_text(self, markup: str) -> str:
        if not markup.strip():
            return ""
        try:
            return read_html(markup.encode("utf-8"), self.doc_id).text
        except DocumentError:
            return ""  # markup with no text, or too deeply nested to read: not text either way


def _inline_lines(children: Sequence[Token]) -> list[str]:
    """An inline token's text, split at its line breaks; badges and tags dropped."""
    out: list[str] = []
    links: list[tuple[int, bool]] = []  # (where the link's text starts in `out`, has images)
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "image":
            if links:
                links[-1] = (links[-1][0], True)
            else:
                out.append(child.content)  # the alt text
        elif kind == "link_open":
            links.append((len(out), False))
        elif kind == "link_close" and links:
            start, images = links.pop()
            if images and not "".join(out[start:]).strip():
                del out[start:]  # a badge: nothing but images
    return "".join(out).split("\n")


def _is_mapping(block: str) -> bool:
    try:
        return isinstance(yaml.safe_load(block), dict)
    except yaml.YAMLError:
        return False


FORMATS = (Format("md", (".md", ".markdown"), read),)
