"""Domain errors mapped to HTTP status codes; every error body is `{"detail": "..."}`."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from citeqa.corpus import DocumentError, UnsupportedType
from citeqa.index.storage import IndexMismatchError, IngestError, NoIndexError, StorageFullError
from citeqa.index.vectorstores import VectorStoreError, VectorStoreMismatchError

from .engine import DocumentNotFound, InvalidQuestion
from .writes import UnknownDocument, WriteConflict

log = logging.getLogger("citeqa")
# What a 503 for an unavailable vector store asks clients to wait: a Milvus server restarting on
# its data takes about a minute.
RETRY_AFTER_SECONDS = 10


def add_error_handlers(app: FastAPI) -> None:
    def detail(status: int, message: str) -> JSONResponse:
        return JSONResponse({"detail": message}, status_code=status)

    @app.exception_handler(InvalidQuestion)
    async def invalid_question(_: Request, err: InvalidQuestion) -> JSONResponse:
        return detail(422, str(err))

    @app.exception_handler(DocumentNotFound)
    async def not_found(_: Request, err: DocumentNotFound) -> JSONResponse:
        return detail(404, err.message)

    @app.exception_handler(UnsupportedType)
    async def unsupported(_: Request, err: UnsupportedType) -> JSONResponse:
        return detail(415, str(err))

    @app.exception_handler(DocumentError)
    async def unreadable(_: Request, err: DocumentError) -> JSONResponse:
        return detail(422, str(err))

    @app.exception_handler(WriteConflict)
    @app.exception_handler(IngestError)
    async def conflict(_: Request, err: Exception) -> JSONResponse:
        return detail(409, str(err))

    @app.exception_handler(UnknownDocument)
    async def unknown(_: Request, err: UnknownDocument) -> JSONResponse:
        return detail(404, err.message)

    @app.exception_handler(NoIndexError)
    @app.exception_handler(IndexMismatchError)
    async def no_index(_: Request, err: Exception) -> JSONResponse:
        return detail(503, str(err))

    @app.exception_handler(VectorStoreMismatchError)
    async def store_mismatch(_: Request, err: VectorStoreMismatchError) -> JSONResponse:
        return detail(503, str(err))

    @app.exception_handler(VectorStoreError)
    async def store_down(request: Request, err: VectorStoreError) -> JSONResponse:
        # 503 with Retry-After: the vector store (a Milvus server) is down or restarting. A
        # write that fails here changed nothing (writes.py undoes its file change), and what
        # is indexed stays in the store, so the same request succeeds once it is back.
        log.error("vector store unavailable: %s", err)
        reading = request.method == "GET" or request.url.path == "/ask"
        outcome = "this request cannot be answered" if reading else "nothing was changed"
        return JSONResponse(
            {"detail": f"{err}; {outcome}: try again once the vector store is back"},
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @app.exception_handler(StorageFullError)
    async def storage_full(_: Request, err: StorageFullError) -> JSONResponse:
        # 507 Insufficient Storage: the server cannot store what the request needs; nothing
        # changed and reads still answer, so this is not 503 (unavailable).
        log.error("write refused: %s", err)
        return detail(507, str(err))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, err: RequestValidationError) -> JSONResponse:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        is_json = media_type == "application/json" or media_type.endswith("+json")
        if request.url.path == "/ask" and not is_json:
            return detail(415, "send the question as JSON (Content-Type: application/json)")
        errors = err.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return detail(400, "the request body is not valid JSON")
        return detail(422, "; ".join(_describe(e) for e in errors) or "invalid request")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, err: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=err)
        return detail(500, "internal error; the server log has the details")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, err: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": str(err.detail)}, err.status_code, headers=err.headers)


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{where or 'body'}: {error.get('msg', 'invalid')}"
