"""Files -> `Document`: .txt, .md and .pdf read into normalised text, a page map and headings."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pypdf
from pypdf.errors import DependencyError, PdfReadError

from .records import Document, Heading, Page
from .text import ends_sentence, is_list_item, looks_like_heading, normalise_line, normalise_text

# Bumped whenever a change here alters the text read from an unchanged file: an index made by
# another loader version re-reads every file (and re-embeds those whose text changed).
LOADER_VERSION = 1

SUPPORTED_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf"}


class DocumentError(ValueError):
    """A file that cannot be turned into a document; the message says why, in one line."""


class UnsupportedType(DocumentError):
    """The file's name says it is not .txt, .md or .pdf."""


def load_document(path: Path, doc_id: str | None = None) -> Document:
    """Load one file. `doc_id` defaults to the file name."""
    doc_id = doc_id or path.name
    kind_of(doc_id)  # refuse an unsupported type before reading the file
    return parse_document(path.read_bytes(), doc_id)


def kind_of(doc_id: str) -> str:
    """ "txt", "md" or "pdf", from the name's suffix; DocumentError for anything else."""
    suffix = PurePosixPath(doc_id).suffix.lower()
    kind = SUPPORTED_SUFFIXES.get(suffix)
    if kind is None:
        raise UnsupportedType(
            f"{doc_id}: unsupported file type {suffix or '(none)'!r} "
            f"(supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"
        )
    return kind


def parse_document(data: bytes, doc_id: str) -> Document:
    """A document from a file's bytes; its type comes from the suffix of `doc_id`."""
    kind = kind_of(doc_id)
    sha = hashlib.sha256(data).hexdigest()
    if kind == "pdf" and b"%PDF-" not in data[:1024]:
        raise DocumentError(f"{doc_id}: not a PDF (no %PDF header)")
    if kind != "pdf" and data.lstrip()[:5] == b"%PDF-":
        raise DocumentError(f"{doc_id}: the content is a PDF; give it a .pdf name")
    if kind != "pdf" and _looks_binary(data[:8192]):
        raise DocumentError(f"{doc_id}: binary data, not text")
    if kind == "pdf":
        text, pages, headings, title = _read_pdf(data, doc_id)
    else:
        raw = _decode(data)
        text, headings = _read_markdown(raw) if kind == "md" else _read_plain(raw)
        pages, title = [], "" if kind == "md" else _first_line(text)
    if not text.strip():
        raise DocumentError(f"{doc_id}: no text found in the file")
    stem = PurePosixPath(doc_id).stem
    title = title or (headings[0].title if headings else "") or _first_line(text) or stem
    return Document(doc_id, title, text, sha, kind, pages, headings)


def iter_corpus_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, document id) for every supported file under `root`, skipping hidden files."""
    if root.is_file():
        yield root, root.name
        return
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path, rel.as_posix()


@dataclass(frozen=True)
class Unchanged:
    """A file whose bytes hash as already indexed: not parsed again."""

    id: str
    sha256: str


def load_corpus(
    roots: Iterable[Path], known: Mapping[str, str] | None = None
) -> Iterator[Document | Unchanged | DocumentError]:
    """Every document under the given folders or files; unreadable files yield their error.

    A file whose bytes hash as `known` says (doc id -> sha256 of what is indexed) is not
    parsed again: `Unchanged` is yielded instead.
    """
    known = known or {}
    for root in roots:
        for path, doc_id in iter_corpus_files(root):
            try:
                data = path.read_bytes()
                sha256 = hashlib.sha256(data).hexdigest()
                if known.get(doc_id) == sha256:
                    yield Unchanged(doc_id, sha256)
                else:
                    yield parse_document(data, doc_id)
            except DocumentError as err:
                yield err
            except OSError as err:
                yield DocumentError(f"{doc_id}: cannot read the file ({err.strerror})")


_BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))


def _looks_binary(head: bytes) -> bool:
    """More than 5 % control bytes: an image or archive renamed .txt, not text with a stray NUL."""
    return bool(head) and sum(head.count(b) for b in _BINARY_BYTES) > 0.05 * len(head)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Not UTF-8: Windows-1252 decodes every byte and is the commonest legacy encoding of text.
        return data.decode("cp1252", errors="replace")


def _first_line(text: str) -> str:
    line = text.lstrip().split("\n", 1)[0]
    return line if len(line) <= 150 else ""


# --- plain text and Markdown -------------------------------------------------------------------


def _read_plain(raw: str) -> tuple[str, list[Heading]]:
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


def _read_markdown(raw: str) -> tuple[str, list[Heading]]:
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


# --- PDF ---------------------------------------------------------------------------------------


def _read_pdf(data: bytes, doc_id: str) -> tuple[str, list[Page], list[Heading], str]:
    import io

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
    return text, pages, headings, normalise_line(title)


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
