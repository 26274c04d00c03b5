"""Lines of PDF pages cleaned of what is not the document's prose: running headers and footers,
page numbers, contents and index pages; and repaired where typesetting lost characters (words
broken at the line end, underscores drawn as rules, letter-spaced code).

Every function takes and returns pages as lists of lines; nothing here counts offsets (the
joining in `pdf_layout` does), so any line may be dropped or rewritten.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from ..text import normalise_line

# pdfium writes a hyphen that ends a line as U+FFFE (U+0002 in its bounded text), followed by
# the line break or, when it joined the lines itself, by the rest of the word. It becomes "-"
# and a line break again, so that the joining decides, as for any line-end hyphen, between
# "coop-eration" (one word) and "self-reliance" (a compound). A soft hyphen (U+00AD) only ever
# marks where a word may break.
_PDFIUM_HYPHEN = re.compile("[\ufffe\x02](?:\r?\n)?")
_SOFT_HYPHEN = re.compile("\u00ad(?:\r?\n)?")
# Five or more single characters apart, as letter-spaced typewriter code comes out ("i n t  b l
# o c k s"): one space inside a word, two between words.
_LETTER_SPACED = re.compile(r"(?<!\S)\S(?: {1,2}\S(?!\S)){4,}")


def page_lines(page_text: str) -> list[str]:
    """A page's text as normalised, non-empty lines, with line-end hyphens undone."""
    text = _SOFT_HYPHEN.sub("", page_text)
    text = _PDFIUM_HYPHEN.sub("-\n", text).replace("\r\n", "\n").replace("\r", "")
    lines = (_unspace(x) for x in text.split("\n"))
    return [line for line in (normalise_line(x) for x in lines) if line]


def _unspace(line: str) -> str:
    def join(match: re.Match[str]) -> str:
        return " ".join(word.replace(" ", "") for word in re.split(r" {2,}", match.group(0)))

    return _LETTER_SPACED.sub(join, line)


# --- running headers, footers and page numbers -------------------------------------------------

_EDGE = 2  # lines at the top and at the bottom of a page where running heads sit
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?(\d{1,4}|[ivxlc]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_NUMBER_AT_END = re.compile(r"^(.*\D)\s(\d{1,4})$")
_NUMBER_AT_START = re.compile(r"^(\d{1,4})\s(\D.*)$")


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _is_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _first_word(line: str) -> str:
    return _key(line.split(" ", 1)[0])


def _edge(lines: list[str]) -> set[int]:
    n = len(lines)
    return {i for i in range(n) if i < _EDGE or i >= n - _EDGE}


def _number_of(line: str, repeated_rests: set[str]) -> int | None:
    """The page number a running head carries: at its end ("Chapter 2: Naming 3"), or at its
    start when the rest recurs on other pages ("12 Results"; a numbered section heading such
    as "2 Error handling" does not recur)."""
    match = _NUMBER_AT_END.match(line)
    if match:
        return int(match.group(2))
    match = _NUMBER_AT_START.match(line)
    if match and _key(match.group(2)) in repeated_rests:
        return int(match.group(1))
    return None


def drop_running_lines(pages: list[list[str]], labels: list[str]) -> list[list[str]]:
    """Remove page-number lines and running heads from the edges of every page.

    A running head is a line whose text (digits aside) recurs at the edges of at least three
    pages and a tenth of them (a chapter's title over its pages), a line in capitals whose first
    word recurs so in capitals (a chapter and section title that changes with the section), or a
    line at an edge that
    carries its page's number: the printed label, or the physical number shifted by the offset
    most such lines share (front matter makes "Chapter 4: Function reference 20" sit on
    physical page 24).
    """
    counts: Counter[str] = Counter()
    rests: Counter[str] = Counter()
    for lines in pages:
        counts.update({_key(lines[i]) for i in _edge(lines)})
        rests.update(
            {_key(m.group(2)) for i in _edge(lines) if (m := _NUMBER_AT_START.match(lines[i]))}
        )
    repeated = {k for k, n in counts.items() if n >= 3 and n >= 0.1 * len(pages)}
    capitals: Counter[str] = Counter()
    for lines in pages:
        capitals.update({_first_word(lines[i]) for i in _edge(lines) if _is_capitals(lines[i])})
    repeated_capitals = {k for k, n in capitals.items() if n >= 3 and n >= 0.1 * len(pages)}
    repeated_rests = {k for k, n in rests.items() if n >= 2}
    offsets: Counter[int] = Counter()
    for index, lines in enumerate(pages):
        offsets.update(
            {
                number - index
                for i in _edge(lines)
                if (number := _number_of(lines[i], repeated_rests)) is not None
            }
        )
    common = [off for off, n in offsets.most_common(2) if n >= 3 and n >= 0.2 * len(pages)]

    def running(line: str, index: int) -> bool:
        if _PAGE_NUMBER.match(line) or _key(line) in repeated:
            return True
        if _is_capitals(line) and _first_word(line) in repeated_capitals:
            return True  # "CHAPTER 1. DEFINITIONS AND OVERVIEW 1.3. OK, NOW I KNOW WHAT..."
        number = _number_of(line, repeated_rests)
        label = labels[index] if index < len(labels) else ""
        if number is None:
            return False
        return str(number) == label or number - index in common

    return [
        [x for i, x in enumerate(lines) if not (i in _edge(lines) and running(x, index))]
        for index, lines in enumerate(pages)
    ]


# --- contents and index pages ------------------------------------------------------------------

# "2.3 Simple parsing. . . . . . . 4", "asn1_perror . . . . 33", "Naming.........3"
_LEADER = re.compile(r"(?:\.\s?){4,}\s*[\dIVXLCivxlc]{1,6}\s*$")
# A back-of-book index entry or contents line without leaders: "asn1_perror, 33, 35",
# "1 Definitions and overview 1".
_LOCATOR = re.compile(r"^\S.{0,80}?[\w)\]”\"'’][,:]?\s+\d{1,4}(?:\s*[,–-]\s*\d{1,4})*$")
# "Contents", "Function and Data Index", "List of Tables"; and an index's letter groups ("A").
_NAVIGATION_TITLE = re.compile(
    r"^(?:(?:table of )?contents|(?:\w+ ){0,3}index|list of \w+|\w|symbols|numerics?)$", re.I
)


@dataclass(frozen=True)
class Navigation:
    """What `drop_navigation` removed: whole index pages (1-based) and contents lines."""

    pages: list[int]
    lines: int


def is_index_page(lines: list[str], page_count: int) -> bool:
    """A contents or index page without dot leaders: mostly lines that end in page numbers.

    They must also point inside the document and run in order (a contents page by page number,
    an index alphabetically), so that a table of figures is not taken for an index.
    """
    located = [x for x in lines if _LOCATOR.match(x)]
    titled = any(_NAVIGATION_TITLE.match(x) for x in lines[:3])
    if len(located) < 5 or len(located) < (0.4 if titled else 0.7) * len(lines):
        return False
    numbers = [int(re.findall(r"\d+", x)[-1]) for x in located]
    if max(numbers) > page_count + 20:
        return False
    firsts = [x[:1].lower() for x in located]
    return _mostly_ordered(numbers) or _mostly_ordered(firsts)


def _mostly_ordered(values: list[int] | list[str]) -> bool:
    steps = list(pairwise(values))  # type: ignore[arg-type]
    return sum(a <= b for a, b in steps) >= 0.8 * len(steps)  # type: ignore[operator]


def _leader_blocks(lines: list[str]) -> set[int]:
    """The lines of contents blocks: dot-leader lines, what lies between two of them at most
    three lines apart (an entry set on two lines), and next to them titles ("Table of
    Contents"), an index's letter groups and entries without leaders ("1 Introduction 1")."""
    marked = [i for i, x in enumerate(lines) if _LEADER.search(x)]
    blocks: list[list[int]] = []
    for i in marked:
        if blocks and i - blocks[-1][1] <= 3:
            blocks[-1][1] = i
        else:
            blocks.append([i, i])
    out: set[int] = set()
    for first, last in blocks:
        # Widen over titles, letter groups and entries without leaders on either side.
        while first > 0 and _is_navigation_line(lines[first - 1]):
            first -= 1
        while last + 1 < len(lines) and _is_navigation_line(lines[last + 1]):
            last += 1
        out.update(range(first, last + 1))
    return out


def _is_navigation_line(line: str) -> bool:
    return bool(_NAVIGATION_TITLE.match(line) or _LOCATOR.match(line))


def drop_navigation(pages: list[list[str]]) -> tuple[list[list[str]], Navigation]:
    """Contents blocks (dot leaders) removed from every page, and index pages emptied.

    They are kept out of the text, not only ranked lower: such a line repeats a heading that the
    text has anyway, plus a page number, and in a search it beats the passage it points at
    ("asn1_perror . . . 33" for "What does asn1_perror do?"). The text around them on the same
    page stays (a chapter's own contents above its first section), and every page keeps its
    place in the page map.
    """
    emptied: list[int] = []
    out: list[list[str]] = []
    dropped = 0
    for number, lines in enumerate(pages, start=1):
        if is_index_page(lines, len(pages)):
            emptied.append(number)
            out.append([])
            continue
        gone = _leader_blocks(lines)
        dropped += len(gone)
        out.append([x for i, x in enumerate(lines) if i not in gone])
    return out, Navigation(emptied, dropped)


# --- identifiers whose underscores were drawn, not typed ---------------------------------------

_IDENTIFIER = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")


def restore_underscores(pages: list[list[str]]) -> list[list[str]]:
    """ "asn1 perror" -> "asn1_perror" where the document spells that identifier elsewhere.

    TeX fonts without an underscore draw it as a rule, which text extraction reads as a space.
    The spaced form is taken for the identifier anywhere when the identifier is unmistakable
    (a digit, three or more parts, or capitals: "asn1_perror", "BZ_DATA_ERROR"), and otherwise
    only as a whole line or a line's leading "name:" (a function heading, a parameter list).
    """
    found = {m.group(0) for lines in pages for x in lines for m in _IDENTIFIER.finditer(x)}
    if not found:
        return pages
    anywhere: dict[str, str] = {}
    leading: dict[str, str] = {}
    for ident in found:
        parts = ident.split("_")
        if not all(parts):
            continue
        spaced = " ".join(parts)
        distinct = any(c.isdigit() for c in ident) or len(parts) >= 3 or ident.isupper()
        (anywhere if distinct else leading)[spaced] = ident
    everywhere = _alternation(anywhere, r"(?<![\w_])(?:{})(?![\w_])")
    at_start = _alternation(leading, r"^(?:{})(?=:|$)")

    def fix(line: str) -> str:
        if everywhere is not None:
            line = everywhere.sub(lambda m: anywhere[m.group(0)], line)
        if at_start is not None:
            line = at_start.sub(lambda m: leading[m.group(0)], line)
        return line

    return [[fix(x) for x in lines] for lines in pages]


def _alternation(forms: dict[str, str], template: str) -> re.Pattern[str] | None:
    if not forms:
        return None
    # Longest first, so "asn1 get tag der" wins over a shorter identifier it contains.
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile(template.format("|".join(re.escape(f) for f in ordered)))
