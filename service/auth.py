"""Who may call what: the write key (`CITEQA_API_KEY`) and the optional read key
(`CITEQA_READ_KEY`), both sent in the `X-API-Key` header.

Keys are compared in constant time, and no key (given or configured) ever goes into an error
body or a log line.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from pydantic import SecretStr

from .settings import Settings

# Declares the header as a security scheme in OpenAPI; auto_error=False so that the status codes
# and messages below are ours (401 missing, 403 wrong) rather than FastAPI's.
api_key_header = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKey",
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


def require_write_key(request: Request, x_api_key: GivenKey = None) -> None:
    """The write endpoints: 403 when writes are disabled, 401 without the key, 403 when wrong."""
    settings = _settings(request)
    if settings.api_key is None:
        raise HTTPException(
            403, "writes are disabled: start the service with CITEQA_API_KEY set to enable them"
        )
    if x_api_key is None:
        raise _missing()
    if not _matches(x_api_key, settings.api_key):
        raise HTTPException(403, "wrong API key")


def require_read_key(request: Request, x_api_key: GivenKey = None) -> None:
    """The read endpoints: open unless CITEQA_READ_KEY is set; then the read or the write key."""
    settings = _settings(request)
    if settings.read_key is None:
        return
    if x_api_key is None:
        raise _missing()
    # Both comparisons always run, so the time does not say which key was close.
    as_read = _matches(x_api_key, settings.read_key)
    as_write = _matches(x_api_key, settings.api_key)
    if not (as_read or as_write):
        raise HTTPException(403, "wrong API key")


def require_job_key(request: Request, x_api_key: GivenKey = None) -> None:
    """GET /jobs/{id}: the write key, as the writes that start jobs; when CITEQA_READ_KEY is set,
    the read key too (the job is then a read like the others, never an open one)."""
    if _settings(request).read_key is not None:
        require_read_key(request, x_api_key)
    else:
        require_write_key(request, x_api_key)
