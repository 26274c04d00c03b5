"""A client of a running citeqa service: what the CLI's `--url` commands send and read back.

Each call returns the same pydantic model the in-process Engine returns, parsed from the body
the service sent, so the CLI prints both the same way. A refusal by the service (a 4xx or 5xx)
or no service at the address is a ServiceError whose message is the service's `detail`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from .models import AskResponse, DocumentDetail, DocumentList, DocumentSummary, Filter, Stats

T = TypeVar("T", bound=BaseModel)
TIMEOUT = httpx.Timeout(30.0, read=600.0)  # an upload is parsed and embedded before the answer


class ServiceError(RuntimeError):
    """The service refused the request, or could not be reached; the message says why."""


class Client:
    """One service at `url`; `key` is sent as X-API-Key when given."""

    def __init__(self, url: str, key: str | None = None) -> None:
        headers = {"X-API-Key": key} if key else {}
        self.url = url.rstrip("/")
        self.http = httpx.Client(base_url=self.url, headers=headers, timeout=TIMEOUT)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Any request; a refusal raises ServiceError with the service's `detail`."""
        return self._call(method, path, **kwargs)

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as err:
            raise ServiceError(f"cannot reach the service at {self.url} ({err})") from err
        if response.status_code >= 400:
            try:
                detail = response.json()["detail"]
            except (ValueError, KeyError, TypeError):
                detail = response.text.strip()[:300] or response.reason_phrase
            raise ServiceError(f"{detail} (HTTP {response.status_code})")
        return response

    def _parsed(self, model: type[T], response: httpx.Response) -> T:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as err:
            raise ServiceError(
                f"{self.url} answered {response.request.url.path} with something that is not "
                f"citeqa's {model.__name__} ({err.error_count()} errors): is it a citeqa service?"
            ) from err

    def ask(self, question: str, k: int | None = None, scope: Filter | None = None) -> AskResponse:
        body: dict[str, Any] = {"question": question, "k": k}
        if scope is not None:
            body["filter"] = scope.model_dump(mode="json", exclude_none=True, by_alias=True)
        return self._parsed(AskResponse, self._call("POST", "/ask", json=body))

    def stats(self) -> Stats:
        return self._parsed(Stats, self._call("GET", "/stats"))

    def documents(self, limit: int = 1000, cursor: str | None = None) -> DocumentList:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        return self._parsed(DocumentList, self._call("GET", "/documents", params=params))

    def all_documents(self, limit: int = 1000) -> Iterator[DocumentList]:
        """Every page of GET /documents, following `next_cursor`."""
        cursor = None
        while True:
            page = self.documents(limit, cursor)
            yield page
            cursor = page.next_cursor
            if cursor is None:
                return

    def document(self, doc_id: str) -> DocumentDetail:
        return self._parsed(DocumentDetail, self._call("GET", f"/documents/{_path(doc_id)}"))

    def add(self, path: Path, replace: str | None = None) -> DocumentSummary:
        """Upload a file (POST /documents), or replace document `replace` with it (PUT)."""
        files = {"file": (path.name, path.read_bytes())}
        if replace is None:
            response = self._call("POST", "/documents", files=files)
        else:
            response = self._call("PUT", f"/documents/{_path(replace)}", files=files)
        return self._parsed(DocumentSummary, response)

    def remove(self, doc_id: str) -> None:
        self._call("DELETE", f"/documents/{_path(doc_id)}")


def _path(doc_id: str) -> str:
    """A document id as a URL path: its slashes kept (the route takes a path), the rest quoted."""
    return quote(doc_id, safe="/")
