"""Issue 7, access: the optional read key (CITEQA_READ_KEY) and CORS (CITEQA_CORS_ORIGINS),
checked over real HTTP against live servers.

One table of endpoints x keys: with a read key configured, every read needs it or the write
key (missing -> 401, wrong -> 403), /health stays open, writes still need the write key, and no
key ever shows up in an answer or a log line. Without one, reads stay open.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from citeqa.eval.cli import eval_command
from citeqa.eval.run import Http
from citeqa.index.encoder import Encoder
from citeqa.index.storage.ingest import ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings, load_settings

from .conftest import LiveServer, tiny_corpus

READ_KEY = "read-Key-7f3a9c"
WRITE_KEY = "write-Key-b81d02"
GUESS = "guess-Key-000000"
OTTERS = "Why do sea otters hold hands?"


@dataclass
class Guarded:
    client: httpx.Client
    settings: Settings
    job_id: str


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Iterator[Guarded]:
    """A server with both keys over a tiny corpus of its own, and one finished rebuild job."""
    root = tmp_path_factory.mktemp("read-key")
    corpus = tiny_corpus(root)
    settings = Settings(home=root / "home", corpus=corpus, api_key=WRITE_KEY, read_key=READ_KEY)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    with LiveServer(Engine(settings, encoder)) as client:
        started = client.post("/index/rebuild", headers={"X-API-Key": WRITE_KEY})
        assert started.status_code == 202, started.text
        job_id = started.json()["job"]
        deadline = time.monotonic() + 60
        while client.get(f"/jobs/{job_id}", headers={"X-API-Key": WRITE_KEY}).json()[
            "state"
        ] not in ("done", "failed"):
            assert time.monotonic() < deadline, "the rebuild did not finish"
            time.sleep(0.1)
        yield Guarded(client, settings, job_id)


READS = [
    ("ask", "POST", "/ask", {"question": OTTERS, "k": 1}),
    ("stats", "GET", "/stats", None),
    ("metrics", "GET", "/metrics", None),
    ("documents", "GET", "/documents", None),
    ("document", "GET", "/documents/otters.txt", None),
    ("job", "GET", "/jobs/{job}", None),
]
# (the X-API-Key header sent, or None for none) -> the status every read must get
KEYS = [
    ("no-header", None, 401),
    ("empty-header", "", 401),
    ("wrong-key", GUESS, 403),
    ("read-key-upper-case", READ_KEY.upper(), 403),
    ("read-key-prefix", READ_KEY[:-1], 403),
    ("read-key-plus-one", READ_KEY + "0", 403),
    ("read-key", READ_KEY, 200),
    ("write-key", WRITE_KEY, 200),
]


def _request(
    client: httpx.Client, method: str, path: str, body: object, key: str | None
) -> httpx.Response:
    headers = {} if key is None else {"X-API-Key": key}
    return client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(
    ("method", "path", "body"), [r[1:] for r in READS], ids=[r[0] for r in READS]
)
@pytest.mark.parametrize(("key", "status"), [k[1:] for k in KEYS], ids=[k[0] for k in KEYS])
def test_reads_need_the_read_or_the_write_key(
    guarded: Guarded,
    method: str,
    path: str,
    body: object,
    key: str | None,
    status: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    response = _request(guarded.client, method, path.format(job=guarded.job_id), body, key)
    assert response.status_code == status, response.text
    if status == 200:
        if path == "/ask":
            assert response.json()["passages"][0]["citation"]["document"] == "otters.txt"
        return
    assert set(response.json()) == {"detail"}
    expected = "X-API-Key header" if status == 401 else "wrong API key"
    assert expected in response.json()["detail"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (READ_KEY, WRITE_KEY, GUESS, READ_KEY[:-1]):
        assert secret not in response.text and secret not in logged


@pytest.mark.parametrize("key", [None, READ_KEY, WRITE_KEY], ids=["no-key", "read", "write"])
def test_health_and_the_docs_stay_open(guarded: Guarded, key: str | None) -> None:
    for path in ("/health", "/openapi.json", "/docs"):
        assert _request(guarded.client, "GET", path, None, key).status_code == 200, path


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/documents"), ("DELETE", "/documents/otters.txt"), ("POST", "/index/rebuild")],
)
def test_the_read_key_does_not_open_writes(guarded: Guarded, method: str, path: str) -> None:
    files = {"file": ("kites.txt", b"Box kites fly in strong winds.")} if method == "POST" else None
    response = guarded.client.request(method, path, files=files, headers={"X-API-Key": READ_KEY})
    assert response.status_code == 403 and response.json()["detail"] == "wrong API key"
    assert sorted(p.name for p in guarded.settings.corpus.iterdir()) == ["bees.md", "otters.txt"]


@pytest.mark.parametrize("key", [None, GUESS], ids=["no-header", "wrong-key"])
def test_without_a_read_key_reads_stay_open(http: httpx.Client, key: str | None) -> None:
    """The session's server has no read key: reads answer whatever X-API-Key says."""
    for method, path, body in [
        ("POST", "/ask", {"question": OTTERS, "k": 1}),
        ("GET", "/stats", None),
        ("GET", "/documents", None),
    ]:
        assert _request(http, method, path, body, key).status_code == 200, path


def test_openapi_declares_the_key(http: httpx.Client, guarded: Guarded) -> None:
    open_schema = http.get("/openapi.json").json()
    keyed_schema = guarded.client.get("/openapi.json").json()
    scheme = open_schema["components"]["securitySchemes"]["ApiKey"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-API-Key")
    # Reads declare the key only when a read key is configured; writes always do.
    assert "security" not in open_schema["paths"]["/ask"]["post"]  # reads are open: no key
    assert keyed_schema["paths"]["/ask"]["post"]["security"] == [{"ApiKey": []}]
    assert open_schema["paths"]["/documents"]["post"]["security"] == [{"ApiKey": []}]
    assert "security" not in open_schema["paths"]["/health"]["get"]
    for status in ("401", "403"):
        assert status in open_schema["paths"]["/stats"]["get"]["responses"]


# --- settings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("", None),  # empty means unset: an empty header must never match
        ("s3cret key-with_punct!", "s3cret key-with_punct!"),
        (" padded", False),  # HTTP strips outer spaces: this key could never match
        ("padded ", False),
        ("clé", False),
        ("tab\tinside", False),
    ],
)
@pytest.mark.parametrize("variable", ["CITEQA_READ_KEY", "CITEQA_API_KEY"])
def test_keys_must_be_able_to_travel_in_a_header(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, accepted: str | bool | None
) -> None:
    monkeypatch.setenv(variable, value)
    field = variable.removeprefix("CITEQA_").lower()
    if accepted is False:
        with pytest.raises(ValueError, match=variable) as refused:
            load_settings()
        assert value not in str(refused.value)  # never echo a secret
        return
    key = getattr(load_settings(), field)
    assert (key.get_secret_value() if key is not None else None) == accepted
    assert value == "" or value not in repr(load_settings())


@pytest.mark.parametrize(
    ("value", "origins"),
    [
        ("", []),
        ("https://app.example", ["https://app.example"]),
        (
            "https://app.example, http://localhost:5173",
            ["https://app.example", "http://localhost:5173"],
        ),
        (
            '["https://app.example", "http://127.0.0.1:8080"]',
            ["https://app.example", "http://127.0.0.1:8080"],
        ),
        ("https://app.example/", ["https://app.example"]),  # a trailing slash never matches
        ("*", ["*"]),
        ("app.example", None),
        ("https://app.example/path", None),
        ("ftp://app.example", None),
        ('["https://app.example"', None),
    ],
)
def test_cors_origins_setting(
    monkeypatch: pytest.MonkeyPatch, value: str, origins: list[str] | None
) -> None:
    monkeypatch.setenv("CITEQA_CORS_ORIGINS", value)
    if origins is None:
        with pytest.raises(ValueError, match="CITEQA_CORS_ORIGINS"):
            load_settings()
    else:
        assert load_settings().cors_origins == origins


# --- CORS over HTTP ----------------------------------------------------------------------------

ALLOWED = "https://app.example"
OTHER = "https://evil.example"


def _preflight(
    client: httpx.Client,
    origin: str,
    path: str = "/ask",
    method: str = "POST",
    headers: str = "content-type,x-api-key",
) -> httpx.Response:
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )


@pytest.fixture(scope="module")
def cors(shipped_home: Path, encoder: Encoder) -> Iterator[httpx.Client]:
    """The shipped index served with one allowed origin and a read key (writes stay disabled)."""
    settings = Settings(home=shipped_home, cors_origins=[ALLOWED], read_key=READ_KEY)  # type: ignore[arg-type]
    with LiveServer(Engine(settings, encoder)) as client:
        yield client


def test_no_cors_headers_by_default(http: httpx.Client) -> None:
    preflight = _preflight(http, ALLOWED)
    assert "access-control-allow-origin" not in preflight.headers
    simple = http.post("/ask", json={"question": OTTERS, "k": 1}, headers={"Origin": ALLOWED})
    assert simple.status_code == 200 and "access-control-allow-origin" not in simple.headers


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/ask", "POST"),
        ("/stats", "GET"),
        ("/documents", "POST"),
        ("/documents/x.txt", "PUT"),
        ("/documents/x.txt", "DELETE"),
    ],
)
def test_preflight_from_the_allowed_origin_only(cors: httpx.Client, path: str, method: str) -> None:
    allowed = _preflight(cors, ALLOWED, path, method)
    assert allowed.status_code == 200, allowed.text
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    assert method in allowed.headers["access-control-allow-methods"]
    assert {"content-type", "x-api-key"} <= {
        h.strip().lower() for h in allowed.headers["access-control-allow-headers"].split(",")
    }
    other = _preflight(cors, OTHER, path, method)
    assert other.status_code >= 400 and "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize(
    ("origin", "method", "headers"),
    [
        (OTHER, "POST", "content-type"),
        (ALLOWED + ":8443", "POST", "content-type"),
        ("http://app.example", "POST", "content-type"),  # another scheme is another origin
        (ALLOWED, "PATCH", "content-type"),
        (ALLOWED, "POST", "authorization"),
    ],
)
def test_preflights_outside_the_policy_are_refused(
    cors: httpx.Client, origin: str, method: str, headers: str
) -> None:
    refused = _preflight(cors, origin, method=method, headers=headers)
    assert refused.status_code == 400
    if origin != ALLOWED:
        assert "access-control-allow-origin" not in refused.headers


def test_answers_carry_cors_headers_for_the_allowed_origin(cors: httpx.Client) -> None:
    key = {"X-API-Key": READ_KEY}
    answer = cors.post(
        "/ask", json={"question": OTTERS, "k": 1}, headers={"Origin": ALLOWED, **key}
    )
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == ALLOWED
    # A browser can read why a request failed: the 401 carries the header too.
    refused = cors.get("/stats", headers={"Origin": ALLOWED})
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == ALLOWED
    other = cors.post("/ask", json={"question": OTTERS, "k": 1}, headers={"Origin": OTHER, **key})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers


# --- clients that send the key -----------------------------------------------------------------

SHIPPED_SET = Path(__file__).resolve().parent.parent / "eval" / "sets" / "asean-dev.jsonl"


def test_eval_over_http_sends_the_read_key(cors: httpx.Client, tmp_path: Path) -> None:
    args = [str(SHIPPED_SET), "--check", "--url", str(cors.base_url), "--out", str(tmp_path)]
    refused = CliRunner().invoke(eval_command, args, env={"CITEQA_READ_KEY": None})
    assert refused.exit_code == 1 and "answered 401" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    wrong = CliRunner().invoke(eval_command, [*args, "--key", GUESS])
    assert wrong.exit_code == 1 and "answered 403" in wrong.stderr and GUESS not in wrong.output
    for extra, env in [(["--key", READ_KEY], {}), ([], {"CITEQA_READ_KEY": READ_KEY})]:
        checked = CliRunner().invoke(eval_command, [*args, *extra], env=env)
        assert checked.exit_code == 0, checked.output
        assert "79 questions valid" in checked.stdout
    backend = Http(str(cors.base_url), api_key=READ_KEY)
    try:
        answer = backend.ask("When did the ROK become a full Dialogue Partner of ASEAN?", 1)
    finally:
        backend.close()
    assert answer.passages[0].citation.document == "asean-secretariat-overview-asean-rok-csp.pdf"


def _raw_headers_only(url: str, request_head: str) -> str:
    """Send only a request's head (its body announced, never sent) and return the status line
    the server answers with before any body arrives ("" when it waits for the body)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request_head.encode("latin-1"))
        try:
            return sock.recv(4096).decode("latin-1").split("\r\n", 1)[0]
        except TimeoutError:
            return ""


def test_keys_are_checked_before_the_body_is_read(guarded: Guarded) -> None:
    """An unkeyed 40 MB upload is refused without receiving it; malformed JSON from a caller
    without the key gets 401, not a parse error."""
    url = str(guarded.client.base_url)
    upload = (
        "POST /documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {40 << 20}\r\n\r\n"
    )
    assert _raw_headers_only(url, upload).startswith("HTTP/1.1 401")
    wrong = upload.replace("Host: x\r\n", f"Host: x\r\nX-API-Key: {READ_KEY}\r\n")
    assert _raw_headers_only(url, wrong).startswith("HTTP/1.1 403")
    malformed = guarded.client.post(
        "/ask", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 401, malformed.text
    keyed = guarded.client.post(
        "/ask",
        content=b"{not json",
        headers={"Content-Type": "application/json", "X-API-Key": READ_KEY},
    )
    assert keyed.status_code in (400, 422), keyed.text  # with the key: the JSON error as before
