"""Stage 1 of citeqa: files -> `Document` (normalised text, page map, headings) -> `Passage`."""

from .chunking import ChunkSettings, chunk_document
from .loading import (
    SUPPORTED_SUFFIXES,
    DocumentError,
    iter_corpus_files,
    load_corpus,
    load_document,
)
from .records import Document, Heading, Page, Passage

__all__ = [
    "SUPPORTED_SUFFIXES",
    "ChunkSettings",
    "Document",
    "DocumentError",
    "Heading",
    "Page",
    "Passage",
    "chunk_document",
    "iter_corpus_files",
    "load_corpus",
    "load_document",
]
