"""The one code path behind both the HTTP API and the CLI: validate, search, shape the answer."""

from __future__ import annotations

import base64
import binascii
import bisect
import logging
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from citeqa.corpus.locators import locate, locator_of
from citeqa.corpus.text import normalise_line
from citeqa.index.answer import (
    ANSWER_PASSAGES,
    answer_first,
    answer_strengths,
    asked_type,
    highlight,
    short_answer,
    table_header,
    uncontracted,
    value_shown,
    wants_value_shown,
)
from citeqa.index.answer.confidence import confidence, signals
from citeqa.index.answer.given_names import given_names
from citeqa.index.encoder import BatchingEncoder, Encoder
from citeqa.index.retrieval import Allowed, Hit, search
from citeqa.index.retrieval.dense import warm_page_cache
from citeqa.index.storage import (
    IndexDamagedError,
    IndexMismatchError,
    IndexVersion,
    NoIndexError,
    current_version,
    load_current,
    load_last_good,
)

from .models import (
    AnswerPassage,
    AskResponse,
    Citation,
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    Filter,
    Highlight,
    Location,
    Scope,
    ShortAnswer,
    Stats,
)
from .names import unknown_id_message
from .settings import Settings

log = logging.getLogger("citeqa")

DEFAULT_PAGE = 100  # documents a page of GET /documents
MAX_PAGE = 1000


class InvalidQuestion(ValueError):
    """The question or its parameters break a limit; the message says which."""


class DocumentNotFound(KeyError):
    """args: the id, and the message to show (it names the nearest known ids)."""

    @property
    def message(self) -> str:
        return str(self.args[1]) if len(self.args) > 1 else f"no document with id {self.args[0]!r}"


def check_question(settings: Settings, question: str, k: int | None) -> tuple[str, int]:
    """The question stripped and `k` defaulted, or InvalidQuestion saying which limit is broken."""
    try:
        question.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InvalidQuestion("question is not valid Unicode (it holds a lone surrogate)") from err
    if "\x00" in question:
        raise InvalidQuestion("question contains a NUL character")
    question = normalise_line(question)  # NFKC, no control characters, single spaces
    if not question:
        raise InvalidQuestion("question must not be empty")
    if len(question) > settings.max_question_chars:
        raise InvalidQuestion(
            f"question is {len(question)} characters long; the limit is "
            f"{settings.max_question_chars} (CITEQA_MAX_QUESTION_CHARS)"
        )
    k = settings.default_k if k is None else k
    if not 1 <= k <= settings.max_k:
        raise InvalidQuestion(f"k must be between 1 and {settings.max_k}, got {k}")
    return question, k


@dataclass
class _Loaded:
    index: IndexVersion
    version: str


class Engine:
    """Holds the encoder and the current index version; switches to a newer version when one is
    published (checked at most once per `recheck_seconds`, by reading the small CURRENT file)."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None, recheck_seconds=1.0):
        self.settings = settings
        self.encoder = encoder or settings.load_encoder(threads=settings.query_threads)
        self.query_encoder = BatchingEncoder(self.encoder)
        self.store = settings.open_vector_store(self.encoder)  # None: vectors in the index files
        self._recheck_seconds = recheck_seconds
        self._loaded: _Loaded | None = None
        self._refused: str | None = None  # a damaged version, not retried until CURRENT moves
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    # --- the index ------------------------------------------------------------------------

    def index(self) -> IndexVersion:
        """The current index version; raises NoIndexError or IndexMismatchError.

        A newer version is loaded by whichever request notices it first while the others go on
        with the loaded one: nobody waits for a load except the very first request and a writer.
        """
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._check()
        elif time.monotonic() - self._checked_at >= self._recheck_seconds and self._lock.acquire(
            blocking=False
        ):
            try:
                self._check()
            finally:
                self._lock.release()
        assert self._loaded is not None
        return self._loaded.index

    def warm_up(self) -> None:
        """Load the index and answer one question, so the first real one pays less of the
        start-up cost (ONNX Runtime plans its kernels; BM25's maps are touched; the given names
        a person is told by are read)."""
        self.ask("warm-up", 1)  # short: within any CITEQA_MAX_QUESTION_CHARS
        given_names()

    def refresh(self) -> None:
        """Serve what this process has just published: loaded before the write is answered, so
        a client that reads after its write reads the new version."""
        with self._lock, suppress(NoIndexError, IndexMismatchError):  # then reads say why
            self._check()

    def _check(self) -> None:
        self._checked_at = time.monotonic()
        version = current_version(self.settings.home)
        if version is None:
            raise NoIndexError(f"no index in {self.settings.home}: run `citeqa ingest`")
        if (self._loaded is None or self._loaded.version != version) and version != self._refused:
            self._switch_to(version)

    def _switch_to(self, version: str) -> None:
        """Load `version`; if its files are damaged, keep serving what is loaded (or, at start,
        the newest older version that loads) and do not try that version again."""
        home = self.settings.home
        try:
            if self._loaded is None:
                index = load_last_good(home, self.encoder, self.store)
                _warm(index, None)
                if index.manifest.version != version:
                    log.error("index %s is damaged; serving %s", version, index.manifest.version)
                self._loaded = _Loaded(index, version)  # this CURRENT is dealt with
                return
            # CURRENT may have moved on since: fine. Segments already loaded are shared.
            index = load_current(home, self.encoder, reuse=self._loaded.index, store=self.store)
            _warm(index, self._loaded.index)  # before readers switch to it, not in their way
        except IndexDamagedError as err:
            self._refused = version
            log.error("not serving index %s: %s", version, err)
            if self._loaded is None:
                raise
            return
        self._loaded = _Loaded(index, index.manifest.version)

    # --- answering ------------------------------------------------------------------------

    def ask(self, question: str, k: int | None = None, scope: Filter | None = None) -> AskResponse:
        """Answer `question` from the documents `scope` allows (all without one). A filter
        that allows nothing is an answer too: no passages, not answerable, `scope` says why."""
        started = time.perf_counter()
        question, k = check_question(self.settings, question, k)
        index = self.index()
        allowed = index.allowed(scope.to_filter()) if scope is not None else None
        # The abstention rule judges the first ANSWER_PASSAGES passages, as it was calibrated,
        # whatever k asks for: a smaller k is searched for that many and cut after judging.
        hits = search(index, self.query_encoder, question, max(k, ANSWER_PASSAGES), allowed)
        nothing = allowed is not None and not hits  # the filter left nothing to search
        reading = uncontracted(question)  # what the answer layer reads: "What is", not "What's"
        hits, judged, shown = (
            (hits, False, None) if nothing else self._verdict(index, reading, hits)
        )
        sure = 0.0 if nothing else confidence(signals(judged))
        hits = hits[:k]
        passages = []
        for rank, hit in enumerate(hits, start=1):
            p = hit.passage
            doc = index.documents[p.doc_id]
            # the first passage's highlight was found judging it, when it had to be
            start, end = (
                shown
                if rank == 1 and shown
                else highlight(reading, p.text, index.keyword, hit.sentences)
            )
            place = locate(doc.kind, doc.pages, doc.headings, p.start, p.end, p.start + start)
            passages.append(
                AnswerPassage(
                    rank=rank,
                    score=round(hit.score, 4),
                    dense_score=round(hit.dense_score, 4),
                    keyword_score=round(hit.keyword_score, 4),
                    text=p.text,
                    highlight=Highlight(start=start, end=end),
                    citation=Citation(
                        document=p.doc_id,
                        title=doc.title,
                        location=Location(
                            type=place.type,
                            first=place.first,
                            last=place.last,
                            answer=place.answer,
                            label=place.label,
                            section_path=list(place.section_path),
                            text=place.describe(),
                        ),
                        page=p.page,
                        page_end=p.page_end,
                        page_label=p.page_label,
                        start=p.start,
                        end=p.end,
                        section=p.section,
                    ),
                )
            )
        return AskResponse(
            question=question,
            answerable=judged,
            confidence=sure,
            answer=_short_answer(reading, passages[0]) if judged and passages else None,
            index_version=index.manifest.version,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            passages=passages,
            scope=_scope(index, scope, allowed),
        )

    def judge(self, question: str) -> tuple[list[Hit], bool]:
        """The hits `ask` judges for `question` at the default k, and the rule's verdict: what
        the confidence model reads (eval/confidence.py fits it on these)."""
        question, k = check_question(self.settings, question, None)
        index = self.index()
        hits = search(index, self.query_encoder, question, max(k, ANSWER_PASSAGES))
        return self.verdict(index, uncontracted(question), hits)

    def verdict(
        self, index: IndexVersion, question: str, hits: list[Hit]
    ) -> tuple[list[Hit], bool]:
        """`hits` in the order they are shown, and whether they answer `question` (its reading,
        `uncontracted`), as index/answer/abstain.py judges with this service's settings."""
        hits, judged, _ = self._verdict(index, question, hits)
        return hits, judged

    def _verdict(
        self, index: IndexVersion, question: str, hits: list[Hit]
    ) -> tuple[list[Hit], bool, tuple[int, int] | None]:
        """`verdict`, and the first hit's highlight when judging it took one."""
        answers = self.answer_strengths(index, question, hits)
        judged = any(strength is not None for strength in answers)
        if not asked_type(question):
            # a question asking for no value (a claim, "what did X say about Y") is ranked best
            # by search itself (docs/abstention.md)
            return hits, judged, None
        # a passage holding the value asked for goes first ...
        hits = answer_first(hits, answers)
        if not (judged and wants_value_shown(question)):
            return hits, judged, None
        # ... and the sentence shown as its answer must hold it (value_shown)
        first = hits[0]
        start, end = highlight(question, first.passage.text, index.keyword, first.sentences)
        return hits, value_shown(question, first.passage.text[start:end]), (start, end)

    def answer_strengths(
        self, index: IndexVersion, question: str, hits: list[Hit]
    ) -> list[float | None]:
        """How well each of the first ANSWER_PASSAGES `hits` answers `question`, None for
        those that do not (abstain.answer_strengths)."""
        return answer_strengths(
            question,
            hits,
            index.keyword,
            index.documents,
            self.settings.min_answer_score,
            self.settings.abstain_sentence_cosine,
        )

    # --- reading the index ----------------------------------------------------------------

    def index_state(self) -> dict[str, Any] | None:
        """What /metrics reports of the served index, or None before one is loaded (never
        loads one: a scrape must not wait for the model or the disk)."""
        loaded = self._loaded
        if loaded is None:
            return None
        m = loaded.index.manifest
        return {
            "version": m.version,
            "model": m.model,
            "documents": len(m.documents),
            "passages": m.passages,
            "segments": len(m.segments),
        }

    def ready(self) -> str:
        """The version being served, after checking that it loads and that its vector store
        answers; raises NoIndexError, IndexMismatchError or the store's error otherwise."""
        index = self.index()
        if self.store is not None:
            self.store.count()
        return index.manifest.version

    def stats(self) -> Stats:
        index = self.index()
        m = index.manifest
        return Stats(
            documents=len(m.documents),
            passages=m.passages,
            model=m.model,
            model_fingerprint=m.model_fingerprint,
            dimension=m.dimension,
            index_version=m.version,
            built_at=m.created_at,
            chunking=m.chunking,
        )

    def documents(self, limit: int = DEFAULT_PAGE, cursor: str | None = None) -> DocumentList:
        """A page of the documents in id order: `limit` of them after `cursor` (the opaque
        `next_cursor` of the page before; None: from the first)."""
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidQuestion(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
        index = self.index()
        ids = index.sorted_ids
        start = 0 if cursor is None else bisect.bisect_right(ids, _cursor_id(cursor))
        page = ids[start : start + limit]
        more = start + limit < len(ids)
        return DocumentList(
            index_version=index.manifest.version,
            documents=[self._summary(index, doc_id) for doc_id in page],
            total=len(ids),
            next_cursor=_cursor_of(page[-1]) if more and page else None,
        )

    def summary(self, doc_id: str) -> DocumentSummary:
        index = self.index()
        if doc_id not in index.documents:
            raise DocumentNotFound(doc_id, unknown_id_message(doc_id, index.documents))
        return self._summary(index, doc_id)

    def document(self, doc_id: str) -> DocumentDetail:
        index = self.index()
        if doc_id not in index.documents:
            raise DocumentNotFound(doc_id, unknown_id_message(doc_id, index.documents))
        doc = index.documents[doc_id]
        return DocumentDetail(
            **self._summary(index, doc_id).model_dump(),
            text=doc.text,
            sections=[h.title for h in doc.headings],
            metadata=doc.metadata,
        )

    @staticmethod
    def _summary(index: IndexVersion, doc_id: str) -> DocumentSummary:
        doc = index.documents[doc_id]
        return DocumentSummary(
            id=doc.id,
            title=doc.title,
            kind=doc.kind,
            locator=locator_of(doc.kind),
            sha256=doc.sha256,
            characters=doc.characters,  # without reading the text
            pages=doc.page_count or None,
            passages=index.passage_counts[doc_id],
            modified=doc.modified,
            ingested=doc.ingested,
        )


def _cursor_of(doc_id: str) -> str:
    """An opaque cursor: the last id of a page, so a page after a write neither skips nor
    repeats the documents that were there before it."""
    return base64.urlsafe_b64encode(doc_id.encode("utf-8", "surrogatepass")).decode("ascii")


def _cursor_id(cursor: str) -> str:
    try:
        raw = base64.b64decode(cursor.encode("ascii"), altchars=b"-_", validate=True)
        return raw.decode("utf-8", "surrogatepass")
    except (UnicodeError, binascii.Error, ValueError) as err:
        raise InvalidQuestion("cursor is not one this server gave (use next_cursor)") from err


def _scope(index: IndexVersion, scope: Filter | None, allowed: Allowed | None) -> Scope | None:
    if scope is None or allowed is None:
        return None
    unknown = sorted(d for d in scope.documents or [] if d not in index.documents)
    return Scope(
        documents=len(allowed.documents),
        passages=allowed.passages,
        unknown_documents=unknown[:100],
    )


def _short_answer(question: str, first: AnswerPassage) -> ShortAnswer | None:
    """The value the question asks for inside the first passage's answering sentence."""
    a, b = first.highlight.start, first.highlight.end
    sentence = first.text[a:b]
    span = short_answer(question, sentence, table_header(first.text[:a], sentence))
    if span is None:
        return None
    start, end = a + span[0], a + span[1]
    return ShortAnswer(text=first.text[start:end], start=start, end=end)


def _warm(index: IndexVersion, previous: IndexVersion | None) -> None:
    """Read the segments new in `index` into the page cache (see dense.warm_page_cache)."""
    known = {s.name for s in previous.segments} if previous else set()
    for segment in index.segments:
        if segment.name not in known:
            warm_page_cache(segment.path)
