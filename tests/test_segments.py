"""The segmented store: a write costs what changed, dead rows never come back, merges keep the
answers, and search over several segments ranks as one index would."""

from __future__ import annotations

import importlib
import json
import time
from pathlib import Path

import faiss
import numpy as np
import pytest

from citeqa.corpus import ChunkSettings, parse_document
from citeqa.index.encoder import Encoder
from citeqa.index.retrieval import dense, search
from citeqa.index.retrieval.dense import ExactSearch, build_ivf
from citeqa.index.storage import BuildOptions, ingest, load_current, merge, update
from citeqa.index.storage import manifest as storage_manifest
from citeqa.index.storage.manifest import Manifest, read_manifest
from citeqa.index.storage.merge import compact, plan_merge
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings
from citeqa.service.writes import Writer

from .conftest import LiveServer, tiny_corpus

OPTIONS = BuildOptions(ChunkSettings())
NO_MERGE = BuildOptions(ChunkSettings(), compact=False)


def _doc(name: str, text: str):  # type: ignore[no-untyped-def]
    return parse_document(text.encode(), name)


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """path -> (inode, mtime_ns) of every file under `folder`."""
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def _manifest(sizes: list[int], live: list[int]) -> Manifest:
    """A manifest with segments of `sizes` rows, of which `live` rows belong to live documents."""
    names = [f"{i + 1:08d}-aaaaaa" for i in range(len(sizes))]
    placement = {f"doc{i}": name for i, name in enumerate(names)}
    return Manifest(
        version="v",
        created_at="",
        format_version=storage_manifest.FORMAT_VERSION,
        model="m",
        model_fingerprint="f",
        dimension=4,
        chunking={},
        documents={doc: "sha" for doc in placement},
        passages=sum(live),
        segments=dict(zip(names, sizes, strict=True)),
        placement=placement,
        doc_passages={f"doc{i}": n for i, n in enumerate(live)},
    )


def test_merge_policy_keeps_segment_sizes_falling_geometrically() -> None:
    assert plan_merge(_manifest([9000, 3], [9000, 3])) == []
    small_tail = _manifest([9000, 3, 3], [9000, 3, 3])
    assert plan_merge(small_tail) == list(small_tail.segments)[1:]
    big_tail = _manifest([9000, 2000, 600], [9000, 2000, 600])
    assert plan_merge(big_tail) == list(big_tail.segments)  # 600·4 >= 2000, 2600·4 >= 9000
    assert plan_merge(_manifest([9000, 2000, 300], [9000, 2000, 300])) == []  # 300·4 < 2000
    mostly_dead = _manifest([9000, 100], [4000, 100])
    assert plan_merge(mostly_dead) == [next(iter(mostly_dead.segments))]
    many = _manifest([5**i for i in range(30, 0, -1)], [5**i for i in range(30, 0, -1)])
    assert len(plan_merge(many)) == 2  # more than MAX_SEGMENTS: the smallest neighbours


def test_adding_a_document_writes_only_that_document(tmp_path: Path, encoder: Encoder) -> None:
    home = tmp_path / "home"
    ingest([tiny_corpus(tmp_path)], encoder, home, OPTIONS)
    before = _files(home / "segments")
    update(home, encoder, NO_MERGE, upserts=[_doc("owls.txt", "Barn owls hunt at dusk.")])
    after = _files(home / "segments")
    assert {k: v for k, v in after.items() if k in before} == before  # not rewritten
    new = {k.split("/")[0] for k in after} - {k.split("/")[0] for k in before}
    assert len(new) == 1
    index = load_current(home, encoder)
    assert index.segments[-1].name in new and index.segments[-1].documents.keys() == {"owls.txt"}
    assert search(index, encoder, "When do barn owls hunt?", 1)[0].passage.doc_id == "owls.txt"


def test_replaced_and_removed_documents_never_come_back(tmp_path: Path, encoder: Encoder) -> None:
    home = tmp_path / "home"
    ingest([tiny_corpus(tmp_path)], encoder, home, OPTIONS)
    stone = "Sea otters keep a favourite stone in a pouch of skin."
    update(home, encoder, NO_MERGE, upserts=[_doc("otters.txt", stone)])
    index = load_current(home, encoder)
    assert len(index.segments) == 2 and len(index.dead) == 1  # the old otters row
    for question in ["Why do sea otters hold hands?", "otters sleep drift together", "otters"]:
        hits = search(index, encoder, question, 5)
        assert sorted(h.passage.doc_id for h in hits) == ["bees.md", "otters.txt"][: len(hits)]
        assert all("hold hands" not in h.passage.text for h in hits)
    assert index.passage_counts == {"otters.txt": 1, "bees.md": 1}

    update(home, encoder, NO_MERGE, deletes=["bees.md"])
    index = load_current(home, encoder)
    assert len(index.segments) == 1 and not index.dead.size  # nothing live left in the first
    hits = search(index, encoder, "How do honey bees dance?", 5)
    assert [h.passage.doc_id for h in hits] == ["otters.txt"] and hits[0].passage.text == stone


def test_a_merge_keeps_every_answer_and_drops_dead_rows(tmp_path: Path, encoder: Encoder) -> None:
    home = tmp_path / "home"
    ingest([tiny_corpus(tmp_path)], encoder, home, OPTIONS)
    facts = {
        f"fact-{i}.txt": f"Lighthouse {i} on the {c} coast flashes every {i + 2} seconds."
        for i, c in enumerate(["north", "east", "south", "west", "misty"])
    }
    for name, text in facts.items():
        update(home, encoder, NO_MERGE, upserts=[_doc(name, text)])
    update(home, encoder, NO_MERGE, deletes=["bees.md"])  # a dead row in the first segment
    questions = [
        "How often does the lighthouse on the south coast flash?",
        "Why do sea otters hold hands?",
        "lighthouse north coast",
    ]
    before = load_current(home, encoder)
    assert len(before.segments) == 6 and len(before.dead) == 1
    answers = [
        [(h.passage.doc_id, h.passage.text) for h in search(before, encoder, q, 3)]
        for q in questions
    ]
    merged = compact(home)
    assert merged is not None
    after = load_current(home, encoder)
    assert len(after.segments) < len(before.segments) and len(after.dead) == 0
    assert after.manifest.documents == before.manifest.documents
    for question, expected in zip(questions, answers, strict=True):
        got = [(h.passage.doc_id, h.passage.text) for h in search(after, encoder, question, 3)]
        assert got == expected
    # Segments no version reads any more are gone from disk.
    on_disk = {p.name for p in (home / "segments").iterdir()}
    kept = set()
    for version in (home / "indexes").iterdir():
        kept |= set(json.loads((version / "manifest.json").read_text())["segments"])
    assert on_disk == kept


def test_keyword_scores_use_the_whole_index(tmp_path: Path, encoder: Encoder) -> None:
    """A word's rarity is judged over all segments, as in one index of the same documents."""
    texts = {
        f"n{i}.txt": f"Note {i}: the heron waited by the pond while the {w} moved."
        for i, w in enumerate(["frog", "carp", "reeds", "wind", "frog", "clouds"])
    }
    one, many = tmp_path / "one", tmp_path / "many"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in texts.items():
        (corpus / name).write_text(text)
    ingest([corpus], encoder, one, OPTIONS)
    for name, text in texts.items():
        update(many, encoder, NO_MERGE, upserts=[_doc(name, text)])
    single, split = load_current(one, encoder), load_current(many, encoder)
    assert len(single.segments) == 1 and len(split.segments) == len(texts)
    for stem in ["heron", "frog", "carp", "cloud"]:
        assert split.keyword.idf(stem) == pytest.approx(single.keyword.idf(stem))
    for question in ["frog", "carp pond", "clouds and wind"]:
        a_rows, a_scores = single.keyword.search(question, 10)
        b_rows, b_scores = split.keyword.search(question, 10)
        a = {single.passages[r].doc_id: s for r, s in zip(a_rows, a_scores, strict=True)}
        b = {split.passages[r].doc_id: s for r, s in zip(b_rows, b_scores, strict=True)}
        assert a.keys() == b.keys()
        assert all(b[d] == pytest.approx(a[d], rel=1e-5) for d in a)  # equal lengths: same avgdl


def _unit(n: int, d: int = 32, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("dead_count", [0, 3, 2000])  # none; few (over-fetch); most (masked)
def test_dense_search_leaves_out_dead_rows(tmp_path: Path, dead_count: int) -> None:
    vectors = _unit(3000)
    query = _unit(1, seed=1)[0]
    dead = np.sort(np.random.default_rng(2).choice(3000, dead_count, replace=False)).astype(
        np.int64
    )
    scores = vectors @ query
    scores[dead] = -np.inf
    truth = np.argsort(-scores, kind="stable")[:10]
    rows, found = ExactSearch(vectors).search(query, 10, dead)
    assert rows.tolist() == truth.tolist()
    assert np.allclose(found, vectors[rows] @ query, atol=1e-5)
    index = build_ivf(vectors)
    ivf = dense.IvfSearch(index, nprobe=index.nlist)  # every list visited: only 8-bit codes differ
    rows, _ = ivf.search(query, 10, dead)
    assert not set(rows.tolist()) & set(dead.tolist())
    assert len(set(rows.tolist()) & set(truth.tolist())) >= 8  # codes reorder near ties


def test_a_loaded_version_shares_unchanged_segments(tmp_path: Path, encoder: Encoder) -> None:
    home = tmp_path / "home"
    ingest([tiny_corpus(tmp_path)], encoder, home, OPTIONS)
    old = load_current(home, encoder)
    update(home, encoder, NO_MERGE, upserts=[_doc("owls.txt", "Barn owls hunt at dusk.")])
    new = load_current(home, encoder, reuse=old)
    assert new.segments[0] is old.segments[0] and len(new.segments) == 2
    assert read_manifest(home).passages == 3  # type: ignore[union-attr]


def test_a_merge_above_the_flat_limit_reuses_the_trained_ivf(
    tmp_path: Path, encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dense, "FLAT_LIMIT", 4)
    monkeypatch.setattr(dense, "ivf_lists", lambda n: 2)  # the same list count before and after
    corpus = tiny_corpus(tmp_path)
    for i in range(6):
        (corpus / f"note-{i}.txt").write_text(f"Field note {i}: the heron waited by pond {i}.")
    home = tmp_path / "home"
    ingest([corpus], encoder, home, OPTIONS)
    base = load_current(home, encoder).segments[0]
    assert (base.path / dense.TRAINED_FILE).is_file()
    update(
        home, encoder, NO_MERGE, upserts=[_doc(f"x{i}.txt", f"Owl {i} hoots.") for i in range(3)]
    )
    monkeypatch.setattr(merge, "MERGE_FACTOR", 10)  # merge the three into the base
    compact(home)
    (merged,) = load_current(home, encoder).segments

    def centroids(path: Path) -> np.ndarray:
        index = faiss.read_index(str(path / dense.TRAINED_FILE))
        ivf = faiss.extract_index_ivf(index)
        return ivf.quantizer.reconstruct_n(0, ivf.nlist)

    assert merged.name != base.name
    assert np.array_equal(centroids(merged.path), centroids(base.path))
    hit = search(load_current(home, encoder), encoder, "Why do sea otters hold hands?", 1)[0]
    assert hit.passage.doc_id == "otters.txt"


def test_a_large_merge_runs_in_the_background_of_the_service(
    tmp_path: Path, encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Merges above SMALL_MERGE_ROWS are left out of the write and done after it is answered."""
    ingest_module = importlib.import_module("citeqa.index.storage.ingest")  # not the function
    monkeypatch.setattr(ingest_module, "SMALL_MERGE_ROWS", 0)  # every merge counts as large
    settings = Settings(home=tmp_path / "home", corpus=tiny_corpus(tmp_path), api_key="k")
    ingest([settings.corpus], encoder, settings.home, settings.build_options(encoder))
    with LiveServer(Engine(settings, encoder)) as client:
        for i in range(3):
            note = f"Barn owl {i} nests in the old mill by the river."
            upload = client.post(
                "/documents",
                files={"file": (f"owl-{i}.txt", note.encode())},
                headers={"X-API-Key": "k"},
            )
            assert upload.status_code == 201, upload.text
        deadline = time.monotonic() + 30
        while merge.pending_merge(settings.home):
            assert time.monotonic() < deadline, "the background merge did not run"
            time.sleep(0.05)
        manifest = read_manifest(settings.home)
        assert manifest is not None and len(manifest.segments) < 4  # 1 + 3 added, merged
        for i in range(3):
            body = client.post("/ask", json={"question": f"Where does barn owl {i} nest?", "k": 3})
            assert f"owl-{i}.txt" in {p["citation"]["document"] for p in body.json()["passages"]}
        assert client.get("/stats").json()["documents"] == 5


def test_the_cli_does_its_merges_before_it_returns(
    tmp_path: Path, encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CLI process would exit under a background merge: `citeqa add` merges before returning."""
    ingest_module = importlib.import_module("citeqa.index.storage.ingest")
    monkeypatch.setattr(ingest_module, "SMALL_MERGE_ROWS", 0)
    settings = Settings(home=tmp_path / "home", corpus=tiny_corpus(tmp_path))
    ingest([settings.corpus], encoder, settings.home, settings.build_options(encoder))
    engine = Engine(settings, encoder)
    writer = Writer(settings, encoder, engine.refresh, background_merges=False)
    for i in range(3):
        writer.add(f"owl-{i}.txt", f"Barn owl {i} nests in the old mill.".encode())
        assert not merge.pending_merge(settings.home)  # done inside the call
    manifest = read_manifest(settings.home)
    assert manifest is not None and len(manifest.segments) < 4 and len(manifest.documents) == 5
