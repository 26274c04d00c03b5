"""PDF: the text layer read by pdfium (pypdfium2), page labels and metadata by pypdf, pages
without a text layer recognised by Tesseract; then cleaned (`pdf_clean`) and joined into
paragraphs with a page map and headings (`pdf_layout`). Every passage keeps its page.

pdfium keeps the spaces between words where pypdf loses them on common TeX and DocBook output
(docs/formats.md has the measurement), and extracts a page 20-50 times faster.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image

from . import ocr
from .base import DocumentError, Format, Read
from .pdf_clean import drop_navigation, drop_running_lines, page_lines, restore_underscores
from .pdf_layout import choose_title, join_lines

# pdfium is not thread-safe: one document at a time is read in a process (uploads and ingest
# may run in worker threads); Tesseract runs outside the lock.
_PDFIUM = threading.Lock()
# A page with fewer letters than this and an image on it is a scan (perhaps with a stamped page
# number or a scanner's header); a page with neither is blank.
_TEXT_LAYER_MIN_CHARS = 20
# Title: lines set at least this much larger than the first page's median type.
_TITLE_SIZE_RATIO = 1.2
# ... or at least this size in points (body text is 9-12 pt; a title page may hold no body text).
_TITLE_MIN_POINTS = 16.0


@dataclass
class _Extracted:
    texts: list[str] = field(default_factory=list)  # one per page, "" until OCR fills it
    scanned: list[int] = field(default_factory=list)  # 0-based pages that need OCR
    large_lines: list[str] = field(default_factory=list)  # the first page's largest type


def read(data: bytes, doc_id: str) -> Read:
    """Text with its page map; headings are short title-like lines (PDFs rarely tag them)."""
    if b"%PDF-" not in data[:1024]:
        raise DocumentError(f"{doc_id}: not a PDF (no %PDF header)")
    labels, title, author = _pypdf_facts(data, doc_id)
    extracted = _extract(data, doc_id)
    if not any(t.strip() for t in extracted.texts) and not extracted.scanned:
        raise DocumentError(f"{doc_id}: the PDF has no text: its pages are blank")
    pages_lines = [page_lines(t) for t in extracted.texts]
    pages_lines = drop_running_lines(pages_lines, labels)
    pages_lines, _ = drop_navigation(pages_lines)
    pages_lines = restore_underscores(pages_lines)
    text, pages, headings = join_lines(pages_lines, labels, author)
    stem = PurePosixPath(doc_id).name[: -len(".pdf")] or doc_id
    return Read(
        text, pages, headings, choose_title(title, author, extracted.large_lines, headings, stem)
    )


def _pypdf_facts(data: bytes, doc_id: str) -> tuple[list[str], str, str]:
    """(page labels, /Title, /Author): what pypdf reads that pdfium does not expose as well."""
    # On first use: pypdf takes ~0.13 s to import, which only reading a PDF needs.
    import pypdf
    from pypdf.errors import DependencyError, PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as err:  # e.g. AES without the optional crypto library
                raise DocumentError(f"{doc_id}: the PDF is encrypted ({err})") from err
            if not opened:
                raise DocumentError(f"{doc_id}: the PDF is password-protected")
        labels = list(reader.page_labels)
        meta = reader.metadata
        title = str(meta.get("/Title") or "") if meta else ""
        author = str(meta.get("/Author") or "") if meta else ""
    except DocumentError:
        raise
    except PdfReadError as err:
        raise DocumentError(f"{doc_id}: not a readable PDF ({err})") from err
    except DependencyError as err:  # pypdf needs a crypto library to even try the empty password
        raise DocumentError(f"{doc_id}: the PDF is encrypted; remove the encryption first") from err
    except Exception as err:
        # A damaged PDF can fail anywhere inside pypdf, with any exception type (stream filters,
        # reference loops, bad operators); whatever it is, the file is unreadable, not the server.
        raise DocumentError(f"{doc_id}: not a readable PDF ({type(err).__name__})") from err
    return labels, title, author


def _extract(data: bytes, doc_id: str) -> _Extracted:
    """Each page's text layer, and OCR of the pages that have none."""
    out = _Extracted()
    try:
        with _PDFIUM:
            document = pypdfium2.PdfDocument(data)
        try:
            with _PDFIUM:
                for index in range(len(document)):
                    page = document[index]
                    textpage = page.get_textpage()
                    text = textpage.get_text_range()
                    if index == 0:
                        out.large_lines = _largest_lines(textpage)
                    if len(text.strip()) < _TEXT_LAYER_MIN_CHARS and _has_image(page):
                        out.scanned.append(index)
                        text = ""
                    out.texts.append(text)
                    textpage.close()
                    page.close()
            if ocr.tesseract_path() is None and any(t.strip() for t in out.texts):
                # Without Tesseract a PDF with a text layer is still indexed, without the text
                # of its scanned or figure-only pages; a PDF of scans alone is refused below.
                out.scanned = []
            ocr.check_pages(doc_id, len(out.scanned))
            for index in out.scanned:
                with _PDFIUM:
                    image = _render(document, index, doc_id)
                out.texts[index] = ocr.recognise(image, doc_id, index + 1)
        finally:
            with _PDFIUM:
                document.close()
    except DocumentError:
        raise
    except pypdfium2.PdfiumError as err:
        raise DocumentError(f"{doc_id}: not a readable PDF ({err})") from err
    except Exception as err:  # pdfium fails on damaged files in ways pypdf did not notice
        raise DocumentError(f"{doc_id}: not a readable PDF ({type(err).__name__})") from err
    return out


def _has_image(page: pypdfium2.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _render(document: pypdfium2.PdfDocument, index: int, doc_id: str) -> Image.Image:
    """A page at OCR_DPI, or smaller when that would pass the pixel bound (a huge page box)."""
    page = document[index]
    try:
        width, height = page.get_size()  # points, 1/72 inch
        scale = ocr.OCR_DPI / 72
        pixels = width * height * scale * scale
        if pixels > ocr.MAX_PIXELS:
            scale *= (ocr.MAX_PIXELS / pixels) ** 0.5
        if width * scale < 1 or height * scale < 1:
            raise DocumentError(f"{doc_id}: page {index + 1} has no area to render")
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            return bitmap.to_pil().copy()  # the PIL view shares the bitmap's memory
        finally:
            bitmap.close()
    finally:
        page.close()


def _largest_lines(textpage: pypdfium2.PdfTextPage) -> list[str]:
    """The lines of a page set in its largest type, when that is well above the body's size."""
    lines: list[tuple[str, float]] = []
    chars: list[str] = []
    size = 0.0
    sizes: list[float] = []
    for i in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
        if char in "\r\n":
            if chars:
                lines.append(("".join(chars), size))
            chars, size = [], 0.0
            continue
        chars.append(char)
        if not char.isspace():
            char_size = pdfium_c.FPDFText_GetFontSize(textpage.raw, i)
            size = max(size, char_size)
            sizes.append(char_size)
    if chars:
        lines.append(("".join(chars), size))
    if not sizes:
        return []
    median = sorted(sizes)[len(sizes) // 2]
    top = max(s for _, s in lines)
    if top < _TITLE_SIZE_RATIO * median and top < _TITLE_MIN_POINTS:
        return []
    # The first run of lines in the largest type (a title set on two lines), at most three.
    first = next(i for i, (_, s) in enumerate(lines) if s >= 0.95 * top)
    run = []
    for line, s in lines[first : first + 3]:
        if s < 0.95 * top:
            break
        run.append(line.replace("\x02", "").replace("\ufffe", ""))
    return run


FORMATS = (Format("pdf", (".pdf",), read, locator="page"),)
