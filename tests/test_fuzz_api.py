"""schemathesis against the real app, in process (ASGI): every operation of the OpenAPI schema,
positive and negative examples, a bounded number each. No response may be a 5xx, and every 4xx
must be JSON `{"detail": "<string>"}`.

Three targets: the app over the session's shipped corpus (no API key: writes must answer 403), the
same with a read key (nothing but /health may answer without it), and an app with an API key over
a tiny corpus of its own in a tmp folder, so fuzzed uploads, deletes and rebuilds never touch the
shipped corpus or the shared session index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from starlette.testclient import TestClient

from citeqa.index.encoder import Encoder
from citeqa.index.storage import current_version
from citeqa.index.storage.ingest import ingest
from citeqa.service.app import create_app
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .conftest import tiny_corpus
from .test_properties import PDF_CRASHES, PDF_READ_PAST, pdf_bytes, text_bytes

pytestmark = pytest.mark.slow  # fuzzing the API from its OpenAPI schema

KEY = "k"
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# The schema does not depend on the index or the key: read it from an app that is never started.
SCHEMA = schemathesis.openapi.from_dict(create_app(Settings()).openapi())
TRACE_MARKERS = ("Traceback", 'File "', "site-packages")


def _check(case: schemathesis.Case, response: Any) -> None:
    where = f"{case.operation.label}: {case.as_curl_command()}"
    assert response.status_code < 500, f"{response.status_code} {response.text[:300]} <- {where}"
    if 400 <= response.status_code < 500:
        try:
            body = json.loads(response.content)
        except ValueError:
            pytest.fail(
                f"{response.status_code} body is not JSON: {response.text[:200]!r} <- {where}"
            )
        assert isinstance(body, dict) and isinstance(body.get("detail"), str), (body, where)
        assert not any(m in body["detail"] for m in TRACE_MARKERS), (body, where)


@pytest.fixture(scope="module")
def shipped_app(shipped_engine: Engine) -> FastAPI:
    return create_app(shipped_engine.settings, shipped_engine)


@pytest.fixture(scope="module")
def read_keyed_app(shipped_home: Path, encoder: Encoder) -> FastAPI:
    settings_ = Settings(home=shipped_home, read_key="read-k")  # type: ignore[arg-type]
    return create_app(settings_, Engine(settings_, encoder))


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Iterator[Settings]:
    root = tmp_path_factory.mktemp("fuzz-writable")
    corpus = tiny_corpus(root)
    # A short write wait: a fuzzed write queued behind a fuzzed rebuild answers 409 quickly.
    settings_ = Settings(home=root / "home", corpus=corpus, api_key=KEY, write_wait_seconds=2.0)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings_.home, settings_.build_options())
    yield settings_


@pytest.fixture(scope="module")
def writable_app(writable: Settings, encoder: Encoder) -> FastAPI:
    return create_app(writable, Engine(writable, encoder))


@SCHEMA.parametrize()
@EXAMPLES
def test_shipped_app_never_answers_5xx(case: schemathesis.Case, shipped_app: FastAPI) -> None:
    """Reads against the real corpus; every write must be refused (no key is configured)."""
    response = case.call(app=shipped_app)
    _check(case, response)
    if case.method.upper() not in ("GET", "HEAD", "OPTIONS") and case.path != "/ask":
        assert response.status_code >= 400, (response.status_code, response.text)


@SCHEMA.parametrize()
@EXAMPLES
def test_read_keyed_app_answers_nothing_without_the_key(
    case: schemathesis.Case, read_keyed_app: FastAPI
) -> None:
    """Whatever schemathesis sends (no key, or a made-up one), only the health checks answer 2xx
    (a load balancer asks them without a key)."""
    response = case.call(app=read_keyed_app)
    _check(case, response)
    if case.path not in ("/health", "/health/ready"):
        assert response.status_code >= 400, (response.status_code, case.as_curl_command())
        assert "read-k" not in response.text


@SCHEMA.parametrize()
@EXAMPLES
def test_writable_app_never_answers_5xx(
    case: schemathesis.Case, writable_app: FastAPI, writable: Settings
) -> None:
    """Every operation with the right key, so uploads, replaces and deletes really run."""
    response = case.call(app=writable_app, headers={"X-API-Key": KEY})  # overrides the generated
    _check(case, response)


# --- uploads with real file names ---------------------------------------------------------------
# schemathesis names every multipart file "file", which has no suffix, so its uploads all stop at
# 415 and the parse-store-index path never runs. These drive that path with names that have a
# supported suffix (and hostile stems) and arbitrary content.

_STEMS = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(
        [
            "../../escape",
            "..\\..\\win",
            ".hidden",
            "a" * 300,
            "\u2025\uff0fx",
            "\u202egnp",
            "otters",
        ]
    ),
)
_TEXT_NAMES = st.tuples(_STEMS, st.sampled_from([".txt", ".md", ".TXT", ".markdown", ".text"]))


@pytest.fixture(scope="module")
def writable_client(writable_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(
        writable_app, headers={"X-API-Key": KEY}, raise_server_exceptions=False
    ) as client:
        yield client


def _upload_and_remove(client: TestClient, writable: Settings, name: str, data: bytes) -> None:
    response = client.post("/documents", files={"file": (name, data)})
    assert response.status_code < 500, (name, data[:80], response.status_code, response.text)
    if response.status_code >= 400:
        detail = response.json().get("detail")
        assert isinstance(detail, str), response.text
        assert not any(m in detail for m in TRACE_MARKERS), detail
        return
    assert response.status_code == 201, response.text
    doc_id = response.json()["id"]
    assert "/" not in doc_id and not doc_id.startswith(".")
    assert (writable.uploads_folder / doc_id).is_file()
    assert client.get(f"/documents/{doc_id}").status_code == 200
    assert client.delete(f"/documents/{doc_id}").status_code == 204
    assert client.get(f"/documents/{doc_id}").status_code == 404
    assert not (writable.uploads_folder / doc_id).exists()


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(name=_TEXT_NAMES.map("".join), data=text_bytes)
def test_text_uploads_never_answer_5xx(
    writable_client: TestClient, writable: Settings, name: str, data: bytes
) -> None:
    _upload_and_remove(writable_client, writable, name, data)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking of corrupt PDFs (slow)
    suppress_health_check=list(HealthCheck),
)
@given(data=pdf_bytes)
@example(data=PDF_READ_PAST["unknown-stream-filter"])  # each answered 500 before f9685fb
@example(data=PDF_CRASHES["self-referencing-root"])
@example(data=PDF_READ_PAST["overlong-content-operator"])
@example(data=PDF_CRASHES["aes-256-encrypted"])
@example(data=PDF_CRASHES["deeply-nested-page-tree"])
def test_pdf_uploads_never_answer_5xx(
    writable_client: TestClient, writable: Settings, data: bytes
) -> None:
    _upload_and_remove(writable_client, writable, "upload.pdf", data)


# --- the documented contract ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/ask", {"body": {"question": ""}}),  # 422 with "detail": "<string>"
        ("GET", "/documents/{doc_id}", {"path_parameters": {"doc_id": "nope.txt"}}),  # 404
        ("POST", "/ask", {"body": {"question": "trade", "k": 1}, "media_type": "text/plain"}),
    ],
)
def test_error_responses_match_the_openapi_document(
    shipped_app: FastAPI, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    case = SCHEMA[path][method].Case(**kwargs)
    response = case.call(app=shipped_app)
    assert 400 <= response.status_code < 500
    case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])


def test_writable_corpus_stays_inside_its_folder(writable: Settings, writable_app: FastAPI) -> None:
    """After the fuzzing: an index is still current and no file was written next to the corpus."""
    assert current_version(writable.home) is not None
    outside = {p.name for p in writable.corpus.parent.iterdir()}
    assert outside <= {"corpus", "home"}, outside
    assert all(p.resolve().is_relative_to(writable.corpus) for p in writable.corpus.rglob("*"))
    uploads = writable.uploads_folder
    assert all(p.resolve().is_relative_to(uploads) for p in uploads.rglob("*"))


def test_shipped_corpus_still_answers(http: httpx.Client) -> None:
    body = http.post(
        "/ask", json={"question": "When did the ROK become a full Dialogue Partner of ASEAN?"}
    ).json()
    assert (
        body["passages"][0]["citation"]["document"]
        == "asean-secretariat-overview-asean-rok-csp.pdf"
    )
