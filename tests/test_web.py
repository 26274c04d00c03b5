"""The web page as served over real HTTP; tests/test_browser.py drives it in a browser."""

from __future__ import annotations

import re

import httpx

from citeqa.service.web import STATIC

ASSETS = ("/static/citeqa.js", "/static/citeqa.css")


def test_the_page_and_its_assets_are_served(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    for asset in ASSETS:
        assert asset in html
        response = http.get(asset)
        assert response.status_code == 200, asset
        assert response.content == (STATIC / asset.rsplit("/", 1)[1]).read_bytes()
    assert "javascript" in http.get(ASSETS[0]).headers["content-type"]
    assert http.get(ASSETS[1]).headers["content-type"].startswith("text/css")
    assert http.get("/static/nope.js").json() == {"detail": "Not Found"}


def test_the_upload_field_accepts_every_format(http: httpx.Client) -> None:
    """The page lists the registry's suffixes; nothing is left as a placeholder."""
    html = http.get("/").text
    accept = re.search(r'<input id="file"[^>]* accept="([^"]*)"', html)
    assert accept is not None and "{{" not in html
    assert {".pptx", ".xlsx", ".csv", ".epub", ".eml", ".docx", ".pdf", ".md", ".gz"} <= set(
        accept.group(1).split(",")
    )
    assert "File (.csv, .docx, .eml, .epub," in html and "; .gz of html, md, txt)" in html


def test_the_page_loads_nothing_from_elsewhere(http: httpx.Client) -> None:
    """Self-contained: every URL in the page and its assets is local, and the policy says so."""
    policy = http.get("/").headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    for path in ("/", *ASSETS):
        text = http.get(path).text
        assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), path
        assert "@import" not in text and "innerHTML" not in text and "eval(" not in text


def test_the_page_is_small() -> None:
    sizes = {p.name: p.stat().st_size for p in STATIC.iterdir()}
    assert set(sizes) == {"index.html", "citeqa.js", "citeqa.css"}
    assert sum(sizes.values()) < 40_000, sizes


def test_the_page_is_not_part_of_the_api_schema(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    assert "/" not in paths and not any(p.startswith("/static") for p in paths)
    assert "/ask" in paths and "/health" in paths
    assert http.get("/health").json() == {"status": "ok"}
