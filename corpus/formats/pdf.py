"""PDF (pypdf): the text layer, page by page, with running headers dropped and wrapped lines and
hyphenated words joined again; every passage keeps its page."""

from __future__ import annotations

import io
import re
from collections import Counter

import pypdf
from pypdf.errors import DependencyError, PdfReadError

from ..records import Heading, Page
from ..text import ends_sentence, is_list_item, looks_like_heading, normalise_line
from .base import DocumentError, Format, Read


def read(data: bytes, doc_id: str) -> Read:
    """Text with its page map; headings are short title-like lines (PDFs rarely tag them)."""
    if b"%PDF-" not in data[:1024]:
        raise DocumentError(f"{doc_id}: not a PDF (no %PDF header)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as err:  # e.g. AES without the optional crypto library
                raise DocumentError(f"{doc_id}: the PDF is encrypted ({err})") from err
            if not opened:
                raise DocumentError(f"{doc_id}: the PDF is password-protected")
        raw_pages = [page.extract_text() or "" for page in reader.pages]
        labels = list(reader.page_labels)
        title = str(reader.metadata.get("/Title") or "") if reader.metadata else ""
    except DocumentError:
        raise
    except PdfReadError as err:
        raise DocumentError(f"{doc_id}: not a readable PDF ({err})") from err
    except DependencyError as err:  # pypdf needs a crypto library to even try the empty password
        raise DocumentError(f"{doc_id}: the PDF is encrypted; remove the encryption first") from err
    except Exception as err:
        # A damaged PDF can fail anywhere inside pypdf, with any exception type (stream filters,
        # reference loops, bad operators); whatever it is, the file is unreadable, not the server.
        raise DocumentError(f"{doc_id}: not a readable PDF ({type(err).__name__})") from err
    if not any(p.strip() for p in raw_pages):
        raise DocumentError(f"{doc_id}: the PDF has no text layer (scanned?); OCR is not supported")
    pages_lines = _drop_running_headers([_clean_lines(p) for p in raw_pages])
    text, pages, headings = _join_pdf_lines(pages_lines, labels)
    return Read(text, pages, headings, normalise_line(title))


def _clean_lines(page_text: str) -> list[str]:
    return [line for line in (normalise_line(x) for x in page_text.split("\n")) if line]


def _drop_running_headers(pages: list[list[str]]) -> list[list[str]]:
    """Remove page numbers and lines repeated at the top or bottom of most pages."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.lower())

    edges: Counter[str] = Counter()
    for lines in pages:
        edges.update({key(x) for x in lines[:2] + lines[-2:]})
    repeated = {k for k, n in edges.items() if len(pages) >= 3 and n >= 0.6 * len(pages)}
    page_number = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)
    cleaned = []
    for lines in pages:
        n = len(lines)
        cleaned.append(
            [
                x
                for i, x in enumerate(lines)
                if not ((i < 2 or i >= n - 2) and (key(x) in repeated or page_number.match(x)))
            ]
        )
    return cleaned


def _join_pdf_lines(
    pages_lines: list[list[str]], labels: list[str]
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
            if is_heading:
                headings.append(Heading(length, length + len(line), line))
            parts.append(line)
            length += len(line)
            prev, prev_heading = line, is_heading
    return "".join(parts), pages, headings


def _pdf_heading(line: str, full_width: int) -> bool:
    return looks_like_heading(line) and len(line) < 0.75 * full_width


def _separator(prev: str, line: str, prev_heading: bool, full_width: int) -> str:
    """What goes between two consecutive PDF lines: nothing, a space or a paragraph break."""
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


FORMATS = (Format("pdf", (".pdf",), read, locator="page"),)
