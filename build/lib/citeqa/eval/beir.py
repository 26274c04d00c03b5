"""A BEIR-format set end to end: its corpus indexed in a separate home, its test queries searched
with the service's `Engine`, and the published protocol's doc-level metrics from ir-measures.

Input folder (https://github.com/beir-cellar/beir):

    corpus.jsonl      {"_id": "4983", "title": "...", "text": "..."}
    queries.jsonl     {"_id": "1", "text": "..."}
    qrels/test.tsv    query-id <TAB> corpus-id <TAB> score, after a header line

Each corpus record becomes `<home>/documents/<_id>.txt` holding "<title>\\n\\n<text>" (document id
`<_id>.txt`), ingested like any user's folder. An abstract may be cut into several passages, so a
query asks for `passages` passages (twice the depth by default) and keeps each document's best
rank, up to `depth` (100) documents: the run BEIR scores is a ranking of documents.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ir_measures
from ir_measures import RR, R, Success, nDCG
from tqdm import tqdm

from citeqa.index.encoder import Encoder
from citeqa.index.storage import ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .metrics import percentiles
from .report import plot_latency

MEASURES = {"ndcg@10": nDCG @ 10, "recall@100": R @ 100, "mrr@10": RR @ 10, "hit@10": Success @ 10}
MARKER = ".citeqa-beir"  # marks a home made by this module, so we never ingest over a user's index


class BeirError(ValueError):
    """The BEIR folder or the home cannot be used; the message names the file and line."""


@dataclass
class BeirSet:
    folder: Path
    corpus: dict[str, tuple[str, str]]  # _id -> (title, text)
    queries: dict[str, str]  # _id -> text, only the queries that have qrels
    qrels: dict[str, dict[str, int]]  # query id -> {corpus id: relevance}


def load_beir(folder: Path, split: str = "test", limit_queries: int | None = None) -> BeirSet:
    """Read and check the three files; `limit_queries` keeps the first N queries of the qrels."""
    corpus: dict[str, tuple[str, str]] = {}
    for line, row in _jsonl(folder / "corpus.jsonl"):
        doc_id = _id(row, folder / "corpus.jsonl", line)
        if doc_id in corpus:
            raise BeirError(f"{folder / 'corpus.jsonl'} line {line}: duplicate _id {doc_id!r}")
        corpus[doc_id] = (str(row.get("title") or ""), str(row.get("text") or ""))
    all_queries = {
        _id(row, folder / "queries.jsonl", line): str(row.get("text") or "")
        for line, row in _jsonl(folder / "queries.jsonl")
    }
    qrels = _qrels(folder / "qrels" / f"{split}.tsv", all_queries)
    if limit_queries is not None:
        qrels = dict(list(qrels.items())[:limit_queries])
    for query_id in qrels:
        if not all_queries[query_id].strip():
            raise BeirError(f"{folder / 'queries.jsonl'}: query {query_id!r} has no text")
    return BeirSet(folder, corpus, {q: all_queries[q] for q in qrels}, qrels)


def _jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise BeirError(f"cannot read {path}: {err}") from err
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise BeirError(f"{path} line {number}: malformed JSON ({err.msg})") from err
        if not isinstance(row, dict):
            raise BeirError(f"{path} line {number}: expected a JSON object")
        rows.append((number, row))
    return rows


def _id(row: dict[str, Any], path: Path, line: int) -> str:
    value = row.get("_id")
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise BeirError(f"{path} line {line}: missing or empty field '_id'")
    text = str(value)
    # The id becomes a file name: no folders, no hidden files (the corpus loader skips those).
    if "/" in text or "\\" in text or "\x00" in text or text.startswith("."):
        raise BeirError(f"{path} line {line}: _id {text!r} cannot be used as a file name")
    return text


def _qrels(path: Path, queries: dict[str, str]) -> dict[str, dict[str, int]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise BeirError(f"cannot read {path}: {err}") from err
    qrels: dict[str, dict[str, int]] = {}
    for number, line in enumerate(lines, start=1):
        cells = line.split("\t")
        if number == 1 and cells[0] == "query-id":
            continue
        if not line.strip():
            continue
        if len(cells) != 3 or not cells[2].strip().lstrip("-").isdigit():
            raise BeirError(f"{path} line {number}: expected query-id, corpus-id, integer score")
        if cells[0] not in queries:
            raise BeirError(f"{path} line {number}: query {cells[0]!r} is not in queries.jsonl")
        qrels.setdefault(cells[0], {})[cells[1]] = int(cells[2])
    if not qrels:
        raise BeirError(f"{path}: no judgements")
    return qrels


def write_documents(beir: BeirSet, folder: Path) -> int:
    """Mirror the corpus as `<_id>.txt` files in `folder` (unchanged files are not rewritten,
    files of another corpus are removed); returns the number of documents."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {
        f"{doc_id}.txt": f"{title}\n\n{text}" for doc_id, (title, text) in beir.corpus.items()
    }
    for stale in folder.glob("*.txt"):
        if stale.name not in wanted:
            stale.unlink()
    for name, content in wanted.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
    return len(wanted)


def prepare_home(home: Path) -> None:
    """Refuse the user's CITEQA_HOME or any home holding an index this module did not make."""
    home = home.expanduser().resolve()
    if home == Settings().home:
        raise BeirError(f"{home} is CITEQA_HOME: a BEIR run needs a home of its own (--home)")
    if (home / "CURRENT").exists() and not (home / MARKER).exists():
        raise BeirError(
            f"{home} holds an index not made by `citeqa eval --beir`; give an empty folder"
        )
    home.mkdir(parents=True, exist_ok=True)
    (home / MARKER).write_text("made by citeqa eval --beir; its index may be replaced\n")


def run_beir(
    folder: Path,
    home: Path,
    out: Path,
    *,
    encoder: Encoder | None = None,
    limit_queries: int | None = None,
    depth: int = 100,
    passages: int = 200,
    progress: bool = True,
) -> dict[str, Any]:
    """Index, search, score; writes metrics.json, report.md, run.trec and latency.png to `out`."""
    started = time.perf_counter()
    beir = load_beir(folder, limit_queries=limit_queries)
    prepare_home(home)
    base = Settings(home=home)  # the other CITEQA_* settings (model, chunking) apply as usual
    settings = base.model_copy(
        update={
            "max_k": max(base.max_k, passages),
            "keep_versions": 1,  # each version holds a copy of the corpus: keep one
            "max_question_chars": max([base.max_question_chars, *map(len, beir.queries.values())]),
        }
    )
    n_docs = write_documents(beir, settings.home / "documents")
    encoder = encoder or settings.load_encoder()
    report = ingest(
        [settings.home / "documents"],
        encoder,
        settings.home,
        settings.build_options(encoder, progress=progress),
    )
    ingest_seconds = time.perf_counter() - started
    engine = Engine(settings, encoder)
    run, latencies = search_queries(engine, beir.queries, depth, passages, progress)
    query_seconds = time.perf_counter() - started - ingest_seconds
    qrels = [
        ir_measures.Qrel(q, d, rel) for q, docs in beir.qrels.items() for d, rel in docs.items()
    ]
    scored = [ir_measures.ScoredDoc(q, d, s) for q, docs in run.items() for d, s in docs.items()]
    overall = ir_measures.calc_aggregate(list(MEASURES.values()), qrels, scored)
    per_query: dict[str, dict[str, float]] = {}
    names = {str(m): name for name, m in MEASURES.items()}
    for metric in ir_measures.iter_calc(list(MEASURES.values()), qrels, scored):
        per_query.setdefault(metric.query_id, {})[names[str(metric.measure)]] = metric.value
    stats = engine.stats()
    metrics = {
        "settings": {
            "dataset": str(folder),
            "split": "test",
            "home": str(settings.home),
            "documents": n_docs,
            "skipped_documents": len(report.skipped),
            "embedded_documents": report.embedded,  # 0 when the home already had them all
            "passages": stats.passages,
            "queries": len(beir.queries),
            "passages_per_query": passages,
            "depth": depth,
            "mean_documents_per_query": round(sum(map(len, run.values())) / max(len(run), 1), 2),
            "model": stats.model,
            "index_version": stats.index_version,
            "chunking": stats.chunking,
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        "metrics": {name: round(float(overall[m]), 6) for name, m in MEASURES.items()},
        "seconds": {
            "ingest": round(ingest_seconds, 1),
            "queries": round(query_seconds, 1),
            "total": round(time.perf_counter() - started, 1),
        },
        "latency_ms": percentiles(latencies),
        "per_query": per_query,
    }
    write_beir_report(metrics, run, latencies, out)
    return metrics


def search_queries(
    engine: Engine, queries: dict[str, str], depth: int, passages: int, progress: bool
) -> tuple[dict[str, dict[str, float]], list[float]]:
    """query id -> {corpus id: score} (at most `depth` documents), and latencies in ms.

    The score is `depth - position`: ir-measures ranks by score, and the passage cosine would
    let exact ties reorder documents by id; this keeps our order exactly.
    """
    run: dict[str, dict[str, float]] = {}
    latencies = []
    bar = tqdm(
        queries.items(),
        desc="queries",
        unit="q",
        file=sys.stderr,
        disable=not progress,
        mininterval=0.2 if sys.stderr.isatty() else 10.0,
    )
    for query_id, text in bar:
        t0 = time.perf_counter()
        answer = engine.ask(text, passages)
        latencies.append((time.perf_counter() - t0) * 1000)
        docs: dict[str, float] = {}
        for p in answer.passages:
            doc = p.citation.document.removesuffix(".txt")
            if doc not in docs and len(docs) < depth:
                docs[doc] = float(depth - len(docs))
        run[query_id] = docs
    return run, latencies


def write_beir_report(
    metrics: dict[str, Any], run: dict[str, dict[str, float]], latencies: list[float], out: Path
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    with (out / "run.trec").open("w", encoding="utf-8") as f:
        for query_id, docs in run.items():
            for rank, (doc, score) in enumerate(docs.items(), start=1):
                f.write(f"{query_id} Q0 {doc} {rank} {score:g} citeqa\n")
    plot_latency(latencies, out / "latency.png", "in-process")
    (out / "report.md").write_text(beir_summary(metrics, markdown=True) + "\n", encoding="utf-8")


def beir_summary(metrics: dict[str, Any], markdown: bool = False) -> str:
    st, m, sec, lat = (metrics[key] for key in ("settings", "metrics", "seconds", "latency_ms"))
    lines = [
        f"BEIR {st['dataset']} ({st['split']}): {st['queries']} queries, {st['documents']} "
        f"documents in {st['passages']} passages, model {st['model']}, index {st['index_version']}",
        f"nDCG@10 {m['ndcg@10']:.4f}  recall@100 {m['recall@100']:.4f}  "
        f"MRR@10 {m['mrr@10']:.4f}  hit@10 {m['hit@10']:.4f}   (ir-measures, doc-level runs)",
        f"time: ingest {sec['ingest']:.1f} s, queries {sec['queries']:.1f} s, total "
        f"{sec['total']:.1f} s; query latency p50 {lat['p50']} ms, p95 {lat['p95']} ms "
        f"({st['passages_per_query']} passages -> {st['mean_documents_per_query']} documents "
        "per query on average)",
    ]
    if markdown:
        lines[0] = "# " + lines[0]
        return "\n\n".join([*lines, "![latency](latency.png)"])
    return "\n".join(lines)
