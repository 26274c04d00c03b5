"""E-mail messages (.eml, stdlib email with policy.default): the subject is the title; a first
block of its From, To, Cc, Date and Subject headers; then the body: the text/plain part, or the
text/html part through the HTML reader (html.py) when there is no plain one.

Attachments are not indexed: each is listed after the body as a line "Attachment: name (type,
size) not indexed", so a reader knows it exists; save it and add it as a document of its own to
search it. Bounded: a file over MAX_EML_BYTES is refused before parsing; an attachment's size is
estimated from its encoded length, never decoded; a body part over MAX_BODY_BYTES is refused.
"""

from __future__ import annotations

import email
from email import policy
from email.message import Message, MIMEPart

from ..text import normalise_text
from .base import DocumentError, Format, Read, TextBuilder, looks_binary
from .html import read as read_html

MAX_EML_BYTES = 50 * 1024 * 1024  # the default upload limit
MAX_BODY_BYTES = 10 * 1024 * 1024  # a body this long is a data dump, not a message
_HEADERS = ("From", "To", "Cc", "Date", "Subject")


def read(data: bytes, doc_id: str) -> Read:
    if len(data) > MAX_EML_BYTES:
        raise DocumentError(f"{doc_id}: larger than {MAX_EML_BYTES // 2**20} MB; not a message")
    if looks_binary(data[:8192]):
        raise DocumentError(f"{doc_id}: binary data, not an e-mail message")
    try:
        message = email.message_from_bytes(data, policy=policy.default)
        if not any(message.get(h) for h in _HEADERS):
            raise DocumentError(f"{doc_id}: not an e-mail message (no From, To, Date or Subject)")
        builder = TextBuilder()
        builder.add([f"{h}: {message.get(h)}" for h in _HEADERS if message.get(h)])
        body = message.get_body(preferencelist=("plain", "html"))
        if body is not None:
            _add_body(builder, body, doc_id)
        builder.add([_attachment_line(part) for part in message.iter_attachments()])
        title = str(message.get("Subject") or "")
    except DocumentError:
        raise
    except Exception as err:
        # Malformed MIME fails in many places inside the email package (headers, encodings,
        # nesting too deep to recurse); whatever it is, the file is unreadable, not the server.
        raise DocumentError(f"{doc_id}: not a readable e-mail ({type(err).__name__})") from err
    return builder.read(title)


def _add_body(builder: TextBuilder, part: MIMEPart, doc_id: str) -> None:
    if _encoded_size(part) > MAX_BODY_BYTES * 4 // 3:
        raise DocumentError(
            f"{doc_id}: the message body is larger than {MAX_BODY_BYTES // 2**20} MB"
        )
    content = part.get_content()
    if part.get_content_subtype() == "html":
        raw = content.encode("utf-8") if isinstance(content, str) else content
        html = read_html(raw, doc_id) if raw.strip() else None
        if html is not None:
            for block in html.text.split("\n\n"):
                builder.add(block.split("\n"))
        return
    for block in normalise_text(str(content)).split("\n\n"):
        builder.add(block.split("\n"))


def _encoded_size(part: Message) -> int:
    """The length of a part's encoded payload without its line breaks (no decoding)."""
    payload = part.get_payload()
    if isinstance(payload, bytes):
        payload = payload.decode("ascii", errors="replace")
    if not isinstance(payload, str):
        return 0
    return len(payload) - payload.count("\n") - payload.count("\r")


def _attachment_line(part: MIMEPart) -> str:
    name = part.get_filename() or "unnamed"
    encoded = _encoded_size(part)
    # base64 carries 3 bytes in 4 characters; other encodings about 1:1.
    base64 = str(part.get("Content-Transfer-Encoding", "")).lower() == "base64"
    size = encoded * 3 // 4 if base64 else encoded
    return f"Attachment: {name} ({part.get_content_type()}, {_human(size)}) not indexed"


def _human(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    return f"{size / 1024:.0f} KB" if size < 2**20 else f"{size / 2**20:.1f} MB"


FORMATS = (Format("eml", (".eml",), read),)
