"""Excel workbooks (.xlsx, openpyxl in read-only mode): each worksheet's rows, as `rows.RowText`
lays them out (a sheet is a section, a data row a located paragraph with its header repeated).

openpyxl's read-only mode streams each sheet's XML instead of building every cell in memory; the
sheet's declared dimensions are dropped (`reset_dimensions`), so a sheet claiming A1:XFD1048576
is read for the rows it really has. Cached formula results are read (`data_only`), as a
spreadsheet shows them. The package passes `zips.open_package` first.
"""

from __future__ import annotations

import io
from pathlib import PurePosixPath

from .base import DocumentError, Format, Read
from .rows import RowText
from .zips import open_package


def read(data: bytes, doc_id: str) -> Read:
    import openpyxl  # on first use: a third of a second every command would pay at start

    open_package(data, doc_id, ".xlsx").close()
    rows = RowText(doc_id)
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as err:
        # A damaged package fails anywhere inside openpyxl (a missing part, bad XML, a wrong
        # content type); whatever it is, the file is unreadable, not the server.
        raise DocumentError(f"{doc_id}: not a readable .xlsx ({type(err).__name__})") from err
    try:
        title = book.properties.title or PurePosixPath(doc_id).stem
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # type: ignore[union-attr]
            rows.add_sheet(sheet.title, sheet.iter_rows(values_only=True))
    except DocumentError:
        raise
    except Exception as err:
        raise DocumentError(f"{doc_id}: not a readable .xlsx ({type(err).__name__})") from err
    finally:
        book.close()
    return rows.read(title)


FORMATS = (Format("xlsx", (".xlsx",), read, locator="row"),)
