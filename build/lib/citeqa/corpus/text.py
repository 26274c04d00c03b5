"""Text normalisation shared by the loaders: one place decides what "normalised text" means."""

from __future__ import annotations

import re
import unicodedata

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


def normalise_text(text: str) -> str:
    """Normalise every line; paragraphs stay separated by exactly one blank line."""
    text = text.replace("\r\n", "\n").replace("\u2029", "\n\n").translate(_LINE_BREAKS)
    lines = [normalise_line(line) for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return _BROKEN_PARAGRAPH.sub(_join_broken, text)


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
