"""Dense search from 1k to 1M passages: latency, recall@10 against exact search, memory, disk.

Vectors are derived from real ones (the SciFact index's MiniLM passage vectors): each is
normalise(a·x_i + (1−a)·x_j + 0.8·z) for random real x_i, x_j, a ∈ [0.5, 1] and z noise shaped
like the real vectors' covariance (|z| ≈ 1). At 1M a question's nearest neighbours are then about
as similar as real neighbours are at 9k, which makes this a harder set than real data is.
Questions are 300 more vectors made the same way, not in the index.

    python -m citeqa.eval.bench.scale --real var/beir-scifact --sizes 1000,10000,100000,1000000
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

import click
import numpy as np
from tqdm import tqdm

from citeqa.index.retrieval import dense
from citeqa.index.retrieval.dense import (
    ExactSearch,
    open_dense_index,
    warm_page_cache,
    write_dense_index,
)
from citeqa.index.storage import read_manifest

from .common import machine, percentiles, save_png

NOISE = 0.8


def real_vectors(home: Path) -> np.ndarray:
    """The live passage vectors of the index in `home`, read from its segments."""
    manifest = read_manifest(home)
    if manifest is None:
        raise OSError(f"no index in {home}")
    parts = [np.load(home / "segments" / name / "vectors.npy") for name in manifest.segments]
    return np.concatenate(parts).astype(np.float32)


def derived(real: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    centred = real - real.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(centred.T))
    shape = (eigenvectors * np.sqrt(np.clip(eigenvalues, 0, None))) / np.sqrt(eigenvalues.sum())
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(n, start + 100_000) - start
        i, j = rng.integers(0, len(real), m), rng.integers(0, len(real), m)
        a = rng.uniform(0.5, 1, m).astype(np.float32)[:, None]
        noise = rng.standard_normal((m, real.shape[1])).astype(np.float32) @ shape.T
        v = a * real[i] + (1 - a) * real[j] + NOISE * noise.astype(np.float32)
        out[start : start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def memory_kb() -> dict[str, int]:
    """This process's private (anonymous) and file-backed resident memory."""
    status = Path("/proc/self/status").read_text()
    return {k: int(re.search(rf"{k}:\s+(\d+)", status)[1]) for k in ("RssAnon", "RssFile")}  # type: ignore[index]


def measure(vectors: np.ndarray, queries: np.ndarray, folder: Path) -> dict:
    np.save(folder / "vectors.npy", vectors)
    started = time.perf_counter()
    write_dense_index(vectors, folder)
    build_s = time.perf_counter() - started
    searched = folder / dense.IVF_FILE
    disk = (searched if searched.is_file() else folder / "vectors.npy").stat().st_size
    before = memory_kb()
    mapped = np.load(folder / "vectors.npy", mmap_mode="r")
    started = time.perf_counter()
    index = open_dense_index(folder, mapped)
    warm_page_cache(folder)  # as the service does when it loads a version
    open_s = time.perf_counter() - started
    truth = ExactSearch(np.asarray(vectors))
    latencies, recalls = [], []
    for q in queries:
        started = time.perf_counter()
        rows, _ = index.search(q, 10)
        latencies.append((time.perf_counter() - started) * 1000)
        recalls.append(len(set(rows.tolist()) & set(truth.search(q, 10)[0].tolist())) / 10)
    after = memory_kb()
    return {
        "passages": len(vectors),
        "index": type(index).__name__,
        "nlist": dense.ivf_lists(len(vectors)) if len(vectors) > dense.FLAT_LIMIT else None,
        "nprobe": dense.NPROBE if len(vectors) > dense.FLAT_LIMIT else None,
        "build_s": round(build_s, 2),
        "open_and_warm_s": round(open_s, 2),
        "search_ms": percentiles(latencies),
        "recall_at_10": round(float(np.mean(recalls)), 4),
        "index_file_mb": round(disk / 2**20, 1),
        "private_mb": round((after["RssAnon"] - before["RssAnon"]) / 1024, 1),
        "mapped_mb": round((after["RssFile"] - before["RssFile"]) / 1024, 1),
    }


def plot(results: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["passages"] for r in results]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.plot(sizes, [r["search_ms"]["p50"] for r in results], "o-", label="p50")
    left.plot(sizes, [r["search_ms"]["p95"] for r in results], "s--", label="p95")
    left.axhline(20, color="grey", lw=0.8, ls=":", label="goal at 1M (20 ms)")
    left.set(xscale="log", yscale="log", xlabel="passages", ylabel="search ms (1 question)")
    left.set_title("dense search latency")
    left.legend()
    right.plot(sizes, [r["index_file_mb"] for r in results], "o-", label="index file on disk")
    right.plot(sizes, [r["mapped_mb"] for r in results], "s--", label="resident, mapped (shared)")
    private = max(r["private_mb"] for r in results)
    right.text(
        0.02, 0.6, f"private memory ≤ {private:.0f} MB at every size", transform=right.transAxes
    )
    right.axhline(1024, color="grey", lw=0.8, ls=":", label="goal at 1M (1 GB)")
    right.set(xscale="log", yscale="log", xlabel="passages", ylabel="MB")
    right.set_title("memory")
    right.legend()
    for r in results:
        left.annotate(f"R@10 {r['recall_at_10']:.3f}", (r["passages"], r["search_ms"]["p50"]))
    fig.suptitle(f"citeqa dense search by size (exact ≤ {dense.FLAT_LIMIT:,}, IVF-SQ8 above)")
    save_png(fig, out, dpi=110)


@click.command()
@click.option("--real", "real_home", type=click.Path(path_type=Path), default="var/beir-scifact")
@click.option("--sizes", default="1000,10000,100000,1000000")
@click.option("--queries", default=300)
@click.option("--out", type=click.Path(path_type=Path), default="var/bench")
def main(real_home: Path, sizes: str, queries: int, out: Path) -> None:
    """Dense search latency, recall and memory at each size (docs/benchmarks.md)."""
    import faiss

    faiss.omp_set_num_threads(1)  # as the service answers: one thread per question
    rng = np.random.default_rng(7)
    try:
        real = real_vectors(real_home)
    except OSError:
        raise click.ClickException(
            f"no index in {real_home}: run `make eval-scifact` first"
        ) from None
    counts = [int(s) for s in sizes.split(",")]
    pool = derived(real, max(counts) + queries, rng)
    asked, corpus = pool[:queries], pool[queries:]
    results = []
    for n in tqdm(counts, desc="sizes", unit="size"):
        with tempfile.TemporaryDirectory(dir=out.parent if out.parent.exists() else None) as tmp:
            results.append(measure(corpus[:n], asked, Path(tmp)))
        r = results[-1]
        tqdm.write(
            f"{n:>9,} {r['index']:<12} p50 {r['search_ms']['p50']:.2f} ms "
            f"p95 {r['search_ms']['p95']:.2f} ms recall@10 {r['recall_at_10']:.3f} "
            f"file {r['index_file_mb']} MB private {r['private_mb']} MB build {r['build_s']} s"
        )
    out.mkdir(parents=True, exist_ok=True)
    report = {
        "machine": machine(),
        "vectors": "derived from SciFact MiniLM vectors",
        "sizes": results,
    }
    (out / "scale.json").write_text(json.dumps(report, indent=1))
    plot(results, out / "scale.png")
    click.echo(f"wrote {out / 'scale.json'} and {out / 'scale.png'}")


if __name__ == "__main__":
    main()
