"""A .docx made with python-docx for the tests: a title, two heading levels, a list and a table."""

from __future__ import annotations

import io

import docx


def lighthouse_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Lighthouse Manual"
    document.add_heading("Lighthouse Keeping", level=1)
    document.add_paragraph("The keeper lights the lamp at dusk and trims the wick at midnight.")
    document.add_heading("Supplies", level=2)
    document.add_paragraph("paraffin oil", style="List Bullet")
    document.add_paragraph("spare wicks", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Item", (0, 1): "Stock", (1, 0): "Oil"}.items():
        table.cell(row, col).text = text
    table.cell(1, 1).text = "forty gallons"
    document.add_paragraph("The oil store is checked every Sunday.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
