"""The HTTP (and `--json`) shapes: pydantic lives here, at the edge, and nowhere deeper."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr


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
        415: "not JSON (questions) or not .txt/.md/.pdf (uploads)",
        422: "a field is missing, of the wrong type or out of range; or the file is unreadable",
        503: "no usable index yet: run `citeqa ingest`",
        507: "no space left on the server's disk: the write changed nothing",
    }.items()
}


class AskRequest(BaseModel):
    question: StrictStr = Field(description="a question in natural language")
    k: StrictInt | None = Field(None, description="how many passages to return (default 5)")


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
    rank: int
    score: float = Field(description="fused relevance in (0, 1]; 1 = first for both retrievers")
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
    answerable: bool = Field(description="false when no passage is similar enough to answer")
    confidence: float = Field(
        description="the probability, from a model calibrated on labelled questions, that the "
        "documents answer the question (index/answer/confidence.py)"
    )
    answer: ShortAnswer | None = Field(
        None,
        description="for a question asking for a date, amount, number, person or place: that "
        "value, quoted from the first passage's answering sentence; null otherwise",
    )
    index_version: str
    took_ms: float
    passages: list[AnswerPassage]


class DocumentSummary(BaseModel):
    id: str
    title: str
    kind: str
    locator: str = Field(description='how its places are cited: "page", "slide", "row", "section"')
    sha256: str
    characters: int
    pages: int | None
    passages: int


class DocumentDetail(DocumentSummary):
    text: str
    sections: list[str]


class DocumentList(BaseModel):
    index_version: str
    documents: list[DocumentSummary]


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
