"""The collection admin routes, which need CITEQA_ADMIN_KEY: POST /collections (create),
GET /collections (list), DELETE /collections/{name}. A collection's own routes are its app's,
under /collections/{name}/ (service/collections.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response, Security
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from citeqa.service import collections
from citeqa.service.auth import GivenKey
from citeqa.service.collections import CollectionError, Collections
from citeqa.service.settings import Settings


class NewCollection(BaseModel):
    name: str = Field(description=collections.NAME_RULE)
    api_key: str = Field(description="the collection's write key (16-512 characters)")
    read_key: str | None = Field(None, description="its read key; without one reads need api_key")


class CollectionSummary(BaseModel):
    name: str
    documents: int


class CollectionList(BaseModel):
    collections: list[CollectionSummary]


def router(settings: Settings, served: Collections) -> APIRouter:
    async def admin(x_api_key: GivenKey = None) -> None:
        collections.admin_check(settings, x_api_key)

    routes = APIRouter(dependencies=[Security(admin)], tags=["collections"])

    def refused(err: CollectionError) -> HTTPException:
        return HTTPException(err.status, str(err))

    @routes.post("/collections", status_code=201, response_model=CollectionSummary)
    def create(body: NewCollection) -> Any:
        try:
            collections.create(settings, body.name, body.api_key, body.read_key)
        except CollectionError as err:
            raise refused(err) from None
        return CollectionSummary(name=body.name, documents=0)

    @routes.get("/collections", response_model=CollectionList)
    async def listing() -> Any:
        found = await run_in_threadpool(collections.listing, settings)
        return CollectionList(collections=[CollectionSummary(**c) for c in found])

    @routes.delete("/collections/{name}", status_code=204)
    async def delete(name: str, request: Request) -> Response:
        try:
            collections.check_name(name)
            await served.delete(name)
        except CollectionError as err:
            raise refused(err) from None
        return Response(status_code=204)

    return routes
