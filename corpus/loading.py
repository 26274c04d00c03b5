"""Files -> `Document`: each file read by the format its name's suffix names (`formats/`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .formats import BY_SUFFIX, DocumentError, Format, UnsupportedType, matching_suffix
from .formats.base import first_line
from .records import Document

# Bumped whenever a change here alters the text read from an unchanged file: an index made by
# another loader version re-reads every file (and re-embeds those whose text changed).
LOADER_VERSION = 2

SUPPORTED_SUFFIXES: dict[str, str] = {s: f.kind for s, f in BY_SUFFIX.items()}
_SUPPORTED = "(supported: {}; and .gz of {} files)".format(
    ", ".join(sorted(s for s in SUPPORTED_SUFFIXES if not s.endswith(".gz"))),
    ", ".join(sorted({kind for s, kind in SUPPORTED_SUFFIXES.items() if s.endswith(".gz")})),
)

__all__ = [
    "LOADER_VERSION",
    "SUPPORTED_SUFFIXES",
    "DocumentError",
    "Unchanged",
    "UnsupportedType",
    "format_suffix",
    "iter_corpus_files",
    "kind_of",
    "load_corpus",
    "load_document",
    "load_file",
    "parse_document",
]


def load_document(path: Path, doc_id: str | None = None) -> Document:
    """Load one file. `doc_id` defaults to the file name."""
    doc_id = doc_id or path.name
    kind_of(doc_id)  # refuse an unsupported type before reading the file
    return parse_document(path.read_bytes(), doc_id)


def format_suffix(doc_id: str) -> str:
    """The suffix that names the format of `doc_id` (".pdf", ".md.gz"); UnsupportedType if none."""
    suffix = matching_suffix(doc_id)
    if suffix is None:
        shown = "".join(PurePosixPath(doc_id).suffixes[-2:]).lower()
        raise UnsupportedType(f"{doc_id}: unsupported file type {shown or '(none)'!r} {_SUPPORTED}")
    return suffix


def kind_of(doc_id: str) -> str:
    """The format's kind ("txt", "md", "pdf", "html", "docx") from the name; UnsupportedType
    for a name no format reads."""
    return _format_of(doc_id).kind


def _format_of(doc_id: str) -> Format:
    return BY_SUFFIX[format_suffix(doc_id)]


def parse_document(data: bytes, doc_id: str) -> Document:
    """A document from a file's bytes; its format comes from the suffix of `doc_id`."""
    suffix = format_suffix(doc_id)
    fmt = BY_SUFFIX[suffix]
    sha = hashlib.sha256(data).hexdigest()
    read = fmt.read(data, doc_id)
    text, headings = read.text, read.headings
    if not text.strip():
        raise DocumentError(f"{doc_id}: no text found in the file")
    stem = PurePosixPath(doc_id).name[: -len(suffix)]  # "notes" of "notes.md.gz"
    title = read.title or (headings[0].title if headings else "") or first_line(text) or stem
    return Document(doc_id, title, text, sha, fmt.kind, read.pages, headings)


def iter_corpus_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, document id) for every file under `root`, of any type, skipping hidden files."""
    if root.is_file():
        yield root, root.name
        return
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        yield path, rel.as_posix()


@dataclass(frozen=True)
class Unchanged:
    """A file whose bytes hash as already indexed: not parsed again."""

    id: str
    sha256: str


def load_corpus(
    roots: Iterable[Path], known: Mapping[str, str] | None = None
) -> Iterator[Document | Unchanged | DocumentError]:
    """Every document under the given folders or files; each file that cannot be indexed
    (unreadable, or of a type no format reads) yields its error, so none is left out unsaid.

    A file whose bytes hash as `known` says (doc id -> sha256 of what is indexed) is not
    parsed again: `Unchanged` is yielded instead.
    """
    known = known or {}
    for root in roots:
        for path, doc_id in iter_corpus_files(root):
            yield load_file(path, doc_id, known)


def load_file(
    path: Path, doc_id: str, known: Mapping[str, str] | None = None
) -> Document | Unchanged | DocumentError:
    """One file as `load_corpus` yields it: its document, `Unchanged`, or its error."""
    try:
        kind_of(doc_id)  # an unsupported type is listed without reading the file
        data = path.read_bytes()
        sha256 = hashlib.sha256(data).hexdigest()
        if (known or {}).get(doc_id) == sha256:
            return Unchanged(doc_id, sha256)
        return parse_document(data, doc_id)
    except DocumentError as err:
        return err
    except OSError as err:
        return DocumentError(f"{doc_id}: cannot read the file ({err.strerror})")
