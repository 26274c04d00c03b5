"""OCR benchmark: real PDF pages rendered the way citeqa renders a scanned page, then recognised.

    python -m citeqa.eval.bench.ocr PDF_OR_FOLDER ... [--pages 6] [--out var/bench]

Each page that has a text layer is rendered at `ocr.OCR_DPI` with pdfium (as a scan of it would
look) and given to Tesseract through `ocr.recognise`, the function the loader uses. Printed:
seconds per page (median and p95 over all pages) and word recall (the share of the text layer's
words, of three letters or more, that the OCR text holds). Writes ocr.json.
"""

from __future__ import annotations

import re
import resource
import statistics
import time
from pathlib import Path
from typing import Any

import click
import numpy as np
import pypdfium2

from citeqa.corpus.formats import ocr

from .common import machine, write_json

_WORDS = re.compile(r"[a-z0-9]{3,}")


def _words(text: str) -> set[str]:
    return set(_WORDS.findall(text.lower()))


def _child_cpu() -> float:
    """CPU seconds used by finished child processes (Tesseract): unlike wall time, it does not
    grow when other jobs share the cores."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(paths: list[Path], pages_per_file: int) -> dict[str, Any]:
    rows = []
    for path in paths:
        document = pypdfium2.PdfDocument(path)
        try:
            # Skip the title and front matter: the middle pages are the body text a scan holds.
            start = min(3, max(len(document) - pages_per_file, 0))
            for index in range(start, min(start + pages_per_file, len(document))):
                page = document[index]
                textpage = page.get_textpage()
                truth = _words(textpage.get_text_range())
                if len(truth) < 20:  # a blank or figure page: nothing to measure recall by
                    textpage.close()
                    page.close()
                    continue
                bitmap = page.render(scale=ocr.OCR_DPI / 72, grayscale=True)
                image = bitmap.to_pil().copy()
                bitmap.close()
                textpage.close()
                page.close()
                started, cpu = time.perf_counter(), _child_cpu()
                text = ocr.recognise(image, path.name, index + 1)
                seconds = time.perf_counter() - started
                cpu_seconds = _child_cpu() - cpu
                recall = len(truth & _words(text)) / max(len(truth), 1)
                rows.append(
                    {
                        "file": path.name,
                        "page": index + 1,
                        "pixels": image.width * image.height,
                        "seconds": round(seconds, 3),
                        "cpu_seconds": round(cpu_seconds, 3),
                        "word_recall": round(recall, 3),
                    }
                )
        finally:
            document.close()
    times = [float(r["seconds"]) for r in rows]
    return {
        "machine": machine(),
        "dpi": ocr.OCR_DPI,
        "pages": len(rows),
        "seconds_per_page_median": round(statistics.median(times), 2) if rows else None,
        "seconds_per_page_p95": round(float(np.percentile(times, 95)), 2) if rows else None,
        "cpu_seconds_per_page_median": (
            round(statistics.median(float(r["cpu_seconds"]) for r in rows), 2) if rows else None
        ),
        "word_recall_median": (
            round(statistics.median(r["word_recall"] for r in rows), 3) if rows else None
        ),
        "rows": rows,
    }


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--pages", "pages_per_file", default=6, show_default=True, help="pages per PDF")
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/bench"))
def main(inputs: tuple[Path, ...], pages_per_file: int, out: Path) -> None:
    reason = ocr.ocr_missing_reason()
    if reason is not None:
        raise click.ClickException(reason)
    paths = sorted(p for i in inputs for p in ([i] if i.is_file() else i.rglob("*.pdf")))
    result = measure(paths, pages_per_file)
    click.echo("| file | page | seconds | CPU seconds | word recall |")
    click.echo("|---|---:|---:|---:|---:|")
    for r in result["rows"]:
        click.echo(
            f"| {r['file']} | {r['page']} | {r['seconds']} | {r['cpu_seconds']} | "
            f"{r['word_recall']} |"
        )
    click.echo(
        f"{result['pages']} pages at {result['dpi']} dpi: median "
        f"{result['seconds_per_page_median']} s/page (CPU "
        f"{result['cpu_seconds_per_page_median']} s), p95 {result['seconds_per_page_p95']} s, "
        f"median word recall {result['word_recall_median']}; load average "
        f"{result['machine']['load_average'][0]:.1f}"
    )
    click.echo(f"wrote {write_json(out, 'ocr.json', result)}")


if __name__ == "__main__":
    main()
