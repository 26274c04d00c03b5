"""Stage 1 of citeqa: files -> `Document` (normalised text, page map, headings) -> `Passage`."""

from .chunking import ChunkSettings, chunk_document
from .loading import (
    LOADER_VERSION,
    SUPPORTED_SUFFIXES,
    DocumentError,
    Unchanged,
    UnsupportedType,
    iter_corpus_files,
    load_corpus,
    load_document,
    parse_document,
)
from .records import Document, Heading, Page, Passage

__all__ = [
    "LOADER_VERSION",
    "SUPPORTED_SUFFIXES",
    "ChunkSettings",
    "Document",
    "DocumentError",
    "Heading",
    "Page",
    "Passage",
    "Unchanged",
    "UnsupportedType",
    "chunk_document",
    "iter_corpus_files",
    "load_corpus",
    "load_document",
    "parse_document",
]
