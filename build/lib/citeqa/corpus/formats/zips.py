"""Zip packages (.docx, .xlsx, .pptx, .epub): the checks every one passes before a library reads it.

- An encrypted Office file is an OLE2 compound file (magic D0 CF 11 E0), not a zip: refused as
  password-protected (an old binary .doc/.xls/.ppt has the same magic; the message says both).
- The zip directory is read first: more than MAX_ENTRIES members or more than MAX_UNPACKED_BYTES
  declared unpacked is refused before anything is inflated (zipfile never inflates past a
  member's declared size, so the declared sizes bound the real ones).
- Every XML member's prologue is read with expat: a DOCTYPE with an internal subset (where entities
  are declared, as in "billion laughs") is refused. Office XML never has one; a public XHTML
  DOCTYPE in an EPUB chapter declares nothing and passes.
- `parse_xml` reads a member with an lxml parser that expands no entities and fetches nothing.
"""

from __future__ import annotations

import io
import zipfile
from xml.parsers import expat

from lxml import etree

from .base import DocumentError

# A 300-page report with images is about 20 MB unpacked; text-only XML far less.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 10_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XML_SUFFIXES = (".xml", ".rels", ".opf", ".ncx", ".xhtml", ".htm", ".html", ".vml")
_PROLOGUE_CHUNK = 64 * 1024
# Comments and processing instructions may precede the root element; this many bytes of them is
# already absurd, and stops a member that is all prologue from being read to its end.
MAX_PROLOGUE_BYTES = 4 * 1024 * 1024


def open_package(data: bytes, doc_id: str, kind: str) -> zipfile.ZipFile:
    """The zip package of a `kind` file (".docx", ".epub", ...), checked as the module says."""
    if data.startswith(OLE_MAGIC):
        raise DocumentError(
            f"{doc_id}: a password-protected (encrypted) or old binary Office file, not a "
            f"{kind} package; remove the password or save it as {kind}"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise DocumentError(f"{doc_id}: not a {kind} (not a zip package: {err})") from err
    unpacked = sum(e.file_size for e in entries)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        raise DocumentError(
            f"{doc_id}: unpacks to {unpacked // 2**20} MB in {len(entries)} parts, more than "
            f"the {MAX_UNPACKED_BYTES // 2**20} MB a {kind} may hold here"
        )
    if any(e.flag_bits & 0x1 for e in entries):
        raise DocumentError(f"{doc_id}: the {kind} is encrypted; remove the password first")
    for entry in entries:
        if entry.filename.lower().endswith(_XML_SUFFIXES):
            _check_prologue(archive, entry, doc_id)
    return archive


class _Root(Exception):
    """The root element was reached: the prologue is over."""


def _check_prologue(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, doc_id: str) -> None:
    parser = expat.ParserCreate()
    declared: list[bool] = []

    def doctype(name: str, sysid: str | None, pubid: str | None, internal: int) -> None:
        if internal:
            declared.append(True)
            raise _Root

    def root(name: str, attrs: object) -> None:
        raise _Root

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    read = 0
    try:
        with archive.open(entry) as member:
            while read < MAX_PROLOGUE_BYTES:
                chunk = member.read(_PROLOGUE_CHUNK)
                read += len(chunk)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    break
    except _Root:
        pass
    except expat.ExpatError:
        return  # not well-formed: the reader's own parser says so, with the format's message
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise DocumentError(f"{doc_id}: a damaged zip member {entry.filename} ({err})") from err
    if declared:
        raise DocumentError(
            f"{doc_id}: {entry.filename} declares XML entities (a DOCTYPE with an internal "
            "subset); refused, as entity expansion can exhaust memory"
        )
    if read >= MAX_PROLOGUE_BYTES:
        raise DocumentError(
            f"{doc_id}: {entry.filename} has no XML root element in its first "
            f"{MAX_PROLOGUE_BYTES // 2**20} MB"
        )


def read_member(archive: zipfile.ZipFile, name: str, doc_id: str) -> bytes:
    """A member's bytes; DocumentError when it is missing or damaged."""
    try:
        return archive.read(name)
    except KeyError as err:
        raise DocumentError(f"{doc_id}: the package has no {name}") from err
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise DocumentError(f"{doc_id}: a damaged zip member {name} ({err})") from err


def parse_xml(data: bytes, doc_id: str, name: str) -> etree._Element:
    """An XML member's tree: no entity expanded, no DTD loaded, nothing fetched from a network."""
    # A parser per call: an lxml parser must not serve two threads at once.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as err:
        raise DocumentError(f"{doc_id}: {name} is not well-formed XML ({err})") from err
