"""The write endpoints (upload, replace, delete, rebuild: the API key) and rebuild jobs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, HTTPException, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from .auth import require_job_key, require_write_key
from .engine import Engine
from .models import DocumentSummary
from .writes import Job, Writer

router = APIRouter(dependencies=[Depends(require_write_key)])
# Jobs are read by whoever may see them (auth.require_job_key), not only by writers.
jobs_router = APIRouter(dependencies=[Depends(require_job_key)])


def _writer(request: Request) -> Writer:
    return request.app.state.writer


def _engine(request: Request) -> Engine:
    return request.app.state.engine


@router.post("/documents", status_code=201, response_model=DocumentSummary)
async def add_document(
    request: Request, file: Annotated[UploadFile, File(description="a .txt, .md or .pdf file")]
) -> DocumentSummary:
    data = await file.read()  # the body limit (max_body_size) has bounded it
    # Parsing and embedding are CPU work: run them off the event loop.
    doc = await run_in_threadpool(_writer(request).add, file.filename or "", data)
    return _engine(request).summary(doc.id)


@router.put("/documents/{doc_id:path}", response_model=DocumentSummary)
async def replace_document(
    doc_id: str,
    request: Request,
    file: Annotated[UploadFile, File(description="the new content, of the same file type")],
) -> DocumentSummary:
    data = await file.read()  # the body limit (max_body_size) has bounded it
    doc = await run_in_threadpool(
        _writer(request).add, file.filename or doc_id, data, replace=doc_id
    )
    return _engine(request).summary(doc.id)


@router.delete("/documents/{doc_id:path}", status_code=204)
def delete_document(doc_id: str, request: Request) -> Response:
    _writer(request).remove(doc_id)
    return Response(status_code=204)


@router.post("/index/rebuild", status_code=202)
def rebuild(request: Request) -> dict[str, str]:
    return {"job": _writer(request).start_rebuild().id}


@jobs_router.get("/jobs/{job_id}")
def job(job_id: str, request: Request) -> Job:
    found = _writer(request).jobs.get(job_id)
    if found is None:
        raise HTTPException(404, f"no job {job_id!r}")
    return found
