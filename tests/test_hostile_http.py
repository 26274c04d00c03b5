"""Issue 7, hostile input over real HTTP: one table of requests to /ask and /documents/{id}, each
with the status it should get, checked against a live uvicorn server.

Every case must get a 4xx whose body is JSON {"detail": "<string>"} with no stack trace (never a
5xx or a hang), and afterwards the shipped corpus must still answer the 1991 question from the
ASEAN-ROK overview PDF. Cases where the service does something else today are marked xfail(strict)
with the bug in one line. Raw request targets (``../`` unnormalised, raw backslashes) are sent with
httpcore's "target" extension, so no client-side URL normalisation hides them.

A second, smaller table sends writes (delete, replace, upload) with the API key to a server over a
corpus of its own, and checks that nothing outside that corpus is touched.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pypdf
import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.storage import current_version
from citeqa.index.storage.ingest import ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .conftest import LiveServer, tiny_corpus
from .test_properties import HELLO, PDF_CRASHES, one_page_pdf

PDF = "asean-secretariat-overview-asean-rok-csp.pdf"
QUESTION_1991 = "When did the ROK become a full Dialogue Partner of ASEAN?"
TRACE_MARKERS = ("Traceback", 'File "', "site-packages", "/work/main", ", line ")
JSON = "application/json"
TIMEOUT = httpx.Timeout(20.0)  # a "hang" fails the case instead of stalling the suite


@dataclass(frozen=True)
class Hostile:
    id: str
    method: str
    target: bytes  # sent as the raw request target
    expect: frozenset[int]
    body: bytes | None = None
    content_type: str | None = JSON
    bug: str | None = None  # today's behaviour differs: xfail(strict) with this reason


def ask(
    id: str,
    body: bytes | str,
    expect: set[int] | int = 422,
    *,
    content_type: str | None = JSON,
    bug: str | None = None,
) -> Hostile:
    raw = body.encode() if isinstance(body, str) else body
    statuses = frozenset({expect} if isinstance(expect, int) else expect)
    return Hostile(id, "POST", b"/ask", statuses, raw, content_type, bug)


def get_doc(
    id: str, target: bytes | str, expect: set[int] | int = 404, bug: str | None = None
) -> Hostile:
    raw = target.encode() if isinstance(target, str) else target
    statuses = frozenset({expect} if isinstance(expect, int) else expect)
    return Hostile(id, "GET", b"/documents/" + raw, statuses, None, None, bug)


# NUL or a lone surrogate -> 422; other control characters are removed from the question
# (so a question of only controls is empty -> 422); a body not declared JSON -> 415.

ASK_CASES = [
    # -- missing and wrong-typed fields
    ask("missing-question", "{}"),
    ask("no-body", b""),
    ask("question-null", '{"question": null}'),
    ask("question-int", '{"question": 42}'),
    ask("question-float", '{"question": 4.2}'),
    ask("question-bool", '{"question": true}'),
    ask("question-list", '{"question": ["When", "1991"]}'),
    ask("question-object", '{"question": {"text": "trade"}}'),
    ask("body-array", "[]"),
    ask("body-string", '"When did the ROK become a Dialogue Partner?"'),
    ask("body-number", "42"),
    ask("body-null", "null"),
    ask("duplicate-key-last-wins", '{"question": "trade", "question": 42}'),
    # -- empty, blank and invisible questions
    ask("empty", '{"question": ""}'),
    ask("whitespace", '{"question": "   \\n\\t\\r "}'),
    ask("unicode-whitespace", '{"question": "\\u00a0\\u2003\\u3000\\u2028\\u2029"}'),
    ask("zero-width-only", '{"question": "\\u200b\\u200c\\u200d\\u2060\\ufeff"}'),
    # -- too long
    ask("1001-chars", json.dumps({"question": "x" * 1001})),
    ask("100k-chars", json.dumps({"question": "trade " * 20_000}), {413, 422}),
    # -- control characters
    ask("nul-only", '{"question": "\\u0000"}'),
    ask("nul-inside", json.dumps({"question": QUESTION_1991.replace(" ", "\u0000", 2)})),
    ask("c0-controls-only", '{"question": "\\u0001\\u0002\\u001b\\u007f"}'),
    ask("c1-controls-only", '{"question": "\\u0085\\u009b\\u0090"}'),
    # Controls inside a real question are removed and the rest is answered.
    ask("escape-sequence", '{"question": "\\u001b[2J\\u001b[31mtrade"}', 200),
    ask(
        "bell-and-zero-width-inside",
        json.dumps({"question": "\u0007" + QUESTION_1991 + "\u200b"}),
        200,
    ),
    # -- invalid Unicode
    ask("lone-high-surrogate", b'{"question": "\\ud800"}', {400, 422}),
    ask("lone-low-surrogate", b'{"question": "trade \\udc00 policy"}', {400, 422}),
    ask("reversed-pair", b'{"question": "\\udc00\\ud800"}', {400, 422}),
    ask("utf8-encoded-surrogate", b'{"question": "\xed\xa0\x80"}', {400, 422}),
    ask("invalid-utf8", b'{"question": "\xff\xfe trade"}', 400),
    ask("overlong-utf8", b'{"question": "\xc0\xaf"}', 400),
    ask("truncated-utf8", b'{"question": "\xe2\x82"}', 400),
    ask(
        "latin-1-body",
        b'{"question": "caf\xe9"}',
        400,
        content_type="application/json; charset=latin-1",
    ),
    # -- k out of range or of the wrong type
    ask("k-zero", '{"question": "trade", "k": 0}'),
    ask("k-negative", '{"question": "trade", "k": -1}'),
    ask("k-over-max", '{"question": "trade", "k": 51}'),
    ask("k-huge", '{"question": "trade", "k": 1000000000000000000000000000000}'),
    ask("k-5000-digits", '{"question": "trade", "k": 1' + "0" * 5000 + "}", {400, 422}),
    ask("k-float", '{"question": "trade", "k": 5.0}'),
    ask("k-fraction", '{"question": "trade", "k": 2.5}'),
    ask("k-string", '{"question": "trade", "k": "5"}'),
    ask("k-true", '{"question": "trade", "k": true}'),
    ask("k-false", '{"question": "trade", "k": false}'),
    ask("k-list", '{"question": "trade", "k": [5]}'),
    ask("k-object", '{"question": "trade", "k": {"n": 5}}'),
    ask("k-nan", '{"question": "trade", "k": NaN}'),
    ask("k-infinity", '{"question": "trade", "k": Infinity}'),
    ask("k-1e400", '{"question": "trade", "k": 1e400}'),
    ask("k-null-means-default", '{"question": "trade", "k": null}', 200),  # documented: optional
    # -- malformed JSON
    ask("unterminated", '{"question": "trade", ', 400),
    ask("single-quotes", "{'question': 'trade'}", 400),
    ask("trailing-comma", '{"question": "trade",}', 400),
    ask("trailing-garbage", '{"question": "trade"} and more', 400),
    ask("bare-word", '{"question": trade}', 400),
    ask("nul-bytes", b"\x00\x00\x00\x00", 400),
    # -- deeply nested JSON
    ask("nested-lists-10k", '{"question": ' + "[" * 10_000 + "]" * 10_000 + "}", {400, 422}),
    ask("nested-objects-10k", '{"a": ' * 10_000 + "1" + "}" * 10_000, {400, 422}),
    ask("nested-lists-100k", "[" * 100_000 + "]" * 100_000, {400, 422}),
    # -- wrong content type (a body that is not JSON -> 400; 415 is the HTTP status for it)
    ask(
        "text-plain",
        json.dumps({"question": "trade"}),
        415,
        content_type="text/plain",
    ),
    ask(
        "form-urlencoded",
        "question=trade&k=2",
        415,
        content_type="application/x-www-form-urlencoded",
    ),
    ask(
        "multipart",
        b'--b\r\nContent-Disposition: form-data; name="question"\r\n\r\ntrade\r\n--b--\r\n',
        415,
        content_type="multipart/form-data; boundary=b",
    ),
    ask(
        "xml",
        "<question>trade</question>",
        415,
        content_type="application/xml",
    ),
    ask(
        "no-content-type",
        json.dumps({"question": "trade"}),
        415,
        content_type=None,
    ),
    ask(
        "json-prefix-but-not-json",
        '{"question": "trade"}',
        415,
        content_type="application/jsonx",
    ),
    ask("upper-case-json-missing-field", "{}", 422, content_type="Application/JSON"),
    ask(
        "plus-json-missing-field",
        "{}",
        422,
        content_type="application/vnd.api+json",
    ),
    Hostile("get-ask", "GET", b"/ask", frozenset({405}), None, None),
]

DOC_CASES = [
    get_doc("unknown-id", "nope.txt"),
    get_doc("case-changed-id", PDF.upper()),
    get_doc("trailing-dot-id", PDF + "."),
    get_doc("dot-slash-id", "./" + PDF),
    get_doc("empty-id", ""),
    get_doc("traversal-raw", "../../etc/passwd"),
    get_doc("traversal-deep", "../" * 12 + "etc/passwd"),
    get_doc(
        "traversal-to-repo-file", "../corpus/documents/aseanfocus-2025-korea-new-asean-policy.txt"
    ),
    get_doc("traversal-encoded", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    get_doc("traversal-encoded-upper", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd"),
    get_doc("traversal-mixed", "..%2f..%2fetc/passwd"),
    get_doc("traversal-double-encoded", "%252e%252e%252fetc%252fpasswd"),
    get_doc("traversal-backslash-encoded", "..%5c..%5cwindows%5cwin.ini"),
    get_doc("traversal-backslash-raw", b"..\\..\\windows\\win.ini"),
    get_doc("traversal-overlong-utf8", "%c0%ae%c0%ae%c0%afetc%c0%afpasswd"),
    get_doc("traversal-one-dot-leaders", "%e2%80%a4%e2%80%a4/etc/passwd"),  # U+2024 (NFKC ".")
    get_doc("traversal-two-dot-leader", "%e2%80%a5/etc/passwd"),  # U+2025 (NFKC "..")
    get_doc("traversal-fullwidth", "%ef%bc%8e%ef%bc%8e%ef%bc%8fetc%ef%bc%8fpasswd"),
    get_doc("absolute-path", "/etc/passwd"),
    get_doc("absolute-encoded", "%2fetc%2fpasswd"),
    get_doc("nul-suffix", PDF + "%00.txt"),
    get_doc("invalid-utf8-id", "%ff%fe"),
    get_doc("control-char-id", "a%01%1b%7fb.txt"),
    get_doc("long-id", "a" * 5000 + ".txt", {404, 414}),
]


def _params(cases: list[Hostile]) -> list[object]:
    return [
        pytest.param(
            c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.bug)] if c.bug else []
        )
        for c in cases
    ]


def _send(base: httpx.URL, case: Hostile, extra_headers: dict[str, str] | None = None):
    """One request on a connection of its own: a 500 makes uvicorn drop the keep-alive
    connection, which must not fail the next case (or another test file) that reuses it."""
    headers = dict(extra_headers or {})
    if case.content_type is not None:
        headers["content-type"] = case.content_type
    with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
        try:
            return client.request(
                case.method,
                "/",  # replaced by the raw target below
                content=case.body,
                headers=headers,
                extensions={"target": case.target},
            )
        except httpx.TimeoutException:
            pytest.fail(f"{case.id}: no answer within {TIMEOUT.read} s (a hang)")


def _assert_clear_4xx(response: httpx.Response, expect: frozenset[int]) -> None:
    assert response.status_code in expect, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("detail"), str), body
    assert body["detail"].strip()
    assert not any(marker in response.text for marker in TRACE_MARKERS), response.text[:300]


def _assert_shipped_corpus_answers(base: httpx.URL) -> None:
    with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
        response = client.post("/ask", json={"question": QUESTION_1991, "k": 1})
    assert response.status_code == 200, response.text[:300]
    assert response.json()["passages"][0]["citation"]["document"] == PDF


@pytest.mark.parametrize("case", _params(ASK_CASES + DOC_CASES))
def test_hostile_request_gets_a_clear_4xx(http: httpx.Client, case: Hostile) -> None:
    response = _send(http.base_url, case)
    _assert_shipped_corpus_answers(http.base_url)  # first: even an xfailed case checks this
    if 200 in case.expect and response.status_code == 200:  # accepted where the table allows it
        echoed = response.json()["question"]
        assert not [c for c in echoed if unicodedata.category(c) == "Cc" or c == "\u200b"], echoed
        return
    _assert_clear_4xx(response, case.expect)


@pytest.mark.parametrize(
    "target",
    [b"/documents/../../etc/passwd", b"/documents/%2e%2e%2fcorpus%2fdocuments%2f" + PDF.encode()],
)
def test_no_document_text_leaks_through_traversal(http: httpx.Client, target: bytes) -> None:
    response = http.get("/", extensions={"target": target}, timeout=TIMEOUT)
    assert response.status_code == 404
    assert "root:" not in response.text and "Dialogue Partner" not in response.text


# --- limits that need a streaming client ----------------------------------------------------------


def test_body_over_the_limit_with_content_length_is_413(http: httpx.Client) -> None:
    body = b'{"question": "' + b"x" * (2 << 20) + b'"}'
    with httpx.Client(base_url=http.base_url, timeout=TIMEOUT) as client:  # it may be closed
        response = client.post("/ask", content=body, headers={"content-type": JSON})
    _assert_clear_4xx(response, frozenset({413}))
    _assert_shipped_corpus_answers(http.base_url)


def test_chunked_body_over_the_limit_is_413(http: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(40):  # 2.5 MB against the 1 MB limit, with no Content-Length
            yield b"x" * 65536
        yield b'"}'

    with httpx.Client(base_url=http.base_url, timeout=TIMEOUT) as client:
        response = client.post("/ask", content=chunks(), headers={"content-type": JSON})
    assert response.request.headers.get("transfer-encoding") == "chunked"
    _assert_shipped_corpus_answers(http.base_url)
    _assert_clear_4xx(response, frozenset({413}))


# --- writes with the key, against a corpus of their own -------------------------------------------

KEY = {"X-API-Key": "k"}
OTTERS = "Why do sea otters hold hands?"


@dataclass
class Writable:
    client: httpx.Client
    settings: Settings
    canary: Path


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Iterator[Writable]:
    root = tmp_path_factory.mktemp("hostile-writes")
    corpus = tiny_corpus(root)
    canary = root / "canary.txt"  # next to the corpus: no write may reach it
    canary.write_text("Canaries sing in the coal mine.")
    settings = Settings(home=root / "home", corpus=corpus, api_key="k", max_upload_mb=1)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    with LiveServer(Engine(settings, encoder)) as client:
        yield Writable(client, settings, canary)


def _assert_nothing_changed(w: Writable, version: str | None) -> None:
    assert w.canary.read_text() == "Canaries sing in the coal mine."
    assert sorted(p.name for p in w.settings.corpus.iterdir()) == ["bees.md", "otters.txt"]
    assert current_version(w.settings.home) == version
    top = w.client.post("/ask", json={"question": OTTERS, "k": 1}, timeout=TIMEOUT).json()
    assert top["passages"][0]["citation"]["document"] == "otters.txt"


def _delete(id: str, target: str | bytes) -> Hostile:
    raw = target.encode() if isinstance(target, str) else target
    return Hostile(id, "DELETE", b"/documents/" + raw, frozenset({404}), None, None)


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    request = httpx.Request("POST", "http://x/", files={"file": (name, data)})
    return request.read(), request.headers["content-type"]


def _put(id: str, target: str, name: str = "canary.txt") -> Hostile:
    body, ctype = _multipart(name, b"Overwritten by a hostile replace.")
    return Hostile(id, "PUT", b"/documents/" + target.encode(), frozenset({404}), body, ctype)


def _upload(id: str, name: str, data: bytes, expect: set[int], bug: str | None = None) -> Hostile:
    body, ctype = _multipart(name, data)
    return Hostile(id, "POST", b"/documents", frozenset(expect), body, ctype, bug)


def _encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(one_page_pdf(b"", HELLO)))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


WRITE_CASES = [
    _delete("delete-traversal-raw", "../canary.txt"),
    _delete("delete-traversal-encoded", "%2e%2e%2fcanary.txt"),
    _delete("delete-traversal-backslash", "..%5ccanary.txt"),
    _delete("delete-traversal-via-known-id", "otters.txt/../../canary.txt"),
    _delete("delete-absolute", "%2fetc%2fpasswd"),
    _delete("delete-unicode-dots", "%e2%80%a5/canary.txt"),
    _delete("delete-unknown", "nope.txt"),
    _put("replace-traversal-raw", "../canary.txt"),
    _put("replace-traversal-encoded", "%2e%2e%2fcanary.txt"),
    _put("replace-unknown", "nope.txt", "nope.txt"),
    _upload("upload-empty", "empty.txt", b"", {422}),
    _upload(
        "upload-png-as-md", "picture.md", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, {415, 422}
    ),
    _upload("upload-text-as-pdf", "fake.pdf", b"Just some words, not a PDF at all.", {415, 422}),
    _upload(
        "upload-pdf-as-txt",
        "report.txt",
        one_page_pdf(b"", HELLO),
        {415, 422},
    ),
    _upload("upload-truncated-pdf", "cut.pdf", one_page_pdf(b"", HELLO)[:200], {422}),
    _upload("upload-password-pdf", "locked.pdf", _encrypted_pdf(), {422}),
    _upload("upload-unsupported-type", "payload.exe", b"MZ\x90\x00", {415}),
    *[_upload(f"upload-{name}", f"{name}.pdf", data, {422}) for name, data in PDF_CRASHES.items()],
]


@pytest.mark.parametrize("case", _params(WRITE_CASES))
def test_hostile_write_changes_nothing(
    writable: Writable, http: httpx.Client, case: Hostile
) -> None:
    before = current_version(writable.settings.home)
    response = _send(writable.client.base_url, case, KEY)
    created = response.json().get("id") if response.status_code == 201 else None
    try:
        _assert_nothing_changed(writable, before)
        _assert_shipped_corpus_answers(http.base_url)
        _assert_clear_4xx(response, case.expect)
    finally:
        if created:  # a write that should have been refused: undo it for the next cases
            writable.client.delete(f"/documents/{created}", headers=KEY, timeout=TIMEOUT)


def test_chunked_upload_over_the_limit_is_413(writable: Writable, http: httpx.Client) -> None:
    """Over CITEQA_MAX_UPLOAD_MB -> 413, also for chunked uploads (the limit here: 1 MB)."""
    body, content_type = _multipart("big.txt", b"Lanterns glow softly at dusk. " * 50_000)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    before = current_version(writable.settings.home)
    with httpx.Client(base_url=writable.client.base_url, timeout=TIMEOUT) as client:
        response = client.post(
            "/documents", content=chunks(), headers={"content-type": content_type, **KEY}
        )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    _assert_nothing_changed(writable, before)
    _assert_shipped_corpus_answers(http.base_url)
    _assert_clear_4xx(response, frozenset({413}))
