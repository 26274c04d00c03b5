"""A finished run -> `metrics.json`, `report.md`, three plots (hit@k, latency, reliability) and a
summary.

`metrics.json` is the machine-readable record (settings, overall and per-kind metrics, the hit@k
curve, one row per question); `report.md` is the same for a reader, plus the misses with what was
returned instead. Plots are drawn with matplotlib's Agg backend (no display needed).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from citeqa.index.answer import asked_type

from .metrics import (
    FormatCase,
    answer_hit_curve,
    by_format,
    calibration,
    doc_format,
    first_relevant_rank,
    highlight_scores,
    hit_curve,
    holds,
    percentiles,
    short_answer_scores,
    summarise,
)
from .run import Outcome, RunResult

MISSES_SHOWN = 15
SNIPPET_CHARS = 140


def build_metrics(result: RunResult) -> dict[str, Any]:
    """Everything `metrics.json` holds, as plain JSON-ready values."""
    judged = [o.judged for o in result.outcomes]
    kinds = sorted({o.item.kind for o in result.outcomes if o.item.kind})
    s = result.stats
    return {
        "settings": {
            "set": str(result.set_path),
            "questions": len(result.outcomes),
            "k": result.k,
            "mode": result.mode,
            "where": result.where,
            "model": s.get("model"),
            "model_fingerprint": s.get("model_fingerprint"),
            "index_version": s.get("index_version"),
            "documents": s.get("documents"),
            "passages": s.get("passages"),
            "chunking": s.get("chunking"),
            "min_answer_score": s.get("min_answer_score"),  # known in-process only
            "abstain_sentence_cosine": s.get("abstain_sentence_cosine"),
            "timestamp": result.started_at,
            "seconds": result.seconds,
        },
        "overall": summarise(judged, result.k),
        "by_kind": {
            kind: summarise([j for j in judged if j.kind == kind], result.k) for kind in kinds
        },
        "hit_curve": [round(v, 6) for v in hit_curve(judged, result.k)],
        "answer_hit_curve": [round(v, 6) for v in answer_hit_curve(judged, result.k)],
        "server_took_ms": percentiles([o.response.took_ms for o in result.outcomes]),
        "short_answer": short_answer_scores(
            [
                (o.response.answer.text if o.response.answer else None, o.item.answers)
                for o in result.outcomes
                if o.item.answerable and asked_type(o.item.question) is not None
            ]
        ),
        "calibration": calibration(
            [o.response.confidence for o in result.outcomes],
            [o.item.answerable for o in result.outcomes],
        ),
        "highlight": highlight_scores(
            [
                (_highlighted(o.response.passages[0]), o.item.answers)
                for o in result.outcomes
                if o.item.answerable
                and o.response.passages
                and o.judged.cover[:1].any()
                and holds(o.response.passages[0].text, o.item.answers)
            ]
        ),
        "by_format": by_format(
            [_format_case(o) for o in result.outcomes if o.item.answerable],
            _missing_by_format(result),
            result.k,
        ),
        "skipped": [
            {
                "id": s.item.id,
                "reason": s.reason,
                "documents": sorted({ev.doc for ev in s.item.evidence}),
            }
            for s in result.skipped
        ],
        "warnings": result.warnings,
        "per_question": [_question_row(o) for o in result.outcomes],
    }


def _format_case(o: Outcome) -> FormatCase:
    """An answerable outcome, filed under its first evidence document's format."""
    top = o.response.passages[0] if o.response.passages else None
    light = None
    if top is not None and o.judged.cover[:1].any() and holds(top.text, o.item.answers):
        light = holds(_highlighted(top), o.item.answers)
    short = None
    if asked_type(o.item.question) is not None:
        short = (o.response.answer.text if o.response.answer else None, o.item.answers)
    return FormatCase(doc_format(o.item.evidence[0].doc), o.judged, light, short)


def _missing_by_format(result: RunResult) -> dict[str, int]:
    """Questions left out because their evidence is not in the index, per format."""
    counts: dict[str, int] = {}
    for s in result.skipped:
        name = doc_format(s.item.evidence[0].doc)
        counts[name] = counts.get(name, 0) + 1
    return counts


def _question_row(o: Outcome) -> dict[str, Any]:
    top = o.response.passages[0] if o.response.passages else None
    return {
        "id": o.item.id,
        "kind": o.item.kind,
        "answerable": o.item.answerable,
        "format": doc_format(o.item.evidence[0].doc) if o.item.evidence else None,
        "abstained": o.judged.abstained,
        "first_relevant_rank": first_relevant_rank(o.judged.cover) or None,
        "answer_rank": o.judged.answer_rank or None,
        "top_score": top.score if top else None,
        "top_dense_score": top.dense_score if top else None,  # what `answerable` is judged on
        "top_document": top.citation.document if top else None,
        "short_answer": o.response.answer.text if o.response.answer else None,
        "latency_ms": round(o.latency_ms, 2),
    }


def write_report(result: RunResult, out: Path) -> dict[str, Any]:
    """Write the five files into `out` (created if needed); returns the metrics written."""
    out.mkdir(parents=True, exist_ok=True)
    metrics = build_metrics(result)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (out / "report.md").write_text(_markdown(result, metrics), encoding="utf-8")
    plot_hit_curve(metrics["hit_curve"], metrics["answer_hit_curve"], out / "hit_at_k.png")
    plot_latency([o.latency_ms for o in result.outcomes], out / "latency.png", result.mode)
    plot_reliability(metrics["calibration"], out / "reliability.png")
    return metrics


# --- tables ----------------------------------------------------------------------------------


def _columns(k: int) -> list[tuple[str, str]]:
    """(metric key, column title) for the compact tables."""
    c = min(10, k)
    cols = [(f"hit@{cut}", f"hit@{cut}") for cut in (1, 3, 5, 10) if cut <= k]
    return [
        *cols,
        (f"mrr@{c}", f"MRR@{c}"),
        (f"ndcg@{c}", f"nDCG@{c}"),
        (f"recall@{k}", f"recall@{k}"),
        (f"answer_hit@{k}", f"ans@{k}"),
        ("false_abstention", "false abst."),
        ("correct_abstention", "correct abst."),
    ]


def _fmt(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def table_rows(metrics: dict[str, Any], k: int) -> tuple[list[str], list[list[str]]]:
    """Header and rows (overall first, then each kind) of the summary table."""
    cols = _columns(k)
    header = ["", "n", *[title for _, title in cols]]
    groups = [("overall", metrics["overall"]), *metrics["by_kind"].items()]
    rows = [
        [name, str(m["questions"]), *[_fmt(m.get(key)) for key, _ in cols]] for name, m in groups
    ]
    return header, rows


def format_rows(metrics: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the per-format table (answerable questions, by the format of their
    first evidence document)."""
    k = metrics["settings"]["k"]
    hit, mrr = f"hit@{min(5, k)}", f"mrr@{min(10, k)}"
    header = ["format", "n", "missing", hit, mrr.replace("mrr", "MRR"), "highlight", "short ans.",
              "false abst."]  # fmt: skip
    rows = []
    for name, m in metrics["by_format"].items():
        light, short = m["highlight"], m["short_answer"]
        rows.append([
            name, str(m["questions"]), str(m["missing"]), _fmt(m[hit]), _fmt(m[mrr]),
            f"{light['holds_answer']}/{light['asked']}",
            f"{short['holds_answer']}/{short['asked']}", _fmt(m["false_abstention"]),
        ])  # fmt: skip
    return header, rows


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def summary_text(metrics: dict[str, Any], out: Path | None = None) -> str:
    """The short table printed on stdout after a run."""
    st = metrics["settings"]
    header, rows = table_rows(metrics, st["k"])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        f"{st['set']}: {st['questions']} questions, k={st['k']}, {st['mode']}, "
        f"index {st['index_version']} ({st['model']})",
        *(
            "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in [header, *rows]
        ),
    ]
    lat = metrics["overall"]["latency_ms"]
    lines.append(
        f"latency p50 {_ms(lat['p50'])} ms, p95 {_ms(lat['p95'])} ms, "
        f"p99 {_ms(lat['p99'])} ms ({st['mode']}); {st['seconds']:.1f} s in all"
    )
    lines += _answer_lines(metrics)
    if metrics["by_format"]:
        header, rows = format_rows(metrics)
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines.append("by the format of the evidence document (answerable questions):")
        lines += [
            "  ".join(cell.rjust(w) if i else cell.ljust(w)
                      for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
            for row in [header, *rows]
        ]  # fmt: skip
    if metrics["skipped"]:
        lines.append(_left_out(metrics["skipped"]))
    lines += [f"warning: {w}" for w in metrics["warnings"]]
    if out is not None:
        lines.append(
            f"wrote {out}/: metrics.json report.md hit_at_k.png latency.png reliability.png"
        )
    return "\n".join(lines)


def _markdown(result: RunResult, metrics: dict[str, Any]) -> str:
    st = metrics["settings"]
    overall = metrics["overall"]
    lat = overall["latency_ms"]
    header, rows = table_rows(metrics, result.k)
    parts = [
        f"# citeqa evaluation: `{st['set']}`\n",
        f"{st['questions']} questions ({overall['answerable']} answerable, "
        f"{overall['unanswerable']} unanswerable), k = {st['k']}, {st['mode']} "
        f"(`{st['where']}`), model `{st['model']}`, index `{st['index_version']}` "
        f"({st['documents']} documents, {st['passages']} passages), run at {st['timestamp']}.\n",
        "Retrieval and answer columns are over answerable questions; a passage counts as gold "
        "when it overlaps an evidence quote in the same document. *false abst.* is the share of "
        "answerable questions answered `answerable: false` (lower is better), *correct abst.* the "
        "share of unanswerable ones (higher is better).\n",
        _markdown_table(header, rows),
        f"\nLatency per question ({st['mode']}, wall time): p50 {_ms(lat['p50'])} ms, "
        f"p95 {_ms(lat['p95'])} ms, p99 {_ms(lat['p99'])} ms, max {_ms(lat['max'])} ms; "
        f"server `took_ms` p50 {_ms(metrics['server_took_ms']['p50'])} ms.\n",
        "".join(f"- {line}.\n" for line in _answer_lines(metrics)),
        *(f"**Warning:** {w}\n" for w in metrics["warnings"]),
        "![hit@k](hit_at_k.png) ![latency](latency.png) ![reliability](reliability.png)\n",
        _formats(metrics),
        _misses(result),
        _false_answers(result),
    ]
    return "\n".join(parts)


def _formats(metrics: dict[str, Any]) -> str:
    """The per-format table, and the questions left out for a document not in the index."""
    if not metrics["by_format"]:
        return ""
    header, rows = format_rows(metrics)
    parts = [
        "## By document format\n",
        "Answerable questions, grouped by the suffix of their first evidence document. *missing*: "
        "questions left out because their evidence is not in the index (a format this build "
        "does not read, or a scanned page without text). *highlight*: of the questions whose first "
        "passage is gold and holds an expected answer, those whose highlighted sentence holds "
        "it. *short ans.*: of the questions asking for a date, amount, number, person or place, "
        "those whose short answer holds an expected answer.\n",
        _markdown_table(header, rows) + "\n",
    ]
    if metrics["skipped"]:
        parts.append(_left_out(metrics["skipped"]) + ".\n")
    return "\n".join(parts)


def _left_out(skipped: list[dict[str, Any]]) -> str:
    """One line: how many questions were left out, and why."""
    absent = sorted({d for row in skipped if row["reason"] == "document" for d in row["documents"]})
    unread = [row["id"] for row in skipped if row["reason"] == "quote"]
    line = f"{len(skipped)} questions left out"
    if absent:
        line += f"; documents not in the index: {', '.join(absent)}"
    if unread:
        line += f"; quotes not in the extracted text (e.g. a scanned page): {', '.join(unread)}"
    return line


def _highlighted(passage: Any) -> str:
    return str(passage.text[passage.highlight.start : passage.highlight.end])


def _answer_lines(metrics: dict[str, Any]) -> list[str]:
    """The confidence's calibration, the short answers and the highlights, a line each."""
    sure, short, light = metrics["calibration"], metrics["short_answer"], metrics["highlight"]
    return [
        f"confidence: expected calibration error {sure['ece']:.3f}, Brier score "
        f"{sure['brier']:.3f}",
        f"short answers: {short['given']} given for the {short['asked']} answerable questions "
        f"asking for a date, amount, number, person or place; {short['holds_answer']} hold an "
        f"expected answer, {short['exact']} exactly",
        f"highlights: {light['holds_answer']} of {light['asked']} hold the answer their gold "
        "first passage holds",
    ]


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return (flat[:SNIPPET_CHARS] + "…" if len(flat) > SNIPPET_CHARS else flat).replace("|", "\\|")


def _misses(result: RunResult) -> str:
    """Answerable questions with no gold passage in the top k, most confident first."""
    misses = [o for o in result.outcomes if o.item.answerable and not o.judged.cover.any()]
    misses.sort(key=lambda o: -(o.response.passages[0].score if o.response.passages else 0.0))
    lines = [f"## Misses: no gold passage in the top {result.k} ({len(misses)})\n"]
    if not misses:
        lines.append("None.\n")
    for o in misses[:MISSES_SHOWN]:
        ev = o.item.evidence[0]
        lines.append(f"### {o.item.id} ({o.item.kind or 'no kind'}): {o.item.question}\n")
        lines.append(
            f"Expected `{ev.doc}` chars {ev.spans[0].start}-{ev.spans[0].end}: "
            f"“{_snippet(ev.quote)}”"
            + (f" (+{len(o.item.evidence) - 1} alternative)" if len(o.item.evidence) > 1 else "")
            + "\n"
        )
        lines.append("Returned instead:\n")
        for p in o.response.passages[:3]:
            c = p.citation
            lines.append(
                f"{p.rank}. {p.score:.3f} `{c.document}` chars {c.start}-{c.end}: "
                f"{_snippet(p.text)}"
            )
        lines.append("")
    if len(misses) > MISSES_SHOWN:
        lines.append(f"… and {len(misses) - MISSES_SHOWN} more (see metrics.json).\n")
    return "\n".join(lines)


def _false_answers(result: RunResult) -> str:
    """Unanswerable questions the service still called answerable, most confident first."""
    wrong = [o for o in result.outcomes if not o.item.answerable and not o.judged.abstained]
    wrong.sort(key=lambda o: -(o.response.passages[0].score if o.response.passages else 0.0))
    lines = [f"## Unanswerable questions answered as answerable ({len(wrong)})\n"]
    lines += [
        f"- {o.item.id}: {o.item.question} (top {o.response.passages[0].score:.3f}, "
        f"`{o.response.passages[0].citation.document}`)"
        for o in wrong
        if o.response.passages
    ]
    return "\n".join(lines) + "\n"


# --- plots -----------------------------------------------------------------------------------


def plot_hit_curve(hits: Sequence[float], answer_hits: Sequence[float], path: Path) -> None:
    """hit@k (and answer hit@k) for k = 1..K, as a PNG."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ks = range(1, len(hits) + 1)
    ax.plot(ks, hits, marker="o", label="gold passage in top k")
    if answer_hits:
        ax.plot(
            range(1, len(answer_hits) + 1),
            answer_hits,
            marker="s",
            markersize=4,
            linestyle="--",
            label="answer text in top k",
        )
    ax.set(xlabel="k (passages)", ylabel="share of answerable questions", ylim=(0, 1.02))
    ax.set_xticks(list(ks))
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title("hit@k")
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)


def plot_latency(latencies_ms: Sequence[float], path: Path, mode: str) -> None:
    """Histogram of per-question latency with p50/p95/p99 marked, as a PNG."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ax.hist(latencies_ms, bins=min(40, max(5, len(latencies_ms) // 3)), color="#4c72b0")
    marks = percentiles(latencies_ms)
    for key, style in (("p50", "-"), ("p95", "--"), ("p99", ":")):
        value = marks[key]
        if value is not None:
            ax.axvline(value, color="black", linestyle=style, label=f"{key} {value:.1f} ms")
    ax.set(xlabel="latency per question (ms)", ylabel="questions", title=f"latency ({mode})")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)


def plot_reliability(calibration: dict[str, Any], path: Path) -> None:
    """Share of questions answerable against mean confidence, per confidence bin, as a PNG."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 5), dpi=100)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
    bins = calibration["bins"]
    ax.scatter(
        [b["confidence"] for b in bins],
        [b["answerable"] for b in bins],
        s=[20 + 4 * b["n"] for b in bins],
        color="#4c72b0",
        label="questions per bin (area)",
    )
    ax.set(
        xlabel="mean confidence",
        ylabel="share answerable",
        xlim=(0, 1),
        ylim=(0, 1),
        title=f"reliability: ECE {calibration['ece']:.3f}",
    )
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)


def _pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend (no display), loaded when a plot is drawn: it takes
    0.7 s, and every `citeqa` command loads this module to offer `citeqa eval`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
