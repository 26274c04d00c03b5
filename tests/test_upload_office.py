"""Uploads of each office, e-book, spreadsheet and e-mail format over real HTTP: 201, then the
next question finds the new document; a hostile file is a 422 with a one-line reason and leaves
the uploads folder and the index as they were."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.storage import current_version, ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .conftest import LiveServer, tiny_corpus
from .officefiles import capitals_xlsx, ferry_eml, harbours_csv, mekong_epub, volcano_pptx

KEY = {"X-API-Key": "office-key"}


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, encoder: Encoder
) -> Iterator[tuple[httpx.Client, Settings]]:
    root: Path = tmp_path_factory.mktemp("office-uploads")
    settings = Settings(home=root / "home", corpus=tiny_corpus(root), api_key="office-key")
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    with LiveServer(Engine(settings, encoder)) as client:
        yield client, settings


UPLOADS: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("volcanoes.pptx", volcano_pptx, "When did Mount Fuji last erupt?", "1707"),
    ("asia.xlsx", capitals_xlsx, "What is the population of Laos?", "7.4 million"),
    ("harbours.csv", harbours_csv, "How deep is the harbour at Laem Chabang?", "16 m"),
    ("mekong.epub", mekong_epub, "Where does the Mekong rise?", "Tibet"),
    ("ferry.eml", ferry_eml, "When does the morning ferry to Koh Samui leave?", "06:45"),
]


@pytest.mark.parametrize(("name", "make", "question", "answer"), UPLOADS)
def test_each_new_format_uploads_and_answers(
    served: tuple[httpx.Client, Settings],
    name: str,
    make: Callable[[], bytes],
    question: str,
    answer: str,
) -> None:
    client, settings = served
    added = client.post("/documents", files={"file": (name, make())}, headers=KEY)
    assert added.status_code == 201, added.text
    assert added.json()["id"] == name and (settings.uploads_folder / name).is_file()
    body = client.post("/ask", json={"question": question, "k": 3}).json()
    top = body["passages"][0]
    assert body["answerable"] and top["citation"]["document"] == name and answer in top["text"]


def _laughs_xlsx() -> bytes:
    made = zipfile.ZipFile(io.BytesIO(capitals_xlsx()))
    parts = {i.filename: made.read(i) for i in made.infolist()}
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{entities}]><r>&l9;</r>'
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in parts.items():
            archive.writestr(member, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "detail"),
    [
        ("locked.pptx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "password-protected"),
        ("laughs.xlsx", _laughs_xlsx(), "declares XML entities"),
        ("wide.csv", b",".join(b"c%d" % i for i in range(20_000)), "columns"),
        ("odd.epub", b"PK\x03\x04 not a zip", "not a .epub"),
        ("note.eml", b"no headers at all", "not an e-mail message"),
    ],
)
def test_hostile_uploads_are_422_and_change_nothing(
    served: tuple[httpx.Client, Settings], name: str, data: bytes, detail: str
) -> None:
    client, settings = served
    before = current_version(settings.home)
    response = client.post("/documents", files={"file": (name, data)}, headers=KEY)
    reason = response.json()["detail"]
    assert response.status_code == 422 and detail in reason and "\n" not in reason
    assert not (settings.uploads_folder / name).exists()
    assert current_version(settings.home) == before
    assert name not in {d["id"] for d in client.get("/documents").json()["documents"]}
