"""After the soak: check that the service kept every write (and forgot every delete), and plot
the latencies over time."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import matplotlib

from .common import save_png
from .soak_workload import Reads, Writes

matplotlib.use("Agg")
import matplotlib.pyplot as plt

TOP = 3  # a live document's fact must come back at this rank or better
SHIPPED_DOCUMENTS = 5


def verify(client: httpx.Client, writes: Writes, corpus: Path) -> dict[str, Any]:
    """Every live document: served with its current text, its fact in the top 3 of its question,
    no replaced text anywhere, its file in the corpus folder. Every deleted one: 404, its name
    in no answer, its file gone. The document count adds up."""
    problems: list[str] = []
    ranks: dict[str, int | None] = {}
    for doc_id, fact in sorted(writes.live.items()):
        served = client.get(f"/documents/{doc_id}")
        text = served.json().get("text", "") if served.status_code == 200 else ""
        if fact.sentence not in text:
            problems.append(f"{doc_id}: GET answered {served.status_code} without its fact")
        passages = _ask(client, fact.question)
        rank = next(
            (
                p["rank"]
                for p in passages
                if p["citation"]["document"] == doc_id and fact.sentence in p["text"]
            ),
            None,
        )
        ranks[doc_id] = rank
        if rank is None or rank > TOP:
            problems.append(f"{doc_id}: its fact ranks {rank} for {fact.question!r}")
        for old in writes.old.get(doc_id, []):
            if old.sentence in text or any(old.sentence in p["text"] for p in passages):
                problems.append(f"{doc_id}: the replaced text is still served: {old.sentence!r}")
        path = corpus / doc_id
        if not path.is_file() or path.read_text() != fact.text:
            problems.append(f"{doc_id}: the corpus file is missing or holds other text")
    for doc_id, fact in sorted(writes.deleted.items()):
        status = client.get(f"/documents/{doc_id}").status_code
        if status != 404:
            problems.append(f"{doc_id}: deleted, but GET answered {status}")
        if any(fact.name in p["text"] for p in _ask(client, fact.question)):
            problems.append(f"{doc_id}: deleted, but its fact is still returned")
        if (corpus / doc_id).exists():
            problems.append(f"{doc_id}: deleted, but its file is still in the corpus folder")
    stats = client.get("/stats").json()
    if stats.get("documents") != SHIPPED_DOCUMENTS + len(writes.live):
        problems.append(
            f"/stats counts {stats.get('documents')} documents, expected "
            f"{SHIPPED_DOCUMENTS + len(writes.live)}"
        )
    found = [r for r in ranks.values() if r is not None]
    return {
        "live": len(writes.live),
        "deleted": len(writes.deleted),
        "rank_1": sum(r == 1 for r in found),
        f"top_{TOP}": sum(r <= TOP for r in found),
        "problems": problems,
    }


def _ask(client: httpx.Client, question: str) -> list[dict[str, Any]]:
    response = client.post("/ask", json={"question": question, "k": 10})
    response.raise_for_status()
    passages: list[dict[str, Any]] = response.json()["passages"]
    return passages


WRITE_STYLES = {
    "add": ("tab:green", "^"),
    "replace": ("tab:orange", "s"),
    "delete": ("tab:red", "v"),
    "rebuild": ("tab:purple", "D"),
    "job": ("tab:gray", "."),
}


def plot(path: Path, reads: Reads, writes: Writes, clients: int) -> Path:
    """Left: every request's latency over the run, writes marked, the rebuild shaded. Right:
    the latency distribution of reads and of each kind of write."""
    fig, (timeline, cdf) = plt.subplots(
        1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [2, 1]}
    )
    timeline.scatter(
        reads.times, reads.latencies_ms, s=2, alpha=0.25, label=f"/ask, {clients} clients"
    )
    for kind, (color, marker) in WRITE_STYLES.items():
        done = [w for w in writes.done if w.kind == kind]
        if done:
            timeline.scatter(
                [w.at for w in done],
                [w.latency_ms for w in done],
                s=18,
                color=color,
                marker=marker,
                label=kind,
            )
    start, end = writes.rebuild_span
    if writes.job and end is not None:
        timeline.axvspan(start, end, color="tab:purple", alpha=0.12, label="rebuild running")
    timeline.set_yscale("log")
    timeline.set_xlabel("seconds since the start")
    timeline.set_ylabel("latency (ms, log scale)")
    timeline.set_title(f"citeqa soak: reads and writes at once ({os.cpu_count()} cores)")
    timeline.grid(True, which="both", alpha=0.3)
    timeline.legend(fontsize=8, loc="upper left")
    series = {"/ask": reads.latencies_ms} | {
        kind: [w.latency_ms for w in writes.done if w.kind == kind]
        for kind in ("add", "replace", "delete")
    }
    for label, values in series.items():
        if values:
            ordered = sorted(values)
            cdf.plot(ordered, [(i + 1) / len(ordered) for i in range(len(ordered))], label=label)
    cdf.set_xscale("log")
    cdf.set_xlabel("latency (ms, log scale)")
    cdf.set_ylabel("fraction of requests")
    cdf.grid(True, which="both", alpha=0.3)
    cdf.legend(fontsize=8)
    save_png(fig, path)
    return path
