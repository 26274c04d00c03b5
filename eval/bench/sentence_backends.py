"""The backends that can embed sentences at ingest, side by side: sentences per second and how
near each one's vectors are to the float model's (cosine), on the same real sentences.

    python -m citeqa.eval.bench.sentence_backends [--beir ../shared/beir/scifact]
        [--sentences 3000] [--rounds 3] [--backends onnx,onnx-q8,onnx-int8] --out DIR

The sentences are a seeded sample of those of SciFact's abstracts (title and text, split by
citeqa's own splitter); each backend encodes them all as an ingest does (batches of
`INGEST_BATCH_SIZE` texts by word-piece budget, on every core), in rounds whose order rotates.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from pathlib import Path

import click
import numpy as np

from citeqa.corpus.sentences import iter_sentences
from citeqa.index.encoder import INGEST_BATCH_SIZE, load_encoder

from .common import machine, write_json

DEFAULT_BEIR = Path("../shared/beir/scifact")


def sample_sentences(beir: Path, count: int, seed: int) -> list[str]:
    """`count` distinct sentences of the corpus' abstracts, a seeded sample."""
    found: set[str] = set()
    with (beir / "corpus.jsonl").open() as f:
        for line in f:
            record = json.loads(line)
            text = f"{record.get('title', '')}\n\n{record.get('text', '')}".strip()
            found.update(text[a:b] for a, b in iter_sentences(text))
    ordered = sorted(found)
    random.Random(seed).shuffle(ordered)
    return ordered[:count]


@click.command()
@click.option(
    "--beir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=DEFAULT_BEIR,
    show_default=True,
)
@click.option("--sentences", default=3000, show_default=True)
@click.option("--rounds", default=3, show_default=True)
@click.option("--seed", default=0, show_default=True)
@click.option("--backends", default="onnx,onnx-q8,onnx-int8", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/bench"))
def main(beir: Path, sentences: int, rounds: int, seed: int, backends: str, out: Path) -> None:
    """Sentences/s and cosine to float of each backend; sentence_backends.json in OUT."""
    texts = sample_sentences(beir, sentences, seed)
    names = [b.strip() for b in backends.split(",") if b.strip()]
    encoders = {name: load_encoder(backend=name) for name in ["onnx", *names]}
    for encoder in encoders.values():  # ONNX Runtime sizes its arena on the first batches
        encoder.encode(texts[:64], batch_size=INGEST_BATCH_SIZE)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    vectors: dict[str, np.ndarray] = {}
    for turn in range(rounds):
        for name in names[turn % len(names) :] + names[: turn % len(names)]:
            start = time.perf_counter()
            vectors[name] = encoders[name].encode(texts, batch_size=INGEST_BATCH_SIZE)
            seconds[name].append(time.perf_counter() - start)
    reference = vectors.get("onnx")
    if reference is None:
        reference = encoders["onnx"].encode(texts, batch_size=INGEST_BATCH_SIZE)
    float_rate = len(texts) / statistics.median(seconds["onnx"]) if "onnx" in seconds else None
    results: dict[str, dict[str, object]] = {}
    for name in names:
        rate = len(texts) / statistics.median(seconds[name])
        ratio = rate / float_rate if float_rate else float("nan")
        cosines = np.sum(vectors[name] * reference, axis=1)
        cos = {
            "mean": round(float(cosines.mean()), 5),
            "p1": round(float(np.percentile(cosines, 1)), 5),
            "min": round(float(cosines.min()), 5),
        }
        results[name] = {
            "sentences_per_s": round(rate, 1),
            "x_float": round(ratio, 3),
            "seconds": [round(s, 2) for s in seconds[name]],
            "cosine_to_float": cos,
        }
        click.echo(
            f"{name:<10} {rate:7.1f} sentences/s  x{ratio:.2f} float  "
            f"cosine mean {cos['mean']:.5f} p1 {cos['p1']:.5f} min {cos['min']:.5f}"
        )
    path = write_json(
        out,
        "sentence_backends.json",
        {"machine": machine(), "sentences": len(texts), "rounds": rounds, "results": results},
    )
    click.echo(f"wrote {path}")


if __name__ == "__main__":
    main()
