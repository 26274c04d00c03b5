"""HTML and XHTML (lxml): the main text without navigation, scripts or styles; h1-h6 become
sections, `<pre>` keeps its lines, a table row is a line of its cells, the `<title>` is the title.
The page's own header and footer are read when they hold text rather than a row of links.

Bounded: files over MAX_HTML_BYTES and elements nested deeper than MAX_DEPTH are refused, and the
tree is walked with an explicit stack, never by recursion.
"""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from .base import (
    DocumentError,
    Format,
    Read,
    TextBuilder,
    decode_text,
    looks_binary,
    unicode_encoding,
)

MAX_HTML_BYTES = 50 * 1024 * 1024  # the default upload limit; a page is rarely 1 % of it
# Real pages nest about 30 deep. libxml2 silently drops what lies deeper than 256 elements, or
# 2048 with its limits lifted (huge_tree): lifted, so the walk below sees the depth and says so.
MAX_DEPTH = 256

# Never text of the page: code, styling, embedded objects, and the site's navigation.
_SKIP = {
    "script", "style", "noscript", "template", "nav", "svg", "math", "iframe", "object",
    "embed", "canvas", "select", "button", "head", "audio", "video", "map",
}  # fmt: skip
# The page's own header and footer: a row of links there is the site's menu, but text there is
# often the page's facts (who runs it, the address, a telephone number, when it was updated).
_PAGE_CHROME = {"header", "footer"}
_MOSTLY_LINKS = 0.5  # the share of an element's characters inside links that makes it a menu
_CONTENT = {"main", "article", "section"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote",
    "figure", "figcaption", "address", "form", "fieldset", "details", "summary", "dl", "dt",
    "dd", "ul", "ol", "li", "table", "caption", "hr", "body", "center", "legend",
}  # fmt: skip
_LINES = {"li", "dt", "dd", "tr", "caption", "br"}  # each starts a new line of its block
_CELLS = {"td", "th"}
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def read(data: bytes, doc_id: str) -> Read:
    if len(data) > MAX_HTML_BYTES:
        raise DocumentError(
            f"{doc_id}: the page is larger than {MAX_HTML_BYTES // 2**20} MB; split it"
        )
    # Control characters carry no text, and libxml2 would turn a NUL into U+FFFD in the text.
    markup = _CONTROL.sub("", _XML_DECLARATION.sub("", _decode(data, doc_id)))
    if not markup.strip():
        raise DocumentError(f"{doc_id}: no text found in the file")
    try:
        # A parser per page: an lxml parser must not serve two threads at once.
        parser = lxml.html.HTMLParser(huge_tree=True)
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as err:
        raise DocumentError(f"{doc_id}: not readable HTML ({err})") from err
    title = root.findtext(".//title") or ""
    body = root.find("body")
    for main in [*root.xpath("//main | //*[@role='main']")[:1], None]:
        walker = _Walker(doc_id)
        if main is None:
            walker.walk(body if body is not None else root)
            break
        main_read = False
        for top in _around(main, root):
            before = len(walker.builder.parts)
            walker.walk(top)
            main_read = main_read or (top is main and len(walker.builder.parts) > before)
        if main_read:  # an empty <main>: the whole body instead
            break
    return walker.builder.read(title)


def _around(main: etree._Element, root: etree._Element) -> list[etree._Element]:
    """The main element and the page's own headers and footers that hold text, in page order."""
    order = {node: n for n, node in enumerate(root.iter())}
    chrome = [
        el
        for el in root.iter("header", "footer")
        if not any(a is main or a.tag in _CONTENT | _PAGE_CHROME for a in el.iterancestors())
        and main not in set(el.iterdescendants())
        and not _mostly_links(el)
    ]
    return sorted([main, *chrome], key=order.__getitem__)


def _mostly_links(el: etree._Element) -> bool:
    """A menu or a breadcrumb trail: most of its characters are the text of links."""
    total = len(_SPACE.sub("", el.text_content()))
    linked = sum(len(_SPACE.sub("", a.text_content())) for a in el.iter("a"))
    return total == 0 or linked >= _MOSTLY_LINKS * total


def _decode(data: bytes, doc_id: str) -> str:
    """The page's characters: a BOM or NUL pattern first, then a declared charset, then as text."""
    declared = _CHARSET.search(data[:4096])
    if declared is None or unicode_encoding(data) is not None:
        return decode_text(data, doc_id)
    try:
        codec = codecs.lookup(declared.group(1).decode("ascii")).name
    except LookupError:
        return decode_text(data, doc_id)
    if codec.startswith(("utf-16", "utf-32")):  # declared, yet no BOM and no NUL pattern
        return decode_text(data, doc_id)
    if looks_binary(data[:8192]):
        raise DocumentError(f"{doc_id}: binary data, not text")
    return data.decode(codec, errors="replace").removeprefix("\ufeff")


class _Walker:
    """Turns a tree into blocks of lines for a TextBuilder, in document order."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.builder = TextBuilder()
        self.lines: list[str] = []  # the lines of the block being read
        self.line: list[str] = []  # the pieces of the line being read
        self.heading = 0  # the level of the heading being read, 0 outside headings
        self.pre = 0  # depth inside <pre>: whitespace is kept
        self.cell = 0  # depth inside table cells: blocks inside a cell stay on its line

    def walk(self, top: etree._Element) -> None:
        # (element, depth, closing, inside an article): an explicit stack, so depth costs no
        # recursion; a closing entry runs the element's end and then its tail.
        stack: list[tuple[etree._Element, int, bool, bool]] = [(top, 0, False, False)]
        while stack:
            el, depth, closing, in_content = stack.pop()
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if closing:
                self._end(tag)
                self._text(el.tail)
                continue
            if depth > MAX_DEPTH:
                raise DocumentError(
                    f"{self.doc_id}: elements nested more than {MAX_DEPTH} deep; "
                    "not a page citeqa reads"
                )
            if not tag or self._skipped(el, tag, in_content):
                self._text(el.tail)  # comments and skipped elements: only what follows them
                continue
            self._start(tag)
            self._text(el.text)
            stack.append((el, depth, True, in_content))
            inner = in_content or tag in _CONTENT
            stack.extend((child, depth + 1, False, inner) for child in reversed(el))
        self._end_block()

    @staticmethod
    def _skipped(el: etree._Element, tag: str, in_content: bool) -> bool:
        if tag in _SKIP or (tag in _PAGE_CHROME and not in_content and _mostly_links(el)):
            return True
        attrs = el.attrib
        style = attrs.get("style", "").replace(" ", "").lower()
        return (
            "hidden" in attrs
            or attrs.get("aria-hidden") == "true"
            or attrs.get("role") == "navigation"
            or "display:none" in style
        )

    def _start(self, tag: str) -> None:
        if tag in _HEADINGS and not self.cell:
            self._end_block()
            self.heading = _HEADINGS[tag]
        elif tag == "pre":
            # a listing keeps its lines in a table's cell too: manuals set their listings in a
            # one-cell table for its shading
            if self.heading:
                self.line.append(" ")
            else:
                self._end_line()
            self.pre += 1
        elif tag in _CELLS:
            if self.cell == 0 and self.line and "".join(self.line).strip():
                self.line.append(" | ")
            self.cell += 1
        elif tag in _BLOCKS or tag in _LINES:
            self._break(tag)

    def _end(self, tag: str) -> None:
        if tag in _HEADINGS and self.heading and not self.cell:
            self._end_line()
            self.builder.add(self.lines, self.heading)
            self.lines, self.heading = [], 0
        elif tag == "pre":
            self._end_line()
            self.pre = max(self.pre - 1, 0)
        elif tag in _CELLS:
            self.cell = max(self.cell - 1, 0)
            self.line.append(" ")
        elif tag in _BLOCKS or tag in _LINES:
            self._break(tag)

    def _break(self, tag: str) -> None:
        """A new line (within a list, table or heading) or a new block (anything else)."""
        if self.cell or self.heading:
            self.line.append(" ")
        elif tag in _LINES or tag in ("tr", "pre"):
            self._end_line()
        else:
            self._end_block()

    def _text(self, text: str | None) -> None:
        if not text:
            return
        if self.pre and not self.heading:
            first, *rest = text.split("\n")
            self.line.append(first)
            for part in rest:
                self._end_line()
                self.line.append(part)
        else:
            self.line.append(_SPACE.sub(" ", text))

    def _end_line(self) -> None:
        line = "".join(self.line).strip(" |")
        self.line = []
        if line.strip():
            self.lines.append(line)

    def _end_block(self) -> None:
        self._end_line()
        self.builder.add(self.lines)
        self.lines = []


FORMATS = (Format("html", (".html", ".htm", ".xhtml", ".xht"), read),)
