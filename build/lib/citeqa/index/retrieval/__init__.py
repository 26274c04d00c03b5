"""Finding passages: BM25, dense vectors of passages and their sentences, fused into `Hit`s."""

from .scope import Allowed, DateRange, DocumentFilter
from .search import Hit, SearchableIndex, search

__all__ = ["Allowed", "DateRange", "DocumentFilter", "Hit", "SearchableIndex", "search"]
