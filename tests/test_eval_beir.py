"""`citeqa eval --beir`: a tiny BEIR folder made here, indexed in its own home, scored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from citeqa.eval.beir import MARKER, BeirError, load_beir, prepare_home, run_beir
from citeqa.eval.cli import eval_command
from citeqa.index.encoder import Encoder

PNG = b"\x89PNG\r\n\x1a\n"
LONG = " ".join(
    f"Sentence {i} says that sourdough bread rises because wild yeast and lactic acid bacteria "
    "ferment the flour and release carbon dioxide."
    for i in range(30)
)  # about 600 words: several passages of one document
CORPUS = [
    {
        "_id": "d1",
        "title": "Photosynthesis",
        "text": "Plants use chlorophyll to turn sunlight, "
        "water and carbon dioxide into glucose and oxygen in their leaves.",
    },
    {
        "_id": "d2",
        "title": "Volcanoes",
        "text": "Magma rises through the crust and erupts as "
        "lava, ash and gas when pressure in the chamber grows too high.",
    },
    {"_id": "d3", "title": "Sourdough", "text": LONG},
    {
        "_id": "d4",
        "title": "Chess openings",
        "text": "The Sicilian Defence answers 1.e4 with "
        "c5 and is the most popular reply among strong players.",
    },
    {
        "_id": "d5",
        "title": "",
        "text": "Ocean tides are caused by the gravitational pull of "
        "the Moon and, to a lesser degree, the Sun.",
    },
]
QUERIES = [
    {"_id": "q1", "text": "How do plants make sugar from light?"},
    {"_id": "q2", "text": "What makes bread dough rise?"},
    {"_id": "q3", "text": "Why does the sea level go up and down twice a day?"},
    {"_id": "q4", "text": "An unjudged training query."},
]
QRELS = ["query-id\tcorpus-id\tscore", "q1\td1\t1", "q2\td3\t1", "q3\td5\t1", "q3\td2\t1"]


def make_beir(folder: Path, qrels: list[str] = QRELS) -> Path:
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in CORPUS) + "\n")
    (folder / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in QUERIES) + "\n")
    (folder / "qrels" / "test.tsv").write_text("\n".join(qrels) + "\n")
    return folder


@pytest.mark.slow
def test_a_tiny_beir_set_end_to_end(tmp_path: Path, encoder: Encoder) -> None:
    folder = make_beir(tmp_path / "tiny")
    home, out = tmp_path / "home", tmp_path / "out"
    metrics = run_beir(folder, home, out, encoder=encoder, progress=False)
    st = metrics["settings"]
    assert (st["documents"], st["queries"], st["depth"]) == (5, 3, 100)
    assert st["passages"] > 5  # the long document was cut into several passages
    assert st["mean_documents_per_query"] == 5.0  # each document once, at its best rank
    for name in ("ndcg@10", "recall@100", "mrr@10", "hit@10"):
        assert 0.0 <= metrics["metrics"][name] <= 1.0
    assert metrics["metrics"]["recall@100"] == 1.0  # every document is in every run
    assert metrics["per_query"]["q1"]["mrr@10"] == 1.0  # photosynthesis ranks first
    assert metrics["per_query"]["q2"]["ndcg@10"] == 1.0  # bread ranks first
    # the documents were written as "<title>\n\n<text>" files, the untitled one as its text
    assert (home / "documents" / "d1.txt").read_text().startswith("Photosynthesis\n\nPlants")
    assert (home / "documents" / "d5.txt").read_text() == "\n\n" + CORPUS[4]["text"]
    assert (out / "latency.png").read_bytes()[:8] == PNG
    assert json.loads((out / "metrics.json").read_text())["metrics"] == metrics["metrics"]
    assert "nDCG@10" in (out / "report.md").read_text()
    run = (out / "run.trec").read_text().splitlines()
    assert len(run) == 15 and run[0].split()[:4] == ["q1", "Q0", "d1", "1"]
    # A second run in the same home re-embeds nothing and scores the same.
    assert st["embedded_documents"] == 5
    again = run_beir(
        folder, home, tmp_path / "out2", encoder=encoder, limit_queries=1, progress=False
    )
    assert again["settings"]["embedded_documents"] == 0
    assert again["settings"]["queries"] == 1 and again["metrics"]["mrr@10"] == 1.0


def test_bad_beir_input_names_file_and_line(tmp_path: Path) -> None:
    folder = make_beir(tmp_path / "a", [*QRELS, "q9\td1\t1"])
    with pytest.raises(BeirError, match=r"test.tsv line 6: query 'q9' is not in queries.jsonl"):
        load_beir(folder)
    folder = make_beir(tmp_path / "b", [*QRELS, "q1\td1"])
    with pytest.raises(BeirError, match=r"test.tsv line 6: expected query-id, corpus-id, integer"):
        load_beir(folder)
    folder = make_beir(tmp_path / "c")
    (folder / "corpus.jsonl").write_text('{"_id": "../x", "text": "t"}\n')
    with pytest.raises(BeirError, match=r"corpus.jsonl line 1: _id '../x' cannot be used"):
        load_beir(folder)


def test_a_foreign_home_is_never_overwritten(tmp_path: Path, shipped_home: Path) -> None:
    with pytest.raises(BeirError, match="not made by `citeqa eval --beir`"):
        prepare_home(shipped_home)
    assert not (shipped_home / MARKER).exists()


def test_the_cli_reports_beir_errors_in_one_line(tmp_path: Path) -> None:
    folder = make_beir(tmp_path / "tiny", [*QRELS, "broken line"])
    result = CliRunner().invoke(
        eval_command, ["--beir", str(folder), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "test.tsv line 6: expected query-id, corpus-id, integer score"
    )
    assert len(result.stderr.strip().splitlines()) == 1
