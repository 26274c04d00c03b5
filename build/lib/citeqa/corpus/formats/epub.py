"""E-books (.epub): the XHTML chapters in spine order, each read by the HTML reader (html.py), one
after another; a chapter that does not open with a heading gets its own `<title>` as a level-1
heading (unless that is only the book's title again), so every chapter is a section.

Read with zipfile and lxml rather than a library such as ebooklib: the work is three small XML
files (container.xml, the OPF package, encryption.xml) and a loop over the spine, and ebooklib
would add a dependency that parses every member up front, with no safer XML handling than
`zips.parse_xml` (no entity expansion, no DTD, no network). The package passes
`zips.open_package` (zip bombs, entity declarations) first. A chapter encrypted by DRM (listed in
META-INF/encryption.xml) is refused; obfuscated fonts, listed there too, are no matter.
"""

from __future__ import annotations

import posixpath
import zipfile
from urllib.parse import unquote

from lxml import etree

from ..records import Heading
from .base import DocumentError, Format, Read
from .html import read as read_html
from .zips import open_package, parse_xml, read_member

_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_ENC = "{http://www.w3.org/2001/04/xmlenc#}"
_CHAPTER_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}


def read(data: bytes, doc_id: str) -> Read:
    with open_package(data, doc_id, ".epub") as archive:
        opf_path = _package_path(archive, doc_id)
        opf = parse_xml(read_member(archive, opf_path, doc_id), doc_id, opf_path)
        book_title = " ".join((opf.findtext(f".//{_DC}title") or "").split())
        chapters = _spine(opf, posixpath.dirname(opf_path))
        locked = _encrypted(archive, doc_id)
        if locked.intersection(chapters):
            raise DocumentError(
                f"{doc_id}: the e-book is DRM-protected; its chapters are encrypted"
            )
        reads = [_chapter(archive, path, doc_id) for path in chapters]
    text: list[str] = []
    length = 0
    headings: list[Heading] = []
    for chapter in reads:
        if chapter is None:
            continue
        opens_with_heading = bool(chapter.headings) and chapter.headings[0].start == 0
        if not opens_with_heading and chapter.title and chapter.title != book_title:
            chapter = _with_heading(chapter)
        if text:
            text.append("\n\n")
            length += 2
        headings.extend(
            Heading(h.start + length, h.end + length, h.title, h.level) for h in chapter.headings
        )
        text.append(chapter.text)
        length += len(chapter.text)
    if not text:
        raise DocumentError(f"{doc_id}: no text found in the e-book's chapters")
    return Read("".join(text), [], headings, book_title)


def _package_path(archive: zipfile.ZipFile, doc_id: str) -> str:
    container = parse_xml(
        read_member(archive, "META-INF/container.xml", doc_id), doc_id, "container.xml"
    )
    rootfile = container.find(f".//{_CONTAINER}rootfile")
    path = rootfile.get("full-path") if rootfile is not None else None
    if not path:
        raise DocumentError(f"{doc_id}: META-INF/container.xml names no package file")
    return path


def _spine(opf: etree._Element, base: str) -> list[str]:
    """The member paths of the spine's chapters, in reading order (the navigation page left out)."""
    manifest = {item.get("id"): item for item in opf.iter(f"{_OPF}item")}
    paths = []
    for ref in opf.iter(f"{_OPF}itemref"):
        item = manifest.get(ref.get("idref"))
        if item is None or item.get("media-type") not in _CHAPTER_TYPES:
            continue
        if "nav" in (item.get("properties") or "").split():
            continue
        paths.append(posixpath.normpath(posixpath.join(base, unquote(item.get("href") or ""))))
    return paths


def _encrypted(archive: zipfile.ZipFile, doc_id: str) -> set[str]:
    name = "META-INF/encryption.xml"
    if name not in archive.namelist():
        return set()
    root = parse_xml(read_member(archive, name, doc_id), doc_id, name)
    return {
        posixpath.normpath(unquote(ref.get("URI") or ""))
        for ref in root.iter(f"{_ENC}CipherReference")
    }


def _chapter(archive: zipfile.ZipFile, path: str, doc_id: str) -> Read | None:
    """A chapter's text; None for an empty member or one missing from the zip."""
    try:
        archive.getinfo(path)
    except KeyError:
        return None
    markup = read_member(archive, path, doc_id)
    return read_html(markup, f"{doc_id}:{path}") if markup.strip() else None


def _with_heading(chapter: Read) -> Read:
    shift = len(chapter.title) + 2
    headings = [
        Heading(0, len(chapter.title), chapter.title, 1),
        *(Heading(h.start + shift, h.end + shift, h.title, h.level) for h in chapter.headings),
    ]
    return Read(f"{chapter.title}\n\n{chapter.text}", [], headings, chapter.title)


FORMATS = (Format("epub", (".epub",), read),)
