"""Who may call what: the write key (`CITEQA_API_KEY`) and the optional read key
(`CITEQA_READ_KEY`), both sent in the `X-API-Key` header.

A route says which key it needs in one place, its dependencies (`needs`); the OpenAPI document
and the early check in `KeysBeforeBodies` are both derived from them. Keys are compared in
constant time, and no key (given or configured) ever goes into an error body or a log line.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from fastapi import HTTPException, Request, Security
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader
from pydantic import SecretStr
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Match
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
KeyCheck = Callable[[Settings, str | None], None]


def _matches(given: str, key: SecretStr | None) -> bool:
    if key is None:
        return False
    # Header values arrive decoded as Latin-1: encoding back gives the bytes that were sent.
    # Constant time: the time taken says nothing about how much of the key matched.
    return hmac.compare_digest(
        given.encode("latin-1", "replace"), key.get_secret_value().encode("latin-1", "replace")
    )


def _opens(given: str, key: SecretStr | None, digest: str | None) -> bool:
    """Whether `given` is the key configured in clear (`key`) or as its sha256 (`digest`)."""
    in_clear = _matches(given, key)  # both comparisons run: the time says nothing of which
    hashed = hashlib.sha256(given.encode("latin-1", "replace")).hexdigest()
    as_digest = digest is not None and hmac.compare_digest(hashed, digest)
    return in_clear or as_digest


def _missing() -> HTTPException:
    return HTTPException(401, "this endpoint needs the API key in the X-API-Key header")


def check_write_key(settings: Settings, given: str | None) -> None:
    """The write endpoints: 403 when writes are disabled, 401 without the key, 403 when wrong."""
    if not settings.writes_keyed:
        raise HTTPException(
            403, "writes are disabled: start the service with CITEQA_API_KEY set to enable them"
        )
    if given is None:
        raise _missing()
    if not _opens(given, settings.api_key, settings.api_key_sha256):
        raise HTTPException(403, "wrong API key")


def check_read_key(settings: Settings, given: str | None) -> None:
    """The read endpoints when CITEQA_READ_KEY is set: the read or the write key."""
    if not settings.reads_keyed:
        return
    if given is None:
        raise _missing()
    # Both comparisons always run, so the time does not say which key was close.
    as_read = _opens(given, settings.read_key, settings.read_key_sha256)
    as_write = _opens(given, settings.api_key, settings.api_key_sha256)
    if not (as_read or as_write):
        raise HTTPException(403, "wrong API key")


# The dependencies run in the event loop (`async def`): they only compare strings, and FastAPI
# runs a plain `def` dependency in a worker thread, a hop each request would pay for nothing.
async def require_write_key(request: Request, x_api_key: GivenKey = None) -> None:
    check_write_key(request.app.state.engine.settings, x_api_key)


async def require_read_key(request: Request, x_api_key: GivenKey = None) -> None:
    check_read_key(request.app.state.engine.settings, x_api_key)


KEY_CHECKS: dict[Callable[..., Any], KeyCheck] = {
    require_write_key: check_write_key,
    require_read_key: check_read_key,
}


def needs(settings: Settings, access: Literal["read", "write", "job"]) -> list[Any]:
    """The dependencies of a route of this access: "write" needs the write key; "read" is open
    unless CITEQA_READ_KEY is set (then it needs either key); "job" (GET /jobs/{id}) is a read
    when reads need a key, otherwise a write, so a job is never open."""
    reads_keyed = settings.reads_keyed
    if access == "write" or (access == "job" and not reads_keyed):
        return [Security(require_write_key)]
    return [Security(require_read_key)] if reads_keyed else []


def key_check_of(route: BaseRoute) -> KeyCheck | None:
    """The key check `route`'s dependencies make, or None for an open route."""
    if not isinstance(route, APIRoute):
        return None
    for dependency in route.dependant.dependencies:
        if dependency.call in KEY_CHECKS:
            return KEY_CHECKS[dependency.call]
    return None


class KeysBeforeBodies:
    """Checks X-API-Key before anything reads the request body, so a request without the right
    key is refused at once: an unkeyed upload is not received first (up to CITEQA_MAX_UPLOAD_MB),
    and malformed JSON from a stranger gets 401, not a parse error. Which check a request needs
    is read off the routes' own dependencies (`key_check_of`)."""

    def __init__(self, app: ASGIApp, settings: Settings, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.settings = settings
        found = ((route, key_check_of(route)) for route in routes)
        self._checks = [(route, check) for route, check in found if check is not None]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            check = self._check_for(scope)
            if check is not None:
                given = Headers(scope=scope).get("x-api-key") or None  # empty: missing, as FastAPI
                try:
                    check(self.settings, given)
                except HTTPException as err:
                    response = JSONResponse({"detail": err.detail}, status_code=err.status_code)
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    def _check_for(self, scope: Scope) -> KeyCheck | None:
        for route, check in self._checks:
            if route.matches(scope)[0] == Match.FULL:
                return check
        return None
