"""What handlers reach through the request: the engine and the writer the app started with."""

from __future__ import annotations

from fastapi import Request

from citeqa.service.engine import Engine
from citeqa.service.writes import Writer


def engine_of(request: Request) -> Engine:
    return request.app.state.engine


def writer_of(request: Request) -> Writer:
    return request.app.state.writer
