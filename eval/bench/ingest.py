"""Ingestion benchmark: a full `citeqa ingest` against the bare `SentenceTransformer.encode` of
the same passages (the floor), txtai and a plain LangChain-style loop, side by side in the same
interleaved rounds, each system in a process of its own (ingest_peers.py).

    python -m citeqa.eval.bench.ingest [--beir ../shared/beir/scifact] [--passages 2000]
        [--text BIG.txt|BIG.pdf] [--peers .venv-bench/bin/python] --out DIR

The passages are citeqa's own: the SciFact records are written as `<_id>.txt` files holding
"<title>\\n\\n<text>" (`eval.beir.write_documents`, as `make eval-scifact` does), read back with
`corpus.load_corpus` and cut with `corpus.chunk_document` under the default chunk settings. The
sample takes whole documents in a fixed shuffled order until it holds `--passages` passages, so
the full ingest indexes exactly the passages the floor embeds. With `--text`, the documents are
that one file instead (the floor and txtai get its citeqa passages).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click
import matplotlib
import numpy as np

from citeqa.corpus import Document, DocumentError, chunk_document, load_corpus, parse_document
from citeqa.index.encoder.base import resolve_model_path
from citeqa.service.settings import Settings

from ..beir import BeirSet, load_beir, write_documents
from .common import machine, save_png, write_json

matplotlib.use("Agg")
import matplotlib.pyplot as plt

DEFAULT_BEIR = Path("../shared/beir/scifact")
FLOOR = "floor"  # bare SentenceTransformer.encode
PEERS_SCRIPT = Path(__file__).with_name("ingest_peers.py")
# name -> (system in ingest_peers.py, CITEQA_* settings, runs in the peers' virtualenv)
SYSTEMS: dict[str, tuple[str, dict[str, str], bool]] = {
    FLOOR: ("floor", {}, False),
    "citeqa": ("citeqa", {}, False),
    # the default sentence backend "auto" is onnx-q8 on a processor with int8 dot products
    "citeqa (float sentences)": ("citeqa", {"CITEQA_SENTENCE_BACKEND": "same"}, False),
    "citeqa (q8 sentences)": ("citeqa", {"CITEQA_SENTENCE_BACKEND": "onnx-q8"}, False),
    "citeqa (int8 sentences)": ("citeqa", {"CITEQA_SENTENCE_BACKEND": "onnx-int8"}, False),
    "citeqa (no sentence vectors)": ("citeqa", {"CITEQA_SENTENCE_VECTORS": "false"}, False),
    # ONNX batches of 4,096 and 256 word pieces (the default is 512: CITEQA_BATCH_SIZE 4 × 128)
    "citeqa (4096-piece batches)": ("citeqa", {"CITEQA_BATCH_SIZE": "32"}, False),
    "citeqa (256-piece batches)": ("citeqa", {"CITEQA_BATCH_SIZE": "2"}, False),
    "txtai 9.14 hybrid": ("txtai", {}, True),
    "LangChain-style loop": ("langchain", {}, True),
}


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


class Worker:
    """One system loaded in a process of its own (ingest_peers.py), run on command."""

    def __init__(self, name: str, python: str, model_dir: Path, threads: int) -> None:
        system, env, _ = SYSTEMS[name]
        self.name = name
        if system == "citeqa":
            command = [python, "-m", "citeqa.eval.bench.ingest_worker"]
        else:
            command = [python, str(PEERS_SCRIPT), system]
        self.process = subprocess.Popen(
            [*command, str(model_dir), str(threads)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "HF_HUB_OFFLINE": "1", **env},
        )

    def ready(self) -> None:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if line.strip() != "ready":
            raise click.ClickException(f"{self.name} did not start (it printed {line!r})")

    def run(self, folder: Path, passages: Path, vectors: Path) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"run {folder} {passages} {vectors}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise click.ClickException(f"{self.name} stopped during a round")
        return dict(json.loads(line))

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def agreement(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """Cosine per passage between two sets of unit vectors: mean and min."""
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return {"mean_cosine": round(float(cos.mean()), 6), "min_cosine": round(float(cos.min()), 6)}


def measure(
    workers: list[Worker], folder: Path, passages: Path, work: Path, rounds: int
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Path]]:
    """Each system once a round, the order rotating each round so that no system always follows
    the same one; a change in the machine's load then moves them all alike."""
    results: dict[str, list[dict[str, Any]]] = {w.name: [] for w in workers}
    vectors = {w.name: work / f"vectors-{i}.npy" for i, w in enumerate(workers)}
    for r in range(rounds):
        for worker in workers[r % len(workers) :] + workers[: r % len(workers)]:
            click.echo(f"round {r + 1}/{rounds}: {worker.name} (load {os.getloadavg()[0]:.1f})")
            results[worker.name].append(worker.run(folder, passages, vectors[worker.name]))
            last = results[worker.name][-1]
            click.echo(f"  {last['seconds']:.1f} s, {last['units']} units")
    return results, vectors


def plot(out: Path, rates: dict[str, float], n: int, threads: int, label: str) -> Path:
    fig, ax = plt.subplots(figsize=(9, 4.8))
    names = [name for name in rates if name != FLOOR]
    bars = ax.barh(names[::-1], [rates[n] for n in names[::-1]], color="tab:blue")
    for bar, name in zip(bars, names[::-1], strict=True):
        ax.annotate(
            f" {rates[name]:.1f}/s, {rates[name] / rates[FLOOR]:.2f}× floor",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            va="center",
            fontsize=9,
        )
    ax.axvline(rates[FLOOR], color="tab:red", linestyle="--", label="bare model.encode (floor)")
    ax.axvline(2 * rates[FLOOR], color="tab:red", linestyle=":", alpha=0.6, label="2 × floor")
    ax.set_xlabel("passages / s (median of rounds; whole ingest for all but the floor)")
    ax.set_xlim(0, max(max(rates.values()), 2 * rates[FLOOR]) * 1.45)
    ax.set_title(f"ingest: {n} {label} passages, {threads} threads")
    ax.legend(loc="lower right")
    ax.grid(True, axis="x", alpha=0.3)
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
@click.option(
    "--text",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Ingest this one (big) file, of any format citeqa reads, instead of SciFact.",
)
@click.option("--seed", default=0, show_default=True)
@click.option("--rounds", default=3, show_default=True, help="Interleaved rounds (median).")
@click.option("--threads", default=2, show_default=True, help="torch and ONNX threads.")
@click.option(
    "--systems",
    default=",".join(SYSTEMS),
    show_default=True,
    help="Comma-separated names of the systems to run (the floor always runs).",
)
@click.option(
    "--peers",
    "peers_python",
    default=".venv-bench/bin/python",
    show_default=True,
    help="The Python of the virtualenv holding txtai and LangChain's splitter.",
)
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/bench"))
def main(
    beir_folder: Path,
    passages: int,
    text: Path | None,
    seed: int,
    rounds: int,
    threads: int,
    systems: str,
    peers_python: str,
    out: Path,
) -> None:
    """Measure ingest throughput side by side; write ingest.json and ingest.png to OUT."""
    names = [FLOOR] + [n.strip() for n in systems.split(",") if n.strip() and n.strip() != FLOOR]
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        raise click.ClickException(f"unknown systems {unknown}: choose from {list(SYSTEMS)}")
    if any(SYSTEMS[n][2] for n in names) and not Path(peers_python).exists():
        raise click.ClickException(f"{peers_python} not found: `make bench-ingest` creates it")
    model_dir = resolve_model_path(Settings().model)
    with tempfile.TemporaryDirectory(prefix="citeqa-bench-") as tmp:
        work = Path(tmp)
        folder = work / "documents"
        if text is not None:
            folder.mkdir()
            shutil.copy(text, folder / text.name)
            documents, label = 1, f"{text.name} ({text.stat().st_size / 1e6:.0f} MB)"
        else:
            sample = sample_documents(load_beir(beir_folder), passages, seed)
            write_documents(sample, folder)
            documents, label = len(sample.corpus), "SciFact"
        texts = passages_of(folder)
        listed = work / "passages.jsonl"
        listed.write_text("".join(json.dumps(t) + "\n" for t in texts))
        click.echo(f"{len(texts)} passages from {documents} documents; loading the systems ...")
        workers = []
        for name in names:
            python = peers_python if SYSTEMS[name][2] else sys.executable
            workers.append(Worker(name, python, model_dir, threads))
        for worker in workers:
            worker.ready()
        try:
            results, vector_files = measure(workers, folder, listed, work, rounds)
        finally:
            for worker in workers:
                worker.close()
        floor_vectors = np.load(vector_files[FLOOR])
        citeqa_vectors = {
            n: np.load(vector_files[n])
            for n in names
            if SYSTEMS[n][0] == "citeqa" and vector_files[n].exists()
        }
    floor_seconds = [r["seconds"] for r in results[FLOOR]]
    rows: dict[str, dict[str, Any]] = {}
    for name, runs in results.items():
        seconds = [r["seconds"] for r in runs]
        median = statistics.median(seconds)
        rows[name] = {
            "seconds": [round(s, 2) for s in seconds],
            "median_seconds": round(median, 2),
            "units": runs[-1]["units"],
            "passages_per_second": round(len(texts) / median, 1),
            "ratio_to_floor": round(statistics.median(floor_seconds) / median, 2),
            "round_ratios": [round(f / s, 2) for f, s in zip(floor_seconds, seconds, strict=True)],
            "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs)),
        }
        if name in citeqa_vectors:
            rows[name] |= agreement(citeqa_vectors[name], floor_vectors)
    result = {
        "machine": machine(),
        "input": label,
        "seed": seed,
        "documents": documents,
        "passages": len(texts),
        "mean_passage_chars": round(sum(map(len, texts)) / len(texts)),
        "rounds": rounds,
        "threads": threads,
        "systems": rows,
    }
    write_json(out, "ingest.json", result)
    rates = {name: row["passages_per_second"] for name, row in rows.items()}
    png = plot(out, rates, len(texts), threads, label)
    for name, row in rows.items():
        agree = f"  cosine to the floor {row['mean_cosine']:.6f}" if "mean_cosine" in row else ""
        click.echo(
            f"{name:>28}: {row['passages_per_second']:7.1f} passages/s"
            f"  x{row['ratio_to_floor']:.2f}"
            f" (rounds {row['round_ratios']})  peak RSS {row['peak_rss_mb']} MB{agree}"
        )
    click.echo(f"-> {out / 'ingest.json'}, {png}")


if __name__ == "__main__":
    main()
