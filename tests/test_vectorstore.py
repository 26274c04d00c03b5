"""The vector store contract (index/vectorstores/base.py), the same tests on FAISS, on Milvus Lite
and on a Milvus standalone server (tests/milvus_server.py, one for the module, a collection
per test).

Data: vectors of the real bundled model for a few sentences, plus random unit vectors for size;
every search is checked against numpy's brute force (ids in order, scores to 1e-5).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.vectorstores import (
    ModelIdentity,
    VectorStore,
    VectorStoreError,
    VectorStoreMismatchError,
    open_vector_store,
)

from .milvus_server import RUNNING

ENGINES = ["faiss", "milvus-lite", pytest.param("milvus-server", marks=pytest.mark.slow)]
SENTENCES = {
    "otters.txt": "Sea otters hold hands while they sleep so they drift together.",
    "bees.md": "Honey bees dance to tell the hive where flowers are.",
    "asean.pdf": "The ROK became a full Dialogue Partner of ASEAN in July 1991.",
    "rain.txt": "Monsoon rains arrive in Kuala Lumpur between October and March.",
    "tea.txt": "Green tea leaves are steamed or pan-fired soon after picking.",
}
# Document ids a filter expression could choke on: quotes, backslashes, a newline, Unicode, and
# one that would widen the filter if it were pasted in unescaped.
ODD_DOC_IDS = [
    'say "hi".txt',
    "it's.md",
    "C:\\temp\\notes.txt",
    "two\nlines.txt",
    "über/文書 ✓.pdf",
    'x" or doc_id != "y',
    "trailing\\",
]

Opener = Callable[..., VectorStore]


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def sentence_vectors(encoder: Encoder) -> np.ndarray:
    return encoder.encode(list(SENTENCES.values()))


@pytest.fixture(scope="module")
def model(encoder: Encoder) -> ModelIdentity:
    return ModelIdentity.of(encoder)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def open_store(
    engine: str, tmp_path: Path, model: ModelIdentity, request: pytest.FixtureRequest
) -> Iterator[Opener]:
    """Opens the engine's store (again on each call): in tmp_path, or a new collection on the
    tests' Milvus server; closes them all (and drops that collection) at the end."""
    location: str | Path = tmp_path / ("vectors.db" if engine == "milvus-lite" else "vectors")
    options: dict[str, str] = {}
    if engine == "milvus-server":
        location = request.getfixturevalue("milvus_server").uri
        options["collection"] = f"contract_{uuid.uuid4().hex}"
    opened: list[VectorStore] = []

    def opener(identity: ModelIdentity = model) -> VectorStore:
        store = open_vector_store(location, identity, **options)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()
    if options:
        from pymilvus import MilvusClient

        client = MilvusClient(str(location))
        client.drop_collection(options["collection"])
        client.close()


def child_processes() -> list[str]:
    """This process's children, but for the tests' Milvus server."""
    tasks = Path(f"/proc/{os.getpid()}/task")
    server = {str(s.pid) for s in RUNNING}
    return [pid for f in tasks.glob("*/children") for pid in _read(f).split() if pid not in server]


def _read(path: Path) -> str:
    """A /proc file's text, or "" when its thread ended between listing and reading."""
    try:
        return path.read_text()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def random_rows(n: int, dimension: int, seed: int = 0) -> np.ndarray:
    return unit(np.random.default_rng(seed).normal(size=(n, dimension)))


def brute_force(ids: np.ndarray, vectors: np.ndarray, query: np.ndarray, k: int):
    scores = vectors @ query
    order = np.argsort(-scores, kind="stable")[:k]
    return ids[order], scores[order]


def assert_search_exact(store: VectorStore, ids, vectors, query, k: int) -> None:
    got_ids, got_scores = store.search(query, k)
    want_ids, want_scores = brute_force(ids, vectors, query, k)
    assert got_ids.dtype == np.int64 and got_scores.dtype == np.float32
    np.testing.assert_array_equal(got_ids, want_ids)
    np.testing.assert_allclose(got_scores, want_scores, atol=1e-5)


def test_real_sentences_rank_their_own_question_first(open_store: Opener, encoder: Encoder):
    store = open_store()
    vectors = encoder.encode(list(SENTENCES.values()))
    ids = np.arange(len(SENTENCES), dtype=np.int64) + (7 << 32)  # segment 7, rows 0..4
    store.add(ids, list(SENTENCES), vectors)
    question = encoder.encode(["When did Korea become a dialogue partner of ASEAN?"])[0]
    hit_ids, scores = store.search(question, 2)
    assert hit_ids[0] == (7 << 32) + 2  # the ASEAN sentence
    assert scores[0] > scores[1]
    assert_search_exact(store, ids, vectors, question, len(ids))


def test_search_matches_brute_force(open_store: Opener, sentence_vectors: np.ndarray):
    store = open_store()
    random = random_rows(2_000, sentence_vectors.shape[1])
    vectors = np.concatenate([sentence_vectors, random])
    ids = np.random.default_rng(1).choice(1 << 62, len(vectors), replace=False).astype(np.int64)
    docs = [f"doc-{i // 10}" for i in range(len(vectors))]
    store.add(ids[:1000], docs[:1000], vectors[:1000])  # two adds: across Lite segments
    store.add(ids[1000:], docs[1000:], vectors[1000:])
    assert store.count() == len(vectors)
    queries = np.concatenate([sentence_vectors, random_rows(5, vectors.shape[1], seed=2)])
    for query in queries:
        assert_search_exact(store, ids, vectors, query, 10)
    assert_search_exact(store, ids, vectors, queries[0], 100)


def test_empty_store_and_k_beyond_count(open_store: Opener, sentence_vectors: np.ndarray):
    store = open_store()
    assert store.count() == 0
    ids, scores = store.search(sentence_vectors[0], 10)
    assert ids.shape == scores.shape == (0,)
    assert ids.dtype == np.int64 and scores.dtype == np.float32
    store.add(np.array([5, 6, 7]), ["a", "a", "b"], sentence_vectors[:3])
    hit_ids, _ = store.search(sentence_vectors[1], 50)
    assert len(hit_ids) == 3 and hit_ids[0] == 6
    assert len(store.search(sentence_vectors[1], 0)[0]) == 0


def test_get_returns_vectors_in_the_order_asked(open_store: Opener, sentence_vectors: np.ndarray):
    store = open_store()
    ids = np.array([40, 10, 30, 20, 50], dtype=np.int64)
    store.add(ids, list(SENTENCES), sentence_vectors)
    asked = np.array([30, 40, 50, 10])
    np.testing.assert_allclose(store.get(asked), sentence_vectors[[2, 0, 4, 1]], atol=1e-6)
    assert store.get(np.array([], dtype=np.int64)).shape == (0, sentence_vectors.shape[1])
    with pytest.raises(KeyError, match="99"):
        store.get(np.array([10, 99]))


def test_delete_ids(open_store: Opener):
    store = open_store()
    vectors = random_rows(200, 384, seed=3)
    ids = np.arange(200, dtype=np.int64) * 3
    store.add(ids, ["d"] * 200, vectors)
    gone = ids[::2]
    store.delete(gone)
    store.delete(np.array([1, 2, 10**15]))  # not there: ignored
    assert store.count() == 100
    store.add(gone[:1], ["back"], vectors[:1])  # a deleted id can be added again
    store.delete(gone[:1])
    kept = ~np.isin(ids, gone)
    for query in vectors[:4]:
        assert_search_exact(store, ids[kept], vectors[kept], query, 20)
    with pytest.raises(KeyError):
        store.get(gone[:1])


def test_delete_documents_with_odd_ids(open_store: Opener):
    store = open_store()
    n = 10 * len(ODD_DOC_IDS)
    vectors = random_rows(n, 384, seed=4)
    ids = np.arange(n, dtype=np.int64)
    docs = [ODD_DOC_IDS[i % len(ODD_DOC_IDS)] for i in range(n)]
    store.add(ids, docs, vectors)
    left = np.ones(n, dtype=bool)
    for doc in ODD_DOC_IDS:
        assert store.delete_documents([doc]) == 10, doc
        left &= np.array([d != doc for d in docs])
        assert store.count() == left.sum()
        if left.any():
            assert_search_exact(store, ids[left], vectors[left], vectors[0], 15)
    assert store.delete_documents(["never.txt", ODD_DOC_IDS[0]]) == 0


def test_delete_several_documents_at_once(open_store: Opener):
    store = open_store()
    vectors = random_rows(300, 384, seed=5)
    docs = [f"doc-{i % 30}" for i in range(300)]
    store.add(np.arange(300), docs, vectors)
    assert store.delete_documents([f"doc-{i}" for i in range(0, 30, 3)] + ["doc-0"]) == 100
    assert store.count() == 200


def test_adding_an_existing_id_overwrites_it(open_store: Opener, sentence_vectors: np.ndarray):
    store = open_store()
    store.add(np.array([1, 2, 3]), ["old", "old", "keep"], sentence_vectors[:3])
    store.add(np.array([2]), ["new"], sentence_vectors[4:5])
    assert store.count() == 3
    np.testing.assert_allclose(store.get(np.array([2]))[0], sentence_vectors[4], atol=1e-6)
    assert store.delete_documents(["old"]) == 1  # id 2 belongs to "new" now
    assert store.delete_documents(["new"]) == 1
    assert store.count() == 1


def test_bad_arguments_are_refused(open_store: Opener, sentence_vectors: np.ndarray):
    store = open_store()
    with pytest.raises(ValueError, match="twice"):
        store.add(np.array([1, 1]), ["a", "b"], sentence_vectors[:2])
    with pytest.raises(ValueError, match="float32"):
        store.add(np.array([1]), ["a"], sentence_vectors[:1, :100])
    with pytest.raises(ValueError, match="as many"):
        store.add(np.array([1, 2]), ["a"], sentence_vectors[:2])
    with pytest.raises(ValueError, match="integers"):
        store.add(np.array([1.5]), ["a"], sentence_vectors[:1])
    with pytest.raises(ValueError, match="query"):
        store.search(sentence_vectors[0][:10], 3)
    assert store.count() == 0


def test_reopen_keeps_everything(open_store: Opener, sentence_vectors: np.ndarray):
    store = open_store()
    vectors = np.concatenate([sentence_vectors, random_rows(500, 384, seed=6)])
    ids = np.arange(len(vectors), dtype=np.int64) + (1 << 40)
    docs = [f"d{i % 7}" for i in range(len(vectors))]
    store.add(ids, docs, vectors)
    removed = store.delete_documents(["d3"])
    store.delete(ids[:2])
    store.close()
    store.close()  # idempotent
    again = open_store()
    left = np.array([d != "d3" for d in docs]) & ~np.isin(ids, ids[:2])
    assert again.count() == left.sum() == len(vectors) - removed - 2
    assert_search_exact(again, ids[left], vectors[left], sentence_vectors[3], 10)
    np.testing.assert_allclose(again.get(ids[4:6]), vectors[4:6], atol=1e-6)


def test_another_model_is_refused(open_store: Opener, model: ModelIdentity):
    open_store().close()
    other = ModelIdentity("0123456789abcdef", model.dimension, "some-other-model")
    with pytest.raises(VectorStoreMismatchError, match="rebuild") as err:
        open_store(other)
    assert model.fingerprint in str(err.value) and other.fingerprint in str(err.value)
    with pytest.raises(VectorStoreMismatchError, match="768 dimensions"):
        open_store(ModelIdentity(model.fingerprint, 768, model.name))
    assert open_store().count() == 0  # the refusals changed nothing


# --- engine specifics ------------------------------------------------------------------------


def test_faiss_store_is_one_file_written_atomically(tmp_path: Path, model: ModelIdentity):
    folder = tmp_path / "vectors"
    store = open_vector_store(folder, model)
    store.add(np.array([1, 2]), ["a", "b"], random_rows(2, model.dimension))
    assert sorted(p.name for p in folder.iterdir()) == ["vectors.npz"]  # no temporary left
    (folder / "vectors.npz").write_bytes(b"not a zip")
    with pytest.raises(VectorStoreError, match="damaged"):
        open_vector_store(folder, model)


def test_milvus_filter_literals_escape_what_must_be():
    from citeqa.index.vectorstores.milvus_store import quote

    assert quote("plain.txt") == '"plain.txt"'
    assert quote('a"b\\c') == '"a\\"b\\\\c"'
    assert quote("x\ny\r\tz") == '"x\\ny\\r\\tz"'
    assert quote("文書") == '"文書"'


def test_milvus_uri_must_be_a_server_or_a_db_path(model: ModelIdentity):
    from citeqa.index.vectorstores.milvus_store import open_milvus_store

    with pytest.raises(ValueError, match=r"\.db"):
        open_milvus_store("/tmp/not-a-db-path", model)


def read_in_another_process(path: Path, model: ModelIdentity) -> str:
    """The count of the store at `path` opened by another Python process, or its error."""
    reader = (
        "import sys\n"
        "from citeqa.index.vectorstores import ModelIdentity, VectorStoreError, open_vector_store\n"
        "try:\n"
        f"    s = open_vector_store(sys.argv[1], ModelIdentity({model.fingerprint!r}, "
        f"{model.dimension}))\n"
        "    print(s.count()); s.close()\n"
        "except VectorStoreError as err:\n"
        "    print(err)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", reader, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_milvus_lite_close_stops_its_server_and_frees_the_database(
    tmp_path: Path, model: ModelIdentity
):
    """Milvus Lite runs in this process (threads, a 127.0.0.1 gRPC port, a LOCK file): close()
    must stop it, so that another process can open the database and no thread is left."""
    from milvus_lite.server_manager import server_manager_instance

    path = tmp_path / "vectors.db"
    before = {t.ident for t in threading.enumerate()}
    store = open_vector_store(path, model)
    store.add(np.array([1]), ["a"], random_rows(1, model.dimension))
    assert "another process" in read_in_another_process(path, model)  # its LOCK is held
    second = open_vector_store(path, model)  # a second store here shares the server
    second.close()
    assert store.count() == 1  # still served: the server stops with the last store
    store.close()
    assert str(path) not in server_manager_instance._servers
    assert child_processes() == []  # Milvus Lite 3 is threads, not a server process
    assert read_in_another_process(path, model) == "1"
    lingering = [
        t
        for t in threading.enumerate()
        if t.ident not in before and t.is_alive() and "grace" not in t.name
    ]
    for thread in lingering:
        thread.join(timeout=5)
    assert not [t.name for t in lingering if t.is_alive() and not t.daemon]
