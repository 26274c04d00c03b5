"""Which documents a question may be answered from: a filter over the documents' fields, and
the passages it allows, as a mask over an index version's global rows.

Search takes the allowed rows and looks only there (dense search with a FAISS ID selector or a
Milvus filter expression, BM25 with the other rows zeroed), so a narrow filter still finds its k
best passages, however far down they rank in the whole index.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class DateRange:
    """Inclusive bounds as ISO dates ("2024-01-01"); "" is open."""

    start: str = ""
    end: str = ""

    def holds(self, timestamp: str) -> bool:
        """Whether the day of `timestamp` (ISO 8601, "" for none) lies within the range."""
        day = timestamp[:10]
        if not day:
            return False
        return (not self.start or day >= self.start) and (not self.end or day <= self.end)


_WORDS = re.compile(r"\w+")


def words(text: str) -> frozenset[str]:
    return frozenset(_WORDS.findall(text.casefold()))


@dataclass(frozen=True)
class DocumentFilter:
    """Every criterion given must hold (AND); within one, any of its values (OR). Hashable, so
    the rows a filter allows can be cached per index version."""

    documents: frozenset[str] | None = None  # these ids
    folders: tuple[str, ...] = ()  # ids under one of these folders ("reports/")
    kinds: frozenset[str] | None = None  # "pdf", "md", ...
    title: frozenset[str] = frozenset()  # words that must all be in the title
    modified: DateRange | None = None
    ingested: DateRange | None = None
    # name -> accepted values (casefolded); a list-valued field matches when any item is accepted
    meta: tuple[tuple[str, frozenset[str]], ...] = ()

    def needs_details(self) -> bool:
        """Whether matching reads more than a document's id and kind."""
        return bool(self.title or self.modified or self.ingested or self.meta)

    def matches_name(self, doc_id: str) -> bool:
        if self.documents is not None and doc_id not in self.documents:
            return False
        return not self.folders or any(doc_id.startswith(f) for f in self.folders)

    def matches(self, doc: FilterableDocument) -> bool:
        """Whether `doc` passes every criterion (its id and kind included)."""
        if not self.matches_name(doc.id):
            return False
        if self.kinds is not None and doc.kind not in self.kinds:
            return False
        if self.title and not self.title <= words(doc.title):
            return False
        if self.modified is not None and not self.modified.holds(doc.modified):
            return False
        if self.ingested is not None and not self.ingested.holds(doc.ingested):
            return False
        if self.meta:
            return meta_matches(self.meta, doc.metadata)
        return True


def meta_matches(
    wanted: tuple[tuple[str, frozenset[str]], ...], metadata: Mapping[str, str | list[str]]
) -> bool:
    for name, accepted in wanted:
        value = metadata.get(name)
        values = [value] if isinstance(value, str) else (value or [])
        if not any(v.casefold() in accepted for v in values):
            return False
    return True


class FilterableDocument(Protocol):
    """What a filter reads of an indexed document (storage.textstore.StoredDocument)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def modified(self) -> str: ...
    @property
    def ingested(self) -> str: ...
    @property
    def metadata(self) -> Mapping[str, str | list[str]]: ...


@dataclass(frozen=True)
class Allowed:
    """The passages a filtered question may be answered from."""

    mask: np.ndarray  # bool[rows of the version]: live rows of the matching documents
    documents: tuple[str, ...]  # the matching live documents' ids, sorted

    @property
    def passages(self) -> int:
        return int(np.count_nonzero(self.mask))
