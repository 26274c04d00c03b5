"""Files made for the tests with each format's own library: a deck (python-pptx), a workbook
(openpyxl), a CSV (csv), an EPUB (zipfile, laid out as the EPUB 3 specification says) and an
e-mail (email.message.EmailMessage)."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from email.message import EmailMessage

import openpyxl
import pptx
from pptx.util import Inches


def volcano_pptx() -> bytes:
    """Three slides: a title and body, a table with speaker notes, and a slide with no text."""
    deck = pptx.Presentation()
    deck.core_properties.title = "Volcano Talk"
    first = deck.slides.add_slide(deck.slide_layouts[1])  # title and content
    first.shapes.title.text = "Mount Fuji"
    first.placeholders[1].text_frame.text = "Mount Fuji last erupted in 1707.\nIt is 3,776 m high."
    second = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    second.shapes.title.text = "Eruptions"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    for (row, col), text in {(0, 0): "Volcano", (0, 1): "Year", (1, 0): "Krakatoa"}.items():
        table.cell(row, col).text = text
    table.cell(1, 1).text = "1883"
    second.notes_slide.notes_text_frame.text = "The Krakatoa blast was heard 4,800 km away."
    deck.slides.add_slide(deck.slide_layouts[6])  # blank
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


VOLCANO_TEXT = (
    "Mount Fuji\n\n"
    "Mount Fuji last erupted in 1707.\nIt is 3,776 m high.\n\n"
    "Eruptions\n\n"
    "Volcano | Year\nKrakatoa | 1883\n\n"
    "Notes: The Krakatoa blast was heard 4,800 km away."
)


def capitals_xlsx() -> bytes:
    """Two sheets with headers, an empty row between data rows, a number and a date."""
    book = openpyxl.Workbook()
    capitals = book.active
    capitals.title = "Capitals"
    capitals.append(["Country", "Capital", "Population"])
    capitals.append(["Laos", "Vientiane", "7.4 million"])
    capitals.append([])
    capitals.append(["Cambodia", "Phnom Penh", "17 million"])
    rivers = book.create_sheet("Rivers")
    rivers.append(["River", "Length km", "Surveyed"])
    rivers.append(["Mekong", 4909.0, None])
    rivers["C2"] = datetime.date(2019, 5, 1)
    book.properties.title = "Mainland Southeast Asia"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CAPITALS_TEXT = (
    "Capitals\n\n"
    "Country: Laos; Capital: Vientiane; Population: 7.4 million\n\n"
    "Country: Cambodia; Capital: Phnom Penh; Population: 17 million\n\n"
    "Rivers\n\n"
    "River: Mekong; Length km: 4909; Surveyed: 2019-05-01"
)


def harbours_csv(delimiter: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["Harbour", "Depth", "Notes"])
    writer.writerow(["Port Klang", "15 m", "Busiest port; in Malaysia"])
    writer.writerow(["", "", ""])
    writer.writerow(["Laem Chabang", "16 m", "Gulf of Thailand"])
    return out.getvalue().encode("utf-8")


HARBOURS_TEXT = (
    "Harbour: Port Klang; Depth: 15 m; Notes: Busiest port; in Malaysia\n\n"
    "Harbour: Laem Chabang; Depth: 16 m; Notes: Gulf of Thailand"
)

_CONTAINER = b"""<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""

_OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:x</dc:identifier>
<dc:title>Tales of the Mekong</dc:title><dc:language>en</dc:language></metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="c1" href="text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>
<item id="css" href="style.css" media-type="text/css"/>
</manifest>
<spine><itemref idref="nav"/><itemref idref="c2"/><itemref idref="c1"/></spine>
</package>"""


def _chapter(title: str, body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{title}</title></head>'
        f"<body>{body}</body></html>"
    ).encode()


def mekong_epub(opf: str = _OPF, extra: dict[str, bytes] | None = None) -> bytes:
    """Spine order c2 then c1 (not the manifest's); c2 opens with a heading, c1 does not."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", _CONTAINER, zipfile.ZIP_DEFLATED)
        archive.writestr("OEBPS/content.opf", opf, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "OEBPS/nav.xhtml", _chapter("Contents", "<nav><ol><li>Chapter</li></ol></nav>")
        )
        archive.writestr(
            "OEBPS/text/ch2.xhtml",
            _chapter("Tales of the Mekong", "<h1>The Source</h1><p>The Mekong rises in Tibet.</p>"),
        )
        archive.writestr(
            "OEBPS/text/chapter 1.xhtml",
            _chapter("The Delta", "<p>Nine channels carry the Mekong into the sea.</p>"),
        )
        archive.writestr("OEBPS/style.css", "p { margin: 0 }")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


MEKONG_TEXT = (
    "The Source\n\nThe Mekong rises in Tibet.\n\n"
    "The Delta\n\nNine channels carry the Mekong into the sea."
)


def ferry_eml(html_only: bool = False, attachment: bytes = b"%PDF-1.4 timetable") -> bytes:
    message = EmailMessage()
    message["From"] = "Ana Lim <ana@example.org>"
    message["To"] = "crew@example.org"
    message["Date"] = "Tue, 01 Dec 2026 09:30:00 +0700"
    message["Subject"] = "Ferry schedule change"
    plain = "Hello crew,\n\nThe morning ferry to Koh Samui now leaves at 06:45.\n\nAna"
    html = (
        "<html><body><p>Hello crew,</p><p>The morning ferry to <b>Koh Samui</b> "
        "now leaves at 06:45.</p><p>Ana</p></body></html>"
    )
    if html_only:
        message.set_content(html, subtype="html")
    else:
        message.set_content(plain)
        message.add_alternative(html, subtype="html")
    message.add_attachment(
        attachment, maintype="application", subtype="pdf", filename="timetable.pdf"
    )
    return bytes(message)


FERRY_HEADERS = (
    "From: Ana Lim <ana@example.org>\nTo: crew@example.org\n"
    "Date: Tue, 01 Dec 2026 09:30:00 +0700\nSubject: Ferry schedule change"
)
FERRY_TEXT = (
    FERRY_HEADERS + "\n\nHello crew,\n\nThe morning ferry to Koh Samui now leaves at 06:45.\n\nAna"
    "\n\nAttachment: timetable.pdf (application/pdf, 18 bytes) not indexed"
)
