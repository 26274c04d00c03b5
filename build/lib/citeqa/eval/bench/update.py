"""Update benchmark: add one one-page document to a large index, against a full rebuild of it,
in one run (issue: under 2 s and at least 100x faster than the rebuild).

    python -m citeqa.eval.bench.update --home var/beir-scifact [--out var/bench] [--adds 3]

The home must hold an index of a folder (e.g. the one `make eval-scifact` builds); the rebuild
re-embeds that folder, so this takes as long as the first ingest did.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import click

from citeqa.corpus import parse_document
from citeqa.index.storage import IngestError, ingest, ingest_lock, read_manifest, update
from citeqa.service.settings import Settings

from .common import machine, write_json

PAGE = (
    "Field note {n}. The estuary survey counted wading birds at low tide along the northern "
    "mudflats, where the channel bends towards the old harbour wall. "
) * 12  # about 500 words: one printed page


def timed_add(home: Path, settings: Settings, encoder, n: int) -> float:  # type: ignore[no-untyped-def]
    """Seconds to add one document and publish the new version (the POST /documents path)."""
    doc = parse_document(PAGE.format(n=n).encode(), f"bench-note-{n}.txt")
    started = time.perf_counter()
    with ingest_lock(home):
        update(home, encoder, settings.build_options(encoder), upserts=[doc])
    return time.perf_counter() - started


@click.command()
@click.option("--home", type=click.Path(path_type=Path, exists=True), required=True)
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/bench"))
@click.option("--adds", default=3, help="Documents added one by one (the median is reported).")
def main(home: Path, out: Path, adds: int) -> None:
    home = home.resolve()
    manifest = read_manifest(home)
    if manifest is None or not manifest.roots:
        raise click.ClickException(f"{home} holds no index of a folder: run make eval-scifact")
    settings = Settings(home=home)
    encoder = settings.load_encoder()
    passages = manifest.passages
    add_seconds = [timed_add(home, settings, encoder, n) for n in range(adds)]
    with ingest_lock(home):  # take the added notes out again before timing the rebuild
        ids = [f"bench-note-{n}.txt" for n in range(adds)]
        update(home, encoder, settings.build_options(encoder), deletes=ids)
    click.echo(
        f"add one page to {passages} passages: {statistics.median(add_seconds):.2f} s "
        f"(median of {adds}); full rebuild of the same index ...",
        err=True,
    )
    started = time.perf_counter()
    try:
        ingest(
            [Path(r) for r in manifest.roots],
            encoder,
            home,
            settings.build_options(encoder, progress=True),
            rebuild=True,
        )
    except IngestError as err:
        raise click.ClickException(str(err)) from err
    rebuild = time.perf_counter() - started
    add = statistics.median(add_seconds)
    result = {
        "machine": machine(),
        "home": str(home),
        "passages": passages,
        "add_one_page_seconds": [round(s, 3) for s in add_seconds],
        "add_median_seconds": round(add, 3),
        "rebuild_seconds": round(rebuild, 1),
        "rebuild_over_add": round(rebuild / add, 1),
    }
    path = write_json(out, "update.json", result)
    click.echo(
        f"add one page: {add:.2f} s | full rebuild: {rebuild:.0f} s | "
        f"{rebuild / add:.0f}x | -> {path}"
    )


if __name__ == "__main__":
    main()
