"""`citeqa`: the command line, a mirror of the HTTP API over the same `Engine`.

The commands of other stages join through the `citeqa.commands` entry point group (eval adds
`citeqa eval` there), so the service stage never imports a stage that comes after it; nothing
imports this module.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import NoReturn

import click
import uvicorn
from pydantic import BaseModel, ValidationError

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
from citeqa.index.vectorstores import VectorStoreError

from . import collections
from .client import Client, ServiceError
from .collections import CollectionError
from .engine import MAX_PAGE, DocumentNotFound, Engine, InvalidQuestion, check_question
from .models import AskResponse, DocumentList, DocumentSummary, Filter
from .settings import Settings, load_settings
from .watch import Watcher, log_to_stderr, watched_roots
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
USER_ERRORS = (
    IngestError,
    ModelError,
    StoreError,
    InvalidQuestion,
    DocumentError,
    OSError,
    VectorStoreError,  # a Milvus server unreachable: one line, not a traceback
)


def _fail(message: str) -> NoReturn:
    raise click.ClickException(message)


def _settings() -> Settings:
    try:
        settings = load_settings()
    except ValueError as err:
        _fail(str(err))
    name = _collection()
    if name is None:
        return settings
    try:
        return collections.collection_settings(settings, name)
    except CollectionError as err:
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


# --- collections: `--collection NAME` and `citeqa collections` ---------------------------------


def _remember_collection(ctx: click.Context, _: click.Parameter, name: str | None) -> None:
    if name is not None:
        try:
            collections.check_name(name)
        except CollectionError as err:
            _fail(f"--collection: {err}")
        ctx.meta["citeqa.collection"] = name


def _collection_option(command):  # type: ignore[no-untyped-def]
    """--collection NAME: act on collection NAME (its home under CITEQA_HOME/collections, or
    /collections/NAME/ of the --url service) instead of the default one."""
    return click.option(
        "--collection",
        default=None,
        metavar="NAME",
        envvar="CITEQA_COLLECTION",
        expose_value=False,
        is_eager=True,
        callback=_remember_collection,
        help="Act on collection NAME instead of the default one (default: CITEQA_COLLECTION).",
    )(command)


def _collection() -> str | None:
    context = click.get_current_context(silent=True)
    return context.meta.get("citeqa.collection") if context else None


@main.group("collections")
def collections_group() -> None:
    """List, create and delete collections: named corpora with their own index and keys.

    In process they live under CITEQA_HOME/collections; with --url the service's admin routes
    are called with the admin key (--key, default CITEQA_ADMIN_KEY).
    """


def _admin_options(command):  # type: ignore[no-untyped-def]
    command = click.option(
        "--key", default=None, help="The admin key for --url (default: CITEQA_ADMIN_KEY)."
    )(command)
    return click.option(
        "--url", default=None, metavar="URL", help="Act on the citeqa service at URL."
    )(command)


def _admin(url: str, key: str | None) -> Client:
    return Client(url, key or os.environ.get("CITEQA_ADMIN_KEY") or None)


@collections_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of GET /collections.")
@_admin_options
def collections_list(as_json: bool, url: str | None, key: str | None) -> None:
    """The collections and their document counts."""
    try:
        if url is not None:
            with _admin(url, key) as client:
                found = client.call("GET", "/collections").json()["collections"]
        else:
            found = collections.listing(_settings())
    except (ServiceError, *USER_ERRORS) as err:
        _fail(str(err))
    if as_json:
        _print_json({"collections": found})
        return
    for item in found:
        click.echo(f"{item['name']}\t{item['documents']} documents")


@collections_group.command("create")
@click.argument("name")
@click.option("--api-key", required=True, help="The collection's write key (16+ characters).")
@click.option("--read-key", default=None, help="Its read key; without one reads need --api-key.")
@_admin_options
def collections_create(
    name: str, api_key: str, read_key: str | None, url: str | None, key: str | None
) -> None:
    """Create collection NAME with its keys (kept as sha256 digests, never in clear)."""
    try:
        if url is not None:
            body = {"name": name, "api_key": api_key, "read_key": read_key}
            with _admin(url, key) as client:
                client.call("POST", "/collections", json=body)
        else:
            collections.create(_settings(), name, api_key, read_key)
    except (ServiceError, CollectionError, *USER_ERRORS) as err:
        _fail(str(err))
    click.echo(f"created collection {name}")


@collections_group.command("delete")
@click.argument("name")
@_admin_options
def collections_delete(name: str, url: str | None, key: str | None) -> None:
    """Delete collection NAME: its index, uploads and keys."""
    try:
        if url is not None:
            with _admin(url, key) as client:
                client.call("DELETE", f"/collections/{name}")
        else:
            collections.delete(_settings(), name)
    except (ServiceError, CollectionError, *USER_ERRORS) as err:
        _fail(str(err))
    click.echo(f"deleted collection {name}")


# An ingest removing more than this many documents, and this share of the index, needs --prune.
PRUNE_ABOVE_DOCUMENTS = 3
PRUNE_ABOVE_SHARE = 0.10


@main.command("ingest")
@_collection_option
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
        options = settings.build_options(
            encoder,
            progress=sys.stderr.isatty() and not as_json,
            log_progress=not sys.stderr.isatty(),
        )
        if not options.embeds_with_encoder:
            encoder.release()  # ~100 MB this ingest would hold and never run
        report = ingest(
            roots,
            encoder,
            settings.home,
            options,
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
        + f": {report.passages_embedded} passages and {report.sentences_embedded} sentences"
        + (
            f"; {report.passages_resumed} passages' vectors resumed"
            if report.passages_resumed
            else ""
        )
        + ") "
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


def _service_options(access: str):  # type: ignore[no-untyped-def]
    """--url and --key: act on a running service over HTTP instead of the local index."""
    env = "CITEQA_API_KEY" if access == "write" else "CITEQA_READ_KEY or CITEQA_API_KEY"

    def decorate(command):  # type: ignore[no-untyped-def]
        command = click.option(
            "--key",
            default=None,
            help=f"X-API-Key for --url (default: {env}).",
        )(command)
        command = _collection_option(command)
        return click.option(
            "--url",
            default=None,
            metavar="URL",
            help="Act on the citeqa service at URL (e.g. http://127.0.0.1:8000) over HTTP.",
        )(command)

    return decorate


def _client(url: str, key: str | None, access: str) -> Client:
    if key is None:
        names = ["CITEQA_API_KEY"] if access == "write" else ["CITEQA_READ_KEY", "CITEQA_API_KEY"]
        key = next((os.environ[n] for n in names if os.environ.get(n)), None)
    name = _collection()
    return Client(f"{url.rstrip('/')}/collections/{name}" if name else url, key)


def _scope(
    raw: str | None,
    documents: tuple[str, ...],
    folders: tuple[str, ...],
    kinds: tuple[str, ...],
    title: str | None,
    meta: tuple[str, ...],
) -> Filter | None:
    """The filter of `citeqa ask`: --filter's JSON object, with the shortcut options added."""
    try:
        given = json.loads(raw) if raw else {}
    except ValueError as err:
        _fail(f"--filter is not valid JSON ({err})")
    if not isinstance(given, dict):
        _fail('--filter must be a JSON object, e.g. \'{"folder": "reports/"}\'')
    for name, values in (("documents", documents), ("folder", folders), ("kind", kinds)):
        if values:
            given[name] = [*_as_list(given.get(name)), *values]
    if title is not None:
        given["title"] = title
    for item in meta:
        name, sep, value = item.partition("=")
        if not sep or not name:
            _fail(f"--meta takes NAME=VALUE, got {item!r}")
        given.setdefault("meta", {})
        if not isinstance(given["meta"], dict):
            _fail("--filter's meta must be a JSON object")
        given["meta"][name] = [*_as_list(given["meta"].get(name)), value]
    if not given:
        return None
    try:
        return Filter.model_validate(given)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in ("filter", *first["loc"]))
        _fail(f"{where}: {first['msg']}")


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@main.command()
@click.argument("question")
@click.option("-k", type=int, default=None, help="How many passages (default CITEQA_DEFAULT_K).")
@click.option("--json", "as_json", is_flag=True, help="Print exactly the body POST /ask returns.")
@click.option("--filter", "raw_filter", metavar="JSON", help="A filter object (docs/filters.md).")
@click.option(
    "--document",
    "-d",
    "documents",
    multiple=True,
    metavar="ID",
    help="Only this document (repeatable).",
)
@click.option(
    "--folder",
    "folders",
    multiple=True,
    metavar="PREFIX",
    help='Only documents under this folder, e.g. "reports/" (repeatable).',
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    help="Only documents of this format: pdf, md, ... (repeatable).",
)
@click.option(
    "--title", default=None, metavar="WORDS", help="Only documents whose title has all these words."
)
@click.option(
    "--meta",
    multiple=True,
    metavar="NAME=VALUE",
    help="Only documents with this metadata value (repeatable).",
)
@_service_options("read")
def ask(
    question: str,
    k: int | None,
    as_json: bool,
    raw_filter: str | None,
    documents: tuple[str, ...],
    folders: tuple[str, ...],
    kinds: tuple[str, ...],
    title: str | None,
    meta: tuple[str, ...],
    url: str | None,
    key: str | None,
) -> None:
    """Answer QUESTION with the most relevant cited passages (of the filtered documents)."""
    scope = _scope(raw_filter, documents, folders, kinds, title, meta)
    if url is not None:
        try:
            with _client(url, key, "read") as client:
                answer = client.ask(question, k, scope)
        except ServiceError as err:
            _fail(str(err))
    else:
        settings = _settings()
        try:
            check_question(settings, question, k)  # before the slow model load
            answer = _engine(settings).ask(question, k, scope)
        except USER_ERRORS as err:
            _fail(str(err))
    if as_json:
        click.echo(answer.model_dump_json())
        return
    _print_answer(answer)


def _print_answer(answer: AskResponse) -> None:
    if answer.scope is not None and answer.scope.passages == 0:
        unknown = answer.scope.unknown_documents
        click.secho(
            "No document matches the filter"
            + (f" (unknown ids: {', '.join(unknown)})" if unknown else ""),
            fg="yellow",
        )
        return
    sure = f"confidence {answer.confidence:.2f}"
    if not answer.answerable:
        click.secho(f"No passage answers this ({sure}); the closest ones:", fg="yellow")
    elif answer.answer is not None:
        click.secho(f"Answer: {answer.answer.text}", fg="green", bold=True, nl=False)
        click.echo(f"  ({sure})")
        click.echo()
    else:
        click.echo(f"{sure.capitalize()}")
        click.echo()
    for p in answer.passages:
        c = p.citation
        source = ", ".join(x for x in (c.document, c.location.text) if x)
        # The cosine, not the fused score: that is 1 for whatever ranks first.
        line = f"[{p.rank}] similarity {p.dense_score:.2f}  {source}  chars {c.start}-{c.end}"
        click.secho(line, bold=True)
        a, b = p.highlight.start, p.highlight.end
        click.echo(p.text[:a] + click.style(p.text[a:b], fg="green", bold=True) + p.text[b:])
        click.echo()


@main.command()
@_service_options("read")
def stats(url: str | None, key: str | None) -> None:
    """What GET /stats returns: the index's size, model and version."""
    try:
        if url is not None:
            with _client(url, key, "read") as client:
                _print_json(client.stats())
            return
        _print_json(_engine().stats())
    except ServiceError as err:
        _fail(str(err))
    except USER_ERRORS as err:
        _fail(str(err))


@main.command()
@click.argument("doc_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of GET /documents.")
@_service_options("read")
def documents(doc_id: str | None, as_json: bool, url: str | None, key: str | None) -> None:
    """The indexed documents as a table (id, kind, pages, passages, title); with DOC_ID, the
    JSON of GET /documents/DOC_ID, its text and metadata included.

    --json prints every page of GET /documents joined into one list (next_cursor null)."""
    try:
        if url is not None:
            with _client(url, key, "read") as client:
                if doc_id:
                    _print_json(client.document(doc_id))
                    return
                pages = list(client.all_documents())
        else:
            engine = _engine()
            if doc_id:
                _print_json(engine.document(doc_id))
                return
            pages = list(_local_pages(engine))
    except DocumentNotFound as err:
        _fail(err.message)
    except ServiceError as err:
        _fail(str(err))
    except USER_ERRORS as err:
        _fail(str(err))
    listed = [d for page in pages for d in page.documents]
    if as_json:
        whole = pages[-1].model_copy(update={"documents": listed, "next_cursor": None})
        _print_json(whole)
        return
    _print_table(listed)


def _local_pages(engine: Engine) -> Iterator[DocumentList]:
    cursor = None
    while True:
        page = engine.documents(MAX_PAGE, cursor)
        yield page
        cursor = page.next_cursor
        if cursor is None:
            return


def _print_table(listed: list[DocumentSummary]) -> None:
    rows = [("id", "kind", "pages", "passages", "title")] + [
        (d.id, d.kind, str(d.pages or ""), str(d.passages), d.title) for d in listed
    ]
    widths = [min(max(len(row[i]) for row in rows), 60) for i in range(4)]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [row[2].rjust(widths[2]), row[3].rjust(widths[3]), row[4]]
        click.echo("  ".join(cells).rstrip())
    click.echo(f"{len(listed)} documents", err=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--replace", "replace", is_flag=True, help="Replace documents of the same name.")
@click.option("--json", "as_json", is_flag=True, help="Print the records POST /documents returns.")
@_service_options("write")
def add(
    files: tuple[Path, ...], replace: bool, as_json: bool, url: str | None, key: str | None
) -> None:
    """Copy FILES into the uploads folder and index them: POST /documents.

    The uploads folder is CITEQA_UPLOADS, by default CITEQA_HOME/uploads; with --replace a
    document's file is replaced where it is. With --url the files are uploaded to that service.
    """
    if url is not None:
        try:
            with _client(url, key, "write") as client:
                for path in files:
                    name = safe_document_name(path.name)
                    record = client.add(path, replace=name if replace else None)
                    click.echo(
                        record.model_dump_json()
                        if as_json
                        else f"added {record.id}: {record.passages} passages"
                    )
        except ServiceError as err:
            _fail(str(err))
        except USER_ERRORS as err:
            _fail(str(err))
        return
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
@_service_options("write")
def remove(doc_ids: tuple[str, ...], url: str | None, key: str | None) -> None:
    """Remove documents from the index: DELETE /documents/{id}.

    A document added with `citeqa add` or POST /documents (its file in the uploads folder) has
    its file deleted. A document of an ingested source folder keeps its file: its id is recorded
    as excluded (CITEQA_HOME/excluded.json), so later ingests leave it out until `citeqa ingest
    --include ID`; `citeqa add FILE` indexes the file again as an upload.
    """
    if url is not None:
        try:
            with _client(url, key, "write") as client:
                for doc_id in doc_ids:
                    client.remove(doc_id)
                    click.echo(f"removed {doc_id}")
        except ServiceError as err:
            _fail(str(err))
        return
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
@click.option(
    "--watch",
    is_flag=True,
    help="Keep the index in step with its source folders while serving (CITEQA_WATCH).",
)
def serve(host: str | None, port: int | None, workers: int | None, watch: bool) -> None:
    """Serve the HTTP API."""
    settings = _serve_settings(watch, workers)
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


def _serve_settings(watch: bool, workers: int | None) -> Settings:
    """The settings of `serve`; --watch reaches the app (built from the environment, in each
    worker) as CITEQA_WATCH."""
    import os  # here, beside its one use

    if watch:
        if (workers or 1) > 1:
            _fail("--watch needs one worker: one process watches and writes")
        os.environ["CITEQA_WATCH"] = "true"
    return _settings()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def watch(paths: tuple[Path, ...]) -> None:
    """Keep the index in step with PATHS (default: its sources of record) until Ctrl-C.

    A saved, added, renamed or deleted file is indexed or removed within seconds; a burst of
    changes becomes one new index version, printed as one line. PATHS join the sources of
    record. Editors' temporary files are ignored; unreadable files are reported and skipped.
    """
    # Imported here, beside the one command that needs them.
    import signal
    import time
    from contextlib import suppress

    settings = _settings()
    try:
        roots = [p.absolute() for p in paths] or watched_roots(settings)
        encoder = settings.load_encoder()
        for note in recover_corpus(settings):
            click.echo(f"interrupted write: {note}", err=True)
        writer = Writer(settings, encoder, lambda: None, background_merges=False)
        watcher = Watcher(settings, writer, roots, on_batch=lambda b: click.echo(b.line()))
    except USER_ERRORS as err:
        _fail(str(err))
    log_to_stderr()  # what is watched, skipped files and failed writes: a line each
    signal.signal(signal.SIGTERM, lambda *_: watcher.stopping.set())
    watcher.start()
    # The watcher thread writes; this one waits for Ctrl-C (or SIGTERM), then lets a write in
    # progress finish. A second Ctrl-C leaves at once: an unfinished write is never published.
    with suppress(KeyboardInterrupt):
        while watcher.running():
            time.sleep(0.2)
    with suppress(KeyboardInterrupt):
        watcher.stop()
    if watcher.error:
        _fail(watcher.error)
    click.echo("stopped watching", err=True)


for command in entry_points(group="citeqa.commands"):
    main.add_command(command.load(), command.name)

if __name__ == "__main__":
    main()
