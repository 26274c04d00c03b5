"""Finding passages: BM25, dense vectors of passages and their sentences, fused into `Hit`s."""

from .search import Hit, SearchableIndex, search

__all__ = ["Hit", "SearchableIndex", "search"]
