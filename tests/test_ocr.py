"""OCR with Tesseract: images and scanned PDF pages read, indexed with the real model and cited
by page; hostile images and scans refused at their bounds.

Page images are drawn here with Pillow in a real TrueType font (tests/pdfs.py). `make test`
installs Tesseract (`make ocr`); without it the tests that run it skip saying why, except under
CI, where they fail.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image

from citeqa.corpus import DocumentError, load_document, parse_document
from citeqa.corpus.formats import ocr
from citeqa.index.encoder import Encoder
from citeqa.index.storage import ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .conftest import LiveServer, tiny_corpus
from .pdfs import image_bytes, make_pdf, png_claiming_size, text_image

PHAROS = [
    "The lighthouse of Pharos guided sailors into the",
    "harbour of Alexandria for sixteen centuries.",
    "Its keeper lit a fire of olive wood every evening.",
]
GRAIN = [
    "The granary of the old port stored barley and wheat",
    "brought by river barges from the farms upstream.",
]
KEY = {"X-API-Key": "ocr-key"}
# A text page long enough (about 250 words) to fill passages of its own.
LEDGER = [
    "Harbour Records",
    "",
    *(
        f"In {1850 + i} the harbour master entered {40 + 3 * i} ships from {port} in the ledger."
        for i, port in enumerate(["Lisbon", "Genoa", "Smyrna", "Tunis", "Marseille"] * 4)
    ),
]


@pytest.fixture(scope="module")
def tesseract() -> None:
    reason = ocr.ocr_missing_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the OCR tests")
        pytest.skip(f"{reason}: run `make ocr` as root")


def _words(text: str) -> set[str]:
    return {w.strip(".,").lower() for w in text.split()}


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "pharos.png"), ("JPEG", "pharos.jpg")])
def test_an_image_is_read_as_one_page(tesseract: None, fmt: str, name: str) -> None:
    doc = parse_document(image_bytes([text_image(PHAROS)], fmt), name)
    assert doc.kind == "image" and [p.number for p in doc.pages] == [1]
    expected = _words(" ".join(PHAROS))
    assert len(expected & _words(doc.text)) >= 0.9 * len(expected)
    assert "Alexandria" in doc.text


def test_a_multipage_tiff_is_read_page_by_page(tesseract: None) -> None:
    data = image_bytes([text_image(GRAIN), text_image(PHAROS)], "TIFF")
    doc = parse_document(data, "scans.tiff")
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.page_at(doc.text.index("Alexandria")).number == 2  # type: ignore[union-attr]
    assert doc.page_at(doc.text.index("barley")).number == 1  # type: ignore[union-attr]


def test_a_mixed_pdf_reads_text_pages_and_scanned_pages(tesseract: None, tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "mixed.pdf",
        [
            ["Harbour Records", "", "The harbour master keeps a ledger of every ship in port."],
            text_image(PHAROS, size=56, width=2480),
        ],
    )
    doc = load_document(path)
    assert doc.page_at(doc.text.index("ledger")).number == 1  # type: ignore[union-attr]
    assert doc.page_at(doc.text.index("Alexandria")).number == 2  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def engine(tesseract: None, tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Engine:
    root = tmp_path_factory.mktemp("ocr")
    folder = tiny_corpus(root)
    (folder / "pharos.png").write_bytes(image_bytes([text_image(PHAROS)], "PNG"))
    make_pdf(folder / "port.pdf", [LEDGER, text_image(GRAIN, size=56, width=2480)])
    settings = Settings(home=root / "home")
    ingest([folder], encoder, settings.home, settings.build_options())
    return Engine(settings, encoder)


def test_the_image_passage_ranks_first(engine: Engine) -> None:
    top = engine.ask("What did the keeper of the Pharos lighthouse burn?", 3).passages[0]
    assert top.citation.document == "pharos.png" and "olive wood" in top.text
    assert top.citation.page == 1
    text = engine.document("pharos.png").text
    assert text[top.citation.start : top.citation.end] == top.text


def test_a_scanned_page_is_cited_by_its_number(engine: Engine) -> None:
    top = engine.ask("What did the granary of the old port store?", 3).passages[0]
    assert top.citation.document == "port.pdf" and "barley" in top.text
    assert top.citation.page == top.citation.page_end == 2


@pytest.mark.parametrize("side", [10_000, 60_000])  # past the bound; past Pillow's own (2x)
def test_a_decompression_bomb_is_refused_before_decoding(side: int) -> None:
    data = png_claiming_size(side, side)  # up to 3.6 G pixels, in 70 bytes
    started = time.perf_counter()
    with pytest.raises(DocumentError, match=r"million pixels read here \(a decompression bomb\?\)"):
        parse_document(data, "bomb.png")
    assert time.perf_counter() - started < 2


def test_a_scan_of_too_many_pages_is_refused_before_ocr(tmp_path: Path) -> None:
    page = Image.new("L", (200, 280), 255)
    path = make_pdf(tmp_path / "long-scan.pdf", [page] * (ocr.MAX_OCR_PAGES + 1))
    started = time.perf_counter()
    with pytest.raises(DocumentError, match=f"more than the {ocr.MAX_OCR_PAGES}"):
        load_document(path)
    assert time.perf_counter() - started < 10


def test_a_page_past_the_time_limit_is_refused(
    tesseract: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "OCR_SECONDS_PER_PAGE", 0.001)
    with pytest.raises(DocumentError, match="OCR of page 1 took longer than"):
        parse_document(image_bytes([text_image(PHAROS)], "PNG"), "slow.png")


def test_broken_images_are_document_errors() -> None:
    whole = image_bytes([text_image(PHAROS)], "PNG")
    for data in [b"\x89PNG\r\n\x1a\n", whole[: len(whole) // 2], b"II*\x00garbage"]:
        with pytest.raises(DocumentError, match="not a readable image"):
            parse_document(data, "broken.png")


@pytest.mark.slow  # an index of its own and a server
def test_images_are_uploaded_and_bombs_refused_over_http(
    tesseract: None, tmp_path: Path, encoder: Encoder
) -> None:
    settings = Settings(home=tmp_path / "home", corpus=tiny_corpus(tmp_path), api_key="ocr-key")
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    with LiveServer(Engine(settings, encoder)) as client:
        _upload_and_ask(client)


def _upload_and_ask(client: httpx.Client) -> None:
    png = image_bytes([text_image(PHAROS)], "PNG")
    added = client.post("/documents", files={"file": ("pharos.png", png)}, headers=KEY)
    assert added.status_code == 201, added.text
    body = client.post("/ask", json={"question": "Where did Pharos guide sailors?", "k": 1})
    citation = body.json()["passages"][0]["citation"]
    assert citation["document"] == "pharos.png" and citation["page"] == 1
    bomb = client.post(
        "/documents", files={"file": ("bomb.png", png_claiming_size(60_000, 60_000))}, headers=KEY
    )
    assert bomb.status_code == 422 and "pixels" in bomb.json()["detail"]


def test_without_tesseract_text_pages_are_kept_and_scans_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = text_image(PHAROS, size=56, width=2480)
    mixed = make_pdf(tmp_path / "mixed.pdf", [LEDGER, scan])
    scanned = make_pdf(tmp_path / "scanned.pdf", [scan])
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on it
    doc = load_document(mixed)
    assert "Lisbon" in doc.text and "Alexandria" not in doc.text
    assert [p.number for p in doc.pages] == [1, 2]
    with pytest.raises(DocumentError, match="page 1 has no text layer and OCR needs Tesseract"):
        load_document(scanned)
    with pytest.raises(DocumentError, match="needs Tesseract"):
        parse_document(image_bytes([scan], "PNG"), "scan.png")
