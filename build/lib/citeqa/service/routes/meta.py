"""GET /health (always open), GET /health/ready, GET /stats and GET /metrics: whether the
service is up and ready, what it serves, and its counters for Prometheus."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from citeqa.service.auth import needs
from citeqa.service.models import Ready, Stats
from citeqa.service.settings import Settings

from .deps import engine_of


def router(settings: Settings) -> APIRouter:
    routes = APIRouter()

    @routes.get("/health")
    async def health() -> dict[str, str]:  # in the event loop: never queued behind busy threads
        return {"status": "ok"}

    @routes.get("/health/ready", response_model=Ready)
    async def ready(request: Request) -> Ready:
        """200 when an index is loaded and its vector store answers; 503 saying why when not
        (for a load balancer: send no questions here yet)."""
        return Ready(
            status="ready", index_version=await run_in_threadpool(engine_of(request).ready)
        )

    @routes.get("/stats", response_model=Stats, dependencies=needs(settings, "read"))
    def stats(request: Request) -> Stats:
        return engine_of(request).stats()

    @routes.get("/metrics", dependencies=needs(settings, "read"), response_class=Response)
    def metrics(request: Request) -> Response:
        """Prometheus text format: requests by route and status, latencies, answers, the index."""
        body = generate_latest(request.app.state.metrics.registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return routes
