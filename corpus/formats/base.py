"""What every format module shares: the errors, the record a reader returns, text decoding, and a
builder that counts offsets while it joins blocks of text."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..records import Heading, Page
from ..text import normalise_line


class DocumentError(ValueError):
    """A file that cannot be turned into a document; the message says why, in one line."""


class UnsupportedType(DocumentError):
    """The file's name has no suffix that a format reads."""


@dataclass
class Read:
    """What a format reads from a file: normalised text and what locates a place in it.

    `title` may be empty; the loader then takes the first heading, line or the file name.
    `metadata` holds what a format declares about the file beside its text (a Markdown file's
    front matter), top-level keys and their values as text.
    """

    text: str
    pages: list[Page] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    title: str = ""
    metadata: dict[str, str | list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Format:
    """One file format: the suffixes that name it (lower case, with the dot), the kind recorded
    on its documents, and its reader of a file's bytes."""

    kind: str
    suffixes: tuple[str, ...]
    read: Callable[[bytes, str], Read]
    # how a place in this format is cited: "page", "slide", "row" or "section"
    locator: str = "section"


# Within a line given to TextBuilder, any line or paragraph separator is a space.
_BREAKS = str.maketrans({c: " " for c in "\r\n\v\f\x85\u2028\u2029"})


class TextBuilder:
    """Blocks joined into one text: a blank line between paragraphs, a newline between the lines
    of one block; every heading's offsets are counted as it is added, so they are exact."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.headings: list[Heading] = []

    def add(self, lines: list[str], heading_level: int = 0) -> None:
        """A block of lines (normalised here; empty ones dropped); a heading is one line."""
        kept = [x for x in (normalise_line(line.translate(_BREAKS)) for line in lines) if x]
        if not kept:
            return
        if heading_level:
            kept = [" ".join(kept)]
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        block = "\n".join(kept)
        if heading_level:
            self.headings.append(
                Heading(self.length, self.length + len(block), block, heading_level)
            )
        self.parts.append(block)
        self.length += len(block)

    def read(self, title: str = "") -> Read:
        return Read("".join(self.parts), [], self.headings, normalise_line(title))


# --- bytes -> str -------------------------------------------------------------------------------

_BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))
# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def looks_binary(head: bytes) -> bool:
    """More than 5 % control bytes: an image or archive renamed .txt, not text with a stray NUL."""
    return bool(head) and sum(head.count(b) for b in _BINARY_BYTES) > 0.05 * len(head)


def unicode_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, bytes to skip) for text in UTF-16 or UTF-32: by its byte-order mark, or, without
    one, UTF-16 by its NUL bytes: Latin-script UTF-16 has a NUL in every other byte, on one side.
    None for anything else (UTF-8 included)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return (codec, len(bom)) if codec != "utf-8" else None
    head = data[:8192]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    # At least 30 % of the characters ASCII, and NULs on one side only: text, not an image.
    if odd >= 0.3 * pairs and even <= 0.01 * pairs:
        return "utf-16-le", 0
    if even >= 0.3 * pairs and odd <= 0.01 * pairs:
        return "utf-16-be", 0
    return None


def decode_text(data: bytes, doc_id: str) -> str:
    """A text file's characters: UTF-16/32 (see `unicode_encoding`), else UTF-8, else cp1252.

    DocumentError for a PDF under a text name and for binary data.
    """
    if data.lstrip()[:5] == b"%PDF-":
        raise DocumentError(f"{doc_id}: the content is a PDF; give it a .pdf name")
    wide = unicode_encoding(data)
    if wide is not None:
        codec, skip = wide
        text = data[skip:].decode(codec, errors="replace")
        head = text[:4096]
        odd = sum(1 for c in head if c == "\ufffd" or (c < " " and c not in "\t\n\r\f\v"))
        if odd > 0.05 * len(head):
            raise DocumentError(f"{doc_id}: binary data, not text")
        return text
    if looks_binary(data[:8192]):
        raise DocumentError(f"{doc_id}: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Not UTF-8: Windows-1252 decodes every byte and is the commonest legacy encoding of text.
        return data.decode("cp1252", errors="replace")


# Bytes decoded at a time by `decoded_blocks`.
DECODE_BLOCK_BYTES = 1 << 20


def decoded_blocks(
    data: bytes, doc_id: str, block_bytes: int = DECODE_BLOCK_BYTES
) -> Iterator[str]:
    """`decode_text(data, doc_id)` in consecutive pieces ("".join of them is that text), each
    from about `block_bytes` bytes: a large file's whole text is never held beside its bytes
    (for a 50 MB file of mostly ASCII with some wider characters, 100 MB less at the peak of
    reading it). Wide encodings and small files come as one piece."""
    if len(data) <= block_bytes or unicode_encoding(data) is not None:
        yield decode_text(data, doc_id)
        return
    decode_text(data[:8192], doc_id)  # a PDF or binary data is refused as decode_text would
    codec = "utf-8-sig" if _is_utf8(data, block_bytes) else "cp1252"
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    view = memoryview(data)
    for start in range(0, len(view), block_bytes):
        yield decoder.decode(view[start : start + block_bytes], start + block_bytes >= len(view))


def _is_utf8(data: bytes, block_bytes: int) -> bool:
    """Whether `data` decodes as UTF-8, checked a block at a time (the text is dropped)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), block_bytes):
            decoder.decode(view[start : start + block_bytes], start + block_bytes >= len(view))
    except UnicodeDecodeError:
        return False
    return True


def first_line(text: str) -> str:
    line = text.lstrip().split("\n", 1)[0]
    return line if len(line) <= 150 else ""
