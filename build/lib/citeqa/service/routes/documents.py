"""/documents: list and read the indexed documents; upload, replace and delete (the write key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from citeqa.corpus import SUPPORTED_SUFFIXES
from citeqa.service.auth import needs
from citeqa.service.engine import DEFAULT_PAGE, MAX_PAGE
from citeqa.service.models import DocumentDetail, DocumentList, DocumentSummary
from citeqa.service.settings import Settings

from .deps import engine_of, writer_of

UPLOAD_TYPES = "a document: " + ", ".join(sorted(SUPPORTED_SUFFIXES))


def router(settings: Settings) -> APIRouter:
    routes = APIRouter()
    reads, writes = needs(settings, "read"), needs(settings, "write")

    @routes.get("/documents", response_model=DocumentList, dependencies=reads)
    def documents(
        request: Request,
        limit: Annotated[
            int, Query(ge=1, le=MAX_PAGE, description="documents on this page")
        ] = DEFAULT_PAGE,
        cursor: Annotated[
            str | None, Query(max_length=20_000, description="`next_cursor` of the page before")
        ] = None,
    ) -> DocumentList:
        """The indexed documents in id order, a page at a time: follow `next_cursor` until
        it is null."""
        return engine_of(request).documents(limit, cursor)

    @routes.get("/documents/{doc_id:path}", response_model=DocumentDetail, dependencies=reads)
    def document(doc_id: str, request: Request) -> DocumentDetail:
        return engine_of(request).document(doc_id)

    @routes.post("/documents", status_code=201, response_model=DocumentSummary, dependencies=writes)
    async def add_document(
        request: Request, file: Annotated[UploadFile, File(description=UPLOAD_TYPES)]
    ) -> DocumentSummary:
        """Store the file in the uploads folder (CITEQA_UPLOADS, default HOME/uploads) and
        index it."""
        data = await file.read()  # the body limit (limits.BodyLimit) has bounded it
        # Parsing and embedding are CPU work: run them off the event loop.
        doc = await run_in_threadpool(writer_of(request).add, file.filename or "", data)
        return engine_of(request).summary(doc.id)

    @routes.put("/documents/{doc_id:path}", response_model=DocumentSummary, dependencies=writes)
    async def replace_document(
        doc_id: str,
        request: Request,
        file: Annotated[UploadFile, File(description="the new content, of the same file type")],
    ) -> DocumentSummary:
        data = await file.read()  # the body limit (limits.BodyLimit) has bounded it
        doc = await run_in_threadpool(
            writer_of(request).add, file.filename or doc_id, data, replace=doc_id
        )
        return engine_of(request).summary(doc.id)

    @routes.delete("/documents/{doc_id:path}", status_code=204, dependencies=writes)
    def delete_document(doc_id: str, request: Request) -> Response:
        """Remove a document from the index. An uploaded one (its file in the uploads folder)
        has its file deleted; one of an ingested folder keeps its file and is recorded as
        excluded, so later ingests leave it out (`citeqa ingest --include ID` undoes that)."""
        writer_of(request).remove(doc_id)
        return Response(status_code=204)

    return routes
