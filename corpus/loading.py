"""Files -> `Document`: each file read by the format its name's suffix names (`formats/`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .formats import BY_SUFFIX, DocumentError, Format, UnsupportedType, matching_suffix
from .formats.base import decode_text, first_line
from .metadata import (
    PROPERTIES,
    SIDECAR_SUFFIX,
    Described,
    read_sidecar,
    split_front_matter,
    timestamp_utc,
)
from .records import Document

# Bumped whenever a change here alters the text read from an unchanged file: an index made by
# another loader version re-reads every file (and re-embeds those whose text changed).
# 3: PDF text through pdfium, OCR; 4: front matter is metadata; 5: Markdown through markdown-it-py;
# 6: an HTML listing in a table's cell keeps its lines; 7: a page's header and footer of text
LOADER_VERSION = 7

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
    "file_sha256",
    "format_suffix",
    "is_sidecar",
    "iter_corpus_files",
    "kind_of",
    "load_corpus",
    "load_document",
    "load_file",
    "parse_document",
    "source_sha256",
]


def load_document(path: Path, doc_id: str | None = None) -> Document:
    """Load one file, with its sidecar `<file>.meta.json` if it has one. `doc_id` defaults to
    the file name."""
    doc_id = doc_id or path.name
    kind_of(doc_id)  # refuse an unsupported type before reading the file
    return parse_document(path.read_bytes(), doc_id, _sidecar(path), path.stat().st_mtime)


def source_sha256(data: bytes, sidecar: bytes | None = None) -> str:
    """What a document's `sha256` records: of the file's bytes, or, when it has a sidecar, of
    those and the sidecar's, so that editing a sidecar indexes its file again."""
    digest = hashlib.sha256(data)
    if sidecar is not None:
        digest.update(b"\0" + hashlib.sha256(sidecar).digest())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """`source_sha256` of the file at `path` and its sidecar."""
    return source_sha256(path.read_bytes(), _sidecar(path))


def is_sidecar(name: str) -> bool:
    """Whether a file is another file's metadata (`report.pdf.meta.json`): never a document."""
    return name.lower().endswith(SIDECAR_SUFFIX)


def _sidecar(path: Path) -> bytes | None:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    try:
        return sidecar.read_bytes()
    except FileNotFoundError:
        return None


def format_suffix(doc_id: str) -> str:
    """The suffix that names the format of `doc_id` (".pdf", ".md.gz"); UnsupportedType if none."""
    suffix = matching_suffix(doc_id)
    if suffix is None:
        shown = "".join(PurePosixPath(doc_id).suffixes[-2:]).lower()
        raise UnsupportedType(f"{doc_id}: unsupported file type {shown or '(none)'!r} {_SUPPORTED}")
    return suffix


def kind_of(doc_id: str) -> str:
    """The format's kind ("txt", "md", "pdf", "csv", ...) from the name; UnsupportedType
    for a name no format reads."""
    return _format_of(doc_id).kind


def _format_of(doc_id: str) -> Format:
    return BY_SUFFIX[format_suffix(doc_id)]


def parse_document(
    data: bytes, doc_id: str, sidecar: bytes | None = None, mtime: float | None = None
) -> Document:
    """A document from a file's bytes; its format comes from the suffix of `doc_id`.

    Its metadata: the reader's, then the file's properties (Markdown front matter, PDF and DOCX
    document properties), then `sidecar` (the bytes of `<file>.meta.json`), each later source
    winning a name they share. `mtime`: the file's, for `modified` when no source dates it.
    """
    suffix = format_suffix(doc_id)
    fmt = BY_SUFFIX[suffix]
    sha = source_sha256(data, sidecar)
    given = read_sidecar(sidecar, doc_id + SIDECAR_SUFFIX) if sidecar is not None else {}
    front_title = ""
    source = data
    if fmt.kind == "md" and suffix in (".md", ".markdown"):
        # Front matter is cut before the Markdown reader sees the text, whichever reader it is.
        whole = decode_text(data, doc_id)
        described, front_title, body = split_front_matter(whole, doc_id)
        if body is not whole:
            source = body.encode("utf-8")
    elif fmt.kind in PROPERTIES:
        described = PROPERTIES[fmt.kind](data)
    else:
        described = Described()
    read = fmt.read(source, doc_id)
    text, headings = read.text, read.headings
    if not text.strip():
        raise DocumentError(f"{doc_id}: no text found in the file")
    stem = PurePosixPath(doc_id).name[: -len(suffix)]  # "notes" of "notes.md.gz"
    title = (
        front_title.strip()
        or read.title
        or (headings[0].title if headings else "")
        or first_line(text)
        or stem
    )
    metadata = {**read.metadata, **described.metadata, **given}
    modified = described.modified or (timestamp_utc(mtime) if mtime is not None else "")
    return Document(
        doc_id, title, text, sha, fmt.kind, read.pages, headings, metadata, modified=modified
    )


def iter_corpus_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, document id) for every file under `root`, of any type, skipping hidden files."""
    if root.is_file():
        yield root, root.name
        return
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if is_sidecar(path.name):  # read with the file it describes
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
        sidecar = _sidecar(path)
        sha256 = source_sha256(data, sidecar)
        if (known or {}).get(doc_id) == sha256:
            return Unchanged(doc_id, sha256)
        return parse_document(data, doc_id, sidecar, path.stat().st_mtime)
    except DocumentError as err:
        return err
    except OSError as err:
        return DocumentError(f"{doc_id}: cannot read the file ({err.strerror})")
