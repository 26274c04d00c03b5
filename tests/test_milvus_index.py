"""The whole index with its vectors in Milvus (CITEQA_VECTOR_STORE=milvus), on Milvus Lite and on
the tests' Milvus server: the same answers as with FAISS, the same add/change/remove semantics,
and a clear refusal of a store mix-up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pymilvus import MilvusClient

from citeqa.corpus import parse_document
from citeqa.index.encoder import Encoder
from citeqa.index.storage import IndexMismatchError, ingest, load_current, update
from citeqa.index.storage.manifest import read_manifest
from citeqa.index.storage.merge import compact
from citeqa.index.vectorstores import close_opened_stores
from citeqa.index.vectorstores.milvus_store import COLLECTION
from citeqa.service.engine import Engine
from citeqa.service.settings import SHIPPED_CORPUS, Settings

from .conftest import LiveServer, tiny_corpus

pytestmark = pytest.mark.slow  # Milvus Lite, a Milvus server

QA_SET = Path(__file__).parent.parent / "eval" / "sets" / "asean-dev.jsonl"


@pytest.fixture(params=["milvus-lite", "milvus-server"])
def milvus_uri(request: pytest.FixtureRequest) -> Iterator[str]:
    """CITEQA_MILVUS_URI: "" (Milvus Lite in the home) or the tests' server, whose default
    collection the test drops at the end (tests share the server, one at a time)."""
    if request.param == "milvus-lite":
        yield ""
        close_opened_stores()  # Milvus Lite: one open database per folder and process
        return
    uri = request.getfixturevalue("milvus_server").uri
    yield uri
    close_opened_stores()
    client = MilvusClient(uri)
    client.drop_collection(COLLECTION)
    client.close()


def _milvus(home: Path, uri: str, **more: object) -> Settings:
    return Settings(home=home, vector_store="milvus", milvus_uri=uri, **more)  # type: ignore[arg-type]


def _ranked(engine: Engine, question: str) -> list[tuple[str, int]]:
    return [(p.citation.document, p.citation.start) for p in engine.ask(question, 5).passages]


def test_milvus_answers_the_shipped_set_as_faiss_does(
    tmp_path: Path, encoder: Encoder, shipped_engine: Engine, milvus_uri: str
) -> None:
    # The shipped home's sentences are embedded by the float model (`shipped_home`): the same
    # here, so that only the vector store differs.
    settings = _milvus(tmp_path / "home", milvus_uri, sentence_backend="same")
    ingest([SHIPPED_CORPUS], encoder, settings.home, settings.build_options(encoder))
    manifest = read_manifest(settings.home)
    assert manifest is not None and manifest.vector_store == "milvus"
    (segment,) = manifest.segments
    assert not (settings.home / "segments" / segment / "vectors.npy").exists()
    engine = Engine(settings, encoder)
    assert engine.store is not None and engine.store.count() == manifest.passages
    questions = [json.loads(line)["question"] for line in QA_SET.read_text().splitlines()]
    same = sum(_ranked(engine, q) == _ranked(shipped_engine, q) for q in questions)
    assert same >= 0.95 * len(questions)  # exact search on both: only float ties may differ
    for q in questions[:10]:
        assert engine.ask(q).answerable == shipped_engine.ask(q).answerable


def test_add_change_remove_and_merge_with_milvus(
    tmp_path: Path, encoder: Encoder, milvus_uri: str
) -> None:
    settings = _milvus(tmp_path / "home", milvus_uri, keep_versions=1)
    ingest([tiny_corpus(tmp_path)], encoder, settings.home, settings.build_options(encoder))
    engine = Engine(settings, encoder, recheck_seconds=0.0)
    no_merge = settings.build_options(encoder, compact=False)

    note = parse_document(b"The zebra parliament met in 1777 on the moon.", "zebra.txt")
    update(settings.home, encoder, no_merge, upserts=[note])
    assert engine.ask("When did the zebra parliament meet?", 1).passages[0].text == note.text

    changed = parse_document(b"The zebra parliament met in 1802 under the sea.", "zebra.txt")
    update(settings.home, encoder, no_merge, upserts=[changed])
    texts = [p.text for p in engine.ask("When did the zebra parliament meet?", 5).passages]
    assert texts[0] == changed.text and note.text not in texts

    update(settings.home, encoder, no_merge, deletes=["bees.md"])
    answer = engine.ask("How do honey bees dance?", 5)
    assert "bees.md" not in {p.citation.document for p in answer.passages}

    # A merge rewrites the live rows under new ids and drops the dead ones from Milvus too.
    assert compact(settings.home, 1, store=engine.store) is not None
    manifest = read_manifest(settings.home)
    assert manifest is not None and len(manifest.segments) == 1
    assert engine.store is not None and engine.store.count() == manifest.passages == 2
    assert engine.ask("When did the zebra parliament meet?", 1).passages[0].text == changed.text
    assert engine.ask("Why do sea otters hold hands?", 1).passages[0].citation.document == (
        "otters.txt"
    )


def test_an_index_is_not_read_through_the_other_store(
    tmp_path: Path, encoder: Encoder, milvus_uri: str
) -> None:
    milvus = _milvus(tmp_path / "home", milvus_uri)
    ingest([tiny_corpus(tmp_path)], encoder, milvus.home, milvus.build_options(encoder))
    with pytest.raises(IndexMismatchError, match="CITEQA_VECTOR_STORE"):
        load_current(milvus.home, encoder)  # no store given: FAISS files expected
    # Ingesting with FAISS re-embeds into the segment files instead of mixing the two.
    faiss_settings = Settings(home=milvus.home)
    report = ingest(
        [tmp_path / "corpus"], encoder, milvus.home, faiss_settings.build_options(encoder)
    )
    assert report.embedded == 2
    assert load_current(milvus.home, encoder).manifest.vector_store == "faiss"


def test_the_http_write_api_with_milvus(tmp_path: Path, encoder: Encoder, milvus_uri: str) -> None:
    settings = _milvus(tmp_path / "home", milvus_uri, corpus=tiny_corpus(tmp_path), api_key="k")
    ingest([settings.corpus], encoder, settings.home, settings.build_options(encoder))
    key = {"X-API-Key": "k"}
    with LiveServer(Engine(settings, encoder)) as client:
        note = b"The zebra parliament met in 1777 on the moon."
        added = client.post("/documents", files={"file": ("zebra.txt", note)}, headers=key)
        assert added.status_code == 201, added.text
        body = client.post("/ask", json={"question": "When did the zebra parliament meet?"})
        assert body.json()["passages"][0]["citation"]["document"] == "zebra.txt"
        assert client.delete("/documents/zebra.txt", headers=key).status_code == 204
        body = client.post("/ask", json={"question": "When did the zebra parliament meet?"})
        assert "zebra.txt" not in {p["citation"]["document"] for p in body.json()["passages"]}
        assert client.get("/stats").json()["passages"] == 2
