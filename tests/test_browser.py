"""The web page in a real browser (Debian's Chromium driven by Playwright) against the real app
over HTTP, serving the shipped index (and, for writes, a tiny corpus of its own with a key).

`make test` installs Chromium (`make browser`); without it these tests skip saying so, except
under CI, where they fail. Screenshots go to var/artifacts/ (git-ignored)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from citeqa.index.encoder import Encoder
from citeqa.index.storage.ingest import ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .conftest import LiveServer, tiny_corpus

pytestmark = pytest.mark.slow  # a real Chromium

CHROMIUM = Path(os.environ.get("CITEQA_TEST_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "artifacts"
PDF = "asean-secretariat-overview-asean-rok-csp.pdf"
QUESTION_1991 = "When did the ROK become a full Dialogue Partner of ASEAN?"
QUESTION_PARMA = "What did the ROK launch in September 2023 about methane?"
UNANSWERABLE = "What is the boiling point of mercury on Mars?"
KEY = "page-key"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium) as root"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page at desktop size; any uncaught script error fails the test."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    errors: list[str] = []
    opened.on("pageerror", lambda err: errors.append(str(err)))
    yield opened
    context.close()
    assert errors == [], errors


def ask(page: Page, question: str) -> None:
    page.fill("#question", question)
    page.press("#question", "Enter")  # Enter asks
    expect(page.locator("#ask-status")).to_contain_text("best first")


def answer(http: httpx.Client, question: str, k: int = 5) -> dict:
    response = http.post("/ask", json={"question": question, "k": k})
    assert response.status_code == 200, response.text
    return response.json()


def test_asking_shows_cited_passages_with_the_answer_highlighted(
    page: Page, http: httpx.Client
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(str(http.base_url))
    ask(page, QUESTION_1991)
    passages = page.locator("#results > li")
    expect(passages).to_have_count(5)  # the k selector's default
    first = passages.first
    expect(first.locator(".where")).to_contain_text(f"{PDF} · p. 1")
    expect(first.locator(".cite")).to_have_text(
        "Overview of ASEAN-Republic of Korea Comprehensive Strategic Partnership"
    )
    expected = answer(http, QUESTION_1991)["passages"][0]
    sentence = expected["text"][expected["highlight"]["start"] : expected["highlight"]["end"]]
    mark = first.locator("mark.answer")
    expect(mark).to_be_visible()
    expect(mark).to_have_text(sentence)
    assert "1991" in sentence and "Dialogue Partner" in sentence
    assert first.locator(".passage-text").text_content() == expected["text"]
    expect(page.locator("#not-found")).to_be_hidden()
    expect(page.locator("#short-answer")).to_be_visible()
    expect(page.locator("#short-answer-text")).to_have_text("July 1991")
    sure = answer(http, QUESTION_1991)["confidence"]
    assert sure > 0.5
    expect(page.locator("#ask-status")).to_contain_text(f"confidence {sure:.2f}")
    expect(first.locator(".score")).to_have_text(f"similarity {expected['dense_score']:.2f}")
    assert "q=When+did" in page.url and "k=5" in page.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "page-desktop.png")
    # Self-contained: the page fetched nothing but its own files and the API.
    assert requested and all(url.startswith(str(http.base_url)) for url in requested), requested


def test_a_citation_opens_the_document_scrolled_to_the_cited_span(
    page: Page, http: httpx.Client
) -> None:
    expected = answer(http, QUESTION_PARMA)["passages"][0]
    citation = expected["citation"]
    assert citation["document"] == PDF and citation["start"] > 5000  # far down the document
    page.goto(str(http.base_url))
    ask(page, QUESTION_PARMA)
    page.locator("#results > li").first.locator(".cite").click()
    dialog = page.locator("#doc-view")
    expect(dialog).to_be_visible()
    cited = page.locator("#cited-span")
    expect(cited).to_be_in_viewport()
    assert cited.text_content() == expected["text"]  # the passage, character for character
    highlight = expected["highlight"]
    expect(cited.locator(".answer")).to_have_text(
        expected["text"][highlight["start"] : highlight["end"]]
    )
    assert page.eval_on_selector("#doc-text", "node => node.scrollTop") > 0
    document = http.get(f"/documents/{PDF}").json()
    assert page.locator("#doc-text").text_content() == document["text"]
    expect(page.locator("#doc-meta")).to_contain_text("pp. 4-5")
    expect(page.locator("#doc-error")).to_be_hidden()
    page.screenshot(path=ARTIFACTS / "page-document.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_an_unanswerable_question_says_not_found(page: Page, http: httpx.Client) -> None:
    assert answer(http, UNANSWERABLE)["answerable"] is False  # the premise, checked first
    page.goto(str(http.base_url))
    ask(page, UNANSWERABLE)
    expect(page.locator("#not-found")).to_be_visible()
    expect(page.locator("#not-found")).to_contain_text("Not found in these documents")
    expect(page.locator("#short-answer")).to_be_hidden()
    passages = page.locator("#results > li")
    expect(passages).to_have_count(5)
    expect(page.locator("#results > li.weak")).to_have_count(5)
    expect(passages.first.locator(".weak-badge")).to_have_text("weak")
    # A question that is answered afterwards clears the verdict.
    ask(page, QUESTION_1991)
    expect(page.locator("#not-found")).to_be_hidden()
    expect(page.locator("#results > li.weak")).to_have_count(0)


def test_api_errors_are_shown_as_messages(page: Page, http: httpx.Client) -> None:
    page.goto(str(http.base_url))
    page.fill("#question", "   ")
    page.press("#question", "Enter")
    expect(page.locator("#ask-error")).to_have_text("Error 422: question must not be empty")
    expect(page.locator("#results > li")).to_have_count(0)
    # A k beyond the service's limit, from a shared link: the service's own message.
    page.goto(f"{http.base_url}?q=trade&k=51")
    expect(page.locator("#ask-error")).to_have_text("Error 422: k must be between 1 and 50, got 51")
    # Writes on a service started without a key.
    page.set_input_files("#file", files=[_file("note.txt", b"Hello there.")])
    page.click("#upload-button")
    expect(page.locator("#manage-error")).to_contain_text(
        "Error 403: writes are disabled: start the service with CITEQA_API_KEY"
    )


def test_the_documents_are_listed_with_their_counts(page: Page, http: httpx.Client) -> None:
    listing = http.get("/documents").json()["documents"]
    stats = http.get("/stats").json()
    page.goto(str(http.base_url))
    expect(page.locator("#index-status")).to_contain_text(
        f"{stats['documents']} documents · {stats['passages']} passages · "
        f"index {stats['index_version']}"
    )
    rows = page.locator("#documents > li")
    expect(rows).to_have_count(len(listing))
    pdf = next(d for d in listing if d["id"] == PDF)
    row = page.locator(f'#documents > li[data-id="{PDF}"]')
    expect(row).to_contain_text(f"{PDF} · pdf · 5 pages · {pdf['passages']} passages")
    expect(row.locator(".delete")).to_be_hidden()  # no key entered
    row.locator(".doc-open").click()
    expect(page.locator("#doc-title")).to_have_text(pdf["title"])
    expect(page.locator("#doc-text")).to_contain_text("Economic Cooperation")
    assert len(page.locator("#doc-text").text_content() or "") == pdf["characters"]


def test_the_page_fits_a_phone(browser: Browser, http: httpx.Client) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(str(http.base_url))
    ask(phone, QUESTION_1991)
    expect(phone.locator("#results > li")).to_have_count(5)
    for selector in ("#question", "#k", "#ask-button", "#results mark.answer"):
        box = phone.locator(selector).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (selector, box)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    phone.screenshot(path=ARTIFACTS / "page-phone.png")
    phone.locator("#results > li").first.locator(".cite").click()
    expect(phone.locator("#cited-span")).to_be_in_viewport()
    phone.screenshot(path=ARTIFACTS / "page-phone-document.png")
    context.close()


# --- writes, against a service of their own ------------------------------------------------------


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Iterator[httpx.Client]:
    root = tmp_path_factory.mktemp("page-writable")
    corpus = tiny_corpus(root)
    settings = Settings(home=root / "home", corpus=corpus, api_key=KEY)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    with LiveServer(Engine(settings, encoder)) as client:
        yield client


def _file(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": "text/plain", "buffer": data}


# Characters outside the BMP count one in the API's offsets and two in JavaScript strings.
OTTER_NOTES = (
    "Giant otter notes 🦦\n\nThe giant otter 🦦 of the Amazon 🌊 grows up to 1.7 metres long. "
    "It lives in family groups 👪 of up to ten animals.\n"
).encode()


def test_upload_ask_and_delete_with_a_key(page: Page, writable: httpx.Client) -> None:
    page.goto(str(writable.base_url))
    expect(page.locator("#documents > li")).to_have_count(2)
    before = page.locator("#index-status").text_content()
    page.fill("#api-key", "wrong")
    page.set_input_files("#file", files=[_file("otter-notes.txt", OTTER_NOTES)])
    page.click("#upload-button")
    expect(page.locator("#manage-error")).to_have_text("Error 403: wrong API key")

    page.fill("#api-key", KEY)
    page.click("#upload-button")
    status = page.locator("#manage-status")
    expect(status).to_contain_text("Added otter-notes.txt (1 passage).")
    expect(status).to_contain_text("is live: 3 documents.")
    expect(page.locator("#manage-error")).to_be_hidden()
    assert page.eval_on_selector("#upload-progress", "node => node.value") == 100
    expect(page.locator("#documents > li")).to_have_count(3)
    # The page shows the version the upload published (a background merge of segments may
    # publish another right after it, with the same documents).
    expect(page.locator("#index-status")).to_contain_text("3 documents")
    shown = re.search(r"index (\S+)", page.locator("#index-status").text_content() or "")
    assert shown and shown[1] not in (before or "")
    assert shown[1] <= writable.get("/stats").json()["index_version"]  # names sort by time

    ask(page, "How long does the giant otter grow?")
    first = page.locator("#results > li").first
    expect(first.locator(".where")).to_contain_text("otter-notes.txt")
    expect(first.locator("mark.answer")).to_have_text(
        "The giant otter 🦦 of the Amazon 🌊 grows up to 1.7 metres long."
    )
    first.locator(".cite").click()
    expect(page.locator("#cited-span")).to_have_text(OTTER_NOTES.decode().strip())
    page.keyboard.press("Escape")

    page.once("dialog", lambda dialog: dialog.accept())  # the "Delete …?" confirmation
    page.locator('#documents > li[data-id="otter-notes.txt"] .delete').click()
    expect(status).to_contain_text("Deleted otter-notes.txt. Index version")
    expect(page.locator("#documents > li")).to_have_count(2)
    ids = {d["id"] for d in writable.get("/documents").json()["documents"]}
    assert ids == {"otters.txt", "bees.md"}
