"""Real PDFs made inside the tests (fpdf2 writes them, pypdf adds page labels)."""

from __future__ import annotations

from pathlib import Path

import pypdf
from fpdf import FPDF
from fpdf.enums import XPos, YPos


def make_pdf(
    path: Path,
    pages: list[list[str]],
    *,
    title: str | None = None,
    labels: list[tuple[int, str, int]] | None = None,
) -> Path:
    """One PDF page per item of `pages`, each line written exactly as given ("" = blank line).

    `labels`: (first page index, pypdf label style such as "/r" or "/D", first number).
    """
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    if title:
        pdf.set_title(title)
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        for line in lines:
            pdf.cell(0, 6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.output(str(path))
    if labels:
        writer = pypdf.PdfWriter(clone_from=str(path))
        ends = [start for start, _, _ in labels[1:]] + [len(pages)]
        for (start, style, first), end in zip(labels, ends, strict=True):
            writer.set_page_label(start, end - 1, style=style, start=first)
        writer.write(str(path))
    return path
