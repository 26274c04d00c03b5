"""GET /health (always open) and GET /stats: whether the service is up, and what it serves."""

from __future__ import annotations

from fastapi import APIRouter, Request

from citeqa.service.auth import needs
from citeqa.service.models import Stats
from citeqa.service.settings import Settings

from .deps import engine_of


def router(settings: Settings) -> APIRouter:
    routes = APIRouter()

    @routes.get("/health")
    async def health() -> dict[str, str]:  # in the event loop: never queued behind busy threads
        return {"status": "ok"}

    @routes.get("/stats", response_model=Stats, dependencies=needs(settings, "read"))
    def stats(request: Request) -> Stats:
        return engine_of(request).stats()

    return routes
