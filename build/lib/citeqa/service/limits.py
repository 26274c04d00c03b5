"""Request body limits enforced while the body streams in, before anything reads it whole."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _TooLarge(HTTPException):
    """Raised while the body streams in: FastAPI lets an HTTPException from reading the body
    through (any other error becomes "400 error parsing the body"), and the app's handler turns
    it into the JSON 413."""

    def __init__(self, limit: int, uploading: bool) -> None:
        super().__init__(413, _message(limit, uploading))


class BodyLimit:
    """413 for bodies over the limit: at once from Content-Length, or as soon as a streamed
    (chunked) body passes it. Uploads to /documents get `upload_bytes`; everything else
    `other_bytes` (a question is a few hundred bytes)."""

    def __init__(self, app: ASGIApp, upload_bytes: int, other_bytes: int = 1 << 20) -> None:
        self.app = app
        self.upload_bytes = upload_bytes
        self.other_bytes = other_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        uploading = str(scope["path"]).startswith("/documents")
        limit = self.upload_bytes if uploading else self.other_bytes
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit, uploading)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise _TooLarge(limit, uploading)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:  # read outside FastAPI's body parsing, before any response
            if not started:
                await _refuse(send, limit, uploading)


def _message(limit: int, uploading: bool) -> str:
    what = "upload" if uploading else "request body"
    hint = " (CITEQA_MAX_UPLOAD_MB)" if uploading else ""
    return f"{what} too large: the limit is {limit} bytes{hint}"


async def _refuse(send: Send, limit: int, uploading: bool) -> None:
    body = json.dumps({"detail": _message(limit, uploading)}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
