"""`citeqa eval`: score the service on a QA set (in-process or over HTTP) or on a BEIR set.

Registered on the `citeqa` group through the `citeqa.commands` entry point (pyproject.toml),
so every `citeqa` command loads this module: what is slow to load (matplotlib, the model) is
loaded when used, not here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import click

from citeqa.index.encoder import ModelError
from citeqa.index.storage import IngestError, StoreError
from citeqa.service.engine import InvalidQuestion
from citeqa.service.settings import Settings, load_settings

from .beir import BeirError, beir_summary, run_beir
from .qaset import QASetError, parse_set
from .report import summary_text, write_report
from .run import Backend, EvalError, Http, InProcess, run_set, validate


def _fail(message: str) -> NoReturn:
    raise click.ClickException(message)


def _default_out(suffix: str = "") -> Path:
    return Path("var") / "eval" / (datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + suffix)


@click.command("eval")
@click.argument("set_path", metavar="[SET.jsonl]", required=False, type=click.Path(path_type=Path))
@click.option(
    "-k",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="Passages asked for per question.",
)
@click.option("--url", help="Evaluate a running service (e.g. http://127.0.0.1:8000) over HTTP.")
@click.option(
    "--key",
    envvar="CITEQA_READ_KEY",
    show_envvar=True,
    help="With --url: the X-API-Key to send, for a service with CITEQA_READ_KEY set.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for metrics.json, report.md and plots [default: var/eval/<time>].",
)
@click.option("--check", is_flag=True, help="Only validate the set against the index; no search.")
@click.option(
    "--skip-missing",
    is_flag=True,
    help="Leave out (and count per format) the questions whose evidence is not in the index "
    "(a document this build does not read, a quote on a page without text) instead of "
    "refusing the set.",
)
@click.option(
    "--beir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Run a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv) instead.",
)
@click.option(
    "--home",
    type=click.Path(path_type=Path, file_okay=False),
    help="With --beir: the home its index is built in [default: OUT/home]; "
    "reuse it to skip re-embedding.",
)
@click.option(
    "--limit-queries", type=click.IntRange(1), help="With --beir: the first N queries only."
)
def eval_command(
    set_path: Path | None,
    k: int,
    url: str | None,
    key: str | None,
    out: Path | None,
    check: bool,
    skip_missing: bool,
    beir: Path | None,
    home: Path | None,
    limit_queries: int | None,
) -> None:
    """Score citeqa on SET.jsonl (id, question, answers, evidence; see README), or on --beir DIR.

    Every question goes through the service's own search; the whole set is validated first
    (every evidence quote must be verbatim in its document) and nothing is searched if any
    line is wrong.
    """
    if beir is not None:
        if set_path is not None or url or check or skip_missing:
            _fail(
                "--beir builds and searches its own index: give no SET.jsonl, --url, --check "
                "or --skip-missing"
            )
        _run_beir(beir, out or _default_out("-beir"), home, limit_queries)
        return
    if set_path is None:
        _fail("give a SET.jsonl to evaluate, or --beir DIR")
    if home is not None or limit_queries is not None:
        _fail("--home and --limit-queries only apply with --beir")
    _run_set(set_path, k, url, key, out or _default_out(), check, skip_missing)


def _run_set(
    path: Path,
    k: int,
    url: str | None,
    key: str | None,
    out: Path,
    check: bool,
    skip_missing: bool = False,
) -> None:
    backend: Backend | None = None
    try:
        parse_set(path)  # a malformed set fails before the model loads
        backend = Http(url, api_key=key) if url else InProcess.from_settings(_settings(), k)
        qaset = validate(path, backend, skip_missing)
        if check:
            n_ans = sum(item.answerable for item in qaset.items)
            kinds = ", ".join(qaset.kinds) or "none"
            click.echo(
                f"{path}: {len(qaset.items)} questions valid ({n_ans} answerable, "
                f"{len(qaset.items) - n_ans} unanswerable; kinds: {kinds}) against "
                f"{backend.where}"
            )
            for skipped in qaset.skipped:
                docs = ", ".join(sorted({ev.doc for ev in skipped.item.evidence}))
                why = (
                    "not in the index" if skipped.reason == "document" else "quote not in its text"
                )
                click.echo(f"left out {skipped.item.id} (line {skipped.item.line}): {docs} {why}")
            return
        result = run_set(qaset, backend, k)
    except QASetError as err:
        _fail_set(err)
    except (EvalError, ModelError, StoreError, OSError) as err:
        _fail(str(err))
    finally:
        if isinstance(backend, Http):
            backend.close()

    try:
        metrics = write_report(result, out)
    except OSError as err:
        _fail(f"cannot write the report to {out}: {err}")
    click.echo(summary_text(metrics, out))


def _fail_set(err: Exception) -> NoReturn:
    """One line for one problem; for several, each on its own line, then the verdict."""
    assert isinstance(err, QASetError)
    if len(err.problems) == 1:
        _fail(f"{err.path} {err.problems[0]}")
    for problem in err.problems:
        click.echo(f"{err.path} {problem}", err=True)
    _fail(f"{err.path}: {len(err.problems)} problems; nothing was searched")


def _run_beir(folder: Path, out: Path, home: Path | None, limit_queries: int | None) -> None:
    _settings()  # a bad CITEQA_* value fails here, in one line
    try:
        metrics = run_beir(folder, home or out / "home", out, limit_queries=limit_queries)
    except (BeirError, IngestError, InvalidQuestion, ModelError, StoreError, OSError) as err:
        _fail(str(err))
    click.echo(beir_summary(metrics))
    click.echo(f"wrote {out}/: metrics.json report.md run.trec latency.png")


def _settings() -> Settings:
    try:
        return load_settings()
    except ValueError as err:
        _fail(str(err))
