"""The FastAPI app: thin handlers over `Engine`, domain errors mapped to status codes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import torch
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from citeqa.corpus import DocumentError, UnsupportedType
from citeqa.index import IndexMismatchError, IngestError, NoIndexError, StorageFullError

from . import write_routes
from .auth import API_KEY_SCHEME, GivenKey, KeysBeforeBodies, check_read_key, require_read_key
from .engine import DocumentNotFound, Engine, InvalidQuestion
from .limits import BodyLimit
from .models import ERROR_RESPONSES, AskRequest, AskResponse, DocumentDetail, DocumentList, Stats
from .settings import Settings
from .web import add_web_page
from .writes import UnknownDocument, WriteConflict, Writer, recover_corpus

log = logging.getLogger("citeqa")


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The app; the model and index load once, at start-up (or come ready-made in `engine`)."""
    settings = engine.settings if engine else settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Serving answers many small questions at once: one torch thread each (see Settings).
        torch.set_num_threads(settings.query_threads)
        app.state.engine = engine or Engine(settings)
        app.state.writer = Writer(
            app.state.engine.settings, app.state.engine.encoder, app.state.engine.refresh
        )
        for note in recover_corpus(app.state.engine.settings):  # a write killed half-way
            log.warning("interrupted write: %s", note)
        # Load and warm up now, so the first question is not the slow one. Without a usable
        # index the service still starts and answers 503 with the reason until one is published.
        with suppress(NoIndexError, IndexMismatchError):
            app.state.engine.warm_up()
        yield

    app = FastAPI(
        title="citeqa",
        summary="Questions over your documents, answered with cited passages.",
        version="0.1.0",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,  # documents the {"detail": str} errors instead of FastAPI's list
    )
    _add_error_handlers(app)
    app.add_middleware(BodyLimit, upload_bytes=settings.max_upload_mb << 20)
    app.add_middleware(KeysBeforeBodies, settings=settings)  # outside BodyLimit: keys first
    if settings.cors_origins:
        # Added last, so outermost: preflights are answered before any other check, and errors
        # (401, 413, ...) carry the CORS headers a browser needs to show them.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Content-Type", "X-API-Key"],
        )
    app.include_router(write_routes.router)
    app.include_router(write_routes.jobs_router)
    reads = [Depends(read_access)]  # open unless CITEQA_READ_KEY is set

    def get_engine(request: Request) -> Engine:
        return request.app.state.engine

    # /ask is the hot path, so it skips FastAPI's generic body handling (JSON parsed in Python,
    # then validated, then the sync handler dispatched): pydantic parses and validates the bytes
    # in one step, and the answer goes out as the JSON of the model the engine built, not
    # validated again. About 0.3 ms of CPU less per question (measured); the errors stay those of
    # FastAPI's path (`read_ask_request`), and the body and answer stay documented.
    # The key is checked here, not by a FastAPI dependency (another 0.2 ms of CPU), and
    # documented as the dependency would document it.
    ask_security: list[dict[str, list[str]]] = [{API_KEY_SCHEME: []}]
    if settings.read_key is None:
        ask_security.insert(0, {})  # reads are open: the key is optional

    @app.post(
        "/ask",
        response_model=AskResponse,
        openapi_extra={"requestBody": ASK_REQUEST_BODY, "security": ask_security},
    )
    async def ask(request: Request) -> Response:
        check_read_key(get_engine(request).settings, request.headers.get("x-api-key") or None)
        body = await read_ask_request(request)
        answer = await run_in_threadpool(get_engine(request).ask, body.question, body.k)
        return Response(answer.model_dump_json(), media_type="application/json")

    @app.get("/health")
    async def health() -> dict[str, str]:  # in the event loop: never queued behind busy threads
        return {"status": "ok"}

    @app.get("/stats", response_model=Stats, dependencies=reads)
    def stats(request: Request) -> Stats:
        return get_engine(request).stats()

    @app.get("/documents", response_model=DocumentList, dependencies=reads)
    def documents(request: Request) -> DocumentList:
        return get_engine(request).documents()

    @app.get("/documents/{doc_id:path}", response_model=DocumentDetail, dependencies=reads)
    def document(doc_id: str, request: Request) -> DocumentDetail:
        return get_engine(request).document(doc_id)

    add_web_page(app)
    if settings.read_key is None:
        _document_open_reads(app)
    return app


ASK_REQUEST_BODY = {
    "required": True,
    "content": {"application/json": {"schema": AskRequest.model_json_schema()}},
}


async def read_ask_request(request: Request) -> AskRequest:
    """The /ask body, or the RequestValidationError FastAPI would raise for it (the handler
    below turns that into 415 / 400 / 422)."""
    body = await request.body()
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not body:
        raise RequestValidationError(
            [{"type": "missing", "loc": ("body",), "msg": "Field required"}]
        )
    if not (media_type == "application/json" or media_type.endswith("+json")):
        raise RequestValidationError([{"type": "model_attributes_type", "loc": ("body",)}])
    try:
        return AskRequest.model_validate_json(body)
    except ValidationError as err:
        errors = err.errors(include_url=False, include_input=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None


async def read_access(request: Request, x_api_key: GivenKey = None) -> None:
    """`require_read_key` run in the event loop: it only compares strings, and FastAPI runs a
    plain `def` dependency in a worker thread, a hop each read would pay for nothing."""
    require_read_key(request, x_api_key)


def _document_open_reads(app: FastAPI) -> None:
    """In the OpenAPI document, the key becomes optional on reads (`security: [{}, ...]`):
    FastAPI declares every security dependency as required."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for route in app.routes:
                if isinstance(route, APIRoute) and any(
                    d.call is read_access for d in route.dependant.dependencies
                ):
                    for method in route.methods or ():
                        operation = schema["paths"][route.path_format][method.lower()]
                        operation["security"] = [{}, *operation.get("security", [])]
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def _add_error_handlers(app: FastAPI) -> None:
    def detail(status: int, message: str) -> JSONResponse:
        return JSONResponse({"detail": message}, status_code=status)

    @app.exception_handler(InvalidQuestion)
    async def invalid_question(_: Request, err: InvalidQuestion) -> JSONResponse:
        return detail(422, str(err))

    @app.exception_handler(DocumentNotFound)
    async def not_found(_: Request, err: DocumentNotFound) -> JSONResponse:
        return detail(404, f"no document with id {err.args[0]!r} in the index")

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
        return detail(404, f"no document with id {err.args[0]!r} in the index")

    @app.exception_handler(NoIndexError)
    @app.exception_handler(IndexMismatchError)
    async def no_index(_: Request, err: Exception) -> JSONResponse:
        return detail(503, str(err))

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
