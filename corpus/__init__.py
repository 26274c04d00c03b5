"""Stage 1 of citeqa: files -> `Document` (normalised text, page map, headings) -> `Passage`."""

from .chunking import ChunkedPassages, ChunkSettings, chunk_document
from .formats import FORMATS, Format
from .loading import (
    LOADER_VERSION,
    SUPPORTED_SUFFIXES,
    DocumentError,
    Unchanged,
    UnsupportedType,
    format_suffix,
    iter_corpus_files,
    kind_of,
    load_corpus,
    load_document,
    load_file,
    parse_document,
)
from .records import Document, Heading, LazyPassages, Page, Passage

__all__ = [
    "FORMATS",
    "LOADER_VERSION",
    "SUPPORTED_SUFFIXES",
    "ChunkSettings",
    "ChunkedPassages",
    "Document",
    "DocumentError",
    "Format",
    "Heading",
    "LazyPassages",
    "Page",
    "Passage",
    "Unchanged",
    "UnsupportedType",
    "chunk_document",
    "format_suffix",
    "iter_corpus_files",
    "kind_of",
    "load_corpus",
    "load_document",
    "load_file",
    "parse_document",
]
