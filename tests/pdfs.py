"""Real PDFs and page images made inside the tests: fpdf2 writes the PDFs, pypdf adds page labels,
Pillow draws text with a real TrueType font (DejaVu Sans, bundled with matplotlib)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import matplotlib
import pypdf
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image, ImageDraw, ImageFont

DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"

# A line of a text page: its text, or (text, font size in points).
Line = str | tuple[str, float]


def make_pdf(
    path: Path,
    pages: list[list[Line]] | list[list[Line] | Image.Image],
    *,
    title: str | None = None,
    author: str | None = None,
    labels: list[tuple[int, str, int]] | None = None,
    unicode_font: bool = False,
) -> Path:
    """One PDF page per item of `pages`, each line written exactly as given ("" = blank line);
    an image item is a scanned page: the image over the whole page and no text layer.

    `labels`: (first page index, pypdf label style such as "/r" or "/D", first number).
    `unicode_font`: DejaVu Sans (ligatures and any Unicode) instead of the core Helvetica.
    """
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    family = "Helvetica"
    if unicode_font:
        pdf.add_font("DejaVu", fname=str(DEJAVU))
        family = "DejaVu"
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    for item in pages:
        pdf.add_page()
        if isinstance(item, Image.Image):
            pdf.image(item, x=0, y=0, w=pdf.w)  # its own aspect, from the top
            continue
        for line in item:
            text, size = line if isinstance(line, tuple) else (line, 11.0)
            pdf.set_font(family, size=size)
            pdf.cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.output(str(path))
    if labels:
        writer = pypdf.PdfWriter(clone_from=str(path))
        ends = [start for start, _, _ in labels[1:]] + [len(pages)]
        for (start, style, first), end in zip(labels, ends, strict=True):
            writer.set_page_label(start, end - 1, style=style, start=first)
        writer.write(str(path))
    return path


def text_image(lines: list[str], *, size: int = 40, width: int = 2000) -> Image.Image:
    """Black text on a white page, as a 300 dpi scan of 14 pt type would show it."""
    font = ImageFont.truetype(str(DEJAVU), size)
    height = 200 + len(lines) * int(size * 1.8)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((100, 100 + i * int(size * 1.8)), line, fill=0, font=font)
    return image


def image_bytes(images: list[Image.Image], fmt: str) -> bytes:
    """The images as one file of `fmt` ("PNG", "JPEG", "TIFF": several images are its pages)."""
    buffer = io.BytesIO()
    first, *rest = images
    if rest:
        first.save(buffer, format=fmt, save_all=True, append_images=rest)
    else:
        first.save(buffer, format=fmt)
    return buffer.getvalue()


def png_claiming_size(width: int, height: int) -> bytes:
    """A valid PNG of 1 x 1 pixel whose header claims `width` x `height`: a decompression bomb's
    header (the real thing would inflate to gigabytes)."""
    small = image_bytes([Image.new("L", (1, 1), 255)], "PNG")
    ihdr_at = small.index(b"IHDR")
    body = b"IHDR" + struct.pack(">II", width, height) + small[ihdr_at + 12 : ihdr_at + 17]
    chunk = body + struct.pack(">I", zlib.crc32(body))
    return small[:ihdr_at] + chunk + small[ihdr_at + len(chunk) :]
