"""POST /index/rebuild starts a background rebuild (the write key); GET /jobs/{id} follows it."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from citeqa.service.auth import needs
from citeqa.service.settings import Settings
from citeqa.service.writes import Job

from .deps import writer_of


def router(settings: Settings) -> APIRouter:
    routes = APIRouter()

    @routes.post("/index/rebuild", status_code=202, dependencies=needs(settings, "write"))
    def rebuild(request: Request) -> dict[str, str]:
        return {"job": writer_of(request).start_rebuild().id}

    @routes.get("/jobs/{job_id}", dependencies=needs(settings, "job"))
    def job(job_id: str, request: Request) -> Job:
        found = writer_of(request).jobs.get(job_id)
        if found is None:
            raise HTTPException(404, f"no job {job_id!r}")
        return found

    return routes
