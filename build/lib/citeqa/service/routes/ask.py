"""POST /ask: a question in, cited passages out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from citeqa.service.auth import needs
from citeqa.service.models import AskRequest, AskResponse
from citeqa.service.settings import Settings

from .deps import engine_of


# /ask is the hot path, so it skips FastAPI's generic body handling (JSON parsed in Python, then
# validated, then the handler dispatched): pydantic parses and validates the bytes in one step,
# and the answer goes out as the JSON of the model the engine built, not validated again (about
# 0.3 ms of CPU less per question). The errors stay those of FastAPI's path, and the body is
# declared in OpenAPI as FastAPI documents for a body a handler reads itself.
def _inlined(schema: Any, defs: dict[str, Any] | None = None) -> Any:
    """`schema` with its `$defs` references replaced by the definitions (the filter's models):
    the request body is declared in place, where a `#/$defs/...` reference resolves nowhere."""
    if defs is None and isinstance(schema, dict):
        defs = schema.pop("$defs", {})
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and defs is not None:
            return _inlined(defs[ref.removeprefix("#/$defs/")], defs)
        return {key: _inlined(value, defs) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_inlined(item, defs) for item in schema]
    return schema


ASK_REQUEST_BODY = {
    "required": True,
    "content": {"application/json": {"schema": _inlined(AskRequest.model_json_schema())}},
}


def router(settings: Settings) -> APIRouter:
    routes = APIRouter()

    @routes.post(
        "/ask",
        response_model=AskResponse,
        dependencies=needs(settings, "read"),
        openapi_extra={"requestBody": ASK_REQUEST_BODY},
    )
    async def ask(request: Request) -> Response:
        body = await read_ask_request(request)
        answer = await run_in_threadpool(engine_of(request).ask, body.question, body.k, body.filter)
        request.app.state.metrics.answers.labels(str(answer.answerable).lower()).inc()
        return Response(answer.model_dump_json(), media_type="application/json")

    return routes


async def read_ask_request(request: Request) -> AskRequest:
    """The /ask body, or the RequestValidationError FastAPI would raise for it (service/errors.py
    turns that into 415 / 400 / 422)."""
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
