"""`citeqa`: the command line, a mirror of the HTTP API over the same `Engine`.

The commands of other stages join through the `citeqa.commands` entry point group (eval adds
`citeqa eval` there), so the service stage never imports a stage that comes after it; nothing
imports this module.
"""

from __future__ import annotations

import json
import logging
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import NoReturn

import click
import uvicorn
from pydantic import BaseModel

from citeqa.corpus import DocumentError
from citeqa.index.encoder import ModelError
from citeqa.index.storage import (
    IngestError,
    IngestPlan,
    StoreError,
    ingest,
    plan_ingest,
    read_manifest,
)

from .engine import DocumentNotFound, Engine, InvalidQuestion, check_question
from .settings import Settings, load_settings
from .writes import (
    UnknownDocument,
    WriteConflict,
    Writer,
    read_exclusions,
    recover_corpus,
    safe_document_name,
    write_exclusions,
)

# Errors a user can act on: printed as one line, exit code 1, no traceback.
USER_ERRORS = (IngestError, ModelError, StoreError, InvalidQuestion, DocumentError, OSError)


def _fail(message: str) -> NoReturn:
    raise click.ClickException(message)


def _settings() -> Settings:
    try:
        return load_settings()
    except ValueError as err:
        _fail(str(err))


def _print_json(model: BaseModel | dict) -> None:
    click.echo(
        model.model_dump_json(indent=2)
        if isinstance(model, BaseModel)
        else json.dumps(model, indent=2)
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="citeqa")
def main() -> None:
    """Ask questions over your documents; get back cited passages.

    Settings come from CITEQA_* environment variables (see README).
    """


# An ingest removing more than this many documents, and this share of the index, needs --prune.
PRUNE_ABOVE_DOCUMENTS = 3
PRUNE_ABOVE_SHARE = 0.10


@main.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Re-embed every document, reusing nothing.")
@click.option(
    "--drop-source",
    "drop",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Stop indexing a recorded source folder or file; its documents leave the index.",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Allow removing many documents, and drop recorded sources that no longer exist.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be added, changed and removed.")
@click.option(
    "--include",
    "include",
    multiple=True,
    metavar="ID",
    help="Index again a document `citeqa remove` excluded (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def ingest_command(
    paths: tuple[Path, ...],
    rebuild: bool,
    drop: tuple[Path, ...],
    prune: bool,
    dry_run: bool,
    include: tuple[str, ...],
    as_json: bool,
) -> None:
    """Index the sources of record: the folders and files ingested before, plus PATHS.

    A bare `citeqa ingest` re-syncs the recorded sources and the uploads folder (in a new home:
    the shipped corpus, CITEQA_CORPUS). PATHS join the sources; documents of the other sources
    stay. Unchanged documents are not re-embedded, changed ones are replaced, and ones whose
    files are gone are removed; removing more than a few (over 3 and over 10 %) needs --prune.
    """
    settings = _settings()
    try:
        roots = _sources(settings, paths, drop, prune)
        excluded = read_exclusions(settings.home)
        exclude = excluded - set(include)
        own = [settings.uploads_folder]
        plan = plan_ingest(roots, settings.home, exclude=exclude, own_roots=own)
    except USER_ERRORS as err:
        _fail(str(err))
    if dry_run:
        _print_plan(plan, roots, as_json)
        return
    manifest = read_manifest(settings.home)
    before = len(manifest.documents) if manifest else 0
    many = len(plan.removed) > max(PRUNE_ABOVE_DOCUMENTS, PRUNE_ABOVE_SHARE * before)
    if many and not prune and not drop:
        shown = ", ".join(plan.removed[:5]) + (", ..." if plan.removed[5:] else "")
        _fail(
            f"this ingest would remove {len(plan.removed)} of {before} documents ({shown}); "
            "nothing was changed: run it with --prune to remove them (--dry-run lists them)"
        )
    if not sys.stderr.isatty():
        _log_progress_to_stderr()
    try:
        encoder = settings.load_encoder()
        for note in recover_corpus(settings):
            click.echo(f"interrupted write: {note}", err=True)
        report = ingest(
            roots,
            encoder,
            settings.home,
            settings.build_options(
                encoder,
                progress=sys.stderr.isatty() and not as_json,
                log_progress=not sys.stderr.isatty(),
            ),
            rebuild=rebuild,
            exclude=exclude,
            own_roots=own,
        )
        if excluded & set(include):
            write_exclusions(settings.home, exclude)
    except USER_ERRORS as err:
        _fail(str(err))
    if as_json:
        _print_json(report.__dict__)
        return
    for problem in report.skipped:
        click.echo(f"skipped {problem}", err=True)
    click.echo(
        f"index {report.version}: {report.documents} documents, {report.passages} passages "
        f"({len(report.added)} added, {len(report.changed)} changed, "
        f"{len(report.removed)} removed, {len(report.unchanged)} unchanged; "
        f"{report.embedded} embedded"
        + (f", {report.resumed} resumed from an interrupted ingest" if report.resumed else "")
        + f": {report.passages_embedded} passages and {report.sentences_embedded} sentences) "
        f"in {report.seconds:.1f} s"
    )


def _log_progress_to_stderr() -> None:
    """Progress as plain lines (a stage's start and end, and every few seconds) where no bar
    can be drawn: a log file, a pipe, a CI job."""
    logger = logging.getLogger("citeqa.ingest")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def _sources(
    settings: Settings, paths: tuple[Path, ...], drop: tuple[Path, ...], prune: bool
) -> list[Path]:
    """The roots an ingest reads: the recorded ones (else, in a new home without PATHS, the
    corpus folder), plus PATHS, less the dropped ones, plus the uploads folder if it exists."""
    manifest = read_manifest(settings.home)
    recorded = [Path(r) for r in manifest.roots] if manifest else []
    uploads = settings.uploads_folder.resolve()
    recorded = [r for r in recorded if r.resolve() != uploads]
    wanted = {p.expanduser().resolve() for p in drop}
    unknown = wanted - {r.resolve() for r in recorded}
    if unknown:
        listed = ", ".join(str(r) for r in recorded) or "none"
        raise IngestError(f"{sorted(unknown)[0]} is not a recorded source (the sources: {listed})")
    recorded = [r for r in recorded if r.resolve() not in wanted]
    missing = [r for r in recorded if not r.exists()]
    if missing and not prune:
        raise IngestError(
            f"the recorded source {missing[0]} no longer exists: put it back, or drop it with "
            f"--drop-source {missing[0]} (or --prune)"
        )
    recorded = [r for r in recorded if r.exists()]
    if manifest is None and not paths:
        recorded = [settings.corpus]
    roots: list[Path] = []
    for root in [*recorded, *(p.expanduser().absolute() for p in paths)]:
        if root.resolve() not in {r.resolve() for r in roots}:
            roots.append(root)
    if settings.uploads_folder.is_dir() and uploads not in {r.resolve() for r in roots}:
        roots.append(settings.uploads_folder)
    if not roots:
        raise IngestError("no sources to index: give a folder or file (citeqa ingest PATH)")
    return roots


def _print_plan(plan: IngestPlan, roots: list[Path], as_json: bool) -> None:
    if as_json:
        _print_json({"sources": [str(r) for r in roots], **plan.__dict__})
        return
    click.echo("dry run, nothing changed; sources: " + ", ".join(str(r) for r in roots))
    for what in ("added", "changed", "removed"):
        ids = getattr(plan, what)
        click.echo(f"would be {what} ({len(ids)}): " + (", ".join(ids) or "-"))
    click.echo(f"unchanged: {len(plan.unchanged)}")


def _engine(settings: Settings | None = None) -> Engine:
    try:
        return Engine(settings or _settings())
    except USER_ERRORS as err:
        _fail(str(err))


@main.command()
@click.argument("question")
@click.option("-k", type=int, default=None, help="How many passages (default CITEQA_DEFAULT_K).")
@click.option("--json", "as_json", is_flag=True, help="Print exactly the body POST /ask returns.")
def ask(question: str, k: int | None, as_json: bool) -> None:
    """Answer QUESTION with the most relevant cited passages."""
    settings = _settings()
    try:
        check_question(settings, question, k)  # before the slow model load
        answer = _engine(settings).ask(question, k)
    except USER_ERRORS as err:
        _fail(str(err))
    if as_json:
        click.echo(answer.model_dump_json())
        return
    if not answer.answerable:
        click.secho("No passage answers this confidently; the closest ones:", fg="yellow")
    elif answer.answer is not None:
        click.secho(f"Answer: {answer.answer.text}", fg="green", bold=True)
        click.echo()
    for p in answer.passages:
        c = p.citation
        where = (
            f"p. {c.page}" + (f"-{c.page_end}" if c.page_end != c.page else "") if c.page else ""
        )
        source = ", ".join(x for x in (c.document, where, c.section or "") if x)
        click.secho(f"[{p.rank}] {p.score:.3f}  {source}  chars {c.start}-{c.end}", bold=True)
        a, b = p.highlight.start, p.highlight.end
        click.echo(p.text[:a] + click.style(p.text[a:b], fg="green", bold=True) + p.text[b:])
        click.echo()


@main.command()
def stats() -> None:
    """What GET /stats returns: the index's size, model and version."""
    try:
        _print_json(_engine().stats())
    except USER_ERRORS as err:
        _fail(str(err))


@main.command()
@click.argument("doc_id", required=False)
def documents(doc_id: str | None) -> None:
    """What GET /documents returns, or GET /documents/DOC_ID with its text."""
    try:
        engine = _engine()
        _print_json(engine.document(doc_id) if doc_id else engine.documents())
    except DocumentNotFound as err:
        _fail(err.message)
    except USER_ERRORS as err:
        _fail(str(err))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--replace", "replace", is_flag=True, help="Replace documents of the same name.")
@click.option("--json", "as_json", is_flag=True, help="Print the records POST /documents returns.")
def add(files: tuple[Path, ...], replace: bool, as_json: bool) -> None:
    """Copy FILES into the uploads folder and index them: POST /documents.

    The uploads folder is CITEQA_UPLOADS, by default CITEQA_HOME/uploads; with --replace a
    document's file is replaced where it is.
    """
    engine = _engine()
    writer = Writer(engine.settings, engine.encoder, engine.refresh, background_merges=False)
    records = []
    try:
        for path in files:
            data = path.read_bytes()
            name = safe_document_name(path.name)
            doc = writer.add(path.name, data, replace=name if replace else None)
            records.append((engine.summary(doc.id), writer.file_of(doc.id)[0]))
    except UnknownDocument as err:
        _fail(f"{err.message} (add it without --replace)")
    except WriteConflict as err:
        _fail(f"{err} (use --replace)")
    except USER_ERRORS as err:
        _fail(str(err))
    for record, stored in records:
        click.echo(
            record.model_dump_json()
            if as_json
            else f"added {record.id}: {record.passages} passages, stored in {stored}"
        )


@main.command()
@click.argument("doc_ids", nargs=-1, required=True)
def remove(doc_ids: tuple[str, ...]) -> None:
    """Remove documents from the index: DELETE /documents/{id}.

    A document added with `citeqa add` or POST /documents (its file in the uploads folder) has
    its file deleted. A document of an ingested source folder keeps its file: its id is recorded
    as excluded (CITEQA_HOME/excluded.json), so later ingests leave it out until `citeqa ingest
    --include ID`; `citeqa add FILE` indexes the file again as an upload.
    """
    engine = _engine()
    writer = Writer(engine.settings, engine.encoder, engine.refresh, background_merges=False)
    for doc_id in doc_ids:
        try:
            done = writer.remove(doc_id)
        except UnknownDocument as err:
            _fail(err.message)
        except USER_ERRORS as err:
            _fail(str(err))
        if done.deleted is not None:
            click.echo(f"removed {doc_id} and deleted its file {done.deleted}")
        else:
            click.echo(
                f"removed {doc_id}; later ingests leave it out "
                f"(`citeqa ingest --include {doc_id}` brings it back)"
            )


@main.command()
@click.option("--host", default=None, help="Address to bind (default CITEQA_HOST, 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default CITEQA_PORT, 8000).")
@click.option("--workers", type=int, default=None, help="Processes (default CITEQA_WORKERS, 1).")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the HTTP API."""
    settings = _settings()
    try:
        # Load the model here, once, so that one that cannot load stops `serve` with one line
        # rather than a traceback from each worker; an ONNX export is made here, not by each.
        settings.load_encoder(threads=1)
    except USER_ERRORS as err:
        _fail(str(err))
    if read_manifest(settings.home) is None:
        click.echo("no index yet: /ask answers 503 until `citeqa ingest` publishes one", err=True)
    # Each worker process builds its own app from the same CITEQA_* settings.
    uvicorn.run(
        "citeqa.service.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_level="info",
        access_log=False,  # citeqa logs each request itself, with its id (observability.py)
        timeout_graceful_shutdown=30,  # requests in flight finish on SIGTERM
    )


for command in entry_points(group="citeqa.commands"):
    main.add_command(command.load(), command.name)

if __name__ == "__main__":
    main()
