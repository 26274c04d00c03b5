"""Text normalisation shared by the loaders: one place decides what "normalised text" means."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

# Control characters other than newline and tab carry no text and break JSON clients and terminals.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000]+")
# Line and paragraph separators other than "\n" (Unicode's, form feeds, NEL) become newlines.
_LINE_BREAKS = str.maketrans({"\r": "\n", "\v": "\n", "\f": "\n", "\x85": "\n", "\u2028": "\n"})
_LIST_ITEM = re.compile(r"^(\d{1,3}[.)]|\(?[a-z]\)|\(?[ivx]{1,4}\)|[•▪◦●\-–*])\s")
_TERMINAL = tuple(".!?:;\"'”’)")


def normalise_line(line: str) -> str:
    """NFKC (which also resolves ligatures such as "ﬁ"), no control characters, single spaces."""
    line = unicodedata.normalize("NFKC", line)
    line = _CONTROL.sub("", line)
    return _SPACES.sub(" ", line).strip()


# Characters of the source normalised at a time: a large file is never split into one list of
# all its lines, nor copied whole by each step; the steps run block by block instead (see
# `normalise_text`), which keeps reading a 50 MB text file's memory near twice its text.
BLOCK_CHARS = 1 << 20


def normalise_text(text: str | Iterable[str], block_chars: int = BLOCK_CHARS) -> str:
    """Normalise every line; paragraphs stay separated by exactly one blank line, and a
    paragraph broken mid-sentence is joined again. `text`: a string, or consecutive pieces of
    one (a file decoded a block at a time), normalised as their concatenation.

    The same as normalising the whole text in one pass, done on blocks of about `block_chars`
    characters each cut where no rule reaches across: between two non-blank lines, or before a
    non-blank line that follows exactly one blank line and does not start in lower case (so no
    run of blank lines to shorten and no broken paragraph to join spans the cut).
    """
    pieces: list[str] = []
    carry: list[str] = []
    blocks = _line_blocks(text, block_chars) if isinstance(text, str) else _whole_lines(text)
    for block in blocks:
        block = block.replace("\r\n", "\n").replace("\u2029", "\n\n").translate(_LINE_BREAKS)
        lines = carry + [normalise_line(line) for line in block.split("\n")]
        cut = _last_safe_cut(lines)
        if cut == 0:
            carry = lines
            continue
        pieces.append(_paragraphs("\n".join(lines[:cut])))
        carry = lines[cut:]
    if carry:
        pieces.append(_paragraphs("\n".join(carry)))
    # Blank lines at the very start and end go; the cuts fall between non-blank lines.
    while pieces and not pieces[0].strip("\n"):
        pieces.pop(0)
    while pieces and not pieces[-1].strip("\n"):
        pieces.pop()
    if not pieces:
        return ""
    pieces[0] = pieces[0].lstrip("\n")
    pieces[-1] = pieces[-1].rstrip("\n")
    return "\n".join(pieces)


def _line_blocks(text: str, block_chars: int) -> Iterator[str]:
    """`text` in consecutive blocks of whole lines (the newline ending a block is dropped, so
    "\\n".join of the blocks is `text`); a "\\r\\n" is never split."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start + block_chars)
        if end < 0:
            yield text[start:]
            return
        if end > start and text[end - 1] == "\r":  # "\r\n" ends the block: drop both
            yield text[start : end - 1]
        else:
            yield text[start:end]
        start = end + 1


def _whole_lines(pieces: Iterable[str]) -> Iterator[str]:
    """Consecutive pieces of a text as `_line_blocks` gives it: blocks of whole lines, the
    newline (or "\\r\\n") ending each dropped."""
    line: list[str] = []  # the pieces of a line not yet ended (a long line may span many)
    for piece in pieces:
        cut = piece.rfind("\n")
        if cut < 0:
            line.append(piece)
            continue
        block = "".join(line) + piece[:cut]
        yield block[:-1] if block.endswith("\r") else block
        line = [piece[cut + 1 :]]
    yield "".join(line)


def _last_safe_cut(lines: list[str]) -> int:
    """The last index i > 0 at which `lines` can be cut (see `normalise_text`), or 0."""
    for i in range(len(lines) - 1, 0, -1):
        line = lines[i]
        if not line:
            continue
        if lines[i - 1]:
            return i
        if i >= 2 and lines[i - 2] and not ("a" <= line[0] <= "z"):
            return i
    return 0


def _paragraphs(text: str) -> str:
    return _BROKEN_PARAGRAPH.sub(_join_broken, re.sub(r"\n{3,}", "\n\n", text))


# A blank line between "... the ASEAN Charter" and "in 2008, ASEAN declared ...": a paragraph
# broken mid-sentence by the file's author or converter.
_BROKEN_PARAGRAPH = re.compile(r"(?m)^([^#\n][^\n]*[\w,])\n\n(?=[a-z])")


def _join_broken(match: re.Match[str]) -> str:
    return match.group(1) + " "


def is_list_item(line: str) -> bool:
    return bool(_LIST_ITEM.match(line))


def ends_sentence(line: str) -> bool:
    return line.rstrip().endswith(_TERMINAL)


def looks_like_heading(line: str, max_words: int = 12) -> bool:
    """A short line that starts with a capital, has no closing punctuation, and is no list item."""
    words = line.split()
    if not words or len(words) > max_words or ends_sentence(line) or line.endswith(","):
        return False
    first = line.lstrip("0123456789.() ")[:1]
    return first.isupper() and not is_list_item(line)
