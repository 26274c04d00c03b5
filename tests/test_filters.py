"""Questions scoped to some documents (`filter` on /ask), over real HTTP: each criterion, the
filter applied inside retrieval (k passages even when the allowed documents rank far down), a
filter that allows nothing, 422s naming the bad field; document metadata from front matter,
PDF and DOCX properties and sidecars; paged /documents."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import docx
import httpx
import numpy as np
import pytest
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from citeqa.corpus import DocumentError, parse_document
from citeqa.eval.qaset import QASetError
from citeqa.eval.run import InProcess, run_set, validate
from citeqa.index.encoder import Encoder
from citeqa.index.retrieval.dense import ExactSearch, IvfSearch, build_ivf
from citeqa.index.storage.ingest import ingest
from citeqa.index.vectorstores import ModelIdentity, close_opened_stores, open_vector_store
from citeqa.service.engine import Engine
from citeqa.service.models import Filter
from citeqa.service.settings import Settings
from citeqa.service.watch import Watcher
from citeqa.service.writes import Writer

from .conftest import LiveServer, tiny_corpus

OTTER_QUESTION = "Where do sea otters sleep at night?"
# Unfiltered, the otter notes fill every rank; the cooking archive comes below them all, beyond
# the candidates search takes from each retriever (50 for k = 5): a filter applied after search
# would find none of it.
OTTER_NOTES = 60
ARCHIVE = 6


def _epoch(day: str) -> float:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp()


def _pdf(path: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.set_title("Kelp Forest Survey")
    pdf.set_author("Dana Reef")
    pdf.set_subject("marine ecology")
    pdf.set_keywords("kelp, urchins, otters")
    pdf.set_creation_date(dt.datetime(2023, 6, 15, tzinfo=dt.UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in (
        "Kelp Forest Survey",
        "",
        "Divers counted sea urchins on the kelp forest floor every week.",
        "Urchin numbers fell where otters returned to hunt them.",
    ):
        pdf.cell(0, 6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.output(str(path))


def _docx(path: Path) -> None:
    document = docx.Document()
    props = document.core_properties
    props.title = "Harbour Seal Handbook"
    props.author = "Sam Tide"
    props.subject = "field guide"
    props.keywords = "seals; harbour"
    props.category = "handbook"
    props.modified = dt.datetime(2022, 2, 2, 12, 0, 0)
    document.add_heading("Harbour Seals", level=1)
    document.add_paragraph("Harbour seals haul out on sandbanks at low tide to rest and warm up.")
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())


def make_corpus(root: Path) -> Path:
    """Folders of notes, reports and an archive, each document dated; see the tests for which
    document carries which metadata."""
    corpus = root / "corpus"
    for folder in ("notes", "reports", "archive", "handbooks"):
        (corpus / folder).mkdir(parents=True, exist_ok=True)
    for i in range(OTTER_NOTES):
        (corpus / "notes" / f"otters-{i:02d}.txt").write_text(
            f"Field note {i}. Sea otters sleep at night floating on their backs in the kelp, "
            f"holding hands so they do not drift apart. Observer {i} saw them wrap kelp around "
            "their bodies before sleeping."
        )
    (corpus / "notes" / "otters-00.txt.meta.json").write_text(
        json.dumps({"team": "wildlife", "tags": ["otter", "sea"], "reviewed": True, "pages": 2})
    )
    for i in range(ARCHIVE):
        (corpus / "archive" / f"recipe-{i}.txt").write_text(
            f"Recipe {i}. Simmer the lentils with cumin and garlic for twenty minutes, then "
            "season with lemon and serve warm with flat bread."
        )
    (corpus / "reports" / "finance-q3.md").write_text(
        "---\n"
        "title: Third Quarter Budget Review\n"
        "team: finance\n"
        "tags: [budget, quarterly]\n"
        "date: 2024-03-01\n"
        "---\n"
        "# Budget\n\nThe otter sanctuary spent its budget on boats and fuel in the third quarter.\n"
    )
    (corpus / "reports" / "short.txt").write_text("Otters are small.")
    _pdf(corpus / "reports" / "kelp-survey.pdf")
    _docx(corpus / "handbooks" / "seals.docx")
    for path in corpus.rglob("*"):
        if path.is_file() and path.suffix != ".pdf" and path.suffix != ".docx":
            os.utime(path, (_epoch("2025-05-05"), _epoch("2025-05-05")))
    return corpus


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    root = tmp_path_factory.mktemp("filters")
    corpus = make_corpus(root)
    settings = Settings(home=root / "home")
    ingest([corpus], encoder, settings.home, settings.build_options(encoder))
    return settings.home


@pytest.fixture(scope="module")
def engine(home: Path, encoder: Encoder) -> Engine:
    return Engine(Settings(home=home), encoder)


@pytest.fixture(scope="module")
def client(engine: Engine) -> Iterator[httpx.Client]:
    with LiveServer(engine) as c:
        yield c


def _ask(client: httpx.Client, filter: dict, k: int = 5, question: str = OTTER_QUESTION) -> dict:
    response = client.post("/ask", json={"question": question, "k": k, "filter": filter})
    assert response.status_code == 200, response.text
    return response.json()


def _docs(body: dict) -> set[str]:
    return {p["citation"]["document"] for p in body["passages"]}


def test_without_a_filter_the_otter_notes_fill_every_rank(client: httpx.Client) -> None:
    body = client.post("/ask", json={"question": OTTER_QUESTION, "k": 5}).json()
    assert body["scope"] is None
    assert all(d.startswith("notes/") for d in _docs(body)) and len(body["passages"]) == 5


def test_a_folder_gets_k_passages_though_it_ranks_far_down(client: httpx.Client) -> None:
    unfiltered = client.post("/ask", json={"question": OTTER_QUESTION, "k": 50}).json()
    assert len(unfiltered["passages"]) == 50
    assert not any(d.startswith("archive/") for d in _docs(unfiltered))
    body = _ask(client, {"folder": "archive/"})
    assert len(body["passages"]) == 5 and all(d.startswith("archive/") for d in _docs(body))
    assert body["scope"] == {"documents": ARCHIVE, "passages": ARCHIVE, "unknown_documents": []}
    assert _docs(_ask(client, {"folder": ["archive", "handbooks/"]}, k=10)) == {
        *(f"archive/recipe-{i}.txt" for i in range(ARCHIVE)),
        "handbooks/seals.docx",
    }


def test_a_document_list_and_a_single_short_document(client: httpx.Client) -> None:
    body = _ask(client, {"documents": ["reports/short.txt"]})
    assert [p["text"] for p in body["passages"]] == ["Otters are small."]  # fewer than k
    assert body["scope"]["documents"] == 1
    two = _ask(client, {"documents": ["reports/short.txt", "notes/otters-03.txt", "nope.txt"]})
    assert _docs(two) == {"reports/short.txt", "notes/otters-03.txt"}
    assert two["scope"]["unknown_documents"] == ["nope.txt"]


def test_kinds(client: httpx.Client) -> None:
    assert _docs(_ask(client, {"kind": ["pdf"]})) == {"reports/kelp-survey.pdf"}
    assert _docs(_ask(client, {"kind": "docx"})) == {"handbooks/seals.docx"}
    assert _docs(_ask(client, {"kind": ["md", "pdf"]})) == {
        "reports/finance-q3.md",
        "reports/kelp-survey.pdf",
    }


def test_title_words(client: httpx.Client) -> None:
    # The front matter's title is the document's title; the PDF's and DOCX's their properties'.
    assert _docs(_ask(client, {"title": "budget REVIEW"})) == {"reports/finance-q3.md"}
    assert _docs(_ask(client, {"title": "kelp survey"})) == {"reports/kelp-survey.pdf"}
    assert _docs(_ask(client, {"title": "harbour seal"})) == {"handbooks/seals.docx"}


def test_modified_dates_come_from_the_document_else_its_file(client: httpx.Client) -> None:
    in_2024 = _ask(client, {"modified": {"from": "2024-01-01", "to": "2024-12-31"}})
    assert _docs(in_2024) == {"reports/finance-q3.md"}  # front matter `date`
    assert _docs(_ask(client, {"modified": {"to": "2023-12-31"}})) == {
        "reports/kelp-survey.pdf",  # its CreationDate (no ModDate)
        "handbooks/seals.docx",  # core property `modified`
    }
    may = _ask(client, {"modified": {"from": "2025-05-05", "to": "2025-05-05"}})
    assert may["scope"]["documents"] == OTTER_NOTES + ARCHIVE + 1  # file mtimes, inclusive


def test_ingested_dates_and_a_filter_that_allows_nothing(client: httpx.Client) -> None:
    today = dt.datetime.now(dt.UTC).date()
    since = (today - dt.timedelta(days=1)).isoformat()
    assert len(_ask(client, {"ingested": {"from": since}}, k=3)["passages"]) == 3
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    body = _ask(client, {"ingested": {"from": tomorrow}})
    assert body["passages"] == [] and body["answerable"] is False and body["confidence"] == 0
    assert body["scope"] == {"documents": 0, "passages": 0, "unknown_documents": []}


def test_metadata_from_sidecars_front_matter_and_properties(client: httpx.Client) -> None:
    assert _docs(_ask(client, {"meta": {"team": "Finance"}})) == {"reports/finance-q3.md"}
    assert _docs(_ask(client, {"meta": {"tags": "otter"}})) == {"notes/otters-00.txt"}
    assert _docs(_ask(client, {"meta": {"reviewed": True, "pages": 2}})) == {"notes/otters-00.txt"}
    assert _docs(_ask(client, {"meta": {"author": ["Dana Reef", "Sam Tide"]}})) == {
        "reports/kelp-survey.pdf",
        "handbooks/seals.docx",
    }
    both = {"meta": {"team": ["finance", "wildlife"]}, "folder": "reports/"}
    assert _docs(_ask(client, both)) == {"reports/finance-q3.md"}  # AND across fields


def test_documents_show_their_metadata(client: httpx.Client) -> None:
    md = client.get("/documents/reports/finance-q3.md").json()
    assert md["title"] == "Third Quarter Budget Review"
    assert md["metadata"] == {
        "team": "finance",
        "tags": ["budget", "quarterly"],
        "date": "2024-03-01",
    }
    assert md["modified"] == "2024-03-01T00:00:00Z"
    assert not md["text"].startswith("---") and "team:" not in md["text"]
    note = client.get("/documents/notes/otters-00.txt").json()
    assert note["metadata"] == {
        "team": "wildlife",
        "tags": ["otter", "sea"],
        "reviewed": "true",
        "pages": "2",
    }
    assert note["modified"] == "2025-05-05T00:00:00Z"
    pdf = client.get("/documents/reports/kelp-survey.pdf").json()
    assert pdf["metadata"]["author"] == "Dana Reef"
    assert pdf["metadata"]["subject"] == "marine ecology"
    assert pdf["metadata"]["keywords"] == ["kelp", "urchins", "otters"]
    assert pdf["modified"].startswith("2023-06-15")
    seals = client.get("/documents/handbooks/seals.docx").json()
    assert {k: seals["metadata"][k] for k in ("author", "subject", "keywords", "category")} == {
        "author": "Sam Tide",
        "subject": "field guide",
        "keywords": ["seals", "harbour"],
        "category": "handbook",
    }
    assert seals["modified"] == "2022-02-02T12:00:00Z"
    ids = {d["id"] for d in client.get("/documents", params={"limit": 1000}).json()["documents"]}
    assert not any(i.endswith(".meta.json") for i in ids)  # a sidecar is never a document


@pytest.mark.parametrize(
    ("filter", "named"),
    [
        ({"team": "finance"}, "filter.team"),
        ({"meta": {"team": {"a": 1}}}, "filter.meta.team"),
        ({"modified": {"from": "2024-13-01"}}, "filter.modified.from"),
        ({"modified": {"since": "2024-01-01"}}, "filter.modified.since"),
        ({"modified": {"from": "2024-02-01", "to": "2024-01-01"}}, "filter.modified"),
        ({"kind": ["pdff"]}, "filter.kind"),
        ({"documents": "x.txt", "title": 3}, "filter.title"),
    ],
)
def test_a_bad_filter_is_a_422_naming_the_field(
    client: httpx.Client, filter: dict, named: str
) -> None:
    response = client.post("/ask", json={"question": OTTER_QUESTION, "filter": filter})
    assert response.status_code == 422
    assert named in response.json()["detail"]


def test_paging_walks_every_document_exactly_once(client: httpx.Client) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 4}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/documents", params=params).json()
        assert len(body["documents"]) <= 4
        seen += [d["id"] for d in body["documents"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    total = OTTER_NOTES + ARCHIVE + 4
    assert len(seen) == len(set(seen)) == total == body["total"] and seen == sorted(seen)
    assert pages == -(-total // 4)
    assert client.get("/documents", params={"limit": 0}).status_code == 422
    assert client.get("/documents", params={"limit": 1001}).status_code == 422
    bad = client.get("/documents", params={"cursor": "%%%"})
    assert bad.status_code == 422 and "cursor" in bad.json()["detail"]


def test_ivf_search_finds_allowed_rows_anywhere(tmp_path: Path) -> None:
    """The IVF index searches the allowed rows through an ID selector: the k best of them, as
    an exact scan of those rows finds, however far from the question their lists lie."""
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((20_000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ivf = IvfSearch(build_ivf(vectors), nprobe=16)  # 16 of 512 lists: few allowed rows in them
    query = vectors[0]
    for share in (0.0005, 0.01, 0.6):
        allowed = rng.random(len(vectors)) < share
        allowed[0] = False  # the row nearest the question is not allowed
        rows, scores = ivf.search(query, 10, allowed=allowed)
        exact, _ = ExactSearch(vectors).search(query, 10, allowed=allowed)
        assert len(rows) == min(10, int(allowed.sum())) and allowed[rows].all()
        if share < 0.5:  # narrow: too few allowed rows in the probed lists, all lists probed
            # (8-bit codes: near ties may swap with an exact scan's)
            assert len(set(rows.tolist()) & set(exact.tolist())) >= 0.8 * len(exact)
        assert np.all(np.diff(scores) <= 1e-6)


@pytest.mark.slow
def test_filters_with_vectors_in_milvus_lite(tmp_path: Path, encoder: Encoder) -> None:
    corpus = make_corpus(tmp_path)
    settings = Settings(home=tmp_path / "home", vector_store="milvus", milvus_uri="")  # type: ignore[arg-type]
    try:
        ingest([corpus], encoder, settings.home, settings.build_options(encoder))
        engine = Engine(settings, encoder)
        assert engine.store is not None
        body = engine.ask(OTTER_QUESTION, 5, Filter(folder=["archive/"]))
        assert len(body.passages) == 5
        assert {p.citation.document.split("/")[0] for p in body.passages} == {"archive"}
        one = engine.ask(OTTER_QUESTION, 5, Filter(documents=["reports/short.txt"]))
        assert [p.citation.document for p in one.passages] == ["reports/short.txt"]
        none = engine.ask(OTTER_QUESTION, 5, Filter(kind=["html"]))
        assert none.passages == [] and not none.answerable and none.scope is not None
    finally:
        close_opened_stores()


# --- metadata at the edges, eval rows with a filter ----------------------------------------------


def test_front_matter_that_is_not_a_mapping_stays_text() -> None:
    rule = parse_document(b"---\n\nA page that opens with a rule.\n\n---\nMore text.\n", "r.md")
    assert "A page that opens with a rule." in rule.text and rule.metadata == {}
    broken = parse_document(b"---\nteam: [unclosed\n---\nBody text here.\n", "b.md")
    assert "Body text here." in broken.text and broken.metadata == {}
    nested = parse_document(b"---\nteam: ops\nowner: {name: x}\n---\nBody.\n", "n.md")
    assert nested.text == "Body." and nested.metadata == {"team": "ops"}


@pytest.mark.parametrize(
    ("sidecar", "says"),
    [
        (b"{not json", "not valid JSON"),
        (b'["a"]', "must be a JSON object"),
        (b'{"owner": {"name": "x"}}', "'owner' must be a string, number, boolean"),
        (b'{"tags": ["a", 2]}', "'tags' must be a string or a list of strings"),
    ],
)
def test_a_bad_sidecar_is_named(sidecar: bytes, says: str) -> None:
    with pytest.raises(DocumentError, match=says) as err:
        parse_document(b"Some text.", "notes/a.txt", sidecar)
    assert "notes/a.txt.meta.json" in str(err.value)


def test_editing_a_sidecar_indexes_its_file_again(tmp_path: Path, encoder: Encoder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Walruses haul out on ice floes.")
    (corpus / "b.txt").write_text("Puffins nest in burrows on cliffs.")
    settings = Settings(home=tmp_path / "home")
    ingest([corpus], encoder, settings.home, settings.build_options(encoder))
    (corpus / "a.txt.meta.json").write_text('{"team": "ice"}')
    report = ingest([corpus], encoder, settings.home, settings.build_options(encoder))
    assert report.changed == ["a.txt"] and report.unchanged == ["b.txt"]
    engine = Engine(settings, encoder)
    assert engine.document("a.txt").metadata == {"team": "ice"}
    answer = engine.ask("Where do puffins nest?", 5, Filter(meta={"team": ["ice"]}))
    assert [p.citation.document for p in answer.passages] == ["a.txt"]


def test_a_qa_row_with_a_filter_is_asked_within_it(engine: Engine, tmp_path: Path) -> None:
    rows = [
        {
            "id": "f1",
            "question": OTTER_QUESTION,
            "answers": [],
            "evidence": [],
            "filter": {"folder": "archive/"},
        },
        {"id": "f2", "question": OTTER_QUESTION, "answers": [], "evidence": []},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    backend = InProcess(engine)
    result = run_set(validate(path, backend), backend, 5, progress=False)
    scoped, plain = (o.response for o in result.outcomes)
    assert {p.citation.document.split("/")[0] for p in scoped.passages} == {"archive"}
    assert {p.citation.document.split("/")[0] for p in plain.passages} == {"notes"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**rows[0], "filter": {"kind": "pdff"}}))
    with pytest.raises(QASetError, match=r"line 1: field 'filter\.kind'"):
        validate(bad, backend)


@pytest.mark.parametrize("kind", ["faiss", pytest.param("milvus-lite", marks=pytest.mark.slow)])
def test_a_store_searches_only_the_documents_asked_for(tmp_path: Path, kind: str) -> None:
    """VectorStore.search with doc_ids: the best rows of those documents, however far down
    they rank among all rows."""
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((3000, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    docs = [f"doc-{i // 10}" for i in range(len(vectors))]
    where = tmp_path / ("store" if kind == "faiss" else "store.db")
    store = open_vector_store(where, ModelIdentity("test-model", 8))
    try:
        store.add(np.arange(len(vectors), dtype=np.int64), docs, vectors)
        query = vectors[0]
        wanted = ["doc-250", "doc-7"]
        ids, scores = store.search(query, 5, wanted)
        rows = [i for i, d in enumerate(docs) if d in wanted]
        best = sorted(rows, key=lambda r: -float(vectors[r] @ query))[:5]
        assert ids.tolist() == best
        assert np.allclose(scores, vectors[best] @ query, atol=1e-5)
        assert store.search(query, 5, ["no-such-doc"])[0].size == 0
        assert len(store.search(query, 50, ["doc-3"])[0]) == 10  # fewer than k: all of them
    finally:
        store.close()


def test_a_watched_sidecar_change_updates_its_files_metadata(
    tmp_path: Path, encoder: Encoder
) -> None:
    corpus = tiny_corpus(tmp_path)
    settings = Settings(home=tmp_path / "home", corpus=corpus, watch_stable_seconds=0)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    writer = Writer(settings, encoder, lambda: None, background_merges=False)
    watcher = Watcher(settings, writer, [corpus])
    sidecar = corpus / "otters.txt.meta.json"
    sidecar.write_text('{"team": "wildlife"}')
    batch = watcher.apply([sidecar])
    assert batch is not None and batch.changed == ["otters.txt"] and batch.skipped == []
    engine = Engine(settings, encoder)
    assert engine.document("otters.txt").metadata == {"team": "wildlife"}
    assert watcher.apply([sidecar, corpus / "otters.txt"]) is None  # nothing new
    sidecar.unlink()
    batch = watcher.apply([sidecar])
    assert batch is not None and batch.changed == ["otters.txt"]
    assert Engine(settings, encoder).document("otters.txt").metadata == {}
