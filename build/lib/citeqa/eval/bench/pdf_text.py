"""PDF text extraction compared on real PDFs: pypdf, pypdfium2 and citeqa's PDF reader.

    python -m citeqa.eval.bench.pdf_text PDF_OR_FOLDER ... [--out var/bench]

Per file and extractor: glued words (words longer than 25 characters per 1,000 words: pages
whose spaces were lost come out as "Determinewhatfilesarecontained"), characters per word, and
the median milliseconds per page. poppler's `pdftotext`, when installed, is printed beside them
as a reference (it is not a dependency). Writes pdf_text.json.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pypdf
import pypdfium2

from citeqa.corpus.formats import pdf as citeqa_pdf

from .common import machine, write_json

_WORD = re.compile(r"\S+")


def _pypdf_pages(data: bytes) -> list[tuple[str, float]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    out = []
    for page in reader.pages:
        started = time.perf_counter()
        text = page.extract_text() or ""
        out.append((text, time.perf_counter() - started))
    return out


def _pdfium_pages(data: bytes) -> list[tuple[str, float]]:
    document = pypdfium2.PdfDocument(data)
    out = []
    try:
        for i in range(len(document)):
            started = time.perf_counter()
            page = document[i]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            out.append((text, time.perf_counter() - started))
    finally:
        document.close()
    return out


def _pdftotext_pages(path: Path) -> list[tuple[str, float]]:
    started = time.perf_counter()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    pages = text.split("\f")[:-1] or [text]
    each = (time.perf_counter() - started) / max(len(pages), 1)
    return [(p, each) for p in pages]


def _citeqa_pages(data: bytes, name: str) -> list[tuple[str, float]]:
    started = time.perf_counter()
    read = citeqa_pdf.read(data, name)
    bounds = [p.start for p in read.pages] + [len(read.text)]
    each = (time.perf_counter() - started) / max(len(read.pages), 1)
    return [(read.text[a:b], each) for a, b in itertools.pairwise(bounds)]


def figures(pages: list[tuple[str, float]]) -> dict[str, float]:
    words = [w for text, _ in pages for w in _WORD.findall(text)]
    n = max(len(words), 1)
    return {
        "pages": len(pages),
        "words": len(words),
        "glued_per_1000": round(1000 * sum(len(w) > 25 for w in words) / n, 2),
        "chars_per_word": round(sum(len(w) for w in words) / n, 2),
        "ms_per_page": round(1000 * statistics.median(t for _, t in pages), 2) if pages else 0.0,
    }


def measure(paths: list[Path]) -> dict[str, Any]:
    extractors: dict[str, Callable[[Path, bytes], list[tuple[str, float]]]] = {
        "pypdf": lambda _, data: _pypdf_pages(data),
        "pypdfium2": lambda _, data: _pdfium_pages(data),
        "citeqa": lambda path, data: _citeqa_pages(data, path.name),
    }
    if shutil.which("pdftotext"):
        extractors["pdftotext (reference)"] = lambda path, _: _pdftotext_pages(path)
    rows = []
    for path in paths:
        data = path.read_bytes()
        for name, extract in extractors.items():
            rows.append({"file": path.name, "extractor": name, **figures(extract(path, data))})
    return {"machine": machine(), "rows": rows}


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/bench"))
def main(inputs: tuple[Path, ...], out: Path) -> None:
    paths = sorted(p for i in inputs for p in ([i] if i.is_file() else i.rglob("*.pdf")))
    result = measure(paths)
    click.echo("| file | extractor | pages | words | glued /1000 words | chars/word | ms/page |")
    click.echo("|---|---|---:|---:|---:|---:|---:|")
    for r in result["rows"]:
        click.echo(
            f"| {r['file']} | {r['extractor']} | {r['pages']} | {r['words']} | "
            f"{r['glued_per_1000']} | {r['chars_per_word']} | {r['ms_per_page']} |"
        )
    click.echo(f"wrote {write_json(out, 'pdf_text.json', result)}")


if __name__ == "__main__":
    main()
