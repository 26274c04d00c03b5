"""The FastAPI app: the routes of service/routes/ over one `Engine`, assembled with their limits,
key checks and error mapping."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from citeqa.index.encoder import Encoder
from citeqa.index.storage import IndexMismatchError, IngestError, NoIndexError
from citeqa.index.storage.merge import TIMING_HOOKS
from citeqa.index.vectorstores import VectorStoreError

from .auth import KeysBeforeBodies
from .collections import Collections
from .engine import Engine
from .errors import add_error_handlers
from .limits import BodyLimit
from .models import ERROR_RESPONSES
from .observability import Metrics, RequestObserver
from .routes import ask, documents, jobs, meta
from .routes import collections as collection_routes
from .settings import Settings
from .watch import Watcher, log_to_stderr, watched_roots
from .web import add_web_page
from .writes import Writer, recover_corpus

log = logging.getLogger("citeqa")
# How often a process rereads CURRENT (one small file) while answering: a version another
# process publishes (a worker, a replica) is served here within this plus its load time, which
# keeps "every replica serves a write within a second" (docs/operations.md#replicas).
REREAD_SECONDS = 0.5


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, embedded: bool = False
) -> FastAPI:
    """The app; the model and index load once, at start-up (or come ready-made in `engine`).
    An `embedded` app is a collection's, served inside this one: the outer app logs, counts and
    answers CORS for its requests."""
    settings = engine.settings if engine else settings or Settings()
    served = Collections(settings, lambda: app.state.engine.encoder, _collection_app)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = engine or Engine(settings, recheck_seconds=REREAD_SECONDS)
        metrics_state["engine"] = app.state.engine
        app.state.engine.query_encoder.on_batch = app.state.metrics.batches.observe
        timing = app.state.metrics.observe_write(app.state.engine.settings.home)
        TIMING_HOOKS.append(timing)
        app.state.writer = Writer(
            app.state.engine.settings, app.state.engine.encoder, app.state.engine.refresh
        )
        for note in recover_corpus(app.state.engine.settings):  # a write killed half-way
            log.warning("interrupted write: %s", note)
        # Load and warm up now, so the first question is not the slow one. Without a usable
        # index the service still starts and answers 503 with the reason until one is published.
        with suppress(NoIndexError, IndexMismatchError, VectorStoreError):
            app.state.engine.warm_up()
        watcher = _start_watching(app.state.engine.settings, app.state.writer)
        try:
            yield
        finally:
            if watcher is not None:  # a group of changes being written is finished first
                await asyncio.to_thread(watcher.stop)
            TIMING_HOOKS.remove(timing)
            await served.close()

    app = FastAPI(
        title="citeqa",
        summary="Questions over your documents, answered with cited passages.",
        version="0.1.0",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,  # documents the {"detail": str} errors instead of FastAPI's list
    )
    add_error_handlers(app)
    metrics_state: dict[str, Engine] = {}
    app.state.metrics = Metrics.create(
        lambda: metrics_state["engine"].index_state() if "engine" in metrics_state else None
    )
    _log_requests_to_stderr()
    routers = [resource.router(settings) for resource in (ask, meta, documents, jobs)]
    for router in routers:
        app.include_router(router)
    if not embedded:
        app.state.collections = served
        app.include_router(collection_routes.router(settings, served))
        app.mount("/collections", served)
    if not embedded:  # the page talks to the top-level routes: it serves the default collection
        add_web_page(app)
    app.add_middleware(BodyLimit, upload_bytes=settings.max_upload_mb << 20)
    # Outside BodyLimit, so keys are checked first; the routes say which key each one needs.
    routes = [route for router in routers for route in router.routes]
    app.add_middleware(KeysBeforeBodies, settings=settings, routes=routes)
    if embedded:
        return app
    # Outside the key check: refused requests get an id, a log line and a count too.
    app.add_middleware(
        RequestObserver, metrics=app.state.metrics, json_logs=settings.log_format == "json"
    )
    if settings.cors_origins:
        # Added last, so outermost: preflights are answered before any other check, and errors
        # (401, 413, ...) carry the CORS headers a browser needs to show them.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Content-Type", "X-API-Key"],
        )
    return app


def _collection_app(settings: Settings, encoder: Encoder) -> FastAPI:
    """A collection's app, reading with the service's encoder (the model is loaded once)."""
    return create_app(
        engine=Engine(settings, encoder, recheck_seconds=REREAD_SECONDS), embedded=True
    )


def _start_watching(settings: Settings, writer: Writer) -> Watcher | None:
    """With CITEQA_WATCH (`citeqa serve --watch`), a thread keeping the index in step with its
    sources of record, writing through the same `Writer` as the HTTP writes."""
    if not settings.watch:
        return None
    log_to_stderr()
    try:
        watcher = Watcher(settings, writer, watched_roots(settings))
    except IngestError as err:
        log.warning("not watching: %s", err)
        return None
    watcher.start()
    return watcher


def _log_requests_to_stderr() -> None:
    """One line per request on stderr, as written (observability.py), unless the host process
    configured the logger itself."""
    requests = logging.getLogger("citeqa.requests")
    if not requests.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        requests.addHandler(handler)
        requests.setLevel(logging.INFO)
        requests.propagate = False
