"""Shared fixtures: the real bundled model (loaded once), real indexes in tmp folders, the real
app served by uvicorn on a free loopback port, and a Milvus server for each module that asks."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from _pytest.nodeid import coerce_node_id
from filelock import FileLock

from citeqa.index.encoder import Encoder
from citeqa.index.storage.ingest import ingest
from citeqa.service.app import create_app
from citeqa.service.engine import Engine
from citeqa.service.settings import SHIPPED_CORPUS, Settings

from .milvus_server import MilvusServer, MilvusUnavailable, start_milvus

os.environ.setdefault("HF_HUB_OFFLINE", "1")


# The modules that take minutes, longest first, run before the rest: under `make test` (pytest -n
# 3, a module per worker at a time) the workers then end on short modules and finish together.
LONG_MODULES = (
    "test_container.py",
    "test_faults.py",
    "test_lifecycle.py",
    "test_sources.py",
    "test_cli_client.py",
    "test_milvus_index.py",
    "test_ingest_big.py",
    "test_cli.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def order(item: pytest.Item) -> int:
        name = item.path.name
        return LONG_MODULES.index(name) if name in LONG_MODULES else len(LONG_MODULES)

    items.sort(key=order)  # stable: each module's tests keep their order
    # pytest-xdist tells tests apart by node id: tests sharing one would run once. schemathesis
    # names a test per operation ("test_x[GET /ask]") but gives them all the function's node id,
    # so each gets its name's. pytest keeps the id in a private attribute: if that changes, the
    # check below stops the run rather than let tests vanish.
    for item in items:
        if "[" in item.name and not item.nodeid.endswith("]"):
            item._id = coerce_node_id(item.nodeid + "[" + item.name.split("[", 1)[1])
    twice = [node for node, n in Counter(item.nodeid for item in items).items() if n > 1]
    if twice:
        raise pytest.UsageError(f"tests share a node id (xdist would run one): {twice[:5]}")


def tiny_corpus(root: Path) -> Path:
    """A two-document corpus under `root` (otters.txt, bees.md) for tests that write to it."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / "otters.txt").write_text(
        "Sea otters hold hands while they sleep so they drift together."
    )
    (corpus / "bees.md").write_text(
        "# Bees\n\nHoney bees dance to tell the hive where flowers are."
    )
    return corpus


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return Settings().load_encoder()


@pytest.fixture(scope="session")
def shipped_home(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    """A home with the shipped corpus indexed once for the whole run (tests only read it).

    Under pytest-xdist the workers share it: the first to ask builds it in the run's own temporary
    folder, the others wait on the lock and open the same index (each building its own cost ~40 s
    of a loaded core)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        home = tmp_path_factory.mktemp("shipped-home")
        ingest([SHIPPED_CORPUS], encoder, home, Settings(home=home).build_options())
        return home
    shared = tmp_path_factory.getbasetemp().parent  # this run's folder, above each worker's
    home, built = shared / "shipped-home", shared / "shipped-home.built"
    with FileLock(str(shared / "shipped-home.lock")):
        if not built.exists():
            ingest([SHIPPED_CORPUS], encoder, home, Settings(home=home).build_options())
            built.touch()
    return home


@pytest.fixture(scope="session")
def shipped_engine(shipped_home: Path, encoder: Encoder) -> Engine:
    return Engine(Settings(home=shipped_home), encoder)


class LiveServer:
    """uvicorn serving an app in a thread; `client` talks to it over real HTTP."""

    def __init__(self, engine: Engine) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(
            create_app(engine.settings, engine),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> httpx.Client:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        self.client = httpx.Client(base_url=self.url, timeout=30)
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def http(shipped_engine: Engine) -> Iterator[httpx.Client]:
    """An HTTP client to the real app serving the shipped corpus."""
    with LiveServer(shipped_engine) as client:
        yield client


@pytest.fixture(scope="module")
def milvus_server() -> Iterator[MilvusServer]:
    """A Milvus standalone server (tests/milvus_server.py) for a module's tests, started on
    first use and killed when the module ends: idle, a server still takes ~7 % of a core, and a
    start takes seconds. A module's tests share it: each uses a collection of its own, or drops
    what it made. Without the server (`make milvus-server`) the tests asking for it skip saying
    why, except under CI, where they fail."""
    try:
        server = start_milvus()
    except MilvusUnavailable as err:
        if os.environ.get("CI"):
            pytest.fail(f"{err}; CI must run the Milvus server tests")
        pytest.skip(str(err))
    yield server
    server.stop()
