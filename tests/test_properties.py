"""Property-based tests (hypothesis) for the loaders, the sentence splitter, the chunker and the
upload-name sanitiser: whatever comes in, the invariants the documentation promises hold.

Bounded: every property runs at most a couple of hundred examples, with no deadline (the first
PDF parse is slow), so the whole file stays well under half a minute.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import re
import signal
import tempfile
import unicodedata
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from citeqa.corpus import (
    SUPPORTED_SUFFIXES,
    ChunkSettings,
    Document,
    DocumentError,
    chunk_document,
    load_corpus,
    parse_document,
)
from citeqa.corpus import text as text_module
from citeqa.corpus.formats.base import decode_text, decoded_blocks
from citeqa.corpus.sentences import split_sentences
from citeqa.index.storage.textstore import append_encoded, decode
from citeqa.service.writes import MAX_NAME_CHARS, safe_document_name

from .pdfs import make_pdf

BOUNDED = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
WORD = re.compile(r"\S+")

# --- generated inputs ----------------------------------------------------------------------------

_PLAIN_WORDS = (
    "ASEAN Korea the of and partnership trade summit Dialogue Partner 1991 July Seoul Jakarta "
    "cooperation self-reliance co-operation ambassador policy Lee Jang-keun"
).split()
_TRICKY_TOKENS = [
    "Dr.",
    "e.g.",
    "i.e.",
    "U.S.",
    "H.E.",
    "No.",
    "9.",
    "A.S.E.A.N.",
    "J.",
    "etc.",
    "“Quoted.”",
    "‘single’",
    "(aside.)",
    "[note]",
    "’",
    "”",
    "“",
    "—",
    "–",
    "…",
    "ﬁ",  # a ligature: NFKC turns it into "fi"
    "Ⅻ",
    "①",
    "ß",
    "İ",
    "\u0301",  # a lone combining accent
    "\u00a8",  # NFKC: space + combining diaeresis
    "🙂",
    "中文",
    "العربية",
]
_PUNCTUATION = [".", "!", "?", ",", ";", ":", "...", "?!", '"', "'", ")", "(", "-"]
_SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", "\n\n\n", "\t", "\u00a0", "\r\n", " \n "]
_MARKDOWN = [
    "# ",
    "## ",
    "### ",
    "- ",
    "* ",
    "1. ",
    "**",
    "*",
    "`",
    "[",
    "](x)",
    "![",
    "<!--",
    "-->",
]

word = st.one_of(
    st.sampled_from(_PLAIN_WORDS),
    st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12),
)
long_word = st.text(alphabet="abcdefghij", min_size=60, max_size=400)
token = st.one_of(
    word,
    word,
    word,
    st.sampled_from(_SEPARATORS),
    st.sampled_from(_SEPARATORS),
    st.sampled_from(_PUNCTUATION),
    st.sampled_from(_TRICKY_TOKENS),
    st.sampled_from(_MARKDOWN),
    long_word,
)
prose = st.lists(token, min_size=0, max_size=400).map("".join)
# Many words with no sentence punctuation at all (a table dump): the chunker must still bound it.
no_punctuation = st.lists(word, min_size=1, max_size=900).map(" ".join)
# Sentences of controlled length, so overlaps and heading starts are exercised.
sentences = st.lists(
    st.tuples(
        st.lists(word, min_size=1, max_size=60).map(" ".join),
        st.sampled_from([". ", "! ", "? ", ".\n", ".\n\n", "\n\n"]),
        st.booleans(),  # a heading before it
    ),
    min_size=1,
    max_size=40,
).map(lambda items: "".join((f"Heading {s[:12]}\n\n" if h else "") + s + e for s, e, h in items))
texts = st.one_of(prose, no_punctuation, sentences, st.text(max_size=2000))


@functools.cache
def _real_pdf() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = make_pdf(
            Path(folder) / "made.pdf",
            [
                ["Introduction", "", "The ROK became a full Dialogue Partner in July 1991."],
                ["Economic Cooperation", "", "Trade grew with the FTA signed in 2006.", "2"],
            ],
            title="A made PDF",
        )
        return path.read_bytes()


@st.composite
def mutated_pdf(draw: st.DrawFn) -> bytes:
    """A real PDF truncated, with bytes overwritten, deleted or inserted: the usual corruptions."""
    data = bytearray(_real_pdf())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        match draw(st.sampled_from(["truncate", "overwrite", "delete", "insert"])):
            case "truncate":
                del data[max(at, 16) :]
            case "overwrite":
                patch = draw(st.binary(min_size=1, max_size=16))
                data[at : at + len(patch)] = patch
            case "delete":
                del data[at : at + draw(st.integers(1, 256))]
            case "insert":
                data[at:at] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


def raw_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A hand-written PDF: object i+1 has body objects[i], object 1 is the /Root; exact xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def one_page_pdf(stream_dict: bytes, content: bytes, trailer: bytes = b"") -> bytes:
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< %s /Length %d >>\nstream\n%s\nendstream" % (stream_dict, len(content), content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
        trailer,
    )


HELLO = b"BT /F1 12 Tf 72 720 Td (Hello world.) Tj ET"
_ZEROS = {n: b"<" + b"00" * n + b">" for n in (16, 32, 48)}
_AES_256 = (
    b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /U %(48)s /O %(48)s "
    b"/UE %(32)s /OE %(32)s /Perms %(16)s >>"
) % {b"48": _ZEROS[48], b"32": _ZEROS[32], b"16": _ZEROS[16]}

# Minimal PDFs on which pypdf raises something other than PdfReadError. Before f9685fb these
# escaped parse_document: an upload answered 500 and `citeqa ingest` of a folder holding one
# crashed. They must stay DocumentErrors.
PDF_CRASHES = {
    # AttributeError("property 'indirect_reference' of 'IndirectObject' object has no setter"):
    # the /Root object is a reference to itself.
    "self-referencing-root": raw_pdf([b"1 0 R"]),
    # pypdf.errors.DependencyError("cryptography>=3.1 is required for AES algorithm"): any
    # AES-256 encrypted PDF, because no AES library is installed.
    "aes-256-encrypted": raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>", _AES_256],
        b"/Encrypt 3 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddee"
        b"ff>] ",
    ),
    # RecursionError: arrays nested 5,000 deep as the page tree, or 20,000 deep in a content stream.
    "deeply-nested-page-tree": raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"[" * 5_000 + b"]" * 5_000]
    ),
    "deeply-nested-content": one_page_pdf(
        b"", b"BT /F1 12 Tf " + b"[" * 20_000 + b"]" * 20_000 + b" TJ ET"
    ),
}


text_bytes = st.one_of(
    st.binary(max_size=4096),
    texts.map(lambda t: t.encode("utf-8")),
    texts.map(lambda t: t.encode("utf-16")),
    texts.map(lambda t: t.encode("cp1252", errors="replace")),
    st.binary(max_size=512).map(lambda b: b"%PDF-1.7\n" + b),  # a PDF named .txt
)
pdf_bytes = st.one_of(
    mutated_pdf(),
    mutated_pdf(),
    st.binary(max_size=2048).map(lambda b: b"%PDF-1.7\n" + b),
    st.binary(max_size=256),
    texts.map(lambda t: t.encode("utf-8")),
)


# --- invariants ----------------------------------------------------------------------------------


def _check_text_invariants(doc: Document) -> None:
    text = doc.text
    assert text, "a parsed document has text"
    bad = sorted({c for c in text if unicodedata.category(c) == "Cc" and c != "\n"})
    assert not bad, f"control characters in the text: {bad!r}"
    assert "\n\n\n" not in text
    assert text == text.strip(), "leading or trailing whitespace"
    for h in doc.headings:
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start : h.end] == h.title, (h, text[h.start : h.end])
    starts = [p.start for p in doc.pages]
    assert starts == sorted(starts) and all(0 <= s <= len(text) for s in starts)


# --- parse_document ------------------------------------------------------------------------------


@BOUNDED
@given(
    data=text_bytes,
    doc_id=st.sampled_from(["a.txt", "b.md", "d.TXT", "e.markdown", "f.text", "dir/g.MD"]),
)
@example(data=b"", doc_id="a.txt")
@example(data=b"\x00" * 100, doc_id="a.txt")
@example(data="\ufeff# Title\n\ntext".encode(), doc_id="b.md")
@example(data=b"caf\xe9 \x81\x8d cr\xe8me", doc_id="a.txt")  # cp1252 with undefined bytes
def test_parse_text_bytes_returns_a_document_or_a_document_error(data: bytes, doc_id: str) -> None:
    try:
        doc = parse_document(data, doc_id)
    except DocumentError:
        return
    assert isinstance(doc, Document) and doc.id == doc_id
    _check_text_invariants(doc)


_HTML_TOKENS = (
    "<p>", "</p>", "<h1>", "</h1>", "<h3>", "</h3>", "<pre>", "</pre>", "<table>", "<tr>", "<td>",
    "</td>", "<th>", "</table>", "<br>", "<br/>", "<nav>", "</nav>", "<script>", "</script>",
    "<style>", "<div>", "</div>", "<ul>", "<li>", "</ul>", "<!--", "-->", "&amp;", "&nbsp;",
    "&#0;", "<b>", "</b>", "<title>", "</title>", "<main>", "</main>", "<header>", "<footer>",
    '<p hidden>', '<div style="display: none">', "<?xml version='1.0'?>", "<![CDATA[", "]]>",
)  # fmt: skip
html_pages = st.lists(
    st.one_of(token, st.sampled_from(_HTML_TOKENS), st.sampled_from(_HTML_TOKENS)), max_size=300
).map("".join)


@BOUNDED
@given(page=html_pages, encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]))
@example(page="<pre>a\u2028b\r\nc</pre><td>x<p>y</td>", encoding="utf-8")
def test_parse_html_returns_a_document_or_a_document_error(page: str, encoding: str) -> None:
    try:
        doc = parse_document(page.encode(encoding, errors="replace"), "page.html")
    except DocumentError:
        return
    _check_text_invariants(doc)
    assert "  " not in doc.text and all(h.title for h in doc.headings)
    assert all(line == line.strip() for line in doc.text.split("\n"))


def _normalise_in_one_pass(text: str) -> str:
    """The definition `normalise_text` streams: every line normalised, runs of blank lines made
    one, a paragraph broken mid-sentence joined, blank lines at both ends trimmed."""
    text = text.replace("\r\n", "\n").replace("\u2029", "\n\n").translate(text_module._LINE_BREAKS)
    lines = [text_module.normalise_line(line) for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return text_module._BROKEN_PARAGRAPH.sub(text_module._join_broken, text)


# Lines that meet each rule at a block boundary: blank and whitespace-only lines, paragraphs that
# end mid-sentence and continue in lower case, headings, Windows and Unicode line ends.
_line = st.one_of(
    st.sampled_from(["", "", " ", "\t", "\r", "\u2029", "\u2028", "#"]),
    st.tuples(
        st.sampled_from(["", "# ", "- ", " "]),
        st.sampled_from(["the", "The", "in 2008", "ASEAN", "a,", "x", "9"]),
        st.sampled_from(["", ",", ".", " and", " of the"]),
    ).map("".join),
)
_line_texts = st.lists(_line, max_size=60).map(
    lambda lines: "".join(
        line + end
        for line, end in zip(lines, itertools.cycle(["\n", "\r\n", "\n", "\n\n"]), strict=False)
    )
)


@BOUNDED
@given(text=st.one_of(_line_texts, texts), block_chars=st.integers(min_value=0, max_value=40))
@example(text="a,\n\nin 2008 ASEAN.\n\n\n\nThe end", block_chars=1)
@example(text="\nab\r", block_chars=0)  # a block ending where the text starts
def test_normalising_block_by_block_equals_one_pass(text: str, block_chars: int) -> None:
    """A large text is normalised in blocks; the cuts never change what comes out."""
    expected = _normalise_in_one_pass(text)
    assert text_module.normalise_text(text, block_chars=block_chars) == expected
    assert text_module.normalise_text(text) == expected


@BOUNDED
@given(text=st.one_of(_line_texts, texts), cuts=st.lists(st.integers(min_value=0), max_size=8))
@example(text="a\r\nb", cuts=[2])  # "\r" ends one piece, "\n" opens the next
@example(text="ab\ncd", cuts=[0, 0, 3])  # empty pieces
def test_normalising_a_text_in_pieces_equals_one_pass(text: str, cuts: list[int]) -> None:
    """A file decoded a block at a time is normalised from its pieces, cut anywhere (mid-line,
    between "\\r" and "\\n"); what comes out is the one-pass normalisation of the whole."""
    at = sorted(c % (len(text) + 1) for c in cuts)
    pieces = [text[a:b] for a, b in itertools.pairwise([0, *at, len(text)])]
    assert text_module.normalise_text(iter(pieces)) == _normalise_in_one_pass(text)


@BOUNDED
@given(
    text=st.one_of(_line_texts, texts),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"]),
    block_bytes=st.integers(min_value=1, max_value=64),
)
@example(text="é" * 40, encoding="utf-8", block_bytes=3)  # a character split between blocks
@example(text="naïve " * 20 + "\udcff", encoding="latin-1", block_bytes=16)
def test_decoding_a_file_in_blocks_equals_decoding_it_whole(
    text: str, encoding: str, block_bytes: int
) -> None:
    """A large text file is decoded a block at a time, its encoding (UTF-8, else cp1252)
    decided over the whole file: the pieces join to the text decoded at once."""
    data = text.encode(encoding, errors="replace")
    try:
        whole = decode_text(data, "a.txt")
    except DocumentError:
        with pytest.raises(DocumentError):
            "".join(decoded_blocks(data, "a.txt", block_bytes))
        return
    assert "".join(decoded_blocks(data, "a.txt", block_bytes)) == whole


def _widest_encoding(text: str) -> tuple[int, bytes]:
    """The store's encoding of a whole text in one call: the narrowest fixed width holding it."""
    try:
        return 1, text.encode("latin-1")
    except UnicodeEncodeError:
        pass
    try:
        data = text.encode("utf-16-le")
        if len(data) == 2 * len(text):
            return 2, data
    except UnicodeEncodeError:
        pass
    return 4, text.encode("utf-32-le", "surrogatepass")


@BOUNDED
@given(
    text=st.text(st.characters(codec=None), max_size=60) | st.text(max_size=60),
    prefix=st.binary(max_size=5),
    slice_chars=st.integers(min_value=1, max_value=9),
)
@example(text="ab\U0001f600", prefix=b"", slice_chars=1)  # the wide character in the last slice
@example(text="\ud800é", prefix=b"x", slice_chars=1)  # a lone surrogate after a narrow slice
def test_a_text_stored_slice_by_slice_is_the_text_encoded_whole(
    text: str, prefix: bytes, slice_chars: int
) -> None:
    """A long text goes into the store a slice at a time; its width and bytes are those of
    encoding it whole, and what the blob held before is left as it was."""
    blob = bytearray(prefix)
    width = append_encoded(blob, text, slice_chars=slice_chars)
    assert (width, bytes(blob)) == (_widest_encoding(text)[0], prefix + _widest_encoding(text)[1])
    assert decode(blob[len(prefix) :], width) == text


@BOUNDED
@given(text=texts, suffix=st.sampled_from([".txt", ".md", ".html"]))
@example(text="<!--", suffix=".html")  # refused with a reason in brackets
def test_gzip_reads_as_the_uncompressed_file(text: str, suffix: str) -> None:
    data = text.encode("utf-8")
    try:
        plain = parse_document(data, "doc" + suffix)
    except DocumentError as err:
        # The same reason, read literally: it may hold brackets ("not readable HTML (Document").
        with pytest.raises(DocumentError, match=re.escape(str(err).split(": ", 1)[1][:20])):
            parse_document(gzip.compress(data), "doc" + suffix + ".gz")
        return
    packed = parse_document(gzip.compress(data), "doc" + suffix + ".gz")
    assert (packed.text, packed.headings, packed.title) == (plain.text, plain.headings, plain.title)


@BOUNDED
@given(data=st.one_of(st.binary(max_size=2048), st.binary(max_size=512).map(b"PK\x03\x04".__add__)))
def test_garbage_docx_is_a_document_error(data: bytes) -> None:
    with pytest.raises(DocumentError):
        parse_document(data, "garbage.docx")


# Damage that pypdf's text extraction fails on and pdfium reads past.
PDF_READ_PAST = {
    # A stream filter no reader knows, on a stream that is not compressed at all.
    "unknown-stream-filter": one_page_pdf(b"/Filter /Nope", HELLO),
    # A content-stream "operator" of 200 bytes (garbage in a stream) after the text.
    "overlong-content-operator": one_page_pdf(b"", HELLO[:-2] + b"A" * 200 + b" ET"),
}


@pytest.mark.parametrize("name", sorted(PDF_READ_PAST))
def test_damage_after_the_text_is_read_past(name: str) -> None:
    assert parse_document(PDF_READ_PAST[name], f"{name}.pdf").text == "Hello world."


@pytest.mark.parametrize("name", sorted(PDF_CRASHES))
def test_malformed_pdf_is_a_document_error(name: str) -> None:
    with pytest.raises(DocumentError):
        parse_document(PDF_CRASHES[name], f"{name}.pdf")


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    # No shrinking: a corrupt PDF rarely shrinks far and shrinking pypdf failures takes minutes.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=pdf_bytes)
@example(data=b"%PDF-")
def test_parse_pdf_bytes_returns_a_document_or_a_document_error(data: bytes) -> None:
    try:
        doc = parse_document(data, "c.pdf")
    except DocumentError:
        return
    assert isinstance(doc, Document)
    _check_text_invariants(doc)


def test_aes_encrypted_pdf_error_says_it_is_encrypted() -> None:
    """An encrypted file -> 422 saying why."""
    with pytest.raises(DocumentError, match=r"(?i)encrypt|password"):
        parse_document(PDF_CRASHES["aes-256-encrypted"], "locked.pdf")


def test_one_malformed_pdf_does_not_stop_loading_a_folder(tmp_path: Path) -> None:
    """Files that cannot be read are skipped and listed: `citeqa ingest` relies on it."""
    (tmp_path / "good.txt").write_text("Sea otters hold hands while they sleep.")
    (tmp_path / "bad.pdf").write_bytes(PDF_CRASHES["self-referencing-root"])
    loaded = list(load_corpus([tmp_path]))
    assert [type(x).__name__ for x in loaded] == ["DocumentError", "Document"]


@BOUNDED
@given(text=texts, suffix=st.sampled_from([".txt", ".md"]))
@example(text="We discuss Trade below.\n\n# Trade\n\nTariffs fell in 2010.", suffix=".md")
def test_headings_sit_on_their_own_line(text: str, suffix: str) -> None:
    """A heading is a line of its own; the section it opens starts there, not inside a paragraph."""
    try:
        doc = parse_document(text.encode("utf-8"), "doc" + suffix)
    except DocumentError:
        assume(False)
        raise
    t = doc.text
    for h in doc.headings:
        assert h.start == 0 or t[h.start - 1] == "\n", (h, t)
        assert h.end == len(t) or t[h.end] == "\n", (h, t)


@BOUNDED
@given(text=texts, suffix=st.sampled_from([".txt", ".md"]))
@example(text="Trade grew.\u2028Tariffs fell.\u2029Quotas went.\u1680Done.", suffix=".txt")
def test_normalised_whitespace_is_single_spaces_and_newlines(text: str, suffix: str) -> None:
    try:
        doc = parse_document(text.encode("utf-8"), "doc" + suffix)
    except DocumentError:
        assume(False)
        raise
    odd = sorted({c for c in doc.text if c.isspace() and c not in " \n"})
    assert not odd, f"whitespace other than space and newline: {odd!r}"
    assert "  " not in doc.text
    assert all(line == line.strip() for line in doc.text.split("\n"))


# --- time: hostile but small inputs must not take minutes ----------------------------------------


class _TooSlow(Exception):
    pass


def _parse_and_chunk_within(seconds: float, data: bytes, doc_id: str) -> None:
    """parse_document + chunk_document, interrupted (SIGPROF) if it runs past `seconds` of this
    process's CPU time: a bound on the work, whatever else the machine runs (the suite runs
    modules side by side)."""

    def expire(*_: object) -> None:
        raise _TooSlow(f"{doc_id}: {len(data)} bytes took more than {seconds} CPU s")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        chunk_document(parse_document(data, doc_id))
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _shipped_text(size: int) -> bytes:
    folder = Path(__file__).resolve().parent.parent / "corpus" / "documents"
    text = b"\n\n".join(p.read_bytes() for p in sorted(folder.glob("*.txt")))
    return (text * (size // len(text) + 1))[:size]


# Each takes 4-35 s today (quadratic regex or rescans); ordinary text of 150 KB takes ~0.1 s.
SLOW_INPUTS = {
    # split_sentences rescans from the sentence start after every skipped abbreviation.
    "abbreviations.txt": b"e.g. X " * 20_000,  # 140 KB
    "initials.txt": b"J. " * 20_000,  # 60 KB
    # Markdown: _MD_EMPHASIS / _MD_LINK try every opener against the rest of the line.
    "emphasis-openers.md": b"*a " * 20_000,  # 60 KB
    "link-openers.md": b"[a " * 40_000 + b"]",  # 120 KB
    # _join_pdf_lines: re.findall(r"\w+-\w+") backtracks over a long word: a 600-byte PDF.
    "long-word.pdf": one_page_pdf(
        b"/Filter /FlateDecode",
        zlib.compress(b"BT /F1 12 Tf 72 720 Td (" + b"a" * 100_000 + b") Tj ET", 9),
    ),
}


def test_ordinary_150_kb_text_parses_and_chunks_in_time() -> None:
    _parse_and_chunk_within(2.0, _shipped_text(150_000), "big.txt")


@pytest.mark.parametrize("doc_id", sorted(SLOW_INPUTS))
def test_hostile_small_input_parses_and_chunks_in_time(doc_id: str) -> None:
    _parse_and_chunk_within(2.0, SLOW_INPUTS[doc_id], doc_id)


# --- split_sentences -----------------------------------------------------------------------------


def _check_sentences(text: str, spans: list[tuple[int, int]]) -> None:
    previous_end = 0
    for start, end in spans:
        assert 0 <= start < end <= len(text), (start, end)
        assert start >= previous_end, f"overlap or out of order at {(start, end)}"
        piece = text[start:end]
        assert piece == piece.strip(), repr(piece)
        previous_end = end
    covered = [False] * len(text)
    for start, end in spans:
        covered[start:end] = [True] * (end - start)
    lost = [(i, c) for i, c in enumerate(text) if not c.isspace() and not covered[i]]
    assert not lost, f"characters in no sentence: {lost[:5]}"


@BOUNDED
@given(text=texts)
@example(text="Dr. Lee met H.E. Kim. 9. At noon.\n1. first\n2. second")
@example(text="a\u2028b. C")
def test_split_sentences_spans_cover_the_text(text: str) -> None:
    _check_sentences(text, split_sentences(text))


# --- chunk_document ------------------------------------------------------------------------------


@st.composite
def chunk_settings(draw: st.DrawFn) -> ChunkSettings:
    target = draw(st.integers(20, 300))
    return ChunkSettings(target, draw(st.integers(0, target - 1)))


def _loaded(text: str, suffix: str) -> Document:
    try:
        return parse_document(text.encode("utf-8"), "doc" + suffix)
    except DocumentError:
        assume(False)
        raise


def _raw(text: str) -> Document:
    return Document("raw.txt", "raw", text, "0" * 64, "txt")


def _check_passages(doc: Document, chunking: ChunkSettings) -> None:
    passages = chunk_document(doc, chunking)
    text = doc.text
    if text.strip():
        assert passages
    previous = None
    covered = [False] * len(text)
    for p in passages:
        assert text[p.start : p.end] == p.text
        assert p.text and p.text == p.text.strip(), repr(p.text[:80])
        if previous is not None:
            assert p.start > previous.start, "passage starts must strictly increase"
            assert p.end > previous.end, "a passage adds nothing to the one before it"
        words = len(p.text.split())
        assert words <= chunking.target_words, f"{words} words > {chunking.target_words}: {p}"
        previous = p
        covered[p.start : p.end] = [True] * (p.end - p.start)
    for m in WORD.finditer(text):
        assert all(covered[m.start() : m.end()]), f"word {m.group()!r} at {m.start()} lost"


def _sentence(n: int) -> str:
    """A sentence of exactly `n` words."""
    return " ".join(["Word"] * (n - 1) + ["word."])


# Three sentences of 10, 10 and 15 words, target 20, overlap 15: the first passage holds the first
# two (20 words); before f9685fb the second 10-word sentence was carried as overlap and the
# 15-word one appended without checking the limit, so the second passage had 25 words.
OVER_LIMIT = (f"{_sentence(10)} {_sentence(10)} {_sentence(15)}", ChunkSettings(20, 15))


@BOUNDED
@given(text=texts, suffix=st.sampled_from([".txt", ".md"]), chunking=chunk_settings())
@example(text=OVER_LIMIT[0], suffix=".txt", chunking=OVER_LIMIT[1])
def test_chunks_of_loaded_documents_map_back_and_lose_no_word(
    text: str, suffix: str, chunking: ChunkSettings
) -> None:
    _check_passages(_loaded(text, suffix), chunking)


@BOUNDED
@given(text=texts, chunking=chunk_settings())
@example(text="a\u2028b " * 30, chunking=ChunkSettings(20, 5))
@example(text=". 0 0 . " + "0 " * 18, chunking=ChunkSettings(20, 3))  # was 21 words > 20
def test_chunks_of_raw_text_map_back_and_lose_no_word(text: str, chunking: ChunkSettings) -> None:
    """The chunker's own contract holds for any text, not only for what the loaders produce."""
    _check_passages(_raw(text), chunking)


# --- safe_document_name --------------------------------------------------------------------------

_NAME_PARTS = st.sampled_from(
    [
        "../",
        "..\\",
        "/",
        "\\",
        ".",
        "..",
        " ",
        "-",
        "~",
        ".hidden",
        "\x00",
        "\u2024",  # one dot leader: NFKC "."
        "\u2025",  # two dot leader: NFKC ".."
        "\uff0f",  # fullwidth solidus: NFKC "/"
        "\uff3c",  # fullwidth reverse solidus: NFKC "\"
        "\u202e",  # right-to-left override
        "ﬁ",
        "é",
        "名前",
        "CON",
        "a" * 200,
        ".txt",
        ".md",
        ".pdf",
        ".markdown",
        ".text",
        ".TXT",
        ".exe",
        "\ud800",
    ]
)
filenames = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_NAME_PARTS, st.text(max_size=8)), max_size=12).map("".join),
)
ALLOWED_SUFFIXES = tuple(SUPPORTED_SUFFIXES)  # every suffix a format reads


@BOUNDED
@given(filename=filenames)
@example(filename="../../escape.txt")
@example(filename="-. -x.txt")
@example(filename="\u2025\uff0f\u2025\uff0fetc.txt")
@example(filename="a" * 300 + ".markdown")
def test_safe_document_name_stays_inside_the_corpus(filename: str) -> None:
    try:
        name = safe_document_name(filename)
    except DocumentError:
        return
    assert "/" not in name and "\\" not in name, name
    assert not name.startswith("."), name
    assert 0 < len(name) <= MAX_NAME_CHARS, len(name)
    assert name.endswith(ALLOWED_SUFFIXES), name
    assert name == name.strip(), repr(name)
    root = Path("/srv/corpus")
    assert (root / name).resolve().parent == root, name
