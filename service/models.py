"""The HTTP (and `--json`) shapes: pydantic lives here, at the edge, and nowhere deeper."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from citeqa.corpus import SUPPORTED_SUFFIXES
from citeqa.index.retrieval import DateRange, DocumentFilter
from citeqa.index.retrieval.scope import words

MAX_FILTER_VALUES = 10_000  # ids in `documents`; values in any other list


class ErrorBody(BaseModel):
    """Every error answer: one readable sentence saying what is wrong."""

    detail: str


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        400: "the body is not valid JSON",
        401: "no X-API-Key header: writes need it, and reads when CITEQA_READ_KEY is set",
        403: "the API key is wrong, or writes are disabled (no CITEQA_API_KEY)",
        404: "no such document or job",
        409: "the document exists already, or another write is running",
        413: "the body is over the size limit",
        415: "not JSON (questions) or of a type no format reads (uploads)",
        422: "a field is missing, of the wrong type or out of range; or the file is unreadable",
        503: "no usable index yet: run `citeqa ingest`",
        507: "no space left on the server's disk: the write changed nothing",
    }.items()
}


def _listed(value: Any) -> Any:
    """One value given where a list is accepted: a list of it."""
    return [value] if isinstance(value, str) else value


def _meta_values(value: Any) -> Any:
    """A metadata value to match, as the strings it may equal (numbers and booleans spelled
    as corpus/metadata.py stores them)."""
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, int | float | str):
        return [str(value)]
    return value


Listed = Annotated[list[StrictStr], BeforeValidator(_listed), Field(max_length=MAX_FILTER_VALUES)]
MetaValues = Annotated[
    list[StrictStr], BeforeValidator(_meta_values), Field(max_length=MAX_FILTER_VALUES)
]


class DateRangeModel(BaseModel):
    """Inclusive ISO dates; either bound may be left out."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: dt.date | None = Field(None, alias="from", description='first day, e.g. "2024-01-01"')
    end: dt.date | None = Field(None, alias="to", description="last day, included")

    @model_validator(mode="after")
    def _ordered(self) -> DateRangeModel:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"'from' ({self.start}) is after 'to' ({self.end})")
        return self

    def range(self) -> DateRange:
        return DateRange(
            self.start.isoformat() if self.start else "", self.end.isoformat() if self.end else ""
        )


class Filter(BaseModel):
    """Which documents a question may be answered from: every field given must hold; within a
    list, any value. docs/filters.md has examples."""

    model_config = ConfigDict(extra="forbid")

    documents: Listed | None = Field(None, description="document ids")
    folder: Listed | None = Field(
        None, description='a folder prefix of document ids ("reports/"), or a list of them'
    )
    kind: Listed | None = Field(None, description='formats: "pdf", "md", ... (GET /documents)')
    title: StrictStr | None = Field(
        None, description="words that must all be in the title (case ignored)"
    )
    modified: DateRangeModel | None = Field(
        None, description="the document's modification date (its own, else its file's)"
    )
    ingested: DateRangeModel | None = Field(None, description="when the document was indexed")
    meta: dict[StrictStr, MetaValues] | None = Field(
        None,
        description='metadata values: {"team": "finance"}; a list accepts any of its values',
    )

    @field_validator("kind")
    @classmethod
    def _known_kinds(cls, kinds: list[str] | None) -> list[str] | None:
        known = sorted(set(SUPPORTED_SUFFIXES.values()))
        for kind in kinds or []:
            if kind.lower() not in known:
                raise ValueError(f"unknown kind {kind!r} (kinds: {', '.join(known)})")
        return kinds

    @field_validator("folder")
    @classmethod
    def _folders(cls, folders: list[str] | None) -> list[str] | None:
        return None if folders is None else [f.strip().lstrip("/") for f in folders]

    def to_filter(self) -> DocumentFilter:
        """The filter as retrieval applies it (index/retrieval/scope.py)."""
        folders = tuple(
            sorted({f if not f or f.endswith("/") else f + "/" for f in self.folder or []})
        )
        return DocumentFilter(
            documents=None if self.documents is None else frozenset(self.documents),
            folders=() if "" in folders else folders,
            kinds=None if self.kind is None else frozenset(k.lower() for k in self.kind),
            title=words(self.title or ""),
            modified=self.modified.range() if self.modified else None,
            ingested=self.ingested.range() if self.ingested else None,
            meta=tuple(
                sorted(
                    (name, frozenset(v.casefold() for v in values))
                    for name, values in (self.meta or {}).items()
                )
            ),
        )


class AskRequest(BaseModel):
    question: StrictStr = Field(description="a question in natural language")
    k: StrictInt | None = Field(None, description="how many passages to return (default 5)")
    filter: Filter | None = Field(
        None, description="answer only from these documents (docs/filters.md)"
    )


class Scope(BaseModel):
    """What a filter left to answer from."""

    documents: int = Field(description="documents the filter allows")
    passages: int = Field(description="their passages: 0 means nothing could be searched")
    unknown_documents: list[str] = Field(
        default_factory=list, description="ids in `documents` that the index does not hold"
    )


class Highlight(BaseModel):
    start: int = Field(description="offset of the answering sentence in the passage text")
    end: int


class Location(BaseModel):
    """Where the passage and its answering sentence lie, in the document's own terms."""

    type: str = Field(
        description='"page" (PDF, scanned image), "slide" (PPTX), "row" (XLSX, CSV: rows of '
        'one sheet) or "section" (text, Markdown, HTML, Word, e-book, e-mail)'
    )
    first: int | None = Field(description="first page, slide or row of the passage (1-based)")
    last: int | None = Field(description="last page, slide or row of the passage")
    answer: int | None = Field(description="the page, slide or row of the highlighted sentence")
    label: str | None = Field(
        description="the printed page label of `answer` (PDF) or the sheet's name (rows)"
    )
    section_path: list[str] = Field(
        description="the headings in force at the highlighted sentence, outermost first"
    )
    text: str = Field(
        description='the location as a reader writes it, e.g. "pp. 8-9 (answer '
        'on p. 9)", "slide 3", "Prices, rows 4-9", "Install › Debian"'
    )


class Citation(BaseModel):
    document: str = Field(description="document id: its path relative to the corpus root")
    title: str
    location: Location
    page: int | None = Field(description="1-based physical page (PDF), null for text files")
    page_end: int | None = Field(description="last page when the passage spans pages")
    page_label: str | None = Field(description="the page number printed in the PDF, if any")
    start: int = Field(description="offset of the passage in the document text")
    end: int
    section: str | None


class AnswerPassage(BaseModel):
    rank: int = Field(
        description="1 = first; of the first five, passages holding the value a typed question "
        "asks for come before those that do not, the one answering more closely first, so "
        "`score` need not fall with rank"
    )
    score: float = Field(
        description="fused relevance in (0, 1], scaled among the candidates (1 = first for both "
        "retrievers): it orders passages, `dense_score` says how close one is"
    )
    dense_score: float = Field(description="cosine similarity of question and passage")
    keyword_score: float = Field(description="BM25 score; 0 when no word is shared")
    text: str
    highlight: Highlight
    citation: Citation


class ShortAnswer(BaseModel):
    text: str = Field(description="the value asked for: a date, an amount, a number, a name")
    start: int = Field(description="offset of `text` in the first passage's text")
    end: int


class AskResponse(BaseModel):
    question: str
    answerable: bool = Field(
        description="false when the passages do not answer: off the documents' subject, another "
        "country, year or name than theirs, or no sentence holding the value asked for"
    )
    confidence: float = Field(
        description="the probability, from a model calibrated on labelled questions, that the "
        "documents answer the question (index/answer/confidence.py)"
    )
    answer: ShortAnswer | None = Field(
        None,
        description="for a question asking for a date, amount, number, person, place or rank: "
        "that value, quoted from the first passage's answering sentence; null otherwise",
    )
    index_version: str
    took_ms: float
    passages: list[AnswerPassage]
    scope: Scope | None = Field(
        None, description="with a filter: what it allowed (no passages: nothing matched it)"
    )


class DocumentSummary(BaseModel):
    id: str
    title: str
    kind: str
    locator: str = Field(description='how its places are cited: "page", "slide", "row", "section"')
    sha256: str = Field(description="of the file's bytes (with its sidecar's, if it has one)")
    characters: int
    pages: int | None
    passages: int
    modified: str = Field(description="ISO 8601 UTC: its own date, else its file's")
    ingested: str = Field(description="ISO 8601 UTC: when this content was indexed")


class DocumentDetail(DocumentSummary):
    text: str
    sections: list[str]
    metadata: dict[str, str | list[str]] = Field(
        description="front matter, PDF/DOCX properties and the sidecar <file>.meta.json"
    )


class DocumentList(BaseModel):
    index_version: str
    documents: list[DocumentSummary]
    total: int = Field(description="documents in the index")
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page; null on the last page"
    )


class Ready(BaseModel):
    status: str = Field(description='"ready"')
    index_version: str


class Stats(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    documents: int
    passages: int
    model: str
    model_fingerprint: str
    dimension: int
    index_version: str
    built_at: str
    chunking: dict[str, int]
