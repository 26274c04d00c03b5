"""The web page at `/`: one HTML file, one script and one stylesheet, shipped inside the package
(service/static/) and served by the app itself, so the page works offline and needs no build."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from citeqa.corpus import SUPPORTED_SUFFIXES

STATIC = Path(__file__).resolve().parent / "static"

# The page loads nothing but its own two files and talks to nothing but this API. The policy makes
# the browser refuse anything else, including a script that document text could try to smuggle in
# (the page never parses document text as HTML in the first place).
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def page_html() -> str:
    """index.html with the upload field's types filled in from the format registry."""
    plain = sorted(s for s in SUPPORTED_SUFFIXES if not s.endswith(".gz"))
    compressed = sorted({SUPPORTED_SUFFIXES[s] for s in SUPPORTED_SUFFIXES if s.endswith(".gz")})
    types = ", ".join(plain) + ("; .gz of " + ", ".join(compressed) if compressed else "")
    accept = ",".join([*plain, ".gz"] if compressed else plain)
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    return html.replace("{{UPLOAD_TYPES}}", types).replace("{{UPLOAD_ACCEPT}}", accept)


def add_web_page(app: FastAPI) -> None:
    """Serve the page at `/` and its assets under `/static/` (neither is part of the API schema)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    html = page_html()

    @app.get("/", include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(html, headers=PAGE_HEADERS)
