"""A filtered question against an unfiltered one on a 100,000-passage index, side by side.

The index is made from SciFact: documents of ten of its abstracts each (BM25 indexes real words),
passage vectors derived from the SciFact index's real MiniLM vectors as eval/bench/scale.py
derives them (no model runs over 100k passages; no sentence vectors, so both cases score
passages by their own cosine). One document in a hundred lies under `keep/`; the filter
`{"folder": "keep/"}` keeps those, 1 % of the passages. SciFact's questions are asked through
`Engine.ask` (search, abstention, highlights: the whole answer but HTTP) without the filter and
with it, in turns; the first filtered question, which computes the filter's rows, is timed apart.

    python -m citeqa.eval.bench.filtered --real var/beir-scifact --beir ../shared/beir/scifact
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import click
import numpy as np

from citeqa.corpus import Document, chunk_document
from citeqa.index.encoder import Encoder
from citeqa.index.storage.build import build_index
from citeqa.service.engine import Engine
from citeqa.service.models import Filter
from citeqa.service.settings import Settings

from .common import machine, percentiles, write_json
from .scale import derived, real_vectors

TEXTS_PER_DOCUMENT = 10
KEPT_EVERY = 100  # one document in a hundred is under keep/


class DerivedEncoder:
    """The real encoder's identity (so the index serves with it), passage vectors derived from
    real ones instead of computed."""

    def __init__(self, encoder: Encoder, real: np.ndarray, seed: int = 0) -> None:
        self.encoder, self.real = encoder, real
        self.rng = np.random.default_rng(seed)
        self.name, self.fingerprint = encoder.name, encoder.fingerprint
        self.dimension, self.backend = encoder.dimension, encoder.backend

    def encode_many(self, texts: list[str], *args: Any, **kwargs: Any) -> np.ndarray:
        return derived(self.real, len(texts), self.rng)


def beir_texts(beir: Path) -> tuple[list[str], list[str]]:
    """(the corpus's "title. text" strings, its queries) of a BEIR folder."""
    rows = [json.loads(x) for x in (beir / "corpus.jsonl").read_text().splitlines() if x.strip()]
    texts = [f"{r.get('title', '')}. {r.get('text', '')}".strip() for r in rows]
    lines = (beir / "queries.jsonl").read_text().splitlines()
    return texts, [json.loads(x)["text"] for x in lines if x.strip()]


def build(real_home: Path, texts: list[str], home: Path, passages: int, encoder: Encoder) -> dict:  # type: ignore[type-arg]
    """An index of about `passages` passages in `home` (kept and reused if already there)."""
    marker = home / "filtered-bench.json"
    if marker.is_file() and json.loads(marker.read_text()).get("wanted") == passages:
        return dict(json.loads(marker.read_text()))
    settings = Settings(home=home)
    chunking = settings.chunking
    rng = np.random.default_rng(1)
    docs: list[Document] = []
    total = 0
    while total < passages:
        i = len(docs)
        folder = "keep" if i % KEPT_EVERY == 0 else f"part-{i % 7}"
        text = "\n\n".join(texts[j] for j in rng.choice(len(texts), TEXTS_PER_DOCUMENT))
        doc = Document(f"{folder}/doc-{i:06d}.txt", f"Document {i}", text, f"sha-{i}", "txt")
        total += len(chunk_document(doc, chunking))
        docs.append(doc)
    manifest = build_index(
        docs,
        [],
        DerivedEncoder(encoder, real_vectors(real_home)),  # type: ignore[arg-type]
        home,
        chunking,
        sentence_vectors=False,
        keep_versions=1,
    )
    kept = sum(n for d, n in manifest.doc_passages.items() if d.startswith("keep/"))
    figures = {"wanted": passages, "passages": manifest.passages, "kept_passages": kept}
    marker.write_text(json.dumps(figures))
    return figures


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return (time.perf_counter() - started) * 1000, out


def measure(engine: Engine, questions: list[str], k: int, rounds: int) -> dict[str, Any]:
    keep = Filter(folder=["keep/"])
    cold_ms, first = timed(partial(engine.ask, questions[0], k, keep))
    for q in questions[:10]:  # warm-up of both paths
        engine.ask(q, k)
        engine.ask(q, k, keep)
    plain: list[float] = []
    filtered: list[float] = []
    returned: list[int] = []
    outside = 0
    for _ in range(rounds):
        for q in questions:  # in turns, so a burst of other work on the machine hits both
            ms, _ = timed(partial(engine.ask, q, k))
            plain.append(ms)
            ms, answer = timed(partial(engine.ask, q, k, keep))
            filtered.append(ms)
            returned.append(len(answer.passages))
            outside += sum(not p.citation.document.startswith("keep/") for p in answer.passages)
    ratio = percentiles(filtered)["p50"] / percentiles(plain)["p50"]
    return {
        "unfiltered_ms": percentiles(plain),
        "filtered_ms": percentiles(filtered),
        "p50_ratio_filtered_to_unfiltered": round(ratio, 2),
        "first_filtered_ms": round(cold_ms, 1),  # the filter's rows computed, then cached
        "filter_documents": first.scope.documents if first.scope else 0,
        "filter_passages": first.scope.passages if first.scope else 0,
        "passages_returned_min": min(returned),
        "passages_outside_filter": outside,
    }


def run(
    real_home: Path, beir: Path, home: Path, passages: int, k: int, rounds: int, questions: int
) -> dict[str, Any]:
    settings = Settings(home=home)
    encoder = settings.load_encoder(threads=settings.query_threads)
    texts, queries = beir_texts(beir)
    started = time.perf_counter()
    built = build(real_home, texts, home, passages, encoder)
    build_seconds = round(time.perf_counter() - started, 1)
    engine = Engine(settings, encoder)
    result = measure(engine, queries[:questions], k, rounds)
    return {
        "index": {**built, "build_seconds": build_seconds},
        "questions": questions * rounds,
        "k": k,
        **result,
    }


@click.command()
@click.option(
    "--real",
    type=click.Path(path_type=Path, exists=True),
    default=Path("var/beir-scifact"),
    help="An index whose vectors the passage vectors are derived from (make eval-scifact).",
)
@click.option(
    "--beir",
    type=click.Path(path_type=Path, exists=True),
    default=Path("../shared/beir/scifact"),
    help="A BEIR folder: its abstracts are the texts, its queries the questions.",
)
@click.option("--passages", default=100_000)
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/bench"))
@click.option("--questions", default=100)
@click.option("--rounds", default=3)
@click.option("-k", default=5)
def main(
    real: Path, beir: Path, passages: int, out: Path, questions: int, rounds: int, k: int
) -> None:
    """Write filtered.json to OUT (the index is kept in OUT/filtered-home for the next run)."""
    result = run(real, beir, out / "filtered-home", passages, k, rounds, questions)
    result["machine"] = machine()
    write_json(out, "filtered.json", result)
    click.echo(summary(result) + f"\n-> {out / 'filtered.json'}")


def summary(result: dict[str, Any]) -> str:
    return (
        f"filter keeping {result['filter_passages']} of {result['index']['passages']} passages: "
        f"p50 {result['filtered_ms']['p50']} ms against {result['unfiltered_ms']['p50']} ms "
        f"unfiltered (x{result['p50_ratio_filtered_to_unfiltered']}); at least "
        f"{result['passages_returned_min']} of k={result['k']} passages returned; first "
        f"filtered question {result['first_filtered_ms']} ms"
    )


if __name__ == "__main__":
    main()
