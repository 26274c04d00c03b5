"""Who may call what: the write key (`CITEQA_API_KEY`) and the optional read key
(`CITEQA_READ_KEY`), both sent in the `X-API-Key` header.

Keys are compared in constant time, and no key (given or configured) ever goes into an error
body or a log line.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from pydantic import SecretStr
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from .settings import Settings

# Declares the header as a security scheme in OpenAPI; auto_error=False so that the status codes
# and messages below are ours (401 missing, 403 wrong) rather than FastAPI's.
API_KEY_SCHEME = "ApiKey"
api_key_header = APIKeyHeader(
    name="X-API-Key",
    scheme_name=API_KEY_SCHEME,
    description="CITEQA_API_KEY for writes; for reads, when CITEQA_READ_KEY is set, either key",
    auto_error=False,
)
GivenKey = Annotated[str | None, Security(api_key_header)]


def _settings(request: Request) -> Settings:
    return request.app.state.engine.settings


def _matches(given: str, key: SecretStr | None) -> bool:
    if key is None:
        return False
    # Header values arrive decoded as Latin-1: encoding back gives the bytes that were sent.
    # Constant time: the time taken says nothing about how much of the key matched.
    return hmac.compare_digest(
        given.encode("latin-1", "replace"), key.get_secret_value().encode("latin-1", "replace")
    )


def _missing() -> HTTPException:
    return HTTPException(401, "this endpoint needs the API key in the X-API-Key header")


def check_write_key(settings: Settings, given: str | None) -> None:
    """The write endpoints: 403 when writes are disabled, 401 without the key, 403 when wrong."""
    if settings.api_key is None:
        raise HTTPException(
            403, "writes are disabled: start the service with CITEQA_API_KEY set to enable them"
        )
    if given is None:
        raise _missing()
    if not _matches(given, settings.api_key):
        raise HTTPException(403, "wrong API key")


def check_read_key(settings: Settings, given: str | None) -> None:
    """The read endpoints: open unless CITEQA_READ_KEY is set; then the read or the write key."""
    if settings.read_key is None:
        return
    if given is None:
        raise _missing()
    # Both comparisons always run, so the time does not say which key was close.
    as_read = _matches(given, settings.read_key)
    as_write = _matches(given, settings.api_key)
    if not (as_read or as_write):
        raise HTTPException(403, "wrong API key")


def check_job_key(settings: Settings, given: str | None) -> None:
    """GET /jobs/{id}: the write key, as the writes that start jobs; when CITEQA_READ_KEY is set,
    the read key too (the job is then a read like the others, never an open one)."""
    if settings.read_key is not None:
        check_read_key(settings, given)
    else:
        check_write_key(settings, given)


def require_write_key(request: Request, x_api_key: GivenKey = None) -> None:
    check_write_key(_settings(request), x_api_key)


def require_read_key(request: Request, x_api_key: GivenKey = None) -> None:
    check_read_key(_settings(request), x_api_key)


def require_job_key(request: Request, x_api_key: GivenKey = None) -> None:
    check_job_key(_settings(request), x_api_key)


def _check_for(method: str, path: str) -> Callable[[Settings, str | None], None] | None:
    """Which key check the route at `method path` makes (None: none, or not known here)."""
    documents = path == "/documents" or path.startswith("/documents/")
    if method in ("POST", "PUT", "DELETE") and (documents or path == "/index/rebuild"):
        return check_write_key
    if method == "GET" and path.startswith("/jobs/"):
        return check_job_key
    if (method, path) in (("POST", "/ask"), ("GET", "/stats")) or (method == "GET" and documents):
        return check_read_key
    return None


class KeysBeforeBodies:
    """Checks X-API-Key before anything reads the request body, so a request without the right
    key is refused at once: an unkeyed upload is not received first (up to CITEQA_MAX_UPLOAD_MB),
    and malformed JSON from a stranger gets 401, not a parse error. The routes' own dependencies
    make the same checks again (they also declare the scheme in OpenAPI)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            check = _check_for(scope["method"], scope["path"])
            if check is not None:
                given = Headers(scope=scope).get("x-api-key") or None  # empty: missing, as FastAPI
                try:
                    check(self.settings, given)
                except HTTPException as err:
                    response = JSONResponse({"detail": err.detail}, status_code=err.status_code)
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)
