"""Collections over real HTTP: two named corpora beside the default one, each answering only
its own documents and opening only to its own keys, on every route it has."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from citeqa.index.encoder import Encoder
from citeqa.index.storage import ingest, ingest_lock
from citeqa.service import collections
from citeqa.service.auth import key_check_of
from citeqa.service.cli import main
from citeqa.service.collections import CollectionError
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .conftest import LiveServer, tiny_corpus

ADMIN = "admin-key-0123456789"
DEFAULT = {"write": "default-write-key-0123", "read": "default-read-key-01234"}
KEYS = {
    "alpha": {"write": "alpha-write-key-012345", "read": "alpha-read-key-0123456"},
    "beta": {"write": "beta-write-key-0123456", "read": "beta-read-key-01234567"},
}
DOCS = {
    "alpha": (
        "glaciers.txt",
        "The Vatnajokull glacier covers eight percent of Iceland and feeds many rivers.",
        "Which glacier covers eight percent of Iceland?",
    ),
    "beta": (
        "violins.txt",
        "Antonio Stradivari built about eleven hundred violins in Cremona.",
        "How many violins did Stradivari build?",
    ),
}
# Routes of a collection that answer without a key: liveness and the API's description. Any
# other route must need the collection's key.
OPEN_ROUTES = {"/health", "/health/ready", "/openapi.json", "/docs", "/docs/oauth2-redirect"}
OPEN_ROUTES |= {"/redoc"}


def _h(key: str | None) -> dict[str, str]:
    return {"X-API-Key": key} if key else {}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Iterator[LiveServer]:
    home = tmp_path_factory.mktemp("collections-home")
    settings = Settings(
        home=home,
        api_key=DEFAULT["write"],
        read_key=DEFAULT["read"],
        admin_key=ADMIN,
        max_collections=3,
    )
    ingest([tiny_corpus(home)], encoder, home, settings.build_options())
    live = LiveServer(Engine(settings, encoder))
    with live:
        yield live
    # The service's shutdown ran every loaded collection's lifespan out.
    assert not _app(live).state.collections.loaded


def _app(live: LiveServer) -> FastAPI:
    app = live.server.config.app
    assert isinstance(app, FastAPI)
    return app


@pytest.fixture(scope="module")
def http(service: LiveServer) -> httpx.Client:
    client = service.client
    for name, keys in KEYS.items():
        body = {"name": name, "api_key": keys["write"], "read_key": keys["read"]}
        created = client.post("/collections", json=body, headers=_h(ADMIN))
        assert created.status_code == 201, created.text
        filename, text, _ = DOCS[name]
        upload = client.post(
            f"/collections/{name}/documents",
            files={"file": (filename, text.encode())},
            headers=_h(keys["write"]),
        )
        assert upload.status_code == 201, upload.text
    return client


def test_keys_are_stored_as_digests_only(http: httpx.Client, service: LiveServer) -> None:
    home = _app(service).state.collections.settings.home
    record = (home / "collections" / "alpha" / "collection.json").read_text()
    for key in KEYS["alpha"].values():
        assert key not in record
    assert re.search(r'"api_key_sha256": "[0-9a-f]{64}"', record)


@pytest.mark.parametrize("name", list(KEYS))
def test_each_collection_answers_its_own_documents_only(http: httpx.Client, name: str) -> None:
    other = next(n for n in KEYS if n != name)
    key = _h(KEYS[name]["read"])
    own = http.post(f"/collections/{name}/ask", json={"question": DOCS[name][2]}, headers=key)
    assert own.status_code == 200, own.text
    cited = {p["citation"]["document"] for p in own.json()["passages"]}
    assert cited == {DOCS[name][0]}
    theirs = http.post(f"/collections/{name}/ask", json={"question": DOCS[other][2]}, headers=key)
    assert DOCS[other][0] not in {p["citation"]["document"] for p in theirs.json()["passages"]}
    listed = http.get(f"/collections/{name}/documents", headers=key).json()["documents"]
    assert [d["id"] for d in listed] == [DOCS[name][0]]
    assert http.get(f"/collections/{name}/stats", headers=key).json()["documents"] == 1
    theirs_by_id = http.get(f"/collections/{name}/documents/{DOCS[other][0]}", headers=key)
    assert theirs_by_id.status_code == 404


def test_default_routes_are_unchanged(http: httpx.Client) -> None:
    asked = http.post(
        "/ask", json={"question": "How do otters sleep?"}, headers=_h(DEFAULT["read"])
    )
    assert asked.status_code == 200
    cited = {p["citation"]["document"] for p in asked.json()["passages"]}
    assert "otters.txt" in cited and not cited & {d[0] for d in DOCS.values()}
    assert http.get("/stats", headers=_h(DEFAULT["read"])).json()["documents"] == 2
    assert http.get("/health/ready").status_code == 200
    # A collection's key opens nothing of the default collection.
    for keys in KEYS.values():
        for key in keys.values():
            assert http.get("/stats", headers=_h(key)).status_code == 403
            assert http.delete("/documents/otters.txt", headers=_h(key)).status_code == 403


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x.txt", path)


def _flat(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    """The app's routes with included routers opened up (none of ours has a prefix)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        yield from _flat(included.routes) if included is not None else [route]


def test_every_route_refuses_other_keys(http: httpx.Client, service: LiveServer) -> None:
    app = _app(service).state.collections.loaded["alpha"].app
    strangers = [
        *KEYS["beta"].values(),
        *DEFAULT.values(),
        ADMIN,
        None,
    ]
    checked = 0
    for route in _flat(app.routes):
        path = getattr(route, "path", "")
        check = key_check_of(route)
        if check is None:
            assert path in OPEN_ROUTES, f"{route!r} answers without a key"
            continue
        assert isinstance(route, APIRoute)
        for method in route.methods:
            for key in strangers:
                url = f"/collections/alpha{_concrete(path)}"
                answer = http.request(method, url, headers=_h(key), json={"question": "x"})
                assert answer.status_code == (401 if key is None else 403), (method, path, key)
                assert DOCS["alpha"][1] not in answer.text
            checked += 1
    assert checked >= 8  # ask, documents (5), rebuild, jobs, stats, metrics
    # The service counts collections' requests by route template, never by collection name.
    metrics = http.get("/metrics", headers=_h(DEFAULT["read"])).text
    assert 'route="/collections/{name}/ask"' in metrics and "alpha" not in metrics
    # The other way round: alpha's keys open nothing of beta.
    for key in KEYS["alpha"].values():
        assert http.get("/collections/beta/stats", headers=_h(key)).status_code == 403


def test_read_key_reads_and_write_key_writes(http: httpx.Client) -> None:
    read = _h(KEYS["alpha"]["read"])
    assert http.get("/collections/alpha/stats", headers=_h(KEYS["alpha"]["write"])).is_success
    refused = http.delete("/collections/alpha/documents/glaciers.txt", headers=read)
    assert refused.status_code == 403


def test_admin_routes_refuse_collection_and_default_keys(http: httpx.Client) -> None:
    for key in [*KEYS["alpha"].values(), *DEFAULT.values()]:
        assert http.get("/collections", headers=_h(key)).status_code == 403
        body = {"name": "gamma", "api_key": "x" * 20}
        assert http.post("/collections", json=body, headers=_h(key)).status_code == 403
        assert http.delete("/collections/beta", headers=_h(key)).status_code == 403
    assert http.get("/collections").status_code == 401
    listed = http.get("/collections", headers=_h(ADMIN)).json()["collections"]
    assert listed == [{"name": "alpha", "documents": 1}, {"name": "beta", "documents": 1}]
    # The admin key opens the admin routes only, not a collection's data.
    assert http.get("/collections/alpha/stats", headers=_h(ADMIN)).status_code == 403


@pytest.mark.parametrize("name", ["Alpha", "-a", "a" * 64, "a.b", "", "ü"])
def test_bad_names_are_refused(http: httpx.Client, name: str) -> None:
    body = {"name": name, "api_key": "k" * 20}
    answer = http.post("/collections", json=body, headers=_h(ADMIN))
    assert answer.status_code == 422
    assert "collection name" in answer.json()["detail"]


def test_duplicate_unknown_limit_and_delete(http: httpx.Client, service: LiveServer) -> None:
    admin = _h(ADMIN)
    body = {"name": "alpha", "api_key": "k" * 20}
    assert http.post("/collections", json=body, headers=admin).status_code == 409
    assert http.get("/collections/nope/stats", headers=admin).status_code == 404
    assert http.delete("/collections/nope", headers=admin).status_code == 404
    short = http.post("/collections", json={"name": "short", "api_key": "k"}, headers=admin)
    assert short.status_code == 422
    gamma = {"name": "gamma", "api_key": "gamma-write-key-01234"}
    assert http.post("/collections", json=gamma, headers=admin).status_code == 201
    over = http.post("/collections", json={**gamma, "name": "delta"}, headers=admin)
    assert over.status_code == 409 and "CITEQA_MAX_COLLECTIONS" in over.json()["detail"]
    # Without a read key the write key reads; nobody else does.
    gamma_key = _h(gamma["api_key"])
    assert http.get("/collections/gamma/health/ready").status_code == 503  # no index yet
    # 503 (no index yet), past the key check.
    assert http.get("/collections/gamma/documents", headers=gamma_key).status_code == 503
    assert http.get("/collections/gamma/documents").status_code == 401
    # A write holding the collection: deleting it waits for nobody and says so.
    home = _app(service).state.collections.settings.home / "collections" / "gamma"
    with ingest_lock(home):
        assert http.delete("/collections/gamma", headers=admin).status_code == 409
    assert http.delete("/collections/gamma", headers=admin).status_code == 204
    assert not home.exists()
    assert "gamma" not in _app(service).state.collections.loaded
    assert http.get("/collections/gamma/documents", headers=gamma_key).status_code == 404
    assert http.post("/collections", json=gamma, headers=admin).status_code == 201
    assert http.get("/collections/gamma/stats", headers=gamma_key).status_code == 503
    # Deleted by another process (`citeqa collections delete`): the service lets it go too.
    collections.delete(_app(service).state.collections.settings, "gamma")
    assert http.get("/collections/gamma/stats", headers=gamma_key).status_code == 404
    assert "gamma" not in _app(service).state.collections.loaded


def test_admin_routes_are_disabled_without_an_admin_key(tmp_path: Path, encoder: Encoder) -> None:
    with LiveServer(Engine(Settings(home=tmp_path), encoder)) as client:
        answer = client.get("/collections", headers=_h(ADMIN))
        assert answer.status_code == 403
        assert answer.json()["detail"] == "collections are disabled: set CITEQA_ADMIN_KEY"
        assert client.get("/collections/alpha/stats").status_code == 404


def test_cli_acts_on_a_collection_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITEQA_HOME", str(tmp_path))
    for name in ("CITEQA_API_KEY", "CITEQA_READ_KEY", "CITEQA_COLLECTION"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    run("collections", "create", "team-a", "--api-key", KEYS["alpha"]["write"])
    run("collections", "create", "team-b", "--api-key", KEYS["beta"]["write"])
    for name, team in (("alpha", "team-a"), ("beta", "team-b")):
        path = tmp_path / DOCS[name][0]
        path.write_text(DOCS[name][1])
        run("add", str(path), "--collection", team)
    asked = json.loads(run("ask", DOCS["alpha"][2], "--json", "--collection", "team-a"))
    assert {p["citation"]["document"] for p in asked["passages"]} == {DOCS["alpha"][0]}
    listed = run("documents", "--collection", "team-b")
    assert DOCS["beta"][0] in listed and DOCS["alpha"][0] not in listed
    assert json.loads(run("stats", "--collection", "team-a"))["documents"] == 1
    folder = tmp_path / "harbour"
    folder.mkdir()
    (folder / "notes.md").write_text("# Notes\n\nThe harbour opens at dawn every day.")
    run("ingest", str(folder), "--collection", "team-a")
    run("remove", DOCS["alpha"][0], "--collection", "team-a")
    assert json.loads(run("stats", "--collection", "team-a"))["documents"] == 1
    assert "team-b\t1 documents" in run("collections", "list")
    asked = json.loads(run("ask", "When does the harbour open?", "--json", "--collection=team-a"))
    assert asked["passages"][0]["citation"]["document"] == "notes.md"
    run("collections", "delete", "team-a")
    missing = runner.invoke(main, ["stats", "--collection", "team-a"])
    assert missing.exit_code == 1
    assert missing.output.strip() == "Error: no collection 'team-a'"
    bad = runner.invoke(main, ["collections", "create", "Bad!", "--api-key", "k" * 20])
    assert bad.exit_code == 1 and "collection name" in bad.output
    bad = runner.invoke(main, ["stats", "--collection", "Bad!"])
    assert bad.exit_code == 1 and "collection name" in bad.output
    # The default home has no index of its own: the collections never fed it.
    assert not (tmp_path / "CURRENT").exists()
    with pytest.raises(CollectionError):
        collections.collection_settings(Settings(home=tmp_path), "team-a")


def test_cli_acts_on_a_collection_over_http(http: httpx.Client, service: LiveServer) -> None:
    runner = CliRunner()
    base = ["--url", service.url, "--collection", "beta", "--key", KEYS["beta"]["read"]]
    result = runner.invoke(main, ["ask", DOCS["beta"][2], "--json", *base])
    assert result.exit_code == 0, result.output
    cited = {p["citation"]["document"] for p in json.loads(result.output)["passages"]}
    assert cited == {DOCS["beta"][0]}
    listed = runner.invoke(main, ["collections", "list", "--url", service.url, "--key", ADMIN])
    assert "beta\t1 documents" in listed.output
    wrong = runner.invoke(main, ["stats", *base[:4], "--key", KEYS["alpha"]["read"]])
    assert wrong.exit_code == 1 and "wrong API key" in wrong.output


def test_default_keys_can_be_given_as_digests(tmp_path: Path, encoder: Encoder) -> None:
    write, read = "digest-write-key-0123", "digest-read-key-01234"
    settings = Settings(
        home=tmp_path,
        api_key_sha256=hashlib.sha256(write.encode()).hexdigest(),
        read_key_sha256=hashlib.sha256(read.encode()).hexdigest(),
    )
    with LiveServer(Engine(settings, encoder)) as client:
        assert client.get("/stats").status_code == 401
        assert client.get("/stats", headers=_h("wrong-key-0123456789")).status_code == 403
        assert client.get("/stats", headers=_h(read)).status_code == 503  # past the key: no index
        assert client.delete("/documents/x.txt", headers=_h(read)).status_code == 403
        assert client.delete("/documents/x.txt", headers=_h(write)).status_code != 403
